//! The last HTML step: ammonia, configured from [`crate::policy`], and
//! called by the cleaner alone. Its output is returned as is.
//!
//! What may pass is the policy's; this module only says it to ammonia.
//! Anything that must survive (`src`, `href`) is an attribute ammonia
//! checks, or one ammonia sets itself (`referrerpolicy`, `rel`).
//!
//! ammonia's attribute filter narrows what ammonia keeps, never widens it:
//! it checks `cite` URLs (ammonia does not: it checks `href`, `src` and a few
//! more), drops URLs whose scheme is hidden behind whitespace or control
//! characters, and drops attribute values too costly for html5ever's
//! serializer (see [`is_costly_value`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::policy::{
    code_language, is_allowed_url, is_url_attr, DROPPED_WITH_CONTENT, GENERIC_ATTRS, TAGS,
    TAG_ATTRS, URL_SCHEMES,
};

/// Whether html5ever's serializer, which ammonia's output goes through,
/// would spend too long on this attribute value.
///
/// NOTE: for each `&` (or byte 0xC2, the first of U+0080 to U+00BF) it
/// searches the rest of the value for the next `"`, `<` or `>`. A 10 MB value
/// of `&&&…` would take hours. The cost is counted exactly, in one pass, and
/// a value over a budget linear in its length is dropped; a 2,000-byte URL
/// may hold some 190 `&`, a 10,000-byte one 140.
pub(crate) fn is_costly_value(value: &str) -> bool {
    let b = value.as_bytes();
    let mut stop = b.len();
    let mut cost = 0usize;
    for i in (0..b.len()).rev() {
        match b[i] {
            b'"' | b'<' | b'>' => stop = i,
            b'&' | 0xC2 => cost = cost.saturating_add(stop - i),
            _ => {}
        }
    }
    cost > 64usize.saturating_mul(b.len()).saturating_add(1 << 16)
}

/// What ammonia's attribute filter keeps.
fn filter_attr<'v>(element: &str, attr: &str, value: &'v str) -> Option<Cow<'v, str>> {
    if attr == "class" {
        return code_language(element, value).map(Cow::Owned);
    }
    if is_url_attr(attr) && !is_allowed_url(value) {
        return None;
    }
    if is_costly_value(value) {
        return None;
    }
    Some(Cow::Borrowed(value))
}

/// How a cleaner sets up its sanitizer, within the policy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Settings {
    /// `referrerpolicy` set on every image, or none.
    pub(crate) referrer_policy: Option<&'static str>,
    /// `rel` set on every link, or none.
    pub(crate) link_rel: Option<&'static str>,
    pub(crate) keep_comments: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            referrer_policy: Some("no-referrer"),
            link_rel: Some("noopener noreferrer"),
            keep_comments: false,
        }
    }
}

/// A configured ammonia, built once per [`Cleaner`](crate::Cleaner).
pub(crate) struct Sanitizer {
    builder: ammonia::Builder<'static>,
}

impl Sanitizer {
    pub(crate) fn new(settings: &Settings) -> Sanitizer {
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
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .attribute_filter(filter_attr)
            .link_rel(settings.link_rel)
            .strip_comments(!settings.keep_comments)
            // NOTE: relative URLs pass through; the passes resolve them first
            // when a base URL is known, per document.
            .url_relative(ammonia::UrlRelative::PassThrough);
        if let Some(p) = settings.referrer_policy {
            b.set_tag_attribute_value("img", "referrerpolicy", p);
        }
        Sanitizer { builder: b }
    }

    /// Sanitizes an HTML fragment.
    pub(crate) fn clean(&self, html: &str) -> String {
        self.clean_pieces(html, &[])
    }

