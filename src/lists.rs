//! Filter lists in Adblock Plus syntax (EasyList, EasyPrivacy), applied
//! through Brave's `adblock` engine (feature `filter-lists`).
//!
//! The lists are compiled once per [`crate::Cleaner`]. Their element-hiding
//! rules are compiled into our own rules (one rule per list line, id
//! `list.<name>`), filed in the selector index with the built-in ones, so
//! thousands of selectors cost one walk; per document, the engine says which
//! of them apply on the page (its domain rules, `#@#` exceptions and
//! `$generichide`, through [`Page`]). Network rules are asked per resource
//! URL by `passes::network`.
//!
//! The network rules are split between [`ENGINES`] engines compiled side by
//! side (see [`engine_texts`]): compiling 100,000 rules is most of a cleaner's
//! start-up with EasyList and EasyPrivacy, and one engine is one thread.

use std::cell::OnceCell;
use std::path::Path;
use std::sync::Arc;

use adblock::cosmetic_filter_cache::UrlSpecificResources;
use adblock::lists::{FilterSet, ParseOptions};
use url::Url;

use crate::error::{Error, ErrorKind};
use crate::rules::matching::{Hiding, Lists, Request};
use crate::rules::pattern::Pattern;
use crate::rules::select;
use crate::rules::{Conditions, ListCond, Params, Rule, Rules, TextCond};

/// The id of the rule that network-blocked elements are reported under.
pub(crate) const NETWORK_RULE: &str = "list.network";

/// How many engines the lists' network rules are split between. Fixed, not
/// the machine's core count: which line is reported for a resource that
/// several lines block must not depend on the machine.
const ENGINES: usize = 2;

/// The compiled lists a cleaner holds: engine 0 holds the element-hiding
/// domain rules, exceptions and `$removeparam` rules as well as its share
/// of the blocking rules (see [`engine_texts`]).
pub(crate) struct FilterLists {
    engines: Vec<adblock::Engine>,
    /// Whether any list has a `$removeparam` rule: a link's only verdict
    /// (its blocking is not ours), so without one links are not asked.
    removeparam: bool,
}

/// What compiling the lists gave: our rules for their element hiding, how
/// many of their rules we cannot apply, and the engines, still compiling.
pub(crate) struct Compiled {
    pub(crate) rules: Rules,
    /// Element-hiding rules skipped: selectors our engine does not parse,
    /// procedural operators other than a trailing `:has-text`.
    pub(crate) skipped: usize,
    pub(crate) engines: Pending,
}

/// The engines of [`compile`], compiled (or loaded) on their own threads
/// while the cleaner's rule index is built.
pub(crate) struct Pending(std::thread::JoinHandle<Result<FilterLists, Error>>);

impl Pending {
    /// Waits for the engines.
    ///
    /// # Errors
    ///
    /// The cache could not be written, or an engine's thread failed.
    pub(crate) fn finish(self) -> Result<FilterLists, Error> {
        self.0.join().map_err(|_| engine_failed())?
    }
}

fn engine_failed() -> Error {
    Error::new(
        ErrorKind::Config,
        "the filter-list engine failed to compile the lists".to_string(),
    )
}

