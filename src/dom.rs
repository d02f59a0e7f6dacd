//! The document tree: parsing, navigation, edits and serialization.
//!
//! This is the only module (with its submodules) that imports `html5ever` or
//! `markup5ever_rcdom`. html5ever builds a `markup5ever_rcdom` tree behind an
//! attribute cap (`prescan`) and a depth guard; the tree is then moved, once
//! and linearly, into [`Dom`], a compact arena with O(1) parent and sibling
//! links. The passes, the selector engine and the text renderer only see the
//! arena, so a swap of the parser-side DOM stays here. The tree is written
//! back to HTML for the sanitizer by `serialize`.
//!
//! Every walk here uses the links or an explicit stack, never recursion: inputs
//! nest tens of thousands deep. Every step is linear in the input: the
//! tokenizer's cost per attribute, the tree builder's per level of nesting and
//! the serializer's per escaped character are each bounded here.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};
use markup5ever_rcdom::{Handle, NodeData as RcData, RcDom};

mod prescan;
mod serialize;

use prescan::{Prescan, Question, TextState};

/// Deepest element nesting the parser builds, as in Blink.
///
/// NOTE: html5ever's tree builder scans its stack of open elements for many
/// tokens, so its time grows with the square of the nesting depth (10,000
/// nested `<div>` take 0.5 s, 40,000 take 6.4 s). Start tags that would open an
/// element deeper than this are dropped before they reach the tree builder;
/// their text and void children (images, line breaks) are kept, one level up,
/// and where a dropped block (`<p>`, `<div>`) parted two texts a `<br>` does.
pub(crate) const MAX_DEPTH: u32 = 512;

/// Deepest element nesting kept in the tree the passes see, below
/// [`MAX_DEPTH`] by more than the parser may add when it reads the output
/// again (the fragment's root, formatting elements it reopens), so that
/// cleaning the output again never meets the depth guard: what the guard
/// cut once is cut the same way for good.
pub(crate) const KEEP_DEPTH: u32 = MAX_DEPTH - 64;

/// Most attributes the parser reads on one tag; the rest are dropped before
/// the tokenizer sees them (see `prescan`), so that no tag costs more than
/// this many comparisons per attribute.
pub(crate) const MAX_ATTRS: usize = 256;

/// A node's index in its [`Dom`].
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct NodeId(u32);

impl NodeId {
    /// The position of this node in the arena, for per-node side tables.
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// The namespace of an element, as far as the passes care.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Ns {
    Html,
    Svg,
    MathMl,
    Other,
}

/// An element: its name and attributes.
#[derive(Debug)]
pub(crate) struct Element {
    name: QualName,
    attrs: Vec<Attribute>,
}

impl Element {
    /// An HTML element without attributes.
    pub(crate) fn bare(name: &str) -> Element {
        Element {
            name: QualName::new(None, ns!(html), LocalName::from(name)),
            attrs: Vec::new(),
        }
    }

    /// The element's local name, lower case for HTML elements.
    pub(crate) fn name(&self) -> &str {
        &self.name.local
    }

    /// Whether this is the HTML element named `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.name.ns == ns!(html) && &*self.name.local == name
    }

    pub(crate) fn ns(&self) -> Ns {
        if self.name.ns == ns!(html) {
            Ns::Html
        } else if self.name.ns == ns!(svg) {
            Ns::Svg
        } else if self.name.ns == ns!(mathml) {
            Ns::MathMl
        } else {
            Ns::Other
        }
    }

    /// The value of the attribute `name` (in no namespace).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.ns == ns!() && &*a.name.local == name)
            .map(|a| &*a.value)
    }

    /// Every attribute in no namespace, as `(name, value)`, in source order.
    pub(crate) fn attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs
            .iter()
            .filter(|a| a.name.ns == ns!())
            .map(|a| (&*a.name.local, &*a.value))
    }

    /// Sets the attribute `name`, adding it if missing.
    pub(crate) fn set_attr(&mut self, name: &str, value: &str) {
        match self
            .attrs
            .iter_mut()
            .find(|a| a.name.ns == ns!() && &*a.name.local == name)
        {
            Some(a) => a.value = StrTendril::from_slice(value),
            None => self.attrs.push(Attribute {
                name: QualName::new(None, ns!(), LocalName::from(name)),
                value: StrTendril::from_slice(value),
            }),
        }
    }

    /// Keeps the attributes for which `keep(name, value)` is true; returns the
    /// names of those removed.
    pub(crate) fn retain_attrs(&mut self, mut keep: impl FnMut(&str, &str) -> bool) -> Vec<String> {
        let mut removed = Vec::new();
        self.attrs.retain(|a| {
            let k = keep(&a.name.local, &a.value);
            if !k {
                removed.push(a.name.local.to_string());
            }
            k
        });
        removed
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.attr("id")
    }

    /// The element's classes, split on ASCII whitespace.
    pub(crate) fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr("class")
            .unwrap_or("")
            .split_ascii_whitespace()
            .filter(|c| !c.is_empty())
    }

    /// Whether the element is hidden by the `hidden` attribute or an inline
    /// `display: none` / `visibility: hidden`.
    pub(crate) fn is_hidden(&self) -> bool {
        if self.attr("hidden").is_some() {
            return true;
        }
        self.attr("style").is_some_and(|s| {
            style_value(s, "display").as_deref() == Some("none")
                || style_value(s, "visibility").as_deref() == Some("hidden")
        })
    }
}

