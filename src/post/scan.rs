//! Finding what to clean in a post's Markdown body: its raw HTML blocks,
//! the leaf blocks with inline HTML tags, and its links, by byte range, the
//! way CommonMark (pulldown-cmark's offsets) reads them.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::MARKDOWN;
use crate::policy;

/// Something to clean in a Markdown body, by byte range.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Edit {
    /// A whole HTML block at the top level: its bytes, newline included.
    Block(Range<usize>),
    /// One line of an HTML block inside a container (block quote, list
    /// item), whose other lines carry the container's markers.
    Line(Range<usize>),
    /// A paragraph, heading or table cell with inline HTML tags in it: the
    /// whole leaf block, the tags, and the link edits between them.
    Inline {
        leaf: Range<usize>,
        tags: Vec<Range<usize>>,
        links: Vec<LinkEdit>,
    },
    /// A link, image or link reference definition outside such a leaf.
    Link(LinkEdit),
}

/// An edit of a link, an image or a link reference definition.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LinkEdit {
    /// A destination that may stay, written as is (no escapes or entities):
    /// tracking parameters may leave it.
    Strip(Range<usize>),
    /// A link to a URL the sanitizer refuses (`javascript:` and the like,
    /// see [`policy::is_allowed_url`]): these bytes become this text, and
    /// the link leads to `#`.
    ///
    /// NOTE: the link stays a link. Were it made text, brackets around it
    /// could pair into a new link ("links may not contain other links" no
    /// longer holding them apart) with a destination never checked.
    Neutralize(Range<usize>, String),
}

impl LinkEdit {
    pub(crate) fn range(&self) -> &Range<usize> {
        match self {
            LinkEdit::Strip(r) | LinkEdit::Neutralize(r, _) => r,
        }
    }
}

impl Edit {
    /// The bytes the edit replaces (for a leaf block, the whole block).
    pub(crate) fn range(&self) -> &Range<usize> {
        match self {
            Edit::Block(r) | Edit::Line(r) => r,
            Edit::Inline { leaf, .. } => leaf,
            Edit::Link(l) => l.range(),
        }
    }
}

type Leaf = (Range<usize>, Vec<Range<usize>>, Vec<LinkEdit>);

/// A link or image being read.
struct OpenLink<'a> {
    range: Range<usize>,
    dest: pulldown_cmark::CowStr<'a>,
    link_type: LinkType,
    image: bool,
    /// Where the source of its text ends (its `]`), as far as read.
    text_end: usize,
    /// Its text, for a link whose source cannot be cut.
    text: String,
}

