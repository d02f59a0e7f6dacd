//! Markdown, rendered once from the cleaned tree: CommonMark with GitHub's
//! tables and strikethrough.
//!
//! It says what the plain text says (the same words, in the same order; a
//! property test renders both and compares) and adds the structure that
//! Markdown can carry: headings, emphasis, links, images, lists, block
//! quotes, code, tables. Everything else is text, escaped so that it reads
//! back as text.
//!
//! The output is safe to render: no raw HTML is ever written (every `<` in
//! text is escaped), and only `http`, `https`, `mailto` and relative URLs
//! become links or images (see [`link_url`]); an element with any other URL
//! keeps its text.
//!
//! Inline content is first collected as pieces (characters, emphasis and
//! link marks, code spans), then written out a leaf block at a time, when
//! everything around each mark is known: emphasis whose delimiters would not
//! be read back as emphasis (CommonMark's flanking rules) is dropped, its
//! text kept ([`inline`]). What a character, URL or code needs to read back
//! as itself is in [`escape`]; this module reads the tree into blocks and
//! writes them with their quote and list prefixes.

mod escape;
mod inline;

use self::inline::{inline_text, MarkKind, Piece};
use super::{
    collapse, is_block, is_cjk, is_collapsible_space, is_table_part, link_url, walk, ListKind,
    Pending, Render,
};
use crate::dom::{Dom, Element};

/// Renders the content of `dom` as Markdown.
pub(crate) fn render(dom: &Dom) -> String {
    let mut r = Renderer::default();
    walk(dom, dom.content(), &mut r);
    r.finish()
}

/// Where a leaf block goes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Leaf {
    #[default]
    Paragraph,
    Heading(usize),
    Cell,
}

/// A container block, whose prefix starts each line inside it.
enum Container {
    /// A block quote, and whether no line was written in it yet.
    Quote { fresh: bool },
    /// A list item: the marker not yet written, and the width of its indent.
    Item {
        marker: Option<String>,
        width: usize,
    },
}

struct List {
    kind: ListKind,
    items: usize,
}

/// What to do when leaving an element, decided when entering it.
#[derive(Clone, Copy)]
enum Close {
    Nothing,
    Block,
    Space,
    Newline,
    Mark(usize),
    Code,
    Pre,
    List,
    Item,
    Quote,
    Row,
    Cell,
    Table,
}

