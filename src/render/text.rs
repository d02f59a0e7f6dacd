//! Plain text, rendered once from the cleaned tree.
//!
//! One block per paragraph-level element, blocks separated by exactly one
//! blank line; headings are blocks of their own; `<br>` is a line break; list
//! items are `- ` / `1. ` lines, nested ones indented by two spaces a level;
//! table rows are lines with cells separated by tabs (what is inside a cell,
//! paragraphs or lists, is joined by spaces); `<pre>` is kept verbatim, as a
//! block of its own even inside a list. Whitespace collapses as a browser
//! collapses it, except that a line break between two CJK characters joins
//! them without a space (CSS Text 3, segment break transformation). What is
//! never rendered (scripts, styles, templates, hidden elements, form widgets)
//! is skipped. MathML gives its `alttext`, else its TeX annotation, else its
//! text.
//!
//! Options: wrapping to a display width ([`wrap`]; `<pre>` blocks and table
//! rows are never wrapped), link URLs as numbered footnotes, image `alt` text.

use super::{
    is_block, is_collapsible_space, is_table_part, link_url, walk, wrap, ListKind, Pending, Render,
};
use crate::dom::{Dom, Element};

/// How links appear in plain text.
///
/// # Examples
///
/// ```
/// use articlean::{Cleaner, TextLinks};
///
/// let cleaner = Cleaner::builder().text(true).text_links(TextLinks::Footnotes).build()?;
/// let out = cleaner.clean(r#"<p>See <a href="https://example.com/">this</a>.</p>"#);
/// assert_eq!(out.text(), "See this[1].\n\n[1] https://example.com/\n");
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextLinks {
    /// The link's text only.
    #[default]
    Text,
    /// The link's text followed by a number, `this[1]`; the numbered URLs
    /// (`http`, `https`, `mailto` and relative ones) follow the text as its
    /// last block. Links to the same URL share a number.
    Footnotes,
}

/// How images appear in plain text.
///
/// # Examples
///
/// ```
/// use articlean::{Cleaner, TextImages};
///
/// let cleaner = Cleaner::builder().text(true).text_images(TextImages::Alt).build()?;
/// let out = cleaner.clean(r#"<p>A cat: <img src="cat.jpg" alt="a sleeping cat"></p>"#);
/// assert_eq!(out.text(), "A cat: [a sleeping cat]\n");
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextImages {
    /// Nothing: images are not text.
    #[default]
    None,
    /// The image's `alt` text in brackets, `[a sleeping cat]`; nothing for an
    /// image without one.
    Alt,
}

/// How to render plain text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Options {
    /// Wrap lines to this display width; 0 does not wrap.
    pub(crate) width: usize,
    pub(crate) links: TextLinks,
    pub(crate) images: TextImages,
}

/// Renders the content of `dom` as plain text.
pub(crate) fn render(dom: &Dom, options: Options) -> String {
    let mut r = Renderer {
        options,
        ..Renderer::default()
    };
    walk(dom, dom.content(), &mut r);
    r.finish()
}

/// What to do when leaving an element, decided when entering it.
#[derive(Clone, Copy)]
enum Close {
    Nothing,
    /// A block ends (outside lists) or a line ends (inside a list item).
    Block,
    Pre,
    List,
    Row,
    Table,
    Cell,
    /// Inside a table cell, a block boundary is a space.
    Space,
    /// Inside `<pre>`, a block boundary is a line break.
    Newline,
    Link,
    /// A table's caption ends: the rows held back come back.
    Caption,
}

/// A link being rendered with footnotes: its URL, and where the text was
/// when it started.
struct OpenLink {
    url: Option<String>,
    blocks: usize,
    len: usize,
}

struct Block {
    text: String,
    /// Kept as is when wrapping: `<pre>` text and table rows.
    verbatim: bool,
}

