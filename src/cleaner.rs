//! The pipeline, in order: decode, detect the input kind, parse, run the rule
//! passes, then serialize and sanitize (HTML) and/or render (text). This is
//! the only module that calls every stage.

use url::Url;

use crate::decode;
use crate::dom::Dom;
use crate::error::{Error, ErrorKind};
use crate::input::{self, Edit, Kind, LinkEdit};
use crate::markdown;
use crate::page;
use crate::passes::{self, Context, Engine};
use crate::report::Report;
use crate::rules::Rules;
use crate::sanitize::{self, Policy, Sanitizer};
use crate::text::{self, TextImages, TextLinks};

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
/// assert_eq!(out.html(), Some("# Title\n\n"));
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

/// The result of cleaning one document.
///
/// # Examples
///
/// ```
/// let cleaner = articlean::Cleaner::builder().text(true).build()?;
/// let out = cleaner.clean("<p>Hello <b>world</b></p>");
/// assert_eq!(out.html(), Some("<p>Hello <b>world</b></p>"));
/// assert_eq!(out.text(), Some("Hello world\n"));
/// assert!(out.report().changes().is_empty());
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    html: Option<String>,
    text: Option<String>,
    markdown: Option<String>,
    report: Report,
}

impl Cleaned {
    /// The clean HTML (for a Markdown post: the post, with its HTML blocks
    /// cleaned), unless the cleaner was built with `html(false)`.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p onclick=\"x()\">hi</p>");
    /// assert_eq!(out.html(), Some("<p>hi</p>"));
    /// ```
    pub fn html(&self) -> Option<&str> {
        self.html.as_deref()
    }

    /// The plain text, when the cleaner was built with `text(true)`.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>hi</p>");
    /// assert_eq!(out.text(), None);
    /// ```
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The Markdown (CommonMark, with GitHub's tables and strikethrough),
    /// when the cleaner was built with `markdown(true)`. For a Markdown post,
    /// its front matter as written, then its body as clean Markdown.
    ///
    /// It has the words of the plain text, in the same order, and no raw
    /// HTML; only `http`, `https`, `mailto` and relative URLs are links or
    /// images.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).build()?;
    /// let out = cleaner.clean(r#"<h1>Title</h1><p>Some <b>bold</b> <a href="javascript:x()">text</a>.</p>"#);
    /// assert_eq!(out.markdown(), Some("# Title\n\nSome **bold** text.\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn markdown(&self) -> Option<&str> {
        self.markdown.as_deref()
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

    /// Takes the HTML out, leaving `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut out = articlean::Cleaner::new().clean("<p>hi</p>");
    /// assert_eq!(out.take_html().as_deref(), Some("<p>hi</p>"));
    /// ```
    pub fn take_html(&mut self) -> Option<String> {
        self.html.take()
    }

    /// Takes the text out, leaving `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).html(false).build()?;
    /// assert_eq!(cleaner.clean("<p>hi</p>").take_text().as_deref(), Some("hi\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn take_text(&mut self) -> Option<String> {
        self.text.take()
    }

    /// Takes the Markdown out, leaving `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).html(false).build()?;
    /// assert_eq!(cleaner.clean("<p>a_b*c</p>").take_markdown().as_deref(), Some("a_b\\*c\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn take_markdown(&mut self) -> Option<String> {
        self.markdown.take()
    }
}

/// Configures a [`Cleaner`]; every setting is checked in [`build`](Self::build).
///
/// # Examples
///
/// ```
/// use articlean::{Cleaner, Rules};
///
/// let site = Rules::from_toml(r#"
/// [[rule]]
/// id = "site.bio"
/// description = "The author box under each story"
/// select = "div.author-bio"
/// action = "remove"
/// "#)?;
/// let cleaner = Cleaner::builder()
///     .add_rules(site)
///     .disable("social")
///     .referrer_policy("same-origin")
///     .base_url("https://example.com/news/")
///     .build()?;
/// let out = cleaner.clean(r#"<p>Story <img src="a.jpg"></p><div class="author-bio">Bio</div>"#);
/// assert_eq!(
///     out.html(),
///     Some(r#"<p>Story <img src="https://example.com/news/a.jpg" referrerpolicy="same-origin"></p>"#)
/// );
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CleanerBuilder {
    rules: Rules,
    enabled: Vec<String>,
    disabled: Vec<String>,
    referrer_policy: Option<String>,
    link_rel: Option<String>,
    keep_comments: bool,
    base_url: Option<String>,
    page_url: Option<String>,
    input: InputKind,
    html: bool,
    text: bool,
    markdown: bool,
    text_options: text::Options,
    encoding: Option<String>,
    lossy: bool,
}

