//! The sanitizer's input, tidied, without a second parse when none is
//! needed.
//!
//! The sanitizer is given the tree as the HTML parser reads it from our
//! serialization, tidied (see `Dom::serialize_children_tidy`). Reading the
//! serialization again can change the tree: the element policy unwraps,
//! renames and drops elements (`<li>a<nav><li>b` becomes `<li>a<div><li>b`,
//! which the parser reads as two items), and adjacent text becomes one node.
//! So the policy is applied to the tree itself first, adjacent text joined,
//! and the result checked against the few rules of the HTML parser that
//! could build another tree from its serialization ([`Dom::is_read_back`]).
//! When none applies, the tree is the tree its serialization parses to, and
//! it is tidied directly; otherwise (a `<div>` in a `<p>`, a table row
//! outside a table, a comment) it is serialized and parsed again, as before.
//! Both ways give the same bytes; debug builds check that they do.

use html5ever::{local_name, ns, LocalName};

use super::serialize::{fate, SanitizerInput};
use super::{Dom, Element, NodeData, NodeId, Ns, KEEP_DEPTH, MAX_ATTRS};
use crate::policy::Fate;

/// What the policy does to one element of the tree.
enum Act {
    Drop,
    Unwrap,
    Rename(&'static str),
    /// A `<math>` element, written as its text, which takes this place in
    /// the list of texts.
    Math(usize),
}

/// What the parser has open around a node, as far as re-nesting goes.
#[derive(Clone, Copy, Default)]
struct Open {
    /// A `<p>` in button scope: a block start tag would close it.
    p: bool,
    /// An `<li>` that an `<li>` start tag would close.
    li: bool,
    /// A `<dd>` or `<dt>` that a `<dd>` or `<dt>` start tag would close.
    dd: bool,
    depth: u32,
}

impl Dom {
    /// The sanitizer's input: the tree serialized with the element policy
    /// applied, read by the HTML parser, trailing whitespace left out, and
    /// tidied; empty when nothing is left.
    ///
    /// Cuts between top-level nodes at least `piece` bytes apart are given
    /// when the tree is the tree its serialization parses to (see
    /// [`SanitizerInput`]).
    pub(crate) fn into_sanitizer_html(mut self, piece: usize) -> SanitizerInput {
        let texts = self.apply_policy();
        self.join_text(texts);
        let direct = if self.is_read_back() {
            self.trim_end();
            self.write_tidy_unsplit(piece)
        } else {
            None
        };
        match direct {
            Some(input) => {
                if cfg!(debug_assertions) {
                    assert_eq!(
                        input.html,
                        self.reparse_tidy(),
                        "the tree is the tree its serialization parses to"
                    );
                }
                input
            }
            None => SanitizerInput {
                html: self.reparse_tidy(),
                cuts: Vec::new(),
            },
        }
    }

    /// Serializes, trims the trailing whitespace, parses again and tidies.
    /// The tree is dropped once serialized, and so is the parsed tree, so
    /// that no two live at once.
    fn reparse_tidy(self) -> String {
        let mut html = self.serialize_children(self.content());
        drop(self);
        let end = html
            .trim_end_matches(|c: char| c.is_ascii_whitespace())
            .len();
        html.truncate(end);
        if html.is_empty() {
            return html;
        }
        let parsed = Dom::parse_fragment(&html);
        drop(html);
        parsed.serialize_children_tidy(parsed.content())
    }

