//! What a page says about itself: its title, byline, date, language, site,
//! lead image, description and canonical URL, read from the parsed document
//! before the rules run (the rules and the sanitizer drop the `<script>`s
//! that hold JSON-LD and the `<meta>`s of the head).
//!
//! Each field takes the value of the most trusted source that has one:
//! JSON-LD (`jsonld`), then OpenGraph, then `<meta name>` (`html`), then
//! microdata, then the document itself (`<title>`, `<html lang>`). A
//! Markdown post's front matter (`front_matter`) stands for all of them.

mod front_matter;
mod html;
mod jsonld;

use url::Url;

use crate::dom::Dom;

pub(crate) use front_matter::from_front_matter;

/// What a document says about itself: title, byline, date and the rest, from
/// its JSON-LD, OpenGraph, `<meta>` tags, microdata, `<title>` and `<html
/// lang>` (for a Markdown post, its front matter). A field the document does
/// not give is `None`.
///
/// Values are plain text, decoded and with their whitespace collapsed; they
/// are **not** HTML and must be escaped before they are written into a page.
/// URLs are absolute `http` or `https` URLs.
///
/// # Examples
///
/// ```
/// let cleaner = articlean::Cleaner::builder().metadata(true).build()?;
/// let out = cleaner.clean(r#"<!doctype html><html lang="en"><head>
/// <title>Rain again - The Daily</title>
/// <meta property="og:site_name" content="The Daily">
/// <meta name="author" content="Ann Lee">
/// </head><body><p>It rained.</p></body></html>"#);
/// let meta = out.metadata();
/// assert_eq!(meta.title.as_deref(), Some("Rain again"));
/// assert_eq!(meta.byline.as_deref(), Some("Ann Lee"));
/// assert_eq!(meta.site.as_deref(), Some("The Daily"));
/// assert_eq!(meta.lang.as_deref(), Some("en"));
/// assert_eq!(meta.date, None);
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Metadata {
    /// The page's canonical URL: its `<link rel="canonical">`, JSON-LD `url`
    /// or `mainEntityOfPage`, `og:url`, else the URL it was cleaned with.
    pub url: Option<String>,
    /// The article's title (JSON-LD `headline`, `og:title`, …, `<title>`),
    /// without the site name that titles often end with.
    pub title: Option<String>,
    /// The author or authors, as one line (`"Ann Lee, Bo Chen"`).
    pub byline: Option<String>,
    /// When the article was published, as the page writes it (usually ISO
    /// 8601, `2021-09-28T05:34:24Z`).
    pub date: Option<String>,
    /// The document's language: a BCP 47 tag such as `en` or `zh-CN`.
    pub lang: Option<String>,
    /// The name of the site or publisher (`og:site_name`, JSON-LD
    /// `publisher`).
    pub site: Option<String>,
    /// The lead image's URL.
    pub image: Option<String>,
    /// The summary the page gives of itself.
    pub description: Option<String>,
}

/// The fields, for the table of what was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Url,
    Title,
    Byline,
    Date,
    Lang,
    Site,
    Image,
    Description,
}

const FIELDS: usize = 8;

/// How much a source is trusted: lower wins.
type Rank = u8;
/// `<link rel="canonical">`, `<html lang>`: what the page states for the
/// one purpose.
const STATED: Rank = 0;
const JSON_LD: Rank = 1;
const OPEN_GRAPH: Rank = 2;
const META: Rank = 3;
const MICRODATA: Rank = 4;
/// What is left: `<title>`, the URL the page was cleaned with.
const DOCUMENT: Rank = 6;
/// Guesses: the first `<time>` of an `<article>`.
const LAST: Rank = 7;

/// The best value found so far for each field, with its rank and the key
/// it came under (repeated keys of one source add authors to a byline).
#[derive(Debug, Default)]
struct Found {
    best: [Option<(Rank, String, String)>; FIELDS],
}