impl Default for CleanerBuilder {
    fn default() -> Self {
        CleanerBuilder {
            rules: Rules::builtin(),
            enabled: Vec::new(),
            disabled: Vec::new(),
            referrer_policy: None,
            link_rel: None,
            keep_comments: false,
            base_url: None,
            page_url: None,
            input: InputKind::Auto,
            html: true,
            text: false,
            markdown: false,
            text_options: text::Options::default(),
            encoding: None,
            lossy: false,
        }
    }
}

impl CleanerBuilder {
    /// Replaces the rules (the built-in set included) with `rules`.
    ///
    /// # Default
    ///
    /// [`Rules::builtin`].
    ///
    /// # Examples
    ///
    /// ```
    /// // No rules at all: only the sanitizer runs.
    /// let cleaner = articlean::Cleaner::builder().rules(articlean::Rules::default()).build()?;
    /// let out = cleaner.clean("<div id=\"div-gpt-ad-1\">ad</div>");
    /// assert_eq!(out.html(), Some("<div>ad</div>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    /// Adds `rules` after the current ones; a rule with the id of an existing
    /// rule replaces it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mine = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"site.promo\"\ndescription = \"x\"\nselect = \".promo\"\naction = \"remove\"\n",
    /// )?;
    /// let cleaner = articlean::Cleaner::builder().add_rules(mine).build()?;
    /// assert_eq!(cleaner.clean("<p>a</p><p class=promo>b</p>").html(), Some("<p>a</p>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn add_rules(mut self, rules: Rules) -> Self {
        self.rules.extend(rules);
        self
    }

    /// Enables the rules whose id is `prefix` or starts with `prefix.`,
    /// including those a rule file ships turned off (`enabled = false`).
    ///
    /// # Examples
    ///
    /// ```
    /// let opt_in = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"site.nav\"\ndescription = \"x\"\nselect = \"nav\"\naction = \"remove\"\nenabled = false\n",
    /// )?;
    /// let off = articlean::Cleaner::builder().add_rules(opt_in.clone()).build()?;
    /// assert_eq!(off.clean("<nav>menu</nav><p>a</p>").html(), Some("<div>menu</div><p>a</p>"));
    /// let on = articlean::Cleaner::builder().add_rules(opt_in).enable("site").build()?;
    /// assert_eq!(on.clean("<nav>menu</nav><p>a</p>").html(), Some("<p>a</p>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn enable(mut self, prefix: impl Into<String>) -> Self {
        self.enabled.push(prefix.into());
        self
    }

    /// Disables the rules whose id is `prefix` or starts with `prefix.`
    /// (`"social"` disables `social.share` and `social.follow`).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().disable("comments").build()?;
    /// assert_eq!(cleaner.clean("<p>a</p><!--b-->").html(), Some("<p>a</p><!--b-->"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn disable(mut self, prefix: impl Into<String>) -> Self {
        self.disabled.push(prefix.into());
        self
    }

    /// The `referrerpolicy` every image gets; `""` for none.
    ///
    /// # Default
    ///
    /// `"no-referrer"`, or what the rules' `[settings]` say.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().referrer_policy("").build()?;
    /// assert_eq!(cleaner.clean("<img src=\"/a.png\">").html(), Some("<img src=\"/a.png\">"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn referrer_policy(mut self, policy: impl Into<String>) -> Self {
        self.referrer_policy = Some(policy.into());
        self
    }

    /// The `rel` every link gets; `""` for none.
    ///
    /// # Default
    ///
    /// `"noopener noreferrer"`, or what the rules' `[settings]` say.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().link_rel("nofollow noopener").build()?;
    /// assert_eq!(
    ///     cleaner.clean("<a href=\"/x\">x</a>").html(),
    ///     Some("<a href=\"/x\" rel=\"nofollow noopener\">x</a>")
    /// );
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn link_rel(mut self, rel: impl Into<String>) -> Self {
        self.link_rel = Some(rel.into());
        self
    }

    /// Keeps HTML comments (disables the `comments` rules).
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().keep_comments(true).build()?;
    /// assert_eq!(cleaner.clean("<p>a<!-- b --></p>").html(), Some("<p>a<!-- b --></p>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn keep_comments(mut self, keep: bool) -> Self {
        self.keep_comments = keep;
        self
    }

    /// Resolves relative `href` and `src` against this URL.
    ///
    /// # Default
    ///
    /// None: relative URLs stay relative.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().base_url("https://example.com/a/b").build()?;
    /// assert_eq!(
    ///     cleaner.clean("<a href=\"c\">c</a>").html(),
    ///     Some("<a href=\"https://example.com/a/c\" rel=\"noopener noreferrer\">c</a>")
    /// );
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The URL of the page being cleaned: links back to it are unwrapped
    /// (`links.same-page`), and relative URLs resolve against it when no
    /// base URL is given.
    ///
    /// # Default
    ///
    /// None: a document's canonical link (or `og:url`), or a post's `from:`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().url("https://example.com/news/1").build()?;
    /// assert_eq!(
    ///     cleaner.clean(r#"<p>See <a href="/news/1">this story</a> and <a href="2">the next</a>.</p>"#).html(),
    ///     Some(r#"<p>See this story and <a href="https://example.com/news/2" rel="noopener noreferrer">the next</a>.</p>"#)
    /// );
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.page_url = Some(url.into());
        self
    }

    /// What the input is.
    ///
    /// # Default
    ///
    /// [`InputKind::Auto`].
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, InputKind};
    ///
    /// let cleaner = Cleaner::builder().input(InputKind::Html).build()?;
    /// // Front matter is just text in an HTML fragment.
    /// assert!(cleaner.clean("---\na: 1\n---\n<p>x</p>").html().unwrap().contains("a: 1"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn input(mut self, kind: InputKind) -> Self {
        self.input = kind;
        self
    }

    /// Whether to produce HTML.
    ///
    /// # Default
    ///
    /// `true`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().html(false).text(true).build()?;
    /// assert_eq!(cleaner.clean("<p>x</p>").html(), None);
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn html(mut self, html: bool) -> Self {
        self.html = html;
        self
    }

    /// Whether to produce plain text.
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).build()?;
    /// assert_eq!(cleaner.clean("<h1>T</h1><p>x</p>").text(), Some("T\n\nx\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text(mut self, text: bool) -> Self {
        self.text = text;
        self
    }

    /// Whether to produce Markdown (see [`Cleaned::markdown`]).
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).build()?;
    /// assert_eq!(cleaner.clean("<ul><li>one</li><li>two</li></ul>").markdown(), Some("- one\n- two\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn markdown(mut self, markdown: bool) -> Self {
        self.markdown = markdown;
        self
    }

    /// Wraps the lines of the plain text to this many columns of display
    /// width (CJK characters take two); `0` does not wrap. Lines break at
    /// spaces, and between CJK characters but not before closing punctuation;
    /// list items hang; `<pre>` text and table rows are not wrapped; a word
    /// longer than a line is not broken.
    ///
    /// # Default
    ///
    /// `0`: one line per paragraph.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().text(true).text_width(10).build()?;
    /// assert_eq!(cleaner.clean("<p>one two three four</p>").text(), Some("one two\nthree four\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text_width(mut self, columns: usize) -> Self {
        self.text_options.width = columns;
        self
    }

    /// How links appear in the plain text.
    ///
    /// # Default
    ///
    /// [`TextLinks::Text`]: their text only.
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, TextLinks};
    ///
    /// let cleaner = Cleaner::builder().text(true).text_links(TextLinks::Footnotes).build()?;
    /// let out = cleaner.clean(r#"<p><a href="/a">A</a> and <a href="/a">again</a></p>"#);
    /// assert_eq!(out.text(), Some("A[1] and again[1]\n\n[1] /a\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text_links(mut self, links: TextLinks) -> Self {
        self.text_options.links = links;
        self
    }

    /// How images appear in the plain text.
    ///
    /// # Default
    ///
    /// [`TextImages::None`]: not at all.
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, TextImages};
    ///
    /// let cleaner = Cleaner::builder().text(true).text_images(TextImages::Alt).build()?;
    /// assert_eq!(cleaner.clean(r#"<p><img src="a.png" alt="A chart"></p>"#).text(), Some("[A chart]\n"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text_images(mut self, images: TextImages) -> Self {
        self.text_options.images = images;
        self
    }

    /// Decodes bytes given to [`Cleaner::clean_bytes`] with this encoding
    /// (a WHATWG label such as `"gbk"` or `"shift_jis"`), whatever they
    /// declare.
    ///
    /// # Default
    ///
    /// None: a byte order mark, then a declared charset, then UTF-8 if valid,
    /// then detection.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().encoding("windows-1252").build()?;
    /// let out = cleaner.clean_bytes(b"<p>caf\xe9</p>")?;
    /// assert_eq!(out.html(), Some("<p>café</p>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn encoding(mut self, label: impl Into<String>) -> Self {
        self.encoding = Some(label.into());
        self
    }

    /// Replaces malformed bytes with U+FFFD instead of failing.
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().lossy(true).build()?;
    /// let out = cleaner.clean_bytes(b"<meta charset=utf-8><p>\xc3\xa9a\xffb</p>")?;
    /// assert_eq!(out.html(), Some("<p>éa\u{fffd}b</p>"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    /// Checks every setting and builds the cleaner.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] for an unknown referrer policy, link type,
    /// encoding label, or a base URL that does not parse.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = articlean::Cleaner::builder().base_url("not a url").build().unwrap_err();
    /// assert_eq!(err.kind(), articlean::ErrorKind::Config);
    /// ```
    pub fn build(self) -> Result<Cleaner, Error> {
        let config = |m: String| Error::new(ErrorKind::Config, m);
        let mut rules = self.rules;
        if self.keep_comments {
            rules.retain(|r| r.action() != crate::rules::Action::RemoveComments);
        }
        // Active: on by default or enabled by name, and not disabled.
        rules.retain(|r| {
            (r.is_enabled() || self.enabled.iter().any(|p| r.in_group(p)))
                && !self.disabled.iter().any(|p| r.in_group(p))
        });
        let policy_value = |given: &Option<String>, from_rules: &Option<String>| {
            given.clone().or_else(|| from_rules.clone())
        };
        let defaults = Policy::default();
        let referrer = match policy_value(&self.referrer_policy, &rules.settings.referrer_policy) {
            Some(v) => sanitize::referrer_policy(&v).map_err(config)?,
            None => defaults.referrer_policy,
        };
        let rel = match policy_value(&self.link_rel, &rules.settings.link_rel) {
            Some(v) => sanitize::link_rel(&v).map_err(config)?,
            None => defaults.link_rel,
        };
        let base_url = match &self.base_url {
            None => None,
            Some(u) => Some(Url::parse(u).map_err(|e| {
                Error::new(ErrorKind::Config, format!("invalid base URL \"{u}\": {e}"))
                    .with_source(e)
            })?),
        };
        let page_url = match &self.page_url {
            None => None,
            Some(u) => Some(Url::parse(u).map_err(|e| {
                Error::new(ErrorKind::Config, format!("invalid page URL \"{u}\": {e}"))
                    .with_source(e)
            })?),
        };
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(
                decode::encoding_for_label(label)
                    .ok_or_else(|| config(format!("unknown encoding \"{label}\"")))?,
            ),
        };
        let engine = Engine::new(rules);
        let policy = Policy {
            referrer_policy: referrer,
            link_rel: rel,
            keep_comments: !engine.removes_comments(),
        };
        Ok(Cleaner {
            sanitizer: Sanitizer::new(&policy),
            engine,
            base_url,
            page_url,
            input: self.input,
            html: self.html,
            text: self.text,
            markdown: self.markdown,
            text_options: self.text_options,
            encoding,
            lossy: self.lossy,
        })
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
///     Some("<p>Read <a href=\"https://a.com/s?id=7\" rel=\"noopener noreferrer\">this</a>.</p>\n")
/// );
/// assert_eq!(out.text(), Some("Read this.\n"));
/// # Ok::<(), articlean::Error>(())
/// ```
pub struct Cleaner {
    engine: Engine,
    sanitizer: Sanitizer,
    base_url: Option<Url>,
    page_url: Option<Url>,
    input: InputKind,
    html: bool,
    text: bool,
    markdown: bool,
    text_options: text::Options,
    encoding: Option<&'static encoding_rs::Encoding>,
    lossy: bool,
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
    /// assert_eq!(cleaner.clean("<p>x<script>y</script></p>").html(), Some("<p>x</p>"));
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

