//! Running the real `clean` binary from integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A `clean` command run from the package's root.
pub fn clean() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_clean"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs `clean` with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = clean()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // The binary may exit before reading all of it (a usage error).
    let _ = child.stdin.take().expect("piped stdin").write_all(stdin);
    child.wait_with_output().expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("articlean-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a writable temporary directory");
    dir
}

/// On failure, the case's name and both sides in full (ripgrep's `eqnice!`).
#[macro_export]
macro_rules! assert_eqnice {
    ($case:expr, $expected:expr, $actual:expr) => {{
        let (e, a) = (&$expected, &$actual);
        if e != a {
            panic!("{}\n--- expected\n{}\n--- actual\n{}\n---", $case, e, a);
        }
    }};
}
