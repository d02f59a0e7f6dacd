//! Reading the sanitizer's output again, for the renderers, without
//! html5ever when it can be read directly.
//!
//! ammonia's output is html5ever's serialization of a tree: every element
//! has its start tag and, unless void, its end tag; every attribute is
//! written ` name="value"`; text and values escape `&`, `<`, `>` (and `"`,
//! U+00A0) as `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&nbsp;`. Such text spells
//! its tree outright, and a stack reads it in one pass. Whether the HTML
//! parser builds that same tree from it is what the tidy step already
//! decides for its own trees ([`Dom::is_read_back`]: a block in a `<p>`, a
//! row outside a table, and the like, say no); the text parsed here is
//! checked the same way, plus the few things the parser does to a tree it
//! reads as is (the line feed just after `<pre>`, a link in a link). When
//! anything is not of that shape (an element the policy does not keep, a
//! comment, another character reference), or the check says no, html5ever
//! parses it as before. Both ways give the same tree; debug builds check
//! that they do.

use html5ever::tendril::StrTendril;
use html5ever::{ns, Attribute, LocalName, QualName};

use super::parse::is_void_name;
use super::serialize::fate;
use super::{Dom, Element, NodeData, NodeId, Ns};
use crate::policy::Fate;

impl Dom {
    /// Parses HTML that html5ever's serializer wrote (the sanitizer's
    /// output) as a fragment: the tree [`Dom::parse_fragment`] gives.
    pub(crate) fn parse_serialized(html: &str) -> Dom {
        match spelled(html).filter(Dom::is_read_back) {
            Some(dom) => {
                if cfg!(debug_assertions) {
                    let parsed = Dom::parse_fragment(html);
                    assert!(
                        same_tree(&dom, &parsed),
                        "the text spells the tree the parser builds: {html:?}"
                    );
                }
                dom
            }
            None => Dom::parse_fragment(html),
        }
    }
}

/// The tree `html` spells, if it is serializer output of elements the
/// policy keeps, without a link in a link; `None` for anything else.
fn spelled(html: &str) -> Option<Dom> {
    let b = html.as_bytes();
    let mut dom = Dom::with_capacity(html.len() / 32);
    let root = dom.root();
    let top = dom.push(NodeData::Element(Element::bare("html")));
    dom.append(root, top);
    dom.content = top;
    // The open elements, innermost last.
    let mut open: Vec<NodeId> = vec![top];
    let mut in_link = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            let end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |n| i + n);
            let text = unescape(&html[i..end], false)?;
            let t = dom.push(NodeData::Text(text));
            dom.append(*open.last()?, t);
            i = end;
            continue;
        }
        if b.get(i + 1) == Some(&b'/') {
            let end = i + 2 + memchr::memchr(b'>', &b[i + 2..])?;
            let current = *open.last()?;
            if open.len() == 1 || dom.element(current)?.name() != &html[i + 2..end] {
                return None;
            }
            if dom.is_element(current, "a") {
                in_link = false;
            }
            open.pop();
            i = end + 1;
            continue;
        }
        let mut j = i + 1;
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            j += 1;
        }
        let name = &html[i + 1..j];
        let mut attrs = Vec::new();
        loop {
            match *b.get(j)? {
                b'>' => break,
                b' ' => {
                    let eq = j + 1 + memchr::memchr(b'=', &b[j + 1..])?;
                    let attr = &html[j + 1..eq];
                    let plain = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-';
                    if attr.is_empty() || !attr.bytes().all(plain) || b.get(eq + 1) != Some(&b'"') {
                        return None;
                    }
                    let close = eq + 2 + memchr::memchr(b'"', &b[eq + 2..])?;
                    attrs.push(Attribute {
                        name: QualName::new(None, ns!(), LocalName::from(attr)),
                        value: unescape(&html[eq + 2..close], true)?,
                    });
                    j = close + 1;
                }
                _ => return None,
            }
        }
        i = j + 1;
        if name.is_empty() {
            return None;
        }
        let e = Element {
            local: LocalName::from(name),
            ns: Ns::Html,
            attrs: attrs.into(),
        };
        if !matches!(fate(&e), Fate::Keep) {
            return None;
        }
        let (void, link, pre) = (is_void_name(&e.local), e.is("a"), e.is("pre"));
        if link {
            // The parser closes the open link first (the adoption agency).
            if in_link {
                return None;
            }
            in_link = true;
        }
        let id = dom.push(NodeData::Element(e));
        dom.append(*open.last()?, id);
        if !void {
            open.push(id);
        }
        // The parser drops a line feed just after `<pre>`.
        if pre && b.get(i) == Some(&b'\n') {
            i += 1;
        }
    }
    (open.len() == 1).then_some(dom)
}