    /// Cleans text. Never fails and never panics.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>a</p><div class=\"adsbygoogle\"></div>");
    /// assert_eq!(out.html(), Some("<p>a</p>"));
    /// ```
    pub fn clean(&self, input: &str) -> Cleaned {
        self.clean_at(input, self.page_url.as_ref())
    }

    /// Cleans text that comes from `url`: links back to that page are
    /// unwrapped and relative URLs resolve against it (unless the builder
    /// has a base URL). A `url` that is not an absolute http(s) URL is
    /// ignored. Never fails and never panics.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::new();
    /// let out = cleaner.clean_with_url(r#"<p><a href="/b">next</a> <a href="/a">this</a></p>"#, "https://x.com/a");
    /// assert_eq!(
    ///     out.html(),
    ///     Some(r#"<p><a href="https://x.com/b" rel="noopener noreferrer">next</a> this</p>"#)
    /// );
    /// ```
    pub fn clean_with_url(&self, input: &str, url: &str) -> Cleaned {
        match Url::parse(url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => self.clean_at(input, Some(&u)),
            _ => self.clean(input),
        }
    }

    /// Cleans `input`, whose page URL is `page` when known.
    fn clean_at(&self, input: &str, page: Option<&Url>) -> Cleaned {
        let kind = match self.input {
            InputKind::Auto => input::detect(input),
            InputKind::Html if input::is_document(input) => Kind::Document,
            InputKind::Html => Kind::Fragment,
            InputKind::Markdown => Kind::Markdown,
        };
        let mut report = Report::default();
        let (html, text, markdown) = match kind {
            Kind::Markdown => {
                let start = input::front_matter_end(input).unwrap_or(0);
                // A post's `from:` is where the article came from, not where
                // the post lives: a base for relative URLs, not the page whose
                // links to itself are unwrapped (the title links to the source).
                let from = page::front_matter_url(&input[..start]);
                let at = At {
                    page,
                    base: from.as_ref(),
                };
                let html = self
                    .html
                    .then(|| self.clean_markdown(input, start, at, &mut report));
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
                let dom = self.parse_and_run(input, kind, At { page, base: None }, &mut report);
                (
                    self.html
                        .then(|| self.sanitizer.clean(&dom.serialize_children(dom.content()))),
                    self.text.then(|| text::render(&dom, self.text_options)),
                    self.markdown.then(|| markdown::render(&dom)),
                )
            }
        };
        Cleaned {
            html,
            text,
            markdown,
            report,
        }
    }

