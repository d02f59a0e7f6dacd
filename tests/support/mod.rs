//! Invariants shared by the tests and the fuzz targets.
//!
//! [`check_safe_html`] parses an output the way a browser would (html5ever,
//! scripting on, as the content of a `<body>`) and fails on anything that
//! can run script or change how the page around it is read:
//! script-capable elements, SVG and MathML, event-handler attributes,
//! inline styles (CSS expressions, `url(javascript:…)`), `srcdoc`, and
//! `javascript:`/`vbscript:`/`data:` URLs in any URL attribute or `srcset`
//! candidate, found the way browsers and the strictest legacy parsers read
//! URLs. [`check_safe_markdown`] renders a Markdown post with CommonMark and
//! checks the HTML. [`check_words_from`] serves the properties about plain
//! text.
#![allow(dead_code)]

use std::collections::HashSet;
use std::rc::Rc;

use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Elements that run script, load active content, submit data, or change
/// how the rest of the page is read (`<base>`, `<meta http-equiv>`).
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "meta",
    "link",
    "style",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "noscript",
    "template",
    "portal",
    "fencedframe",
    "param",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "animate",
    "animatetransform",
    "animatemotion",
    "set",
    "handler",
    "listener",
    "foreignobject",
    "image",
    "isindex",
    "keygen",
];

/// Attributes whose value is loaded or navigated to as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "lowsrc",
    "dynsrc",
    "cite",
    "longdesc",
    "codebase",
    "classid",
    "xlink:href",
    "xml:base",
    "ping",
    "manifest",
    "icon",
    "profile",
    "usemap",
    "archive",
    "itemtype",
    "from",
    "to",
    "values",
    "by",
];

/// Schemes that run script when navigated to or loaded.
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:", "livescript:", "mocha:"];

/// Why an HTML output is unsafe, or `Ok(())`.
pub fn check_safe_html(html: &str) -> Result<(), String> {
    let dom = parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("body")),
        vec![],
        true,
    )
    .one(html);
    let mut stack: Vec<Handle> = vec![dom.document.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Element {
            name,
            attrs,
            template_contents,
            ..
        } = &node.data
        {
            let tag = name.local.to_string().to_ascii_lowercase();
            if FORBIDDEN_ELEMENTS.contains(&tag.as_str()) || name.ns != ns!(html) {
                return Err(format!("element <{tag}> (namespace {})", name.ns));
            }
            for a in attrs.borrow().iter() {
                let attr = match &a.name.prefix {
                    Some(p) => format!("{p}:{}", a.name.local).to_ascii_lowercase(),
                    None => a.name.local.to_string().to_ascii_lowercase(),
                };
                check_attr(&tag, &attr, &a.value)?;
            }
            if let Some(t) = template_contents.borrow().as_ref() {
                stack.push(Rc::clone(t));
            }
        }
        stack.extend(node.children.borrow().iter().cloned());
    }
    Ok(())
}

fn check_attr(tag: &str, attr: &str, value: &str) -> Result<(), String> {
    let local = attr.rsplit(':').next().unwrap_or(attr);
    if local.starts_with("on") {
        return Err(format!("event handler {attr}=\"{value}\" on <{tag}>"));
    }
    match attr {
        "style" => {
            if let Some(why) = css_script(value) {
                return Err(format!("inline style with {why} on <{tag}>: {value}"));
            }
            // No output of ours has styles; one that came through is a bug.
            return Err(format!("inline style on <{tag}>: {value}"));
        }
        "srcdoc" => return Err(format!("srcdoc on <{tag}>")),
        "http-equiv" => return Err(format!("http-equiv on <{tag}>")),
        "srcset" | "imagesrcset" => {
            for cand in value.split(',') {
                let url = cand.split_ascii_whitespace().next().unwrap_or("");
                check_url(tag, url).map_err(|why| format!("{attr} on <{tag}>: {why}"))?;
            }
        }
        _ if URL_ATTRIBUTES.contains(&attr) => {
            check_url(tag, value).map_err(|why| format!("{attr} on <{tag}>: {why}"))?;
        }
        _ => {}
    }
    Ok(())
}

