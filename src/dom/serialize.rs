//! HTML serialization of the tree, for the sanitizer.
//!
//! The output is what html5ever's serializer writes for the same tree (the
//! HTML standard's fragment serialization, scripting off), byte for byte,
//! once the sanitizer's element policy is applied (`policy::fate`: what
//! ammonia would drop or unwrap is dropped or unwrapped here, blocks it
//! would unwrap become `<div>`s), with two additions for the sanitizer's
//! sake: [`SPLIT`], and no line break right after `<pre>`.
//!
//! NOTE: html5ever's serializer escapes a string by searching, for each `&`
//! (or each character from U+0080 to U+00BF), for the next `<` or `>` (and
//! `"` in attributes) to the end of the string: a text node of `&x&x&x…`
//! without a `<` costs time quadratic in its length (2 MB: 3 s, twice per
//! document, here and in ammonia's output). This serializer escapes in one
//! pass. ammonia still serializes its own tree with html5ever, so a long run
//! of such text is cut into several text nodes of ammonia's tree by an empty
//! element that ammonia drops ([`SPLIT`]); the output is the same text.
//! ammonia's attribute values are guarded in `sanitize.rs`.

use html5ever::{local_name, ns, QualName};

use super::parse::is_void_name;
use super::{Dom, Element, NodeData, NodeId, Ns, MAX_ATTRS};
use crate::policy::{self, Fate};

/// An empty element that the sanitizer drops, with no trace in its output:
/// its name is not on the allow-list and it holds nothing. Written into a
/// long text run, it ends the text node the sanitizer's parser is building.
pub(crate) const SPLIT: &str = "<articlean-split></articlean-split>";

/// Characters that make html5ever's serializer search ahead, in one text
/// run with no `<` or `>`, before a [`SPLIT`] is written. A run of such
/// characters then costs the sanitizer's serializer at most this many
/// searches over it, linear in its length.
pub(crate) const SPLIT_EVERY: usize = 1024;

/// Elements whose text is written as is: the raw text elements, whose text
/// the parser does not decode. `noscript` is not one: the tree is built with
/// scripting off.
fn is_raw_text_parent(e: &Element) -> bool {
    e.ns == Ns::Html
        && matches!(
            e.local,
            local_name!("style")
                | local_name!("script")
                | local_name!("xmp")
                | local_name!("iframe")
                | local_name!("noembed")
                | local_name!("noframes")
                | local_name!("plaintext")
        )
}

/// Appends `name` with its namespace prefix, as html5ever writes it.
fn push_attr_name(out: &mut String, name: &QualName) {
    match name.ns {
        ns!() => {}
        ns!(xml) => out.push_str("xml:"),
        ns!(xmlns) => {
            if name.local != local_name!("xmlns") {
                out.push_str("xmlns:");
            }
        }
        ns!(xlink) => out.push_str("xlink:"),
        _ => out.push_str("unknown_namespace:"),
    }
    out.push_str(&name.local);
}

/// Appends an attribute value, escaped.
fn push_attr_value(out: &mut String, value: &str) {
    let b = value.as_bytes();
    if memchr::memchr3(b'&', b'"', b'<', b).is_none() && memchr::memchr2(b'>', 0xC2, b).is_none() {
        out.push_str(value);
        return;
    }
    let mut last = 0;
    for (i, c) in value.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '"' => "&quot;",
            '<' => "&lt;",
            '>' => "&gt;",
            '\u{a0}' => "&nbsp;",
            _ => continue,
        };
        out.push_str(&value[last..i]);
        out.push_str(rep);
        last = i + c.len_utf8();
    }
    out.push_str(&value[last..]);
}

/// The escaped-text writer, which counts what the sanitizer's serializer
/// would search ahead for.
#[derive(Default)]
struct TextRun {
    /// Searching characters since the run began, or since its last `<`,
    /// `>` or [`SPLIT`].
    searches: usize,
    /// Whether a [`SPLIT`] was written.
    split: bool,
}

