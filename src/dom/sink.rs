//! The tree builder's sink: html5ever builds its tree straight into an
//! arena ([`Dom`]), in the order it creates nodes, and the sink records the
//! tree depth of each node for the depth guard (`guard`). `parse` then moves
//! the nodes, once and linearly, into a [`Dom`] whose ids follow document
//! order.
//!
//! It does what `markup5ever_rcdom`'s sink does, minus what the crate never
//! reads: adjacent texts are merged, a `<template>`'s contents go to a
//! detached node, doctypes, processing instructions and parse errors are not
//! kept. Handles are node ids (with an element's name, which the tree
//! builder asks for most): nothing is counted by reference, and nothing but
//! the arena is allocated per node.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::interface::{ElementFlags, ExpandedName, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{local_name, ns, Attribute, LocalName, Namespace, QualName};

use super::parse::is_void_name;
use super::{Dom, Element, NodeData, NodeId};

/// What the sink knows of a node besides the arena.
#[derive(Clone, Copy, Default)]
struct Meta {
    /// Depth in the tree when last placed: the document is 0.
    depth: u32,
    /// A MathML `annotation-xml` that is an HTML integration point.
    annotation: bool,
    /// For a `<template>`: its contents, a detached node.
    template: Option<NodeId>,
}

/// The tree builder's handle on a node: its id, and for an element its
/// name, which the tree builder asks for for every open element it scans,
/// so that the answer is a borrow, not a look-up.
#[derive(Clone, Debug)]
pub(super) struct Handle {
    pub(super) id: NodeId,
    ns: Namespace,
    local: LocalName,
}

impl Handle {
    /// The handle of a node that is not an element.
    fn other(id: NodeId) -> Handle {
        Handle {
            id,
            ns: ns!(),
            local: local_name!(""),
        }
    }
}

/// Builds the tree into an arena and records the depth of each node it
/// places and of the node the tree builder is currently inserting into.
pub(super) struct ArenaSink {
    dom: RefCell<Dom>,
    meta: RefCell<Vec<Meta>>,
    /// The depth the tree builder is inserting at, as far as the sink can
    /// tell (see `guard::DepthGuard`).
    pub(super) current: Cell<u32>,
}

impl Default for ArenaSink {
    fn default() -> ArenaSink {
        ArenaSink {
            dom: RefCell::new(Dom::new()),
            meta: RefCell::new(vec![Meta::default()]),
            current: Cell::new(0),
        }
    }
}

impl ArenaSink {
    /// The tree as built: ids in the order nodes were created.
    pub(super) fn into_dom(self) -> Dom {
        self.dom.into_inner()
    }

    fn depth_of(&self, h: NodeId) -> u32 {
        self.meta.borrow().get(h.index()).map_or(0, |m| m.depth)
    }

    fn set_depth(&self, h: NodeId, depth: u32) {
        if let Some(m) = self.meta.borrow_mut().get_mut(h.index()) {
            m.depth = depth;
        }
    }

    fn add(&self, data: NodeData) -> NodeId {
        let id = self.dom.borrow_mut().push(data);
        self.meta.borrow_mut().push(Meta::default());
        id
    }

    /// Records that `child` now sits under a parent of depth `parent_depth`.
    fn placed(&self, parent_depth: u32, child: Option<NodeId>) {
        match child {
            Some(h) => {
                let d = parent_depth + 1;
                self.set_depth(h, d);
                let void = self
                    .dom
                    .borrow()
                    .element(h)
                    .is_some_and(|e| is_void_name(&e.local));
                self.current.set(if void { parent_depth } else { d });
            }
            None => self.current.set(parent_depth),
        }
    }

    /// Appends text to `prev` when it is a text node.
    fn merge_text(dom: &mut Dom, prev: Option<NodeId>, text: &StrTendril) -> bool {
        match prev.map(|p| dom.data_mut(p)) {
            Some(NodeData::Text(t)) => {
                t.push_tendril(text);
                true
            }
            _ => false,
        }
    }