/// The value of `property` in an inline style, lower case, `!important` dropped.
pub(crate) fn style_value(style: &str, property: &str) -> Option<String> {
    style.split(';').rev().find_map(|decl| {
        let (k, v) = decl.split_once(':')?;
        k.trim().eq_ignore_ascii_case(property).then(|| {
            v.trim()
                .trim_end_matches("!important")
                .trim()
                .to_ascii_lowercase()
        })
    })
}

fn is_void_name(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("param")
            | local_name!("keygen")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("frame")
            | local_name!("image")
    )
}

/// Elements whose start tag switches the tokenizer into a raw text state. The
/// depth guard lets them through: they are closed by their own end tag, and
/// dropping one would let its content be read as markup.
fn is_raw_text_name(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("plaintext")
    )
}

/// What a node is.
#[derive(Debug)]
pub(crate) enum NodeData {
    /// The root: a document, or the container of a fragment.
    Root,
    Element(Element),
    Text(StrTendril),
    Comment(StrTendril),
}

#[derive(Debug)]
struct Node {
    parent: Option<NodeId>,
    prev: Option<NodeId>,
    next: Option<NodeId>,
    first: Option<NodeId>,
    last: Option<NodeId>,
    /// Set on every node of a removed subtree.
    removed: bool,
    data: NodeData,
}

/// A parsed document or fragment.
#[derive(Debug)]
pub(crate) struct Dom {
    nodes: Vec<Node>,
    /// Where the content starts: the fragment root, or the document's `<body>`.
    content: NodeId,
    /// The document's `<head>`, when the input was a whole document.
    head: Option<NodeId>,
    /// Start tags the depth guard dropped.
    pub(crate) dropped_deep_tags: usize,
    /// Attributes dropped past [`MAX_ATTRS`] on a tag.
    #[allow(dead_code)]
    pub(crate) dropped_attrs: usize,
}

/// What the parser made of an input.
struct Parsed {
    rc: RcDom,
    dropped_deep_tags: usize,
    dropped_attrs: usize,
    /// Whether a tag repeated an attribute name (the tokenizer keeps the
    /// first).
    #[cfg_attr(not(test), allow(dead_code))]
    repeated_attrs: bool,
}

const ROOT: NodeId = NodeId(0);

impl Dom {
    /// Parses a whole HTML document.
    pub(crate) fn parse_document(html: &str) -> Dom {
        Dom::parse_document_with(html, MAX_ATTRS)
    }

    fn parse_document_with(html: &str, max_attrs: usize) -> Dom {
        let sink = GuardedSink::default();
        let tb = TreeBuilder::new(sink, tree_builder_opts());
        let parsed = run(tb, TokenizerOpts::default(), html, max_attrs);
        let mut dom = Dom::from_rcdom(parsed);
        let html_el = dom.children(ROOT).find(|&c| dom.is_element(c, "html"));
        if let Some(h) = html_el {
            let head = dom.children(h).find(|&c| dom.is_element(c, "head"));
            let body = dom
                .children(h)
                .find(|&c| dom.is_element(c, "body") || dom.is_element(c, "frameset"));
            dom.head = head;
            if let Some(body) = body {
                dom.content = body;
            }
        }
        dom
    }

