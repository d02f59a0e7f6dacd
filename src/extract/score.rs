//! Weighing the page: text and link text per node, paragraphs and their
//! scores, and the candidates for the article with their scores.
//!
//! A *paragraph* is a block element's own text: the text of its inline
//! content, not of its child blocks. A paragraph of some length and few
//! links scores by its length and its commas (a sentence of running prose
//! has them; a menu item does not), as in Readability. Its score goes to
//! the block's parent whole, to the grandparent halved and to farther
//! ancestors by a fast-falling share, so the element that directly holds
//! most of the prose wins over the wrappers around the whole page. An
//! element's final score then adds hints from its tag and its class and
//! id, and is scaled down by the share of its text that is links.

use crate::dom::{Dom, NodeData, NodeId};
use crate::policy::drops_content;

/// Weighted characters a block's own text needs to count as a paragraph.
pub(super) const MIN_PARAGRAPH: u32 = 25;
/// Weighted characters from which a paragraph is long: running prose.
pub(super) const LONG_PARAGRAPH: u32 = 80;
/// Ancestors of a paragraph that share its score.
const LEVELS: usize = 5;

/// Inline elements: their text belongs to the paragraph of the nearest
/// block around them.
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    "picture", "source",
];

/// Whether elements named `name` are inline: their text is part of the
/// paragraph of the block around them.
pub(super) fn is_inline(name: &str) -> bool {
    INLINE.contains(&name)
}

/// Class and id words of page chrome and of what is not the article.
const NEGATIVE: &[&str] = &[
    "comment",
    "disqus",
    "respond",
    "replies",
    "sidebar",
    "side-bar",
    "widget",
    "related",
    "recommend",
    "share",
    "sharing",
    "social",
    "footer",
    "masthead",
    "menu",
    "navbar",
    "navigation",
    "breadcrumb",
    "promo",
    "sponsor",
    "advert",
    "banner",
    "newsletter",
    "subscribe",
    "signup",
    "popular",
    "trending",
    "most-read",
    "mostread",
    "outbrain",
    "taboola",
    "cookie",
    "consent",
    "popup",
    "modal",
    "login",
    "teaser",
    "more-stories",
    "read-more",
    "readmore",
    "tags",
    "tagcloud",
    "pagination",
    "pager",
    "skip",
    "rail",
];

/// Class and id words (whole words, between dashes, underscores or
/// other punctuation) of a comment section: they name it whatever else
/// the element's class and id say (`id="comment-box"
/// class="user-post-box"` is a comment, not a post).
const COMMENTS: &[&str] = &["comment", "comments", "disqus"];

/// Class and id words of the article itself.
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "post", "story", "text", "main", "blog", "prose",
    "markdown", "hentry", "column",
];

/// What the scoring found, per node (indexed by [`NodeId::index`]).
pub(super) struct Weights {
    /// The nodes under the content, in document order (the content first).
    pub(super) order: Vec<NodeId>,
    /// Position of a node in `order` (`u32::MAX` when not in it).
    pub(super) position: Vec<u32>,
    /// Weighted characters of visible text.
    pub(super) chars: Vec<u32>,
    /// Characters of visible text outside links, whitespace not counted
    /// and unweighted, for the report.
    pub(super) plain: Vec<u32>,
    /// Weighted characters of visible text inside links.
    pub(super) link_chars: Vec<u32>,
    /// Own (paragraph) text of a block, weighted; 0 for other nodes.
    pub(super) own: Vec<u32>,
    /// Own text inside links.
    pub(super) own_links: Vec<u32>,
    /// Accumulated content score from the paragraphs below.
    pub(super) content: Vec<f32>,
    /// Class and id hint of each element: -1, 0 or 1.
    pub(super) hint: Vec<i8>,
    /// Real images inside each node (itself included).
    pub(super) images: Vec<u32>,
}