/// What in a piece of CSS can run script, if anything.
fn css_script(css: &str) -> Option<&'static str> {
    let squashed: String = css
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && *c != '\\')
        .collect::<String>()
        .to_ascii_lowercase();
    [
        ("expression(", "a CSS expression"),
        ("javascript:", "a javascript: URL"),
        ("vbscript:", "a vbscript: URL"),
        ("-moz-binding", "-moz-binding"),
        ("behavior:", "an IE behavior"),
    ]
    .into_iter()
    .find(|(needle, _)| squashed.contains(needle))
    .map(|(_, why)| why)
}

/// Characters browsers, or the most lenient legacy ones, skip inside a
/// scheme: whitespace, control characters and invisible format characters.
fn is_skipped(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// Fails on a URL whose scheme can run script, read as strictly as any
/// browser ever read one: every skipped character removed, case ignored.
fn check_url(tag: &str, url: &str) -> Result<(), String> {
    let squashed: String = url
        .chars()
        .filter(|&c| !is_skipped(c))
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(bad) = SCRIPT_SCHEMES.iter().find(|s| squashed.starts_with(**s)) {
        return Err(format!("{bad} URL {url:?}"));
    }
    if let Some(data) = squashed.strip_prefix("data:") {
        // An image may be a data: URL; a document, a script or SVG may not.
        let is_image = data.starts_with("image/") && !data.starts_with("image/svg");
        if !(is_image && matches!(tag, "img" | "source" | "picture")) {
            return Err(format!("data: URL {url:?}"));
        }
    }
    Ok(())
}

/// Renders a Markdown post (front matter left out) as CommonMark renderers
/// do, with GitHub's extensions, raw HTML passed through.
pub fn render_markdown(post: &str) -> String {
    let body = match post.strip_prefix("---\n") {
        Some(rest) => rest
            .find("\n---\n")
            .map_or(post, |i| &rest[i + "\n---\n".len()..]),
        None => post,
    };
    let opts = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_TASKLISTS;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, opts));
    html
}

/// Why a Markdown post, once rendered, is unsafe, or `Ok(())`.
pub fn check_safe_markdown(post: &str) -> Result<(), String> {
    check_safe_html(&render_markdown(post)).map_err(|why| format!("rendered Markdown: {why}"))
}

/// The words of a text: runs of letters and digits, each CJK character a
/// word of its own (CJK text has no spaces), lower case.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F)
}

/// The words an HTML input says, as a browser decodes them: the words of
/// each run of text, attribute value and comment, lower case, as
/// html5ever's tokenizer reads them (entities decoded), in every way a tree
/// builder could have it read them: with the content of raw text elements
/// (`<style>`, `<script>`, `<title>`…) read as markup or as text, with
/// scripting on (`<noscript>` is raw text too) or off, and with
/// `<![CDATA[` opening a CDATA section (in SVG and MathML) or a bogus
/// comment.
///
/// NOTE: the tokenizer alone, without a tree builder: it is linear where
/// the tree builder is quadratic in nesting depth. Reading both ways covers
/// what a tree builder would decide (`<style>` is raw text in HTML, not in
/// SVG or MathML), so the set only grows.
pub fn source_words(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for cdata in [false, true] {
        for (raw_text, scripting) in [(false, false), (true, true), (true, false)] {
            let mode = Mode {
                raw_text,
                scripting,
                cdata,
            };
            tokenizer_words(html, mode, &mut out);
        }
    }
    out
}

/// How a tree builder might have the tokenizer read.
#[derive(Clone, Copy)]
struct Mode {
    raw_text: bool,
    scripting: bool,
    cdata: bool,
}

fn tokenizer_words(html: &str, mode: Mode, out: &mut HashSet<String>) {
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;

    struct Words {
        words: RefCell<HashSet<String>>,
        mode: Mode,
    }

    impl TokenSink for Words {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut out = self.words.borrow_mut();
            match token {
                Token::CharacterTokens(t) | Token::CommentToken(t) => out.extend(words(&t)),
                Token::TagToken(tag) => {
                    for a in &tag.attrs {
                        out.extend(words(&a.value));
                    }
                    if self.mode.raw_text && tag.kind == TagKind::StartTag {
                        return match &*tag.name {
                            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                                TokenSinkResult::RawData(RawKind::Rawtext)
                            }
                            "noscript" if self.mode.scripting => {
                                TokenSinkResult::RawData(RawKind::Rawtext)
                            }
                            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                            "plaintext" => TokenSinkResult::Plaintext,
                            _ => TokenSinkResult::Continue,
                        };
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }

        fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
            self.mode.cdata
        }
    }

    let sink = Words {
        words: RefCell::new(std::mem::take(out)),
        mode,
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html5ever::tendril::StrTendril::from_slice(html));
    while !matches!(tok.feed(&input), html5ever::TokenizerResult::Done) {}
    tok.end();
    *out = tok.sink.words.into_inner();
}