    /// Parses an HTML fragment, as the content of a `<body>`.
    pub(crate) fn parse_fragment(html: &str) -> Dom {
        Dom::parse_fragment_with(html, MAX_ATTRS)
    }

    fn parse_fragment_with(html: &str, max_attrs: usize) -> Dom {
        Dom::parse_fragment_parsed(html, max_attrs).0
    }

    /// Parses a fragment; also says whether a tag repeated an attribute.
    fn parse_fragment_parsed(html: &str, max_attrs: usize) -> (Dom, bool) {
        let sink = GuardedSink::default();
        let context = html5ever::interface::create_element(
            &sink,
            QualName::new(None, ns!(html), local_name!("body")),
            Vec::new(),
        );
        let tb = TreeBuilder::new_for_fragment(sink, context, None, tree_builder_opts());
        let opts = TokenizerOpts {
            initial_state: Some(tb.tokenizer_state_for_context_elem(false)),
            ..TokenizerOpts::default()
        };
        let parsed = run(tb, opts, html, max_attrs);
        let repeated = parsed.repeated_attrs;
        // The fragment algorithm puts the nodes in an `<html>` root element.
        let mut dom = Dom::from_rcdom(parsed);
        let html_el = dom.children(ROOT).find(|&c| dom.is_element(c, "html"));
        if let Some(h) = html_el {
            dom.content = h;
        }
        (dom, repeated)
    }

    /// Moves an rcdom tree into the arena, with an explicit stack. Ids are
    /// given in document order, which the passes rely on.
    ///
    /// Elements deeper than [`KEEP_DEPTH`] are not kept: their children go
    /// to the deepest kept ancestor, with a `<br>` where a block parted
    /// them from what comes before or after (as the depth guard does), and
    /// those whose content is never shown as text (`<script>`, `<style>`)
    /// go with their content.
    fn from_rcdom(parsed: Parsed) -> Dom {
        /// A node to move, or the end of a flattened block.
        enum Step {
            Node(Handle, NodeId, u32),
            BlockEnd(NodeId),
        }
        let mut dom = Dom {
            nodes: vec![Node::new(NodeData::Root)],
            content: ROOT,
            head: None,
            dropped_deep_tags: parsed.dropped_deep_tags,
            dropped_attrs: parsed.dropped_attrs,
        };
        let document = &parsed.rc.document;
        let mut stack: Vec<Step> = Vec::new();
        let push_children = |stack: &mut Vec<Step>, h: &Handle, id: NodeId, depth: u32| {
            let children = std::mem::take(&mut *h.children.borrow_mut());
            stack.extend(
                children
                    .into_iter()
                    .rev()
                    .map(|c| Step::Node(c, id, depth + 1)),
            );
        };
        // Kept elements that a flattened block parted from what follows.
        let mut parted: HashSet<NodeId> = HashSet::new();
        push_children(&mut stack, document, ROOT, 0);
        while let Some(step) = stack.pop() {
            let (handle, parent, depth) = match step {
                Step::Node(h, p, d) => (h, p, d),
                Step::BlockEnd(parent) => {
                    parted.insert(parent);
                    continue;
                }
            };
            // Void elements nest nothing: they stay at any depth.
            match &handle.data {
                RcData::Element { name, .. }
                    if depth > KEEP_DEPTH && !is_void_name(&name.local) =>
                {
                    dom.dropped_deep_tags += 1;
                    if is_raw_text_name(&name.local) || name.local == local_name!("noscript") {
                        continue;
                    }
                    if is_block_name(&name.local) {
                        parted.insert(parent);
                        stack.push(Step::BlockEnd(parent));
                    }
                    // Its children take its place, at its depth.
                    push_children(&mut stack, &handle, parent, depth - 1);
                    continue;
                }
                _ => {}
            }
            let data = match &handle.data {
                RcData::Element { name, attrs, .. } => NodeData::Element(Element {
                    name: name.clone(),
                    attrs: std::mem::take(&mut *attrs.borrow_mut()),
                }),
                RcData::Text { contents } => {
                    NodeData::Text(std::mem::take(&mut *contents.borrow_mut()))
                }
                RcData::Comment { contents } => NodeData::Comment(contents.clone()),
                // Doctypes and processing instructions are never output;
                // `<template>` contents are never rendered, so they stay behind.
                _ => continue,
            };
            let blank = matches!(&data, NodeData::Text(t) if t.trim().is_empty())
                || matches!(&data, NodeData::Comment(_));
            if !blank && parted.remove(&parent) && dom.node(parent).last.is_some() {
                let br = dom.push(NodeData::Element(Element::bare("br")));
                dom.append(parent, br);
            }
            let id = dom.push(data);
            dom.append(parent, id);
            push_children(&mut stack, &handle, id, depth);
        }
        dom
    }

