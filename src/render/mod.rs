//! Rendering the cleaned tree: plain text ([`text`]) and Markdown
//! ([`markdown`]).
//!
//! The two renderers are siblings that never import each other. What they
//! share lives here, once:
//!
//! - the walk ([`walk`]), which drives a renderer ([`Render`]) through what
//!   is rendered, in document order, with every element as the sanitizer
//!   writes it;
//! - the block model: which elements start and end a block ([`is_block`]),
//!   which are parts of a table ([`is_table_part`]), the kinds of list
//!   ([`ListKind`]);
//! - whitespace as a browser collapses it: what collapses
//!   ([`is_collapsible_space`], [`collapse`]), whitespace waiting for the
//!   next text ([`Pending`]), and the CJK characters between which a line
//!   break is no space ([`is_cjk`]);
//! - which URLs become links and images ([`link_url`]).
//!
//! [`wrap`] wraps the plain text to a display width.

pub(crate) mod markdown;
pub(crate) mod text;
mod wrap;

use crate::dom::{Dom, Element, NodeData, NodeId, Ns};
use crate::policy::{self, Fate};

/// What the shared walk drives: the text and Markdown renderers.
trait Render {
    /// What closing an element takes, decided when it opened.
    type Close;
    fn text(&mut self, t: &str);
    /// An HTML element, as the sanitizer writes it (see [`walk`]): foreign
    /// elements never reach the renderers.
    fn open(&mut self, e: &Element) -> Self::Close;
    fn close(&mut self, close: Self::Close);
}

enum Op<C> {
    Enter(NodeId),
    Leave(C),
}

/// Walks what is rendered below `root`, in document order, with an explicit
/// stack: text, elements opened and closed; a formula is its text.
///
/// The cleaner renders the tree its sanitized HTML parses to. Any other
/// tree is seen as the sanitizer would write it ([`policy::fate`]): what
/// it drops with its content (`<script>`, `<svg>`) is skipped, what it
/// unwraps (`<font>`, custom elements) is transparent, and what it renames
/// (`<form>` to `<div>`, `<menu>` to `<ul>`) is rendered as that.
///
/// NOTE: `<rp>` is rendered. A browser that lays ruby out hides it, but
/// text is what a reader without ruby layout sees, which is what `<rp>` is
/// for: `再開発（さいかいはつ）`, not `再開発さいかいはつ`.
///
/// NOTE: hidden elements (`hidden`, `display: none`) are not skipped here:
/// the `hidden.elements` rule removes them, under the content veto, so the
/// text says what the HTML shows, and a hidden wrapper that holds the
/// article is kept in both.
fn walk<R: Render>(dom: &Dom, root: NodeId, r: &mut R) {
    let mut stack: Vec<Op<R::Close>> = dom.children(root).map(Op::Enter).collect();
    stack.reverse();
    while let Some(op) = stack.pop() {
        match op {
            Op::Enter(id) => match dom.data(id) {
                NodeData::Text(t) => r.text(t),
                NodeData::Element(e) => {
                    if e.ns() == Ns::MathMl && e.name() == "math" {
                        r.text(&dom.math_text(id));
                        continue;
                    }
                    match policy::fate(e.ns() == Ns::Html, e.name()) {
                        Fate::Drop => continue,
                        Fate::Unwrap => {}
                        Fate::Keep => stack.push(Op::Leave(r.open(e))),
                        Fate::Rename(to) => stack.push(Op::Leave(r.open(&Element::bare(to)))),
                    }
                    let at = stack.len();
                    stack.extend(dom.children(id).map(Op::Enter));
                    stack[at..].reverse();
                }
                _ => {}
            },
            Op::Leave(close) => r.close(close),
        }
    }
}

/// Elements that start and end a block. The renderers see elements as the
/// sanitizer writes them (see [`walk`]), so each of these is one it keeps.
pub(crate) const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// Whether `name` starts and ends a block.
pub(crate) fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// The parts of a table below `<table>`.
fn is_table_part(name: &str) -> bool {
    matches!(
        name,
        "thead" | "tbody" | "tfoot" | "tr" | "td" | "th" | "colgroup" | "col"
    )
}

