//! The `clean` binary: stdout, stderr, exit codes, bad inputs, atomic output.

use std::io::Read;
use std::process::Stdio;

#[path = "support/bin.rs"]
mod bin;
use bin::{clean, run, scratch, stderr, stdout};

const SEED: &str = "fixtures/seed-zaobao/input.md";

#[test]
fn seed_to_html_and_text() {
    let html = run(&[SEED], b"");
    assert!(html.status.success(), "{}", stderr(&html));
    let expected = std::fs::read_to_string("fixtures/seed-zaobao/expected.html").unwrap();
    assert_eqnice!("seed html", expected, stdout(&html));

    let text = run(&["--format", "text", SEED], b"");
    assert!(text.status.success());
    let expected = std::fs::read_to_string("fixtures/seed-zaobao/expected.txt").unwrap();
    assert_eqnice!("seed text", expected, stdout(&text));
}

#[test]
fn stdin_when_no_file_or_dash() {
    let seed = std::fs::read(SEED).unwrap();
    let from_file = stdout(&run(&[SEED], b""));
    let dash = run(&["-"], &seed);
    assert!(dash.status.success());
    assert_eqnice!("-", from_file, stdout(&dash));
    let none = run(&[], &seed);
    assert_eqnice!("no file", from_file, stdout(&none));
}

