//! Plain text, rendered once from the cleaned tree.
//!
//! One block per paragraph-level element, blocks separated by exactly one
//! blank line; headings are blocks of their own; `<br>` is a line break; list
//! items are `- ` / `1. ` lines, nested ones indented by two spaces a level;
//! table rows are lines with cells separated by tabs; `<pre>` is kept
//! verbatim. Whitespace collapses as a browser collapses it, except that a
//! line break between two CJK characters joins them without a space (CSS Text
//! 3, segment break transformation). What is never rendered (scripts, styles,
//! templates, hidden elements, form widgets) is skipped.

use crate::dom::{Dom, NodeData, NodeId, Ns};
use crate::sanitize::DROPPED_WITH_CONTENT;

/// Renders the content of `dom` as plain text.
pub(crate) fn render(dom: &Dom) -> String {
    render_from(dom, dom.content())
}

/// Renders the children of `root` as plain text.
pub(crate) fn render_from(dom: &Dom, root: NodeId) -> String {
    let mut r = Renderer::default();
    r.walk(dom, root);
    r.finish()
}

/// Elements that start and end a block.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "legend"
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
            | "caption"
            | "ul"
            | "html"
            | "search"
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x2FF0..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3130..=0x318F | 0x3190..=0x31FF | 0x3200..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Pending {
    #[default]
    None,
    Space,
    Break,
}

#[derive(Clone, Copy)]
enum ListKind {
    Bullet,
    Ordered(u64),
}

enum Op {
    Enter(NodeId),
    Leave(NodeId),
}

#[derive(Default)]
struct Renderer {
    blocks: Vec<String>,
    /// The block being built.
    cur: String,
    pending: Pending,
    pre_depth: usize,
    lists: Vec<ListKind>,
    /// Inside a table row: the cells of the row so far.
    in_row: Option<usize>,
}

impl Renderer {
    fn walk(&mut self, dom: &Dom, root: NodeId) {
        let mut stack: Vec<Op> = dom.children(root).map(Op::Enter).collect();
        stack.reverse();
        while let Some(op) = stack.pop() {
            match op {
                Op::Enter(id) => match dom.data(id) {
                    NodeData::Text(t) => self.text(t),
                    NodeData::Element(e) => {
                        if e.ns() == Ns::MathMl && e.name() == "math" {
                            self.math(dom, id);
                            continue;
                        }
                        // Any namespace: an SVG `<script>` is as unrendered as
                        // an HTML one, and `<svg>` itself is in the SVG namespace.
                        // NOTE: hidden elements are not skipped here: the
                        // `hidden.elements` rule removes them, under the content
                        // veto, so the text says what the HTML shows.
                        if DROPPED_WITH_CONTENT.contains(&e.name()) || e.name() == "rp" {
                            continue;
                        }
                        self.open(dom, id);
                        stack.push(Op::Leave(id));
                        let at = stack.len();
                        stack.extend(dom.children(id).map(Op::Enter));
                        stack[at..].reverse();
                    }
                    _ => {}
                },
                Op::Leave(id) => self.close(dom, id),
            }
        }
    }

