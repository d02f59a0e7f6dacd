//! The arena: nodes, elements and their attributes, navigation and edits.
//!
//! A [`Dom`] is a vector of nodes linked to their parent, siblings and first
//! and last children by index, so every step of a walk is O(1) and no walk
//! needs recursion. Node ids are given in document order when the tree is
//! built (`parse`); edits relink nodes and never reuse an id, so a removed
//! node keeps its id and is marked removed.

use std::num::NonZeroU32;

use html5ever::tendril::StrTendril;
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

/// A node's index in its [`Dom`].
///
/// Held as the index plus one, so that an `Option<NodeId>` (five in every
/// node: its parent, siblings and first and last children) takes four bytes
/// instead of eight.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub(crate) struct NodeId(NonZeroU32);

impl NodeId {
    /// The id of the node at `index`.
    fn at(index: usize) -> NodeId {
        u32::try_from(index)
            .ok()
            .and_then(|i| i.checked_add(1))
            .and_then(NonZeroU32::new)
            .map(NodeId)
            .expect("fewer than 2^32 - 1 nodes")
    }

    /// The position of this node in the arena, for per-node side tables.
    pub(crate) fn index(self) -> usize {
        (self.0.get() - 1) as usize
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
///
/// NOTE: the name is its local name and [`Ns`], not html5ever's `QualName`
/// (three atoms, the prefix always empty for elements): 16 bytes less, and
/// the node's kind fits in the namespace's spare values, in every node of
/// the tree.
#[derive(Debug)]
pub(crate) struct Element {
    pub(super) local: LocalName,
    pub(super) ns: Ns,
    pub(super) attrs: Attrs,
}

/// An element's attributes: a boxed slice, 8 bytes less than a vector in
/// every node (a tree is built once, and its attributes are seldom added
/// to), with the few vector edits the tree makes.
#[derive(Debug, Default)]
pub(crate) struct Attrs(Box<[Attribute]>);

impl Attrs {
    fn edit(&mut self, f: impl FnOnce(&mut Vec<Attribute>)) {
        let mut v = std::mem::take(&mut self.0).into_vec();
        f(&mut v);
        self.0 = v.into_boxed_slice();
    }

    pub(super) fn push(&mut self, a: Attribute) {
        self.edit(|v| v.push(a));
    }

    pub(super) fn retain(&mut self, keep: impl FnMut(&Attribute) -> bool) {
        self.edit(|v| v.retain(keep));
    }

    pub(super) fn clear(&mut self) {
        self.0 = Box::default();
    }

    #[cfg(test)]
    pub(super) fn truncate(&mut self, len: usize) {
        self.edit(|v| v.truncate(len));
    }
}

impl From<Vec<Attribute>> for Attrs {
    /// At its length: the tokenizer's list grows from room for four.
    fn from(v: Vec<Attribute>) -> Attrs {
        Attrs(v.into_boxed_slice())
    }
}

impl std::ops::Deref for Attrs {
    type Target = [Attribute];

    fn deref(&self) -> &[Attribute] {
        &self.0
    }
}

impl std::ops::DerefMut for Attrs {
    fn deref_mut(&mut self) -> &mut [Attribute] {
        &mut self.0
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = &'a Attribute;
    type IntoIter = std::slice::Iter<'a, Attribute>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Element {
    /// An HTML element without attributes.
    pub(crate) fn bare(name: &str) -> Element {
        Element {
            local: LocalName::from(name),
            ns: Ns::Html,
            attrs: Attrs::default(),
        }
    }

    /// An element named `name`, with `attrs`.
    pub(super) fn new(name: QualName, attrs: Vec<Attribute>) -> Element {
        let ns = if name.ns == ns!(html) {
            Ns::Html
        } else if name.ns == ns!(svg) {
            Ns::Svg
        } else if name.ns == ns!(mathml) {
            Ns::MathMl
        } else {
            Ns::Other
        };
        Element {
            local: name.local,
            ns,
            attrs: attrs.into(),
        }
    }

    /// The element's name as html5ever spells it.
    #[cfg(test)]
    pub(super) fn qual_name(&self) -> QualName {
        let ns = match self.ns {
            Ns::Html => ns!(html),
            Ns::Svg => ns!(svg),
            Ns::MathMl => ns!(mathml),
            Ns::Other => ns!(),
        };
        QualName::new(None, ns, self.local.clone())
    }

    /// The element's local name, lower case for HTML elements.
    pub(crate) fn name(&self) -> &str {
        &self.local
    }

    /// Whether this is the HTML element named `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.ns == Ns::Html && &*self.local == name
    }

    pub(crate) fn ns(&self) -> Ns {
        self.ns
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

    /// The value of an attribute named by an interned name: one integer
    /// comparison per attribute where [`Element::attr`] compares strings,
    /// for the names the selectors ask about on every element.
    fn attr_atom(&self, name: &LocalName) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.local == *name && a.name.ns == ns!())
            .map(|a| &*a.value)
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.attr_atom(&local_name!("id"))
    }

    /// The element's classes, split on ASCII whitespace.
    pub(crate) fn classes(&self) -> impl Iterator<Item = &str> {
        self.attr_atom(&local_name!("class"))
            .unwrap_or("")
            .split_ascii_whitespace()
            .filter(|c| !c.is_empty())
    }

    /// Whether the element is hidden by the `hidden` attribute or by its
    /// inline style (read by [`crate::style::hides`]).
    pub(crate) fn is_hidden(&self) -> bool {
        self.attr_atom(&local_name!("hidden")).is_some()
            || self
                .attr_atom(&local_name!("style"))
                .is_some_and(crate::style::hides)
    }
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
    pub(super) content: NodeId,
    /// The document's `<head>`, when the input was a whole document.
    pub(super) head: Option<NodeId>,
    /// Start tags the depth guard dropped.
    pub(crate) dropped_deep_tags: usize,
    /// Attributes dropped past [`MAX_ATTRS`](super::MAX_ATTRS) on a tag.
    #[allow(dead_code)]
    pub(crate) dropped_attrs: usize,
}

const ROOT: NodeId = NodeId(NonZeroU32::MIN);

impl Dom {
    /// A tree with nothing but its root, which is also its content.
    pub(super) fn new() -> Dom {
        Dom {
            nodes: vec![Node::new(NodeData::Root)],
            content: ROOT,
            head: None,
            dropped_deep_tags: 0,
            dropped_attrs: 0,
        }
    }

