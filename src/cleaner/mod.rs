//! The pipeline, in order: decode, detect the input kind, parse, match the
//! rules and run the passes, then serialize and sanitize (HTML), and render
//! the sanitized output's tree (text, Markdown). This is the only module
//! that calls every stage. [`CleanerBuilder`] (in `builder`) checks the
//! settings once; `post` hands a Markdown post to [`crate::post`], which
//! cleans it in place with this cleaner's HTML and link cleaning.

mod builder;
mod post;

pub use builder::CleanerBuilder;

use url::Url;

use crate::decode;
use crate::dom::{Dom, SanitizerInput};
use crate::error::{Error, ErrorKind};
use crate::extract;
use crate::input::{self, Kind};
use crate::metadata::{self, Metadata};
use crate::page;
use crate::passes::{self, Context, Engine};
use crate::post::front_matter;
use crate::render::{markdown, text};
use crate::report::Report;
use crate::rules::Rules;
use crate::sanitize::Sanitizer;

/// Where a document is: its page's URL, and a base for relative URLs
/// besides the page's.
#[derive(Clone, Copy, Default)]
struct At<'a> {
    page: Option<&'a Url>,
    base: Option<&'a Url>,
}

/// What the input is; by default it is detected.
///
/// # Examples
///
/// ```
/// use articlean::{Cleaner, InputKind};
///
/// // Markdown without front matter is only recognised when said so.
/// let cleaner = Cleaner::builder().input(InputKind::Markdown).build()?;
/// let out = cleaner.clean("# Title\n\n<div class=\"adsbygoogle\"></div>\n");
/// assert_eq!(out.html(), "# Title\n\n");
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// A Markdown post when it opens with YAML front matter, a whole document
    /// when it opens with a doctype, `<html>` or `<head>`, else a fragment.
    #[default]
    Auto,
    /// HTML: a whole document or a fragment, whichever it looks like.
    Html,
    /// Markdown whose raw HTML blocks are cleaned in place; front matter, if
    /// any, is kept.
    Markdown,
}

/// The result of cleaning one document: the outputs the cleaner was built
/// to produce (HTML by default; text and Markdown when asked for) and the
/// report of what the rules did.
///
/// # Examples
///
/// ```
/// let cleaner = articlean::Cleaner::builder().text(true).build()?;
/// let out = cleaner.clean("<p>Hello <b>world</b></p>");
/// assert_eq!(out.html(), "<p>Hello <b>world</b></p>\n");
/// assert_eq!(out.text(), "Hello world\n");
/// assert!(out.report().changes().is_empty());
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    html: Option<String>,
    text: Option<String>,
    markdown: Option<String>,
    metadata: Option<Metadata>,
    report: Report,
}

/// The output `what` of a cleaner that was asked for it with `setter`.
fn asked<'a>(output: &'a Option<String>, what: &str, setter: &str) -> &'a str {
    match output {
        Some(s) => s,
        None => panic!("no {what}: the cleaner was built with {setter}"),
    }
}

fn asked_owned(output: Option<String>, what: &str, setter: &str) -> String {
    match output {
        Some(s) => s,
        None => panic!("no {what}: the cleaner was built with {setter}"),
    }
}

impl Cleaned {
    /// The clean HTML (for a Markdown post: the post, with its HTML blocks
    /// cleaned).
    ///
    /// # Panics
    ///
    /// When the cleaner was built with
    /// [`html(false)`](CleanerBuilder::html): it made no HTML.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p onclick=\"x()\">hi</p>");
    /// assert_eq!(out.html(), "<p>hi</p>\n");
    /// ```
    pub fn html(&self) -> &str {
        asked(&self.html, "HTML", "html(false)")
    }

