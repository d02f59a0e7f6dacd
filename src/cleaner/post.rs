//! The cleaner's side of a Markdown post (see [`crate::post`], which cleans
//! it): the cleaning of its pieces of HTML and of its links, which needs the
//! cleaner's internals (its engine, its parse-and-run, its sanitizer, where
//! the post is).

use std::borrow::Cow;

use super::{At, Cleaner};
use crate::dom::Dom;
use crate::input::Kind;
use crate::passes;
use crate::post;
use crate::report::Report;

impl Cleaner {
    /// A Markdown post, cleaned in place (see [`post::clean`]).
    pub(super) fn clean_markdown(
        &self,
        text: &str,
        start: usize,
        at: At<'_>,
        report: &mut Report,
    ) -> String {
        post::clean(text, start, &Pieces { cleaner: self, at }, report)
    }

    /// A Markdown post's body rendered to HTML by CommonMark, cleaned and
    /// sanitized, as a tree: what its text and Markdown are rendered from
    /// (see [`Cleaner::sanitize`]).
    pub(super) fn markdown_body(&self, body: &str, at: At<'_>, report: &mut Report) -> Dom {
        let html = post::to_html(body);
        let dom = self.parse_and_run(&html, Kind::Fragment, at, report);
        Dom::parse_fragment(&self.sanitize_settled(dom, at, report))
    }
}

/// The pieces of a post, cleaned by a cleaner for a post at `at`.
struct Pieces<'a> {
    cleaner: &'a Cleaner,
    at: At<'a>,
}

impl post::Cleaning for Pieces<'_> {
    fn html(&self, html: &str, report: &mut Report) -> String {
        self.cleaner.clean_fragment(html, self.at, report)
    }

    fn destination<'u>(&self, url: &'u str, report: &mut Report) -> Cow<'u, str> {
        passes::strip_markdown_url(&self.cleaner.engine, url, report)
    }
}
