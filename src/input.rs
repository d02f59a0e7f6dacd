//! What kind of input this is: an HTML fragment, a whole HTML document, or
//! a Markdown post (YAML front matter, then a Markdown body holding raw
//! article HTML: a Jekyll post made from a feed). What a post is and how it
//! is cleaned is in [`crate::post`].

use crate::post;

/// The kind of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Fragment,
    Document,
    /// Markdown, with or without front matter.
    Markdown,
}

/// Guesses the kind of `text`: Markdown when it opens with closed YAML front
/// matter, a document when it opens with a doctype, `<html>` or `<head>` (or
/// has a `<body>` tag), else a fragment.
pub(crate) fn detect(text: &str) -> Kind {
    if post::front_matter::end(text).is_some() {
        return Kind::Markdown;
    }
    if is_document(text) {
        Kind::Document
    } else {
        Kind::Fragment
    }
}

/// Whether HTML `text` is a whole document rather than a fragment.
pub(crate) fn is_document(text: &str) -> bool {
    let mut rest = text.trim_start_matches(['\u{feff}', ' ', '\t', '\n', '\r', '\x0c']);
    // Skip comments and an XML declaration before the first tag.
    loop {
        if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(i) => rest = after[i + 3..].trim_start(),
                None => return false,
            }
        } else if rest.starts_with("<?") {
            match rest.find('>') {
                Some(i) => rest = rest[i + 1..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let rest = rest.as_bytes();
    if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!doctype") {
        return true;
    }
    if let Some(tag) = rest.strip_prefix(b"<") {
        if is_tag(tag, b"html") || is_tag(tag, b"head") {
            return true;
        }
    }
    has_body_tag(text)
}

/// Whether `tag` (what follows a `<`) starts with the tag `name`, whole:
/// `head>` and `head ` are `<head>`, `header>` is not.
fn is_tag(tag: &[u8], name: &[u8]) -> bool {
    tag.len() > name.len()
        && tag[..name.len()].eq_ignore_ascii_case(name)
        && matches!(
            tag[name.len()],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

fn has_body_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('<') {
        let at = from + i;
        if is_tag(&bytes[at + 1..], b"body") {
            return true;
        }
        from = at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_kinds() {
        assert_eq!(detect("---\ntitle: x\n---\n<p>a</p>"), Kind::Markdown);
        assert_eq!(detect("---\ntitle: never closed\n<p>a</p>"), Kind::Fragment);
        assert_eq!(detect("<!DOCTYPE html><p>a"), Kind::Document);
        assert_eq!(detect("<!-- x -->\n<html><p>a"), Kind::Document);
        assert_eq!(detect("<?xml version='1.0'?><html>"), Kind::Document);
        assert_eq!(detect("<p>a</p>"), Kind::Fragment);
        assert_eq!(detect("<div>x</div><BODY class=a>y"), Kind::Document);
        assert_eq!(detect("<p>the body of the text</p>"), Kind::Fragment);
        assert_eq!(detect("<head><title>t</title>"), Kind::Document);
        assert_eq!(detect("<HTML lang=en>"), Kind::Document);
        // Tags whose names begin with html, head or body are not those.
        assert_eq!(detect("\n<header><h1>t</h1></header>"), Kind::Fragment);
        assert_eq!(detect("<html-embed>x</html-embed>"), Kind::Fragment);
        assert_eq!(detect("<p>a</p><bodyguard>b</bodyguard>"), Kind::Fragment);
        assert_eq!(detect("<p>a<body/>b"), Kind::Document);
    }
}
