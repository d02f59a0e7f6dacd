//! Golden fixtures: each `fixtures/<case>/` runs as its own named test.
//!
//! A case holds `input.html` (or `input.md`), `expected.html`, `expected.txt`,
//! and optionally `expected.md` (the Markdown; checked only where the file
//! exists: create it empty, then bless), `case.toml` (a description and
//! cleaner options) and `rules.toml` (rules added to the built-in ones).
//!
//! Every case also checks that its HTML output is safe (the shared
//! checker) and that cleaning it again gives it back.
//!
//! `cargo test --test fixtures -- lazy` runs the cases whose name contains
//! `lazy`. `BLESS=1 cargo test --test fixtures` rewrites the expected files
//! from the actual output: read the `git diff` of `fixtures/` line by line
//! before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use articlean::{Cleaner, InputKind, Rules, TextImages, TextLinks};
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
    /// A known failure, with the reason: the case runs and must fail.
    known_failure: Option<String>,
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
            Trial::test(name, move || run_case(&dir))
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

fn run_case(dir: &Path) -> Result<(), Failed> {
    let case = read_case(dir)?;
    let cleaner = cleaner_for(dir, &case)?;
    let input_path = input_of(dir)?;
    let input = fs::read(&input_path).map_err(|e| e.to_string())?;
    let out = cleaner
        .clean_bytes(&input)
        .map_err(|e| format!("clean failed: {e}"))?;
    let html = out.html().unwrap_or_default();
    let text = out.text().unwrap_or_default();
    let markdown = out.markdown();

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
        return Err(format!("unsafe output: {why}\n{html}").into());
    }

    let bless = std::env::var_os("BLESS").is_some();
    let mut problems = Vec::new();
    // Cleaning the output again changes nothing.
    let again = cleaner.clean(html);
    if again.html() != Some(html) {
        problems.push(format!(
            "cleaning the output again changed it\n--- once\n{html}\n--- twice\n{}\n---",
            again.html().unwrap_or_default()
        ));
    }
    let mut outputs = vec![("expected.html", html), ("expected.txt", text)];
    outputs.extend(markdown.map(|m| ("expected.md", m)));
    for (file, actual) in outputs {
        let path = dir.join(file);
        if bless && case.known_failure.is_none() {
            fs::write(&path, actual).map_err(|e| e.to_string())?;
            continue;
        }
        let expected = fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            problems.push(format!(
                "{file} differs\n--- expected ({})\n{expected}\n--- actual\n{actual}\n---",
                path.display()
            ));
        }
    }
    match (&case.known_failure, problems.is_empty()) {
        (None, true) => Ok(()),
        (None, false) => Err(problems.join("\n").into()),
        (Some(_), false) => Ok(()),
        (Some(reason), true) => {
            Err(format!("marked known_failure ({reason}) but passes: remove the mark").into())
        }
    }
}
