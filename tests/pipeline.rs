//! `clean` in pipelines: directories, --glob, --out-dir, --in-place, JSON
//! lines, parallel batches, summaries, and the bad inputs of a batch.

use std::path::Path;
use std::process::Stdio;

#[path = "support/bin.rs"]
mod bin;
use bin::{clean, run, scratch, stderr, stdout};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

const PAGE: &str = "<p>Story.</p><div id=\"div-gpt-ad-1\">ad</div>";

fn sample_tree(root: &Path) {
    write(&root.join("a.html"), PAGE);
    write(&root.join("sub/b.htm"), "<p>B.</p>");
    write(
        &root.join("sub/post.md"),
        "---\ntitle: t\n---\n<div class=\"adsbygoogle\"></div>\n\nText.\n",
    );
    write(&root.join("sub/notes.txt"), "not an input");
}

#[test]
fn directories_are_walked_and_mirrored() {
    let dir = scratch("walk");
    let src = dir.join("src");
    sample_tree(&src);
    let out = dir.join("out");
    let o = run(
        &[
            "-q",
            "--out-dir",
            out.to_str().unwrap(),
            src.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["a.html", "sub/b.html", "sub/post.md"]);
    assert_eq!(read(&out.join("a.html")), "<p>Story.</p>\n");
    assert_eq!(
        read(&out.join("sub/post.md")),
        "---\ntitle: t\n---\n\nText.\n"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn glob_selects_files_and_format_sets_extension() {
    let dir = scratch("glob");
    let src = dir.join("src");
    sample_tree(&src);
    let out = dir.join("out");
    let o = run(
        &[
            "-q",
            "--glob",
            "*.md",
            "--format",
            "text",
            "--out-dir",
            out.to_str().unwrap(),
            src.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["sub/post.txt"]);
    assert_eq!(read(&out.join("sub/post.txt")), "Text.\n");
    let out2 = dir.join("out2");
    let o = run(
        &[
            "-q",
            "--ext",
            "htm",
            "--out-dir",
            out2.to_str().unwrap(),
            src.join("a.html").to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success());
    assert_eq!(tree(&out2), ["a.htm"]);
}

#[test]
fn in_place_rewrites_each_file_atomically() {
    let dir = scratch("inplace");
    sample_tree(&dir);
    let o = run(&["-q", "--in-place", dir.to_str().unwrap()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&dir.join("a.html")), "<p>Story.</p>\n");
    assert_eq!(read(&dir.join("sub/b.htm")), "<p>B.</p>\n");
    assert_eq!(read(&dir.join("sub/notes.txt")), "not an input");
    // No temporary file is left behind.
    assert_eq!(
        tree(&dir),
        ["a.html", "sub/b.htm", "sub/notes.txt", "sub/post.md"]
    );
}

#[test]
fn in_place_keeps_a_file_that_fails() {
    let dir = scratch("inplace-fail");
    write(&dir.join("ok.html"), PAGE);
    std::fs::write(dir.join("bad.html"), b"\x00\x01\x02binary").unwrap();
    let o = run(&["-q", "--in-place", dir.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("bad.html: binary input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(dir.join("bad.html")).unwrap(),
        b"\x00\x01\x02binary"
    );
    assert_eq!(read(&dir.join("ok.html")), "<p>Story.</p>\n");
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["--in-place"], b"<p>x</p>");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("clean: --in-place needs files"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--jsonl", "--out-dir", "x"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["-j", "0", "-"], b"<p>x</p>");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["--referrer-policy", "always", "-"], b"<p>x</p>");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown referrer policy"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn parallel_output_is_in_input_order() {
    let dir = scratch("order");
    let mut args = vec!["-q".to_string()];
    for i in 0..60 {
        let p = dir.join(format!("{i:02}.html"));
        // Sizes vary so that workers finish out of order.
        let body = "<p>filler</p>".repeat((i * 37) % 200);
        write(&p, &format!("<h1>doc {i}</h1>{body}"));
        args.push(p.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let one = run(&[&["-j", "1"], &args[..]].concat(), b"");
    let four = run(&[&["-j", "4"], &args[..]].concat(), b"");
    assert!(one.status.success() && four.status.success());
    assert_eq!(stdout(&one), stdout(&four));
    let heads: Vec<usize> = stdout(&four)
        .match_indices("<h1>doc ")
        .map(|(i, _)| {
            stdout(&four)[i + 8..]
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(heads, (0..60).collect::<Vec<_>>());
}

#[test]
fn a_batch_ends_with_a_summary_unless_quiet() {
    let dir = scratch("summary");
    sample_tree(&dir);
    let o = run(
        &[
            "--out-dir",
            dir.join("out").to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
        b"",
    );
    let err = stderr(&o);
    assert!(err.starts_with("clean: 3 files ("), "{err}");
    assert!(err.contains(", 0 failed; removed: ads 2"), "{err}");
    let o = run(
        &[
            "-q",
            "--out-dir",
            dir.join("out2").to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(stderr(&o), "");
    // One input is not a batch.
    let o = run(&[dir.join("a.html").to_str().unwrap()], b"");
    assert_eq!(stderr(&o), "");
}

#[test]
fn jsonl_keeps_order_fields_and_goes_on_after_a_bad_line() {
    let input = concat!(
        r#"{"id": 1, "html": "<p>One</p><div class=\"adsbygoogle\"></div>", "lang": "en"}"#,
        "\n",
        "\n",
        "{not json}\n",
        r#"{"id": "three", "url": "https://x.com/a", "html": "<a href=\"/a\">self</a> <a href=\"b\">b</a>"}"#,
        "\n",
        r#"{"id": 4, "text": "no html here"}"#,
        "\n",
        r#"[1, 2]"#,
        "\n",
    );
    let o = run(&["--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        lines[0],
        serde_json::json!({"id": 1, "lang": "en", "html": "<p>One</p>\n"})
    );
    assert_eq!(lines[1]["line"], 3);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON"));
    assert_eq!(
        lines[2]["html"],
        "self <a href=\"https://x.com/b\" rel=\"noopener noreferrer\">b</a>\n"
    );
    assert_eq!(lines[2]["url"], "https://x.com/a");
    assert_eq!(
        lines[3],
        serde_json::json!({"id": 4, "line": 5, "error": "no \"html\" string"})
    );
    assert_eq!(lines[4]["error"], "not a JSON object");
    let err = stderr(&o);
    assert!(err.contains("clean: <stdin>:3: invalid JSON"), "{err}");
    assert!(
        err.contains("clean: <stdin>:5: no \"html\" string"),
        "{err}"
    );
}

#[test]
fn jsonl_text_with_reports() {
    let input =
        r#"{"id": "a", "html": "<p>T</p><img src=\"https://t.example/p.gif\" width=1 height=1>"}"#;
    let o = run(
        &["--jsonl", "--format", "text", "--explain"],
        input.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["text"], "T\n");
    assert_eq!(v["report"]["changes"][0]["rule"], "tracking.pixels");
    assert!(v.get("html").is_none());
}

#[test]
fn jsonl_from_files_in_order_with_parallel_workers() {
    let dir = scratch("jsonl");
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&serde_json::json!({"id": i, "html": format!("<p>{i}</p>")}).to_string());
        text.push('\n');
    }
    let f = dir.join("in.jsonl");
    write(&f, &text);
    let o = run(&["--jsonl", "-j", "3", f.to_str().unwrap()], b"");
    assert!(o.status.success());
    let ids: Vec<i64> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, (0..100).collect::<Vec<_>>());
}

#[test]
fn url_names_the_page() {
    let o = run(
        &["--url", "https://x.com/news/1", "-"],
        b"<p><a href=\"/news/1\">here</a> <a href=\"2\">next</a></p>",
    );
    assert_eq!(
        stdout(&o),
        "<p>here <a href=\"https://x.com/news/2\" rel=\"noopener noreferrer\">next</a></p>\n"
    );
}

#[test]
fn unreadable_file_is_named() {
    // Reading a process's memory from offset 0 fails: nothing is mapped there.
    let o = run(&["/proc/self/mem"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("clean: /proc/self/mem: cannot read:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_directory_not_writable() {
    let o = run(
        &[
            "--out-dir",
            "/proc/articlean-cannot-be-here",
            "fixtures/ads-gpt-slots/input.html",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(
            "clean: /proc/articlean-cannot-be-here: cannot create the output directory"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_to_dev_full_fails() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = clean()
        .args(["fixtures/seed-zaobao/input.md"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("clean: <stdout>: cannot write: No space left on device"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn invalid_json_line_in_a_file_is_named_with_file_and_line() {
    let dir = scratch("badjson");
    let f = dir.join("x.jsonl");
    write(&f, "{\"html\": \"<p>a</p>\"}\n{\"html\": 5}\n");
    let o = run(&["--jsonl", f.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("clean: {}:2: no \"html\" string", f.display())),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 2);
}

#[test]
fn jsonl_report_file_has_one_entry_per_cleaned_line() {
    let dir = scratch("jsonl-report");
    let input = dir.join("in.jsonl");
    write(
        &input,
        "{\"id\": \"a\", \"html\": \"<p>x</p><div class=adsbygoogle></div>\"}\n{\"html\": 5}\n{\"html\": \"<p>y</p>\"}\n",
    );
    let report = dir.join("report.json");
    let o = run(
        &[
            "--jsonl",
            "--report",
            report.to_str().unwrap(),
            input.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    // The output lines do not carry reports without --explain.
    assert!(!stdout(&o).contains("\"report\""), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&read(&report)).unwrap();
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{v:#}");
    assert_eq!(entries[0]["input"], format!("{}:1", input.display()));
    assert_eq!(entries[0]["id"], "a");
    assert_eq!(entries[0]["report"]["changes"][0]["rule"], "ads.slots");
    assert_eq!(entries[1]["input"], format!("{}:3", input.display()));
    assert!(entries[1].get("id").is_none());
}

#[cfg(unix)]
#[test]
fn in_place_writes_through_a_symlink() {
    let dir = scratch("in-place-link");
    let target = dir.join("real").join("story.html");
    write(&target, "<p>story</p><div class=\"adsbygoogle\">ad</div>");
    let link = dir.join("link.html");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = run(&["--in-place", link.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(
        read(&target).starts_with("<p>story</p>"),
        "{}",
        read(&target)
    );
    assert!(!read(&target).contains("ad</div>"));
    // Two names of one file are one output: the second is refused.
    let o = run(
        &[
            "--in-place",
            link.to_str().unwrap(),
            target.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is also the output of"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn jsonl_errors_name_the_line_once_and_say_what_is_wrong() {
    let dir = scratch("jsonl-unterminated");
    let f = dir.join("in.jsonl");
    write(&f, "{\"html\": \"<p>a</p>\"}\n{\"html\": \"<p>b\n");
    let o = run(&["--jsonl", f.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "clean: {}:2: invalid JSON at column 14: end of line while parsing a string\n",
            f.display()
        )
    );
}

#[test]
fn documents_in_one_stream_end_with_a_newline_and_are_parted_by_nul() {
    let dir = scratch("separated");
    let one = dir.join("1.html");
    let empty = dir.join("2.html");
    let two = dir.join("3.html");
    write(&one, "<p>one</p>");
    write(&empty, " ");
    write(&two, "<p>two</p>");
    let paths = [
        one.to_str().unwrap(),
        empty.to_str().unwrap(),
        two.to_str().unwrap(),
    ];
    for (format, want) in [
        ("html", "<p>one</p>\n\0\0<p>two</p>\n"),
        ("text", "one\n\0\0two\n"),
        ("markdown", "one\n\0\0two\n"),
    ] {
        let o = run(&[&["-q", "--format", format][..], &paths[..]].concat(), b"");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), want, "{format}");
        let out = dir.join(format!("all.{format}"));
        let o = run(
            &[
                &["-q", "--format", format, "-o", out.to_str().unwrap()][..],
                &paths[..],
            ]
            .concat(),
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(read(&out), want, "-o, {format}");
    }
    // One document: its output, with its final newline, and nothing else.
    let o = run(&[one.to_str().unwrap()], b"");
    assert_eq!(stdout(&o), "<p>one</p>\n");
    // No output can hold the separator: a NUL in any encoding is refused.
    let bom = dir.join("bom.md");
    std::fs::write(&bom, b"\xef\xbb\xbf---\ntitle: a\x00b\n---\ntext\n").unwrap();
    let o = run(&[bom.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("binary input (a NUL character"),
        "{}",
        stderr(&o)
    );
}

/// An output that is a pipe (or a device such as /dev/null) is written to,
/// never renamed over: as root, the rename once replaced /dev/null with a
/// regular file.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch("fifo-output");
    let fifo = dir.join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to check
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let input = dir.join("in.html");
    write(&input, "<p>x</p>");
    let o = run(
        &["-o", fifo.to_str().unwrap(), input.to_str().unwrap()],
        b"",
    );
    // First: were the pipe renamed over, the reader would wait forever.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(reader.join().unwrap(), "<p>x</p>\n");
}