#[derive(Default)]
struct Renderer {
    options: Options,
    blocks: Vec<Block>,
    /// The block being built.
    cur: String,
    cur_verbatim: bool,
    pending: Pending,
    pre_depth: usize,
    lists: Vec<ListKind>,
    /// Inside a table row: the cells of the row so far.
    in_row: Option<usize>,
    /// Open table cells; inside one, blocks are joined by spaces.
    cells: usize,
    /// Open tables.
    tables: usize,
    /// The rows of tables whose caption is being written.
    held: Vec<(String, bool, Option<usize>)>,
    /// Where the line of a list item with no text yet starts: the item's
    /// marker goes if the item stays empty.
    item_start: Option<usize>,
    links: Vec<OpenLink>,
    footnotes: Vec<String>,
}

impl Render for Renderer {
    type Close = Close;
    fn text(&mut self, t: &str) {
        Renderer::text(self, t)
    }
    fn open(&mut self, e: &Element) -> Close {
        Renderer::open(self, e)
    }
    fn close(&mut self, close: Close) {
        Renderer::close(self, close)
    }
}

impl Renderer {
    fn open(&mut self, e: &Element) -> Close {
        let name = e.name();
        match name {
            "a" => return self.open_link(e),
            "img" => {
                self.image(e);
                return Close::Nothing;
            }
            _ => {}
        }
        if self.pre_depth > 0 && name != "br" && (is_block(name) || is_table_part(name)) {
            self.newline_in_pre();
            return Close::Newline;
        }
        if self.cells > 0 {
            return match name {
                "br" => {
                    self.space();
                    Close::Nothing
                }
                n if is_block(n) || is_table_part(n) => {
                    self.space();
                    Close::Space
                }
                _ => Close::Nothing,
            };
        }
        match name {
            "br" => {
                self.line_break();
                Close::Nothing
            }
            "pre" => {
                self.end_block();
                self.pre_depth += 1;
                self.cur_verbatim = true;
                Close::Pre
            }
            "ul" => {
                self.end_list_item_text();
                if !self.lists.is_empty() {
                    self.soft_break();
                }
                self.lists.push(ListKind::Bullet);
                Close::List
            }
            "ol" => {
                self.end_list_item_text();
                if !self.lists.is_empty() {
                    self.soft_break();
                }
                let start = e
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(ListKind::Ordered(start));
                Close::List
            }
            "li" => {
                self.end_list_item_text();
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some(ListKind::Ordered(n)) => {
                        let m = format!("{n}. ");
                        *n = n.saturating_add(1);
                        m
                    }
                    _ => "- ".to_string(),
                };
                if !self.cur.is_empty() && !self.cur.ends_with('\n') {
                    self.cur.push('\n');
                }
                self.item_start = Some(self.cur.len());
                self.cur.push_str(&"  ".repeat(depth - 1));
                self.cur.push_str(&marker);
                self.pending = Pending::None;
                // What follows an item in its list (stray text) is on a line
                // of its own, as in a browser.
                Close::Block
            }
            "tr" => {
                self.end_row();
                self.in_row = Some(0);
                self.cur_verbatim = true;
                Close::Row
            }
            "td" | "th" => match self.in_row.as_mut() {
                Some(n) => {
                    if *n > 0 {
                        self.cur.push('\t');
                    }
                    *n += 1;
                    self.pending = Pending::None;
                    self.cells += 1;
                    Close::Cell
                }
                None => Close::Nothing,
            },
            "table" => {
                self.end_block();
                self.tables += 1;
                Close::Table
            }
            // A caption shows above its table (CSS `caption-side: top`),
            // wherever it sits among the rows, as in the Markdown: the rows
            // so far wait while it is written as a block of its own.
            "caption" if self.tables > 0 => {
                let rows = std::mem::take(&mut self.cur);
                let verbatim = std::mem::take(&mut self.cur_verbatim);
                self.held.push((rows, verbatim, self.in_row.take()));
                self.pending = Pending::None;
                Close::Caption
            }
            name if is_block(name) => {
                if self.lists.is_empty() {
                    self.end_block();
                } else {
                    self.soft_break();
                }
                Close::Block
            }
            _ => Close::Nothing,
        }
    }

    fn close(&mut self, close: Close) {
        match close {
            Close::Nothing => {}
            Close::Pre => {
                self.pre_depth -= 1;
                self.end_block();
            }
            Close::List => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.end_block();
                } else {
                    self.soft_break();
                }
            }
            Close::Row => self.end_row(),
            Close::Table => {
                self.end_row();
                self.end_block();
                self.tables = self.tables.saturating_sub(1);
            }
            Close::Caption => {
                self.end_block();
                if let Some((rows, verbatim, in_row)) = self.held.pop() {
                    self.cur = rows;
                    self.cur_verbatim = verbatim;
                    self.in_row = in_row;
                }
            }
            Close::Cell => self.cells -= 1,
            Close::Space => self.space(),
            Close::Newline => self.newline_in_pre(),
            Close::Block if self.lists.is_empty() => self.end_block(),
            Close::Block => self.soft_break(),
            Close::Link => self.close_link(),
        }
    }

    fn open_link(&mut self, e: &Element) -> Close {
        if self.options.links != TextLinks::Footnotes {
            return Close::Nothing;
        }
        let url = e
            .attr("href")
            .and_then(link_url)
            .filter(|u| !u.starts_with('#'));
        self.links.push(OpenLink {
            url,
            blocks: self.blocks.len(),
            len: self.cur.len(),
        });
        Close::Link
    }

    fn close_link(&mut self) {
        let Some(link) = self.links.pop() else {
            return;
        };
        let Some(url) = link.url else {
            return;
        };
        let has_text = if link.blocks == self.blocks.len() {
            self.cur
                .get(link.len..)
                .is_some_and(|t| !t.trim().is_empty())
        } else {
            !self.cur.trim().is_empty()
        };
        if !has_text {
            return;
        }
        let n = match self.footnotes.iter().position(|u| *u == url) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(url);
                self.footnotes.len()
            }
        };
        // Pending whitespace stays pending: `<a>x </a>y` is `x[1] y`.
        self.cur.push_str(&format!("[{n}]"));
        self.item_start = None;
    }

    fn image(&mut self, e: &Element) {
        if self.options.images != TextImages::Alt {
            return;
        }
        if let Some(alt) = e.attr("alt").filter(|a| !a.trim().is_empty()) {
            self.text(&format!("[{}]", alt.trim()));
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth > 0 {
            self.cur.push_str(t);
            self.item_start = None;
            return;
        }
        for c in t.chars() {
            if is_collapsible_space(c) {
                self.pending = self.pending.and_space(c);
                continue;
            }
            if self.pending != Pending::None {
                let last = self.cur.chars().next_back();
                let at_line_start = last.is_none_or(|l| l == '\n' || l == '\t' || l == ' ');
                if !at_line_start && !self.pending.joins_cjk(last, c) {
                    self.cur.push(' ');
                }
                self.pending = Pending::None;
            }
            self.cur.push(if c == '\u{a0}' { ' ' } else { c });
            self.item_start = None;
        }
    }

    /// Whitespace that is not from the text: a block boundary inside a cell.
    fn space(&mut self) {
        self.pending = Pending::Boundary;
    }

    /// A block boundary inside `<pre>`: a line break, unless at one.
    fn newline_in_pre(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
    }

    /// A line break inside the current block.
    fn line_break(&mut self) {
        if self.pre_depth > 0 {
            self.cur.push('\n');
            return;
        }
        if self.item_start.is_some() {
            // Nothing to break yet, and the marker stays with the text.
            return;
        }
        trim_end_spaces(&mut self.cur);
        self.cur.push('\n');
        self.pending = Pending::None;
    }

    /// A block boundary inside a list item: a new line, not a new block.
    fn soft_break(&mut self) {
        self.pending = Pending::None;
        if self.item_start.is_some() {
            // Right after an item's marker: its first block starts there.
            return;
        }
        trim_end_spaces(&mut self.cur);
        if self.cur.ends_with('\n') {
            // Already on a new line, now indented for the list it is in.
            self.cur.push_str(&"  ".repeat(self.lists.len()));
            return;
        }
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            let indent = "  ".repeat(self.lists.len());
            self.cur.push('\n');
            self.cur.push_str(&indent);
        }
    }

    /// Ends the text of a list item; an item with no text loses its marker.
    fn end_list_item_text(&mut self) {
        self.pending = Pending::None;
        if let Some(at) = self.item_start.take() {
            self.cur.truncate(at);
        }
        trim_end_spaces(&mut self.cur);
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
        if let Some(at) = self.item_start.take() {
            self.cur.truncate(at);
        }
        let block = std::mem::take(&mut self.cur);
        let verbatim = std::mem::take(&mut self.cur_verbatim);
        self.pending = Pending::None;
        // Lines are trimmed at the end.
        let lines: Vec<&str> = block.lines().map(str::trim_end).collect();
        let text = lines.join("\n");
        let text = text.trim_matches('\n');
        if !text.trim().is_empty() {
            self.blocks.push(Block {
                text: text.to_string(),
                verbatim,
            });
        }
    }

    fn finish(mut self) -> String {
        self.end_block();
        if !self.footnotes.is_empty() {
            let notes: Vec<String> = self
                .footnotes
                .iter()
                .enumerate()
                .map(|(i, u)| format!("[{}] {u}", i + 1))
                .collect();
            self.blocks.push(Block {
                text: notes.join("\n"),
                verbatim: true,
            });
        }
        let width = self.options.width;
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            if width == 0 || block.verbatim {
                out.push_str(&block.text);
                continue;
            }
            for (j, line) in block.text.lines().enumerate() {
                if j > 0 {
                    out.push('\n');
                }
                wrap::wrap_line(line, width, &mut out);
            }
        }
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
        render(&Dom::parse_fragment(html), Options::default())
    }

    fn text_with(html: &str, options: Options) -> String {
        render(&Dom::parse_fragment(html), options)
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
            text("<p>a<script>x()</script><template>t</template><noscript>n</noscript>b</p>"),
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
    fn a_caption_comes_before_its_table_wherever_it_is() {
        assert_eq!(
            text("<table><td>x+1</td><caption>a</caption><tr><td>2</td></tr></table>"),
            "a\n\nx+1\n2\n"
        );
        assert_eq!(
            text("<table><caption>Cap</caption><tr><td>1</td></tr></table>"),
            "Cap\n\n1\n"
        );
    }

    #[test]
    fn math_keeps_its_text() {
        assert_eq!(
            text(r#"<p>E = <math alttext="mc^2"><mi>m</mi></math></p>"#),
            "E = mc^2\n"
        );
    }

    #[test]
    fn blocks_in_cells_are_spaces() {
        assert_eq!(
            text("<table><tr><td><p>a</p><p>b</p></td><td><ul><li>c</li></ul></td></tr><tr><td>d<br>e</td></tr></table>"),
            "a b\tc\nd e\n"
        );
    }

    #[test]
    fn blocks_in_items_are_lines() {
        assert_eq!(
            text("<ul><li><p>a</p><p>b</p></li><li>c<ul><li>d</li></ul>e</li></ul>"),
            "- a\n  b\n- c\n  - d\n  e\n"
        );
    }

    #[test]
    fn blocks_in_pre_are_lines() {
        assert_eq!(text("<pre>a<div>b</div>c</pre>"), "a\nb\nc\n");
    }

    #[test]
    fn footnotes_number_safe_urls() {
        let o = Options {
            links: TextLinks::Footnotes,
            ..Options::default()
        };
        assert_eq!(
            text_with(
                r##"<p><a href="https://a.com/">A</a>, <a href="javascript:x()">B</a>, <a href="#top">C</a>, <a href="https://a.com/">D</a> <a href="/e"><img src="e.png"></a></p>"##,
                o
            ),
            "A[1], B, C, D[1]\n\n[1] https://a.com/\n"
        );
    }

    #[test]
    fn images_show_their_alt_text() {
        let o = Options {
            images: TextImages::Alt,
            ..Options::default()
        };
        assert_eq!(
            text_with(
                r#"<p>x <img alt=" a  cat "> <img alt=""> <img src=y></p>"#,
                o
            ),
            "x [a cat]\n"
        );
    }

    #[test]
    fn width_wraps_flowing_text_only() {
        let o = Options {
            width: 6,
            ..Options::default()
        };
        assert_eq!(
            text_with("<p>aa bb cc</p><pre>aa bb cc</pre><table><tr><td>aa bb</td><td>cc</td></tr></table>", o),
            "aa bb\ncc\n\naa bb cc\n\naa bb\tcc\n"
        );
    }
}
