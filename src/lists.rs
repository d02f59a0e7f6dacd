//! Filter lists in Adblock Plus syntax (EasyList, EasyPrivacy), applied
//! through Brave's `adblock` engine (feature `filter-lists`).
//!
//! The engine is compiled once per [`crate::Cleaner`]. Its element-hiding
//! rules are also compiled into our own rules (one rule per list line, id
//! `list.<name>`), filed in the selector index with the built-in ones, so
//! thousands of selectors cost one walk; per document, the engine says which
//! of them apply on the page (its domain rules, `#@#` exceptions and
//! `$generichide`, through [`Page`]). Network rules are asked per resource
//! URL by `passes::network`.

use std::cell::OnceCell;
use std::path::Path;

use adblock::cosmetic_filter_cache::UrlSpecificResources;
use adblock::lists::{FilterSet, ParseOptions};
use regex::Regex;
use url::Url;

use crate::error::{Error, ErrorKind};
use crate::rules::matching::{Hiding, Lists, Request};
use crate::rules::select;
use crate::rules::{Conditions, ListCond, Rule, Rules, TextCond};

/// The id of the rule that network-blocked elements are reported under.
pub(crate) const NETWORK_RULE: &str = "list.network";

/// The compiled lists a cleaner holds.
pub(crate) struct FilterLists {
    engine: adblock::Engine,
}

/// What compiling the lists gave: the engine, our rules for its
/// element hiding, and how many of its rules we cannot apply.
pub(crate) struct Compiled {
    pub(crate) lists: FilterLists,
    pub(crate) rules: Rules,
    /// Element-hiding rules skipped: selectors our engine does not parse,
    /// procedural operators other than a trailing `:has-text`.
    pub(crate) skipped: usize,
}

/// Compiles `lists` (name, text); with `cache`, the engine is loaded from
/// it when it was built from the same lists by the same engine version,
/// and written to it otherwise.
pub(crate) fn compile(lists: &[(String, String)], cache: Option<&Path>) -> Result<Compiled, Error> {
    // The engine and our element-hiding rules are built side by side: each
    // is about half of the start-up with EasyList and EasyPrivacy.
    let (engine, (rules, skipped)) = std::thread::scope(|s| {
        let engine = s.spawn(|| engine(lists, cache));
        let hiding = hiding_rules(lists);
        let engine = engine.join().expect("the engine's thread does not panic");
        (engine, hiding)
    });
    Ok(Compiled {
        lists: FilterLists { engine: engine? },
        rules,
        skipped,
    })
}

/// The engine: from the cache when it holds these lists, compiled (and
/// the cache written) otherwise.
fn engine(lists: &[(String, String)], cache: Option<&Path>) -> Result<adblock::Engine, Error> {
    let key = cache_key(lists);
    if let Some(e) = cache.and_then(|path| load_cache(path, &key)) {
        return Ok(e);
    }
    let mut set = FilterSet::new(true);
    for (_, text) in lists {
        set.add_filter_list(engine_lines(text), ParseOptions::default());
    }
    let e = adblock::Engine::new_with_filter_set(set);
    if let Some(path) = cache {
        write_cache(path, &key, &e)?;
    }
    Ok(e)
}

/// The lines of a list the engine needs: all but the generic
/// element-hiding rules (`##sel` with no domain), which our own rules
/// apply ([`hiding_rules`]); the engine is asked only for a page's domain
/// rules, its `#@#` exceptions and `$generichide` ([`Page`]), never for
/// generic selectors. A generic rule with exclusions (`~site##sel`) stays:
/// the engine turns its exclusions into the page's exceptions.
///
/// NOTE: about a fifth of the engine's compile time with EasyList and
/// EasyPrivacy was parsing and filing generic hiding rules it never used.
fn engine_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("##") || t.starts_with("#?#") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
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