    fn open(&mut self, dom: &Dom, id: NodeId) {
        let e = dom.element(id).expect("open is called on elements");
        if e.ns() != Ns::Html {
            return;
        }
        match e.name() {
            "br" => self.line_break(),
            "pre" => {
                self.end_block();
                self.pre_depth += 1;
            }
            "ul" | "menu" => {
                self.end_list_item_text();
                self.lists.push(ListKind::Bullet);
            }
            "ol" => {
                self.end_list_item_text();
                let start = e
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(ListKind::Ordered(start));
            }
            "li" => {
                self.end_list_item_text();
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some(ListKind::Ordered(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                if !self.cur.is_empty() {
                    self.cur.push('\n');
                }
                self.cur.push_str(&"  ".repeat(depth - 1));
                self.cur.push_str(&marker);
                self.pending = Pending::None;
            }
            "tr" => {
                self.end_row();
                self.in_row = Some(0);
            }
            "td" | "th" => {
                if let Some(n) = self.in_row.as_mut() {
                    if *n > 0 {
                        self.cur.push('\t');
                    }
                    *n += 1;
                    self.pending = Pending::None;
                }
            }
            "table" => {
                self.end_block();
            }
            name if is_block(name) => {
                if self.lists.is_empty() {
                    self.end_block();
                } else {
                    self.soft_break();
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, dom: &Dom, id: NodeId) {
        let e = dom.element(id).expect("close is called on elements");
        if e.ns() != Ns::Html {
            return;
        }
        match e.name() {
            "pre" => {
                self.pre_depth -= 1;
                self.end_block();
            }
            "ul" | "ol" | "menu" => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.end_block();
                }
            }
            "tr" => self.end_row(),
            "table" => {
                self.end_row();
                self.end_block();
            }
            "li" | "td" | "th" => {}
            name if is_block(name) && self.lists.is_empty() => self.end_block(),
            _ => {}
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth > 0 {
            self.cur.push_str(t);
            return;
        }
        for c in t.chars() {
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{3000}' {
                let brk = c == '\n' || c == '\r';
                self.pending = match self.pending {
                    Pending::Break => Pending::Break,
                    _ if brk => Pending::Break,
                    _ => Pending::Space,
                };
                continue;
            }
            if self.pending != Pending::None {
                let last = self.cur.chars().next_back();
                let at_line_start = last.is_none_or(|l| l == '\n' || l == '\t' || l == ' ');
                let joins_cjk =
                    self.pending == Pending::Break && last.is_some_and(is_cjk) && is_cjk(c);
                if !at_line_start && !joins_cjk {
                    self.cur.push(' ');
                }
                self.pending = Pending::None;
            }
            self.cur.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }

    /// A line break inside the current block.
    fn line_break(&mut self) {
        if self.pre_depth > 0 {
            self.cur.push('\n');
            return;
        }
        trim_end_spaces(&mut self.cur);
        self.cur.push('\n');
        self.pending = Pending::None;
    }

    /// A block boundary inside a list item: a new line, not a new block.
    fn soft_break(&mut self) {
        trim_end_spaces(&mut self.cur);
        if !self.cur.is_empty() && !self.cur.ends_with('\n') && !self.ends_with_marker() {
            let indent = "  ".repeat(self.lists.len());
            self.cur.push('\n');
            self.cur.push_str(&indent);
        }
        self.pending = Pending::None;
    }

    fn ends_with_marker(&self) -> bool {
        let last_line = self.cur.rsplit('\n').next().unwrap_or("");
        let t = last_line.trim_start();
        t == "-"
            || t == "- "
            || t.strip_suffix(". ")
                .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
    }

    fn end_list_item_text(&mut self) {
        trim_end_spaces(&mut self.cur);
        self.pending = Pending::None;
        if self.lists.is_empty() {
            self.end_block();
        }
    }

    fn end_row(&mut self) {
        if self.in_row.take().is_some() {
            trim_end_spaces(&mut self.cur);
            self.cur.push('\n');
            self.pending = Pending::None;
        }
    }

    fn end_block(&mut self) {
        let block = std::mem::take(&mut self.cur);
        self.pending = Pending::None;
        // Lines are trimmed at the end; list markers with nothing after them go.
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim_end)
            .filter(|l| {
                let t = l.trim_start();
                !(t == "-"
                    || t.strip_suffix('.')
                        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
            })
            .collect();
        let text = lines.join("\n");
        let text = text.trim_matches('\n');
        if !text.trim().is_empty() {
            self.blocks.push(text.to_string());
        }
    }

    fn math(&mut self, dom: &Dom, id: NodeId) {
        let e = dom.element(id).expect("math is an element");
        let text = e
            .attr("alttext")
            .map(str::to_string)
            .or_else(|| {
                dom.descendants(id)
                    .find(|&n| {
                        dom.element(n).is_some_and(|a| {
                            a.name() == "annotation"
                                && a.attr("encoding").is_some_and(|enc| enc.contains("tex"))
                        })
                    })
                    .map(|n| dom.text_content(n))
            })
            .unwrap_or_else(|| {
                let mut s = String::new();
                let mut walk = dom.descendants(id);
                while let Some(n) = walk.next() {
                    if dom
                        .element(n)
                        .is_some_and(|a| a.name().starts_with("annotation"))
                    {
                        walk.skip_children_of(n);
                        continue;
                    }
                    if let Some(t) = dom.text(n) {
                        s.push_str(t);
                    }
                }
                s
            });
        self.text(text.trim());
    }

    fn finish(mut self) -> String {
        self.end_block();
        let mut out = self.blocks.join("\n\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

fn trim_end_spaces(s: &mut String) {
    let t = s.trim_end_matches([' ', '\t']).len();
    s.truncate(t);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        render(&Dom::parse_fragment(html))
    }

    #[test]
    fn paragraphs_are_blocks() {
        assert_eq!(text("<p>a  b\n c</p><p>d</p>"), "a b c\n\nd\n");
        assert_eq!(text("<div><p>a</p>tail</div>"), "a\n\ntail\n");
    }

    #[test]
    fn cjk_lines_join_without_space() {
        assert_eq!(
            text("<p>中文\n句子 English\nwords</p>"),
            "中文句子 English words\n"
        );
        assert_eq!(text("<p>你好<b>世界</b></p>"), "你好世界\n");
    }

    #[test]
    fn lists_nest() {
        assert_eq!(
            text("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol start=3><li>x</li><li>y</li></ol>"),
            "- a\n  - b\n- c\n\n3. x\n4. y\n"
        );
    }

    #[test]
    fn tables_use_tabs() {
        assert_eq!(
            text("<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"),
            "a\tb\n1\t2\n"
        );
    }

    #[test]
    fn pre_is_verbatim_and_br_breaks() {
        assert_eq!(
            text("<pre>  a\n    b</pre><p>x<br>y</p>"),
            "  a\n    b\n\nx\ny\n"
        );
    }

    #[test]
    fn never_rendered_is_skipped() {
        assert_eq!(
            text("<p>a<script>x()</script><template>t</template>b</p>"),
            "ab\n"
        );
    }

    #[test]
    fn svg_and_widgets_are_skipped() {
        assert_eq!(
            text(
                "<p>a<svg><title>icon</title><script>s()</script></svg><button>Share</button>b</p>"
            ),
            "ab\n"
        );
    }

    #[test]
    fn math_keeps_its_text() {
        assert_eq!(
            text(r#"<p>E = <math alttext="mc^2"><mi>m</mi></math></p>"#),
            "E = mc^2\n"
        );
    }
}