impl TextRun {
    fn push(&mut self, out: &mut String, text: &str) {
        // Nothing to escape or count (0xC2 leads U+0080 to U+00BF): as is.
        let b = text.as_bytes();
        if memchr::memchr3(b'&', b'<', b'>', b).is_none() && memchr::memchr(0xC2, b).is_none() {
            out.push_str(text);
            return;
        }
        let mut last = 0;
        for (i, c) in text.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\u{a0}' => "&nbsp;",
                _ => "",
            };
            match c {
                '<' | '>' => self.searches = 0,
                // html5ever looks for `&` and for the byte 0xC2, the first
                // byte of U+0080 to U+00BF in UTF-8.
                '&' | '\u{80}'..='\u{bf}' => {
                    if self.searches == SPLIT_EVERY {
                        out.push_str(&text[last..i]);
                        last = i;
                        out.push_str(SPLIT);
                        self.split = true;
                        self.searches = 0;
                    }
                    self.searches += 1;
                }
                _ => {}
            }
            if !rep.is_empty() {
                out.push_str(&text[last..i]);
                out.push_str(rep);
                last = i + c.len_utf8();
            }
        }
        out.push_str(&text[last..]);
    }

    /// Something other than text comes: the sanitizer's text node ends.
    fn end(&mut self) {
        self.searches = 0;
    }
}

/// The sanitizer's input, and where it may be cut into pieces that are
/// sanitized one at a time.
///
/// NOTE: ammonia builds a reference-counted tree of its input, some 13
/// bytes per byte of it: most of the peak memory of a large page. The
/// pieces' trees are built one at a time. A cut lies before a node of a
/// tree that is the tree its serialization parses to (`tidy`'s direct
/// path), inside plain containers only ([`is_plain_container`]: `<div>`,
/// `<section>`, lists…, none a formatting element, a table part or a `<p>`).
/// Every element of such a tree is closed by its own end tag, so where a
/// node starts the parser has the containers open and nothing else: no
/// formatting element to reconstruct, no other insertion mode. A piece is
/// written with the start tags of the containers open where it starts and
/// the end tags of those open where it ends, so it parses to its own nodes
/// inside copies of them; ammonia cleans each node by itself, and the
/// copies' tags are cut from its output (see `sanitize`), which is then
/// what it writes for the whole. Debug builds cut before every node they
/// may and check it.
#[derive(Debug, Default)]
pub(crate) struct SanitizerInput {
    pub(crate) html: String,
    /// Where `html` may be cut, in order.
    pub(crate) cuts: Vec<Cut>,
}

/// A place where the sanitizer's input may be cut (see [`SanitizerInput`]).
#[derive(Debug)]
pub(crate) struct Cut {
    /// The byte offset in the input.
    pub(crate) at: usize,
    /// The start tags of the containers open there, outermost first, as
    /// the input writes them.
    pub(crate) open: String,
    /// Their end tags, innermost first.
    pub(crate) close: String,
}

/// Most containers a cut may lie inside.
const MAX_CUT_DEPTH: usize = 32;

/// Elements a cut may lie inside: blocks that the parser leaves open as
/// they are (no formatting element, table part, `<p>`, raw text or
/// `<pre>`), and that the sanitizer keeps as they are.
fn is_plain_container(e: &Element) -> bool {
    e.ns == Ns::Html
        && matches!(
            e.local,
            local_name!("div")
                | local_name!("section")
                | local_name!("article")
                | local_name!("main")
                | local_name!("aside")
                | local_name!("header")
                | local_name!("footer")
                | local_name!("nav")
                | local_name!("blockquote")
                | local_name!("figure")
                | local_name!("ul")
                | local_name!("ol")
        )
}

impl Dom {
    /// Serializes the children of `id` as HTML, for the sanitizer: with its
    /// element policy applied first (see [`policy::fate`]).
    pub(crate) fn serialize_children(&self, id: NodeId) -> String {
        self.write_children(id, true)
    }

    /// Serializes the children of `id` as [`serialize_children`] does, with
    /// the whitespace between blocks tidied: a whitespace-only text node
    /// beside a block (or at a block's start or end) is written as one line
    /// break, and at the very start as nothing. Browsers show none of it;
    /// `<pre>` and the whitespace between inline elements are kept as they
    /// are.
    ///
    /// NOTE: meant for a tree parsed from [`serialize_children`]'s output,
    /// where only allowed elements are left and adjacent text is one node:
    /// siblings in the tree are then siblings in the output, and tidying
    /// the tidied output again changes nothing.
    ///
    /// [`serialize_children`]: Dom::serialize_children
    pub(crate) fn serialize_children_tidy(&self, id: NodeId) -> String {
        self.write(id, true, true, false, None).out
    }

