//! Golden fixtures: each `fixtures/<case>/` runs as its own named test.
//!
//! A case holds `input.html` (or `input.md`), `expected.html` and
//! `expected.txt` (both required: a missing one fails the case; an empty
//! output is an empty file), and optionally:
//!
//! - `expected.md`: the Markdown. Its presence turns Markdown rendering on,
//!   so it is checked exactly when it exists (create it empty, then bless).
//! - `expected-report.txt`: what the rules did, checked exactly when it
//!   exists. One change a line, in order, `<rule> <action> <target>`, with
//!   `(vetoed)` after the action when the content veto stopped the change
//!   and `[<detail>]` at the end when the change has one (removed
//!   attributes, a new URL); then a `parser: <n> deep tags dropped` line
//!   when the parser dropped any. An empty file says no rule fired.
//! - `case.toml`: a `description` (required) and cleaner options (see
//!   [`Case`]); `rules.toml`: rules added to the built-in ones.
//!
//! Every case runs these checks, by name: `safe` (the HTML output passes
//! the shared checker), `idempotent` (cleaning the output again gives it
//! back), `html`, `text`, and where their files exist `markdown` and
//! `report` (the output equals the expected file).
//!
//! A case that shows an open bug names the one check it fails:
//!
//! ```toml
//! known_failure = { check = "idempotent", reason = "cleaning the output again removes one more call to action" }
//! ```
//!
//! It must fail that check and pass every other one, expected files
//! included (they hold what the output should be); when the named check
//! passes, the case fails and asks for the mark to go.
//!
//! `cargo test --test fixtures -- lazy` runs the cases whose name contains
//! `lazy`. `BLESS=1 cargo test --test fixtures` writes the expected files
//! from the actual output (all but the one of a known failure's check, and
//! `expected.md` and `expected-report.txt` only where they exist): read
//! the `git diff` of `fixtures/` line by line before committing it.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use articlean::{Cleaner, InputKind, Report, Rules, TextImages, TextLinks};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

#[path = "support/mod.rs"]
mod support;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What behaviour the case protects.
    description: String,
    /// `"html"` or `"markdown"`; detected when absent.
    input: Option<String>,
    #[serde(default)]
    keep_comments: bool,
    #[serde(default)]
    no_default_rules: bool,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    referrer_policy: Option<String>,
    base_url: Option<String>,
    encoding: Option<String>,
    /// Text options: wrap width, `"footnotes"` links, `"alt"` images.
    width: Option<usize>,
    links: Option<String>,
    images: Option<String>,
    /// An open bug: the one check the case fails, and why.
    known_failure: Option<KnownFailure>,
    /// The page's URL, as `--url` gives it.
    url: Option<String>,
    /// Filter lists in the case folder (feature `filter-lists`; the case is
    /// ignored without it).
    #[serde(default)]
    filter_lists: Vec<String>,
    /// Article extraction, as `--extract` turns it on.
    #[serde(default)]
    extract: bool,
    /// The article's selector, as `--extract-selector` gives it.
    extract_selector: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownFailure {
    check: Check,
    reason: String,
}

/// The checks a case runs, as `known_failure.check` names them.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Check {
    Safe,
    Idempotent,
    Html,
    Text,
    Markdown,
    Report,
}

