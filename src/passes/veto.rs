//! The content veto: the bounds on what rules that are not `strict` may
//! remove from one document.
//!
//! Removing real article text or images is the worst thing this cleaner can
//! do, and users cannot see it happen. Every non-strict removal of a
//! document is judged against what the document holds *at that moment*,
//! after the removals judged before it, so the bounds hold for the document
//! as a whole, whatever the number of rules (built-in ones, a user's, or
//! thousands of filter-list selectors):
//!
//! - an element that holds the article (an `<article>`, a `<main>`, a
//!   `role="main"` element, or the element with the most `<p>` children,
//!   each with at least [`MIN_CHARS`] of prose) is never removed;
//! - one element may not take more than [`MAX_CHARS`] of prose, nor, from
//!   [`MIN_CHARS`] on, more than a quarter of the prose that would remain
//!   (a fifth of what is there);
//! - a rule's matches together (each rule measured by its own outermost
//!   matches) obey the same bound, so a class a site gives its paragraphs
//!   cannot take them one by one;
//! - images are content too: an element or a rule may take two of the
//!   article's images, and more only while they are at most a quarter of
//!   those that would remain. An image counts when it is in the article
//!   (inside an element taken for it, or anywhere in a document with none)
//!   and a reader would see it: it has a real URL (not a `data:` stand-in),
//!   is not hidden, and is not sized 1×1 or less.
//!
//! Rules are judged one after another, the rule with the least prose first,
//! so the small removals a page is full of (ad labels, share bars) pass, and
//! five rules that each take 17% of the prose do not take 86% of it: each is
//! judged against what the ones before it left.
//!
//! NOTE: every bound compares a removal with what would remain, and what
//! remains only shrinks. A removal vetoed here is vetoed again when the
//! output is cleaned again (it holds the same prose; the document holds
//! less), which is what makes cleaning idempotent with a veto.

use rustc_hash::FxHashSet;

use crate::dom::{Dom, NodeData, NodeId, Ns};
use crate::policy::drops_content;
use crate::rules::matching::{non_whitespace_chars, Stats};

/// Most prose (text outside links, whitespace not counted) one non-strict
/// removal may take, however long the document.
pub(crate) const MAX_CHARS: u32 = 2_000;
/// Removals of less prose than this are only bounded by the article's
/// protection: an ad label or a short promotion is not the article, even in
/// a tiny fragment. An element is taken for the article from this much
/// prose on.
pub(crate) const MIN_CHARS: u32 = 200;
/// A removal may take at most `1 / SHARE_DIVISOR` of the prose, or of the
/// images, that would remain after it.
const SHARE_DIVISOR: u32 = 4;
/// Images one element or one rule may always take (a paywall banner drawn
/// twice, for desktop and for mobile; a lone sponsored picture).
const FREE_IMAGES: u32 = 2;

/// Prose and images per node of the tree as it is now: removals subtract
/// their weight from their ancestors, so every judgment sees the document
/// the removals before it left.
pub(crate) struct Weights {
    prose: Vec<u32>,
    images: Vec<u32>,
    /// The article and its ancestors, found once on the tree as parsed.
    protected: FxHashSet<NodeId>,
    content: NodeId,
}

/// Why a removal was vetoed, for the report.
pub(crate) type Reason = String;