/// Compiles `lists` (name, text); with `cache`, the engines are loaded from
/// it when they were built from the same lists by the same engine version,
/// and written to it otherwise.
///
/// Start-up with EasyList and EasyPrivacy is mostly the engines' compile
/// of 100,000 network rules, so it is spread over threads that run while
/// the caller goes on: one sorts the lines ([`engine_texts`]), hands the
/// second engine's to a thread of its own and compiles the first; here,
/// our element-hiding rules compile in two halves; the engines are waited
/// for by [`Pending::finish`], after the caller has built its rule index.
pub(crate) fn compile(
    lists: Vec<(String, String)>,
    cache: Option<&Path>,
) -> Result<Compiled, Error> {
    let lists = std::sync::Arc::new(lists);
    let shared = std::sync::Arc::clone(&lists);
    let cache = cache.map(Path::to_path_buf);
    let engines = std::thread::Builder::new()
        .name("filter-engines".into())
        .spawn(move || {
            let removeparam = shared
                .iter()
                .any(|(_, text)| memchr::memmem::find(text.as_bytes(), b"removeparam").is_some());
            let engines = engines(&shared, cache.as_deref())?;
            Ok(FilterLists {
                engines,
                removeparam,
            })
        })
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start a thread: {e}")))?;
    let hiding = hiding_lines(&lists);
    let (first, second) = hiding.split_at(hiding.len() / 2);
    let (mut rules, skipped) = std::thread::scope(|s| {
        let second = s.spawn(|| hiding_rules(&lists, second));
        let (mut rules, skipped) = hiding_rules(&lists, first);
        let (more, more_skipped) = second.join().expect("compiling rules does not panic");
        rules.append(more);
        (rules, skipped + more_skipped)
    });
    rules.push(Rule::from_list(
        NETWORK_RULE.to_string(),
        "a filter list's network rule blocks the element's resource".to_string(),
        None,
        None,
        Arc::default(),
        Arc::default(),
    ));
    Ok(Compiled {
        rules,
        skipped,
        engines: Pending(engines),
    })
}

/// The engines: loaded from the cache when it holds these lists, compiled
/// (one thread each) and the cache written otherwise.
fn engines(
    lists: &[(String, String)],
    cache: Option<&Path>,
) -> Result<Vec<adblock::Engine>, Error> {
    let key = cache.map(|_| cache_key(lists));
    if let Some(engines) = cache
        .zip(key.as_deref())
        .and_then(|(path, key)| read_cache(path, key).map(|bytes| (bytes, key.len())))
        .and_then(|(bytes, len)| load_cache(&bytes[len..]))
    {
        return Ok(engines);
    }
    let mut texts = engine_texts(lists).into_iter();
    let first = texts.next().expect("at least one engine");
    let others: Vec<_> = texts
        .map(|text| std::thread::spawn(move || engine(text)))
        .collect();
    let mut engines = vec![engine(first)];
    for other in others {
        engines.push(other.join().map_err(|_| engine_failed())?);
    }
    if let Some((path, key)) = cache.zip(key) {
        write_cache(path, &key, &engines)?;
    }
    Ok(engines)
}

/// One engine, compiled from the lines [`engine_texts`] gave it.
fn engine(text: String) -> adblock::Engine {
    let mut set = FilterSet::new(true);
    set.add_filter_list(text, ParseOptions::default());
    adblock::Engine::new_with_filter_set(set)
}

/// A hiding rule's place and parts: the list it is in, its line number
/// (from 1), the line (trimmed), its domains and its selector.
#[derive(Debug, PartialEq)]
struct HidingLine<'a> {
    list: usize,
    number: usize,
    line: &'a str,
    domains: &'a str,
    selector: &'a str,
}