impl Weights {
    /// Weighs every node under the document's content.
    pub(super) fn new(dom: &Dom) -> Weights {
        let n = dom.len();
        let root = dom.content();
        let order: Vec<NodeId> = dom.descendants(root).collect();
        let mut position = vec![u32::MAX; n];
        for (i, id) in order.iter().enumerate() {
            position[id.index()] = i as u32;
        }
        let mut hidden = vec![false; n];
        let mut in_link = vec![false; n];
        // The block each text belongs to: the nearest block element.
        let mut block = vec![root; n];
        let mut hint = vec![0i8; n];
        let mut images = vec![0u32; n];
        for &id in &order {
            let e = dom.element(id);
            if let Some(e) = e {
                hint[id.index()] = class_hint(e);
            }
            if id == root {
                continue;
            }
            let p = dom.parent(id).expect("parent exists for non-root node");
            let pe = dom.element(p);
            let (pi, i) = (p.index(), id.index());
            hidden[i] = hidden[pi] || pe.is_some_and(|e| drops_content(e.name()));
            in_link[i] = in_link[pi] || pe.is_some_and(|e| e.is("a"));
            block[i] = match pe {
                Some(pe) if !INLINE.contains(&pe.name()) => p,
                _ => block[pi],
            };
        }
        let mut chars = vec![0u32; n];
        let mut link_chars = vec![0u32; n];
        let mut plain = vec![0u32; n];
        let mut own = vec![0u32; n];
        let mut own_links = vec![0u32; n];
        let mut commas = vec![0u32; n];
        for &id in order.iter().rev() {
            let i = id.index();
            match dom.data(id) {
                NodeData::Text(t) if !hidden[i] => {
                    let (w, c) = weigh(t);
                    chars[i] = w;
                    if in_link[i] {
                        link_chars[i] = w;
                    } else {
                        plain[i] = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
                    }
                    let b = block[i].index();
                    own[b] += w;
                    if in_link[i] {
                        own_links[b] += w;
                    }
                    commas[b] += c;
                }
                NodeData::Element(e) if !hidden[i] && is_real_image(e) => images[i] += 1,
                _ => {}
            }
            if id != root {
                let p = dom.parent(id).expect("parent exists for non-root node");
                chars[p.index()] += chars[i];
                link_chars[p.index()] += link_chars[i];
                plain[p.index()] += plain[i];
                images[p.index()] += images[i];
            }
        }
        // Paragraph scores, given to the ancestors.
        let mut content = vec![0f32; n];
        for &id in &order {
            let i = id.index();
            if own[i] < MIN_PARAGRAPH || dom.element(id).is_none() {
                continue;
            }
            let links = own_links[i] as f32 / own[i] as f32;
            if links > 0.5 {
                continue;
            }
            let score =
                (1.0 + commas[i].min(20) as f32 + (own[i] as f32 / 100.0).min(3.0)) * (1.0 - links);
            let mut level = 0;
            for a in dom.ancestors(id) {
                let share = match level {
                    0 => 1.0,
                    1 => 0.5,
                    l => 1.0 / (l as f32 * 3.0),
                };
                content[a.index()] += score * share;
                level += 1;
                if a == root || level == LEVELS {
                    break;
                }
            }
        }
        Weights {
            order,
            position,
            chars,
            plain,
            link_chars,
            own,
            own_links,
            content,
            hint,
            images,
        }
    }

    /// Share of the text of `id` that is inside links.
    pub(super) fn link_density(&self, id: NodeId) -> f32 {
        let c = self.chars[id.index()];
        if c == 0 {
            0.0
        } else {
            self.link_chars[id.index()] as f32 / c as f32
        }
    }

    /// Weighted characters of `id`'s text outside links.
    pub(super) fn prose(&self, id: NodeId) -> u32 {
        self.chars[id.index()] - self.link_chars[id.index()]
    }

    /// Whether `id`'s own text is a long paragraph of running prose.
    pub(super) fn is_long_paragraph(&self, id: NodeId) -> bool {
        let i = id.index();
        self.own[i] >= LONG_PARAGRAPH && self.own_links[i] * 10 < self.own[i] * 3
    }

    /// The final score of an element as the article: its paragraphs'
    /// score, its tag's and its class's hints, scaled by its links.
    pub(super) fn score(&self, dom: &Dom, id: NodeId) -> f32 {
        let Some(e) = dom.element(id) else {
            return 0.0;
        };
        let content = self.content[id.index()];
        if content <= 0.0 {
            return 0.0;
        }
        let mut bonus = match e.name() {
            "article" | "main" => 10.0,
            "div" | "section" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" | "header" => -5.0,
            "aside" | "nav" | "footer" => -25.0,
            _ => 0.0,
        };
        if e.attr("role") == Some("main") {
            bonus += 5.0;
        }
        if e.attr("itemprop")
            .is_some_and(|v| v.split_ascii_whitespace().any(|t| t == "articleBody"))
        {
            bonus += 40.0;
        }
        bonus += 25.0 * self.hint[id.index()] as f32;
        (content + bonus) * (1.0 - self.link_density(id))
    }
}