impl Found {
    /// Offers `value` (already clean) for `field`, from a source of `rank`
    /// under `key`.
    fn offer(&mut self, field: Field, rank: Rank, key: &str, value: String) {
        if value.is_empty() {
            return;
        }
        let slot = &mut self.best[field as usize];
        match slot {
            Some((r, _, _)) if *r < rank => {}
            Some((r, k, v)) if *r == rank => {
                // `<meta name="citation_author">` once per author.
                if field == Field::Byline && k == key && !v.split(", ").any(|a| a == value) {
                    v.push_str(", ");
                    v.push_str(&value);
                }
            }
            _ => *slot = Some((rank, key.to_string(), value)),
        }
    }

    fn into_metadata(self) -> Metadata {
        let [url, title, byline, date, lang, site, image, description] =
            self.best.map(|slot| slot.map(|(_, _, v)| v));
        // Titles end with the site's name, and some (the Guardian's
        // opinion pieces) with the author's.
        let title = title.map(|t| {
            let t = site.as_deref().map_or(&*t, |s| strip_site(&t, s));
            byline
                .as_deref()
                .map_or(t, |b| strip_site(t, b))
                .to_string()
        });
        Metadata {
            url,
            title,
            byline,
            date,
            lang,
            site,
            image,
            description,
        }
    }
}

/// The metadata of a parsed document (or fragment: only what it holds).
/// `page` is the URL it was cleaned with, `base` the base for its relative
/// URLs.
pub(crate) fn read(dom: &Dom, page: Option<&Url>, base: Option<&Url>) -> Metadata {
    let mut found = Found::default();
    let scripts = html::read(dom, base, &mut found);
    jsonld::read(&scripts, base, &mut found);
    if let Some(page) = page {
        found.offer(Field::Url, DOCUMENT, "", page.as_str().to_string());
    }
    found.into_metadata()
}

/// Text as metadata: entities decoded (JSON-LD often holds `&amp;` and
/// `&#8217;`), tags dropped, whitespace collapsed.
fn clean_text(s: &str) -> String {
    let decoded;
    let s = if s.contains(['&', '<']) {
        let dom = Dom::parse_fragment(s);
        decoded = dom.text_content(dom.content());
        &decoded
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A URL as metadata: resolved against `base`, and only when it is then an
/// absolute `http` or `https` URL.
fn clean_url(s: &str, base: Option<&Url>) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let url = match base {
        Some(b) => b.join(s).ok()?,
        None if s.starts_with("//") => Url::parse(&format!("https:{s}")).ok()?,
        None => Url::parse(s).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

/// Whether a byline value is a link (`article:author` often is a profile
/// page) rather than a name.
fn is_link(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// Separators between a title and the site name around it.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " : ", "｜", "|", "_",
];

/// `title` without `site` and a separator at its end (or start), when the
/// rest is not empty: `"Rain again - The Daily"` is `"Rain again"`.
fn strip_site<'a>(title: &'a str, site: &str) -> &'a str {
    let site = site.trim();
    if site.is_empty() || title.len() <= site.len() {
        return title;
    }
    // NOTE: ASCII case is ignored, so the cut may fall inside a character
    // of the title: check the boundary before slicing.
    let cut = title.len() - site.len();
    if title.is_char_boundary(cut) && title[cut..].eq_ignore_ascii_case(site) {
        let rest = &title[..cut];
        for sep in SEPARATORS {
            if let Some(t) = rest.strip_suffix(sep) {
                let t = t.trim_end();
                if !t.is_empty() {
                    return t;
                }
            }
        }
    }
    if title.is_char_boundary(site.len()) && title[..site.len()].eq_ignore_ascii_case(site) {
        let rest = &title[site.len()..];
        for sep in SEPARATORS {
            if let Some(t) = rest.strip_prefix(sep) {
                let t = t.trim_start();
                if !t.is_empty() && *sep != "_" {
                    return t;
                }
            }
        }
    }
    title
}

#[cfg(test)]
mod tests;