/// The lines of the lists each engine compiles:
///
/// - Generic element-hiding rules (`##sel`, `#?#sel`, no domain) go to
///   none: they are ours alone ([`hiding_rules`]), and the engines are
///   asked only for a page's domain rules, its `#@#` exceptions and
///   `$generichide` ([`Page`]), never for generic selectors. Filing the
///   14,000 of EasyList was a fifth of the engine's compile time.
/// - Every other line with a `#` (domain hiding rules, which we compile
///   too, exceptions, a generic rule with exclusions `~site##sel`, whose
///   exclusions reach the page as exceptions, scriptlets) goes to engine 0,
///   the one asked for a page's hiding resources; so do `$removeparam`
///   rules, so that one engine rewrites a URL.
/// - Exceptions (`@@`) and `$badfilter` lines go to every engine: a
///   request is blocked when one engine's rule matches and no exception
///   does (or the rule is `$important`), which is the verdict of one
///   engine holding every rule, since every engine holds every exception.
/// - The other network rules, blocking ones, are dealt in runs of
///   consecutive lines, so that the engines' compiles take about as long.
///
/// Lines are copied as they are, in runs: the engine trims them itself.
fn engine_texts(lists: &[(String, String)]) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum To {
        First,
        Every,
        Dealt,
    }
    // Every line the engines get, by its place in its list's text.
    let mut lines: Vec<(usize, usize, usize, To)> = Vec::new();
    for (list, (_, text)) in lists.iter().enumerate() {
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
            let raw = &text[start..end];
            let (from, line) = (start, trim(raw.trim_end_matches(['\n', '\r'])));
            start = end;
            if line.is_empty() || line.starts_with('!') || line.starts_with('[') {
                continue;
            }
            let bytes = line.as_bytes();
            let to = if memchr::memchr(b'#', bytes).is_some() {
                if line.starts_with("##") || line.starts_with("#?#") {
                    continue;
                }
                To::First
            } else {
                // A network rule's options follow its last `$`.
                let options = memchr::memrchr(b'$', bytes).map_or("", |at| &line[at + 1..]);
                if line.starts_with("@@") || options.contains("badfilter") {
                    To::Every
                } else if options.contains("removeparam") {
                    To::First
                } else {
                    To::Dealt
                }
            };
            lines.push((list, from, end, to));
        }
    }
    let count = |to: To| lines.iter().filter(|l| l.3 == to).count();
    let (first, dealt) = (count(To::First), count(To::Dealt));
    // How many dealt lines each engine takes: engine 0 fewer, by the lines
    // it alone has, which cost its compile about half what a network rule
    // does (callgrind: 28 M for EasyList's 10,000).
    let share = (first / 2 + dealt).div_ceil(ENGINES);
    let mut quota = vec![share.saturating_sub(first / 2).max(1)];
    quota.resize(
        ENGINES,
        (dealt - quota[0].min(dealt)).div_ceil(ENGINES - 1).max(1),
    );
    /// Dealt lines go in runs of this many, each to the engine furthest
    /// behind its quota, so that every engine has some of every list.
    const RUN: usize = 256;
    let total: usize = lists.iter().map(|(_, t)| t.len()).sum();
    let mut texts = vec![String::with_capacity(total / ENGINES + total / 16); ENGINES];
    // Each engine's run of consecutive lines not yet copied: list, from, to.
    let mut runs: Vec<Option<(usize, usize, usize)>> = vec![None; ENGINES];
    let flush = |text: &mut String, run: Option<(usize, usize, usize)>| {
        if let Some((list, from, to)) = run {
            text.push_str(&lists[list].1[from..to]);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
    };
    let mut given = [0usize; ENGINES];
    let mut dealer = 0;
    for &(list, from, to, dest) in &lines {
        let engines = match dest {
            To::First => 0..1,
            To::Every => 0..ENGINES,
            To::Dealt => {
                if given[dealer].is_multiple_of(RUN) || given[dealer] >= quota[dealer] {
                    // The least given[e] / quota[e], compared without division.
                    dealer = (0..ENGINES)
                        .min_by(|&a, &b| (given[a] * quota[b]).cmp(&(given[b] * quota[a])))
                        .expect("at least one engine");
                }
                given[dealer] += 1;
                dealer..dealer + 1
            }
        };
        for e in engines {
            match &mut runs[e] {
                Some((l, _, end)) if *l == list && *end == from => *end = to,
                run => flush(&mut texts[e], run.replace((list, from, to))),
            }
        }
    }
    for (text, run) in texts.iter_mut().zip(runs) {
        flush(text, run);
    }
    texts
}

/// The lists' element-hiding lines: only the lines with a `#` are looked
/// at, found by one search over each list.
fn hiding_lines(lists: &[(String, String)]) -> Vec<HidingLine<'_>> {
    let mut hiding = Vec::new();
    for (list, (_, text)) in lists.iter().enumerate() {
        let bytes = text.as_bytes();
        // Newlines before `counted`, and `counted`.
        let (mut newlines, mut counted) = (0, 0);
        let mut from = 0;
        while let Some(at) = memchr::memchr(b'#', &bytes[from..]).map(|i| from + i) {
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            newlines += memchr::memchr_iter(b'\n', &bytes[counted..start]).count();
            counted = start;
            let line = &text[start..end];
            let line = trim(line.strip_suffix('\r').unwrap_or(line));
            hiding.extend(HidingLine::new(list, newlines + 1, line));
            from = end;
        }
    }
    hiding
}

