//! Boilerplate inside the article: what a page puts in the article's own
//! container that is not the article (share bars, lists of related links,
//! comment sections, tag lists), found by the same hints as the scoring.
//!
//! A removal here never takes the bulk of the article: an element goes
//! only while what it holds is a small share of what is kept, and never
//! when it holds the title or many long paragraphs.

use std::collections::BTreeSet;

use super::score::{self, Weights, LONG_PARAGRAPH};
use crate::dom::{Dom, NodeData, NodeId};

/// Class and id words of image galleries, slideshows and their lightboxes:
/// their pictures are the article's, their counters, controls and
/// repeated captions are not.
const GALLERY: &[&str] = &["gallery", "slideshow", "carousel", "lightbox", "slider"];

/// Class and id words of an article's metadata: its byline, its dates,
/// its reading time, its images' credits. Readers see them beside the
/// article; they are not its text (the metadata output has them).
const METADATA: &[&str] = &[
    "byline",
    "bylines",
    "author",
    "authors",
    "dateline",
    "date",
    "dates",
    "timestamp",
    "time",
    "published",
    "publish",
    "pubdate",
    "posted",
    "updated",
    "credit",
    "credits",
    "copyright",
    "attribution",
    "meta",
    "metadata",
];

/// `itemprop` values of an article's metadata.
const METADATA_ITEMPROP: &[&str] = &["author", "datePublished", "dateModified", "dateCreated"];

/// Most weighted characters a block named as metadata holds: a byline
/// or a date line, not an author's biography or the article.
const MAX_METADATA: u32 = 200;

/// Most weighted characters of a control ("Enlarge image", "View all (4)").
const MAX_CONTROL: u32 = 40;

/// Shortest text (characters) that a repeat of is dropped.
const MIN_REPEAT: usize = 20;

/// Most prose (weighted characters outside links) a block of links may
/// hold and still be taken for a list of links.
const MAX_LINK_LIST_PROSE: u32 = 200;

/// Why an element inside the article is boilerplate, if it is.
pub(super) fn reason(dom: &Dom, w: &Weights, id: NodeId, kept_prose: u32) -> Option<&'static str> {
    let e = dom.element(id)?;
    // NOTE: an inline element goes with its block, never alone: the texts
    // on either side of it would run together into new words.
    if score::is_inline(e.name()) {
        return None;
    }
    let prose = w.prose(id);
    // NOTE: never more than a third of what is kept, whatever the hints: a
    // site that calls its article body "post-share-wrap" keeps it.
    if prose * 3 > kept_prose {
        return None;
    }
    if e.is("figure") && is_orphan_caption(dom, w, id) {
        return Some("the caption of a video or embed that the output drops");
    }
    if matches!(
        e.name(),
        "figure" | "picture" | "img" | "table" | "pre" | "blockquote"
    ) {
        return None;
    }
    let chrome = score::is_chrome(dom, id, w) || e.is("nav");
    if chrome && !has_long_prose(w, id) {
        return Some("page chrome inside the article");
    }
    if chrome && w.hint[id.index()] < 0 && prose * 5 <= kept_prose {
        return Some("named as page chrome");
    }
    let chars = w.chars[id.index()];
    let is_container = matches!(
        e.name(),
        "ul" | "ol" | "dl" | "div" | "section" | "footer" | "aside" | "nav" | "header" | "menu"
    );
    if is_container
        && chars >= 20
        && w.link_density(id) > 0.5
        && prose < MAX_LINK_LIST_PROSE
        && !e.is("header")
        // A list of references spells its URLs out; a list of related
        // stories gives their titles.
        && !dom.text_content(id).contains("://")
        // Pictures with a few words (an author's portrait and name) are
        // not a list of stories, whose links have their titles.
        && !(w.images[id.index()] > 0 && chars < 60)
        // A list has items: a name linked beside a title is a byline.
        && dom.descendants(id).filter(|&n| dom.is_element(n, "a")).nth(1).is_some()
        // A list the article introduces ("The winners were:") is its own.
        && !is_introduced(dom, id)
    {
        return Some("a block of links");
    }
    None
}