    /// Applies the element policy to the tree, as the serializer does when
    /// it writes it for the sanitizer: its serialization is then the same.
    /// Returns the texts of the tree then, in document order (and removed
    /// ones), for [`Dom::join_text`].
    fn apply_policy(&mut self) -> Vec<NodeId> {
        enum Op {
            Open(NodeId),
            CloseLink,
        }
        let mut acts = Vec::new();
        let mut texts = Vec::new();
        let mut links = 0usize;
        let mut stack: Vec<Op> = self.children(self.content()).map(Op::Open).collect();
        stack.reverse();
        while let Some(op) = stack.pop() {
            let n = match op {
                Op::CloseLink => {
                    links -= 1;
                    continue;
                }
                Op::Open(n) => n,
            };
            let e = match self.data(n) {
                NodeData::Element(e) => e,
                NodeData::Text(_) => {
                    texts.push(n);
                    continue;
                }
                _ => continue,
            };
            if e.ns == Ns::MathMl && e.local == local_name!("math") {
                // NOTE: unwrapping keeps the order of what stays, so the
                // texts are in document order once the policy is applied;
                // the text a `<math>` becomes takes its place among them.
                acts.push((n, Act::Math(texts.len())));
                texts.push(n);
                continue;
            }
            match fate(e) {
                Fate::Drop => {
                    acts.push((n, Act::Drop));
                    continue;
                }
                Fate::Unwrap => acts.push((n, Act::Unwrap)),
                Fate::Rename(to) => acts.push((n, Act::Rename(to))),
                Fate::Keep if e.ns == Ns::Html && e.local == local_name!("a") => {
                    // A link inside a link goes (see `Dom::write`).
                    if links > 0 {
                        acts.push((n, Act::Unwrap));
                    } else {
                        links += 1;
                        stack.push(Op::CloseLink);
                    }
                }
                Fate::Keep => {}
            }
            let at = stack.len();
            stack.extend(self.children(n).map(Op::Open));
            stack[at..].reverse();
        }
        for (n, act) in acts {
            match act {
                Act::Drop => self.remove(n),
                Act::Unwrap => self.unwrap(n),
                Act::Rename(to) => {
                    if let Some(e) = self.element_mut(n) {
                        e.local = LocalName::from(to);
                        e.ns = Ns::Html;
                        e.attrs.clear();
                    }
                }
                Act::Math(slot) => {
                    let text = self.math_text(n);
                    if !text.is_empty() {
                        let t = self.push(NodeData::Text(text.as_str().into()));
                        self.insert_before(n, t);
                        texts[slot] = t;
                    }
                    self.remove(n);
                }
            }
        }
        texts
    }

    /// Joins adjacent text nodes and drops empty ones, as a parser reading
    /// the tree's serialization would: `texts` are the tree's, in document
    /// order (removed ones are passed over).
    fn join_text(&mut self, texts: Vec<NodeId>) {
        for t in texts {
            if self.is_removed(t) {
                continue;
            }
            while let Some(next) = self.next_sibling(t) {
                let NodeData::Text(more) = self.data(next) else {
                    break;
                };
                let more = more.clone();
                if let NodeData::Text(text) = self.data_mut(t) {
                    text.push_tendril(&more);
                }
                self.remove(next);
            }
            if self.text(t).is_some_and(str::is_empty) {
                self.remove(t);
            }
        }
    }

    /// Leaves out the whitespace the serialization ends with: the end of
    /// the last text at the top, when it is last.
    fn trim_end(&mut self) {
        let Some(last) = self.last_child(self.content()) else {
            return;
        };
        if let NodeData::Text(text) = self.data_mut(last) {
            let keep = text
                .trim_end_matches(|c: char| c.is_ascii_whitespace())
                .len();
            text.pop_back(u32::try_from(text.len() - keep).expect("a text under 4 GB"));
            if text.is_empty() {
                self.remove(last);
            }
        }
    }