impl<'a> HidingLine<'a> {
    /// The hiding rule of a list's (trimmed) line, if it is one.
    fn new(list: usize, number: usize, line: &'a str) -> Option<HidingLine<'a>> {
        if line.starts_with('!') || line.starts_with('[') {
            return None;
        }
        let (domains, selector) = split_hiding(line)?;
        Some(HidingLine {
            list,
            number,
            line,
            domains,
            selector,
        })
    }
}

/// `line.trim()`, looking at its ends only when they may be white space.
fn trim(line: &str) -> &str {
    let may_be_space = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_whitespace() || b >= 0x80);
    let b = line.as_bytes();
    if may_be_space(b.first()) || may_be_space(b.last()) {
        line.trim()
    } else {
        line
    }
}

/// The rule id of a list: `list.` and its file stem, lower case, with
/// anything but letters, digits, `-` and `_` made `-`.
fn list_id(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("list.{}", if stem.is_empty() { "list" } else { &stem })
}

/// Our rules for element-hiding lines of `lists`, and the number skipped.
fn hiding_rules(lists: &[(String, String)], lines: &[HidingLine<'_>]) -> (Rules, usize) {
    let ids: Vec<String> = lists.iter().map(|(name, _)| list_id(name)).collect();
    // Conditions and parameters are shared: only a `:has-text` rule has any.
    let none = Arc::new(Conditions::default());
    let params = Arc::new(Params::default());
    let mut rules = Rules::with_capacity(lines.len());
    let mut skipped = 0;
    for h in lines {
        let Some((css, has_text)) = split_has_text(h.selector) else {
            skipped += 1;
            continue;
        };
        let Ok(selectors) = select::Target::parse(css) else {
            skipped += 1;
            continue;
        };
        let conditions = match has_text {
            None => Arc::clone(&none),
            Some(pattern) => Arc::new(Conditions {
                text: Some(TextCond {
                    matches: Vec::new(),
                    words: None,
                    max_chars: None,
                }),
                text_matches: vec![pattern],
                ..Conditions::default()
            }),
        };
        let list = ListCond {
            selector: h.selector.into(),
            specific: is_specific(h.domains),
        };
        rules.push(Rule::from_list(
            ids[h.list].clone(),
            list_line(&lists[h.list].0, h.number, h.line),
            Some(selectors),
            Some(list),
            conditions,
            Arc::clone(&params),
        ));
    }
    (rules, skipped)
}

/// How a list line is reported: `easylist.txt:1234: ##.ad`.
///
/// NOTE: built by hand rather than with `format!`, which cost 15% of
/// compiling EasyList's 24,000 hiding rules.
fn list_line(name: &str, number: usize, line: &str) -> String {
    let number = number.to_string();
    let mut s = String::with_capacity(name.len() + number.len() + line.len() + 3);
    s.push_str(name);
    s.push(':');
    s.push_str(&number);
    s.push_str(": ");
    s.push_str(line);
    s
}

/// The domains and the selector of an element-hiding rule (`##`, or ABP's
/// `#?#` for procedural ones); `None` for any other line: network rules,
/// comments, `#@#` exceptions (the engine applies them), scriptlets and
/// snippets (`##+js(…)`, `#$#`), HTML filters (`##^`).
///
/// NOTE: the engine parses the lists too; this only finds which of our
/// rules a line makes and by what selector string the engine knows it, so
/// that [`Page`] can ask it. Asking the crate's own `parse_filter` for
/// every line cost about 80 ms of start-up with EasyList and EasyPrivacy.
fn split_hiding(line: &str) -> Option<(&str, &str)> {
    if line.starts_with('!') || line.starts_with('[') {
        return None;
    }
    let at = line.find('#')?;
    let rest = &line[at..];
    let (domains, selector) = if let Some(sel) = rest.strip_prefix("##") {
        (&line[..at], sel)
    } else if let Some(sel) = rest.strip_prefix("#?#") {
        (&line[..at], sel)
    } else {
        return None;
    };
    let selector = selector.trim();
    // Domains are names, `~names` and `entity.*`, comma-separated.
    let is_domain_char =
        |c: char| c.is_alphanumeric() || matches!(c, '.' | '-' | '~' | ',' | '*' | '_');
    if selector.is_empty()
        || selector.starts_with("+js(")
        || selector.starts_with('^')
        || !domains.chars().all(is_domain_char)
    {
        return None;
    }
    Some((domains, selector))
}

/// Whether a rule's domains name a site it applies on (`example.com`,
/// `example.*`); a rule with none, or only `~` exclusions, is generic.
fn is_specific(domains: &str) -> bool {
    domains
        .split(',')
        .any(|d| !d.trim().is_empty() && !d.trim().starts_with('~'))
}

/// Splits a trailing procedural `:has-text(…)` or `:-abp-contains(…)` off
/// a selector, as the pattern of a text condition; `None` for other
/// procedural operators, which a static tree cannot answer the way a
/// browser's script does, and for a regex that does not parse.
fn split_has_text(selector: &str) -> Option<(&str, Option<Pattern>)> {
    let procedural = |(i, _): (usize, &str)| {
        let rest = &selector[i..];
        rest.starts_with(":has-text(") || rest.starts_with(":-abp-contains(")
    };
    if !selector.match_indices(':').any(procedural) {
        return Some((selector, None));
    }
    let at = [":has-text(", ":-abp-contains("]
        .iter()
        .filter_map(|p| selector.rfind(p).map(|i| (i, p.len())))
        .max();
    let Some((i, len)) = at else {
        return Some((selector, None));
    };
    let arg = selector[i + len..].strip_suffix(')')?;
    if !is_balanced(arg) {
        // `:has-text(a):upward(2)`: the last operator is not `:has-text`.
        return None;
    }
    let css = &selector[..i];
    if css.is_empty() || arg.is_empty() || css.contains(":has-text(") {
        return None;
    }
    let re = match arg.strip_prefix('/').and_then(|a| a.rsplit_once('/')) {
        Some((body, flags)) if flags.chars().all(|c| c == 'i') => {
            let case = if flags.is_empty() { "" } else { "(?i)" };
            Pattern::checked(&format!("{case}{body}")).ok()?
        }
        Some(_) => return None,
        None => Pattern::checked(&regex::escape(arg)).ok()?,
    };
    Some((css, Some(re)))
}

/// Whether the parentheses of `s` (backslash escapes aside) close in order.
fn is_balanced(s: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// Reads a list file as its name and text.
pub(crate) fn read(path: &Path) -> Result<(String, String), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(ErrorKind::Io, format!("cannot read filter list: {e}"))
            .with_path(path)
            .with_source(e)
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into(),
    );
    Ok((name, text))
}