/// Why `id` is the article's byline, date or an image credit, named so by
/// its class, id or `itemprop`, or a control (a button, a link to nowhere:
/// "Enlarge image", "View all"), if it is one: short, without images, no
/// paragraph of prose in it or around it, and not holding the title.
pub(super) fn metadata(
    dom: &Dom,
    w: &Weights,
    id: NodeId,
    title: Option<NodeId>,
) -> Option<&'static str> {
    let e = dom.element(id)?;
    let i = id.index();
    if w.chars[i] == 0 || w.images[i] > 0 {
        return None;
    }
    let why = if w.chars[i] <= MAX_METADATA && is_metadata_named(e) {
        "the article's byline, date or credit"
    } else if w.chars[i] <= MAX_CONTROL && is_control(e) {
        "a control of the page"
    } else {
        return None;
    };
    if title.is_some_and(|t| t == id || dom.ancestors(t).any(|a| a == id)) {
        return None;
    }
    // NOTE: a date in a table or in a list (a schedule, a timeline) is
    // the article's data, whatever its class says.
    let is_item = |n: &str| {
        matches!(
            n,
            "li" | "dd" | "dt" | "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" | "table"
        )
    };
    if is_item(e.name())
        || dom
            .ancestors(id)
            .any(|a| dom.element(a).is_some_and(|b| b.is("table")))
    {
        return None;
    }
    // NOTE: a date or a name inside a sentence is the sentence's: an
    // inline element goes only from a block that is not prose.
    if score::is_inline(e.name()) {
        let block = dom
            .ancestors(id)
            .find(|&a| dom.element(a).is_some_and(|b| !score::is_inline(b.name())));
        let in_item = |b: NodeId| dom.element(b).is_some_and(|b| is_item(b.name()));
        if block.is_none_or(|b| w.own[b.index()] >= LONG_PARAGRAPH || in_item(b)) || glues(dom, id)
        {
            return None;
        }
    }
    let has_prose = dom
        .descendants(id)
        .any(|n| w.own[n.index()] >= LONG_PARAGRAPH);
    (!has_prose).then_some(why)
}

/// Whether `e` is a control: a button by its role or class, or a link to
/// nowhere (`href="#"`, `javascript:`).
fn is_control(e: &crate::dom::Element) -> bool {
    if e.attr("role") == Some("button") {
        return true;
    }
    if e.is("a") {
        let href = e.attr("href").map(str::trim).unwrap_or("");
        if href == "#"
            || href
                .get(..11)
                .is_some_and(|s| s.eq_ignore_ascii_case("javascript:"))
        {
            return true;
        }
    }
    e.classes()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| word.eq_ignore_ascii_case("button") || word.eq_ignore_ascii_case("btn"))
}

/// Whether the class, id or `itemprop` of `e` names the article's metadata.
fn is_metadata_named(e: &crate::dom::Element) -> bool {
    if e.attr("itemprop").is_some_and(|v| {
        v.split_ascii_whitespace()
            .any(|t| METADATA_ITEMPROP.contains(&t))
    }) {
        return true;
    }
    [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| {
            METADATA
                .iter()
                .any(|m| word.len() == m.len() && word.eq_ignore_ascii_case(m))
        })
}

/// Whether removing the inline element `id` would run the words on either
/// side of it together.
fn glues(dom: &Dom, id: NodeId) -> bool {
    let before = dom
        .prev_sibling(id)
        .and_then(|s| dom.text(s))
        .and_then(|t| t.chars().next_back());
    let after = dom
        .next_sibling(id)
        .and_then(|s| dom.text(s))
        .and_then(|t| t.chars().next());
    matches!((before, after), (Some(b), Some(a)) if !b.is_whitespace() && !a.is_whitespace())
}

/// Whether the figure `id` is a caption and nothing the output shows: its
/// picture was a video, a player or an embed, which the sanitizer drops
/// (`policy::DROPPED_WITH_CONTENT`), and a caption of nothing is not the
/// article's.
fn is_orphan_caption(dom: &Dom, w: &Weights, id: NodeId) -> bool {
    let mut caption_chars = 0;
    let mut has_caption = false;
    let mut walk = dom.descendants(id);
    walk.next();
    while let Some(n) = walk.next() {
        let Some(e) = dom.element(n) else { continue };
        if e.is("figcaption") {
            has_caption = true;
            caption_chars += w.chars[n.index()];
            walk.skip_children_of(n);
        } else if matches!(
            e.name(),
            "img" | "picture" | "table" | "pre" | "code" | "blockquote" | "math" | "noscript"
        ) {
            return false;
        }
    }
    has_caption && caption_chars > 0 && w.chars[id.index()] == caption_chars
}

/// Whether the block before `id` ends with a colon: it introduces `id`.
fn is_introduced(dom: &Dom, id: NodeId) -> bool {
    dom.prev_element_sibling(id)
        .is_some_and(|p| dom.text_content(p).trim_end().ends_with([':', '：']))
}

/// Whether `id` holds two long paragraphs of prose or more.
fn has_long_prose(w: &Weights, id: NodeId) -> bool {
    w.prose(id) >= 2 * LONG_PARAGRAPH && w.link_density(id) < 0.3
}