    fn push(&mut self, data: NodeData) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).expect("fewer than 2^32 nodes"));
        self.nodes.push(Node::new(data));
        id
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// Number of nodes ever created (removed ones included), for side tables.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn root(&self) -> NodeId {
        ROOT
    }

    /// The node whose children are the content: the body or the fragment root.
    pub(crate) fn content(&self) -> NodeId {
        self.content
    }

    /// The document's `<head>`, when the input was a whole document.
    pub(crate) fn head(&self) -> Option<NodeId> {
        self.head
    }

    pub(crate) fn data(&self, id: NodeId) -> &NodeData {
        &self.node(id).data
    }

    pub(crate) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn element_mut(&mut self, id: NodeId) -> Option<&mut Element> {
        match &mut self.node_mut(id).data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Whether `id` is the HTML element `name`.
    pub(crate) fn is_element(&self, id: NodeId, name: &str) -> bool {
        self.element(id).is_some_and(|e| e.is(name))
    }

    pub(crate) fn text(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    pub(crate) fn first_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).first
    }

    pub(crate) fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).next
    }

    pub(crate) fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).prev
    }

    /// Whether the node was removed (with an ancestor or by itself).
    pub(crate) fn is_removed(&self, id: NodeId) -> bool {
        self.node(id).removed
    }

    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.first_child(id), move |&c| self.next_sibling(c))
    }

    /// `id` and all its descendants, in document order.
    pub(crate) fn descendants(&self, id: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            root: id,
            next: Some(id),
        }
    }

    /// The next node after `id` in document order that is not inside `id`,
    /// staying within `root`.
    pub(crate) fn next_skipping_children(&self, id: NodeId, root: NodeId) -> Option<NodeId> {
        let mut cur = id;
        loop {
            if cur == root {
                return None;
            }
            if let Some(n) = self.next_sibling(cur) {
                return Some(n);
            }
            cur = self.parent(cur)?;
        }
    }

    /// The ancestors of `id`, nearest first, without `id` itself.
    pub(crate) fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }

    /// The element children of `id`.
    pub(crate) fn element_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id)
            .filter(move |&c| self.element(c).is_some())
    }

    pub(crate) fn prev_element_sibling(&self, id: NodeId) -> Option<NodeId> {
        std::iter::successors(self.prev_sibling(id), |&s| self.prev_sibling(s))
            .find(|&s| self.element(s).is_some())
    }

    pub(crate) fn next_element_sibling(&self, id: NodeId) -> Option<NodeId> {
        std::iter::successors(self.next_sibling(id), |&s| self.next_sibling(s))
            .find(|&s| self.element(s).is_some())
    }

    /// What a `<math>` element reads as, trimmed: its `alttext`, else its TeX
    /// annotation, else the text of its presentation (annotations, and what
    /// is never rendered, left out).
    pub(crate) fn math_text(&self, id: NodeId) -> String {
        let Some(e) = self.element(id) else {
            return String::new();
        };
        if let Some(alt) = e.attr("alttext") {
            return alt.trim().to_string();
        }
        let tex = self.descendants(id).find(|&n| {
            self.element(n).is_some_and(|a| {
                a.name() == "annotation"
                    && a.attr("encoding").is_some_and(|enc| enc.contains("tex"))
            })
        });
        if let Some(n) = tex {
            return self.text_content(n).trim().to_string();
        }
        let mut s = String::new();
        let mut walk = self.descendants(id);
        while let Some(n) = walk.next() {
            if self.element(n).is_some_and(|a| {
                a.name().starts_with("annotation")
                    || crate::sanitize::DROPPED_WITH_CONTENT.contains(&a.name())
            }) {
                walk.skip_children_of(n);
                continue;
            }
            if let Some(t) = self.text(n) {
                s.push_str(t);
            }
        }
        s.trim().to_string()
    }

    /// The text of `id` and its descendants, concatenated.
    pub(crate) fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        for n in self.descendants(id) {
            if let NodeData::Text(t) = self.data(n) {
                out.push_str(t);
            }
        }
        out
    }

    fn unlink(&mut self, id: NodeId) {
        let Node {
            parent, prev, next, ..
        } = *self.node(id);
        if let Some(p) = prev {
            self.node_mut(p).next = next;
        } else if let Some(par) = parent {
            self.node_mut(par).first = next;
        }
        if let Some(n) = next {
            self.node_mut(n).prev = prev;
        } else if let Some(par) = parent {
            self.node_mut(par).last = prev;
        }
        let node = self.node_mut(id);
        node.parent = None;
        node.prev = None;
        node.next = None;
    }

    /// Appends `child` (unlinked) as the last child of `parent`.
    fn append(&mut self, parent: NodeId, child: NodeId) {
        let old_last = self.node(parent).last;
        {
            let c = self.node_mut(child);
            c.parent = Some(parent);
            c.prev = old_last;
            c.next = None;
        }
        match old_last {
            Some(l) => self.node_mut(l).next = Some(child),
            None => self.node_mut(parent).first = Some(child),
        }
        self.node_mut(parent).last = Some(child);
    }

    /// Moves `child` (unlinked) to just before `sibling`.
    fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
        let parent = self.node(sibling).parent;
        let prev = self.node(sibling).prev;
        {
            let c = self.node_mut(child);
            c.parent = parent;
            c.prev = prev;
            c.next = Some(sibling);
        }
        self.node_mut(sibling).prev = Some(child);
        match prev {
            Some(p) => self.node_mut(p).next = Some(child),
            None => {
                if let Some(par) = parent {
                    self.node_mut(par).first = Some(child);
                }
            }
        }
    }

    /// Removes `id` and everything inside it.
    pub(crate) fn remove(&mut self, id: NodeId) {
        if id == ROOT || self.node(id).removed {
            return;
        }
        self.unlink(id);
        let mut n = Some(id);
        while let Some(cur) = n {
            self.node_mut(cur).removed = true;
            n = self.descendants(id).skip_to_after(cur);
        }
    }

    /// Replaces `id` by its children.
    pub(crate) fn unwrap(&mut self, id: NodeId) {
        if id == ROOT || self.node(id).removed || self.node(id).parent.is_none() {
            return;
        }
        while let Some(c) = self.first_child(id) {
            self.unlink(c);
            self.insert_before(id, c);
        }
        self.unlink(id);
        self.node_mut(id).removed = true;
    }
}

