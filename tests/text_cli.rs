//! The text and Markdown flags of the `clean` binary.

use std::io::Write;
use std::process::{Command, Stdio};

fn clean(args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clean"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("clean runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("clean reads stdin");
    let out = child.wait_with_output().expect("clean finishes");
    assert!(out.status.success(), "clean {args:?} failed");
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

const PAGE: &str = r#"<h1>T</h1><p>One two <a href="https://e.com/">three</a> <img src="/i.png" alt="four"> five six.</p>"#;

#[test]
fn format_markdown() {
    assert_eq!(
        clean(&["--format", "markdown"], PAGE),
        "# T\n\nOne two [three](https://e.com/) ![four](/i.png) five six.\n"
    );
}

#[test]
fn text_options() {
    assert_eq!(
        clean(
            &[
                "--format",
                "text",
                "--width",
                "12",
                "--links",
                "footnotes",
                "--images",
                "alt"
            ],
            PAGE
        ),
        "T\n\nOne two\nthree[1]\n[four] five\nsix.\n\n[1] https://e.com/\n"
    );
}

#[test]
fn bad_option_values_are_usage_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_clean"))
        .args(["--links", "inline", "-"])
        .stdin(Stdio::null())
        .output()
        .expect("clean runs");
    assert_eq!(out.status.code(), Some(2));
}
