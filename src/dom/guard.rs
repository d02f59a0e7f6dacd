//! The depth guard: html5ever's tree builder never nests deeper than
//! [`MAX_DEPTH`] (see there for why).
//!
//! It has two halves. The tree builder's sink (`sink::ArenaSink`) records
//! the depth of each node it inserts; [`DepthGuard`], between the tokenizer
//! and the tree builder, drops the
//! start tags that would open an element too deep, with their end tags, and
//! puts a `<br>` where a dropped block parted two texts. It also notes, on
//! the way, what the attribute cap (`prescan`) asks the tree builder.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::tree_builder::TreeBuilder;
use html5ever::{local_name, LocalName};

use super::parse::{is_raw_text_name, is_void_name};
use super::prescan::TextState;
use super::sink::{ArenaSink, Handle};
use super::{Dom, MAX_DEPTH};

/// Sits between the tokenizer and the tree builder and drops start tags that
/// would nest deeper than [`MAX_DEPTH`], with their matching end tags.
///
/// NOTE: the tree builder's stack of open elements is private. The sink's
/// depth of the last insertion is a cheap estimate of its size, exact after
/// most insertions but stale after end tags (the tree builder truncates its
/// stack without telling the sink) and possibly low after the adoption
/// agency reparents nodes. So the real size is counted, by tracing the tree
/// builder's handles, whenever the estimate reaches the limit and after
/// every [`VERIFY_EVERY`] start tags: O(depth) work at most once per start
/// tag, and the depth is bounded, so the guard keeps parsing linear.
pub(super) struct DepthGuard {
    tb: TreeBuilder<Handle, ArenaSink>,
    dropped: RefCell<HashMap<LocalName, u32>>,
    dropped_total: Cell<usize>,
    unverified: Cell<u32>,
    /// The text state the tree builder last switched the tokenizer to.
    switched: Cell<Option<TextState>>,
    /// Whether a tag repeated an attribute name.
    repeated_attrs: Cell<bool>,
    /// Whether a dropped block tag parted text since the last token.
    part: Cell<bool>,
    /// Whether text (or an inline element) reached the tree builder since
    /// the last block tag.
    seen_text: Cell<bool>,
}

/// Start tags let through on the estimate alone before the real stack size is
/// counted again.
const VERIFY_EVERY: u32 = 64;

/// Counts the handles the tree builder holds: its open elements, plus its
/// active formatting elements and a few pointers, an upper bound on the
/// stack's size.
#[derive(Default)]
struct HandleCounter(Cell<u32>);

impl html5ever::interface::Tracer for HandleCounter {
    type Handle = Handle;
    fn trace_handle(&self, _node: &Handle) {
        self.0.set(self.0.get() + 1);
    }
}

/// Elements whose start and end part the text around them.
pub(super) fn is_block_name(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("caption")
            | local_name!("center")
            | local_name!("dd")
            | local_name!("details")
            | local_name!("dialog")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("li")
            | local_name!("listing")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("pre")
            | local_name!("section")
            | local_name!("summary")
            | local_name!("table")
            | local_name!("tbody")
            | local_name!("td")
            | local_name!("tfoot")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tr")
            | local_name!("ul")
    )
}

impl DepthGuard {
    /// A guard in front of `tb`, which has dropped nothing yet.
    pub(super) fn new(tb: TreeBuilder<Handle, ArenaSink>) -> DepthGuard {
        DepthGuard {
            tb,
            dropped: RefCell::new(HashMap::default()),
            dropped_total: Cell::new(0),
            unverified: Cell::new(0),
            switched: Cell::new(None),
            repeated_attrs: Cell::new(false),
            part: Cell::new(false),
            seen_text: Cell::new(false),
        }
    }

    /// The text state the tree builder switched the tokenizer to since this
    /// was last asked, if it did.
    pub(super) fn take_switched(&self) -> Option<TextState> {
        self.switched.take()
    }

    /// Start tags dropped so far.
    pub(super) fn dropped_tags(&self) -> usize {
        self.dropped_total.get()
    }

    /// Whether a tag repeated an attribute name.
    pub(super) fn repeated_attrs(&self) -> bool {
        self.repeated_attrs.get()
    }

    /// The tree built, ids in the order nodes were created.
    pub(super) fn into_dom(self) -> Dom {
        self.tb.sink.into_dom()
    }

    /// Notes that a dropped tag parted text, if its element is a block and
    /// text came before it.
    fn part_if_block(&self, name: &LocalName) {
        if is_block_name(name) && self.seen_text.get() {
            self.part.set(true);
        }
    }

    /// Whether a start tag of `name` may reach the tree builder.
    fn admits(&self, name: &LocalName) -> bool {
        if is_void_name(name) || is_raw_text_name(name) {
            return true;
        }
        let estimate = self.tb.sink.current.get();
        let unverified = self.unverified.get() + 1;
        if estimate < MAX_DEPTH && unverified < VERIFY_EVERY {
            self.unverified.set(unverified);
            return true;
        }
        self.unverified.set(0);
        let counter = HandleCounter::default();
        self.tb.trace_handles(&counter);
        let size = counter.0.get();
        self.tb.sink.current.set(size);
        size < MAX_DEPTH
    }
}