#[derive(Default)]
struct Renderer {
    out: String,
    containers: Vec<Container>,
    lists: Vec<List>,
    /// Whether the next block follows without a blank line: the first block
    /// of a list item, or a list right after its item's first paragraph.
    tight: bool,
    /// Whether a block was written (a blank line goes before the next).
    wrote: bool,
    pieces: Vec<Piece>,
    marks: Vec<MarkKind>,
    leaf: Leaf,
    pending: Pending,
    /// The last character of text, for the CJK line-break rule.
    last_char: Option<char>,
    /// Inside `<pre>`: its text.
    pre: Option<String>,
    pre_lang: String,
    /// Inside inline code: its text.
    code: Option<String>,
    /// The rows of the table being read; a table in a cell is text.
    table: Option<Vec<Vec<String>>>,
    cells: usize,
    /// Inside a link: links do not nest.
    in_link: usize,
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
        if self.pre.is_some() {
            if name == "code" && self.pre_lang.is_empty() {
                // `<pre><code class="language-x">`, the usual way to say it.
                self.pre_lang = language(e);
            }
            if name == "br" {
                self.text("\n");
            } else if is_block(name) || is_table_part(name) {
                self.newline_in_pre();
                return Close::Newline;
            }
            return Close::Nothing;
        }
        if self.code.is_some() {
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
            "b" | "strong" => return self.open_mark(MarkKind::Strong),
            "i" | "em" => return self.open_mark(MarkKind::Emphasis),
            "s" | "del" | "strike" => return self.open_mark(MarkKind::Strike),
            "a" => {
                return match e.attr("href").and_then(link_url) {
                    Some(url) if self.in_link == 0 => {
                        self.in_link += 1;
                        self.open_mark(MarkKind::Link(url))
                    }
                    _ => Close::Nothing,
                }
            }
            "img" => {
                self.image(e);
                return Close::Nothing;
            }
            "code" | "kbd" | "samp" | "tt" => {
                self.code = Some(String::new());
                return Close::Code;
            }
            _ => {}
        }
        if self.cells > 0 || (self.table.is_some() && name != "caption" && !is_table_part(name)) {
            // Inside a cell, structure is text joined by spaces.
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
                // Before the marks that opened since the last text, as a
                // space would be: `a<b><br>c</b>` is `a\` then `**c**`.
                let at =
                    self.pieces.len() - trailing(&self.pieces, |p| matches!(p, Piece::Open(_)));
                self.pieces.insert(at, Piece::Break);
                self.pending = Pending::None;
                Close::Nothing
            }
            "pre" => {
                self.end_leaf();
                self.pre = Some(String::new());
                self.pre_lang = language(e);
                Close::Pre
            }
            "ul" | "ol" => {
                self.end_leaf();
                let kind = if name == "ol" {
                    let start = e
                        .attr("start")
                        .and_then(|s| s.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                        .min(999_999_999);
                    ListKind::Ordered(start)
                } else {
                    ListKind::Bullet
                };
                // A list may follow its item's paragraph directly, as
                // CommonMark lets a bullet list, or an ordered list from 1,
                // interrupt a paragraph.
                let in_item = matches!(self.containers.last(), Some(Container::Item { .. }));
                self.tight = in_item && matches!(kind, ListKind::Bullet | ListKind::Ordered(1));
                self.lists.push(List { kind, items: 0 });
                Close::List
            }
            "li" => {
                self.end_leaf();
                let (marker, first) = match self.lists.last_mut() {
                    Some(list) => {
                        list.items += 1;
                        let marker = match &mut list.kind {
                            ListKind::Ordered(n) => {
                                let m = format!("{n}. ");
                                *n = (*n + 1).min(999_999_999);
                                m
                            }
                            ListKind::Bullet => "- ".to_string(),
                        };
                        (marker, list.items == 1)
                    }
                    None => ("- ".to_string(), true),
                };
                self.containers.push(Container::Item {
                    width: marker.len(),
                    marker: Some(marker),
                });
                // Items follow each other without blank lines; a list's first
                // item follows what came before as the list decided.
                if !first {
                    self.tight = true;
                }
                Close::Item
            }
            "blockquote" => {
                self.end_leaf();
                self.containers.push(Container::Quote { fresh: true });
                Close::Quote
            }
            "table" => {
                self.end_leaf();
                self.table = Some(Vec::new());
                Close::Table
            }
            "tr" if self.table.is_some() => {
                if let Some(rows) = self.table.as_mut() {
                    rows.push(Vec::new());
                }
                Close::Row
            }
            "td" | "th" if self.table.is_some() => {
                self.end_leaf();
                self.leaf = Leaf::Cell;
                self.cells += 1;
                Close::Cell
            }
            "hr" => {
                self.end_leaf();
                self.write_block(&["***".to_string()], false);
                Close::Nothing
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_leaf();
                self.leaf = Leaf::Heading(usize::from(name.as_bytes()[1] - b'0'));
                Close::Block
            }
            n if is_block(n) => {
                self.end_leaf();
                Close::Block
            }
            _ => Close::Nothing,
        }
    }

    fn close(&mut self, close: Close) {
        match close {
            Close::Nothing => {}
            Close::Block => self.end_leaf(),
            Close::Space => self.space(),
            Close::Newline => self.newline_in_pre(),
            Close::Mark(i) => {
                if matches!(self.marks[i], MarkKind::Link(_)) {
                    self.in_link -= 1;
                }
                // Pending whitespace stays pending, to go after the mark:
                // `<b>a </b>c` is `**a** c`; line breaks go after it too.
                let at = self.pieces.len() - trailing(&self.pieces, |p| matches!(p, Piece::Break));
                self.pieces.insert(at, Piece::Close(i));
            }
            Close::Code => self.end_code(),
            Close::Pre => self.end_pre(),
            Close::List => {
                self.end_leaf();
                self.lists.pop();
                self.tight = false;
            }
            Close::Item => {
                self.end_leaf();
                self.containers.pop();
                self.tight = false;
            }
            Close::Quote => {
                self.end_leaf();
                self.containers.pop();
            }
            Close::Row => {}
            Close::Cell => {
                let cell = inline_text(&self.pieces, &self.marks, Leaf::Cell);
                self.pieces.clear();
                self.pending = Pending::None;
                self.leaf = Leaf::Paragraph;
                self.cells -= 1;
                if let Some(row) = self.table.as_mut().and_then(|t| t.last_mut()) {
                    row.push(cell);
                }
            }
            Close::Table => {
                if let Some(rows) = self.table.take() {
                    self.write_table(rows);
                }
            }
        }
    }

    fn open_mark(&mut self, kind: MarkKind) -> Close {
        let i = self.marks.len();
        self.marks.push(kind);
        self.pieces.push(Piece::Open(i));
        Close::Mark(i)
    }

    fn image(&mut self, e: &Element) {
        let Some(src) = e.attr("src").and_then(link_url) else {
            return;
        };
        let s = escape::image(&collapse(e.attr("alt").unwrap_or("")), &src);
        // NOTE: to the joining of CJK lines the image is transparent, as it
        // is absent from the text: the character before it still decides
        // (`中<img>\n中` joins the two), and a line break pending between
        // two such characters stays pending (`中\n<img>中`).
        if !(self.pending == Pending::Break && self.last_char.is_some_and(is_cjk)) {
            self.flush_pending();
        }
        self.pieces.push(Piece::Raw(s));
    }

    fn text(&mut self, t: &str) {
        if let Some(pre) = self.pre.as_mut() {
            pre.push_str(t);
            return;
        }
        for c in t.chars() {
            if is_collapsible_space(c) {
                self.pending = self.pending.and_space(c);
                continue;
            }
            if self.pending.joins_cjk(self.last_char, c) {
                self.pending = Pending::None;
            }
            match self.code.as_mut() {
                // Inside a code span, a space goes in the span; one before
                // it goes before it, and one after it after it.
                Some(code) if !code.is_empty() => {
                    if self.pending != Pending::None {
                        code.push(' ');
                        self.pending = Pending::None;
                    }
                    code.push(c);
                }
                Some(_) => {
                    self.flush_pending();
                    if let Some(code) = self.code.as_mut() {
                        code.push(c);
                    }
                }
                None => {
                    self.flush_pending();
                    self.pieces.push(Piece::Char(c));
                }
            }
            self.last_char = Some(c);
        }
    }

    /// A block boundary inside `<pre>`: a line break, unless at one.
    fn newline_in_pre(&mut self) {
        if let Some(pre) = self.pre.as_mut() {
            if !pre.is_empty() && !pre.ends_with('\n') {
                pre.push('\n');
            }
        }
    }

    /// Whitespace that is not from the text: a block boundary inside a cell
    /// or inline code.
    fn space(&mut self) {
        self.pending = Pending::Boundary;
    }

    /// Writes the pending space, if it is not at the start of a line, before
    /// the marks that opened since the last text: `a<b> c</b>` is `a **c**`.
    fn flush_pending(&mut self) {
        if self.pending == Pending::None {
            return;
        }
        self.pending = Pending::None;
        let at = self.pieces.len() - trailing(&self.pieces, |p| matches!(p, Piece::Open(_)));
        let line_start = self.pieces[..at]
            .iter()
            .rev()
            .find(|p| !matches!(p, Piece::Open(_) | Piece::Close(_)))
            .is_none_or(|p| matches!(p, Piece::Break | Piece::Space));
        if !line_start {
            self.pieces.insert(at, Piece::Space);
        }
    }

    fn end_code(&mut self) {
        let Some(body) = self.code.take() else {
            return;
        };
        if !body.is_empty() {
            match self.pieces.last_mut() {
                // NOTE: two spans side by side would read as one with
                // backticks inside, `a``b`; they are written as one.
                Some(Piece::Code(prev)) => prev.push_str(&body),
                _ => self.pieces.push(Piece::Code(body)),
            }
        }
    }

    fn end_pre(&mut self) {
        let Some(text) = self.pre.take() else {
            return;
        };
        // As in the text: blank lines at either end and spaces at line ends
        // are not kept.
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        let (Some(first), Some(last)) = (first, last) else {
            return;
        };
        let body = &lines[first..=last];
        let longest = body
            .iter()
            .map(|l| escape::longest_run(l, '`'))
            .max()
            .unwrap_or(0);
        let fence = "`".repeat((longest + 1).max(3));
        let mut block = vec![format!("{fence}{}", self.pre_lang)];
        block.extend(body.iter().map(|l| l.to_string()));
        block.push(fence);
        self.write_block(&block, true);
    }

    /// Ends the leaf block being read and writes it.
    fn end_leaf(&mut self) {
        self.pending = Pending::None;
        let leaf = std::mem::take(&mut self.leaf);
        if self.pieces.is_empty() {
            return;
        }
        if leaf == Leaf::Cell {
            // A cell's content is written with its row.
            return;
        }
        let text = inline_text(&self.pieces, &self.marks, leaf);
        self.pieces.clear();
        self.last_char = None;
        // A paragraph of no-break spaces (`<p>&nbsp;</p>`) shows nothing.
        if text.trim().is_empty() {
            return;
        }
        match leaf {
            Leaf::Heading(n) => {
                let line = format!("{} {text}", "#".repeat(n));
                self.write_block(&[line], false);
            }
            _ => {
                let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                self.write_block(&lines, false);
            }
        }
    }

    /// Writes a block: a blank line before it unless it is tight, then each
    /// line after the prefixes of the containers it is in.
    fn write_block(&mut self, lines: &[String], verbatim: bool) {
        if self.wrote && !self.tight {
            let prefix = self.blank_prefix();
            self.out.push_str(prefix.trim_end());
            self.out.push('\n');
        }
        self.tight = false;
        self.wrote = true;
        for line in lines {
            let prefix = self.prefix();
            if line.is_empty() && !verbatim {
                self.out.push_str(prefix.trim_end());
            } else {
                self.out.push_str(&prefix);
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
    }

    /// The prefix of the next line: `> ` for each quote, the marker of a new
    /// list item or the indent of its later lines.
    fn prefix(&mut self) -> String {
        let mut p = String::new();
        for c in &mut self.containers {
            match c {
                Container::Quote { fresh } => {
                    *fresh = false;
                    p.push_str("> ");
                }
                Container::Item { marker, width } => match marker.take() {
                    Some(m) => p.push_str(&m),
                    None => p.push_str(&" ".repeat(*width)),
                },
            }
        }
        p
    }

    /// The prefix of a blank line before a block: that of the containers
    /// already started, so that a blank line does not start a new one.
    fn blank_prefix(&self) -> String {
        let mut p = String::new();
        for c in &self.containers {
            match c {
                Container::Quote { fresh: false } => p.push_str("> "),
                Container::Item {
                    marker: None,
                    width,
                } => p.push_str(&" ".repeat(*width)),
                _ => {}
            }
        }
        p
    }

    fn write_table(&mut self, rows: Vec<Vec<String>>) {
        let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| !r.is_empty()).collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 || rows.iter().all(|r| r.iter().all(String::is_empty)) {
            return;
        }
        let line = |cells: &[String]| {
            let mut s = String::from("|");
            for i in 0..columns {
                let cell = cells.get(i).map_or("", String::as_str);
                s.push(' ');
                s.push_str(cell);
                if !cell.is_empty() {
                    s.push(' ');
                }
                s.push('|');
            }
            s
        };
        let mut lines = vec![line(&rows[0])];
        lines.push(format!("|{}", " --- |".repeat(columns)));
        lines.extend(rows[1..].iter().map(|r| line(r)));
        self.write_block(&lines, false);
    }

    fn finish(mut self) -> String {
        self.end_code();
        self.end_pre();
        self.end_leaf();
        if let Some(rows) = self.table.take() {
            self.write_table(rows);
        }
        self.out
    }
}

