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

use crate::dom::Cut;
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
        // NOTE: `to_string` (ammonia's `Display`) serializes into a growing
        // buffer, checks it is UTF-8 and copies it into a second one; the
        // output is seldom longer than the input, so one buffer of its size
        // is written once and checked once.
        let mut out = Vec::with_capacity(html.len() + html.len() / 8);
        self.write(html, &mut out);
        into_string(out)
    }

    fn write(&self, html: &str, out: &mut Vec<u8>) {
        let written = self.builder.clean(html).write_to(out);
        // Writing to memory fails only when allocation does, which aborts.
        debug_assert!(written.is_ok(), "{written:?}");
    }

    /// Sanitizes the sanitizer's input a piece at a time, cut at its
    /// [`Cut`]s: the output is the whole's, for the memory of one piece's
    /// tree (see [`SanitizerInput`](crate::dom::SanitizerInput)).
    pub(crate) fn clean_pieces(&self, html: &str, cuts: &[Cut]) -> String {
        if cuts.is_empty() {
            return self.clean(html);
        }
        let out = match self.write_pieces(html, cuts) {
            Some(out) => out,
            None => {
                debug_assert!(false, "the pieces' containers were written as expected");
                self.clean(html)
            }
        };
        if cfg!(debug_assertions) {
            assert_eq!(
                out,
                self.clean(html),
                "the pieces are sanitized as the whole is"
            );
        }
        out
    }

    /// The pieces' output, or `None` when a piece's containers do not come
    /// out of ammonia as their tags alone would.
    fn write_pieces(&self, html: &str, cuts: &[Cut]) -> Option<String> {
        let mut out = Vec::with_capacity(html.len() + html.len() / 8);
        let (mut src, mut piece, mut lead) = (String::new(), Vec::new(), Vec::new());
        let (mut start, mut from) = (0, None::<&Cut>);
        for end in cuts.iter().map(Some).chain([None]) {
            let at = end.map_or(html.len(), |c| c.at);
            if at <= start || !html.is_char_boundary(at) {
                continue;
            }
            let (open, close) = (from.map_or("", |c| &c.open), end.map_or("", |c| &c.close));
            if open.is_empty() && close.is_empty() {
                // Between top-level nodes: the piece as it is.
                self.write(&html[start..at], &mut out);
            } else {
                // What ammonia writes for the start tags of the containers
                // open where the piece starts: their output with nothing
                // inside, less their end tags.
                lead.clear();
                if !open.is_empty() {
                    let c = from?;
                    src.clear();
                    src.push_str(&c.open);
                    src.push_str(&c.close);
                    self.write(&src, &mut lead);
                    let len = lead.strip_suffix(c.close.as_bytes())?.len();
                    lead.truncate(len);
                }
                src.clear();
                src.push_str(open);
                src.push_str(&html[start..at]);
                src.push_str(close);
                piece.clear();
                self.write(&src, &mut piece);
                let inner = piece
                    .strip_prefix(lead.as_slice())?
                    .strip_suffix(close.as_bytes())?;
                out.extend_from_slice(inner);
            }
            (start, from) = (at, end);
        }
        Some(into_string(out))
    }
}

/// ammonia's output, which html5ever writes as UTF-8.
fn into_string(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

    /// Each piece is a document of its own to ammonia, inside copies of
    /// the containers open where it starts and ends, whose tags are cut
    /// from its output: what it sets and drops, it sets and drops in each
    /// (debug builds also compare with the whole inside `clean_pieces`).
    #[test]
    fn pieces_are_sanitized_as_the_whole() {
        let s = Sanitizer::new(&Settings::default());
        let cut = |at, open: &str, close: &str| Cut {
            at,
            open: open.into(),
            close: close.into(),
        };
        let html = r#"<p><a href="https://a.com/">a</a></p><div title="t" class="c"><script>x</script><img src="/a.png"></div><p>b &amp; c</p>"#;
        let div = r#"<div title="t" class="c">"#;
        let cuts = [
            cut(37, "", ""),
            cut(62, div, "</div>"),
            cut(80, div, "</div>"),
            cut(104, "", ""),
        ];
        assert_eq!(&html[62..80], "<script>x</script>");
        let out = r#"<p><a href="https://a.com/" rel="noopener noreferrer">a</a></p><div title="t"><img src="/a.png" referrerpolicy="no-referrer"></div><p>b &amp; c</p>"#;
        assert_eq!(s.clean(html), out);
        assert_eq!(s.clean_pieces(html, &cuts), out);
        // Containers that ammonia does not write back as they are (here an
        // element it unwraps): no pieces, the whole is sanitized instead.
        let odd = [cut(62, "<x-box>", "</x-box>")];
        assert_eq!(s.write_pieces(html, &odd).as_deref(), None);
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