    /// A tree with nothing but its root, with room for `n` nodes.
    pub(super) fn with_capacity(n: usize) -> Dom {
        let mut dom = Dom::new();
        dom.nodes.reserve_exact(n.saturating_sub(1));
        dom
    }

    /// Adds a node, unlinked; its id is the next one.
    pub(super) fn push(&mut self, data: NodeData) -> NodeId {
        let id = NodeId::at(self.nodes.len());
        self.nodes.push(Node::new(data));
        id
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// Gives back the room the node table grew into beyond its nodes: a
    /// tree is built once and then mostly shrinks.
    pub(super) fn shrink_to_fit(&mut self) {
        self.nodes.shrink_to_fit();
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

    pub(super) fn data_mut(&mut self, id: NodeId) -> &mut NodeData {
        &mut self.node_mut(id).data
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

    pub(super) fn last_child(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).last
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

    /// Takes `id` out of its parent's children, if it has a parent.
    pub(super) fn unlink(&mut self, id: NodeId) {
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
    pub(super) fn append(&mut self, parent: NodeId, child: NodeId) {
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
    pub(super) fn insert_before(&mut self, sibling: NodeId, child: NodeId) {
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

    /// Marks the node at `index` removed, as out of the tree.
    pub(super) fn mark_removed(&mut self, index: usize) {
        if let Some(node) = self.nodes.get_mut(index) {
            node.removed = true;
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

/// The children of `id`, for tests: element names, `#` and the text of a
/// text node, `!` for a comment.
#[cfg(test)]
pub(super) fn names(dom: &Dom, id: NodeId) -> Vec<String> {
    dom.children(id)
        .map(|c| match dom.data(c) {
            NodeData::Element(e) => e.name().to_string(),
            NodeData::Text(t) => format!("#{t}"),
            NodeData::Comment(_) => "!".into(),
            NodeData::Root => "/".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The node table is most of the tree's memory: on a dense page, one
    /// node for every 13 bytes of input. Links as `u32` with a niche, an
    /// element's name as its local name and [`Ns`] (whose spare values hold
    /// the node's kind) and its attributes boxed keep a node at 56 bytes
    /// (it was 96).
    #[test]
    fn a_node_takes_56_bytes() {
        assert_eq!(std::mem::size_of::<Option<NodeId>>(), 4);
        assert_eq!(std::mem::size_of::<NodeData>(), 32);
        assert_eq!(std::mem::size_of::<Node>(), 56);
    }

    #[test]
    fn attrs_edits_keep_order() {
        let mut dom = Dom::parse_fragment("<p a=1 b=2 c=3>x</p>");
        let p = dom.first_child(dom.content()).unwrap();
        let e = dom.element_mut(p).unwrap();
        e.set_attr("d", "4");
        e.set_attr("b", "5");
        assert_eq!(e.retain_attrs(|name, _| name != "a"), ["a"]);
        let kept: Vec<_> = e.attrs().collect();
        assert_eq!(kept, [("b", "5"), ("c", "3"), ("d", "4")]);
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
}
