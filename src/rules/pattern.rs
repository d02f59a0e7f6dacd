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

    /// A pattern compiled when first matched, whose syntax is checked now:
    /// a filter list's `:has-text(/…/)`, one of hundreds that most pages
    /// never need (compiling EasyList's was 24 M instructions of start-up).
    ///
    /// # Errors
    ///
    /// The parser's error, naming the pattern.
    #[cfg(feature = "filter-lists")]
    pub(crate) fn checked(source: &str) -> Result<Pattern, String> {
        regex_syntax::Parser::new()
            .parse(source)
            .map_err(|e| format!("bad regex {source:?}: {e}"))?;
        Ok(Pattern::lazy(source))
    }

    /// The pattern as written.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether the pattern matches somewhere in `haystack`.
    ///
    /// NOTE: a haystack shorter than the shortest match is refused before
    /// the regex too: a text rule's labels are tried on every short block
    /// of a page, most of them shorter (or empty).
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        if haystack.len() < *self.0.min_len.get_or_init(|| min_len(&self.0.source)) {
            return false;
        }
        if let Some(re) = self.0.regex.get() {
            return re.is_match(haystack);
        }
        self.0
            .regex
            .get_or_init(|| {
                // A pattern over the size limit, the one error a syntax
                // check does not find, matches nothing rather than panic
                // (the built-in rules' test compiles every one of theirs).
                compile(&self.0.source).unwrap_or_else(|_| never())
            })
            .is_match(haystack)
    }
}

/// Several patterns asked together: whether any of them matches. They are
/// tried as one alternation, `(?:a)|(?:b)|…`, compiled on first use and
/// shared by every clone, so a haystack is searched once, not once per
/// pattern (a link's path against a rule's dozen path patterns). When the
/// alternation does not compile (over the size limit, or a part in verbose
/// mode whose trailing comment swallows the `)` that follows it), the parts
/// are tried one by one: the answer is the same either way.
#[derive(Clone, Debug, Default)]
pub(crate) struct AnyOf {
    parts: Vec<Pattern>,
    /// The alternation, when there are two parts or more.
    joined: Option<Arc<Joined>>,
}

#[derive(Debug)]
struct Joined {
    source: Box<str>,
    /// The fewest bytes a match can have, when not yet compiled.
    min_len: OnceLock<usize>,
    /// `None` when the alternation does not compile.
    regex: OnceLock<Option<Regex>>,
}

impl AnyOf {
    pub(crate) fn new(parts: Vec<Pattern>) -> AnyOf {
        let joined = (parts.len() > 1).then(|| {
            let source = parts
                .iter()
                .map(|p| format!("(?:{})", p.0.source))
                .collect::<Vec<_>>()
                .join("|");
            Arc::new(Joined {
                source: source.into(),
                min_len: OnceLock::new(),
                regex: OnceLock::new(),
            })
        });
        AnyOf { parts, joined }
    }

    /// The patterns, as given.
    #[cfg(test)]
    pub(crate) fn parts(&self) -> &[Pattern] {
        &self.parts
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether one of the patterns matches somewhere in `haystack`.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        let Some(j) = &self.joined else {
            return self.parts.first().is_some_and(|p| p.is_match(haystack));
        };
        let regex = match j.regex.get() {
            Some(regex) => regex,
            None => {
                if haystack.len() < *j.min_len.get_or_init(|| min_len(&j.source)) {
                    return false;
                }
                j.regex.get_or_init(|| compile(&j.source).ok())
            }
        };
        match regex {
            Some(re) => re.is_match(haystack),
            None => self.parts.iter().any(|p| p.is_match(haystack)),
        }
    }
}

/// A regex that matches nothing.
fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("a valid regex")
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

    #[test]
    fn any_of_is_any_part() {
        let parts = |l: &[&str]| AnyOf::new(l.iter().map(|p| Pattern::lazy(p)).collect());
        let any = parts(&["(?i)^ads?\\.", "^x$", "b{2}"]);
        assert!(any.is_match("Ads.example.com"));
        assert!(any.is_match("x"));
        assert!(any.is_match("abba"));
        assert!(!any.is_match("xa"));
        assert!(!any.is_match("a"));
        // A flag stays in its part: `X` is not matched case-insensitively.
        assert!(!parts(&["(?i)a", "X"]).is_match("x"));
        // A verbose part's comment would swallow the rest: the parts are
        // tried one by one.
        let verbose = parts(&["(?x) a b # ab", "c"]);
        assert!(verbose.is_match("ab"));
        assert!(verbose.is_match("c"));
        assert!(!verbose.is_match("a b"));
        assert!(!AnyOf::default().is_match("a"));
        assert!(parts(&["a"]).is_match("a"));
    }
}