    /// Decodes bytes (see [`CleanerBuilder::encoding`]) and cleans them.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Empty`] for empty or whitespace-only input,
    /// [`ErrorKind::Binary`] for input that is not text, and
    /// [`ErrorKind::Encoding`] for bytes that are not valid in the encoding
    /// found (unless the cleaner is lossy).
    ///
    /// # Examples
    ///
    /// ```
    /// use articlean::{Cleaner, ErrorKind};
    ///
    /// let cleaner = Cleaner::new();
    /// let out = cleaner.clean_bytes(b"<meta charset=gbk><p>\xd6\xd0\xce\xc4</p>")?;
    /// assert_eq!(out.html(), Some("<p>中文</p>"));
    /// assert_eq!(cleaner.clean_bytes(b" \n").unwrap_err().kind(), ErrorKind::Empty);
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn clean_bytes(&self, bytes: &[u8]) -> Result<Cleaned, Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::new(ErrorKind::Empty, "empty input"));
        }
        let decoded = decode::decode(bytes, self.encoding, self.lossy)?;
        if decoded.text.trim().is_empty() {
            return Err(Error::new(ErrorKind::Empty, "empty input"));
        }
        Ok(self.clean(&decoded.text))
    }

    /// Parses and runs the rules. The page's URL is `at.page` (given to
    /// `clean_with_url` or the builder), else the document's canonical link;
    /// relative URLs resolve against the builder's base URL, else the
    /// document's `<base>`, else `at.base` (a post's `from:`), else the
    /// page's URL.
    fn parse_and_run(&self, html: &str, kind: Kind, at: At<'_>, report: &mut Report) -> Dom {
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
        let ctx = Context {
            base_url: base_url.as_ref(),
            page_url: page_url.as_ref(),
        };
        passes::run(&self.engine, &mut dom, &ctx, report);
        dom
    }

    /// Cleans an HTML fragment of a Markdown post to HTML.
    fn clean_fragment(&self, html: &str, at: At<'_>, report: &mut Report) -> String {
        let dom = self.parse_and_run(html, Kind::Fragment, at, report);
        self.sanitizer.clean(&dom.serialize_children(dom.content()))
    }

    /// A Markdown post, its front matter and Markdown kept byte for byte but
    /// for four edits: each raw HTML block is cleaned in place, inline HTML
    /// tags are cleaned with the Markdown around them left as written,
    /// tracking parameters leave the destinations of links and images, and
    /// links to URLs the sanitizer refuses (`javascript:`) lead to `#`.
    ///
    /// NOTE: whoever renders the post reads the cleaned HTML as Markdown
    /// again, and it need not read as the source did. A block element
    /// ammonia drops (`<foo-bar>` alone on its line) leaves its text as a
    /// paragraph, whose links come alive; a tag ammonia drops from the start
    /// of a paragraph's line (`<x-ad></x-ad><div>`) leaves one that starts
    /// an HTML block, which swallows the lines after it as raw HTML (a
    /// fenced code block's `<script>` included); an end tag ammonia adds can
    /// land at the start of a line and do the same. So the post is cleaned
    /// again until cleaning changes nothing: then every piece of HTML the
    /// renderer will see, as CommonMark reads it, is ammonia's output, and
    /// every link it will see is checked. One more round, which changes
    /// nothing, is the usual cost. Should rounds not settle, the post's body
    /// is rendered and cleaned as HTML, and written as one HTML block.
    fn clean_markdown(&self, text: &str, start: usize, at: At<'_>, report: &mut Report) -> String {
        const ROUNDS: usize = 4;
        let mut out = self.clean_markdown_once(text, start, at, report);
        for _ in 0..ROUNDS {
            // What the rules did is in the first round's report.
            let start = input::front_matter_end(&out).unwrap_or(0);
            let again = self.clean_markdown_once(&out, start, at, &mut Report::default());
            if again == out {
                return out;
            }
            out = again;
        }
        let html = self.clean_fragment(&input::markdown_to_html(&text[start..]), at, report);
        // An empty `<div></div>` line starts the HTML block without adding a
        // level of nesting (which the depth cap could take back next time).
        let block = format!("<div></div>\n{}\n", html.trim());
        format!("{}{}", &text[..start], one_block(&block))
    }

    /// One round of [`clean_markdown`](Self::clean_markdown).
    fn clean_markdown_once(
        &self,
        text: &str,
        start: usize,
        at: At<'_>,
        report: &mut Report,
    ) -> String {
        let body = &text[start..];
        let mut out = String::with_capacity(text.len());
        out.push_str(&text[..start]);
        let mut last = 0;
        for edit in input::scan(body) {
            // NOTE: `scan` gives edits in order, without overlaps; were one
            // to overlap, it is skipped rather than sliced out of bounds.
            if edit.range().start < last {
                continue;
            }
            let line = matches!(edit, Edit::Line(_));
            match edit {
                Edit::Link(link) => {
                    let range = link.range().clone();
                    out.push_str(&body[last..range.start]);
                    out.push_str(&self.edit_link(body, &link, report));
                    last = range.end;
                }
                Edit::Block(range) | Edit::Line(range) => {
                    out.push_str(&body[last..range.start]);
                    let src = &body[range.clone()];
                    let cleaned = self.clean_fragment(src, at, report);
                    let cleaned = if line {
                        one_line(&cleaned)
                    } else {
                        one_block(&cleaned)
                    };
                    let cleaned = cleaned.trim_end();
                    last = range.end;
                    if cleaned.is_empty() {
                        // The block is gone; so is one of the blank lines around it.
                        if out.ends_with("\n\n") && body[last..].starts_with('\n') {
                            last += 1;
                        }
                        continue;
                    }
                    out.push_str(cleaned);
                    if src.ends_with('\n') {
                        out.push('\n');
                    }
                }
                Edit::Inline { leaf, tags, links } => {
                    out.push_str(&body[last..leaf.start]);
                    out.push_str(&self.clean_inline(body, leaf.clone(), &tags, &links, at, report));
                    last = leaf.end;
                }
            }
        }
        out.push_str(&body[last..]);
        out
    }

    /// The new text of a link edit's bytes.
    fn edit_link<'b>(
        &self,
        body: &'b str,
        link: &'b LinkEdit,
        report: &mut Report,
    ) -> std::borrow::Cow<'b, str> {
        match link {
            LinkEdit::Strip(range) => {
                passes::strip_markdown_url(&self.engine, &body[range.clone()], report)
            }
            LinkEdit::Neutralize(_, text) => std::borrow::Cow::Borrowed(text),
        }
    }

    /// Cleans a Markdown leaf block with inline HTML tags in it.
    ///
    /// The Markdown between the tags must come back as written, not escaped
    /// into entities, yet an ad's text must go with the ad. So each stretch
    /// of Markdown becomes one placeholder character (from Unicode's private
    /// use plane 15) in an HTML fragment made of the tags; the fragment is
    /// cleaned like any other, and the placeholders that survive, always in
    /// text and never in attributes, are replaced by their Markdown.
    fn clean_inline(
        &self,
        body: &str,
        leaf: std::ops::Range<usize>,
        tags: &[std::ops::Range<usize>],
        links: &[LinkEdit],
        at: At<'_>,
        report: &mut Report,
    ) -> String {
        const FIRST: u32 = 0xF0000;
        const LAST: u32 = 0xFFFFD;
        let is_placeholder = |c: char| (FIRST..=LAST).contains(&(c as u32));
        // The leaf's trailing line break stays after it: ammonia would put
        // the end tags it adds after the break, at the start of a line.
        let tail = body[leaf.clone()]
            .trim_end_matches(['\n', '\r', ' ', '\t'])
            .len();
        if tail < leaf.len() {
            let (end, full_end) = (leaf.start + tail, leaf.end);
            let tags: Vec<_> = tags.iter().filter(|t| t.end <= end).cloned().collect();
            let mut cleaned = self.clean_inline(body, leaf.start..end, &tags, links, at, report);
            cleaned.push_str(&body[end..full_end]);
            return cleaned;
        }
        let src = &body[leaf.clone()];
        let crosses_a_tag = links.iter().any(|l| {
            let r = l.range();
            tags.iter().any(|t| r.start < t.end && t.start < r.end)
        });
        if src.chars().any(is_placeholder) || tags.len() as u32 >= LAST - FIRST || crosses_a_tag {
            // NOTE: a page could forge placeholders; then the leaf is cleaned
            // as plain HTML, which escapes its Markdown but stays safe. Its
            // links are edited first: ammonia leaves `[a](javascript:…)`
            // alone, as text.
            let mut edited = String::with_capacity(src.len());
            let mut pos = leaf.start;
            for link in links {
                let r = link.range();
                if r.start < pos || r.end > leaf.end {
                    continue;
                }
                edited.push_str(&body[pos..r.start]);
                edited.push_str(&self.edit_link(body, link, report));
                pos = r.end;
            }
            edited.push_str(&body[pos..leaf.end]);
            return self.clean_fragment(&edited, at, report);
        }
        let mut html = String::with_capacity(src.len());
        let mut stretches: Vec<String> = Vec::new();
        let mut stretch = |html: &mut String, from: usize, to: usize, report: &mut Report| {
            let mut md = String::new();
            let mut pos = from;
            for link in links.iter() {
                let u = link.range();
                if u.start < pos.max(from) || u.end > to {
                    continue;
                }
                md.push_str(&body[pos..u.start]);
                md.push_str(&self.edit_link(body, link, report));
                pos = u.end;
            }
            md.push_str(&body[pos..to]);
            let c = char::from_u32(FIRST + stretches.len() as u32)
                .expect("plane 15 private use code points are chars");
            html.push(c);
            stretches.push(md);
        };
        let mut pos = leaf.start;
        for t in tags {
            if t.start > pos {
                stretch(&mut html, pos, t.start, report);
            }
            html.push_str(&body[t.clone()]);
            pos = t.end;
        }
        if pos < leaf.end {
            stretch(&mut html, pos, leaf.end, report);
        }
        let cleaned = self.clean_fragment(&html, at, report);
        let cleaned = one_block(&cleaned);
        let mut out = String::with_capacity(cleaned.len() + src.len());
        for c in cleaned.chars() {
            if is_placeholder(c) {
                out.push_str(&stretches[(c as u32 - FIRST) as usize]);
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A Markdown post's body rendered to HTML by CommonMark and cleaned:
    /// what its text and Markdown are rendered from.
    fn markdown_body(&self, body: &str, at: At<'_>, report: &mut Report) -> Dom {
        let html = input::markdown_to_html(body);
        self.parse_and_run(&html, Kind::Fragment, at, report)
    }
}

/// Cleaned HTML that a Markdown renderer reads as one block again.
///
/// NOTE: an HTML block of a post (CommonMark's kinds 6 and 7, `<div>` and
/// the like) and a paragraph end at a blank line. The source had none in
/// the block, but its cleaned HTML may: ammonia drops `<input>` from between
/// two line breaks, and `&#10;&#10;` becomes two line breaks in a text or an
/// attribute value. Read again, the block would split and its second half
/// be read as Markdown. So lines holding only whitespace are removed: a
/// whitespace-only change (in a text it collapses anyway, and no character
/// that makes markup is touched). Blocks that a blank line does not end
/// (`<pre>`, `<script>`, `<style>`, `<textarea>`) are left as they are.
fn one_block(html: &str) -> std::borrow::Cow<'_, str> {
    let head = html.trim_start().as_bytes();
    let kind_1 = ["<pre", "<script", "<style", "<textarea"].iter().any(|t| {
        head.len() > t.len()
            && head[..t.len()].eq_ignore_ascii_case(t.as_bytes())
            && matches!(head[t.len()], b' ' | b'\t' | b'\n' | b'>')
    });
    if kind_1 || !html.lines().skip(1).any(|l| l.trim().is_empty()) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    for (i, line) in html.split('\n').enumerate() {
        if i > 0 && line.trim().is_empty() {
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line);
    }
    std::borrow::Cow::Owned(out)
}

/// Cleaned HTML that stays on one line of a container (a block quote, a
/// list item), whose next lines would need the container's markers: its
/// line breaks become spaces.
fn one_line(html: &str) -> std::borrow::Cow<'_, str> {
    if html.trim_end().contains('\n') {
        std::borrow::Cow::Owned(html.trim_end().replace('\n', " "))
    } else {
        std::borrow::Cow::Borrowed(html)
    }
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
