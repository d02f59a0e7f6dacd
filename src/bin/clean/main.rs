//! `clean`: the articlean pipeline for shells and batches. Glue only: parse
//! arguments, build a `Cleaner` once, read, clean (in parallel), write.

mod args;
mod batch;
mod explain;
mod inputs;
mod json;
mod jsonl;
mod ordered;
mod output;

use std::process::ExitCode;

use articlean::{Cleaned, Cleaner, ErrorKind, InputKind, Rules, TextImages, TextLinks};
use clap::Parser;

use args::{Args, Body, Format, Images, Input, Links};

/// How a run ended.
pub(crate) enum Outcome {
    /// Every input was cleaned and written.
    Ok,
    /// Some inputs failed (each was named on stderr); the others were done.
    SomeFailed,
    /// The reader of standard output went away: stop quietly.
    ClosedPipe,
}

/// Exit status of a usage error, as clap's own.
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(msg) = check(&args) {
        eprintln!("clean: {msg}");
        return ExitCode::from(USAGE);
    }
    let cleaner = match build(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("clean: {msg}");
            return ExitCode::from(USAGE);
        }
    };
    let result = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))
        .and_then(|pool| {
            if args.jsonl {
                jsonl::run(&args, &cleaner, &pool)
            } else {
                batch::run(&args, &cleaner, &pool)
            }
        });
    // The process ends here: freeing the cleaner's tens of thousands of
    // filter-list rules one by one would only delay the exit.
    std::mem::forget(cleaner);
    match result {
        Ok(Outcome::Ok | Outcome::ClosedPipe) => ExitCode::SUCCESS,
        Ok(Outcome::SomeFailed) => ExitCode::from(1),
        Err(msg) => {
            eprintln!("clean: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Combinations of options that cannot work.
fn check(args: &Args) -> Result<(), String> {
    if args.in_place && args.paths.iter().all(|p| p.as_os_str() == "-") {
        return Err("--in-place needs files or directories, not standard input".into());
    }
    if args.jsonl && (args.out_dir.is_some() || args.in_place) {
        return Err("--jsonl writes one stream: use standard output or -o".into());
    }
    if args.in_place && args.format == Format::Json {
        // A page replaced by its JSON report is a page lost.
        return Err(
            "--in-place keeps each file's format: --format json needs -o or --out-dir".into(),
        );
    }
    if args.json_body.is_some() && args.format != Format::Json {
        return Err("--json-body needs --format json".into());
    }
    if args.jobs == Some(0) {
        return Err("-j needs at least 1".into());
    }
    Ok(())
}

/// Builds the one `Cleaner` every input shares. Whatever fails here (a bad
/// setting, an unknown rule group, a rule file that is missing or wrong) is
/// a usage error, like a bad flag: nothing was cleaned.
fn build(args: &Args) -> Result<Cleaner, String> {
    let mut b = Cleaner::builder();
    if args.no_default_rules {
        b = b.rules(Rules::default());
    }
    for path in &args.rules {
        b = b.add_rules(Rules::from_path(path).map_err(|e| describe(&e))?);
    }
    #[cfg(feature = "filter-lists")]
    {
        for path in &args.filter_lists {
            b = b.add_filter_list_file(path.clone());
        }
        if let Some(path) = &args.filter_cache {
            b = b.filter_cache(path.clone());
        }
    }
    for prefix in &args.disable {
        b = b.disable(prefix.clone());
    }
    for prefix in &args.enable {
        b = b.enable(prefix.clone());
    }
    if let Some(p) = &args.referrer_policy {
        b = b.referrer_policy(p.clone());
    }
    if let Some(r) = &args.link_rel {
        b = b.link_rel(r.clone());
    }
    if let Some(u) = &args.base_url {
        b = b.base_url(u.clone());
    }
    if let Some(u) = &args.url {
        b = b.url(u.clone());
    }
    if let Some(e) = &args.encoding {
        b = b.encoding(e.clone());
    }
    b = b.extract(args.extract);
    if let Some(css) = &args.extract_selector {
        b = b.extract_selector(css.clone());
    }
    b.keep_comments(args.keep_comments)
        .lossy(args.lossy)
        .input(match args.input {
            Input::Auto => InputKind::Auto,
            Input::Html => InputKind::Html,
            Input::Markdown => InputKind::Markdown,
        })
        .html(args.body() == Body::Html)
        .text(args.body() == Body::Text)
        .markdown(args.body() == Body::Markdown)
        .metadata(args.format == Format::Json)
        .text_width(args.width)
        .text_links(match args.links {
            Links::Text => TextLinks::Text,
            Links::Footnotes => TextLinks::Footnotes,
        })
        .text_images(match args.images {
            Images::None => TextImages::None,
            Images::Alt => TextImages::Alt,
        })
        .build()
        .map_err(|e| describe(&e))
        .inspect(|_cleaner| {
            #[cfg(feature = "filter-lists")]
            if args.explain && !args.filter_lists.is_empty() {
                eprintln!(
                    "filter lists: {} element-hiding rules skipped (selectors or procedural operators a static page cannot answer)",
                    _cleaner.skipped_filter_rules()
                );
            }
        })
}

/// What a library error says is wrong, and which option helps when one does:
/// the library names no option of this binary.
pub(crate) fn describe(e: &articlean::Error) -> String {
    match e.kind() {
        ErrorKind::Encoding => {
            format!("{e}; pass --encoding to say which it is, or --lossy to replace bad bytes")
        }
        _ => e.to_string(),
    }
}

/// The output of `cleaned` in `body`, the one the cleaner was built for.
pub(crate) fn take_output(cleaned: Cleaned, body: Body) -> String {
    match body {
        Body::Html => cleaned.into_html(),
        Body::Text => cleaned.into_text(),
        Body::Markdown => cleaned.into_markdown(),
    }
}