    /// The content of a tree the element policy was applied to (see
    /// `tidy`), serialized as [`serialize_children_tidy`] does, unless
    /// a [`SPLIT`] had to be written: the tree parsed from a serialization
    /// holds the split elements, so only a tree without them can be tidied
    /// directly (see `tidy`).
    ///
    /// [`serialize_children_tidy`]: Dom::serialize_children_tidy
    ///
    /// Also gives where the output may be cut between top-level nodes into
    /// pieces of at least `piece` bytes (see [`SanitizerInput`]).
    pub(super) fn write_tidy_unsplit(&self, piece: usize) -> Option<SanitizerInput> {
        let w = self.write(self.content(), true, true, true, Some(piece));
        (!w.run.split).then_some(SanitizerInput {
            html: w.out,
            cuts: w.cuts,
        })
    }

    /// A cut at `at`, before `n`, when every element between `n` and `top`
    /// is a plain container (at most [`MAX_CUT_DEPTH`] of them).
    fn cut_before(&self, n: NodeId, top: NodeId, at: usize) -> Option<Cut> {
        // NOTE: asked of every node once a piece is long enough, until one
        // may be cut before: the containers are checked before anything is
        // written.
        let chain = || self.ancestors(n).take_while(move |&a| a != top);
        let mut depth = 0;
        for a in chain() {
            depth += 1;
            if depth > MAX_CUT_DEPTH || !self.element(a).is_some_and(is_plain_container) {
                return None;
            }
        }
        let mut open = String::new();
        let mut close = String::new();
        for e in chain().filter_map(|a| self.element(a)) {
            // Innermost first: each start tag goes before those written.
            let mut tag = String::new();
            push_start_tag(&mut tag, e, true);
            open.insert_str(0, &tag);
            close.push_str("</");
            close.push_str(&e.local);
            close.push('>');
        }
        Some(Cut { at, open, close })
    }

    /// Serializes the children of `id` as HTML, every element as it is.
    #[cfg(test)]
    pub(crate) fn serialize_children_as_is(&self, id: NodeId) -> String {
        self.write_children(id, false)
    }

    fn write_children(&self, id: NodeId, for_sanitizer: bool) -> String {
        self.write(id, for_sanitizer, false, false, None).out
    }

    /// Whether the whitespace-only text `n` lies between blocks, where a
    /// browser shows none of it; `None` when it is not (or is in a `<pre>`),
    /// else whether it is at the very start of what is written (`top`).
    fn between_blocks(&self, n: NodeId, top: NodeId) -> Option<bool> {
        let parent = self.parent(n)?;
        if self.ancestors(n).take_while(|&a| a != top).any(|a| {
            self.element(a)
                .is_some_and(|e| e.ns == Ns::Html && e.local == local_name!("pre"))
        }) {
            return None;
        }
        let is_block = |x: Option<NodeId>, edge: bool| match x {
            // The start or end of the parent: a block's, or the document's.
            None => edge && (parent == top || self.element(parent).is_some_and(is_block)),
            Some(x) => self.element(x).is_some_and(is_block),
        };
        let (prev, next) = (self.prev_sibling(n), self.next_sibling(n));
        if prev.is_none() && next.is_none() {
            // All its parent holds (`<td> </td>`): left as it is.
            return None;
        }
        (is_block(prev, true) || is_block(next, true)).then_some(parent == top && prev.is_none())
    }