    /// The plain text.
    ///
    /// # Panics
    ///
    /// Unless the cleaner was built with [`text(true)`](CleanerBuilder::text).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).build()?;
    /// assert_eq!(cleaner.clean("<p>hi</p>").text(), "hi\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text(&self) -> &str {
        asked(&self.text, "text", "text(false)")
    }

    /// The Markdown (CommonMark, with GitHub's tables and strikethrough).
    /// For a Markdown post, its front matter as written, then its body as
    /// clean Markdown.
    ///
    /// It has the words of the plain text, in the same order, and no raw
    /// HTML; only `http`, `https`, `mailto` and relative URLs are links or
    /// images.
    ///
    /// # Panics
    ///
    /// Unless the cleaner was built with
    /// [`markdown(true)`](CleanerBuilder::markdown).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).build()?;
    /// let out = cleaner.clean(r#"<h1>Title</h1><p>Some <b>bold</b> <a href="javascript:x()">text</a>.</p>"#);
    /// assert_eq!(out.markdown(), "# Title\n\nSome **bold** text.\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn markdown(&self) -> &str {
        asked(&self.markdown, "Markdown", "markdown(false)")
    }

    /// What the document says about itself: title, byline, date, language,
    /// site, lead image, description and canonical URL (see [`Metadata`]).
    ///
    /// # Panics
    ///
    /// Unless the cleaner was built with
    /// [`metadata(true)`](CleanerBuilder::metadata).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().metadata(true).build()?;
    /// let out = cleaner.clean(r#"<html><head><meta property="og:title" content="Hi"></head></html>"#);
    /// assert_eq!(out.metadata().title.as_deref(), Some("Hi"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn metadata(&self) -> &Metadata {
        match &self.metadata {
            Some(m) => m,
            None => panic!("no metadata: the cleaner was built with metadata(false)"),
        }
    }

    /// What the rules did.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>hi</p><!-- note -->");
    /// assert_eq!(out.report().changes()[0].rule, "comments.all");
    /// ```
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The HTML, without a copy.
    ///
    /// # Panics
    ///
    /// As [`html`](Cleaned::html).
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>hi</p>");
    /// assert_eq!(out.into_html(), "<p>hi</p>\n");
    /// ```
    pub fn into_html(self) -> String {
        asked_owned(self.html, "HTML", "html(false)")
    }

    /// The text, without a copy.
    ///
    /// # Panics
    ///
    /// As [`text`](Cleaned::text).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).html(false).build()?;
    /// assert_eq!(cleaner.clean("<p>hi</p>").into_text(), "hi\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn into_text(self) -> String {
        asked_owned(self.text, "text", "text(false)")
    }

    /// The Markdown, without a copy.
    ///
    /// # Panics
    ///
    /// As [`markdown`](Cleaned::markdown).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).html(false).build()?;
    /// assert_eq!(cleaner.clean("<p>a_b*c</p>").into_markdown(), "a_b\\*c\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn into_markdown(self) -> String {
        asked_owned(self.markdown, "Markdown", "markdown(false)")
    }
}

/// Cleans documents: built once, immutable, shared freely between threads.
///
/// # Examples
///
/// ```
/// use articlean::Cleaner;
///
/// let cleaner = Cleaner::builder().text(true).build()?;
/// let out = cleaner.clean(r#"<p>Read <a href="https://a.com/s?utm_source=rss&id=7">this</a>.</p>
/// <div id="dfp-ad-mid"></div>"#);
/// assert_eq!(
///     out.html(),
///     "<p>Read <a href=\"https://a.com/s?id=7\" rel=\"noopener noreferrer\">this</a>.</p>\n"
/// );
/// assert_eq!(out.text(), "Read this.\n");
/// # Ok::<(), articlean::Error>(())
/// ```
pub struct Cleaner {
    engine: Engine,
    /// The compiled filter lists, when given.
    #[cfg(feature = "filter-lists")]
    lists: Option<crate::lists::FilterLists>,
    /// Element-hiding rules of the lists that could not be applied.
    #[cfg(feature = "filter-lists")]
    skipped_filter_rules: usize,
    sanitizer: Sanitizer,
    base_url: Option<Url>,
    page_url: Option<Url>,
    input: InputKind,
    html: bool,
    text: bool,
    markdown: bool,
    metadata: bool,
    text_options: text::Options,
    encoding: Option<&'static encoding_rs::Encoding>,
    lossy: bool,
    /// Article extraction, when asked for.
    extract: Option<extract::Settings>,
}