/// Whether `word` is a run of `known` words: markup that goes from between
/// two words joins them, as a browser shows `the<script>x</script>end` as
/// `theend`.
fn is_made_of(word: &str, known: &HashSet<String>) -> bool {
    if known.contains(word) {
        return true;
    }
    // Pieces are known words: none is longer than the longest of them.
    let longest = known.iter().map(String::len).max().unwrap_or(0);
    let ends: Vec<usize> = word.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    let mut reachable = vec![false; word.len() + 1];
    reachable[0] = true;
    for start in 0..word.len() {
        if !reachable[start] || !word.is_char_boundary(start) {
            continue;
        }
        let from = ends.partition_point(|&e| e <= start);
        for &end in ends[from..].iter().take_while(|&&e| e - start <= longest) {
            if known.contains(&word[start..end]) {
                reachable[end] = true;
            }
        }
    }
    reachable[word.len()]
}

/// Fails when the plain text `output` holds a word that the input never
/// said: each word must be a word of the input's text or attribute values
/// ([`source_words`]), or several joined. Numbers are let through: ordered
/// lists are numbered.
pub fn check_words_from(output: &str, input_html: &str) -> Result<(), String> {
    let known = source_words(input_html);
    match words(output)
        .into_iter()
        .find(|w| !w.chars().all(|c| c.is_ascii_digit()) && !is_made_of(w, &known))
    {
        Some(w) => Err(format!("word {w:?} is not in the input")),
        None => Ok(()),
    }
}

#[test]
fn checker_catches_script() {
    for ok in [
        "<p>fine <a href=\"/x\">x</a> <img src=\"data:image/png;base64,AA\"></p>",
        "<a href=\"https://a.com/?q=javascript:x\">ok</a><q cite=\"/c\">q</q>",
    ] {
        assert_eq!(check_safe_html(ok), Ok(()), "{ok}");
    }
    for bad in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\" jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"\u{1}java\u{3}script:alert(1)\">x</a>",
        "<a href=\"java\u{200b}script:alert(1)\">x</a>",
        "<a href=\"JAVASCRIPT&colon;alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">",
        "<img srcset=\"a.png 1x, javascript:alert(1) 2x\">",
        "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><img src=x></mtext></math>",
        "<p style=\"x:expression(alert(1))\">a</p>",
        "<p style=\"color:red\">a</p>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"https://evil.example/\">",
        "<form action=\"https://evil.example/\"><input name=q></form>",
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "<div ONCLICK=\"alert(1)\">x</div>",
    ] {
        assert!(check_safe_html(bad).is_err(), "{bad}");
    }
}

#[test]
fn markdown_checker_catches_links() {
    assert_eq!(
        check_safe_markdown("---\nt: 1\n---\n[a](/x) ![i](#)\n"),
        Ok(())
    );
    assert!(check_safe_markdown("[a](javascript:alert(1))\n").is_err());
    assert!(check_safe_markdown("[a](java&#115;cript:alert(1))\n").is_err());
    assert!(check_safe_markdown("<javascript:alert(1)>\n").is_err());
    assert!(check_safe_markdown("[r]\n\n[r]: vbscript:x\n").is_err());
}

#[test]
fn words_split_cjk_and_case() {
    assert_eq!(words("Hello, 世界! x2"), ["hello", "世", "界", "x2"]);
    assert!(check_words_from(
        "hello 世 caf\u{e9} foobar 3",
        "<p>HELLO 世界 caf&eacute; <b>foo</b>bar"
    )
    .is_ok());
    assert!(check_words_from("goodbye", "<p>hello</p>").is_err());
    assert!(check_words_from("amp", "<p>&amp;</p>").is_err());
}
