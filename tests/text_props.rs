//! Properties of the text and Markdown renderings, on random article-like
//! HTML full of Markdown's special characters, CJK text, bad URLs and odd
//! nesting.
//!
//! - The Markdown, read back by pulldown-cmark, has the words of the text, in
//!   the same order, and no raw HTML.
//! - The Markdown, rendered to HTML, is safe.
//! - Wrapping only moves line breaks, and a line wider than the width is a
//!   single word.

use articlean::{Cleaner, TextImages, TextLinks};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

#[path = "support/mod.rs"]
mod support;

/// How Markdown is read back: CommonMark with GitHub's tables and
/// strikethrough, what the renderer writes.
fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Element(&'static str, String, Vec<Node>),
}

fn serialize(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(tag, attrs, children) => {
                out.push('<');
                out.push_str(tag);
                out.push_str(attrs);
                out.push('>');
                if !matches!(*tag, "br" | "img" | "hr") {
                    serialize(children, out);
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
            }
        }
    }
}

fn text() -> impl Strategy<Value = String> {
    let bits = vec![
        "a",
        "b",
        "word",
        "Text",
        "中",
        "文",
        "日本語",
        "。",
        "、",
        "「",
        "」",
        "*",
        "**",
        "_",
        "x_y",
        "[",
        "]",
        "(",
        ")",
        "#",
        "-",
        "+",
        "1.",
        "2)",
        "!",
        "&amp;",
        "&lt;",
        "&gt;",
        "&amp;amp;",
        "&",
        "`",
        "``",
        "\\",
        "|",
        "~",
        "=",
        ">",
        "<",
        " ",
        "  ",
        "\n",
        "\t",
        "&nbsp;",
        ":",
        "\"",
        "'",
        "é",
        "42",
        "javascript:x",
    ];
    prop::collection::vec(prop::sample::select(bits), 0..8).prop_map(|v| v.concat())
}

fn url() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "https://e.com/a?b=1&amp;c=(2)",
        "javascript:alert(1)",
        " java&#9;script:alert(1)",
        "/rel path",
        "#frag",
        "mailto:x@y.z",
        "data:text/html,x",
        "https://e.com/a>b<c",
        "http://e.com/&amp;amp;",
        "vbscript:x",
        "",
    ])
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        4 => text().prop_map(Node::Text),
        1 => Just(Node::Element("br", String::new(), vec![])),
        1 => (url(), text()).prop_map(|(u, alt)| Node::Element(
            "img",
            format!(" src=\"{u}\" alt=\"{}\"", alt.replace('"', "")),
            vec![]
        )),
        1 => Just(Node::Element(
            "math",
            String::new(),
            vec![Node::Text("x+1".into())]
        )),
    ];
    leaf.prop_recursive(5, 80, 6, |inner| {
        let tags = prop::sample::select(vec![
            "p",
            "div",
            "span",
            "b",
            "strong",
            "i",
            "em",
            "s",
            "del",
            "code",
            "pre",
            "a",
            "h1",
            "h3",
            "ul",
            "ol",
            "li",
            "blockquote",
            "table",
            "tr",
            "td",
            "th",
            "caption",
            "script",
            "sup",
            "hr",
            "dl",
            "dt",
            "dd",
            "figure",
            "figcaption",
            "kbd",
        ]);
        (
            tags,
            url(),
            prop::collection::vec(inner, 0..6),
            prop::option::of(prop::sample::select(vec!["3", "1", "0", "99999999999"])),
        )
            .prop_map(|(tag, u, children, start)| {
                let attrs = match (tag, start) {
                    ("a", _) => format!(" href=\"{u}\""),
                    ("ol", Some(s)) => format!(" start=\"{s}\""),
                    _ => String::new(),
                };
                Node::Element(tag, attrs, children)
            })
    })
}

fn html() -> impl Strategy<Value = String> {
    prop::collection::vec(node(), 1..6).prop_map(|nodes| {
        let mut s = String::new();
        serialize(&nodes, &mut s);
        s
    })
}

fn is_list_marker(w: &str) -> bool {
    w == "-"
        || w.strip_suffix('.')
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| !is_list_marker(w))
        .map(str::to_string)
        .collect()
}

/// The text of Markdown as pulldown-cmark reads it, image alt text left out
/// as the plain text leaves images out. Raw HTML is an error.
fn markdown_text(md: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut image = 0usize;
    for event in Parser::new_ext(md, markdown_options()) {
        match event {
            Event::Start(Tag::Image { .. }) => image += 1,
            Event::End(TagEnd::Image) => image -= 1,
            Event::Text(t) | Event::Code(t) if image == 0 => out.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => return Err(format!("raw HTML {h:?}")),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::CodeBlock(_)
                | Tag::BlockQuote(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    Ok(out)
}

fn cleaner() -> Cleaner {
    Cleaner::builder()
        .html(false)
        .text(true)
        .markdown(true)
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn markdown_has_the_words_of_the_text(html in html()) {
        let out = cleaner().clean(&html);
        let md = out.markdown();
        let read_back = markdown_text(md).map_err(|e| TestCaseError::fail(format!("{e}\n{md}")))?;
        prop_assert_eq!(
            words(&read_back),
            words(out.text()),
            "html: {:?}\nmarkdown:\n{}\ntext:\n{}",
            html,
            md,
            out.text()
        );
    }

    #[test]
    fn markdown_renders_to_safe_html(html in html()) {
        let out = cleaner().clean(&html);
        let md = out.markdown();
        let mut rendered = String::new();
        pulldown_cmark::html::push_html(&mut rendered, Parser::new_ext(md, markdown_options()));
        if let Err(why) = support::check_safe_html(&rendered) {
            return Err(TestCaseError::fail(format!("{why}\nmarkdown:\n{md}\nhtml:\n{rendered}")));
        }
    }

    #[test]
    fn wrapping_only_moves_line_breaks(html in html(), width in 8usize..40) {
        let plain = cleaner().clean(&html).into_text();
        let wrapped = Cleaner::builder()
            .html(false)
            .text(true)
            .text_width(width)
            .build()
            .unwrap()
            .clean(&html)
            .into_text();
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(squeeze(&wrapped), squeeze(&plain));
        let plain_lines: Vec<&str> = plain.lines().collect();
        for line in wrapped.lines() {
            // Unwrapped lines (`<pre>`, table rows) are as they were; a
            // wrapped line that is too wide is one unbreakable word.
            if line.width() > width && !plain_lines.contains(&line) {
                let body = line.trim_start();
                let body = body.split_once(' ').filter(|(m, _)| is_list_marker(m)).map_or(body, |(_, b)| b);
                prop_assert!(
                    !body.contains(' '),
                    "line {:?} is wider than {}\n{}",
                    line,
                    width,
                    wrapped
                );
            }
        }
    }

    #[test]
    fn text_options_keep_the_words(html in html()) {
        let plain = cleaner().clean(&html).into_text();
        let rich = Cleaner::builder()
            .html(false)
            .text(true)
            .text_links(TextLinks::Footnotes)
            .text_images(TextImages::Alt)
            .build()
            .unwrap()
            .clean(&html)
            .into_text();
        // The plain text is all in the rich one, in order: the options only
        // add (alt text, footnote numbers and URLs).
        let mut rich_chars = rich.chars().filter(|c| !c.is_whitespace());
        for c in plain.chars().filter(|c| !c.is_whitespace()) {
            prop_assert!(rich_chars.any(|r| r == c), "{:?} lost\n{}\n---\n{}", c, plain, rich);
        }
    }
}