impl Node {
    fn new(data: NodeData) -> Node {
        Node {
            parent: None,
            prev: None,
            next: None,
            first: None,
            last: None,
            removed: false,
            data,
        }
    }
}

/// A pre-order walk over a subtree, by links.
pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    root: NodeId,
    next: Option<NodeId>,
}

impl Descendants<'_> {
    /// The node after the whole subtree of `id` (the rest of the walk).
    fn skip_to_after(&self, id: NodeId) -> Option<NodeId> {
        self.dom
            .first_child(id)
            .or_else(|| self.dom.next_skipping_children(id, self.root))
    }

    /// Skips the children of the node last returned.
    pub(crate) fn skip_children_of(&mut self, id: NodeId) {
        self.next = self.dom.next_skipping_children(id, self.root);
    }
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let cur = self.next?;
        self.next = self.skip_to_after(cur);
        Some(cur)
    }
}

fn tree_builder_opts() -> TreeBuilderOpts {
    TreeBuilderOpts {
        // What a reader without JavaScript sees: `<noscript>` holds markup
        // (often the real image of a lazy one), not raw text.
        scripting_enabled: false,
        drop_doctype: true,
        ..TreeBuilderOpts::default()
    }
}

/// Drives the tokenizer over `html`, with the attribute cap before it (the
/// pieces of [`Prescan`]) and the depth guard between it and the tree
/// builder.
fn run(
    tb: TreeBuilder<Handle, GuardedSink>,
    opts: TokenizerOpts,
    html: &str,
    max_attrs: usize,
) -> Parsed {
    let guard = DepthGuard {
        tb,
        dropped: RefCell::new(HashMap::default()),
        dropped_total: Cell::new(0),
        unverified: Cell::new(0),
        switched: Cell::new(None),
        repeated_attrs: Cell::new(false),
        part: Cell::new(false),
        seen_text: Cell::new(false),
    };
    let tok = Tokenizer::new(guard, opts);
    let input = BufferQueue::default();
    let mut scan = Prescan::new(html, max_attrs);
    while let Some(piece) = scan.next_piece() {
        if !piece.text.is_empty() {
            input.push_back(StrTendril::from_slice(piece.text));
            // The tokenizer pauses after each `</script>`; nothing runs
            // scripts here, so it is simply resumed.
            while !matches!(tok.feed(&input), html5ever::TokenizerResult::Done) {}
        }
        // Everything up to here has reached the tree builder.
        let switched = tok.sink.switched.take();
        match piece.ask {
            Some(Question::TextState) => scan.text_state(switched.unwrap_or(TextState::Data)),
            Some(Question::Cdata) => scan.cdata(
                tok.sink
                    .tb
                    .adjusted_current_node_present_but_not_in_html_namespace(),
            ),
            None => {}
        }
    }
    tok.end();
    let guard = tok.sink;
    Parsed {
        dropped_deep_tags: guard.dropped_total.get(),
        dropped_attrs: scan.dropped,
        repeated_attrs: guard.repeated_attrs.get(),
        rc: guard.tb.sink.dom,
    }
}