/// The weight of a text: its characters, whitespace not counted, a CJK
/// character counting as three (a word of the languages written with
/// spaces is five or six), and its commas.
fn weigh(text: &str) -> (u32, u32) {
    let (mut w, mut commas) = (0u32, 0u32);
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        w += if is_cjk(c) { 3 } else { 1 };
        if matches!(c, ',' | '，' | '、' | '،') {
            commas += 1;
        }
    }
    (w, commas)
}

/// Whether `c` is a Han, kana or Hangul character (or CJK punctuation).
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// The class and id hint of an element: 1 when its class or id names the
/// article, -1 when it names page chrome, 0 when neither or both.
fn class_hint(e: &crate::dom::Element) -> i8 {
    let names_comments = [e.attr("class"), e.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| COMMENTS.iter().any(|c| word.eq_ignore_ascii_case(c)));
    if names_comments {
        return -1;
    }
    let mut hint = 0;
    for value in [e.attr("class"), e.attr("id")].into_iter().flatten() {
        if value.is_empty() {
            continue;
        }
        let lower = value.to_ascii_lowercase();
        if NEGATIVE.iter().any(|w| lower.contains(w)) {
            hint -= 1;
        }
        if POSITIVE.iter().any(|w| lower.contains(w)) {
            hint += 1;
        }
    }
    hint.clamp(-1, 1)
}

/// Whether the class or id of `e` names page chrome.
pub(super) fn is_chrome(dom: &Dom, id: NodeId, w: &Weights) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    w.hint[id.index()] < 0
        || matches!(e.name(), "nav" | "aside" | "footer" | "form")
        || e.attr("role").is_some_and(|r| {
            matches!(
                r,
                "navigation" | "menu" | "menubar" | "complementary" | "contentinfo" | "search"
            )
        })
}

/// An image a reader sees: an `<img>` with a URL that is not a `data:`
/// stand-in, at least two pixels wide or of no stated size.
pub(super) fn is_real_image(e: &crate::dom::Element) -> bool {
    if !e.is("img") {
        return false;
    }
    let src = e.attr("src").map(str::trim).unwrap_or("");
    if src.is_empty()
        || src
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
    {
        return false;
    }
    let tiny = |a: &str| {
        e.attr(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f32>().ok())
            .is_some_and(|v| v <= 1.0)
    };
    !(tiny("width") || tiny("height"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_weigh_as_words() {
        assert_eq!(weigh("a, b"), (3, 1));
        assert_eq!(weigh("中文，好"), (12, 1));
    }

    #[test]
    fn the_parent_of_the_paragraphs_scores_highest() {
        let p = "<p>Some words, and some more words, in a sentence long enough to count here.</p>";
        let html = format!(
            "<div id=outer><div id=body>{p}{p}{p}</div><div id=side><a href=/x>{p}</a></div></div>"
        );
        let dom = Dom::parse_fragment(&html);
        let w = Weights::new(&dom);
        let by_id = |want: &str| {
            dom.descendants(dom.content())
                .find(|&n| dom.element(n).and_then(|e| e.id()) == Some(want))
                .expect("element exists")
        };
        let (body, outer, side) = (by_id("body"), by_id("outer"), by_id("side"));
        assert!(w.score(&dom, body) > w.score(&dom, outer));
        assert_eq!(w.score(&dom, side), 0.0);
    }

    #[test]
    fn class_hints() {
        let dom = Dom::parse_fragment(
            "<div class='comments'></div><div class='entry-content'></div><div class='x'></div>\
             <div id='comment-box' class='user-post-box'></div><div class='commentary-body'></div>",
        );
        let hints: Vec<i8> = dom
            .element_children(dom.content())
            .map(|c| class_hint(dom.element(c).unwrap()))
            .collect();
        assert_eq!(hints, [-1, 1, 0, -1, 0]);
    }
}