impl std::fmt::Debug for Cleaner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cleaner")
            .field("rules", &self.engine.rules().len())
            .field("base_url", &self.base_url.as_ref().map(Url::as_str))
            .field("input", &self.input)
            .field("html", &self.html)
            .field("text", &self.text)
            .field("markdown", &self.markdown)
            .field("metadata", &self.metadata)
            .field("extract", &self.extract.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner::new()
    }
}

impl Cleaner {
    /// A cleaner with the built-in rules and default settings, producing HTML.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::new();
    /// assert_eq!(cleaner.clean("<p>x<script>y</script></p>").html(), "<p>x</p>\n");
    /// ```
    pub fn new() -> Cleaner {
        CleanerBuilder::default()
            .build()
            .expect("the default settings are valid")
    }

    /// Starts configuring a cleaner.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).build()?;
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn builder() -> CleanerBuilder {
        CleanerBuilder::default()
    }

    /// The rules this cleaner applies.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().disable("ads").build()?;
    /// assert!(cleaner.rules().iter().all(|r| !r.id().starts_with("ads.")));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn rules(&self) -> &Rules {
        self.engine.rules()
    }

    /// How many element-hiding rules of the filter lists could not be
    /// applied: selectors our selector engine does not parse, and
    /// procedural operators other than a trailing `:has-text` or
    /// `:-abp-contains`. They are skipped, never fatal.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder()
    ///     .add_filter_list("mine.txt", "##.ad-box\n##div:hover\n##.x:upward(2)\n")
    ///     .build()?;
    /// assert_eq!(cleaner.skipped_filter_rules(), 2);
    /// assert_eq!(cleaner.clean("<p>a</p><div class=\"ad-box\">b</div>").html(), "<p>a</p>\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    #[cfg(feature = "filter-lists")]
    pub fn skipped_filter_rules(&self) -> usize {
        self.skipped_filter_rules
    }

    /// Cleans text. Never fails and never panics. Empty or whitespace-only
    /// input is an empty document: its outputs are empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>a</p><div class=\"adsbygoogle\"></div>");
    /// assert_eq!(out.html(), "<p>a</p>\n");
    /// ```
    pub fn clean(&self, input: &str) -> Cleaned {
        self.clean_at(input, self.page_url.as_ref())
    }

    /// Cleans text that comes from `url`: links back to that page are
    /// unwrapped and relative URLs resolve against it (unless the builder
    /// has a base URL). Never panics.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `url` is not an
    /// absolute URL, as [`CleanerBuilder::url`] would fail `build()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::new();
    /// let out = cleaner.clean_with_url(r#"<p><a href="/b">next</a> <a href="/a">this</a></p>"#, "https://x.com/a")?;
    /// assert_eq!(
    ///     out.html(),
    ///     "<p><a href=\"https://x.com/b\" rel=\"noopener noreferrer\">next</a> this</p>\n"
    /// );
    /// assert!(cleaner.clean_with_url("<p>x</p>", "/a").is_err());
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn clean_with_url(&self, input: &str, url: &str) -> Result<Cleaned, Error> {
        let url = builder::parse_url("page", url)?;
        Ok(self.clean_at(input, Some(&url)))
    }

    /// Cleans `input`, whose page URL is `page` when known.
    fn clean_at(&self, input: &str, page: Option<&Url>) -> Cleaned {
        // An empty document has an empty cleaned form, whatever its
        // whitespace: spaces alone are not content, in any output.
        if input
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .is_empty()
        {
            return Cleaned {
                html: self.html.then(String::new),
                text: self.text.then(String::new),
                markdown: self.markdown.then(String::new),
                metadata: self.metadata.then(Metadata::default),
                report: Report::default(),
            };
        }
        let kind = match self.input {
            InputKind::Auto => input::detect(input),
            InputKind::Html if input::is_document(input) => Kind::Document,
            InputKind::Html => Kind::Fragment,
            InputKind::Markdown => Kind::Markdown,
        };
        let mut report = Report::default();
        let mut metadata = None;
        let (html, text, markdown) = match kind {
            Kind::Markdown => {
                let start = front_matter::end(input).unwrap_or(0);
                // A post's `from:` is where the article came from, not where
                // the post lives: a base for relative URLs, not the page whose
                // links to itself are unwrapped (the title links to the source).
                let from = front_matter::source_url(&input[..start]);
                if self.metadata {
                    metadata = Some(metadata::from_front_matter(&input[..start]));
                }
                let at = At {
                    page,
                    base: from.as_ref(),
                };
                // A post, like any document, ends with a line break.
                let html = self.html.then(|| {
                    let mut post = self.clean_markdown(input, start, at, &mut report);
                    if !post.is_empty() && !post.ends_with('\n') {
                        post.push('\n');
                    }
                    post
                });
                let (mut text, mut markdown) = (None, None);
                if self.text || self.markdown {
                    // The HTML's report already tells what the rules did.
                    let mut body_report = Report::default();
                    let dom = self.markdown_body(&input[start..], at, &mut body_report);
                    let front_matter = &input[..start];
                    if html.is_none() {
                        report.append(body_report);
                    }
                    text = self.text.then(|| text::render(&dom, self.text_options));
                    markdown = self.markdown.then(|| {
                        markdown::with_front_matter(front_matter, &markdown::render(&dom))
                    });
                }
                (html, text, markdown)
            }
            _ => {
                let at = At { page, base: None };
                let (dom, read) = self.read_parse_and_run(input, kind, at, &mut report);
                metadata = read;
                // A cleaner that outputs nothing (for its report alone) does
                // not sanitize, unless a veto asks for another round.
                let vetoed = report.changes().iter().any(|c| c.vetoed);
                let html = (self.html || self.text || self.markdown || vetoed)
                    .then(|| self.sanitize_settled(dom, at, &mut report));
                let (mut text, mut markdown) = (None, None);
                if let Some(html) = html.as_deref().filter(|_| self.text || self.markdown) {
                    let shown = Dom::parse_serialized(html);
                    text = self.text.then(|| text::render(&shown, self.text_options));
                    markdown = self.markdown.then(|| markdown::render(&shown));
                }
                (html.filter(|_| self.html), text, markdown)
            }
        };
        Cleaned {
            html,
            text,
            markdown,
            metadata,
            report,
        }
    }

    /// Decodes bytes (see [`CleanerBuilder::encoding`]) and cleans them.
    ///
    /// Empty or whitespace-only input is a valid, empty document: its
    /// outputs are empty.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Binary`](crate::ErrorKind::Binary) for input that is not
    /// text (a NUL character, in any encoding, or many control bytes), and
    /// [`ErrorKind::Encoding`](crate::ErrorKind::Encoding) for bytes that are not valid in the encoding
    /// found (unless the cleaner is lossy).
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, ErrorKind};
    ///
    /// let cleaner = Cleaner::new();
    /// let out = cleaner.clean_bytes(b"<meta charset=gbk><p>\xd6\xd0\xce\xc4</p>")?;
    /// assert_eq!(out.html(), "<p>中文</p>\n");
    /// assert_eq!(cleaner.clean_bytes(b" \n")?.html(), "");
    /// assert_eq!(cleaner.clean_bytes(b"\x00\x01").unwrap_err().kind(), ErrorKind::Binary);
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn clean_bytes(&self, bytes: &[u8]) -> Result<Cleaned, Error> {
        self.clean_bytes_at(bytes, self.page_url.as_ref())
    }

    /// Decodes bytes and cleans them as coming from `url`: what
    /// [`clean_bytes`](Cleaner::clean_bytes) is to [`clean`](Cleaner::clean),
    /// this is to [`clean_with_url`](Cleaner::clean_with_url).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `url` is not an
    /// absolute URL (checked first), then the errors of
    /// [`clean_bytes`](Cleaner::clean_bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::new();
    /// let out = cleaner.clean_bytes_with_url(b"<p><img src=\"a.png\"></p>", "https://x.com/news/")?;
    /// assert_eq!(
    ///     out.html(),
    ///     "<p><img src=\"https://x.com/news/a.png\" referrerpolicy=\"no-referrer\"></p>\n"
    /// );
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn clean_bytes_with_url(&self, bytes: &[u8], url: &str) -> Result<Cleaned, Error> {
        let url = builder::parse_url("page", url)?;
        self.clean_bytes_at(bytes, Some(&url))
    }

    /// Decodes `bytes` and cleans them, whose page URL is `page` when known.
    fn clean_bytes_at(&self, bytes: &[u8], page: Option<&Url>) -> Result<Cleaned, Error> {
        let decoded = decode::decode(bytes, self.encoding, self.lossy)?;
        // NOTE: the decoder refuses NUL bytes in input it reads without a
        // byte order mark or a forced encoding; this refuses them in the
        // others. Then no output of `clean_bytes` holds a NUL (HTML drops
        // it, and a post is kept byte for byte), which the `clean` binary
        // relies on to part documents written into one stream.
        if let Some(at) = decoded.text.find('\0') {
            return Err(Error::new(
                ErrorKind::Binary,
                format!("binary input (a NUL character at byte {at} of the decoded text), not HTML or Markdown"),
            ));
        }
        Ok(self.clean_at(&decoded.text, page))
    }

    /// Parses and runs the rules. The page's URL is `at.page` (given to
    /// `clean_with_url` or the builder), else the document's canonical link;
    /// relative URLs resolve against the builder's base URL, else the
    /// document's `<base>`, else `at.base` (a post's `from:`), else the
    /// page's URL.
    fn parse_and_run(&self, html: &str, kind: Kind, at: At<'_>, report: &mut Report) -> Dom {
        self.read_parse_and_run(html, kind, at, report).0
    }

    /// As [`Cleaner::parse_and_run`], and reads the document's metadata
    /// first when the cleaner was asked for it (the rules drop the scripts
    /// and tags it is read from).
    fn read_parse_and_run(
        &self,
        html: &str,
        kind: Kind,
        at: At<'_>,
        report: &mut Report,
    ) -> (Dom, Option<Metadata>) {
        let mut dom = match kind {
            Kind::Document => Dom::parse_document(html),
            _ => Dom::parse_fragment(html),
        };
        let page_url = at.page.cloned().or_else(|| page::document_url(&dom));
        let base_url = self
            .base_url
            .clone()
            .or_else(|| page::document_base(&dom, page_url.as_ref()))
            .or_else(|| at.base.cloned())
            .or_else(|| page_url.clone());
        #[cfg(feature = "filter-lists")]
        let page_lists = self
            .lists
            .as_ref()
            .map(|l| crate::lists::Page::new(l, page_url.as_ref()));
        #[cfg(feature = "filter-lists")]
        let lists = page_lists
            .as_ref()
            .map(|l| l as &dyn crate::rules::matching::Lists);
        #[cfg(not(feature = "filter-lists"))]
        let lists = None;
        let ctx = Context {
            lists,
            base_url: base_url.as_ref(),
            page_url: page_url.as_ref(),
        };
        let metadata = self
            .metadata
            .then(|| metadata::read(&dom, at.page, base_url.as_ref()));
        passes::run(&self.engine, &mut dom, &ctx, report);
        // Fragments and posts are articles already: only whole documents
        // are extracted from.
        if let (Some(settings), Kind::Document) = (&self.extract, kind) {
            extract::run(&mut dom, settings, report);
        }
        (dom, metadata)
    }

    /// The sanitized HTML of a cleaned tree.
    ///
    /// NOTE: the text and Markdown are rendered from the tree this HTML
    /// parses to, not from the cleaned tree: the sanitizer renames, unwraps
    /// and drops elements, and a renamed element can parse differently
    /// (`<li>a<nav><li>b` nests the second item, `<li>a<div><li>b` does
    /// not), so only the tree a browser builds from the output says what
    /// the output shows. The text of the HTML output is then the text
    /// output, by construction, for one more parse of the (smaller) output.
    ///
    /// A document's HTML ends with one line break, like any text file, so
    /// that documents written one after another do not run together. The
    /// break is a text node of the tree ammonia is given, after whatever
    /// whitespace ended the document (which a browser does not show): its
    /// output is returned as is, and cleaning it again gives it back.
    ///
    /// The tree is dropped once serialized, and so is each tree after it,
    /// so that no two live at once.
    fn sanitize(&self, dom: Dom) -> String {
        // The whitespace between blocks is tidied on the tree the sanitizer
        // will parse (see `Dom::serialize_children_tidy`): source
        // indentation and what removals leave between blocks would
        // otherwise be blank lines. A tree cleaned down to whitespace is an
        // empty document, as that whitespace read again would be: cleaning
        // the output again gives it back.
        let SanitizerInput { mut html, cuts } = dom.into_sanitizer_html(PIECE);
        if html.is_empty() {
            return html;
        }
        html.push('\n');
        self.sanitizer.clean_pieces(&html, &cuts)
    }

    /// The sanitized HTML of a piece of a document (a Markdown post's HTML
    /// block or inline tag), which the piece's own whitespace ends.
    fn sanitize_piece(&self, dom: &Dom) -> String {
        let html = dom.serialize_children(dom.content());
        if is_blank(&html) {
            return String::new();
        }
        self.sanitizer.clean(&html)
    }

    /// The sanitized HTML of a cleaned tree, settled (see [`Cleaner::settle`])
    /// when the veto stopped something.
    fn sanitize_settled(&self, dom: Dom, at: At<'_>, report: &mut Report) -> String {
        let html = self.sanitize(dom);
        if report.changes().iter().any(|c| c.vetoed) {
            self.settle(html, at, report)
        } else {
            html
        }
    }

    /// Cleans `html`, this cleaner's output, again until cleaning changes
    /// nothing.
    ///
    /// NOTE: the content veto compares each removal with what would remain,
    /// so what it vetoed stays vetoed when the output is cleaned again. But
    /// the veto judges the tree before the sanitizer, and a vetoed match
    /// may be an element the sanitizer unwraps (an unknown `<giv>` around
    /// two calls to action and a paragraph): read again without it, the
    /// rule's smaller matches may pass. Only documents where the veto
    /// stopped something are cleaned again (none of the 16 sample pages of
    /// the shared evaluation); each round's removals join the report. There
    /// is no cap on rounds: a round that changes the output removes
    /// something, so the output shrinks, and a round whose output is not
    /// shorter ends the loop.
    fn settle(&self, mut html: String, at: At<'_>, report: &mut Report) -> String {
        loop {
            let mut again = Report::default();
            let dom = self.parse_and_run(&html, Kind::Fragment, at, &mut again);
            let next = self.sanitize(dom);
            if next.len() >= html.len() {
                return html;
            }
            report.append_later_round(again);
            html = next;
        }
    }

    /// Cleans an HTML fragment of a Markdown post to HTML.
    fn clean_fragment(&self, html: &str, at: At<'_>, report: &mut Report) -> String {
        let dom = self.parse_and_run(html, Kind::Fragment, at, report);
        self.sanitize_piece(&dom)
    }
}

/// The least size of a piece of the sanitizer's input sanitized by itself
/// (see [`SanitizerInput`]): a large page's pieces are sanitized one at a
/// time, in a fraction of the memory. Debug builds cut at every top-level
/// node, and check that the output is the whole's.
const PIECE: usize = if cfg!(debug_assertions) { 0 } else { 64 * 1024 };

/// Whether `s` is only (ASCII, HTML's) whitespace: an empty document.
fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaner_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Cleaner>();
        assert_send_sync::<Cleaned>();
    }
}