/// A hasher for pointer keys: they are already well spread.
#[derive(Default)]
struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

type PtrMap<V> = HashMap<usize, V, BuildHasherDefault<PtrHasher>>;

fn key(h: &Handle) -> usize {
    std::rc::Rc::as_ptr(h) as usize
}

/// An `RcDom` that records the tree depth of each element and the depth of
/// the node the tree builder is currently inserting into.
#[derive(Default)]
struct GuardedSink {
    dom: RcDom,
    depth: RefCell<PtrMap<u32>>,
    current: Cell<u32>,
}

impl GuardedSink {
    fn depth_of(&self, h: &Handle) -> u32 {
        self.depth.borrow().get(&key(h)).copied().unwrap_or(0)
    }

    /// Records that `child` now sits under a parent of depth `parent_depth`.
    fn placed(&self, parent_depth: u32, child: &NodeOrText<Handle>) {
        match child {
            NodeOrText::AppendNode(h) => {
                let d = parent_depth + 1;
                self.depth.borrow_mut().insert(key(h), d);
                let void =
                    matches!(&h.data, RcData::Element { name, .. } if is_void_name(&name.local));
                self.current.set(if void { parent_depth } else { d });
            }
            NodeOrText::AppendText(_) => self.current.set(parent_depth),
        }
    }

    fn parent_of(h: &Handle) -> Option<Handle> {
        let weak = h.parent.take();
        let parent = weak.as_ref().and_then(|w| w.upgrade());
        h.parent.set(weak);
        parent
    }
}

impl TreeSink for GuardedSink {
    type Handle = Handle;
    type Output = RcDom;
    type ElemName<'a> = <RcDom as TreeSink>::ElemName<'a>;