/// The `language-xyz` (or `lang-xyz`) class of a `<pre>` or its `<code>`,
/// as a fence's info string; only plain names.
fn language(e: &Element) -> String {
    e.classes()
        .find_map(|c| {
            c.strip_prefix("language-")
                .or_else(|| c.strip_prefix("lang-"))
        })
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '#' | '_'))
        })
        .unwrap_or("")
        .to_string()
}

/// How many pieces at the end of `pieces` are `what`.
fn trailing(pieces: &[Piece], what: impl Fn(&Piece) -> bool) -> usize {
    pieces.iter().rev().take_while(|p| what(p)).count()
}

/// A Markdown post's front matter and body, rendered: the front matter as
/// written, then the body's Markdown.
pub(crate) fn with_front_matter(front_matter: &str, body: &str) -> String {
    let mut out = String::with_capacity(front_matter.len() + body.len() + 1);
    out.push_str(front_matter);
    if !front_matter.is_empty() && !front_matter.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        render(&Dom::parse_fragment(html))
    }

    #[test]
    fn blocks_and_inline() {
        assert_eq!(
            md("<h2>Title</h2><p>Some <b>bold</b> and <i>it</i> and <code>x`y</code>.</p>"),
            "## Title\n\nSome **bold** and *it* and ``x`y``.\n"
        );
    }

    #[test]
    fn links_and_images_only_with_safe_urls() {
        assert_eq!(
            md(
                r#"<p><a href="https://a.com/x?a=1&amp;b=(2)">a</a> <a href="java&#9;script:alert(1)">b</a> <img src="data:image/png;base64,xx" alt="d"><img src="/p.png" alt="[p]"></p>"#
            ),
            "[a](https://a.com/x?a=1&b=\\(2\\)) b ![\\[p\\]](/p.png)\n"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            md("<p>1. not a list *or* _emphasis_ &lt;b&gt; &amp;amp; [x](y) # h</p><p>- no</p><p>snake_case</p>"),
            "1\\. not a list \\*or\\* \\_emphasis\\_ \\<b> \\&amp; \\[x\\](y) # h\n\n\\- no\n\nsnake_case\n"
        );
    }

    #[test]
    fn emphasis_that_would_not_read_back_is_dropped() {
        assert_eq!(md("<p>a<b>\"q\"</b>b</p>"), "a\"q\"b\n");
        assert_eq!(md("<p><b><i>x</i></b> <b> y </b></p>"), "**x** **y**\n");
        assert_eq!(md("<p>中文<b>粗体</b>。</p>"), "中文**粗体**。\n");
        // Inside `**`, a `**` that could close it is dropped.
        assert_eq!(
            md("<p><b>a<b>b</b>c <b>d</b> e</b></p>"),
            "**abc **d** e**\n"
        );
    }

    #[test]
    fn lists_nest_and_quotes_prefix() {
        assert_eq!(
            md("<ul><li>a<ul><li>b</li></ul></li><li><p>c</p><p>d</p></li></ul><blockquote><p>q</p><p>r</p></blockquote>"),
            "- a\n  - b\n- c\n\n  d\n\n> q\n>\n> r\n"
        );
        assert_eq!(md("<ol start=9><li>x</li><li>y</li></ol>"), "9. x\n10. y\n");
    }

    #[test]
    fn tables_and_code_blocks() {
        assert_eq!(
            md("<table><tr><th>a|b</th><th>c</th></tr><tr><td><p>1</p><p>2</p></td></tr></table><pre class=\"language-rust\">fn x() {\n    ```\n}</pre>"),
            "| a\\|b | c |\n| --- | --- |\n| 1 2 | |\n\n````rust\nfn x() {\n    ```\n}\n````\n"
        );
    }

    #[test]
    fn breaks_are_backslashes() {
        assert_eq!(md("<p>a<br>b<br></p><h1>c<br>d</h1>"), "a\\\nb\n\n# c d\n");
    }
}