    /// The node to insert for `child`, unlinked; `None` when it was text
    /// merged into `prev`.
    fn node_for(&self, prev: Option<NodeId>, child: NodeOrText<Handle>) -> Option<NodeId> {
        match child {
            NodeOrText::AppendText(text) => {
                if ArenaSink::merge_text(&mut self.dom.borrow_mut(), prev, &text) {
                    return None;
                }
                Some(self.add(NodeData::Text(text)))
            }
            NodeOrText::AppendNode(node) => {
                self.dom.borrow_mut().unlink(node.id);
                Some(node.id)
            }
        }
    }
}

impl TreeSink for ArenaSink {
    type Handle = Handle;
    type Output = ArenaSink;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> ArenaSink {
        self
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {
        // Parse errors are normal in real pages; keeping them would only cost memory.
    }
    fn get_document(&self) -> Handle {
        Handle::other(self.dom.borrow().root())
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        // The tree builder asks only about elements.
        ExpandedName {
            ns: &target.ns,
            local: &target.local,
        }
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let (ns, local) = (name.ns.clone(), name.local.clone());
        let id = self.add(NodeData::Element(Element::new(name, attrs)));
        let contents = flags.template.then(|| self.add(NodeData::Root));
        if let Some(m) = self.meta.borrow_mut().get_mut(id.index()) {
            m.annotation = flags.mathml_annotation_xml_integration_point;
            m.template = contents;
        }
        Handle { id, ns, local }
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        Handle::other(self.add(NodeData::Comment(text)))
    }
    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        // Only XML has them; like the rest of a root's kind, never kept.
        Handle::other(self.add(NodeData::Root))
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let parent = parent.id;
        let last = self.dom.borrow().last_child(parent);
        let node = self.node_for(last, child);
        self.placed(self.depth_of(parent), node);
        if let Some(node) = node {
            self.dom.borrow_mut().append(parent, node);
        }
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        if self.dom.borrow().parent(element.id).is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }
    fn append_doctype_to_document(
        &self,
        _name: StrTendril,
        _public_id: StrTendril,
        _system_id: StrTendril,
    ) {
        // Doctypes are never output.
    }
    fn pop(&self, node: &Handle) {
        self.current.set(self.depth_of(node.id).saturating_sub(1));
    }
    fn get_template_contents(&self, target: &Handle) -> Handle {
        let known = self
            .meta
            .borrow()
            .get(target.id.index())
            .and_then(|m| m.template);
        // Only templates are asked about; anything else gets contents of
        // its own, kept out of the tree all the same.
        let contents = known.unwrap_or_else(|| self.add(NodeData::Root));
        self.set_depth(contents, self.depth_of(target.id) + 1);
        Handle::other(contents)
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let sibling = sibling.id;
        let (parent, prev) = {
            let dom = self.dom.borrow();
            (dom.parent(sibling), dom.prev_sibling(sibling))
        };
        // The tree builder inserts before placed nodes only.
        let Some(parent) = parent else { return };
        let node = self.node_for(prev, new_node);
        self.placed(self.depth_of(parent), node);
        if let Some(node) = node {
            self.dom.borrow_mut().insert_before(sibling, node);
        }
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut dom = self.dom.borrow_mut();
        let Some(e) = dom.element_mut(target.id) else {
            return;
        };
        let existing = e.attrs.len();
        for a in attrs {
            if !e.attrs[..existing].iter().any(|b| b.name == a.name) {
                e.attrs.push(a);
            }
        }
    }
    fn remove_from_parent(&self, target: &Handle) {
        self.dom.borrow_mut().unlink(target.id);
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let (node, new_parent) = (node.id, new_parent.id);
        if node == new_parent {
            return;
        }
        let d = self.depth_of(new_parent) + 1;
        let mut dom = self.dom.borrow_mut();
        while let Some(c) = dom.first_child(node) {
            dom.unlink(c);
            dom.append(new_parent, c);
            self.set_depth(c, d);
        }
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.meta
            .borrow()
            .get(handle.id.index())
            .is_some_and(|m| m.annotation)
    }
}
