//! Markdown posts with front matter: the front matter and the Markdown
//! kept byte for byte, each piece of raw HTML cleaned in place.

use super::{At, Cleaner};
use crate::dom::Dom;
use crate::input::{self, Edit, Kind, LinkEdit};
use crate::passes;
use crate::report::Report;

impl Cleaner {
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
    pub(super) fn clean_markdown(
        &self,
        text: &str,
        start: usize,
        at: At<'_>,
        report: &mut Report,
    ) -> String {
        const ROUNDS: usize = 4;
        let mut out = self.clean_markdown_once(text, start, at, report);
        for _ in 0..ROUNDS {
            let start = input::front_matter_end(&out).unwrap_or(0);
            let mut round = Report::default();
            let again = self.clean_markdown_once(&out, start, at, &mut round);
            if again == out {
                return out;
            }
            report.append_later_round(round);
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

    /// A Markdown post's body rendered to HTML by CommonMark, cleaned and
    /// sanitized, as a tree: what its text and Markdown are rendered from
    /// (see [`Cleaner::sanitize`]).
    pub(super) fn markdown_body(&self, body: &str, at: At<'_>, report: &mut Report) -> Dom {
        let html = input::markdown_to_html(body);
        let dom = self.parse_and_run(&html, Kind::Fragment, at, report);
        Dom::parse_fragment(&self.sanitize_settled(&dom, at, report))
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