/// The first line of a cache file: the format, the engine's version and
/// the lists' hash. A serialized engine is tied to the crate's version, so
/// a cache is rebuilt, not trusted, when anything changed.
fn cache_key(lists: &[(String, String)]) -> String {
    // FNV-1a over 8-byte words (stable across Rust versions, unlike
    // `DefaultHasher`), each list's length closing it.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |w: u64| {
        h ^= w;
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for (_, text) in lists {
        let words = text.as_bytes().chunks_exact(8);
        let rest = words.remainder();
        for w in words {
            mix(u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            mix(u64::from_le_bytes(b));
        }
        mix(text.len() as u64);
    }
    format!(
        "articlean-filter-cache 3 adblock-0.13.5 {ENGINES} {} {h:016x} {}\n",
        env!("CARGO_PKG_VERSION"),
        lists.len()
    )
}

/// The serialized engines of a cache file that holds these lists, or
/// `None` (no file, other lists, another version: the cache is rebuilt).
fn read_cache(path: &Path, key: &str) -> Option<Vec<u8>> {
    let bytes = std::fs::read(path).ok()?;
    bytes.starts_with(key.as_bytes()).then_some(bytes)
}

/// The engines of a cache file's bytes, after its key: each is its length
/// (8 bytes, little-endian) and its serialization.
fn load_cache(bytes: &[u8]) -> Option<Vec<adblock::Engine>> {
    let mut rest = bytes;
    let mut engines = Vec::with_capacity(ENGINES);
    for _ in 0..ENGINES {
        let (len, body) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let body = body.get(..len)?;
        let mut engine = adblock::Engine::default();
        engine.deserialize(body).ok()?;
        engines.push(engine);
        rest = &rest[8 + len..];
    }
    rest.is_empty().then_some(engines)
}

/// Writes the cache through a temporary file renamed into place, so that
/// processes starting together never read half a cache.
fn write_cache(path: &Path, key: &str, engines: &[adblock::Engine]) -> Result<(), Error> {
    let mut bytes = key.as_bytes().to_vec();
    for e in engines {
        let body = e.serialize();
        bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&body);
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::new(ErrorKind::Io, format!("cannot write filter cache: {e}"))
                .with_path(path)
                .with_source(e)
        })
}