    fn finish(self) -> RcDom {
        self.dom
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Parse errors are normal in real pages; keeping them would only cost memory.
    }
    fn get_document(&self) -> Handle {
        self.dom.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> Self::ElemName<'a> {
        self.dom.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.dom.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        self.dom.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.dom.create_pi(target, data)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.placed(self.depth_of(parent), &child);
        self.dom.append(parent, child)
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let d = match GuardedSink::parent_of(element) {
            Some(_) => self.depth_of(element).saturating_sub(1),
            None => self.depth_of(prev_element),
        };
        self.placed(d, &child);
        self.dom
            .append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.dom
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn pop(&self, node: &Handle) {
        self.current.set(self.depth_of(node).saturating_sub(1));
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        let contents = self.dom.get_template_contents(target);
        let d = self.depth_of(target) + 1;
        self.depth.borrow_mut().insert(key(&contents), d);
        contents
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.dom.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.dom.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.placed(self.depth_of(sibling).saturating_sub(1), &new_node);
        self.dom.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.dom.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.dom.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let d = self.depth_of(new_parent) + 1;
        {
            let mut depth = self.depth.borrow_mut();
            for c in node.children.borrow().iter() {
                depth.insert(key(c), d);
            }
        }
        self.dom.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.dom.is_mathml_annotation_xml_integration_point(handle)
    }
}

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
struct DepthGuard {
    tb: TreeBuilder<Handle, GuardedSink>,
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
fn is_block_name(name: &LocalName) -> bool {
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
                TagKind::EndTag => {
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
            Token::CharacterTokens(t) => !t.trim().is_empty(),
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
    use super::*;

    fn names(dom: &Dom, id: NodeId) -> Vec<String> {
        dom.children(id)
            .map(|c| match dom.data(c) {
                NodeData::Element(e) => e.name().to_string(),
                NodeData::Text(t) => format!("#{t}"),
                NodeData::Comment(_) => "!".into(),
                NodeData::Root => "/".into(),
            })
            .collect()
    }

    #[test]
    fn fragment_content_is_the_fragment() {
        let dom = Dom::parse_fragment("<p>a</p>b<!--c-->");
        assert_eq!(names(&dom, dom.content()), ["p", "#b", "!"]);
    }

    #[test]
    fn document_content_is_the_body() {
        let dom = Dom::parse_document("<!doctype html><title>t</title><p>x");
        assert_eq!(names(&dom, dom.content()), ["p"]);
    }

    #[test]
    fn ids_follow_document_order() {
        let dom = Dom::parse_fragment("<div><p>a<b>b</b></p><p>c</p></div><i>d</i>");
        let order: Vec<NodeId> = dom.descendants(dom.root()).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }

    #[test]
    fn noscript_holds_markup() {
        let dom = Dom::parse_fragment("<noscript><img src=a.jpg></noscript>");
        let ns = dom.first_child(dom.content()).unwrap();
        assert_eq!(names(&dom, ns), ["img"]);
    }

    #[test]
    fn remove_and_unwrap_relink_siblings() {
        let mut dom = Dom::parse_fragment("<i>1</i><b>2<u>3</u></b><s>4</s>");
        let b = dom.children(dom.content()).nth(1).unwrap();
        dom.unwrap(b);
        assert_eq!(names(&dom, dom.content()), ["i", "#2", "u", "s"]);
        let u = dom.children(dom.content()).nth(2).unwrap();
        dom.remove(u);
        assert!(dom.is_removed(u));
        assert_eq!(dom.serialize_children(dom.content()), "<i>1</i>2<s>4</s>");
    }

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
        let text = crate::text::render(&dom, crate::text::Options::default());
        // Each dropped block parts the text with one line break.
        assert_eq!(text, "deep\nafter\nmore\nbold\n");
    }

    #[test]
    fn the_tree_keeps_448_levels_and_reads_its_own_output_as_is() {
        let html = format!(
            "{}a<script>s()</script><style>p{{}}</style><p>b</p><img src=x.png>{}",
            "<div>".repeat(600),
            "</div>".repeat(600)
        );
        let dom = Dom::parse_fragment(&html);
        let deepest = dom
            .descendants(dom.root())
            .filter(|&id| dom.element(id).is_some_and(|e| !e.is("img") && !e.is("br")))
            .map(|id| dom.ancestors(id).count())
            .max()
            .unwrap();
        // Ancestors of an element at depth d: d - 1 elements and the root;
        // void elements may sit one level deeper.
        assert_eq!(deepest, KEEP_DEPTH as usize);
        let out = dom.serialize_children(dom.content());
        // Deep scripts and styles go whole; their code never becomes text.
        assert!(!out.contains("s()") && !out.contains("p{}"), "{out}");
        assert!(
            out.contains(">a<br>b<br><img src=\"x.png\"></div>"),
            "{out}"
        );
        let again = Dom::parse_fragment(&out);
        assert_eq!(again.dropped_deep_tags, 0);
        assert_eq!(again.serialize_children(again.content()), out);
    }

    #[test]
    fn deep_nesting_keeps_void_elements() {
        let html = format!("{}<img src=x.png>t", "<span>".repeat(2_000));
        let dom = Dom::parse_fragment(&html);
        assert!(dom
            .descendants(dom.root())
            .any(|id| dom.is_element(id, "img")));
    }

    #[test]
    fn serializes_escaped() {
        let dom = Dom::parse_fragment("<p title='a\"b'>x &amp; &lt;y&gt;</p>");
        assert_eq!(
            dom.serialize_children(dom.content()),
            "<p title=\"a&quot;b\">x &amp; &lt;y&gt;</p>"
        );
    }
}