/// Text or an attribute value with the serializer's character references
/// read; `None` when it holds another, or a `<` or `>` it would have
/// escaped.
fn unescape(s: &str, attr: bool) -> Option<StrTendril> {
    if memchr::memchr3(b'&', b'<', b'>', s.as_bytes()).is_none() {
        return Some(StrTendril::from_slice(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(['&', '<', '>']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (c, len) = if rest.starts_with("&amp;") {
            ('&', 5)
        } else if rest.starts_with("&lt;") {
            ('<', 4)
        } else if rest.starts_with("&gt;") {
            ('>', 4)
        } else if rest.starts_with("&nbsp;") {
            ('\u{a0}', 6)
        } else if attr && rest.starts_with("&quot;") {
            ('"', 6)
        } else {
            return None;
        };
        out.push(c);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(StrTendril::from(out))
}

/// Whether two trees are the same below their content: nodes, names,
/// attributes and text, in the same places.
fn same_tree(a: &Dom, b: &Dom) -> bool {
    let outline = |d: &Dom| -> Vec<(usize, NodeId)> {
        d.descendants(d.content())
            .skip(1)
            .map(|n| (d.ancestors(n).count(), n))
            .collect()
    };
    let (x, y) = (outline(a), outline(b));
    x.len() == y.len()
        && x.iter().zip(&y).all(|(&(dx, m), &(dy, n))| {
            dx == dy
                && match (a.data(m), b.data(n)) {
                    (NodeData::Element(e), NodeData::Element(f)) => {
                        e.local == f.local
                            && e.ns == f.ns
                            && e.attrs.len() == f.attrs.len()
                            && e.attrs
                                .iter()
                                .zip(&f.attrs)
                                .all(|(p, q)| p.name == q.name && *p.value == *q.value)
                    }
                    (NodeData::Text(s), NodeData::Text(t)) => **s == **t,
                    (NodeData::Comment(s), NodeData::Comment(t)) => **s == **t,
                    _ => false,
                }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializer_output_is_read_directly() {
        for html in [
            "<p>a &amp; b &lt;c&gt;\u{a0}<b>d</b></p>\n",
            "<ul><li>a<ul><li>b</li></ul></li></ul><pre>\n\nx</pre>",
            "<p><a href=\"/a?x=1&amp;y=&quot;2&quot;\" rel=\"noopener noreferrer\">a</a><br><img src=\"x.png\" alt=\"\"></p>",
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ] {
            let dom = spelled(html).filter(Dom::is_read_back);
            assert!(dom.is_some(), "{html}");
            // Debug builds compare it with html5ever's tree.
            let dom = Dom::parse_serialized(html);
            let other = Dom::parse_fragment(html);
            assert_eq!(
                dom.serialize_children(dom.content()),
                other.serialize_children(other.content())
            );
        }
    }

    #[test]
    fn anything_else_goes_to_html5ever() {
        for html in [
            "<p>a<div>b</div></p>",
            "<a href=\"/a\">a<a href=\"/b\">b</a></a>",
            "<table><tr><td>1</td></tr></table>",
            "<p>a<!-- c --></p>",
            "<p>&copy;</p>",
            "<p>a</b>",
            "<P>a</P>",
            "<svg><p>a</p></svg>",
            "<p class=x>a</p>",
            "<p>a",
        ] {
            assert!(spelled(html).filter(Dom::is_read_back).is_none(), "{html}");
            let dom = Dom::parse_serialized(html);
            let other = Dom::parse_fragment(html);
            assert_eq!(
                dom.serialize_children(dom.content()),
                other.serialize_children(other.content())
            );
        }
    }
}
