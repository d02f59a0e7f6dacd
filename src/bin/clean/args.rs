//! The command line.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// Turns the messy HTML of real articles into clean, safe HTML or plain text.
///
/// Reads each FILE, each matching file under each DIRECTORY, or standard
/// input when there is none (or for `-`); removes ads, trackers,
/// subscription promotions and tracking parameters, resolves lazy-loaded
/// images, sanitizes with ammonia, and writes the result to standard output,
/// to `-o FILE`, to a mirror tree (`--out-dir`) or over the inputs
/// (`--in-place`).
#[derive(Parser, Debug)]
#[command(name = "clean", version, max_term_width = 100)]
pub(crate) struct Args {
    /// Input files and directories; none or `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Output format; json writes one object per document (one per line):
    /// the page's metadata (url, title, byline, date, lang, site, image,
    /// description), its body (see --json-body) and the report.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub(crate) format: Format,

    /// With --format json: the body's format, written as the "html",
    /// "text" or "markdown" field [default: html].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) json_body: Option<Body>,

    /// Wrap text lines to N columns of display width (CJK characters take
    /// two); 0 does not wrap.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) width: usize,

    /// How links appear in text: their text, or their text with numbered
    /// URLs listed at the end.
    #[arg(long, value_enum, default_value_t = Links::Text)]
    pub(crate) links: Links,

    /// How images appear in text: not at all, or their alt text in brackets.
    #[arg(long, value_enum, default_value_t = Images::None)]
    pub(crate) images: Images,

    /// Write all output to FILE (atomically: all of it or nothing) instead of
    /// standard output.
    #[arg(short, long, value_name = "FILE", conflicts_with_all = ["out_dir", "in_place"])]
    pub(crate) output: Option<PathBuf>,

    /// Write one output file per input under DIR, mirroring the input tree.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub(crate) out_dir: Option<PathBuf>,

    /// Rewrite each input file with its output (atomically: a temporary
    /// file renamed over it).
    #[arg(long)]
    pub(crate) in_place: bool,

    /// Extension of the files --out-dir writes (default: per --format, .html,
    /// .txt or .md; a Markdown post cleaned to HTML keeps its own).
    #[arg(long, value_name = "EXT")]
    pub(crate) ext: Option<String>,

    /// Which files to take from directories, e.g. '*.md' (repeatable;
    /// default: *.html, *.htm, *.xhtml, *.md, *.markdown).
    #[arg(long, value_name = "GLOB")]
    pub(crate) glob: Vec<String>,

    /// Read JSON lines ({"id":…, "html":…, "url":…}) and write one JSON line
    /// per input line, in order (see the README for the schema).
    #[arg(long)]
    pub(crate) jsonl: bool,

    /// Clean N inputs at a time (default: one per core).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub(crate) jobs: Option<usize>,

    /// No progress bar, no summary.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// What the input is; detected by default (front matter means a Markdown
    /// post, a doctype or an html tag a document, else a fragment).
    #[arg(long, value_enum, default_value_t = Input::Auto)]
    pub(crate) input: Input,

    /// Load rules from a TOML file, after the built-in ones (repeatable); a
    /// rule with the id of an existing one replaces it.
    #[arg(long = "rules", value_name = "FILE")]
    pub(crate) rules: Vec<PathBuf>,

    /// Do not use the built-in rules.
    #[arg(long)]
    pub(crate) no_default_rules: bool,

    /// Apply a filter list in Adblock Plus syntax, such as EasyList or
    /// EasyPrivacy (repeatable): element hiding and network rules.
    #[cfg(feature = "filter-lists")]
    #[arg(long = "filter-list", value_name = "FILE")]
    pub(crate) filter_lists: Vec<PathBuf>,

    /// Keep the compiled filter lists in FILE, reloaded while the lists
    /// and the engine's version are unchanged (rebuilt otherwise).
    #[cfg(feature = "filter-lists")]
    #[arg(long, value_name = "FILE")]
    pub(crate) filter_cache: Option<PathBuf>,

    /// Disable the rules whose id starts with PREFIX, e.g. `social` or
    /// `ads.labels` (repeatable).
    #[arg(long, value_name = "PREFIX")]
    pub(crate) disable: Vec<String>,

    /// Enable the rules whose id starts with PREFIX, including opt-in rules
    /// that are off by default (repeatable).
    #[arg(long, value_name = "PREFIX")]
    pub(crate) enable: Vec<String>,

    /// Keep only the main article of a whole page (its title, text, images,
    /// tables, lists, quotes), without menus, sidebars, related links and
    /// comments; doubtful pages are kept whole. Fragments and Markdown
    /// posts are left as they are.
    #[arg(long)]
    pub(crate) extract: bool,

    /// The article is what this CSS selector matches (implies --extract;
    /// pages where it matches nothing are extracted by score).
    #[arg(long, value_name = "CSS")]
    pub(crate) extract_selector: Option<String>,

    /// Keep HTML comments.
    #[arg(long)]
    pub(crate) keep_comments: bool,

    /// The referrerpolicy every image gets ("" for none).
    #[arg(long, value_name = "POLICY")]
    pub(crate) referrer_policy: Option<String>,

    /// The rel every link gets ("" for none).
    #[arg(long, value_name = "REL")]
    pub(crate) link_rel: Option<String>,

    /// Resolve relative links and image sources against URL.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,

    /// The URL of the page being cleaned (links back to it are unwrapped;
    /// relative URLs resolve against it when --base-url is not given).
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,

    /// Decode input with this encoding (a WHATWG label such as gbk,
    /// shift_jis, windows-1252), whatever it declares.
    #[arg(long, value_name = "LABEL")]
    pub(crate) encoding: Option<String>,

    /// Replace malformed bytes with U+FFFD instead of failing.
    #[arg(long)]
    pub(crate) lossy: bool,

    /// Print what each rule did to standard error, as a table (with --jsonl:
    /// add it to each output line as "report").
    #[arg(long)]
    pub(crate) explain: bool,

    /// Write what each rule did to FILE, as JSON (with --jsonl: one entry
    /// per line, named by file, line and id).
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Html,
    Text,
    Markdown,
    Json,
}

impl Format {
    /// The extension of an output file in this format.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

/// What a document is cleaned to: the output, or the body of its JSON.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Body {
    Html,
    Text,
    Markdown,
}

impl Body {
    /// The name of the body's field in a JSON object.
    pub(crate) fn field(self) -> &'static str {
        match self {
            Body::Html => "html",
            Body::Text => "text",
            Body::Markdown => "markdown",
        }
    }
}

impl Args {
    /// What each document is cleaned to: the output format, or with
    /// `--format json` the body's.
    pub(crate) fn body(&self) -> Body {
        match self.format {
            Format::Html => Body::Html,
            Format::Text => Body::Text,
            Format::Markdown => Body::Markdown,
            Format::Json => self.json_body.unwrap_or(Body::Html),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Links {
    Text,
    Footnotes,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Images {
    None,
    Alt,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Input {
    Auto,
    Html,
    Markdown,
}
