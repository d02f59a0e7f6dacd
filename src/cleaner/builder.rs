//! [`CleanerBuilder`]: every setting of a [`Cleaner`], checked once.

use url::Url;

use super::{Cleaner, InputKind};
use crate::decode;
use crate::error::{Error, ErrorKind};
use crate::passes::Engine;
use crate::policy;
use crate::render::text::{self, TextImages, TextLinks};
use crate::rules::Rules;
use crate::sanitize::{Sanitizer, Settings};

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
///     "<p>Story <img src=\"https://example.com/news/a.jpg\" referrerpolicy=\"same-origin\"></p>\n"
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
    metadata: bool,
    text_options: text::Options,
    encoding: Option<String>,
    lossy: bool,
    extract: bool,
    extract_selector: Option<String>,
    /// Filter lists as (name, text), or (path, `None`) to read in `build`.
    #[cfg(feature = "filter-lists")]
    filter_lists: Vec<(String, Option<String>)>,
    #[cfg(feature = "filter-lists")]
    filter_cache: Option<std::path::PathBuf>,
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
            metadata: false,
            text_options: text::Options::default(),
            encoding: None,
            lossy: false,
            extract: false,
            extract_selector: None,
            #[cfg(feature = "filter-lists")]
            filter_lists: Vec::new(),
            #[cfg(feature = "filter-lists")]
            filter_cache: None,
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
    /// assert_eq!(out.html(), "<div>ad</div>\n");
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
    /// assert_eq!(cleaner.clean("<p>a</p><p class=promo>b</p>").html(), "<p>a</p>\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn add_rules(mut self, rules: Rules) -> Self {
        self.rules.extend(rules);
        self
    }

    /// Enables the rules whose id is `prefix` or starts with `prefix.`,
    /// including those a rule file ships turned off (`enabled = false`).
    /// A prefix that names no rule fails [`build`](Self::build).
    ///
    /// # Examples
    ///
    /// ```
    /// let opt_in = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"site.nav\"\ndescription = \"x\"\nselect = \"nav\"\naction = \"remove\"\nenabled = false\n",
    /// )?;
    /// let off = articlean::Cleaner::builder().add_rules(opt_in.clone()).build()?;
    /// assert_eq!(off.clean("<nav>menu</nav><p>a</p>").html(), "<div>menu</div><p>a</p>\n");
    /// let on = articlean::Cleaner::builder().add_rules(opt_in).enable("site").build()?;
    /// assert_eq!(on.clean("<nav>menu</nav><p>a</p>").html(), "<p>a</p>\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn enable(mut self, prefix: impl Into<String>) -> Self {
        self.enabled.push(prefix.into());
        self
    }

    /// Disables the rules whose id is `prefix` or starts with `prefix.`
    /// (`"social"` disables `social.share` and `social.follow`). A prefix
    /// that names no rule fails [`build`](Self::build).
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().disable("comments").build()?;
    /// assert_eq!(cleaner.clean("<p>a</p><!--b-->").html(), "<p>a</p><!--b-->\n");
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
    /// assert_eq!(cleaner.clean("<img src=\"/a.png\">").html(), "<img src=\"/a.png\">\n");
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
    ///     "<a href=\"/x\" rel=\"nofollow noopener\">x</a>\n"
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
    /// assert_eq!(cleaner.clean("<p>a<!-- b --></p>").html(), "<p>a<!-- b --></p>\n");
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
    ///     "<a href=\"https://example.com/a/c\" rel=\"noopener noreferrer\">c</a>\n"
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
    ///     "<p>See this story and <a href=\"https://example.com/news/2\" rel=\"noopener noreferrer\">the next</a>.</p>\n"
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
    /// assert!(cleaner.clean("---\na: 1\n---\n<p>x</p>").html().contains("a: 1"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn input(mut self, kind: InputKind) -> Self {
        self.input = kind;
        self
    }

    /// Whether to produce HTML; a cleaner for text alone skips what only
    /// the HTML needs (for a Markdown post, cleaning it in place), and its
    /// [`Cleaned::html`](crate::Cleaned::html) panics.
    ///
    /// # Default
    ///
    /// `true`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().html(false).text(true).build()?;
    /// assert_eq!(cleaner.clean("<p>x</p>").into_text(), "x\n");
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
    /// assert_eq!(cleaner.clean("<h1>T</h1><p>x</p>").text(), "T\n\nx\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn text(mut self, text: bool) -> Self {
        self.text = text;
        self
    }

    /// Whether to produce Markdown (see [`Cleaned::markdown`](super::Cleaned::markdown)).
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().markdown(true).build()?;
    /// assert_eq!(cleaner.clean("<ul><li>one</li><li>two</li></ul>").markdown(), "- one\n- two\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn markdown(mut self, markdown: bool) -> Self {
        self.markdown = markdown;
        self
    }

    /// Whether to read the document's metadata (see
    /// [`Cleaned::metadata`](super::Cleaned::metadata)): its title, byline,
    /// date and the rest, from its JSON-LD, OpenGraph, `<meta>` tags,
    /// microdata and `<title>`, or a Markdown post's front matter.
    ///
    /// # Default
    ///
    /// `false`: reading it costs a walk over the document and a JSON parse
    /// of its JSON-LD, which a cleaner that does not need it is spared.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().metadata(true).build()?;
    /// let out = cleaner.clean("---\ntitle: Rain\ndate: 2024-05-01\n---\nIt rained.\n");
    /// assert_eq!(out.metadata().title.as_deref(), Some("Rain"));
    /// assert_eq!(out.metadata().date.as_deref(), Some("2024-05-01"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn metadata(mut self, metadata: bool) -> Self {
        self.metadata = metadata;
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
    /// assert_eq!(cleaner.clean("<p>one two three four</p>").text(), "one two\nthree four\n");
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
    /// assert_eq!(out.text(), "A[1] and again[1]\n\n[1] /a\n");
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
    /// assert_eq!(cleaner.clean(r#"<p><img src="a.png" alt="A chart"></p>"#).text(), "[A chart]\n");
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
    /// assert_eq!(out.html(), "<p>café</p>\n");
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
    /// assert_eq!(out.html(), "<p>éa\u{fffd}b</p>\n");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    /// Keeps only the main article of a whole document: its title heading,
    /// text, images, figures, tables, lists, code and quotes, without the
    /// page's menus, sidebars, related links and comments. It runs after
    /// the rules and before the sanitizer. When the evidence for the
    /// article is weak, more is kept (up to the whole cleaned page); the
    /// report says what was chosen and why (`extract.article`,
    /// `extract.fallback`, `extract.boilerplate`). Fragments and Markdown
    /// posts are articles already and are left as they are.
    ///
    /// # Default
    ///
    /// `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().extract(true).build()?;
    /// let p = "<p>Words of the story, with commas, long enough to read as running prose here.</p>";
    /// let page = format!(
    ///     "<!doctype html><title>T</title><nav><a href=/>Home</a> <a href=/n>News</a></nav>\
    ///      <h1>Story</h1><div class=story>{p}{p}{p}</div><footer>© Site</footer>"
    /// );
    /// let out = cleaner.clean(&page);
    /// assert!(out.html().starts_with("<h1>Story</h1>"));
    /// assert!(!out.html().contains("Home") && !out.html().contains("© Site"));
    /// assert!(out.report().changes().iter().any(|c| c.rule == "extract.article"));
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn extract(mut self, extract: bool) -> Self {
        self.extract = extract;
        self
    }

    /// Extracts the elements this CSS selector matches as the article
    /// (for sites whose layout you know), and turns extraction on. When it
    /// matches nothing on a page, the article is found as by
    /// [`extract`](Self::extract). A selector that does not parse fails
    /// [`build`](Self::build).
    ///
    /// # Default
    ///
    /// None: the article is found by scoring.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder().extract_selector("#story").build()?;
    /// let out = cleaner.clean("<!doctype html><p>Menu</p><div id=story><p>Text</p></div>");
    /// assert_eq!(out.html(), "<div><p>Text</p></div>\n");
    /// let err = articlean::Cleaner::builder().extract_selector("p:hover").build().unwrap_err();
    /// assert_eq!(err.kind(), articlean::ErrorKind::Config);
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn extract_selector(mut self, css: impl Into<String>) -> Self {
        self.extract_selector = Some(css.into());
        self.extract = true;
        self
    }

    /// Adds a filter list in Adblock Plus syntax (EasyList, EasyPrivacy):
    /// its element-hiding rules remove what they select (rule id
    /// `list.<name>`, the list line in the report) and its network rules
    /// remove the images, frames, scripts and media they block
    /// (`list.network`); every removal goes through the content veto.
    /// Rules that cannot be applied are skipped and counted
    /// ([`Cleaner::skipped_filter_rules`]).
    ///
    /// Element hiding follows the page's URL (given, or the document's
    /// canonical or `og:url`) for its domain rules and exceptions; without
    /// one, only generic rules apply.
    ///
    /// # Default
    ///
    /// No lists.
    ///
    /// # Examples
    ///
    /// ```
    /// let cleaner = articlean::Cleaner::builder()
    ///     .add_filter_list("mine.txt", "||pixel.example^$image\nnews.example##.promo\n")
    ///     .build()?;
    /// let html = r#"<p>Story</p><img src="https://pixel.example/p.gif"><div class="promo">Buy</div>"#;
    /// assert_eq!(cleaner.clean(html).html(), "<p>Story</p><div>Buy</div>\n");
    /// let out = cleaner.clean_with_url(html, "https://news.example/a")?;
    /// assert_eq!(out.html(), "<p>Story</p>\n");
    /// assert_eq!(out.report().changes()[1].detail, "mine.txt:2: news.example##.promo");
    /// # Ok::<(), articlean::Error>(())
    /// ```
    #[cfg(feature = "filter-lists")]
    pub fn add_filter_list(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.filter_lists.push((name.into(), Some(text.into())));
        self
    }

    /// Adds a filter list read from `path` in [`build`](Self::build),
    /// which fails naming the file when it cannot be read.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = articlean::Cleaner::builder().add_filter_list_file("no/such.txt").build().unwrap_err();
    /// assert_eq!(err.kind(), articlean::ErrorKind::Io);
    /// assert!(err.to_string().contains("no/such.txt"));
    /// ```
    #[cfg(feature = "filter-lists")]
    pub fn add_filter_list_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        let path: std::path::PathBuf = path.into();
        self.filter_lists
            .push((path.to_string_lossy().into_owned(), None));
        self
    }

    /// A file that keeps the compiled filter-list engine between processes:
    /// loaded when it was built from the same lists by the same engine
    /// version, rebuilt and rewritten otherwise.
    ///
    /// # Default
    ///
    /// None: the lists are compiled by every `build`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cache = std::env::temp_dir().join("articlean-doc-filter-cache.bin");
    /// let cleaner = articlean::Cleaner::builder()
    ///     .add_filter_list("mine.txt", "##.ad-box\n")
    ///     .filter_cache(&cache)
    ///     .build()?;
    /// assert!(cache.exists());
    /// # Ok::<(), articlean::Error>(())
    /// ```
    #[cfg(feature = "filter-lists")]
    pub fn filter_cache(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.filter_cache = Some(path.into());
        self
    }

    /// Checks every setting and builds the cleaner.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] for an unknown referrer policy, link type,
    /// encoding label, a base URL or an article selector that does not
    /// parse, or an
    /// [`enable`](Self::enable) or [`disable`](Self::disable) prefix that
    /// names no rule; [`ErrorKind::Io`] for a filter list or filter cache
    /// that cannot be read or written.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = articlean::Cleaner::builder().base_url("not a url").build().unwrap_err();
    /// assert_eq!(err.kind(), articlean::ErrorKind::Config);
    /// let err = articlean::Cleaner::builder().disable("socail").build().unwrap_err();
    /// assert!(err.to_string().starts_with("no rule is in the group \"socail\" (known groups: ads, "));
    /// ```
    pub fn build(self) -> Result<Cleaner, Error> {
        let config = |m: String| Error::new(ErrorKind::Config, m);
        let mut rules = self.rules;
        if self.keep_comments {
            rules.retain(|r| r.action() != crate::rules::Action::RemoveComments);
        }
        // A prefix that names no rule is a typo (`boilerplat`), not a
        // request to change nothing.
        for prefix in self.enabled.iter().chain(&self.disabled) {
            if !rules.iter().any(|r| r.in_group(prefix)) {
                let mut groups: Vec<&str> = rules
                    .iter()
                    .map(|r| r.id().split('.').next().unwrap_or(r.id()))
                    .collect();
                groups.dedup();
                groups.sort_unstable();
                groups.dedup();
                let known = if groups.is_empty() {
                    "there are no rules".to_string()
                } else {
                    format!("known groups: {}", groups.join(", "))
                };
                return Err(config(format!(
                    "no rule is in the group \"{prefix}\" ({known})"
                )));
            }
        }
        // Active: on by default or enabled by name, and not disabled.
        rules.retain(|r| {
            (r.is_enabled() || self.enabled.iter().any(|p| r.in_group(p)))
                && !self.disabled.iter().any(|p| r.in_group(p))
        });
        let policy_value = |given: &Option<String>, from_rules: &Option<String>| {
            given.clone().or_else(|| from_rules.clone())
        };
        let defaults = Settings::default();
        let referrer = match policy_value(&self.referrer_policy, &rules.settings.referrer_policy) {
            Some(v) => policy::referrer_policy(&v).map_err(config)?,
            None => defaults.referrer_policy,
        };
        let rel = match policy_value(&self.link_rel, &rules.settings.link_rel) {
            Some(v) => policy::link_rel(&v).map_err(config)?,
            None => defaults.link_rel,
        };
        let base_url = self
            .base_url
            .as_deref()
            .map(|u| parse_url("base", u))
            .transpose()?;
        let page_url = self
            .page_url
            .as_deref()
            .map(|u| parse_url("page", u))
            .transpose()?;
        let encoding = match &self.encoding {
            None => None,
            Some(label) => Some(
                decode::encoding_for_label(label)
                    .ok_or_else(|| config(format!("unknown encoding \"{label}\"")))?,
            ),
        };
        let extract = match (&self.extract_selector, self.extract) {
            (Some(css), _) => Some(crate::extract::Settings {
                selector: Some(crate::rules::select::parse(css).map_err(|e| {
                    config(format!(
                        "article selector \"{css}\" (column {}): {}",
                        e.column, e.message
                    ))
                })?),
            }),
            (None, true) => Some(crate::extract::Settings::default()),
            (None, false) => None,
        };
        #[cfg(feature = "filter-lists")]
        let mut rules = rules;
        #[cfg(feature = "filter-lists")]
        let (lists, skipped_filter_rules) = if self.filter_lists.is_empty() {
            (None, 0)
        } else {
            let mut texts = Vec::with_capacity(self.filter_lists.len());
            for (name, text) in self.filter_lists {
                texts.push(match text {
                    Some(t) => (name, t),
                    None => crate::lists::read(std::path::Path::new(&name))?,
                });
            }
            let compiled = crate::lists::compile(texts, self.filter_cache.as_deref())?;
            let mut list_rules = compiled.rules;
            list_rules.retain(|r| !self.disabled.iter().any(|p| r.in_group(p)));
            rules.append(list_rules);
            (Some(compiled.engines), compiled.skipped)
        };
        // Built while the lists' engines compile on their own threads.
        let engine = Engine::new(rules);
        #[cfg(feature = "filter-lists")]
        let lists = lists.map(crate::lists::Pending::finish).transpose()?;
        let policy = Settings {
            referrer_policy: referrer,
            link_rel: rel,
            keep_comments: !engine.removes_comments(),
        };
        Ok(Cleaner {
            #[cfg(feature = "filter-lists")]
            lists,
            #[cfg(feature = "filter-lists")]
            skipped_filter_rules,
            sanitizer: Sanitizer::new(&policy),
            engine,
            base_url,
            page_url,
            input: self.input,
            html: self.html,
            text: self.text,
            markdown: self.markdown,
            metadata: self.metadata,
            text_options: self.text_options,
            encoding,
            lossy: self.lossy,
            extract,
        })
    }
}

/// A base or page URL: absolute, or an [`ErrorKind::Config`] error.
pub(super) fn parse_url(which: &str, url: &str) -> Result<Url, Error> {
    Url::parse(url.trim()).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("invalid {which} URL \"{url}\": {e}"),
        )
        .with_source(e)
    })
}