impl Check {
    fn name(self) -> &'static str {
        match self {
            Check::Safe => "safe",
            Check::Idempotent => "idempotent",
            Check::Html => "html",
            Check::Text => "text",
            Check::Markdown => "markdown",
            Check::Report => "report",
        }
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("fixtures/ exists")
        .map(|e| e.expect("readable fixtures/").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let trials = dirs
        .into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let needs_lists = read_case(&dir).is_ok_and(|c| !c.filter_lists.is_empty());
            Trial::test(name, move || run_case(&dir))
                .with_ignored_flag(needs_lists && !cfg!(feature = "filter-lists"))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn read_case(dir: &Path) -> Result<Case, Failed> {
    let path = dir.join("case.toml");
    if !path.exists() {
        return Ok(Case::default());
    }
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if case.description.is_empty() {
        return Err(format!("{}: no description", path.display()).into());
    }
    if let Some(k) = &case.known_failure {
        if k.reason.is_empty() {
            return Err(format!("{}: known_failure without a reason", path.display()).into());
        }
    }
    Ok(case)
}

fn cleaner_for(dir: &Path, case: &Case) -> Result<Cleaner, Failed> {
    let mut b = Cleaner::builder()
        .html(true)
        .text(true)
        .markdown(dir.join("expected.md").exists());
    if let Some(w) = case.width {
        b = b.text_width(w);
    }
    b = b.text_links(match case.links.as_deref() {
        None | Some("text") => TextLinks::Text,
        Some("footnotes") => TextLinks::Footnotes,
        Some(other) => return Err(format!("unknown links {other:?}").into()),
    });
    b = b.text_images(match case.images.as_deref() {
        None | Some("none") => TextImages::None,
        Some("alt") => TextImages::Alt,
        Some(other) => return Err(format!("unknown images {other:?}").into()),
    });
    if case.no_default_rules {
        b = b.rules(Rules::default());
    }
    let rules = dir.join("rules.toml");
    if rules.exists() {
        b = b.add_rules(Rules::from_path(&rules).map_err(|e| e.to_string())?);
    }
    for d in &case.disable {
        b = b.disable(d.clone());
    }
    for e in &case.enable {
        b = b.enable(e.clone());
    }
    if let Some(p) = &case.referrer_policy {
        b = b.referrer_policy(p.clone());
    }
    if let Some(u) = &case.base_url {
        b = b.base_url(u.clone());
    }
    if let Some(e) = &case.encoding {
        b = b.encoding(e.clone());
    }
    if let Some(u) = &case.url {
        b = b.url(u.clone());
    }
    b = b.extract(case.extract);
    if let Some(css) = &case.extract_selector {
        b = b.extract_selector(css.clone());
    }
    #[cfg(feature = "filter-lists")]
    for list in &case.filter_lists {
        b = b.add_filter_list_file(dir.join(list));
    }
    b = b.input(match case.input.as_deref() {
        None => InputKind::Auto,
        Some("html") => InputKind::Html,
        Some("markdown") => InputKind::Markdown,
        Some(other) => return Err(format!("unknown input kind {other:?}").into()),
    });
    Ok(b.keep_comments(case.keep_comments)
        .build()
        .map_err(|e| e.to_string())?)
}

fn input_of(dir: &Path) -> Result<PathBuf, Failed> {
    ["input.html", "input.md"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .ok_or_else(|| format!("{}: no input.html or input.md", dir.display()).into())
}

/// The report as `expected-report.txt` holds it (see the crate docs).
fn report_lines(report: &Report) -> String {
    let mut out = String::new();
    for c in report.changes() {
        let vetoed = if c.vetoed { " (vetoed)" } else { "" };
        let _ = write!(out, "{} {}{vetoed} {}", c.rule, c.action.name(), c.target);
        if !c.detail.is_empty() {
            let _ = write!(out, " [{}]", c.detail);
        }
        out.push('\n');
    }
    if report.deep_tags_dropped() > 0 {
        let _ = writeln!(
            out,
            "parser: {} deep tags dropped",
            report.deep_tags_dropped()
        );
    }
    out
}

fn run_case(dir: &Path) -> Result<(), Failed> {
    let case = read_case(dir)?;
    let cleaner = cleaner_for(dir, &case)?;
    let input_path = input_of(dir)?;
    let input = fs::read(&input_path).map_err(|e| e.to_string())?;
    let out = cleaner
        .clean_bytes(&input)
        .map_err(|e| format!("clean failed: {e}"))?;
    let html = out.html();
    let text = out.text();
    let markdown = dir.join("expected.md").exists().then(|| out.markdown());
    let report = report_lines(out.report());

    // The checks that failed, each with what it found.
    let mut failed: Vec<(Check, String)> = Vec::new();

    // Whatever the expected files say, the output must be safe: a post as
    // CommonMark renders it, HTML as a browser parses it.
    let is_post = input_path.extension().is_some_and(|e| e == "md")
        || case.input.as_deref() == Some("markdown");
    let safe = if is_post {
        support::check_safe_markdown(html)
    } else {
        support::check_safe_html(html)
    };
    if let Err(why) = safe {
        failed.push((Check::Safe, format!("unsafe output: {why}\n{html}")));
    }

    // Cleaning the output again changes nothing.
    let again = cleaner.clean(html);
    if again.html() != html {
        failed.push((
            Check::Idempotent,
            format!(
                "cleaning the output again changed it\n--- once\n{html}\n--- twice\n{}\n---",
                again.html()
            ),
        ));
    }

    let bless = std::env::var_os("BLESS").is_some();
    let known = case.known_failure.as_ref().map(|k| k.check);
    let mut outputs = vec![
        (Check::Html, "expected.html", html),
        (Check::Text, "expected.txt", text),
    ];
    outputs.extend(markdown.map(|m| (Check::Markdown, "expected.md", m)));
    if dir.join("expected-report.txt").exists() {
        outputs.push((Check::Report, "expected-report.txt", &report));
    }
    if let Some(k) = known {
        if !outputs.iter().any(|o| o.0 == k) && !matches!(k, Check::Safe | Check::Idempotent) {
            return Err(format!(
                "known_failure names the {} check, which this case does not run (no expected file)",
                k.name()
            )
            .into());
        }
    }
    for (check, file, actual) in outputs {
        let path = dir.join(file);
        // A known failure's expected file holds what the output should be:
        // blessing it would write the bug down as right.
        if bless && known != Some(check) {
            fs::write(&path, actual).map_err(|e| e.to_string())?;
            continue;
        }
        let expected = match fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                failed.push((
                    check,
                    format!(
                        "{file} is missing ({}): every case pins its HTML and text; \
                         write it (empty for an empty output), or bless it and read it",
                        path.display()
                    ),
                ));
                continue;
            }
            Err(e) => return Err(format!("{}: {e}", path.display()).into()),
        };
        if expected != actual {
            failed.push((
                check,
                format!(
                    "{file} differs\n--- expected ({})\n{expected}\n--- actual\n{actual}\n---",
                    path.display()
                ),
            ));
        }
    }

    let Some(k) = &case.known_failure else {
        if failed.is_empty() {
            return Ok(());
        }
        return Err(join(&failed).into());
    };
    let (expected_failure, others): (Vec<_>, Vec<_>) =
        failed.into_iter().partition(|(c, _)| *c == k.check);
    if !others.is_empty() {
        return Err(format!(
            "marked known_failure of the {} check only, but fails others too\n{}",
            k.check.name(),
            join(&others)
        )
        .into());
    }
    if expected_failure.is_empty() {
        return Err(format!(
            "marked known_failure of the {} check ({}), but that check passes: remove the mark",
            k.check.name(),
            k.reason
        )
        .into());
    }
    Ok(())
}

fn join(failed: &[(Check, String)]) -> String {
    failed
        .iter()
        .map(|(c, why)| format!("[{}] {why}", c.name()))
        .collect::<Vec<_>>()
        .join("\n")
}