impl TokenSink for DepthGuard {
    type Handle = Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<Handle> {
        if let Token::TagToken(tag) = &token {
            if tag.had_duplicate_attributes {
                self.repeated_attrs.set(true);
            }
            match tag.kind {
                TagKind::StartTag if !self.admits(&tag.name) => {
                    *self
                        .dropped
                        .borrow_mut()
                        .entry(tag.name.clone())
                        .or_insert(0) += 1;
                    self.dropped_total.set(self.dropped_total.get() + 1);
                    self.part_if_block(&tag.name);
                    return TokenSinkResult::Continue;
                }
                TagKind::EndTag if self.dropped_total.get() > 0 => {
                    let mut dropped = self.dropped.borrow_mut();
                    if let Some(n) = dropped.get_mut(&tag.name) {
                        if *n > 0 {
                            *n -= 1;
                            self.part_if_block(&tag.name);
                            return TokenSinkResult::Continue;
                        }
                    }
                }
                _ => {}
            }
        }
        let is_text = match &token {
            // Whether it is text matters only when no text was seen since
            // the last block, or a dropped block waits to part it.
            Token::CharacterTokens(t) => {
                (self.part.get() || !self.seen_text.get()) && !t.trim().is_empty()
            }
            Token::TagToken(tag) if is_block_name(&tag.name) => {
                // A block parts the text by itself.
                self.part.set(false);
                self.seen_text.set(false);
                false
            }
            Token::TagToken(tag) => tag.kind == TagKind::StartTag,
            _ => false,
        };
        if is_text {
            self.seen_text.set(true);
        }
        if is_text && self.part.replace(false) {
            // NOTE: a dropped block tag no longer parts the text around it;
            // a line break does, so `deep</p><p>after` past the limit does
            // not read `deepafter`. One for a run of dropped tags, and only
            // before something that follows.
            let br = Token::TagToken(html5ever::tokenizer::Tag {
                kind: TagKind::StartTag,
                name: local_name!("br"),
                self_closing: false,
                attrs: Vec::new(),
                had_duplicate_attributes: false,
            });
            let _ = self.tb.process_token(br, line);
        }
        let result = self.tb.process_token(token, line);
        match &result {
            TokenSinkResult::RawData(RawKind::ScriptData) => {
                self.switched.set(Some(TextState::Script))
            }
            TokenSinkResult::RawData(_) => self.switched.set(Some(TextState::RawText)),
            TokenSinkResult::Plaintext => self.switched.set(Some(TextState::Plaintext)),
            _ => {}
        }
        result
    }

    fn end(&self) {
        self.tb.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.tb
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree::names;
    use super::super::Dom;
    use super::*;

    #[test]
    fn depth_is_capped_and_text_kept() {
        let n = 5_000;
        let html = format!("{}deep{}after", "<div>".repeat(n), "</div>".repeat(n));
        let dom = Dom::parse_fragment(&html);
        let deepest = dom
            .descendants(dom.root())
            .map(|id| dom.ancestors(id).count())
            .max()
            .unwrap();
        assert!(deepest <= MAX_DEPTH as usize + 2, "depth {deepest}");
        assert!(dom.dropped_deep_tags > 0);
        let text = dom.text_content(dom.root());
        assert_eq!(text, "deepafter");
    }

    #[test]
    fn structure_after_a_deep_part_is_kept() {
        let html = format!(
            "{}x{}<p>after</p>",
            "<div>".repeat(600),
            "</div>".repeat(600)
        );
        let dom = Dom::parse_fragment(&html);
        assert_eq!(names(&dom, dom.content()), ["div", "p"]);
    }

    #[test]
    fn misnested_formatting_stays_bounded() {
        // The adoption agency reparents nodes behind the sink's back.
        let html = "<b><p>x</b>".repeat(3_000) + &"<div>".repeat(3_000);
        let dom = Dom::parse_fragment(&html);
        let deepest = dom
            .descendants(dom.root())
            .map(|id| dom.ancestors(id).count())
            .max()
            .unwrap();
        assert!(
            deepest <= MAX_DEPTH as usize + VERIFY_EVERY as usize + 2,
            "depth {deepest}"
        );
    }

    #[test]
    fn dropped_blocks_still_part_text() {
        let n = 1_000;
        let html = format!(
            "{}deep</p><p>after<div>more</div><b>bold</b>{}",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let dom = Dom::parse_fragment(&html);
        let text = crate::render::text::render(&dom, crate::render::text::Options::default());
        // Each dropped block parts the text with one line break.
        assert_eq!(text, "deep\nafter\nmore\nbold\n");
    }

    #[test]
    fn deep_nesting_keeps_void_elements() {
        let html = format!("{}<img src=x.png>t", "<span>".repeat(2_000));
        let dom = Dom::parse_fragment(&html);
        assert!(dom
            .descendants(dom.root())
            .any(|id| dom.is_element(id, "img")));
    }
}