/// The lists' verdicts on one document; the page's element-hiding
/// resources are asked of the engine once, before the matching walk.
pub(crate) struct Page<'a> {
    lists: &'a FilterLists,
    url: Option<&'a Url>,
    resources: OnceCell<UrlSpecificResources>,
}

impl<'a> Page<'a> {
    pub(crate) fn new(lists: &'a FilterLists, url: Option<&'a Url>) -> Page<'a> {
        Page {
            lists,
            url,
            resources: OnceCell::new(),
        }
    }
}

impl Lists for Page<'_> {
    fn hiding(&self) -> Option<Hiding<'_>> {
        let url = self.url?;
        let r = self
            .resources
            .get_or_init(|| self.lists.engines[0].url_cosmetic_resources(url.as_str()));
        Some(Hiding {
            selectors: &r.hide_selectors,
            exceptions: &r.exceptions,
            generichide: r.generichide,
        })
    }

    fn check(&self, url: &str, kind: &str) -> Request {
        // A link is asked for its `$removeparam` rewrite alone.
        if kind == "document" && !self.lists.removeparam {
            return Request::default();
        }
        let source = self.url.map_or(url, Url::as_str);
        let Ok(req) = adblock::request::Request::new(url, source, kind, "GET") else {
            return Request::default();
        };
        let line = |d: &Option<adblock::sourcemap::FilterRuleDebugInfo>| {
            d.as_ref()
                .and_then(|d| d.raw_line.clone())
                .unwrap_or_default()
        };
        // Engine 0 holds the `$removeparam` rules; an `$important` rule
        // of any engine leaves the URL as it is, as one engine would.
        let mut blocked_by = None;
        let mut important = false;
        let mut rewritten = None;
        for (i, engine) in self.lists.engines.iter().enumerate() {
            let r = engine.check_network_request(&req);
            important |= r.important;
            if blocked_by.is_none() && r.should_block() {
                blocked_by = Some(line(&r.filter));
            }
            if i == 0 {
                rewritten = r.rewritten_url;
            }
        }
        Request {
            blocked_by,
            // NOTE: the engine does not say which `$removeparam` rule
            // rewrote a URL.
            rewritten: rewritten
                .filter(|_| !important)
                .map(|u| (u, "a $removeparam rule".to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_text_is_split_off() {
        let (css, t) = split_has_text("div.box:has-text(Sponsored)").unwrap();
        assert_eq!(css, "div.box");
        assert!(t.unwrap().is_match("Sponsored by X"));
        let (_, t) = split_has_text("p:-abp-contains(/^ad(vert)?$/i)").unwrap();
        assert!(t.unwrap().is_match("AD"));
        assert!(split_has_text("p:has-text(/(unclosed/)").is_none());
        assert!(split_has_text("div:has-text(a):upward(2)").is_none());
        assert_eq!(split_has_text(".ad").unwrap().0, ".ad");
        let (_, t) = split_has_text(r"p:has-text(/\(sponsored\)|(paid)/)").unwrap();
        assert!(t.unwrap().is_match("(sponsored)"));
    }

    #[test]
    fn hiding_rules_are_found() {
        assert_eq!(split_hiding("##.ad"), Some(("", ".ad")));
        assert_eq!(
            split_hiding("a.com,~b.a.com##div > .x"),
            Some(("a.com,~b.a.com", "div > .x"))
        );
        assert_eq!(
            split_hiding("a.com#?#p:has-text(Ad)"),
            Some(("a.com", "p:has-text(Ad)"))
        );
        assert_eq!(split_hiding("a.com#@#.ad"), None);
        assert_eq!(split_hiding("a.com##+js(nowebrtc)"), None);
        assert_eq!(split_hiding("||ads.example^$image"), None);
        assert_eq!(split_hiding("||x.example/#/##ads"), None);
        assert_eq!(split_hiding("! ##.comment"), None);
        assert!(is_specific("a.com,~b.a.com"));
        assert!(is_specific("example.*"));
        assert!(!is_specific("~b.a.com"));
        assert!(!is_specific(""));
    }

    /// The selectors found here are the engine's own, line by line, over
    /// the real lists when `ARTICLEAN_LISTS` names their folder.
    #[test]
    fn selectors_are_the_engines() {
        use adblock::filters::cosmetic::{CosmeticFilterMask, CosmeticFilterOperator};
        use adblock::lists::ParsedLine;
        let Some(dir) = std::env::var_os("ARTICLEAN_LISTS") else {
            return;
        };
        let mut differ = Vec::new();
        for name in ["easylist.txt", "easyprivacy.txt"] {
            let text = std::fs::read_to_string(Path::new(&dir).join(name)).unwrap();
            for line in text.lines().map(str::trim) {
                let ours = split_hiding(line);
                let theirs =
                    match adblock::lists::parse_filter(line, false, ParseOptions::default()) {
                        Ok(ParsedLine::Cosmetic(f))
                            if !f.mask.contains(CosmeticFilterMask::UNHIDE)
                                && !f.mask.contains(CosmeticFilterMask::SCRIPT_INJECT)
                                && f.action.is_none() =>
                        {
                            match f.selector.as_slice() {
                                [CosmeticFilterOperator::CssSelector(s)] => {
                                    Some((s.clone(), f.hostnames.is_some() || f.entities.is_some()))
                                }
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                let ours = ours.map(|(d, s)| (s.to_string(), is_specific(d)));
                if ours != theirs && theirs.is_some() {
                    differ.push(format!("{line}: {ours:?} vs {theirs:?}"));
                }
            }
        }
        assert!(
            differ.len() < 20,
            "{} differ: {:#?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }

    /// Every line goes where `engine_texts` says: blocking rules dealt in
    /// turn, exceptions and `$badfilter` to every engine, hiding and
    /// `$removeparam` rules to engine 0, generic hiding to us alone.
    #[test]
    fn lines_are_split_between_engines() {
        let lists = [(
            "l.txt".to_string(),
            "! comment\n##.generic\nsite.example##.specific\n||a.example^\n\
             ||b.example^$image\n@@||c.example^\n||d.example^$badfilter\n\
             ||e.example^$removeparam=utm_source\n  ||f.example^  \r\n"
                .to_string(),
        )];
        let texts = engine_texts(&lists);
        let lines = |i: usize| texts[i].lines().map(str::trim).collect::<Vec<_>>();
        // Two lines only engine 0 has and three to deal: one to engine 0,
        // two to engine 1, four lines each.
        assert_eq!(
            lines(0),
            [
                "site.example##.specific",
                "||a.example^",
                "@@||c.example^",
                "||d.example^$badfilter",
                "||e.example^$removeparam=utm_source",
            ]
        );
        assert_eq!(
            lines(1),
            [
                "||b.example^$image",
                "@@||c.example^",
                "||d.example^$badfilter",
                "||f.example^"
            ]
        );
        let hiding: Vec<_> = hiding_lines(&lists)
            .iter()
            .map(|h| (h.number, h.domains, h.selector))
            .collect();
        assert_eq!(
            hiding,
            [(2, "", ".generic"), (3, "site.example", ".specific")]
        );
    }

    /// `hiding_lines` finds what a walk over every line finds, over the
    /// real lists too when `ARTICLEAN_LISTS` names their folder.
    #[test]
    fn hiding_lines_are_every_lines_hiding_rules() {
        fn every_line(lists: &[(String, String)]) -> Vec<HidingLine<'_>> {
            let mut found = Vec::new();
            for (list, (_, text)) in lists.iter().enumerate() {
                for (n, line) in text.lines().enumerate() {
                    found.extend(HidingLine::new(list, n + 1, line.trim()));
                }
            }
            found
        }
        let lists = [(
            "l.txt".to_string(),
            "#\n! ##.comment\r\n##.a\r\n||x.example/#/\n\n  site.example##.b  \n##.c".to_string(),
        )];
        let found = hiding_lines(&lists);
        assert_eq!(found, every_line(&lists));
        assert_eq!(
            found.iter().map(|h| h.number).collect::<Vec<_>>(),
            [3, 6, 7]
        );
        let Some(dir) = std::env::var_os("ARTICLEAN_LISTS") else {
            return;
        };
        let lists: Vec<(String, String)> = ["easylist.txt", "easyprivacy.txt"]
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    std::fs::read_to_string(Path::new(&dir).join(n)).unwrap(),
                )
            })
            .collect();
        assert_eq!(hiding_lines(&lists), every_line(&lists));
    }

    /// A resource blocked by a rule in one engine is blocked whichever
    /// engine the rule went to, and an exception in the list spares it
    /// from every engine's rules.
    #[test]
    fn engines_give_one_engines_verdicts() {
        let list = "||ads.example^\n||track.example^\n||cdn.example/ad/\n||cdn.example/pixel/\n\
                    @@||cdn.example/ad/ok/\n@@||track.example/ok/\n";
        let compiled = compile(vec![("l.txt".to_string(), list.to_string())], None).unwrap();
        let lists = compiled.engines.finish().unwrap();
        let page_url = Url::parse("https://news.example/story").unwrap();
        let page = Page::new(&lists, Some(&page_url));
        let blocked = |url: &str| page.check(url, "image").blocked_by;
        assert_eq!(
            blocked("https://ads.example/x.png").as_deref(),
            Some("||ads.example^")
        );
        assert_eq!(
            blocked("https://track.example/p.gif").as_deref(),
            Some("||track.example^")
        );
        assert_eq!(
            blocked("https://cdn.example/pixel/1.gif").as_deref(),
            Some("||cdn.example/pixel/")
        );
        assert_eq!(blocked("https://cdn.example/ad/ok/1.png"), None);
        assert_eq!(blocked("https://track.example/ok/1.png"), None);
        assert_eq!(blocked("https://cdn.example/story.jpg"), None);
    }

    #[test]
    fn list_ids_are_greppable() {
        assert_eq!(list_id("easylist.txt"), "list.easylist");
        assert_eq!(list_id("My List.txt"), "list.my-list");
    }

    /// The engines are given no generic hiding rule (`engine_texts`), but a
    /// generic rule's exclusions still reach the page through it.
    #[test]
    fn a_generic_rule_with_exclusions_spares_the_excluded_sites() {
        let cleaner = crate::Cleaner::builder()
            .rules(Rules::default())
            .add_filter_list("l.txt", "##.banner\n~news.example##.promo\n")
            .build()
            .unwrap();
        let html = "<p>The council met on Tuesday and voted to rebuild the old bridge \
                    before the winter floods arrive in the valley.</p>\
                    <div class=promo>Offer</div><div class=banner>Banner</div>";
        let at = |url| cleaner.clean_with_url(html, url).unwrap().into_html();
        let excluded = at("https://news.example/story");
        assert!(excluded.contains("Offer"), "{excluded}");
        assert!(!excluded.contains("Banner"), "{excluded}");
        let elsewhere = at("https://other.example/story");
        assert!(!elsewhere.contains("Offer"), "{elsewhere}");
    }

    #[test]
    fn lists_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FilterLists>();
    }
}