    /// `applied`: the element policy was applied to the tree itself (see
    /// `tidy`), so every element left is one the sanitizer keeps. `piece`:
    /// record cuts between the children of `id` at least this many bytes
    /// apart.
    fn write(
        &self,
        id: NodeId,
        for_sanitizer: bool,
        tidy: bool,
        applied: bool,
        piece: Option<usize>,
    ) -> Writer {
        enum Op {
            Open(NodeId),
            /// The end of an element, and what was written for it.
            Close(NodeId, Fate),
        }
        let mut w = Writer::default();
        let mut stack: Vec<Op> = self.children(id).map(Op::Open).collect();
        stack.reverse();
        while let Some(op) = stack.pop() {
            if let (Some(piece), Op::Open(n)) = (piece, &op) {
                let at = w.out.len();
                let last = w.cuts.last().map_or(0, |c| c.at);
                if at > last && at - last >= piece {
                    w.cuts.extend(self.cut_before(*n, id, at));
                }
            }
            match op {
                Op::Close(_, Fate::Unwrap | Fate::Drop) => {}
                Op::Close(_, Fate::Rename(to)) => {
                    w.end();
                    w.out.push_str("</");
                    w.out.push_str(to);
                    w.out.push('>');
                }
                Op::Close(el, Fate::Keep) => {
                    if let NodeData::Element(e) = self.data(el) {
                        if is_link(e) {
                            w.links -= 1;
                        }
                        w.end();
                        w.out.push_str("</");
                        w.out.push_str(&e.local);
                        w.out.push('>');
                    }
                }
                Op::Open(n) => match self.data(n) {
                    NodeData::Element(e) if for_sanitizer && is_math(e) => {
                        // ammonia drops MathML; it is written as what the
                        // text output reads it as.
                        w.text(&self.math_text(n), false);
                    }
                    NodeData::Element(e) => {
                        let mut fate = if for_sanitizer && !applied {
                            fate(e)
                        } else {
                            debug_assert!(!applied || fate(e) == Fate::Keep);
                            Fate::Keep
                        };
                        if for_sanitizer && fate == Fate::Keep && is_link(e) {
                            // NOTE: a link inside a link, which the adoption
                            // agency algorithm leaves past its 8 rounds
                            // (`<a><div>…<a>` deep), is parsed apart again by
                            // the sanitizer, 8 levels a time: the output of
                            // each cleaning differs. The inner one goes.
                            if w.links > 0 {
                                fate = Fate::Unwrap;
                            } else {
                                w.links += 1;
                            }
                        }
                        match fate {
                            Fate::Drop => continue,
                            Fate::Unwrap => {}
                            // Empty or not: to the text output, a block
                            // parts the text around it.
                            Fate::Rename(to) => {
                                w.end();
                                w.out.push('<');
                                w.out.push_str(to);
                                w.out.push('>');
                            }
                            Fate::Keep => {
                                w.end();
                                push_start_tag(&mut w.out, e, for_sanitizer);
                                w.after_pre = for_sanitizer
                                    && e.ns == Ns::Html
                                    && e.local == local_name!("pre");
                                // Void elements have no content and no end tag.
                                if e.ns == Ns::Html && is_void_name(&e.local) {
                                    continue;
                                }
                            }
                        }
                        stack.push(Op::Close(n, fate));
                        let at = stack.len();
                        stack.extend(self.children(n).map(Op::Open));
                        stack[at..].reverse();
                    }
                    NodeData::Text(t) => {
                        let raw = self
                            .parent(n)
                            .and_then(|p| self.element(p))
                            .is_some_and(is_raw_text_parent);
                        if tidy && !raw && t.bytes().all(|b| b.is_ascii_whitespace()) {
                            match self.between_blocks(n, id) {
                                Some(true) => continue,
                                Some(false) => {
                                    w.text("\n", false);
                                    continue;
                                }
                                None => {}
                            }
                        }
                        w.text(t, raw);
                    }
                    NodeData::Comment(c) => {
                        w.end();
                        w.out.push_str("<!--");
                        w.out.push_str(c);
                        w.out.push_str("-->");
                    }
                    NodeData::Root => {}
                },
            }
        }
        w
    }
}

/// The output being written.
#[derive(Default)]
struct Writer {
    out: String,
    run: TextRun,
    /// Just after a `<pre>` start tag, where the parser drops a line break.
    after_pre: bool,
    /// Links open.
    links: usize,
    /// Where the output may be cut.
    cuts: Vec<Cut>,
}

impl Writer {
    /// Before a tag or comment: the sanitizer's text node ends.
    fn end(&mut self) {
        self.run.end();
        self.after_pre = false;
    }