#[derive(Clone, Copy)]
enum ListKind {
    Bullet,
    /// The number of the next item.
    Ordered(u64),
}

/// Whether `c` is a CJK character: text in which a line break is not a space.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x2FF0..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3130..=0x318F | 0x3190..=0x31FF | 0x3200..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// Whitespace that collapses; no-break and ideographic spaces do not.
fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}' && c != '\u{3000}'
}

/// Collapses runs of collapsible whitespace to one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_collapsible_space(c) {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

/// Whitespace read but not written yet: it becomes one space, or nothing,
/// when the next text comes.
#[derive(Default, Clone, Copy, PartialEq)]
enum Pending {
    #[default]
    None,
    Space,
    Break,
    /// A block boundary that is a space (in a table cell or code span): a
    /// space even between CJK characters.
    Boundary,
}

impl Pending {
    /// What is pending after the collapsible whitespace `c` of a text: a
    /// line break is kept, so that it can join CJK text.
    fn and_space(self, c: char) -> Pending {
        let brk = c == '\n' || c == '\r';
        match self {
            Pending::Boundary => Pending::Boundary,
            Pending::Break => Pending::Break,
            _ if brk => Pending::Break,
            _ => Pending::Space,
        }
    }

    /// Whether this whitespace, between `last` and `next`, is no space: a
    /// line break between two CJK characters (CSS Text 3, segment break
    /// transformation).
    fn joins_cjk(self, last: Option<char>, next: char) -> bool {
        self == Pending::Break && last.is_some_and(is_cjk) && is_cjk(next)
    }
}

/// The URL to link to for an `href` or `src`, when it is safe: `http`,
/// `https`, `mailto`, or relative. Leading and trailing spaces and control
/// characters, and tabs and newlines inside, are dropped first, as a browser
/// drops them, so `java\tscript:` is seen for what it is.
fn link_url(raw: &str) -> Option<String> {
    let trimmed = raw.trim_matches(|c: char| c <= ' ');
    let url: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if url.is_empty() {
        return None;
    }
    let allowed = policy::scheme(&url).is_none_or(|scheme| {
        policy::MARKDOWN_LINK_SCHEMES
            .iter()
            .any(|s| scheme.eq_ignore_ascii_case(s))
    });
    allowed.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_urls_are_links() {
        assert_eq!(link_url(" JavaScript:x"), None);
        assert_eq!(link_url("vbscript:x"), None);
        assert_eq!(link_url("\u{1}data:text/html,x"), None);
        assert_eq!(link_url("MAILTO:a@b.c").as_deref(), Some("MAILTO:a@b.c"));
        assert_eq!(link_url("/a:b").as_deref(), Some("/a:b"));
    }

    #[test]
    fn whitespace_collapses_but_no_break_spaces_stay() {
        assert_eq!(collapse("  a \n\t b\u{a0}\u{a0}c "), "a b\u{a0}\u{a0}c ");
    }

    #[test]
    fn a_line_break_joins_cjk_only() {
        let brk = Pending::None.and_space('\n');
        assert!(brk.joins_cjk(Some('中'), '文'));
        assert!(!brk.joins_cjk(Some('a'), '文'));
        assert!(!Pending::None.and_space(' ').joins_cjk(Some('中'), '文'));
        assert!(!Pending::Boundary
            .and_space('\n')
            .joins_cjk(Some('中'), '文'));
    }

    /// The renderers see elements as the sanitizer writes them: every
    /// block they know is one it keeps.
    #[test]
    fn text_blocks_are_kept_as_they_are() {
        for name in BLOCKS {
            assert_eq!(policy::fate(true, name), policy::Fate::Keep, "{name}");
        }
    }

    /// Renamed elements become allowed ones, which the renderers know.
    #[test]
    fn renamed_blocks_become_allowed_blocks() {
        for (name, to) in policy::BLOCKS_RENAMED {
            assert_eq!(policy::fate(true, name), policy::Fate::Rename(to));
            assert_eq!(policy::fate(true, to), policy::Fate::Keep, "{to}");
            assert!(is_block(to), "{to}");
        }
    }
}
