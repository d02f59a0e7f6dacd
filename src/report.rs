//! What the rules did: every removal, unwrap and rewrite with its rule id.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::rules::Action;

/// One change a rule made (or wanted to make and was vetoed from).
///
/// # Examples
///
/// ```
/// let cleaner = articlean::Cleaner::new();
/// let out = cleaner.clean(r#"<p>Text</p><div id="div-gpt-ad-1"></div>"#);
/// let change = &out.report().changes()[0];
/// assert_eq!(change.rule, "ads.slots");
/// assert_eq!(change.target, "div#div-gpt-ad-1");
/// assert!(!change.vetoed);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// The id of the rule.
    pub rule: String,
    /// What it did.
    #[serde(serialize_with = "action_name")]
    pub action: Action,
    /// The element, as a `tag#id.class` path from its nearest ancestors.
    pub target: String,
    /// Characters of text (whitespace not counted) the change removed.
    pub text_chars: usize,
    /// Whether the content veto stopped the change: it would have removed too
    /// much of the article, and the rule is not strict.
    pub vetoed: bool,
    /// What changed, when the target does not say it: removed attribute
    /// names, a new URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

fn action_name<S: serde::Serializer>(a: &Action, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(a.name())
}

/// Everything the rules did to one document.
///
/// # Examples
///
/// ```
/// let out = articlean::Cleaner::new().clean(r#"<p>Hi <a href="/x?utm_source=feed">there</a></p>"#);
/// let report = out.report();
/// assert_eq!(report.changes().len(), 1);
/// assert_eq!(report.changes()[0].rule, "params.utm");
/// assert_eq!(report.removed_chars(), 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    changes: Vec<Change>,
    /// Start tags the parser dropped because they nested deeper than a
    /// browser would build.
    #[serde(skip_serializing_if = "is_zero")]
    deep_tags_dropped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    pub(crate) fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    pub(crate) fn add_deep_tags_dropped(&mut self, n: usize) {
        self.deep_tags_dropped += n;
    }

    pub(crate) fn append(&mut self, other: Report) {
        self.changes.extend(other.changes);
        self.deep_tags_dropped += other.deep_tags_dropped;
    }

    /// Adds what a later round of cleaning (the cleaner's own output read
    /// again) removed. Only removals: that round also undoes and redoes
    /// what the sanitizer adds (the `referrerpolicy` it sets, which
    /// `referrer.attributes` takes off again), which changes nothing and
    /// would only be noise.
    pub(crate) fn append_later_round(&mut self, other: Report) {
        self.changes.extend(other.changes.into_iter().filter(|c| {
            !c.vetoed
                && matches!(
                    c.action,
                    Action::Remove | Action::Unwrap | Action::DropEmpty
                )
        }));
    }

    /// The changes, in the order they were made.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>nothing to do</p>");
    /// assert!(out.report().changes().is_empty());
    /// ```
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Characters of text removed by all applied changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<p>Story</p><div class=\"adsbygoogle\">Ad text</div>");
    /// assert_eq!(out.report().removed_chars(), 6);
    /// ```
    pub fn removed_chars(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| !c.vetoed)
            .map(|c| c.text_chars)
            .sum()
    }

    /// Tags the parser dropped because they nested deeper than 448 levels
    /// (their text is kept).
    ///
    /// # Examples
    ///
    /// ```
    /// let deep = "<div>".repeat(600) + "x";
    /// let out = articlean::Cleaner::new().clean(&deep);
    /// assert!(out.report().deep_tags_dropped() > 0);
    /// ```
    pub fn deep_tags_dropped(&self) -> usize {
        self.deep_tags_dropped
    }

    /// Changes and removed characters per rule id, sorted by id.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean("<div class=adsbygoogle></div><ins class=adsbygoogle></ins><p>x</p>");
    /// assert_eq!(out.report().by_rule()["ads.slots"], (2, 0));
    /// ```
    pub fn by_rule(&self) -> BTreeMap<&str, (usize, usize)> {
        let mut m: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for c in self.changes.iter().filter(|c| !c.vetoed) {
            let e = m.entry(c.rule.as_str()).or_default();
            e.0 += 1;
            e.1 += c.text_chars;
        }
        m
    }

    /// The report as an aligned text table, one change a line, for people.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = articlean::Cleaner::new().clean(r#"<p>x</p><div id="dfp-ad-top"></div>"#);
    /// assert!(out.report().to_table().contains("ads.slots"));
    /// ```
    pub fn to_table(&self) -> String {
        if self.changes.is_empty() && self.deep_tags_dropped == 0 {
            return "no rule changed anything\n".to_string();
        }
        let mut out = String::new();
        let w_rule = self
            .changes
            .iter()
            .map(|c| c.rule.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let w_act = self
            .changes
            .iter()
            .map(|c| c.action.name().len() + if c.vetoed { 8 } else { 0 })
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(
            out,
            "{:<w_rule$}  {:<w_act$}  {:>5}  TARGET",
            "RULE", "ACTION", "CHARS"
        );
        for c in &self.changes {
            let action = if c.vetoed {
                format!("{} (vetoed)", c.action.name())
            } else {
                c.action.name().to_string()
            };
            let _ = write!(
                out,
                "{:<w_rule$}  {:<w_act$}  {:>5}  {}",
                c.rule, action, c.text_chars, c.target
            );
            if !c.detail.is_empty() {
                let _ = write!(out, "  [{}]", c.detail);
            }
            out.push('\n');
        }
        if self.deep_tags_dropped > 0 {
            let _ = writeln!(
                out,
                "(parser: {} tags nested deeper than 448 levels dropped, text kept)",
                self.deep_tags_dropped
            );
        }
        out
    }
}
