//! Boilerplate inside the article: what a page puts in the article's own
//! container that is not the article (share bars, lists of related links,
//! comment sections, tag lists), found by the same hints as the scoring.
//!
//! A removal here never takes the bulk of the article: an element goes
//! only while what it holds is a small share of what is kept, and never
//! when it holds the title or many long paragraphs.

use super::score::{self, Weights, LONG_PARAGRAPH};
use crate::dom::{Dom, NodeId};

/// Most prose (weighted characters outside links) a block of links may
/// hold and still be taken for a list of links.
const MAX_LINK_LIST_PROSE: u32 = 200;

/// Why an element inside the article is boilerplate, if it is.
pub(super) fn reason(dom: &Dom, w: &Weights, id: NodeId, kept_prose: u32) -> Option<&'static str> {
    let e = dom.element(id)?;
    let prose = w.prose(id);
    // NOTE: never more than a third of what is kept, whatever the hints: a
    // site that calls its article body "post-share-wrap" keeps it.
    if prose * 3 > kept_prose {
        return None;
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
    {
        return Some("a block of links");
    }
    None
}

/// Whether `id` holds two long paragraphs of prose or more.
fn has_long_prose(w: &Weights, id: NodeId) -> bool {
    w.prose(id) >= 2 * LONG_PARAGRAPH && w.link_density(id) < 0.3
}
