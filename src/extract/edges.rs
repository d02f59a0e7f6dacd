//! What a site appends to an article that is not the article: the
//! author's or the site's promotion at its end ("Follow him on Twitter",
//! "Join our forums", "Write to the author at …", a newsletter sign-up),
//! and the list of its other stories there, each item a link.
//!
//! Promotions are found by their words, and only where they cannot be the
//! article's own sentences: at the article's end, after its last paragraph
//! that is not one, or, anywhere, in a short block whose words are a
//! subscription call.
//!
//! NOTE: a link teased between paragraphs ("Related: …", "Read more: …",
//! "Lire aussi : …") stays: readers count it as the article's (the shared
//! corpus's expected articles keep it), and a label and a link are also
//! how a caption credits an artist ("(Artist: name)").

use std::sync::LazyLock;

use regex::Regex;

use super::prune::is_leaf_block;
use super::score::Weights;
use crate::dom::{Dom, NodeId};

/// Most weighted characters of a promotion at the article's end.
const MAX_PROMOTION: u32 = 400;
/// Most weighted characters of an item of a list of stories.
const MAX_STORY: u32 = 200;
/// Fewest items of a list of stories.
const MIN_STORIES: usize = 3;
/// Least share of a list of stories' text in links.
const MIN_STORY_LINKS: f32 = 0.35;
/// Most characters of the label of a list or a promotion ("More stories").
const MAX_LABEL: usize = 60;
/// Most weighted characters of a subscription call inside the article.
const MAX_CALL: u32 = 200;

/// Words of an author's or a site's promotion (case-insensitive): a call
/// to follow on a network, to join the site, to subscribe or sign up, its
/// newsletter, or an e-mail address to write to. Anchored so that the same
/// verbs in a sentence of the article ("customers who subscribe to the
/// service", "police will follow him") do not match.
static PROMOTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bfollow (us|him|her|me|them)\s+(on|at|@)|^(subscribe|sign up)\b|\b(subscribe|sign up)\b.{0,40}\b(our|newsletters?)\b|\bour (\w+ )?newsletters?\b|\b(write to|e-?mail)\b[^@]{0,60}@\S",
    )
    .expect("the promotion pattern is valid")
});

/// Words of a subscription call, wherever it stands: short and all call.
static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(subscribe|sign up|newsletters?)$|^subscribe to\b|\bsign up for (our|the|a) \w*\s*newsletters?\b|^follow us on\b",
    )
    .expect("the call pattern is valid")
});

/// A call to join the site: a promotion unless it is quoted speech
/// ("'Join our fight,' she said").
static JOIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bjoin (us|our)\b").expect("the join pattern is valid"));

/// Whether `text` is an author's or a site's promotion.
fn is_promotion(text: &str) -> bool {
    PROMOTION.is_match(text) || (JOIN.is_match(text) && !quotes(text))
}

/// Whether `text` quotes someone: a promotion does not, the article's
/// last paragraph often does.
fn quotes(text: &str) -> bool {
    text.contains(['"', '“', '”', '«', '»', '„'])
}

/// The blocks of the article (under `roots`, the title aside) that a site
/// appended: promotions at its end, subscription calls anywhere. Each
/// with why.
pub(super) fn appended(
    dom: &Dom,
    w: &Weights,
    roots: &[NodeId],
    title: Option<NodeId>,
) -> Vec<(NodeId, &'static str)> {
    let mut blocks = Vec::new();
    for &r in roots {
        let mut walk = dom.descendants(r);
        while let Some(id) = walk.next() {
            if Some(id) == title {
                walk.skip_children_of(id);
                continue;
            }
            if is_leaf_block(dom, id) {
                blocks.push(id);
                walk.skip_children_of(id);
            }
        }
    }
    let mut out = Vec::new();
    // The end: back from the last block, while blocks are promotions or
    // lists of stories, with the label just before one.
    let mut end = blocks.len();
    let mut after_appended = false;
    while let Some(&id) = end.checked_sub(1).and_then(|i| blocks.get(i)) {
        let text = words(dom, id);
        if text.is_empty() {
            end -= 1;
            continue;
        }
        if let Some(list) = story_list(dom, w, id) {
            let mut first = end;
            while first > 0 && dom.ancestors(blocks[first - 1]).any(|a| a == list) {
                first -= 1;
            }
            // NOTE: a site titles the list it appends ("More stories"); a
            // list the article introduces ("The winners:") is its own.
            let titled = first
                .checked_sub(1)
                .map(|i| words(dom, blocks[i]))
                .is_some_and(|t| is_label(&t) && !t.ends_with(':'));
            if !titled {
                break;
            }
            out.push((list, "a list of stories at the article's end"));
            end = first;
            after_appended = true;
            continue;
        }
        if w.chars[id.index()] <= MAX_PROMOTION && is_promotion(&text) {
            out.push((id, "a promotion at the article's end"));
        } else if after_appended && is_label(&text) {
            out.push((id, "the label of what the site appended"));
        } else {
            break;
        }
        after_appended = true;
        end -= 1;
    }
    for &id in &blocks[..end] {
        if w.chars[id.index()] > MAX_CALL || w.chars[id.index()] == 0 {
            continue;
        }
        if CALL.is_match(&words(dom, id)) {
            out.push((id, "a call to subscribe"));
        }
    }
    out
}

/// The list that the list item `id` is in, when it is a list of stories:
/// three items or more, each short and holding a link, and much of its
/// text in links. (At the article's end, it goes only under a title.)
fn story_list(dom: &Dom, w: &Weights, id: NodeId) -> Option<NodeId> {
    if !dom.is_element(id, "li") {
        return None;
    }
    let list = dom.parent(id)?;
    if !(dom.is_element(list, "ul") || dom.is_element(list, "ol")) {
        return None;
    }
    let mut items = 0;
    for li in dom.element_children(list) {
        let has_link = dom.descendants(li).any(|n| dom.is_element(n, "a"));
        if !dom.is_element(li, "li") || !has_link || w.chars[li.index()] > MAX_STORY {
            return None;
        }
        items += 1;
    }
    // A list of references spells its URLs out; a list of stories gives
    // their titles.
    let is_stories = items >= MIN_STORIES
        && w.link_density(list) >= MIN_STORY_LINKS
        && !dom.text_content(list).contains("://");
    is_stories.then_some(list)
}

/// Whether `text` reads as a label (a heading, a call), not a sentence:
/// short, and not ending as a sentence does.
fn is_label(text: &str) -> bool {
    text.chars().count() <= MAX_LABEL
        && !text.ends_with(['.', '!', '?', '。', '！', '？', '"', '”', '»'])
}

/// The text of `id`, whitespace collapsed.
fn words(dom: &Dom, id: NodeId) -> String {
    dom.text_content(id)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotions() {
        for yes in [
            "Follow us on Twitter @site and on Facebook.",
            "Email Jane Doe at jane@example.com or follow her @jd.",
            "Write to Al Root at al@example.com",
            "Join our forums to keep talking space!",
            "Sign up for our daily newsletter.",
        ] {
            assert!(is_promotion(yes), "{yes}");
        }
        for no in [
            "The company continued to sign up additional subscribers.",
            "She did not follow the plan, the report said.",
            "Users on Twitter asked whether the state was all right.",
            "Millions of customers subscribe to the service every month.",
            "Police said they would follow him until the trial.",
            "The newsletter was first printed in 1923.",
            "\"Join our fight,\" she told the crowd.",
        ] {
            assert!(!is_promotion(no), "{no}");
        }
    }
}
