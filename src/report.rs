//! What the rules did: every removal, unwrap and rewrite with its rule id.

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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Change {
    /// The id of the rule.
    pub rule: String,
    /// What it did.
    #[cfg_attr(feature = "serde", serde(serialize_with = "action_name"))]
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
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "String::is_empty"))]
    pub detail: String,
}

#[cfg(feature = "serde")]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    changes: Vec<Change>,
    /// Start tags the parser dropped because they nested deeper than a
    /// browser would build.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_zero"))]
    deep_tags_dropped: usize,
}

#[cfg(feature = "serde")]
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
}