/// Our rules for the lists' element-hiding rules, and the number skipped.
fn hiding_rules(lists: &[(String, String)]) -> (Rules, usize) {
    let mut rules = Rules::default();
    let mut skipped = 0;
    for (name, text) in lists {
        let id = list_id(name);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let Some((domains, selector)) = split_hiding(line) else {
                continue;
            };
            let Some((css, text_cond)) = split_has_text(selector) else {
                skipped += 1;
                continue;
            };
            let Ok(list) = select::parse(css) else {
                skipped += 1;
                continue;
            };
            let conditions = Conditions {
                list: Some(ListCond {
                    selector: selector.into(),
                    specific: is_specific(domains),
                }),
                text: text_cond,
                ..Conditions::default()
            };
            rules.push(Rule::from_list(
                id.clone(),
                list_line(name, n + 1, line),
                Some(list),
                conditions,
            ));
        }
    }
    rules.push(Rule::from_list(
        NETWORK_RULE.to_string(),
        "a filter list's network rule blocks the element's resource".to_string(),
        None,
        Conditions::default(),
    ));
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
/// a selector, as a text condition; `None` for other procedural operators,
/// which a static tree cannot answer the way a browser's script does.
fn split_has_text(selector: &str) -> Option<(&str, Option<TextCond>)> {
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
            Regex::new(&format!("{case}{body}")).ok()?
        }
        Some(_) => return None,
        None => Regex::new(&regex::escape(arg)).ok()?,
    };
    Some((
        css,
        Some(TextCond {
            matches: vec![re],
            words: None,
            max_chars: None,
        }),
    ))
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
        let words = text.as_bytes().chunks(8);
        for w in words {
            let mut b = [0u8; 8];
            b[..w.len()].copy_from_slice(w);
            mix(u64::from_le_bytes(b));
        }
        mix(text.len() as u64);
    }
    format!(
        "articlean-filter-cache 2 adblock-0.13.5 {} {h:016x} {}\n",
        env!("CARGO_PKG_VERSION"),
        lists.len()
    )
}

fn load_cache(path: &Path, key: &str) -> Option<adblock::Engine> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(key.as_bytes())?;
    let mut engine = adblock::Engine::default();
    engine.deserialize(body).ok()?;
    Some(engine)
}

/// Writes the cache through a temporary file renamed into place, so that
/// processes starting together never read half a cache.
fn write_cache(path: &Path, key: &str, engine: &adblock::Engine) -> Result<(), Error> {
    let mut bytes = key.as_bytes().to_vec();
    bytes.extend_from_slice(&engine.serialize());
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
            .get_or_init(|| self.lists.engine.url_cosmetic_resources(url.as_str()));
        Some(Hiding {
            selectors: &r.hide_selectors,
            exceptions: &r.exceptions,
            generichide: r.generichide,
        })
    }

    fn check(&self, url: &str, kind: &str) -> Request {
        let source = self.url.map_or(url, Url::as_str);
        let Ok(req) = adblock::request::Request::new(url, source, kind, "GET") else {
            return Request::default();
        };
        let r = self.lists.engine.check_network_request(&req);
        let line = |d: &Option<adblock::sourcemap::FilterRuleDebugInfo>| {
            d.as_ref()
                .and_then(|d| d.raw_line.clone())
                .unwrap_or_default()
        };
        Request {
            blocked_by: r.should_block().then(|| line(&r.filter)),
            // NOTE: the engine does not say which `$removeparam` rule
            // rewrote a URL.
            rewritten: r
                .rewritten_url
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
        assert!(t.unwrap().matches[0].is_match("Sponsored by X"));
        let (_, t) = split_has_text("p:-abp-contains(/^ad(vert)?$/i)").unwrap();
        assert!(t.unwrap().matches[0].is_match("AD"));
        assert!(split_has_text("div:has-text(a):upward(2)").is_none());
        assert_eq!(split_has_text(".ad").unwrap().0, ".ad");
        let (_, t) = split_has_text(r"p:has-text(/\(sponsored\)|(paid)/)").unwrap();
        assert!(t.unwrap().matches[0].is_match("(sponsored)"));
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

    #[test]
    fn list_ids_are_greppable() {
        assert_eq!(list_id("easylist.txt"), "list.easylist");
        assert_eq!(list_id("My List.txt"), "list.my-list");
    }

    /// The engine is given no generic hiding rule (`engine_lines`), but a
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
        assert!(
            engine_lines("##.a\nsite##.b\n~site##.c\n#@#.d\n||ads.example^\n")
                .lines()
                .eq(["site##.b", "~site##.c", "#@#.d", "||ads.example^"])
        );
    }

    #[test]
    fn lists_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FilterLists>();
    }
}