/// Finds what to clean in a Markdown body: raw HTML blocks, leaf blocks with
/// inline HTML, links, images and link reference definitions, in order and
/// without overlaps.
pub(crate) fn scan(body: &str) -> Vec<Edit> {
    let mut out = Vec::new();
    let mut containers = 0usize;
    let mut in_block = false;
    // The leaf block being read: its range, inline tags and link edits.
    let mut leaf: Option<Leaf> = None;
    // Whether `leaf` is the inline content of a tight list item.
    let mut implicit = false;
    let mut open: Vec<OpenLink<'_>> = Vec::new();
    let mut events = Parser::new_ext(body, MARKDOWN).into_offset_iter();
    for (event, range) in events.by_ref() {
        let closes_link = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
        if !closes_link {
            if let Some(l) = open.last_mut() {
                l.text_end = l.text_end.max(range.end);
                if let Event::Text(t) | Event::Code(t) = &event {
                    l.text.push_str(t);
                }
            }
        }
        // A tight list item holds its text without a paragraph: its run of
        // inline content is a leaf all the same, so that its tags are
        // cleaned together (`<p>` and `</p>` apart would each get their
        // missing half).
        let is_inline = matches!(
            event,
            Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::FootnoteReference(_)
                | Event::Start(
                    Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Link { .. }
                        | Tag::Image { .. }
                )
                | Event::End(
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Link
                        | TagEnd::Image
                )
        );
        if is_inline && containers > 0 {
            match leaf.as_mut() {
                Some(l) if implicit => l.0.end = l.0.end.max(range.end),
                Some(_) => {}
                None => {
                    leaf = Some((range.clone(), Vec::new(), Vec::new()));
                    implicit = true;
                }
            }
        } else if implicit && !is_inline {
            implicit = false;
            if let Some(l) = leaf.take() {
                push_leaf(&mut out, l);
            }
        }
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
                if let Some(l) = leaf.take() {
                    push_leaf(&mut out, l);
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
            ) => {
                let image = body[range.clone()].starts_with('!');
                open.push(OpenLink {
                    text_end: range.start + if image { 2 } else { 1 },
                    range,
                    dest: dest_url,
                    link_type,
                    image,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some(link) = open.pop() else { continue };
                if let Some(outer) = open.last_mut() {
                    outer.text_end = outer.text_end.max(link.range.end);
                    outer.text.push_str(&link.text);
                }
                if let Some(edit) = link_edit(body, &link) {
                    match leaf.as_mut() {
                        Some((_, _, links)) => links.push(edit),
                        None => out.push(Edit::Link(edit)),
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(l) = leaf.take() {
        push_leaf(&mut out, l);
    }
    for (_, def) in events.reference_definitions().iter() {
        if let Some(edit) = definition_edit(body, &def.dest, def.span.clone()) {
            out.push(Edit::Link(edit));
        }
    }
    out.sort_by_key(|e| (e.range().start, e.range().end));
    out
}

/// Adds the edits of a leaf block just read.
fn push_leaf(out: &mut Vec<Edit>, (leaf, tags, mut links): Leaf) {
    // Inner links end first; edits go in source order.
    links.sort_by_key(|l| (l.range().start, l.range().end));
    if tags.is_empty() {
        out.extend(links.into_iter().map(Edit::Link));
    } else {
        out.push(Edit::Inline { leaf, tags, links });
    }
}

/// What to do with a link or image just read.
fn link_edit(body: &str, link: &OpenLink<'_>) -> Option<LinkEdit> {
    let src = &body[link.range.clone()];
    if policy::is_allowed_url(&link.dest) {
        return matches!(link.link_type, LinkType::Inline | LinkType::Autolink)
            .then(|| destination(body, link.range.clone(), &link.dest))
            .flatten()
            .map(LinkEdit::Strip);
    }
    if matches!(link.link_type, LinkType::Autolink | LinkType::Email)
        && src.starts_with('<')
        && src.ends_with('>')
    {
        // `<javascript:alert(1)>` becomes a link to `#` showing the same text.
        let text = &src[1..src.len() - 1];
        return Some(LinkEdit::Neutralize(
            link.range.clone(),
            format!("[{}](#)", escape_markdown(text)),
        ));
    }
    // Everything after the text's `]` (the destination and title, or the
    // reference) becomes `(#)`: `[text](javascript:…)`, `[text][ref]` and
    // `[ref]` alike.
    let bytes = body.as_bytes();
    let close = link.text_end;
    let mut end = link.range.end;
    // The parser's range of a collapsed reference `[x][]` stops before `[]`.
    if matches!(
        link.link_type,
        LinkType::Collapsed | LinkType::CollapsedUnknown
    ) && body[end..].starts_with("[]")
    {
        end += 2;
    }
    if close < end && bytes.get(close) == Some(&b']') {
        return Some(LinkEdit::Neutralize(close + 1..end, "(#)".into()));
    }
    // Not found as expected: the link is written anew from its text.
    Some(LinkEdit::Neutralize(
        link.range.clone(),
        format!(
            "{}[{}](#)",
            if link.image { "!" } else { "" },
            escape_markdown(&link.text)
        ),
    ))
}

/// Text with every ASCII punctuation character escaped, on one line.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// What to do with a link reference definition: its destination, if it is
/// found in the source, is stripped of tracking parameters or replaced by
/// `#`. (Every link that uses a refused definition is neutralized where it
/// is used as well.)
fn definition_edit(body: &str, dest: &str, span: Range<usize>) -> Option<LinkEdit> {
    let allowed = policy::is_allowed_url(dest);
    let (range, verbatim) = definition_destination(body, dest, span)?;
    if allowed {
        verbatim.then_some(LinkEdit::Strip(range))
    } else {
        Some(LinkEdit::Neutralize(range, "#".into()))
    }
}

/// The destination of a definition in its source, and whether it is
/// written as is. `None` when it is not found, or does not read as the
/// parser read it.
fn definition_destination(
    body: &str,
    dest: &str,
    span: Range<usize>,
) -> Option<(Range<usize>, bool)> {
    let b = body.as_bytes();
    let mut i = span.start;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    // The label: no unescaped brackets inside.
    loop {
        match *b.get(i)? {
            b'\\' => i += 2,
            b']' => break,
            b'[' => return None,
            _ => i += 1,
        }
    }
    if b.get(i + 1) != Some(&b':') {
        return None;
    }
    i += 2;
    let mut line_ends = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' if line_ends == 0 => {
                line_ends += 1;
                i += 1;
            }
            _ => break,
        }
    }
    let (range, bracketed) = if b.get(i) == Some(&b'<') {
        let mut j = i + 1;
        loop {
            match *b.get(j)? {
                b'\\' => j += 2,
                b'>' => break,
                b'<' | b'\n' => return None,
                _ => j += 1,
            }
        }
        (i + 1..j, true)
    } else {
        let end = b[i..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || c.is_ascii_control())
            .map_or(b.len(), |p| i + p);
        (i..end, false)
    };
    if range.end > span.end || range.is_empty() && !bracketed {
        return None;
    }
    let written = body.get(range.clone())?;
    if written == dest {
        return Some((range, true));
    }
    // Escapes or entities: read it the way the parser does, to be sure.
    let probe = if bracketed {
        format!("[x]: <{written}>\n\n[x]\n")
    } else {
        format!("[x]: {written}\n\n[x]\n")
    };
    let same = Parser::new_ext(&probe, MARKDOWN)
        .any(|e| matches!(e, Event::Start(Tag::Link { dest_url, .. }) if &*dest_url == dest));
    same.then_some((range, false))
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
        let Edit::Inline { leaf, tags, links } = &edits[0] else {
            panic!("{edits:?}")
        };
        assert_eq!(
            &body[leaf.clone()],
            "a <b>bold</b> [l](/x?utm_source=y) c\n"
        );
        let tags: Vec<&str> = tags.iter().map(|r| &body[r.clone()]).collect();
        assert_eq!(tags, ["<b>", "</b>"]);
        assert_eq!(&body[links[0].range().clone()], "/x?utm_source=y");
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
                Edit::Link(LinkEdit::Strip(r)) => Some(&body[r.clone()]),
                _ => None,
            })
            .collect();
        assert_eq!(
            urls,
            [
                "https://x.com/?utm_source=y",
                "/img.png",
                "https://auto.link/?q=1",
                "/ref"
            ]
        );
    }

    fn neutralized(body: &str) -> Vec<(&str, String)> {
        let mut out = Vec::new();
        for e in scan(body) {
            let links = match e {
                Edit::Link(l) => vec![l],
                Edit::Inline { links, .. } => links,
                _ => vec![],
            };
            for l in links {
                if let LinkEdit::Neutralize(r, text) = l {
                    out.push((&body[r], text));
                }
            }
        }
        out
    }

    #[test]
    fn links_to_refused_urls_are_neutralized() {
        let body = "[a](javascript:alert(1) \"t\") ![i](vbscript:x) [e](java&#115;cript:y)\n\n\
                    <javascript:z> [r] [s][r] <b>x</b> [h](https://ok/)\n\n[r]: <javascript:d>\n";
        assert_eq!(
            neutralized(body),
            [
                ("(javascript:alert(1) \"t\")", "(#)".to_string()),
                ("(vbscript:x)", "(#)".to_string()),
                ("(java&#115;cript:y)", "(#)".to_string()),
                ("<javascript:z>", "[javascript\\:z](#)".to_string()),
                ("", "(#)".to_string()),
                ("[r]", "(#)".to_string()),
                ("javascript:d", "#".to_string()),
            ]
        );
    }
}