#[test]
fn missing_file_names_the_file_and_exits_1() {
    let o = run(&["no/such/page.html"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eqnice!(
        "stderr",
        "clean: no/such/page.html: cannot read: no such file or directory\n",
        stderr(&o)
    );
}

#[test]
fn a_failing_input_does_not_stop_the_others() {
    let o = run(&["no/such/page.html", SEED], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("阿里巴巴今天证实"));
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&["--format", "pdf", SEED], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pdf"), "{}", stderr(&o));
    let o = run(&["--no-such-flag"], b"");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn empty_input_is_an_empty_document() {
    for input in [&b""[..], b" ", b"\n", b" \n\t\n"] {
        for format in ["html", "text", "markdown"] {
            let o = run(&["--format", format, "-"], input);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{input:?} {format}: {}",
                stderr(&o)
            );
            assert_eqnice!("stdout", "", stdout(&o));
            assert_eqnice!("stderr", "", stderr(&o));
        }
    }
    // In a batch, an empty file is one more document: the run succeeds
    // and `-o` is written.
    let dir = scratch("empty");
    let blank = dir.join("blank.html");
    std::fs::write(&blank, " \n\t\n").unwrap();
    let story = dir.join("story.html");
    std::fs::write(&story, "<p>story</p>").unwrap();
    let out = dir.join("out.html");
    let o = run(
        &[
            "-q",
            "-o",
            out.to_str().unwrap(),
            blank.to_str().unwrap(),
            story.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("<p>story</p>"));
    // JSON lines: an empty "html" is an empty result, not an error.
    let o = run(&["--jsonl"], b"{\"id\":1,\"html\":\"  \"}\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eqnice!("stdout", "{\"id\":1,\"html\":\"\"}\n", stdout(&o));
}

#[test]
fn binary_input_is_an_error() {
    let o = run(&["-"], b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00");
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).starts_with("clean: <stdin>: binary input"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn invalid_utf8_is_an_error_unless_lossy() {
    let bytes = b"<meta charset=\"utf-8\"><p>na\xc3\xafve caf\xe9</p>";
    let o = run(&["-"], bytes);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    // The library says what is wrong; the binary adds which options help.
    assert_eq!(
        err,
        "clean: <stdin>: not valid UTF-8 at byte 35 (as its <meta> charset declares); \
         pass --encoding to say which it is, or --lossy to replace bad bytes\n"
    );
    let o = run(&["--lossy", "-"], bytes);
    assert!(o.status.success());
    assert_eqnice!("lossy", "<p>naïve caf\u{fffd}</p>\n", stdout(&o));
    let o = run(&["--encoding", "windows-1252", "-"], bytes);
    assert_eqnice!("forced", "<p>naÃ¯ve café</p>\n", stdout(&o));
}

#[test]
fn directory_where_a_file_is_needed() {
    let dir = scratch("dir-as-file");
    let o = run(&["-o", dir.to_str().unwrap(), SEED], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!("clean: {}: cannot write:", dir.display())),
        "{}",
        stderr(&o)
    );
    let o = run(&["--report", dir.to_str().unwrap(), SEED], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = scratch("output");
    let out = dir.join("out.html");
    let o = run(&["-o", out.to_str().unwrap(), SEED], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let expected = std::fs::read_to_string("fixtures/seed-zaobao/expected.html").unwrap();
    assert_eqnice!("-o", expected, std::fs::read_to_string(&out).unwrap());

    // A failing input leaves the previous file as it was, and no temporary.
    std::fs::write(&out, "previous").unwrap();
    let o = run(&["-o", out.to_str().unwrap(), SEED, "no/such.html"], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn output_to_an_unwritable_place_fails() {
    let o = run(&["-o", "/nonexistent-dir/out.html", SEED], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("clean: /nonexistent-dir/out.html: cannot write"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    // Many copies of the seed, so the output is larger than a pipe buffer.
    let dir = scratch("pipe");
    let seed = std::fs::read(SEED).unwrap();
    let mut args = Vec::new();
    for i in 0..200 {
        let p = dir.join(format!("{i}.md"));
        std::fs::write(&p, &seed).unwrap();
        args.push(p);
    }
    let mut child = clean()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {err}");
    assert_eq!(err, "");
}

#[test]
fn explain_prints_the_report_to_stderr_only() {
    let o = run(&["--explain", SEED], b"");
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("RULE"), "{err}");
    assert!(err.contains("subscribe.image-links"), "{err}");
    assert!(!stdout(&o).contains("RULE"));
}

#[test]
fn report_file_is_json() {
    let dir = scratch("report");
    let path = dir.join("report.json");
    let o = run(&["--report", path.to_str().unwrap(), SEED], b"");
    assert!(o.status.success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let changes = v[0]["report"]["changes"].as_array().unwrap();
    assert!(changes
        .iter()
        .any(|c| c["rule"] == "ads.slots" && c["action"] == "remove"));
    assert_eq!(v[0]["input"], SEED);
}

#[test]
fn bad_rule_file_names_file_rule_and_line() {
    let dir = scratch("rules");
    let rules = dir.join("rules.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"site.x\"\nselect = \"p::after\"\naction = \"remove\"\n",
    )
    .unwrap();
    let o = run(&["--rules", rules.to_str().unwrap(), SEED], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "clean: {}: rule \"site.x\" (line 1): unsupported pseudo-element",
            rules.display()
        )),
        "{err}"
    );
}

#[test]
fn rules_can_be_added_disabled_or_dropped() {
    let html = b"<p>a</p><div class=\"adsbygoogle\">ad</div><!-- c -->";
    assert_eqnice!("default", "<p>a</p>\n", stdout(&run(&["-"], html)));
    assert_eqnice!(
        "disabled",
        "<p>a</p><div>ad</div>\n",
        stdout(&run(&["--disable", "ads", "-"], html))
    );
    // Without rules only the sanitizer runs; removing comments is a rule too.
    assert_eqnice!(
        "no defaults",
        "<p>a</p><div>ad</div><!-- c -->\n",
        stdout(&run(&["--no-default-rules", "-"], html))
    );
    assert_eqnice!(
        "keep comments",
        "<p>a</p><!-- c -->\n",
        stdout(&run(&["--keep-comments", "-"], html))
    );
}

#[test]
fn opt_in_rules_need_enable() {
    let html = b"<nav><a href=\"/\">Home</a></nav><p>a</p>";
    assert_eqnice!(
        "default",
        "<div><a href=\"/\" rel=\"noopener noreferrer\">Home</a></div><p>a</p>\n",
        stdout(&run(&["-"], html))
    );
    assert_eqnice!(
        "enabled",
        "<p>a</p>\n",
        stdout(&run(&["--enable", "boilerplate", "-"], html))
    );
    assert_eqnice!(
        "enabled then disabled",
        "<div><a href=\"/\" rel=\"noopener noreferrer\">Home</a></div><p>a</p>\n",
        stdout(&run(
            &[
                "--enable",
                "boilerplate",
                "--disable",
                "boilerplate.navigation",
                "-"
            ],
            html
        ))
    );
}

#[test]
fn input_kind_can_be_forced() {
    let md = b"# Title\n\n<div id=\"div-gpt-ad-1\">x</div>\n\nText.\n";
    let o = run(&["--input", "markdown", "--format", "text", "-"], md);
    assert_eqnice!("markdown text", "Title\n\nText.\n", stdout(&o));
    let o = run(&["--input", "html", "--format", "text", "-"], md);
    // As HTML, the Markdown is text whose whitespace collapses.
    assert_eqnice!("as html", "# Title Text.\n", stdout(&o));
}

#[test]
fn relative_urls_resolve_against_base_url() {
    let o = run(
        &["--base-url", "https://example.com/news/", "-"],
        b"<a href=\"a.html\">a</a>",
    );
    assert_eqnice!(
        "base",
        "<a href=\"https://example.com/news/a.html\" rel=\"noopener noreferrer\">a</a>\n",
        stdout(&o)
    );
    let o = run(&["--base-url", "not a url", "-"], b"<p>x</p>");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("clean: invalid base URL"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_rules_file_is_a_usage_error() {
    let o = run(&["--rules", "no/such/rules.toml", SEED], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("clean: no/such/rules.toml: cannot read rules: "),
        "{}",
        stderr(&o)
    );
    assert_eqnice!("stdout", "", stdout(&o));
}

#[test]
fn unknown_rule_groups_are_usage_errors() {
    for flag in ["--enable", "--disable"] {
        let o = run(&[flag, "boilerplat", "-"], b"<p>x</p>");
        assert_eq!(o.status.code(), Some(2), "{flag}");
        let err = stderr(&o);
        assert!(
            err.starts_with(
                "clean: no rule is in the group \"boilerplat\" (known groups: ads, boilerplate, "
            ),
            "{err}"
        );
        assert_eqnice!("stdout", "", stdout(&o));
    }
    // A whole id and a group with its dot are known.
    let o = run(
        &["--disable", "ads.slots", "--enable", "boilerplate.", "-"],
        b"<p>x</p>",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn explain_with_nothing_to_explain_says_so() {
    let o = run(&["--explain", "-"], b"<p>plain</p>");
    assert_eq!(o.status.code(), Some(0));
    assert_eqnice!("stderr", "no rule changed anything\n", stderr(&o));
}

#[test]
fn one_control_byte_is_singular() {
    let o = run(&["-"], b"\x01<p>x</p>");
    assert_eq!(o.status.code(), Some(1));
    assert_eqnice!(
        "stderr",
        "clean: <stdin>: binary input (1 control byte in the first 9 bytes), not HTML or Markdown\n",
        stderr(&o)
    );
}

#[test]
fn ext_help_names_every_default_extension() {
    let o = run(&["--help"], b"");
    let help = stdout(&o);
    let ext = help
        .split("--ext")
        .nth(1)
        .and_then(|s| s.split("\n      --").next())
        .unwrap_or_default()
        .to_string();
    for e in [".html", ".txt", ".md"] {
        assert!(ext.contains(e), "{e} not in: {ext}");
    }
}

#[cfg(feature = "filter-lists")]
#[test]
fn filter_lists_apply_and_a_missing_list_names_the_file() {
    let dir = scratch("filter-lists");
    let list = dir.join("mine.txt");
    std::fs::write(&list, "##.promo-box\n||pixel.example^$image\n").unwrap();
    let cache = dir.join("lists.cache");
    let html = b"<p>a</p><div class=\"promo-box\">b</div><img src=\"https://pixel.example/p.gif\">";
    let args = [
        "--no-default-rules",
        "--filter-list",
        list.to_str().unwrap(),
        "--filter-cache",
        cache.to_str().unwrap(),
        "-",
    ];
    // Compiled and cached, then loaded from the cache: the same output.
    assert_eqnice!("compiled", "<p>a</p>\n", stdout(&run(&args, html)));
    assert!(cache.exists());
    assert_eqnice!("cached", "<p>a</p>\n", stdout(&run(&args, html)));
    let missing = dir.join("no-such-list.txt");
    let o = run(&["--filter-list", missing.to_str().unwrap(), "-"], html);
    // A list that cannot be read is a usage error, as a rules file is.
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "clean: {}: cannot read filter list",
            missing.display()
        )),
        "{err}"
    );
}

#[test]
fn extract_explains_its_choice_and_a_bad_selector_exits_2() {
    let page = "fixtures/extract-news-sidebar-comments/input.html";
    let o = run(&["--extract", "--explain", "--format", "text", page], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("extract.article"), "{err}");
    assert!(err.contains("score "), "{err}");
    assert!(!stdout(&o).contains("Most read"), "{}", stdout(&o));
    let o = run(&["--extract-selector", "p:hover", page], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("article selector"), "{}", stderr(&o));
}
