//! `clean`: the articlean pipeline for shells and batches. Glue only: parse
//! arguments, build a `Cleaner`, read, clean, write.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use articlean::{Cleaner, InputKind, Report, Rules, TextImages, TextLinks};
use clap::{Parser, ValueEnum};

/// Turns the messy HTML of real articles into clean, safe HTML or plain text.
///
/// Reads each FILE (or standard input when there is none, or for `-`), removes
/// ads, trackers, subscription promotions and tracking parameters, resolves
/// lazy-loaded images, sanitizes with ammonia, and writes the result to
/// standard output (or to `-o FILE`).
#[derive(Parser, Debug)]
#[command(name = "clean", version, max_term_width = 100)]
struct Args {
    /// Input files; none or `-` reads standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    format: Format,

    /// Wrap text lines to N columns of display width (CJK characters take
    /// two); 0 does not wrap.
    #[arg(long, value_name = "N", default_value_t = 0)]
    width: usize,

    /// How links appear in text: their text, or their text with numbered
    /// URLs listed at the end.
    #[arg(long, value_enum, default_value_t = Links::Text)]
    links: Links,

    /// How images appear in text: not at all, or their alt text in brackets.
    #[arg(long, value_enum, default_value_t = Images::None)]
    images: Images,

    /// Write the output to FILE (atomically: all of it or nothing) instead of
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// What the input is; detected by default (front matter means a Markdown
    /// post, a doctype or an html tag a document, else a fragment).
    #[arg(long, value_enum, default_value_t = Input::Auto)]
    input: Input,

    /// Load rules from a TOML file, after the built-in ones (repeatable); a
    /// rule with the id of an existing one replaces it.
    #[arg(long = "rules", value_name = "FILE")]
    rules: Vec<PathBuf>,

    /// Do not use the built-in rules.
    #[arg(long)]
    no_default_rules: bool,

    /// Disable the rules whose id starts with PREFIX, e.g. `social` or
    /// `ads.labels` (repeatable).
    #[arg(long, value_name = "PREFIX")]
    disable: Vec<String>,

    /// Keep HTML comments.
    #[arg(long)]
    keep_comments: bool,

    /// The referrerpolicy every image gets ("" for none).
    #[arg(long, value_name = "POLICY")]
    referrer_policy: Option<String>,

    /// The rel every link gets ("" for none).
    #[arg(long, value_name = "REL")]
    link_rel: Option<String>,

    /// Resolve relative links and image sources against URL.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Decode input with this encoding (a WHATWG label such as gbk,
    /// shift_jis, windows-1252), whatever it declares.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,

    /// Replace malformed bytes with U+FFFD instead of failing.
    #[arg(long)]
    lossy: bool,

    /// Print what each rule did to standard error, as a table.
    #[arg(long)]
    explain: bool,

    /// Write what each rule did to FILE, as JSON.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Html,
    Text,
    Markdown,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Links {
    Text,
    Footnotes,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Images {
    None,
    Alt,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Input {
    Auto,
    Html,
    Markdown,
}

/// An error for one input or for the run, printed as `clean: …`.
struct Failure(String);

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Failure(msg)) => {
            if !msg.is_empty() {
                eprintln!("clean: {msg}");
            }
            ExitCode::from(if msg.is_empty() { 0 } else { 1 })
        }
    }
}

fn build(args: &Args) -> Result<Cleaner, Failure> {
    let mut b = Cleaner::builder();
    if args.no_default_rules {
        b = b.rules(Rules::default());
    }
    for path in &args.rules {
        b = b.add_rules(Rules::from_path(path).map_err(|e| Failure(e.to_string()))?);
    }
    for prefix in &args.disable {
        b = b.disable(prefix.clone());
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
    if let Some(e) = &args.encoding {
        b = b.encoding(e.clone());
    }
    b.keep_comments(args.keep_comments)
        .lossy(args.lossy)
        .input(match args.input {
            Input::Auto => InputKind::Auto,
            Input::Html => InputKind::Html,
            Input::Markdown => InputKind::Markdown,
        })
        .html(args.format == Format::Html)
        .text(args.format == Format::Text)
        .markdown(args.format == Format::Markdown)
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
        .map_err(|e| Failure(e.to_string()))
}

/// Runs the whole command; `Ok(false)` when some input failed.
fn run(args: &Args) -> Result<bool, Failure> {
    let cleaner = build(args)?;
    let inputs: Vec<PathBuf> = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files.clone()
    };
    let many = inputs.len() > 1;
    let mut all_ok = true;
    let mut reports: Vec<(String, Report)> = Vec::new();
    // With -o, everything is collected and written at the end, or not at all.
    let mut collected = String::new();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for path in &inputs {
        let name = display_name(path);
        let cleaned = read(path).and_then(|bytes| {
            cleaner
                .clean_bytes(&bytes)
                .map_err(|e| Failure(format!("{name}: {e}")))
        });
        let mut cleaned = match cleaned {
            Ok(c) => c,
            Err(Failure(msg)) => {
                eprintln!("clean: {msg}");
                all_ok = false;
                continue;
            }
        };
        let output = match args.format {
            Format::Html => cleaned.take_html(),
            Format::Text => cleaned.take_text(),
            Format::Markdown => cleaned.take_markdown(),
        }
        .unwrap_or_default();
        if args.explain {
            if many {
                eprintln!("== {name}");
            }
            eprint!("{}", cleaned.report().to_table());
        }
        if args.output.is_some() {
            collected.push_str(&output);
        } else {
            write_stdout(&mut out, output.as_bytes())?;
        }
        reports.push((name, cleaned.report().clone()));
    }
    write_stdout_flush(&mut out)?;
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(
            &reports
                .iter()
                .map(|(input, report)| serde_json::json!({ "input": input, "report": report }))
                .collect::<Vec<_>>(),
        )
        .map_err(|e| Failure(format!("cannot write the report: {e}")))?;
        write_atomically(path, format!("{json}\n").as_bytes())?;
    }
    if let Some(path) = &args.output {
        if !all_ok {
            return Err(Failure(format!(
                "{}: not written, as some input failed",
                path.display()
            )));
        }
        write_atomically(path, collected.as_bytes())?;
    }
    Ok(all_ok)
}

fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure(format!("<stdin>: cannot read: {e}")))?;
        return Ok(bytes);
    }
    if path.is_dir() {
        return Err(Failure(format!("{}: is a directory", path.display())));
    }
    std::fs::read(path).map_err(|e| {
        Failure(format!(
            "{}: cannot read: {}",
            path.display(),
            io_reason(&e)
        ))
    })
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// A closed pipe (`clean page.html | head`) ends the run quietly.
fn write_stdout(out: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes).map_err(stdout_failure)
}

fn write_stdout_flush(out: &mut impl Write) -> Result<(), Failure> {
    out.flush().map_err(stdout_failure)
}

fn stdout_failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure(String::new())
    } else {
        Failure(format!("cannot write to standard output: {e}"))
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the whole new one, never a part.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: io::Error| {
        Failure(format!(
            "{}: cannot write: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.clean-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}
