//! articlean turns the messy HTML of real articles into clean, safe HTML or
//! plain text: ad slots, tracking pixels, subscription and paywall
//! promotions, share widgets and tracking parameters go; lazy-loaded images
//! get their real source; what is left is sanitized by [ammonia].
//!
//! ```text
//! bytes ─decode─▶ text ─input─▶ fragment │ document │ post (each HTML block of a post, in place)
//!       ─dom::parse─▶ DOM ─rules::matching─▶ matches ─passes (the veto judges removals)─▶ DOM
//!       ─dom::serialize (policy::fate)─▶ sanitize (ammonia, configured from policy) ─▶ HTML
//! HTML ─dom::parse─▶ DOM ─render::text │ render::markdown─▶ plain text │ Markdown
//! DOM, as parsed (when asked) ─metadata─▶ Metadata (JSON-LD, OpenGraph, <meta>, microdata, <title>)
//! ```
//!
//! Every removal is made by a named rule and reported; a removal that would
//! take a large share of the article's text is vetoed unless its rule is
//! strict. Rules are data (TOML): the built-in set is loaded by the same code
//! as your own files.
//!
//! # Examples
//!
//! One call, safe defaults:
//!
//! ```
//! let html = articlean::clean(r#"<p>Story</p><div id="div-gpt-ad-123"></div>"#);
//! assert_eq!(html, "<p>Story</p>\n");
//!
//! let text = articlean::clean_to_text("<h1>Title</h1><p>First.</p><p>Second.</p>");
//! assert_eq!(text, "Title\n\nFirst.\n\nSecond.\n");
//! ```
//!
//! A [`Cleaner`], built once and shared, with a report of what each rule did:
//!
//! ```
//! use articlean::Cleaner;
//!
//! let cleaner = Cleaner::builder().text(true).build()?;
//! let out = cleaner.clean(r#"<p>News <img class="lazyload" data-src="/a.jpg" src="data:image/gif;base64,R0lGOD"></p>"#);
//! assert_eq!(out.html(), "<p>News <img src=\"/a.jpg\" referrerpolicy=\"no-referrer\"></p>\n");
//! assert_eq!(out.report().changes()[0].rule, "lazy.images");
//! # Ok::<(), articlean::Error>(())
//! ```
//!
//! Your own rules, from a file or a string:
//!
//! ```
//! use articlean::{Cleaner, Rules};
//!
//! let rules = Rules::from_toml(r#"
//! [[rule]]
//! id = "site.newsletter"
//! description = "The newsletter box of example.com"
//! select = "div.nl-signup"
//! action = "remove"
//! "#)?;
//! let cleaner = Cleaner::builder().add_rules(rules).build()?;
//! let out = cleaner.clean(r#"<p>Text</p><div class="nl-signup">Sign up!</div>"#);
//! assert_eq!(out.html(), "<p>Text</p>\n");
//! # Ok::<(), articlean::Error>(())
//! ```
//!
//! [ammonia]: https://docs.rs/ammonia

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod cleaner;
mod decode;
mod dom;
mod error;
mod extract;
mod input;
#[cfg(feature = "filter-lists")]
mod lists;
mod metadata;
mod page;
mod passes;
mod policy;
mod post;
mod render;
mod report;
mod rules;
mod sanitize;
mod style;
mod urls;

use std::sync::OnceLock;

pub use cleaner::{Cleaned, Cleaner, CleanerBuilder, InputKind};
pub use error::{Error, ErrorKind};
pub use metadata::Metadata;
pub use render::text::{TextImages, TextLinks};
pub use report::{Change, Report};
pub use rules::{Action, Rule, Rules};

/// Cleans HTML (a fragment, a whole document or a Markdown post) with the
/// built-in rules and returns safe HTML.
///
/// # Examples
///
/// ```
/// assert_eq!(
///     articlean::clean("<p>Hi<img src=x onerror=alert(1)></p>"),
///     "<p>Hi<img src=\"x\" referrerpolicy=\"no-referrer\"></p>\n"
/// );
/// ```
pub fn clean(html: &str) -> String {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(Cleaner::new).clean(html).into_html()
}

/// Cleans HTML with the built-in rules and returns its plain text.
///
/// # Examples
///
/// ```
/// assert_eq!(articlean::clean_to_text("<ul><li>one</li><li>two</li></ul>"), "- one\n- two\n");
/// ```
pub fn clean_to_text(html: &str) -> String {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            Cleaner::builder()
                .html(false)
                .text(true)
                .build()
                .expect("the default settings are valid")
        })
        .clean(html)
        .into_text()
}

/// The README's examples run as doctests, so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
