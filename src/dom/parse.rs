//! Parsing: html5ever builds its tree into an arena (`sink`) behind the
//! attribute cap (`prescan`) and the depth guard (`guard`); the nodes are
//! then moved, once and linearly, into a [`Dom`] whose ids follow document
//! order, which is all the rest of the crate sees.

use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TokenSink, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{local_name, ns, LocalName, QualName};

use super::guard::{is_block_name, DepthGuard};
use super::prescan::{Prescan, Question, TextState};
use super::sink::{ArenaSink, Handle};
use super::{Dom, Element, NodeData, NodeId, KEEP_DEPTH, MAX_ATTRS};

/// What the parser made of an input.
struct Parsed {
    /// The tree as built, ids in the order nodes were created.
    raw: Dom,
    dropped_deep_tags: usize,
    dropped_attrs: usize,
    /// Whether a tag repeated an attribute name (the tokenizer keeps the
    /// first).
    #[cfg_attr(not(test), allow(dead_code))]
    repeated_attrs: bool,
}

impl Dom {
    /// Parses a whole HTML document.
    pub(crate) fn parse_document(html: &str) -> Dom {
        Dom::parse_document_with(html, MAX_ATTRS)
    }

    fn parse_document_with(html: &str, max_attrs: usize) -> Dom {
        let sink = ArenaSink::default();
        let tb = TreeBuilder::new(sink, tree_builder_opts());
        let parsed = run(tb, TokenizerOpts::default(), html, max_attrs);
        let mut dom = Dom::from_raw(parsed);
        let html_el = dom
            .children(dom.root())
            .find(|&c| dom.is_element(c, "html"));
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

    pub(super) fn parse_fragment_with(html: &str, max_attrs: usize) -> Dom {
        Dom::parse_fragment_parsed(html, max_attrs).0
    }

    /// Parses a fragment; also says whether a tag repeated an attribute.
    pub(super) fn parse_fragment_parsed(html: &str, max_attrs: usize) -> (Dom, bool) {
        let sink = ArenaSink::default();
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
        let mut dom = Dom::from_raw(parsed);
        let html_el = dom
            .children(dom.root())
            .find(|&c| dom.is_element(c, "html"));
        if let Some(h) = html_el {
            dom.content = h;
        }
        (dom, repeated)
    }

    /// Moves the nodes of the tree as built into a new arena, with an
    /// explicit stack, so that ids follow document order, which the passes
    /// rely on. Nodes out of the document's tree (a template's contents,
    /// the fragment's context element) stay behind.
    ///
    /// Elements deeper than [`KEEP_DEPTH`] are not kept: their children go
    /// to the deepest kept ancestor, with a `<br>` where a block parted
    /// them from what comes before or after (as the depth guard does), and
    /// those whose content is never shown as text (`<script>`, `<style>`)
    /// go with their content.
    fn from_raw(parsed: Parsed) -> Dom {
        let mut raw = parsed.raw;
        if raw.kept_as_built() {
            raw.dropped_deep_tags = parsed.dropped_deep_tags;
            raw.dropped_attrs = parsed.dropped_attrs;
            raw.shrink_to_fit();
            return raw;
        }
        /// A node to move (its id in the raw tree, its new parent, its
        /// depth), or the end of a flattened block.
        enum Step {
            Node(NodeId, NodeId, u32),
            BlockEnd(NodeId),
        }
        let mut dom = Dom::with_capacity(raw.len());
        dom.dropped_deep_tags = parsed.dropped_deep_tags;
        dom.dropped_attrs = parsed.dropped_attrs;
        let mut stack: Vec<Step> = Vec::new();
        let push_children =
            |stack: &mut Vec<Step>, raw: &Dom, h: NodeId, id: NodeId, depth: u32| {
                let mut c = raw.last_child(h);
                while let Some(child) = c {
                    stack.push(Step::Node(child, id, depth + 1));
                    c = raw.prev_sibling(child);
                }
            };
        // Kept elements that a flattened block parted from what follows.
        let mut parted: HashSet<NodeId> = HashSet::new();
        push_children(&mut stack, &raw, raw.root(), dom.root(), 0);
        while let Some(step) = stack.pop() {
            let (handle, parent, depth) = match step {
                Step::Node(h, p, d) => (h, p, d),
                Step::BlockEnd(parent) => {
                    parted.insert(parent);
                    continue;
                }
            };
            // Void elements nest nothing: they stay at any depth.
            match raw.data(handle) {
                NodeData::Element(e) if depth > KEEP_DEPTH && !is_void_name(&e.local) => {
                    dom.dropped_deep_tags += 1;
                    if is_raw_text_name(&e.local) || e.local == local_name!("noscript") {
                        continue;
                    }
                    if is_block_name(&e.local) {
                        parted.insert(parent);
                        stack.push(Step::BlockEnd(parent));
                    }
                    // Its children take its place, at its depth.
                    push_children(&mut stack, &raw, handle, parent, depth - 1);
                    continue;
                }
                // Processing instructions and what was never in the
                // document's tree are never output.
                NodeData::Root => continue,
                _ => {}
            }
            let data = std::mem::replace(raw.data_mut(handle), NodeData::Root);
            let blank = || {
                matches!(&data, NodeData::Text(t) if t.trim().is_empty())
                    || matches!(&data, NodeData::Comment(_))
            };
            // Nothing is parted unless the tree was cut (the usual case).
            if !parted.is_empty()
                && !blank()
                && parted.remove(&parent)
                && dom.last_child(parent).is_some()
            {
                let br = dom.push(NodeData::Element(Element::bare("br")));
                dom.append(parent, br);
            }
            let id = dom.push(data);
            dom.append(parent, id);
            push_children(&mut stack, &raw, handle, id, depth);
        }
        dom.shrink_to_fit();
        dom
    }
}

impl Dom {
    /// Whether the tree as built is already what [`Dom::from_raw`] would
    /// make of it, and is made so: the tree builder created its nodes in
    /// document order (it does, but for the few it moves: text fostered
    /// out of a table, elements the adoption agency reopens), nothing is
    /// deeper than [`KEEP_DEPTH`], and the nodes out of the document's tree
    /// (the fragment's context element, a template's contents) are marked
    /// removed, as an edit leaves them. Two walks by links; no node moves.
    fn kept_as_built(&mut self) -> bool {
        let root = self.root();
        // Pre-order, with the depth of each node.
        let next = |dom: &Dom, n: NodeId, depth: &mut u32| {
            if let Some(c) = dom.first_child(n) {
                *depth += 1;
                return Some(c);
            }
            let mut cur = n;
            loop {
                if let Some(s) = dom.next_sibling(cur) {
                    return Some(s);
                }
                cur = dom.parent(cur)?;
                *depth -= 1;
                if cur == root {
                    return None;
                }
            }
        };
        let (mut depth, mut last, mut n) = (0u32, root, Some(root));
        while let Some(id) = n {
            if id != root {
                if id <= last {
                    return false;
                }
                match self.data(id) {
                    NodeData::Element(e) if depth > KEEP_DEPTH && !is_void_name(&e.local) => {
                        return false
                    }
                    NodeData::Root => return false,
                    _ => {}
                }
                last = id;
            }
            n = next(self, id, &mut depth);
        }
        // Every id the walk skipped is out of the tree.
        let mut depth = 0u32;
        let (mut last, mut n) = (root.index(), next(self, root, &mut depth));
        while let Some(id) = n {
            for gap in last + 1..id.index() {
                self.mark_removed(gap);
            }
            last = id.index();
            n = next(self, id, &mut depth);
        }
        for gap in last + 1..self.len() {
            self.mark_removed(gap);
        }
        true
    }
}

fn tree_builder_opts() -> TreeBuilderOpts {
    TreeBuilderOpts {
        // What a reader without JavaScript sees: `<noscript>` holds markup
        // (often the real image of a lazy one), not raw text.
        scripting_enabled: false,
        drop_doctype: true,
        // NOTE: a document is read in no-quirks mode, whatever its doctype
        // (html5ever reads an `iframe srcdoc` document so). In quirks mode
        // a `<table>` does not close an open `<p>`; the output is a
        // fragment, which every reader (our text renderer, a browser page
        // with a doctype) parses in no-quirks mode, where it does. Rules
        // must judge the tree the output will be, or cleaning the output
        // again would judge a different tree (fixture `fuzz-3a6591d3`).
        iframe_srcdoc: true,
        ..TreeBuilderOpts::default()
    }
}

/// Drives the tokenizer over `html`, with the attribute cap before it (the
/// pieces of [`Prescan`]) and the depth guard between it and the tree
/// builder.
fn run(
    tb: TreeBuilder<Handle, ArenaSink>,
    opts: TokenizerOpts,
    html: &str,
    max_attrs: usize,
) -> Parsed {
    let tok = Tokenizer::new(DepthGuard::new(tb), opts);
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
        let switched = tok.sink.take_switched();
        match piece.ask {
            Some(Question::TextState) => scan.text_state(switched.unwrap_or(TextState::Data)),
            Some(Question::Cdata) => scan.cdata(
                tok.sink
                    .adjusted_current_node_present_but_not_in_html_namespace(),
            ),
            None => {}
        }
    }
    tok.end();
    let guard = tok.sink;
    Parsed {
        dropped_deep_tags: guard.dropped_tags(),
        dropped_attrs: scan.dropped,
        repeated_attrs: guard.repeated_attrs(),
        raw: guard.into_dom(),
    }
}

