//! What kind of input this is, and where the HTML is in a Markdown post.
//!
//! Three kinds: an HTML fragment, a whole HTML document, and a Markdown post
//! with YAML front matter whose body holds raw article HTML (a Jekyll post
//! made from a feed). In a post, the front matter and the Markdown lines are
//! kept byte for byte; only the raw HTML blocks, found the way CommonMark
//! finds them, are cleaned.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

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
    if front_matter_end(text).is_some() {
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
    let head: String = rest
        .chars()
        .take(9)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<head") {
        return true;
    }
    has_body_tag(text)
}

fn has_body_tag(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('<') {
        let at = from + i;
        let tag = &bytes[at + 1..bytes.len().min(at + 6)];
        if tag.len() == 5
            && tag[..4].eq_ignore_ascii_case(b"body")
            && (tag[4] == b'>' || tag[4].is_ascii_whitespace())
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The byte offset where the body of a post starts, after its front matter:
/// a first line `---`, then a closing `---` or `...` line.
pub(crate) fn front_matter_end(text: &str) -> Option<usize> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let t = &text[text_start..];
    let first_len = if t.starts_with("---\n") {
        4
    } else if t.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let mut pos = first_len;
    while pos < t.len() {
        let line_end = t[pos..].find('\n').map_or(t.len(), |i| pos + i + 1);
        let line = t[pos..line_end].trim_end_matches(['\n', '\r']);
        if line == "---" || line == "..." {
            return Some(text_start + line_end);
        }
        pos = line_end;
    }
    None
}

/// The CommonMark extensions posts are read with (GitHub's).
const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Renders a Markdown body to HTML, raw HTML passed through.
pub(crate) fn markdown_to_html(body: &str) -> String {
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(body, MARKDOWN));
    html
}

/// Something to clean in a Markdown body, by byte range.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Edit {
    /// A whole HTML block at the top level: its bytes, newline included.
    Block(Range<usize>),
    /// One line of an HTML block inside a container (block quote, list
    /// item), whose other lines carry the container's markers.
    Line(Range<usize>),
    /// A paragraph, heading or table cell with inline HTML tags in it: the
    /// whole leaf block, the tags, and the link destinations between them.
    Inline {
        leaf: Range<usize>,
        tags: Vec<Range<usize>>,
        urls: Vec<Range<usize>>,
    },
    /// The destination of an inline link, image or autolink: the URL's bytes
    /// as written.
    Url(Range<usize>),
}

impl Edit {
    fn start(&self) -> usize {
        match self {
            Edit::Block(r) | Edit::Line(r) | Edit::Url(r) => r.start,
            Edit::Inline { leaf, .. } => leaf.start,
        }
    }
}

type Leaf = (Range<usize>, Vec<Range<usize>>, Vec<Range<usize>>);

/// Finds what to clean in a Markdown body: raw HTML blocks, leaf blocks with
/// inline HTML, and link destinations, in order and without overlaps.
pub(crate) fn scan(body: &str) -> Vec<Edit> {
    let mut out = Vec::new();
    let mut containers = 0usize;
    let mut in_block = false;
    // The leaf block being read: its range, inline tags and link destinations.
    let mut leaf: Option<Leaf> = None;
    for (event, range) in Parser::new_ext(body, MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => {
                containers += 1
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
                containers = containers.saturating_sub(1)
            }
            Event::Start(Tag::HtmlBlock) => {
                in_block = true;
                if containers == 0 {
                    out.push(Edit::Block(range));
                }
            }
            Event::End(TagEnd::HtmlBlock) => in_block = false,
            Event::Html(_) if in_block && containers > 0 => out.push(Edit::Line(range)),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell) => {
                leaf = Some((range, Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell) => {
                if let Some((r, tags, urls)) = leaf.take() {
                    if tags.is_empty() {
                        out.extend(urls.into_iter().map(Edit::Url));
                    } else {
                        out.push(Edit::Inline {
                            leaf: r,
                            tags,
                            urls,
                        });
                    }
                }
            }
            Event::InlineHtml(_) => match leaf.as_mut() {
                Some((_, tags, _)) => tags.push(range),
                // Inline HTML outside a leaf block does not occur in
                // CommonMark; were it to, the tag is cleaned on its own.
                None => out.push(Edit::Line(range)),
            },
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                },
            ) if matches!(link_type, LinkType::Inline | LinkType::Autolink) => {
                if let Some(r) = destination(body, range, &dest_url) {
                    match leaf.as_mut() {
                        Some((_, _, urls)) => urls.push(r),
                        None => out.push(Edit::Url(r)),
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(Edit::start);
    out
}

/// The bytes of `dest` in the source of a link, when it is written verbatim
/// (no escapes or entities) right after `(`, `<` or whitespace.
fn destination(body: &str, link: Range<usize>, dest: &str) -> Option<Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let src = &body[link.clone()];
    let at = src.rfind(dest)?;
    let before = src[..at].chars().next_back()?;
    (before == '(' || before == '<' || before.is_whitespace())
        .then(|| link.start + at..link.start + at + dest.len())
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
    }

    #[test]
    fn front_matter_end_is_after_the_closing_line() {
        let t = "---\na: 1\n---\nbody";
        assert_eq!(&t[front_matter_end(t).unwrap()..], "body");
        let t = "---\r\na: 1\r\n...\r\nbody";
        assert_eq!(&t[front_matter_end(t).unwrap()..], "body");
    }

    #[test]
    fn finds_html_blocks() {
        let body = "# T\n\n<div>\n<p>x</p>\n</div>\n\ntext <b>inline</b>\n\n<!--c-->\n";
        let texts: Vec<&str> = scan(body)
            .iter()
            .filter_map(|e| match e {
                Edit::Block(r) | Edit::Line(r) => Some(&body[r.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["<div>\n<p>x</p>\n</div>\n", "<!--c-->\n"]);
    }

    #[test]
    fn nested_blocks_are_lines() {
        let body = "> <div>\n> x\n> </div>\n";
        assert!(scan(body).iter().all(|b| matches!(b, Edit::Line(_))));
    }

    #[test]
    fn inline_html_is_found_with_its_leaf_block() {
        let body = "a <b>bold</b> [l](/x?utm_source=y) c\n\n> q <i>i</i>\n> r\n";
        let edits = scan(body);
        assert_eq!(edits.len(), 2);
        let Edit::Inline { leaf, tags, urls } = &edits[0] else {
            panic!("{edits:?}")
        };
        assert_eq!(
            &body[leaf.clone()],
            "a <b>bold</b> [l](/x?utm_source=y) c\n"
        );
        let tags: Vec<&str> = tags.iter().map(|r| &body[r.clone()]).collect();
        assert_eq!(tags, ["<b>", "</b>"]);
        assert_eq!(&body[urls[0].clone()], "/x?utm_source=y");
        let Edit::Inline { leaf, .. } = &edits[1] else {
            panic!("{edits:?}")
        };
        assert_eq!(&body[leaf.clone()], "q <i>i</i>\n> r\n");
    }

    #[test]
    fn finds_link_destinations() {
        let body = "[a](https://x.com/?utm_source=y \"t\") ![i](/img.png) <https://auto.link/?q=1> [r][ref]\n\n[ref]: /ref\n";
        let urls: Vec<&str> = scan(body)
            .iter()
            .filter_map(|e| match e {
                Edit::Url(r) => Some(&body[r.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(
            urls,
            [
                "https://x.com/?utm_source=y",
                "/img.png",
                "https://auto.link/?q=1"
            ]
        );
    }
}