    /// Whether the HTML parser reads the tree's serialization back as this
    /// very tree. The tree holds only what the policy keeps, with its
    /// adjacent text joined (`apply_policy`, `join_text`); the parser's
    /// rules that could still build another tree from it are checked, and
    /// anything else this does not know (comments, odd attributes) says no.
    ///
    /// NOTE: the rules are those of the HTML standard's "in body" and table
    /// insertion modes for the elements the policy keeps
    /// (<https://html.spec.whatwg.org/multipage/parsing.html#parsing-main-inbody>):
    /// a block start tag closes a `<p>` in button scope; a heading closes a
    /// heading it is in; `<li>` closes an open `<li>`, and `<dd>`/`<dt>` an
    /// open `<dd>`/`<dt>`, unless a special element other than `<address>`,
    /// `<div>` and `<p>` is in between; table parts outside their place are
    /// ignored or get implied parents, and text in a table but outside its
    /// cells is moved before it; ruby parts close the open ones; void
    /// elements hold nothing. Formatting elements properly nested, with no
    /// link in a link, are reopened nowhere.
    pub(super) fn is_read_back(&self) -> bool {
        // Each node to look at, with what is open around it and its
        // parent's name (`None`: not an element).
        let top = self.element(self.content()).map(|e| &e.local);
        let mut stack: Vec<(NodeId, Open, Option<&LocalName>)> = self
            .children(self.content())
            .map(|c| (c, Open::default(), top))
            .collect();
        stack.reverse();
        while let Some((n, open, parent_name)) = stack.pop() {
            match self.data(n) {
                NodeData::Text(t) => {
                    if memchr::memchr2(b'\r', 0, t.as_bytes()).is_some() {
                        return false;
                    }
                    if is_table_part(parent_name)
                        && !t
                            .bytes()
                            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0c'))
                    {
                        return false;
                    }
                }
                NodeData::Element(e) => {
                    if e.ns != Ns::Html || open.depth + 8 > KEEP_DEPTH {
                        return false;
                    }
                    if e.attrs.len() + 8 > MAX_ATTRS || !has_plain_attrs(e) {
                        return false;
                    }
                    let name = &e.local;
                    let is_void = matches!(
                        *name,
                        local_name!("br")
                            | local_name!("col")
                            | local_name!("hr")
                            | local_name!("img")
                            | local_name!("wbr")
                    );
                    if is_void && self.first_child(n).is_some() {
                        return false;
                    }
                    if open.p && closes_p(name) {
                        return false;
                    }
                    if is_heading(name) && parent_name.is_some_and(is_heading) {
                        return false;
                    }
                    if (*name == local_name!("li") && open.li)
                        || (matches!(*name, local_name!("dd") | local_name!("dt")) && open.dd)
                    {
                        return false;
                    }
                    let placed = match *name {
                        local_name!("caption")
                        | local_name!("colgroup")
                        | local_name!("tbody")
                        | local_name!("thead")
                        | local_name!("tfoot") => parent_name == Some(&local_name!("table")),
                        local_name!("tr") => matches!(
                            parent_name.cloned(),
                            Some(
                                local_name!("tbody") | local_name!("thead") | local_name!("tfoot")
                            )
                        ),
                        local_name!("td") | local_name!("th") => {
                            parent_name == Some(&local_name!("tr"))
                        }
                        local_name!("col") => parent_name == Some(&local_name!("colgroup")),
                        local_name!("rtc") => parent_name == Some(&local_name!("ruby")),
                        local_name!("rp") | local_name!("rt") => matches!(
                            parent_name.cloned(),
                            Some(local_name!("ruby") | local_name!("rtc"))
                        ),
                        _ => !is_table_part(parent_name),
                    };
                    if !placed {
                        return false;
                    }
                    let inner = Open {
                        p: match *name {
                            local_name!("p") => true,
                            local_name!("caption")
                            | local_name!("table")
                            | local_name!("td")
                            | local_name!("th") => false,
                            _ => open.p,
                        },
                        li: match *name {
                            local_name!("li") => true,
                            local_name!("address") | local_name!("div") | local_name!("p") => {
                                open.li
                            }
                            _ if is_special(name) => false,
                            _ => open.li,
                        },
                        dd: match *name {
                            local_name!("dd") | local_name!("dt") => true,
                            local_name!("address") | local_name!("div") | local_name!("p") => {
                                open.dd
                            }
                            _ if is_special(name) => false,
                            _ => open.dd,
                        },
                        depth: open.depth + 1,
                    };
                    let at = stack.len();
                    stack.extend(self.children(n).map(|c| (c, inner, Some(name))));
                    stack[at..].reverse();
                }
                NodeData::Comment(_) | NodeData::Root => return false,
            }
        }
        true
    }
}

/// Whether the element's attributes are ones the tokenizer reads back as
/// they are: names in lower case, without namespace or anything that ends
/// a name, each once (a repeated name is dropped); values without a
/// carriage return (read as a line feed) or NUL.
fn has_plain_attrs(e: &Element) -> bool {
    let plain = e.attrs.iter().all(|a| {
        memchr::memchr2(b'\r', 0, a.value.as_bytes()).is_none()
            && a.name.ns == ns!()
            && !a.name.local.is_empty()
            && !a.name.local.bytes().any(|b| {
                b.is_ascii_uppercase()
                    || matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'/' | b'>' | 0)
            })
    });
    if !plain {
        return false;
    }
    if e.attrs.len() <= 16 {
        return e
            .attrs
            .iter()
            .enumerate()
            .all(|(i, a)| e.attrs[..i].iter().all(|b| b.name.local != a.name.local));
    }
    let mut names: Vec<&str> = e.attrs.iter().map(|a| &*a.name.local).collect();
    names.sort_unstable();
    names.windows(2).all(|w| w[0] != w[1])
}

/// Whether an element of this name (`None`: no element) is part of a
/// table's frame, where the parser moves text that is not white space out.
fn is_table_part(name: Option<&LocalName>) -> bool {
    matches!(
        name.cloned(),
        Some(
            local_name!("table")
                | local_name!("tbody")
                | local_name!("thead")
                | local_name!("tfoot")
                | local_name!("tr")
                | local_name!("colgroup")
        )
    )
}

fn is_heading(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
    )
}

/// Start tags (of the elements the policy keeps) that close a `<p>` in
/// button scope.
fn closes_p(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("details")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("main")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("section")
                | local_name!("summary")
                | local_name!("ul")
                | local_name!("pre")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
                | local_name!("table")
                | local_name!("hr")
        )
}