impl Weights {
    /// Weighs every node under the document's content.
    ///
    /// NOTE: one walk down and one up. The walk down passes each element's
    /// part in its children's state (inside a link, hidden) down once per
    /// element, weighs the text and finds the images a reader would see;
    /// the walk up adds prose to the ancestors and finds the article (each
    /// node is final once its children are). Images are few: each that
    /// counts adds itself to its ancestors.
    ///
    /// `stats` counts the text of the tree as it is: a text's prose, when
    /// it is prose, is its count ([`Stats`] hides the text of the same
    /// elements), which is not counted again.
    pub(crate) fn new(dom: &Dom, stats: &Stats) -> Weights {
        let n = dom.len();
        let mut prose = vec![0u32; n];
        let mut images = vec![0u32; n];
        let mut paragraphs = vec![0u32; n];
        // What a node passes down to its children: its own state, and
        // whether it is a link or hides its content.
        let mut down = vec![0u8; n];
        let root = dom.content();
        // Each node under the root with its parent, in document order.
        let mut order: Vec<(NodeId, NodeId)> = Vec::with_capacity(n);
        let mut seen_images: Vec<NodeId> = Vec::new();
        let mut walk = dom.descendants(root);
        walk.next();
        if let Some(e) = dom.element(root) {
            down[root.index()] = look_at(e).0;
        }
        for id in walk {
            let Some(p) = dom.parent(id) else { continue };
            let i = id.index();
            let state = down[p.index()];
            order.push((id, p));
            match dom.data(id) {
                NodeData::Text(t) if state == 0 => {
                    prose[i] = match stats.text.get(i) {
                        Some(&count) => count,
                        None => non_whitespace_chars(t),
                    };
                    debug_assert_eq!(prose[i], non_whitespace_chars(t), "counts are the tree's");
                }
                NodeData::Element(e) => {
                    let (own, kind) = look_at(e);
                    down[i] = state | own;
                    match kind {
                        Kind::Paragraph => paragraphs[p.index()] += 1,
                        Kind::Image if state & HIDDEN == 0 && is_real_image(e) => {
                            seen_images.push(id);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        // NOTE: ids follow document order, so every child comes after its
        // parent and a reverse walk adds children up before their parents.
        let mut found = Found::default();
        for &(id, p) in order.iter().rev() {
            // NOTE: most nodes hold too little prose to be looked at.
            if prose[id.index()] >= MIN_CHARS {
                found.consider(dom, id, &prose, &paragraphs);
            }
            prose[p.index()] += prose[id.index()];
        }
        found.consider(dom, root, &prose, &paragraphs);
        let roots = found.roots();
        // The images that count are the article's: those inside an article
        // root, or all of them when the document has none (a fragment).
        // NOTE: a page's ad and recommendation widgets (Outbrain, Taboola)
        // hold many real images outside the article; they are not what the
        // veto protects.
        let mut path = Vec::new();
        for img in seen_images {
            path.clear();
            let mut in_article = roots.is_empty();
            let mut cur = Some(img);
            while let Some(c) = cur {
                path.push(c);
                // NOTE: only an article root under the content puts images
                // in the article; the content taken for one (a fragment's
                // paragraphs) does not.
                in_article = in_article || (c != root && roots.contains(&c));
                if c == root {
                    break;
                }
                cur = dom.parent(c);
            }
            if in_article {
                for &c in &path {
                    images[c.index()] += 1;
                }
            }
        }
        let mut protected = FxHashSet::default();
        for r in roots {
            protected.insert(r);
            protected.extend(dom.ancestors(r));
        }
        Weights {
            prose,
            images,
            protected,
            content: root,
        }
    }

    /// The prose of `id` as the tree is now.
    pub(crate) fn prose(&self, id: NodeId) -> u32 {
        self.prose[id.index()]
    }

    /// The real images inside `id` (itself included) as the tree is now.
    pub(crate) fn images(&self, id: NodeId) -> u32 {
        self.images[id.index()]
    }

    /// Whether one element may go: why not, if it may not.
    pub(crate) fn judge_element(&self, id: NodeId, with_images: bool) -> Option<Reason> {
        if self.protected.contains(&id) {
            return Some("holds the article".to_string());
        }
        let (prose, total) = (self.prose(id), self.prose(self.content));
        if prose > MAX_CHARS || is_too_much_prose(prose, total) {
            return Some(format!("{prose} of {total} characters of prose"));
        }
        let (images, all) = (self.images(id), self.images(self.content));
        (with_images && is_too_many_images(images, all))
            .then(|| format!("{images} of {all} images"))
    }

    /// Whether a rule's matches, together, may go: why not, if they may not.
    pub(crate) fn judge_together(&self, prose: u32, images: u32) -> Option<Reason> {
        let total = self.prose(self.content);
        if is_too_much_prose(prose, total) {
            return Some(format!(
                "the rule's matches hold {prose} of {total} characters of prose"
            ));
        }
        let all = self.images(self.content);
        is_too_many_images(images, all)
            .then(|| format!("the rule's matches hold {images} of {all} images"))
    }

    /// Takes the weight of `id`, about to be removed, from its ancestors.
    pub(crate) fn remove(&mut self, dom: &Dom, id: NodeId) {
        let (prose, images) = (self.prose(id), self.images(id));
        if prose == 0 && images == 0 {
            return;
        }
        for a in dom.ancestors(id) {
            self.prose[a.index()] -= prose;
            self.images[a.index()] -= images;
            if a == self.content {
                break;
            }
        }
        self.prose[id.index()] = 0;
        self.images[id.index()] = 0;
    }
}

/// A node's state for [`Weights::new`]: inside a link.
const IN_LINK: u8 = 1;
/// A node's state for [`Weights::new`]: inside an element the sanitizer
/// drops with its content.
const HIDDEN: u8 = 2;

/// What [`Weights::new`] weighs an element as, besides its part in its
/// children's state.
enum Kind {
    Paragraph,
    Image,
    Other,
}

/// An element's own part in its children's state, and its kind: its name
/// read once for all the tests (`a`, `p` and `img` as [`Element::is`]
/// tests them, in HTML).
///
/// [`Element::is`]: crate::dom::Element::is
fn look_at(e: &crate::dom::Element) -> (u8, Kind) {
    let name = e.name();
    if drops_content(name) {
        return (HIDDEN, Kind::Other);
    }
    match name {
        "a" | "p" | "img" if e.ns() == Ns::Html => match name {
            "a" => (IN_LINK, Kind::Other),
            "p" => (0, Kind::Paragraph),
            _ => (0, Kind::Image),
        },
        _ => (0, Kind::Other),
    }
}

/// Whether taking `part` of `total` characters of prose is too much: from
/// [`MIN_CHARS`] on, more than a quarter of what would remain.
fn is_too_much_prose(part: u32, total: u32) -> bool {
    part >= MIN_CHARS && part > total.saturating_sub(part) / SHARE_DIVISOR
}

/// Whether taking `part` of `total` images is too many: more than
/// [`FREE_IMAGES`] and more than a quarter of what would remain.
fn is_too_many_images(part: u32, total: u32) -> bool {
    part > FREE_IMAGES && part > total.saturating_sub(part) / SHARE_DIVISOR
}

/// An image a reader would see: an `<img>` with a URL that is not a `data:`
/// stand-in (a lazy image's real URL counts), not hidden, and with no
/// explicit size of one pixel or less.
fn is_real_image(e: &crate::dom::Element) -> bool {
    if !e.is("img") || e.is_hidden() {
        return false;
    }
    let url = [
        "src",
        "data-src",
        "data-original",
        "data-lazy-src",
        "srcset",
        "data-srcset",
    ]
    .iter()
    .filter_map(|a| e.attr(a))
    .map(str::trim)
    .find(|v| !v.is_empty() && !v.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:")));
    let tiny = |a: &str| {
        e.attr(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f32>().ok())
            .is_some_and(|v| v <= 1.0)
    };
    url.is_some() && !(tiny("width") && tiny("height"))
}

/// The elements taken for the article: `<article>`, `<main>` and
/// `role="main"` elements, and the element with the most `<p>` children
/// (the first in document order of those with as many), each only when it
/// holds at least [`MIN_CHARS`] of prose (a `<div>` around one empty `<p>`
/// is not an article, and would stop being taken for one once cleaned).
/// Found by a walk up the tree, against document order.
#[derive(Default)]
struct Found {
    roots: Vec<NodeId>,
    best: Option<(u32, NodeId)>,
}

impl Found {
    /// Looks at `id`, whose prose and paragraphs are counted.
    fn consider(&mut self, dom: &Dom, id: NodeId, prose: &[u32], paragraphs: &[u32]) {
        let Some(e) = dom.element(id) else { return };
        if prose[id.index()] < MIN_CHARS {
            return;
        }
        if e.is("article") || e.is("main") || e.attr("role") == Some("main") {
            self.roots.push(id);
        }
        let p = paragraphs[id.index()];
        // NOTE: against document order, a later tie is an earlier element.
        if p > 0 && self.best.is_none_or(|(b, _)| p >= b) {
            self.best = Some((p, id));
        }
    }

    fn roots(mut self) -> Vec<NodeId> {
        self.roots.extend(self.best.map(|(_, id)| id));
        self.roots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_compare_with_what_would_remain() {
        // 200 of 1,000: 800 remain, a quarter of them is 200.
        assert!(!is_too_much_prose(200, 1_000));
        assert!(is_too_much_prose(201, 1_000));
        // Short removals are free, whatever the document.
        assert!(!is_too_much_prose(199, 199));
    }

    #[test]
    fn two_images_are_free_more_need_many_left() {
        assert!(!is_too_many_images(2, 2));
        assert!(is_too_many_images(3, 3));
        assert!(!is_too_many_images(3, 15));
        assert!(is_too_many_images(3, 14));
    }

    /// The weights as first written, a walk per quantity: what
    /// [`Weights::new`] must agree with.
    fn reference(dom: &Dom) -> (Vec<u32>, Vec<u32>, FxHashSet<NodeId>) {
        let n = dom.len();
        let (mut prose, mut images, mut paragraphs) = (vec![0; n], vec![0; n], vec![0; n]);
        let (mut in_link, mut hidden) = (vec![false; n], vec![false; n]);
        let root = dom.content();
        let order: Vec<NodeId> = dom.descendants(root).collect();
        for &id in order.iter().skip(1) {
            let p = dom.parent(id).expect("parent exists for non-root node");
            let pe = dom.element(p);
            in_link[id.index()] = in_link[p.index()] || pe.is_some_and(|e| e.is("a"));
            hidden[id.index()] = hidden[p.index()] || pe.is_some_and(|e| drops_content(e.name()));
        }
        for &id in order.iter().rev() {
            let i = id.index();
            if let NodeData::Text(t) = dom.data(id) {
                if !hidden[i] && !in_link[i] {
                    prose[i] = crate::rules::matching::non_whitespace_chars(t);
                }
            }
            if id != root {
                let p = dom.parent(id).expect("parent exists for non-root node");
                prose[p.index()] += prose[i];
                paragraphs[p.index()] += u32::from(dom.is_element(id, "p"));
            }
        }
        let mut roots = Vec::new();
        let mut best: Option<(u32, NodeId)> = None;
        for &id in &order {
            let Some(e) = dom.element(id) else { continue };
            if prose[id.index()] < MIN_CHARS {
                continue;
            }
            if e.is("article") || e.is("main") || e.attr("role") == Some("main") {
                roots.push(id);
            }
            let p = paragraphs[id.index()];
            if p > 0 && best.is_none_or(|(b, _)| p > b) {
                best = Some((p, id));
            }
        }
        roots.extend(best.map(|(_, id)| id));
        let mut in_article = vec![roots.is_empty(); n];
        for &id in order.iter().skip(1) {
            let p = dom.parent(id).expect("parent exists for non-root node");
            in_article[id.index()] = in_article[p.index()] || roots.contains(&id);
        }
        for &id in order.iter().rev() {
            let i = id.index();
            if let NodeData::Element(e) = dom.data(id) {
                if in_article[i] && !hidden[i] && is_real_image(e) {
                    images[i] = 1;
                }
            }
            if id != root {
                let p = dom.parent(id).expect("parent exists for non-root node");
                images[p.index()] += images[i];
            }
        }
        let mut protected = FxHashSet::default();
        for r in roots {
            protected.insert(r);
            protected.extend(dom.ancestors(r));
        }
        (prose, images, protected)
    }

    #[test]
    fn weights_are_those_of_a_walk_per_quantity() {
        let mut inputs = vec![
            // Ties for the most paragraphs: the first in document order.
            format!("<div><p>{0}</p><p>{0}</p></div>", "tie ".repeat(40)).repeat(3),
            // The content taken for the article; images in and out of one.
            format!(
                "<p>{}</p><p>x</p><img src=/a.jpg><article><p>{}</p><img src=/b.jpg></article>",
                "word ".repeat(60),
                "more ".repeat(60)
            ),
            format!(
                "<main><a href=/x>{0}</a><noscript>{0}</noscript><p>{0}<img src=/c.jpg></p></main>\
                 <div role=main><p>{0}</p><img src=/d.jpg width=1 height=1></div>",
                "text ".repeat(50)
            ),
        ];
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
        for entry in std::fs::read_dir(fixtures).expect("the fixtures folder") {
            let path = entry.expect("a fixture").path().join("input.html");
            if let Ok(html) = std::fs::read_to_string(&path) {
                inputs.push(html);
            }
        }
        assert!(inputs.len() > 100, "the fixtures are read");
        for html in &inputs {
            for dom in [Dom::parse_document(html), Dom::parse_fragment(html)] {
                let w = Weights::new(&dom, &Stats::compute(&dom));
                let (prose, images, protected) = reference(&dom);
                assert_eq!(w.prose, prose, "{html}");
                assert_eq!(w.images, images, "{html}");
                assert_eq!(w.protected, protected, "{html}");
            }
        }
    }

    #[test]
    fn removals_lighten_their_ancestors() {
        let dom = Dom::parse_fragment(
            "<div><p>one two three</p><p>four <img src=/a.jpg><img src=data:x></p></div>",
        );
        let mut w = Weights::new(&dom, &Stats::compute(&dom));
        let content = dom.content();
        assert_eq!(w.prose(content), 15);
        assert_eq!(w.images(content), 1);
        let second_p = dom
            .descendants(content)
            .filter(|&n| dom.is_element(n, "p"))
            .nth(1)
            .expect("two paragraphs");
        w.remove(&dom, second_p);
        assert_eq!(w.prose(content), 11);
        assert_eq!(w.images(content), 0);
    }
}