    /// Sanitizes an HTML fragment a piece at a time, cut at `cuts`
    /// (ascending byte offsets): for a [`SanitizerInput`](crate::dom::SanitizerInput)'s cuts, the
    /// output is the whole's, for the memory of one piece's tree.
    pub(crate) fn clean_pieces(&self, html: &str, cuts: &[usize]) -> String {
        // NOTE: `to_string` (ammonia's `Display`) serializes into a growing
        // buffer, checks it is UTF-8 and copies it into a second one; the
        // output is seldom longer than the input, so one buffer of its size
        // is written once and checked once.
        let mut out = Vec::with_capacity(html.len() + html.len() / 8);
        let mut start = 0;
        let ends = cuts.iter().copied().chain([html.len()]);
        for end in ends.filter(|&c| c == html.len() || html.is_char_boundary(c)) {
            if end <= start {
                continue;
            }
            let written = self.builder.clean(&html[start..end]).write_to(&mut out);
            // Writing to memory fails only when allocation does, which aborts.
            debug_assert!(written.is_ok(), "{written:?}");
            start = end;
        }
        let out = String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        if cfg!(debug_assertions) && !cuts.is_empty() {
            assert_eq!(
                out,
                self.clean(html),
                "the pieces are sanitized as the whole is"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_referrer_policy_and_rel() {
        let s = Sanitizer::new(&Settings::default());
        assert_eq!(
            s.clean(r#"<img src="https://a.com/x.png" referrerpolicy="unsafe-url"><a href="https://a.com/">a</a>"#),
            r#"<img src="https://a.com/x.png" referrerpolicy="no-referrer"><a href="https://a.com/" rel="noopener noreferrer">a</a>"#
        );
    }

    #[test]
    fn drops_srcset_and_script() {
        let s = Sanitizer::new(&Settings::default());
        assert_eq!(
            s.clean(r#"<img src="/a.png" srcset="javascript:alert(1) 2x"><script>x</script><noscript><p>n</p></noscript>"#),
            r#"<img src="/a.png" referrerpolicy="no-referrer">"#
        );
    }

    /// Each piece is a document of its own to ammonia: what it sets and
    /// drops, it sets and drops in each (debug builds also compare the
    /// pieces' output with the whole's inside `clean_pieces`).
    #[test]
    fn pieces_are_sanitized_as_the_whole() {
        let s = Sanitizer::new(&Settings::default());
        let html = r#"<p><a href="https://a.com/">a</a></p><script>x</script><img src="/a.png"><p>b &amp; c</p>"#;
        let cuts = [37, 55, 73];
        assert_eq!(s.clean_pieces(html, &cuts), s.clean(html));
        assert_eq!(
            s.clean_pieces(html, &cuts),
            r#"<p><a href="https://a.com/" rel="noopener noreferrer">a</a></p><img src="/a.png" referrerpolicy="no-referrer"><p>b &amp; c</p>"#
        );
    }

    #[test]
    fn cite_urls_are_checked() {
        let s = Sanitizer::new(&Settings::default());
        assert_eq!(
            s.clean(r#"<blockquote cite="javascript:alert(1)">q</blockquote><q cite="https://a.com/">r</q>"#),
            r#"<blockquote>q</blockquote><q cite="https://a.com/">r</q>"#
        );
    }

    #[test]
    fn hidden_schemes_are_dropped() {
        let s = Sanitizer::new(&Settings::default());
        assert_eq!(
            s.clean("<a href=\"\u{1}java\u{3}script:alert(1)\">x</a>"),
            "<a rel=\"noopener noreferrer\">x</a>"
        );
    }

    #[test]
    fn costly_values_are_dropped() {
        assert!(!is_costly_value(&format!(
            "https://a.com/?{}",
            "a=1&".repeat(150)
        )));
        assert!(!is_costly_value(&"&\"".repeat(100_000)));
        assert!(is_costly_value(&"&".repeat(10_000)));
        let s = Sanitizer::new(&Settings::default());
        let alt = "&amp;".repeat(100_000);
        assert_eq!(
            s.clean(&format!("<img src=\"/a.png\" alt=\"{alt}\">")),
            "<img src=\"/a.png\" referrerpolicy=\"no-referrer\">"
        );
    }
}
