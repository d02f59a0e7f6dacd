//! The last HTML step: ammonia, with a policy fit for articles. Its output is
//! returned as is.
//!
//! The allow-list lives here, in code, and nowhere else; rules may remove or
//! rewrite things before this step but never widen what passes it. Anything
//! that must survive (`src`, `href`) is an attribute ammonia checks, or one
//! ammonia sets itself (`referrerpolicy`, `rel`).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// Elements dropped with everything inside them: never rendered, or only
/// rendered as widgets. The text renderer skips the same ones.
pub(crate) const DROPPED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "title",
    "iframe",
    "noembed",
    "noframes",
    "object",
    "embed",
    "applet",
    "svg",
    "canvas",
    "select",
    "datalist",
    "textarea",
    "audio",
    "video",
    "map",
    "head",
    "frameset",
    "frame",
    "xmp",
    "plaintext",
    "button",
    "option",
    "optgroup",
];

/// The tags an article keeps.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every kept tag.
const GENERIC_ATTRS: &[&str] = &["lang", "title", "dir"];

/// Attributes allowed on one tag. URL attributes among them (`href`, `src`,
/// `cite`) are checked by ammonia against its URL scheme list.
const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("bdo", &["dir"]),
    ("details", &["open"]),
];

/// The referrer policies of the Referrer Policy standard.
const REFERRER_POLICIES: &[&str] = &[
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// Link types that make sense on an outgoing link.
const LINK_TYPES: &[&str] = &[
    "noopener",
    "noreferrer",
    "nofollow",
    "ugc",
    "sponsored",
    "external",
    "opener",
];

/// How the sanitizer is set up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    /// `referrerpolicy` set on every image, or none.
    pub(crate) referrer_policy: Option<&'static str>,
    /// `rel` set on every link, or none.
    pub(crate) link_rel: Option<&'static str>,
    pub(crate) keep_comments: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            referrer_policy: Some("no-referrer"),
            link_rel: Some("noopener noreferrer"),
            keep_comments: false,
        }
    }
}

/// Checks a referrer policy name; `""` means none.
pub(crate) fn referrer_policy(value: &str) -> Result<Option<&'static str>, String> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    REFERRER_POLICIES
        .iter()
        .find(|p| **p == v)
        .map(|p| Some(*p))
        .ok_or_else(|| format!("unknown referrer policy \"{value}\""))
}

/// Checks a `rel` value (space-separated link types); `""` means none.
pub(crate) fn link_rel(value: &str) -> Result<Option<&'static str>, String> {
    let types: Vec<String> = value
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if types.is_empty() {
        return Ok(None);
    }
    if let Some(bad) = types.iter().find(|t| !LINK_TYPES.contains(&t.as_str())) {
        return Err(format!(
            "unknown link type \"{bad}\" in link rel (one of {})",
            LINK_TYPES.join(", ")
        ));
    }
    Ok(Some(intern(&types.join(" "))))
}

/// ammonia's builder borrows its strings; a checked `rel` value lives for the
/// program. There are only as many as distinct values ever configured.
fn intern(s: &str) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = seen.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.insert(v);
    v
}

/// A configured ammonia, built once per [`Cleaner`](crate::Cleaner).
pub(crate) struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Sanitizer {
    pub(crate) fn new(policy: &Policy) -> Sanitizer {
        let mut b = ammonia::Builder::default();
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRS.iter().copied().collect())
            .tag_attributes(
                TAG_ATTRS
                    .iter()
                    .map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>()))
                    .collect::<HashMap<_, _>>(),
            )
            .link_rel(policy.link_rel)
            .strip_comments(!policy.keep_comments)
            // NOTE: relative URLs pass through; the passes resolve them first
            // when a base URL is known, per document.
            .url_relative(ammonia::UrlRelative::PassThrough);
        if let Some(p) = policy.referrer_policy {
            b.set_tag_attribute_value("img", "referrerpolicy", p);
        }
        Sanitizer { builder: b }
    }

    /// Sanitizes an HTML fragment.
    pub(crate) fn clean(&self, html: &str) -> String {
        self.builder.clean(html).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_values_are_checked() {
        assert_eq!(referrer_policy("No-Referrer").unwrap(), Some("no-referrer"));
        assert_eq!(referrer_policy("").unwrap(), None);
        assert!(referrer_policy("always").is_err());
        assert_eq!(
            link_rel("noopener  NOREFERRER").unwrap(),
            Some("noopener noreferrer")
        );
        assert!(link_rel("noopener \" onclick=x").is_err());
    }

    #[test]
    fn sets_referrer_policy_and_rel() {
        let s = Sanitizer::new(&Policy::default());
        assert_eq!(
            s.clean(r#"<img src="https://a.com/x.png" referrerpolicy="unsafe-url"><a href="https://a.com/">a</a>"#),
            r#"<img src="https://a.com/x.png" referrerpolicy="no-referrer"><a href="https://a.com/" rel="noopener noreferrer">a</a>"#
        );
    }

    #[test]
    fn drops_srcset_and_script() {
        let s = Sanitizer::new(&Policy::default());
        assert_eq!(
            s.clean(r#"<img src="/a.png" srcset="javascript:alert(1) 2x"><script>x</script><noscript><p>n</p></noscript>"#),
            r#"<img src="/a.png" referrerpolicy="no-referrer">"#
        );
    }
}
