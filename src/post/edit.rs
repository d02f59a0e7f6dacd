//! One round of cleaning a post: each edit [`scan::scan`] finds is
//! made in place, the bytes around it kept as written.

use std::borrow::Cow;
use std::ops::Range;

use super::scan::{self, Edit, LinkEdit};
use super::Cleaning;
use crate::report::Report;

/// The post `text`, whose body starts at byte `start`, with each edit made
/// once.
pub(super) fn clean_once(
    text: &str,
    start: usize,
    cleaning: &impl Cleaning,
    report: &mut Report,
) -> String {
    let body = &text[start..];
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    let mut last = 0;
    for edit in scan::scan(body) {
        // NOTE: `scan` gives edits in order, without overlaps; were one to
        // overlap, it is skipped rather than sliced out of bounds.
        if edit.range().start < last {
            continue;
        }
        let line = matches!(edit, Edit::Line(_));
        match edit {
            Edit::Link(link) => {
                let range = link.range().clone();
                out.push_str(&body[last..range.start]);
                out.push_str(&edit_link(body, &link, cleaning, report));
                last = range.end;
            }
            Edit::Block(range) | Edit::Line(range) => {
                out.push_str(&body[last..range.start]);
                let src = &body[range.clone()];
                let cleaned = cleaning.html(src, report);
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
                out.push_str(&clean_inline(
                    body,
                    leaf.clone(),
                    &tags,
                    &links,
                    cleaning,
                    report,
                ));
                last = leaf.end;
            }
        }
    }
    out.push_str(&body[last..]);
    out
}

/// The new text of a link edit's bytes.
fn edit_link<'b>(
    body: &'b str,
    link: &'b LinkEdit,
    cleaning: &impl Cleaning,
    report: &mut Report,
) -> Cow<'b, str> {
    match link {
        LinkEdit::Strip(range) => cleaning.destination(&body[range.clone()], report),
        LinkEdit::Neutralize(_, text) => Cow::Borrowed(text),
    }
}

/// Cleans a Markdown leaf block with inline HTML tags in it.
///
/// The Markdown between the tags must come back as written, not escaped
/// into entities, yet an ad's text must go with the ad. So each stretch of
/// Markdown becomes one placeholder character (from Unicode's private use
/// plane 15) in an HTML fragment made of the tags; the fragment is cleaned
/// like any other, and the placeholders that survive, always in text and
/// never in attributes, are replaced by their Markdown.
fn clean_inline(
    body: &str,
    leaf: Range<usize>,
    tags: &[Range<usize>],
    links: &[LinkEdit],
    cleaning: &impl Cleaning,
    report: &mut Report,
) -> String {
    const FIRST: u32 = 0xF0000;
    const LAST: u32 = 0xFFFFD;
    let is_placeholder = |c: char| (FIRST..=LAST).contains(&(c as u32));
    // The leaf's trailing line break stays after it: ammonia would put the
    // end tags it adds after the break, at the start of a line.
    let tail = body[leaf.clone()]
        .trim_end_matches(['\n', '\r', ' ', '\t'])
        .len();
    if tail < leaf.len() {
        let (end, full_end) = (leaf.start + tail, leaf.end);
        let tags: Vec<_> = tags.iter().filter(|t| t.end <= end).cloned().collect();
        let mut cleaned = clean_inline(body, leaf.start..end, &tags, links, cleaning, report);
        cleaned.push_str(&body[end..full_end]);
        return cleaned;
    }
    let src = &body[leaf.clone()];
    let crosses_a_tag = links.iter().any(|l| {
        let r = l.range();
        tags.iter().any(|t| r.start < t.end && t.start < r.end)
    });
    if src.chars().any(is_placeholder) || tags.len() as u32 >= LAST - FIRST || crosses_a_tag {
        // NOTE: a page could forge placeholders; then the leaf is cleaned as
        // plain HTML, which escapes its Markdown but stays safe. Its links
        // are edited first: ammonia leaves `[a](javascript:…)` alone, as
        // text.
        let mut edited = String::with_capacity(src.len());
        let mut pos = leaf.start;
        for link in links {
            let r = link.range();
            if r.start < pos || r.end > leaf.end {
                continue;
            }
            edited.push_str(&body[pos..r.start]);
            edited.push_str(&edit_link(body, link, cleaning, report));
            pos = r.end;
        }
        edited.push_str(&body[pos..leaf.end]);
        return cleaning.html(&edited, report);
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
            md.push_str(&edit_link(body, link, cleaning, report));
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
    let cleaned = cleaning.html(&html, report);
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
pub(super) fn one_block(html: &str) -> Cow<'_, str> {
    let head = html.trim_start().as_bytes();
    let kind_1 = ["<pre", "<script", "<style", "<textarea"].iter().any(|t| {
        head.len() > t.len()
            && head[..t.len()].eq_ignore_ascii_case(t.as_bytes())
            && matches!(head[t.len()], b' ' | b'\t' | b'\n' | b'>')
    });
    if kind_1 || !html.lines().skip(1).any(|l| l.trim().is_empty()) {
        return Cow::Borrowed(html);
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
    Cow::Owned(out)
}

/// Cleaned HTML that stays on one line of a container (a block quote, a
/// list item), whose next lines would need the container's markers: its
/// line breaks become spaces.
fn one_line(html: &str) -> Cow<'_, str> {
    if html.trim_end().contains('\n') {
        Cow::Owned(html.trim_end().replace('\n', " "))
    } else {
        Cow::Borrowed(html)
    }
}
