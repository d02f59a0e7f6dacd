//! Markdown posts: what they are and how they are cleaned.
//!
//! A post is YAML front matter (a first line `---`, then a closing `---` or
//! `...` line) and a Markdown body that holds raw article HTML: a Jekyll
//! post made from a feed. Markdown without front matter is read as a post
//! when the caller says so.
//!
//! A post is cleaned in place: its front matter and Markdown are kept byte
//! for byte but for four edits. Each raw HTML block is cleaned in place;
//! inline HTML tags are cleaned with the Markdown around them left as
//! written; tracking parameters leave the destinations of links and images;
//! links to URLs the sanitizer refuses (`javascript:`) lead to `#`.
//!
//! - [`front_matter`]: where the front matter ends, and the source URL it
//!   names (a base for the post's relative URLs);
//! - [`scan`]: what to clean in the body, by byte range, found the way
//!   CommonMark finds it;
//! - [`edit`]: one round of edits, each piece of HTML cleaned by the
//!   cleaner (see [`Cleaning`]) and put back where it was.
//!
//! The text and Markdown outputs of a post are rendered from its body made
//! HTML ([`to_html`]), cleaned as any fragment.

mod edit;
pub(crate) mod front_matter;
mod scan;

use std::borrow::Cow;

use pulldown_cmark::{Options, Parser};

use crate::report::Report;

/// The CommonMark extensions posts are read with (GitHub's).
const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Most rounds of cleaning after the first, before a post whose cleaning
/// does not settle is rendered and cleaned as HTML (see [`clean`]).
const ROUNDS: usize = 4;

/// What cleaning a post needs from the cleaner: its pieces of HTML and its
/// link destinations cleaned, each cleaning told in a report.
pub(crate) trait Cleaning {
    /// An HTML fragment of the post, cleaned and sanitized.
    fn html(&self, html: &str, report: &mut Report) -> String;
    /// A link's destination without its tracking parameters.
    fn destination<'u>(&self, url: &'u str, report: &mut Report) -> Cow<'u, str>;
}

/// Cleans the post `text`, whose body starts at byte `start` (after the
/// front matter, if any), in place (see the [module](self) for what
/// changes).
///
/// NOTE: whoever renders the post reads the cleaned HTML as Markdown again,
/// and it need not read as the source did. A block element ammonia drops
/// (`<foo-bar>` alone on its line) leaves its text as a paragraph, whose
/// links come alive; a tag ammonia drops from the start of a paragraph's
/// line (`<x-ad></x-ad><div>`) leaves one that starts an HTML block, which
/// swallows the lines after it as raw HTML (a fenced code block's
/// `<script>` included); an end tag ammonia adds can land at the start of a
/// line and do the same. So the post is cleaned again until cleaning
/// changes nothing: then every piece of HTML the renderer will see, as
/// CommonMark reads it, is ammonia's output, and every link it will see is
/// checked. One more round, which changes nothing, is the usual cost.
/// Should rounds not settle, the post's body is rendered and cleaned as
/// HTML, and written as one HTML block.
pub(crate) fn clean(
    text: &str,
    start: usize,
    cleaning: &impl Cleaning,
    report: &mut Report,
) -> String {
    let mut out = edit::clean_once(text, start, cleaning, report);
    for _ in 0..ROUNDS {
        let start = front_matter::end(&out).unwrap_or(0);
        let mut round = Report::default();
        let again = edit::clean_once(&out, start, cleaning, &mut round);
        if again == out {
            return out;
        }
        report.append_later_round(round);
        out = again;
    }
    let html = cleaning.html(&to_html(&text[start..]), report);
    // An empty `<div></div>` line starts the HTML block without adding a
    // level of nesting (which the depth cap could take back next time).
    let block = format!("<div></div>\n{}\n", html.trim());
    format!("{}{}", &text[..start], edit::one_block(&block))
}

/// Renders a Markdown body to HTML, raw HTML passed through.
pub(crate) fn to_html(body: &str) -> String {
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(body, MARKDOWN));
    html
}