/// Void elements: the parser gives them no content, and they are written
/// without an end tag.
pub(super) fn is_void_name(name: &LocalName) -> bool {
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
pub(super) fn is_raw_text_name(name: &LocalName) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::tree::names;
    use super::*;

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
    fn ids_follow_document_order_when_the_tree_builder_moves_nodes() {
        // Text fostered out of a table, formatting the adoption agency
        // reopens, a template's contents: created out of document order.
        for html in [
            "<table>a<tr><td>b</td></tr>c</table>d",
            "<b>1<p>2</b>3</p><i>4",
            "<template><p>t</p></template><p>x</p>",
        ] {
            let dom = Dom::parse_fragment(html);
            let order: Vec<NodeId> = dom.descendants(dom.root()).collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{html}");
            assert!(order.iter().all(|&id| !dom.is_removed(id)), "{html}");
        }
        let dom = Dom::parse_fragment("<table>a<tr><td>b</td></tr></table>");
        assert_eq!(names(&dom, dom.content()), ["#a", "table"]);
        let dom = Dom::parse_fragment("<template><p>t</p></template><p>x</p>");
        assert_eq!(names(&dom, dom.content()), ["template", "p"]);
        let template = dom.first_child(dom.content()).unwrap();
        assert_eq!(dom.first_child(template), None);
    }

    #[test]
    fn noscript_holds_markup() {
        let dom = Dom::parse_fragment("<noscript><img src=a.jpg></noscript>");
        let ns = dom.first_child(dom.content()).unwrap();
        assert_eq!(names(&dom, ns), ["img"]);
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
}