    fn text(&mut self, t: &str, raw: bool) {
        if raw {
            self.out.push_str(t);
            self.after_pre = false;
            return;
        }
        let t = if self.after_pre {
            // NOTE: the parser drops a line break right after `<pre>`, and
            // html5ever's serializer (ammonia's) does not write one back, so
            // a `<pre>` whose text starts with a line break would lose one
            // each time it is cleaned. Its leading line breaks go at once
            // (browsers skip the first anyway).
            let t = t.trim_start_matches(['\n', '\r']);
            self.after_pre = t.is_empty();
            t
        } else {
            t
        };
        self.run.push(&mut self.out, t);
    }
}

/// Whether an element is a block: the whitespace beside it shows nothing.
fn is_block(e: &Element) -> bool {
    e.ns == Ns::Html
        && matches!(
            &*e.local,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "caption"
                | "center"
                | "dd"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "dt"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "header"
                | "hgroup"
                | "hr"
                | "li"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "pre"
                | "section"
                | "summary"
                | "table"
                | "tbody"
                | "td"
                | "tfoot"
                | "th"
                | "thead"
                | "tr"
                | "ul"
        )
}

fn is_link(e: &Element) -> bool {
    e.ns == Ns::Html && e.local == local_name!("a")
}

fn is_math(e: &Element) -> bool {
    e.ns == Ns::MathMl && e.local == local_name!("math")
}

/// The attributes the sanitizer may keep on a kept element, besides the
/// generic ones; `None` when every attribute is to be written, as on an
/// element with more attributes than the parser keeps (`MAX_ATTRS`): read
/// again, it would keep the first ones written.
fn sanitizer_attrs(e: &Element) -> Option<&'static [&'static str]> {
    if e.attrs.is_empty() || e.attrs.len() > MAX_ATTRS {
        return None;
    }
    Some(
        policy::TAG_ATTRS
            .iter()
            .find(|(t, _)| *t == &*e.local)
            .map_or(&[][..], |(_, a)| *a),
    )
}

/// Appends the start tag of `e`, with the attributes the sanitizer may
/// keep when it is `for_sanitizer`.
fn push_start_tag(out: &mut String, e: &Element, for_sanitizer: bool) {
    out.push('<');
    out.push_str(&e.local);
    let allowed = if for_sanitizer {
        sanitizer_attrs(e)
    } else {
        None
    };
    for a in &e.attrs {
        if allowed.is_some_and(|allowed| !may_pass(allowed, &a.name)) {
            continue;
        }
        out.push(' ');
        push_attr_name(out, &a.name);
        out.push_str("=\"");
        push_attr_value(out, &a.value);
        out.push('"');
    }
    out.push('>');
}

/// Whether an attribute goes to the sanitizer: all but those it drops
/// anyway, without a trace (ammonia keeps only attributes on its
/// allow-lists, by name). Leaving them out spares the sanitizer's parser
/// and attribute filter their bytes; the output is the same.
///
/// NOTE: only names the parser reads back as they are written are left
/// out (in no namespace, lower case letters, digits, `-`, `_`, `:`, `.`):
/// the sanitizer sees every other name as it would have.
fn may_pass(allowed: &[&str], name: &QualName) -> bool {
    if name.ns != ns!() {
        return true;
    }
    let n: &str = &name.local;
    let plain = !n.is_empty()
        && n.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b':' | b'.')
        });
    !plain || policy::GENERIC_ATTRS.contains(&n) || allowed.contains(&n)
}

