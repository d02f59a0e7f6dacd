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
//! The same tree says, of a pattern anchored at the start (`^…`), which
//! bytes a match can start with, and of one anchored at both ends
//! (`^…$`), the longest haystack it can match: a haystack outside them is
//! refused without a search, which costs a couple of hundred instructions
//! even when it fails at the first byte (a label pattern is asked of every
//! short block of a page).

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{
    self, AssertionKind, Ast, ClassSet, ClassSetItem, Flag, GroupKind, RepetitionKind,
    RepetitionRange,
};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

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
    /// What a haystack needs for a match, read off the pattern's syntax.
    shape: OnceLock<Shape>,
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
            shape: OnceLock::new(),
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
        if self
            .0
            .shape
            .get_or_init(|| Shape::of(&self.0.source))
            .refuses(haystack)
        {
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

/// What every match of a pattern needs of the haystack, read off its
/// syntax tree: a haystack without it is refused without a search.
#[derive(Debug, Default)]
struct Shape {
    /// The fewest bytes a match can have.
    min_len: usize,
    /// Of a pattern anchored at the start: the bytes a haystack can start
    /// with (a bit each), `None` when any.
    first: Option<[u64; 4]>,
    /// Of a pattern anchored at both ends: the longest haystack.
    max_len: Option<usize>,
}

impl Shape {
    fn of(source: &str) -> Shape {
        let Ok(ast) = ast::parse::Parser::new().parse(source) else {
            return Shape::default();
        };
        let (first, max_len) = anchored(&ast).unwrap_or_default();
        Shape {
            min_len: min_len_of(&ast),
            first,
            max_len,
        }
    }

    fn refuses(&self, haystack: &str) -> bool {
        haystack.len() < self.min_len
            || self.max_len.is_some_and(|m| haystack.len() > m)
            || self.first.is_some_and(|set| {
                haystack
                    .as_bytes()
                    .first()
                    .is_some_and(|&b| set[usize::from(b >> 6)] & (1 << (b & 63)) == 0)
            })
    }
}

/// Of a pattern that is a sequence starting with `^` (or `\A`) after at
/// most a leading `(?i)`: the bytes its matches can start with (`None`
/// when any), and when it also ends with `$` (or `\z`), the longest match.
/// `None` for any other pattern, and for one with a flag besides `i`
/// (`(?m)` makes `^` a line's start).
fn anchored(ast: &Ast) -> Option<(Option<[u64; 4]>, Option<usize>)> {
    let Ast::Concat(c) = ast else {
        return None;
    };
    let mut items = c.asts.as_slice();
    let mut fold = false;
    if let [Ast::Flags(f), rest @ ..] = items {
        fold = only_case_insensitive(&f.flags)?;
        items = rest;
    }
    let [Ast::Assertion(a), rest @ ..] = items else {
        return None;
    };
    if !matches!(a.kind, AssertionKind::StartLine | AssertionKind::StartText) {
        return None;
    }
    let (body, to_end) = match rest {
        [body @ .., Ast::Assertion(z)]
            if matches!(z.kind, AssertionKind::EndLine | AssertionKind::EndText) =>
        {
            (body, true)
        }
        _ => (rest, false),
    };
    let mut seq = Reach::EMPTY;
    for item in body {
        seq = seq.then(reach(item, fold)?);
    }
    let first = (!seq.nullable).then_some(seq.first).flatten();
    Some((first, seq.max.filter(|_| to_end)))
}

/// Whether `flags` set `i` alone (`Some(true)`) or clear it alone
/// (`Some(false)`); `None` for any other flag.
fn only_case_insensitive(flags: &ast::Flags) -> Option<bool> {
    let mut on = None;
    let mut negated = false;
    for item in &flags.items {
        match item.kind {
            ast::FlagsItemKind::Negation => negated = true,
            ast::FlagsItemKind::Flag(Flag::CaseInsensitive) => on = Some(!negated),
            ast::FlagsItemKind::Flag(_) => return None,
        }
    }
    on
}

/// What a part of a pattern matches: whether it can match nothing, the
/// bytes a non-empty match starts with (`None`: any), the longest match
/// (`None`: unbounded).
#[derive(Clone, Copy)]
struct Reach {
    nullable: bool,
    first: Option<[u64; 4]>,
    max: Option<usize>,
}

impl Reach {
    const EMPTY: Reach = Reach {
        nullable: true,
        first: Some([0; 4]),
        max: Some(0),
    };
    const ANY_CHAR: Reach = Reach {
        nullable: false,
        first: None,
        max: Some(4),
    };

    /// `self` followed by `next`.
    fn then(self, next: Reach) -> Reach {
        Reach {
            nullable: self.nullable && next.nullable,
            first: if self.nullable {
                union(self.first, next.first)
            } else {
                self.first
            },
            max: self.max.zip(next.max).map(|(a, b)| a.saturating_add(b)),
        }
    }

    /// `self` or `other`.
    fn or(self, other: Reach) -> Reach {
        Reach {
            nullable: self.nullable || other.nullable,
            first: union(self.first, other.first),
            max: self.max.zip(other.max).map(|(a, b)| a.max(b)),
        }
    }
}

fn union(a: Option<[u64; 4]>, b: Option<[u64; 4]>) -> Option<[u64; 4]> {
    let (a, b) = (a?, b?);
    Some(std::array::from_fn(|i| a[i] | b[i]))
}

/// The characters of `ranges` (with their case variants when `fold`, as
/// the regex crate folds them): the lead bytes of their UTF-8, and the
/// longest.
fn chars(ranges: &[(char, char)], fold: bool) -> Reach {
    if ranges
        .iter()
        .all(|&(a, b)| b.is_ascii() && (a..=b).count() <= 26)
    {
        let mut all = Reach {
            nullable: false,
            first: Some([0; 4]),
            max: Some(0),
        };
        for c in ranges.iter().flat_map(|&(a, b)| a..=b) {
            all = all.or(ascii_char(c as u8, fold));
        }
        return all;
    }
    let mut class = ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
    if fold {
        class.case_fold_simple();
    }
    lead_bytes(&class)
}

/// [`Reach`] of one character of `class`.
fn lead_bytes(class: &ClassUnicode) -> Reach {
    let mut set = [0u64; 4];
    let mut max = 0;
    for r in class.iter() {
        // NOTE: UTF-8 keeps the order of code points, so the lead bytes of
        // a range's characters lie between those of its ends.
        let lead = |c: char| c.encode_utf8(&mut [0; 4]).as_bytes()[0];
        for b in lead(r.start())..=lead(r.end()) {
            set[usize::from(b >> 6)] |= 1 << (b & 63);
        }
        max = max.max(r.end().len_utf8());
    }
    Reach {
        nullable: false,
        first: Some(set),
        max: Some(max),
    }
}

/// [`chars`] of one ASCII character, its case variants found once.
fn ascii_char(c: u8, fold: bool) -> Reach {
    static FOLDED: OnceLock<Vec<Reach>> = OnceLock::new();
    if !fold || !c.is_ascii_alphabetic() {
        let mut set = [0u64; 4];
        set[usize::from(c >> 6)] |= 1 << (c & 63);
        return Reach {
            nullable: false,
            first: Some(set),
            max: Some(1),
        };
    }
    let folded = FOLDED.get_or_init(|| {
        (0..128u8)
            .map(|c| {
                let c = char::from(c);
                chars_folded(c)
            })
            .collect()
    });
    folded[usize::from(c)]
}

/// [`chars`] of `c` and its case variants (the Kelvin sign is a `k`).
fn chars_folded(c: char) -> Reach {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    lead_bytes(&class)
}

/// [`Reach`] of a part of an anchored pattern; `None` for a flag, which
/// [`anchored`] allows only at the start.
///
/// NOTE: recursive, over a pattern of a rules file (see [`min_len_of`]).
fn reach(ast: &Ast, fold: bool) -> Option<Reach> {
    Some(match ast {
        Ast::Empty(_) | Ast::Assertion(_) => Reach::EMPTY,
        Ast::Flags(_) => return None,
        Ast::Literal(l) if l.c.is_ascii() => ascii_char(l.c as u8, fold),
        Ast::Literal(l) => chars(&[(l.c, l.c)], fold),
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => Reach::ANY_CHAR,
        Ast::ClassBracketed(b) => {
            let items = match &b.kind {
                ClassSet::Item(ClassSetItem::Union(u)) => u.items.as_slice(),
                ClassSet::Item(item) => std::slice::from_ref(item),
                ClassSet::BinaryOp(_) => return Some(Reach::ANY_CHAR),
            };
            let mut ranges = Vec::new();
            for item in items {
                match item {
                    ClassSetItem::Literal(l) => ranges.push((l.c, l.c)),
                    ClassSetItem::Range(r) => ranges.push((r.start.c, r.end.c)),
                    _ => return Some(Reach::ANY_CHAR),
                }
            }
            if b.negated || ranges.is_empty() {
                return Some(Reach::ANY_CHAR);
            }
            chars(&ranges, fold)
        }
        Ast::Repetition(r) => {
            let inner = reach(&r.ast, fold)?;
            let (min, max) = match &r.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (*n, Some(*n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (*n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (*m, Some(*n)),
            };
            Reach {
                nullable: min == 0 || inner.nullable,
                first: inner.first,
                max: match (inner.max, max) {
                    (Some(0), _) => Some(0),
                    (Some(m), Some(n)) => Some(m.saturating_mul(n as usize)),
                    _ => None,
                },
            }
        }
        Ast::Group(g) => {
            let fold = match &g.kind {
                GroupKind::NonCapturing(flags) if !flags.items.is_empty() => {
                    only_case_insensitive(flags)?
                }
                _ => fold,
            };
            reach(&g.ast, fold)?
        }
        Ast::Alternation(a) => {
            let mut all: Option<Reach> = None;
            for part in &a.asts {
                let r = reach(part, fold)?;
                all = Some(all.map_or(r, |all| all.or(r)));
            }
            all.unwrap_or(Reach::EMPTY)
        }
        Ast::Concat(c) => {
            let mut seq = Reach::EMPTY;
            for part in &c.asts {
                seq = seq.then(reach(part, fold)?);
            }
            seq
        }
    })
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

    /// Whether `source`'s shape refuses `haystack`, checked against the
    /// regex: a refused haystack must not match.
    fn refused(source: &str, haystack: &str) -> bool {
        let refused = Shape::of(source).refuses(haystack);
        if refused {
            let re = Regex::new(source).expect("a valid regex");
            assert!(!re.is_match(haystack), "{source} refused {haystack:?}");
        }
        refused
    }

    #[test]
    fn anchored_patterns_refuse_by_first_byte_and_length() {
        let label = "(?i)^(?:ads?|sponsored)[.:]?$";
        for h in ["x", "Banner", "ads and more words than a label has", " ad"] {
            assert!(refused(label, h), "{h:?}");
        }
        // Case variants, the long s and the Kelvin sign among them, start
        // a match as the regex crate folds them.
        for h in ["AD", "Ads:", "ſponsored", "SPONſORED."] {
            assert!(!refused(label, h), "{h:?}");
            assert!(Regex::new(label).unwrap().is_match(h), "{h:?}");
        }
        assert!(!refused("(?i)^k$", "\u{212a}"));
        assert!(refused("(?i)^k$", "kkkk"));
        // Anchored at the start alone: no longest match.
        assert!(refused("^(?:广告|推广)", "x广告"));
        assert!(!refused("^(?:广告|推广)", "广告 and a long text after it"));
        // A part that can be empty lets what follows start a match.
        assert!(!refused(r"^\s*(?:订阅|訂閱)\s*$", " 订阅"));
        assert!(!refused("^a?b*[c-e]{0,2}f", "df"));
        assert!(refused("^a?b*[c-e]{0,2}f", "gf"));
        assert!(!refused("^a?b*[c-e]{0,2}f$", "abbbbbbbbbcf"));
        assert!(!refused("^a?[c-e]{2}f{1,2}$", "cdfff"));
        assert!(refused("^a?[c-e]{2}f{1,2}$", "cdffff"));
        // Not anchored, anchored at line starts, or with other flags: only
        // the shortest match is known.
        for source in [
            "a^b",
            "^a|b",
            "(?m)^a",
            "(?s)^a",
            "(?x)^a",
            "x*^a",
            "(?i)(?m)^a",
        ] {
            assert!(!refused(source, "b\na"), "{source}");
        }
        assert!(!refused("^(?i:a)B", "AB"));
        assert!(!refused("^B(?i:a)", "BA"));
        assert!(refused("^B(?i:a)", "bA"), "the flag ends with its group");
        assert!(!refused("(?i)^(?-i:a)b", "aB"));
        assert!(refused("(?i)^(?-i:a)b", "AB"));
        assert!(!refused("^[^a]", "b"));
        assert!(!refused(r"^[\w&&x]", "x"));
    }

    /// Every built-in pattern: a haystack its shape refuses does not match.
    #[test]
    fn built_in_patterns_refuse_only_what_cannot_match() {
        let rules = crate::rules::Rules::builtin();
        let mut sources: Vec<String> = Vec::new();
        for rule in rules.iter() {
            let c = &rule.conditions;
            sources.extend(c.text_matches.iter().map(|p| p.as_str().to_string()));
            if let Some(t) = &c.tokens {
                sources.push(t.matches.as_str().to_string());
                sources.extend(t.except.iter().map(|p| p.as_str().to_string()));
            }
            if let Some(u) = &c.url {
                for any in [&u.host_patterns, &u.path_patterns, &u.patterns] {
                    sources.extend(any.parts().iter().map(|p| p.as_str().to_string()));
                }
            }
        }
        assert!(sources.len() > 50, "{}", sources.len());
        let haystacks = [
            "",
            "Advertisement",
            "ADVERTISEMENT:",
            "Sponsored content",
            "ſponsored",
            "Subscribe now for 99 cents a month",
            "Sign up for our daily newsletter",
            "立即订阅我们的电子报",
            "订阅",
            " 订阅 ",
            "广告",
            "広告",
            "реклама",
            "Anzeige",
            "publicité",
            "ad-slot",
            "TopAds",
            "mpu-ad",
            "no-ads",
            "share-bar",
            "taboola-below-article",
            "newsletter-signup",
            "subscribe.example.com",
            "/subscribe/offer",
            "https://example.com/join-now?utm_source=x",
            "related-stories",
            "follow-us",
            "\u{212a}",
        ];
        let mut refusals = 0;
        for source in &sources {
            for h in haystacks {
                refusals += usize::from(refused(source, h));
            }
        }
        assert!(refusals > 100, "{refusals}");
    }

    /// Texts generated to match each built-in text pattern (its body, the
    /// anchors taken off) are never refused when the regex matches them.
    #[test]
    fn generated_matches_are_never_refused() {
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::TestRunner;
        let rules = crate::rules::Rules::builtin();
        let mut runner = TestRunner::deterministic();
        let mut checked = 0;
        for rule in rules.iter() {
            for p in &rule.conditions.text_matches {
                let source = p.as_str();
                let body = source.replacen('^', "", 1);
                let body = body.strip_suffix('$').unwrap_or(&body);
                let Ok(strategy) = proptest::string::string_regex(body) else {
                    continue;
                };
                let (re, shape) = (Regex::new(source).unwrap(), Shape::of(source));
                for _ in 0..200 {
                    let h = strategy.new_tree(&mut runner).unwrap().current();
                    if re.is_match(&h) {
                        assert!(!shape.refuses(&h), "{source} refused {h:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
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
