//! A rule's regular expression, compiled when a document first needs it.
//!
//! Compiling the built-in rules' regexes took 121 M of the 130 M
//! instructions a `clean` process spent on `<p>x</p>` (callgrind,
//! `benches/callgrind.sh`): most documents need only some of them, and a
//! tiny one none. A [`Pattern`] of the built-in set compiles on its first
//! match attempt, once per process (the built-in rules are shared, and so
//! are their patterns); a rule file's patterns compile when it is loaded,
//! so that a bad one still fails `build()` with the rule's name.
//!
//! Before compiling, a haystack shorter than the shortest text the pattern
//! can match is refused: a label pattern of two or more bytes is never
//! compiled for a one-letter paragraph. The bound is read from the
//! pattern's syntax tree (regex-syntax's parser, the first step of a
//! compile), where every literal, class or `.` matches at least one byte.

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, RepetitionKind, RepetitionRange};

/// The largest compiled program a rule's regex may make.
const SIZE_LIMIT: usize = 1 << 20;

/// Compiles `source` the way every rule's regex is compiled.
fn compile(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| format!("bad regex {source:?}: {e}"))
}

/// A regex compiled on first use and shared by every clone.
#[derive(Clone)]
pub(crate) struct Pattern(Arc<Inner>);

struct Inner {
    source: Box<str>,
    /// The fewest bytes a match can have, when not yet compiled.
    min_len: OnceLock<usize>,
    regex: OnceLock<Regex>,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.0.source).finish()
    }
}

impl Pattern {
    /// A pattern compiled when first matched. `source` must compile (the
    /// built-in rules' test compiles every one).
    pub(crate) fn lazy(source: &str) -> Pattern {
        Pattern(Arc::new(Inner {
            source: source.into(),
            min_len: OnceLock::new(),
            regex: OnceLock::new(),
        }))
    }

    /// A pattern compiled now.
    ///
    /// # Errors
    ///
    /// The regex's error, naming the pattern.
    pub(crate) fn compiled(source: &str) -> Result<Pattern, String> {
        let p = Pattern::lazy(source);
        let _ = p.0.regex.set(compile(source)?);
        Ok(p)
    }

    /// The pattern as written.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether the pattern matches somewhere in `haystack`.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        if let Some(re) = self.0.regex.get() {
            return re.is_match(haystack);
        }
        if haystack.len() < *self.0.min_len.get_or_init(|| min_len(&self.0.source)) {
            return false;
        }
        self.0
            .regex
            .get_or_init(|| {
                compile(&self.0.source).expect("a lazy pattern compiles (the built-in rules' test)")
            })
            .is_match(haystack)
    }
}

/// The fewest bytes a match of `source` can have (0 when unknown).
fn min_len(source: &str) -> usize {
    ast::parse::Parser::new()
        .parse(source)
        .map_or(0, |ast| min_len_of(&ast))
}

/// NOTE: recursive, but over a pattern of a rules file, whose nesting the
/// parser bounds (250 levels by default), never over a document.
fn min_len_of(ast: &Ast) -> usize {
    match ast {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => 0,
        Ast::Literal(_)
        | Ast::Dot(_)
        | Ast::ClassUnicode(_)
        | Ast::ClassPerl(_)
        | Ast::ClassBracketed(_) => 1,
        Ast::Repetition(r) => {
            let times = match &r.op.kind {
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => 0,
                RepetitionKind::OneOrMore => 1,
                RepetitionKind::Range(
                    RepetitionRange::Exactly(n)
                    | RepetitionRange::AtLeast(n)
                    | RepetitionRange::Bounded(n, _),
                ) => *n as usize,
            };
            times.saturating_mul(min_len_of(&r.ast))
        }
        Ast::Group(g) => min_len_of(&g.ast),
        Ast::Alternation(a) => a.asts.iter().map(min_len_of).min().unwrap_or(0),
        Ast::Concat(c) => c
            .asts
            .iter()
            .fold(0usize, |sum, a| sum.saturating_add(min_len_of(a))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_matches_are_lower_bounds() {
        let cases = [
            ("", 0),
            ("a", 1),
            ("(?i)^(?:ads?|sponsored)[.:]?$", 2),
            ("^.{0,40}(?:订阅|訂閱)$", 2),
            ("x{3,5}y+z*", 4),
            (r"\bfoo\b|[a-z]\d", 2),
            ("(bad", 0),
        ];
        for (source, want) in cases {
            assert_eq!(min_len(source), want, "{source}");
        }
    }

    #[test]
    fn short_haystacks_are_refused_without_compiling() {
        let p = Pattern::lazy("(?i)^(?:ads?|sponsored)$");
        assert!(!p.is_match("x"));
        assert!(p.0.regex.get().is_none());
        assert!(p.is_match("AD"));
        assert!(p.clone().0.regex.get().is_some(), "clones share the regex");
        // A multi-byte character is one `.` and more bytes: still a match.
        assert!(Pattern::lazy("^.$").is_match("订"));
        assert!(Pattern::compiled("(").is_err());
    }
}