/// What becomes of an element on its way to the sanitizer.
pub(crate) fn fate(e: &Element) -> Fate {
    policy::fate(e.ns == Ns::Html, &e.local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::serialize::{serialize, Serialize, SerializeOpts, Serializer, TraversalScope};

    /// The tree in html5ever's serializer, to compare with.
    struct Subtree<'a>(&'a Dom, NodeId);

    impl Serialize for Subtree<'_> {
        fn serialize<S: Serializer>(&self, ser: &mut S, _: TraversalScope) -> std::io::Result<()> {
            enum Op {
                Open(NodeId),
                Close(QualName),
            }
            let dom = self.0;
            let mut stack: Vec<Op> = dom.children(self.1).map(Op::Open).collect();
            stack.reverse();
            while let Some(op) = stack.pop() {
                match op {
                    Op::Close(name) => ser.end_elem(name)?,
                    Op::Open(id) => match dom.data(id) {
                        NodeData::Element(e) => {
                            ser.start_elem(
                                e.qual_name(),
                                e.attrs.iter().map(|a| (&a.name, &*a.value)),
                            )?;
                            stack.push(Op::Close(e.qual_name()));
                            let at = stack.len();
                            stack.extend(dom.children(id).map(Op::Open));
                            stack[at..].reverse();
                        }
                        NodeData::Text(t) => ser.write_text(t)?,
                        NodeData::Comment(c) => ser.write_comment(c)?,
                        NodeData::Root => {}
                    },
                }
            }
            Ok(())
        }
    }

    fn by_html5ever(dom: &Dom) -> String {
        let mut out = Vec::new();
        let opts = SerializeOpts {
            scripting_enabled: false,
            traversal_scope: TraversalScope::ChildrenOnly(None),
            create_missing_parent: true,
        };
        serialize(&mut out, &Subtree(dom, dom.content()), opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_html5ever_writes() {
        for html in [
            "<p title='a\"b&amp;c<>\u{a0}'>x &amp; &lt;y&gt; \u{a0}\"q\"</p>",
            "<script>if (a < b && c) {}</script><style>p > a {}</style>",
            "<noscript><img src=a.jpg alt='&lt;'></noscript><br><img src=x>",
            "<svg><a xlink:href='#x' xml:lang=en xmlns:xlink='http://www.w3.org/1999/xlink'/></svg>",
            "<math><mi>x</mi></math><!-- c --><textarea>&lt;b&gt;</textarea><xmp><b></xmp>",
            "<table><tr><td>1<td>2</table><pre>\n\nx</pre><template><p>t</p></template>",
            "© ° « » · ± ¿ café",
        ] {
            let dom = Dom::parse_fragment(html);
            assert_eq!(
                dom.serialize_children_as_is(dom.content()),
                by_html5ever(&dom),
                "{html}"
            );
        }
    }

    #[test]
    fn long_runs_of_searched_characters_are_split() {
        let text = "&x".repeat(3 * SPLIT_EVERY);
        let dom = Dom::parse_fragment(&format!("<p>{text}</p>"));
        let out = dom.serialize_children(dom.content());
        assert_eq!(out.matches(SPLIT).count(), 2);
        assert_eq!(out.replace(SPLIT, ""), by_html5ever(&dom));
        // A `<` starts a new count.
        let text = format!("{}&lt;", "&amp;".repeat(SPLIT_EVERY - 1)).repeat(4);
        let dom = Dom::parse_fragment(&text);
        assert!(!dom.serialize_children(dom.content()).contains(SPLIT));
    }

    #[test]
    fn attributes_the_sanitizer_drops_are_left_out() {
        let dom = Dom::parse_fragment(
            "<p class=x id=y title=t data-z=1 Data-Q=2>a</p><img src=a.png alt=b loading=lazy>\
             <a href=/a class=c hreflang=en>l</a><pre class='language-rust'>p</pre>",
        );
        assert_eq!(
            dom.serialize_children(dom.content()),
            "<p title=\"t\">a</p><img src=\"a.png\" alt=\"b\">\
             <a href=\"/a\" hreflang=\"en\">l</a><pre class=\"language-rust\">p</pre>"
        );
        // Names the parser would read otherwise go as they are.
        let mut dom = Dom::parse_fragment("<p>a</p>");
        let p = dom.children(dom.content()).next().unwrap();
        let e = dom.element_mut(p).unwrap();
        e.attrs.push(html5ever::Attribute {
            name: QualName::new(None, ns!(), "Data-X".into()),
            value: "1".into(),
        });
        e.attrs.push(html5ever::Attribute {
            name: QualName::new(None, ns!(xlink), "href".into()),
            value: "2".into(),
        });
        assert_eq!(
            dom.serialize_children(dom.content()),
            "<p Data-X=\"1\" xlink:href=\"2\">a</p>"
        );
        // Everything, as is, for other readers.
        let dom = Dom::parse_fragment("<p class=x>a</p>");
        assert_eq!(
            dom.serialize_children_as_is(dom.content()),
            "<p class=\"x\">a</p>"
        );
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