/// The text of a gallery inside the article (an element named as one, with
/// images): every part of it that holds no image. `None` when `id` is not
/// such a gallery, and empty when its text is a large share of what is
/// kept.
pub(super) fn gallery_text(
    dom: &Dom,
    w: &Weights,
    id: NodeId,
    kept_prose: u32,
) -> Option<Vec<NodeId>> {
    let e = dom.element(id)?;
    let named = [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            GALLERY.iter().any(|g| v.contains(g))
        });
    if !named || w.images[id.index()] == 0 {
        return None;
    }
    // NOTE: a gallery whose captions are much of the page is the article
    // (a gallery page): its text stays, nested galleries included. Its
    // captions are counted once: a slideshow shows each again in its
    // lightbox, and a truncated copy in its strip.
    let copies = copied_prose(dom, w, id);
    if (w.prose(id) - copies) * 3 > kept_prose.saturating_sub(copies) {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        for c in dom.children(n) {
            if w.images[c.index()] > 0 {
                stack.push(c);
            } else if w.chars[c.index()] > 0 {
                out.push(c);
            }
        }
    }
    Some(out)
}

/// The prose of the blocks of text under `id` that copy another one there
/// (the same text, or the start of a longer one).
fn copied_prose(dom: &Dom, w: &Weights, id: NodeId) -> u32 {
    let mut texts = Vec::new();
    let mut walk = dom.descendants(id);
    while let Some(n) = walk.next() {
        if is_leaf_block(dom, n) {
            walk.skip_children_of(n);
            texts.push((text_outside_links(dom, n), w.prose(n)));
        }
    }
    // Longest first: a text is a copy when a longer one starts with it.
    texts.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut copies = 0;
    for (text, p) in &texts {
        let is_copy = seen
            .range(text.as_str()..)
            .next()
            .is_some_and(|s| s.starts_with(text.as_str()));
        if is_copy {
            copies += p;
        } else {
            seen.insert(text);
        }
    }
    copies.min(w.prose(id))
}

/// Blocks of the article that repeat the text of an earlier one (a
/// caption shown again in a lightbox, a truncated copy of it, a headline
/// repeated over a slideshow): the later copies. A block's text here is
/// its text outside links (a "more" link ends a truncated copy).
pub(super) fn repeats(dom: &Dom, roots: &[NodeId]) -> Vec<NodeId> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for &r in roots {
        let mut walk = dom.descendants(r);
        while let Some(id) = walk.next() {
            let Some(e) = dom.element(id) else { continue };
            if !is_leaf_block(dom, id) {
                continue;
            }
            walk.skip_children_of(id);
            let text = text_outside_links(dom, id);
            if text.chars().count() < MIN_REPEAT {
                continue;
            }
            // A copy, or the start of an earlier text (a truncated copy).
            let is_repeat = seen
                .range(text.clone()..)
                .next()
                .is_some_and(|s| s.starts_with(&text));
            if is_repeat && !e.is("p") {
                out.push(id);
            } else {
                seen.insert(text);
            }
        }
    }
    out
}

/// Whether `id` is a block whose children are all inline: it holds text,
/// not other blocks.
pub(super) fn is_leaf_block(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if score::is_inline(e.name()) {
        return false;
    }
    let mut walk = dom.descendants(id);
    walk.next();
    walk.all(|n| dom.element(n).is_none_or(|c| score::is_inline(c.name())))
}

/// The text of `id` outside links, whitespace collapsed.
fn text_outside_links(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    let mut walk = dom.descendants(id);
    while let Some(n) = walk.next() {
        match dom.data(n) {
            NodeData::Element(e) if e.is("a") => walk.skip_children_of(n),
            NodeData::Text(t) => {
                for word in t.split_whitespace() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(word);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids of the elements under `html` that `metadata` removes.
    fn removed(html: &str) -> Vec<String> {
        let dom = Dom::parse_fragment(html);
        let w = Weights::new(&dom);
        dom.descendants(dom.content())
            .filter(|&n| metadata(&dom, &w, n, None).is_some())
            .filter_map(|n| dom.element(n).and_then(|e| e.id()).map(str::to_string))
            .collect()
    }

    #[test]
    fn bylines_and_dates_go_but_not_from_sentences_tables_or_lists() {
        let html = "<p id=by class=byline>By Ana Ruiz</p>\
            <div id=when class=publish-date>Published 10:02 AM EST Nov 19, 2019</div>\
            <p>The bridge, which carries most of the traffic, closed on \
            <span id=inline class=date>Tuesday</span> after the river rose above its deck.</p>\
            <table><tr><td id=cell class=date>Nov 20</td><td>Final</td></tr></table>\
            <ul><li><span id=item class=date>1998</span> The last flood.</li></ul>\
            <a id=enlarge href='#'>Enlarge image</a>";
        assert_eq!(removed(html), ["by", "when", "enlarge"]);
    }
}