/// The HTML parser's special elements, of those the policy keeps.
fn is_special(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("br")
                | local_name!("caption")
                | local_name!("center")
                | local_name!("col")
                | local_name!("colgroup")
                | local_name!("dd")
                | local_name!("details")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("dt")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("hr")
                | local_name!("img")
                | local_name!("li")
                | local_name!("main")
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
                | local_name!("wbr")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The direct way and the parse again give the same bytes (debug builds
    /// assert it inside), and the direct way is taken where it should be.
    fn read_back(html: &str) -> (String, bool) {
        let mut dom = Dom::parse_fragment(html);
        let texts = dom.apply_policy();
        dom.join_text(texts);
        let direct = dom.is_read_back();
        (dom.into_sanitizer_html(0).html, direct)
    }

    #[test]
    fn simple_trees_are_tidied_directly() {
        for html in [
            "<p>a <b>b</b> <span>c</span> d</p>\n\n<div>\n<p>e</p>\n</div>  ",
            "<ul><li>a<ul><li>b</li></ul></li></ul><dl><dt>t<dd>d</dl>",
            "<table><caption>c</caption><tbody><tr><td>1<p>x</td></tr></tbody></table>",
            "<p><math><mi>x</mi></math> <font>f</font><a href=/a>a<a href=/b>b</a></a></p>",
            "<pre>\n\nx</pre><ruby>a<rt>b</rt></ruby>",
        ] {
            let (_, direct) = read_back(html);
            assert!(direct, "{html}");
        }
    }

    /// Cuts fall before nodes inside plain containers only, at least
    /// `piece` bytes apart, and only where the tree is the tree its
    /// serialization parses to; each names the containers open there.
    #[test]
    fn cuts_fall_inside_plain_containers() {
        let html = "<p>a <b>b</b></p><div title=k><ul><li>c</li></ul>d<table><tbody><tr><td>e</td></tr></tbody></table></div><img src=x>";
        let input = Dom::parse_fragment(html).into_sanitizer_html(0);
        let out = &input.html;
        let cuts: Vec<(&str, &str, &str)> = input
            .cuts
            .iter()
            .map(|c| (&out[c.at..], c.open.as_str(), c.close.as_str()))
            .collect();
        let from = |s: &str| &out[out.find(s).unwrap()..];
        let div = "<div title=\"k\">";
        assert_eq!(
            cuts,
            [
                (from("<div"), "", ""),
                (from("<ul>"), div, "</div>"),
                (from("<li>"), &*format!("{div}<ul>"), "</ul></div>"),
                (from("d<table>"), div, "</div>"),
                (from("<table>"), div, "</div>"),
                (from("<img"), "", ""),
            ]
        );
        let input = Dom::parse_fragment(html).into_sanitizer_html(30);
        let at: Vec<&str> = input.cuts.iter().map(|c| &input.html[c.at..]).collect();
        assert_eq!(at, [from("<ul>"), from("<img")]);
        let apart = Dom::parse_fragment("<p>a</p><li>a<nav><li>b</nav><p>c</p>");
        assert!(apart.into_sanitizer_html(0).cuts.is_empty());
    }

    #[test]
    fn trees_that_parse_apart_are_parsed_again() {
        for (html, out) in [
            ("<li>a<nav><li>b</nav>", "<li>a<div></div></li><li>b</li>"),
            (
                "<p>a<marquee><div>b</div></marquee>c</p>",
                "<p>a</p><div>b</div>c<p></p>",
            ),
            (
                "<dl><dt>a<nav><dt>b</nav></dl>",
                "<dl><dt>a<div></div></dt><dt>b</dt></dl>",
            ),
            ("<h1>a<font><h2>b</h2></font></h1>", "<h1>a</h1><h2>b</h2>"),
            ("<p>a<!-- c -->b</p>", "<p>a<!-- c -->b</p>"),
        ] {
            let (html_out, direct) = read_back(html);
            assert!(!direct, "{html}");
            assert_eq!(html_out, out, "{html}");
        }
    }

    #[test]
    fn texts_brought_together_by_the_policy_are_joined() {
        // A `<math>` becomes text before its neighbour; an unknown element
        // is unwrapped between two texts; a script goes between two more.
        let mut dom = Dom::parse_fragment(
            "<p><math><mi>x</mi></math>y<blink>z</blink>w<script>s</script>v</p>",
        );
        let texts = dom.apply_policy();
        dom.join_text(texts);
        let p = dom
            .first_child(dom.content())
            .expect("the fragment has a <p>");
        assert_eq!(super::super::tree::names(&dom, p), ["#xyzwv"]);
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(read_back("  <font> \n</font> ").0, "");
    }
}
