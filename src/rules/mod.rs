//! Rules are data: a TOML format, its strict loader, and the compiled form the
//! passes use. The built-in set (`default_rules.toml`) goes through the same
//! loader as a user's file.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::error::{Error, ErrorKind};
pub(crate) use pattern::{AnyOf, Pattern};

mod load;
pub(crate) mod matching;
pub(crate) mod pattern;
pub(crate) mod select;

const BUILTIN: &str = include_str!("../default_rules.toml");

/// What a rule does to what it matches.
///
/// Every action is documented with an example rule in the README's rules
/// section; the passes apply them in this order: removals first, so that the
/// later passes see less.
///
/// # Examples
///
/// ```
/// use articlean::{Action, Rules};
///
/// let rules = Rules::from_toml(r#"
/// [[rule]]
/// id = "ads.slot"
/// select = "div[id^='div-gpt-ad']"
/// action = "remove"
/// "#).unwrap();
/// assert_eq!(rules.iter().next().unwrap().action(), Action::Remove);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Removes the element with everything inside it.
    ///
    /// `action = "remove"`
    Remove,
    /// Replaces the element by its children, keeping its text.
    ///
    /// `action = "unwrap"`
    Unwrap,
    /// Removes attributes named in `attrs` (a trailing `*` matches a prefix).
    ///
    /// `action = "remove_attrs"`, `attrs = ["pinger-seen", "data-gtm-*"]`
    RemoveAttrs,
    /// Sets attribute `attr` to `value`.
    ///
    /// `action = "set_attr"`, `attr = "alt"`, `value = ""`
    SetAttr,
    /// Strips query parameters named in `params` (a trailing `*` matches a
    /// prefix) from every URL attribute of the element.
    ///
    /// `action = "strip_params"`, `params = ["utm_*", "fbclid"]`
    StripParams,
    /// Gives a lazy-loaded image its real `src` from the first usable attribute
    /// in `sources` (or its `<noscript>` fallback), and drops images left
    /// without one when `drop_unresolved` is set.
    ///
    /// `action = "resolve_lazy"`, `sources = ["data-src", "data-srcset"]`
    ResolveLazy,
    /// Removes a matched element that removals left without content.
    ///
    /// `action = "drop_empty"`
    DropEmpty,
    /// Removes HTML comments; takes no selector.
    ///
    /// `action = "remove_comments"`
    RemoveComments,
}

impl Action {
    fn from_name(name: &str) -> Option<Action> {
        Some(match name {
            "remove" => Action::Remove,
            "unwrap" => Action::Unwrap,
            "remove_attrs" => Action::RemoveAttrs,
            "set_attr" => Action::SetAttr,
            "strip_params" => Action::StripParams,
            "resolve_lazy" => Action::ResolveLazy,
            "drop_empty" => Action::DropEmpty,
            "remove_comments" => Action::RemoveComments,
            _ => return None,
        })
    }

    /// The name used in rule files and reports.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(articlean::Action::StripParams.name(), "strip_params");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Action::Remove => "remove",
            Action::Unwrap => "unwrap",
            Action::RemoveAttrs => "remove_attrs",
            Action::SetAttr => "set_attr",
            Action::StripParams => "strip_params",
            Action::ResolveLazy => "resolve_lazy",
            Action::DropEmpty => "drop_empty",
            Action::RemoveComments => "remove_comments",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------
// The compiled form.

/// A name list where a trailing `*` makes an entry a prefix.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameSet {
    exact: HashSet<String>,
    prefixes: Vec<String>,
}

impl NameSet {
    fn new(names: &[String]) -> NameSet {
        let mut set = NameSet::default();
        for n in names {
            let n = n.to_ascii_lowercase();
            match n.strip_suffix('*') {
                Some(p) => set.prefixes.push(p.to_string()),
                None => {
                    set.exact.insert(n);
                }
            }
        }
        set
    }

    /// Whether `name` (compared ASCII case-insensitively) is in the set.
    pub(crate) fn contains(&self, name: &str) -> bool {
        let lower;
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = name.to_ascii_lowercase();
            &lower
        } else {
            name
        };
        self.exact.contains(name) || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }
}

/// A URL condition: any of the element's URL attributes matches any criterion.
#[derive(Debug, Clone)]
pub(crate) struct UrlCond {
    pub(crate) attrs: Option<Vec<String>>,
    pub(crate) hosts: rustc_hash::FxHashSet<String>,
    pub(crate) host_patterns: AnyOf,
    pub(crate) path_patterns: AnyOf,
    pub(crate) query_keys: NameSet,
    /// Matched against the whole URL, as written.
    pub(crate) patterns: AnyOf,
    /// The URL is the page itself (or an anchor in it).
    pub(crate) same_page: bool,
}

/// A token condition: some whitespace-separated token of one of `attrs`
/// matches `matches` as a whole and does not match `except`.
#[derive(Debug, Clone)]
pub(crate) struct TokensCond {
    pub(crate) attrs: Vec<String>,
    pub(crate) matches: Pattern,
    pub(crate) except: Option<Pattern>,
}

/// A text condition: the element's text (at most `max_chars` characters)
/// matches one of `matches` (or of the rule's [`Conditions::text_matches`]),
/// or is made of `words`.
#[derive(Debug, Clone)]
pub(crate) struct TextCond {
    pub(crate) matches: Vec<Regex>,
    pub(crate) words: Option<Words>,
    pub(crate) max_chars: Option<usize>,
}

/// A vocabulary: text made of these words, with at least one of `keys`
/// and at most `others` words from neither list. Words are runs of letters
/// and digits, compared in lower case; an entry may be a phrase of several
/// (`"sign up"`, `"lettre d information"`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Words {
    pub(crate) keys: HashSet<String>,
    pub(crate) also: HashSet<String>,
    pub(crate) others: usize,
    /// Words in the longest entry.
    pub(crate) longest: usize,
}

impl Words {
    pub(crate) fn new(keys: &[String], also: &[String], others: usize) -> Words {
        let norm = |list: &[String]| -> HashSet<String> {
            list.iter()
                .map(|e| words_of(e).collect::<Vec<_>>().join(" "))
                .filter(|e| !e.is_empty())
                .collect()
        };
        let (keys, also) = (norm(keys), norm(also));
        let longest = keys
            .iter()
            .chain(&also)
            .map(|e| e.split(' ').count())
            .max()
            .unwrap_or(0);
        Words {
            keys,
            also,
            others,
            longest,
        }
    }

    /// Whether `text` is made of the vocabulary. Each word starts the
    /// longest entry that begins there, or counts as another word.
    pub(crate) fn hold(&self, text: &str) -> bool {
        let words: Vec<String> = words_of(text).collect();
        let (mut i, mut others, mut key) = (0, 0, false);
        while i < words.len() {
            let found = (1..=self.longest.min(words.len() - i)).rev().find_map(|n| {
                let phrase = words[i..i + n].join(" ");
                if self.keys.contains(&phrase) {
                    Some((n, true))
                } else if self.also.contains(&phrase) {
                    Some((n, false))
                } else {
                    None
                }
            });
            match found {
                Some((n, is_key)) => {
                    key |= is_key;
                    i += n;
                }
                None => {
                    others += 1;
                    if others > self.others {
                        return false;
                    }
                    i += 1;
                }
            }
        }
        key
    }
}

/// The words of `text`: runs of letters and digits, in lower case.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A filter list's element-hiding rule: whether it applies on a page (its
/// domains, the page's `#@#` exceptions and `$generichide`) is the
/// engine's answer, asked once per document before the matching walk
/// (`matching::Engine::enabled`), so rules for other sites are never tested.
#[derive(Debug, Clone)]
pub(crate) struct ListCond {
    /// The selector as the list writes it, as the engine knows it.
    pub(crate) selector: Box<str>,
    /// Whether the rule names domains (`example.com##.ad`).
    pub(crate) specific: bool,
}

/// What must hold besides the selector.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    pub(crate) url: Option<UrlCond>,
    pub(crate) text: Option<TextCond>,
    /// The `text` condition's `matches` of a rule file, compiled on first
    /// use; `TextCond::matches` holds a filter list's `:has-text`.
    pub(crate) text_matches: Vec<Pattern>,
    pub(crate) max_size: Option<u32>,
    pub(crate) hidden: Option<bool>,
    pub(crate) tokens: Option<TokensCond>,
    /// Whether the element must (`true`) or must not (`false`) stand in
    /// running text: see `matching::in_running_text`.
    pub(crate) in_text: Option<bool>,
}

/// Action parameters, checked against the action when loading.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params {
    pub(crate) attrs: NameSet,
    pub(crate) set: Option<(String, String)>,
    pub(crate) params: NameSet,
    pub(crate) sources: Vec<String>,
    pub(crate) placeholder: Option<Pattern>,
    pub(crate) drop_unresolved: bool,
}

/// One rule: a stable id, what it selects and what it does.
///
/// # Examples
///
/// ```
/// let rules = articlean::Rules::builtin();
/// let rule = rules.iter().find(|r| r.id() == "params.utm").unwrap();
/// assert_eq!(rule.action(), articlean::Action::StripParams);
/// assert!(!rule.description().is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Rule {
    id: String,
    description: String,
    action: Action,
    strict: bool,
    /// Whether the content veto counts the images this rule removes
    /// (`veto = "text"` in a rule file says it does not).
    pub(crate) veto_images: bool,
    enabled: bool,
    pub(crate) selector: Option<select::Target>,
    /// A filter list's rule: the key its page verdict is asked by, taken
    /// by the rule index when it is built.
    pub(crate) list: Option<ListCond>,
    // NOTE: conditions and parameters are shared, not owned: a filter
    // list's 23,000 rules, most with none, made an 800-byte `Rule` and
    // 19 MB of rules that start-up copied and faulted in several times.
    pub(crate) conditions: Arc<Conditions>,
    pub(crate) params: Arc<Params>,
}

impl Rule {
    /// The rule's stable id, as in reports and `--explain`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(articlean::Rules::builtin().iter().any(|r| r.id() == "lazy.images"));
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What the rule is for, from its `description`.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = articlean::Rules::builtin();
    /// assert!(rules.iter().all(|r| !r.description().is_empty()));
    /// ```
    pub fn description(&self) -> &str {
        &self.description
    }

    /// What the rule does.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = articlean::Rules::builtin();
    /// let r = rules.iter().find(|r| r.id() == "comments.all").unwrap();
    /// assert_eq!(r.action(), articlean::Action::RemoveComments);
    /// ```
    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether the rule may remove article-sized text (the content veto does
    /// not apply to strict rules).
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"x.y\"\nselect = \"p\"\naction = \"remove\"\nstrict = true\n",
    /// ).unwrap();
    /// assert!(rules.iter().next().unwrap().is_strict());
    /// ```
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Whether the rule applies unless enabled by name: a rule file can ship
    /// opt-in rules with `enabled = false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"x.y\"\nselect = \"nav\"\naction = \"remove\"\nenabled = false\n",
    /// ).unwrap();
    /// assert!(!rules.iter().next().unwrap().is_enabled());
    /// ```
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// A rule compiled from a filter list: `line` (the list's name, line
    /// number and text) is its description and what reports show; removals
    /// go through the content veto, counting images only for element
    /// hiding (a network rule's verdict is an ad server's URL).
    #[cfg(feature = "filter-lists")]
    pub(crate) fn from_list(
        id: String,
        line: String,
        selector: Option<select::Target>,
        list: Option<ListCond>,
        conditions: Arc<Conditions>,
        params: Arc<Params>,
    ) -> Rule {
        Rule {
            id,
            description: line,
            action: Action::Remove,
            strict: false,
            veto_images: selector.is_some(),
            enabled: true,
            selector,
            list,
            conditions,
            params,
        }
    }

    /// The filter-list line behind a rule from a list.
    pub(crate) fn list_line(&self) -> Option<&str> {
        self.in_group("list").then_some(self.description.as_str())
    }

    /// Whether the rule's id is `prefix` or starts with `prefix.`.
    pub(crate) fn in_group(&self, prefix: &str) -> bool {
        let prefix = prefix.trim_end_matches('.');
        self.id == prefix
            || (self.id.len() > prefix.len()
                && self.id.starts_with(prefix)
                && self.id.as_bytes()[prefix.len()] == b'.')
    }
}

/// Settings a rule file may give, applied by the sanitizer.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Settings {
    pub(crate) referrer_policy: Option<String>,
    pub(crate) link_rel: Option<String>,
}

/// A rule's place in its [`Rules`], as the index and the matches hold it:
/// a dense page has a match or two per element, held for the whole run,
/// and a `u32` halves each.
pub(crate) type RuleIx = u32;

/// A set of rules, from the built-in set or a TOML file.
///
/// # Examples
///
/// ```
/// use articlean::Rules;
///
/// let rules = Rules::from_toml(r#"
/// [[rule]]
/// id = "site.related"
/// description = "The related-stories box of one site"
/// select = "aside.related"
/// action = "remove"
/// "#)?;
/// assert_eq!(rules.len(), 1);
/// # Ok::<(), articlean::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    pub(crate) settings: Settings,
}

impl Rules {
    /// The built-in rule set: ads, trackers, subscription promotions, social
    /// widgets, lazy images, referrer policy, tracking parameters, empties and
    /// comments.
    ///
    /// # Examples
    ///
    /// ```
    /// let rules = articlean::Rules::builtin();
    /// assert!(rules.iter().any(|r| r.id().starts_with("ads.")));
    /// ```
    pub fn builtin() -> Rules {
        // Compiling the rules' regexes and selectors is most of the cost of
        // building a cleaner; the built-in set is compiled once per process.
        static BUILTIN_RULES: OnceLock<Rules> = OnceLock::new();
        BUILTIN_RULES
            .get_or_init(|| {
                Rules::load(BUILTIN, load::Compile::OnUse)
                    .expect("the built-in rules are valid (a test checks)")
            })
            .clone()
    }

    /// Loads rules from TOML text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Rules`] when the text is not valid TOML, has an unknown key,
    /// or a rule is wrong; the message names the rule and its line.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = articlean::Rules::from_toml(
    ///     "[[rule]]\nid = \"ads.x\"\nselect = \"a:hover\"\naction = \"remove\"\n",
    /// ).unwrap_err();
    /// assert!(err.to_string().starts_with("rule \"ads.x\" (line 1): unsupported pseudo-class \":hover\""));
    /// ```
    pub fn from_toml(text: &str) -> Result<Rules, Error> {
        Rules::load(text, load::Compile::Now)
    }

    /// Loads rules from a TOML file.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read, [`ErrorKind::Rules`] as
    /// for [`Rules::from_toml`]; the error carries the path.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let rules = articlean::Rules::from_path("my-site.toml")?;
    /// # Ok::<(), articlean::Error>(())
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Rules, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::Io, format!("cannot read rules: {e}"))
                .with_path(path)
                .with_source(e)
        })?;
        Rules::from_toml(&text).map_err(|e| e.with_path(path))
    }

    /// Rules from TOML text; a rule file's regexes compile now, so that a
    /// bad one fails here, the built-in set's when a document needs them.
    fn load(text: &str, compile: load::Compile) -> Result<Rules, Error> {
        let (rules, settings) = load::parse(text, compile)?;
        Ok(Rules { rules, settings })
    }

    /// Number of rules.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(articlean::Rules::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(articlean::Rules::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules, in file order.
    ///
    /// # Examples
    ///
    /// ```
    /// for rule in articlean::Rules::builtin().iter() {
    ///     assert!(rule.id().contains('.'));
    /// }
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter()
    }

    /// Adds the rules of `other`; a rule with the id of an existing one
    /// replaces it, and settings `other` gives replace ours.
    pub(crate) fn extend(&mut self, other: Rules) {
        let mut at: std::collections::HashMap<String, usize> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        for r in other.rules {
            match at.get(&r.id) {
                Some(&i) => self.rules[i] = r,
                None => {
                    at.insert(r.id.clone(), self.rules.len());
                    self.rules.push(r);
                }
            }
        }
        if other.settings.referrer_policy.is_some() {
            self.settings.referrer_policy = other.settings.referrer_policy;
        }
        if other.settings.link_rel.is_some() {
            self.settings.link_rel = other.settings.link_rel;
        }
    }

    /// No rules, with room for `n`.
    #[cfg(feature = "filter-lists")]
    pub(crate) fn with_capacity(n: usize) -> Rules {
        Rules {
            rules: Vec::with_capacity(n),
            settings: Settings::default(),
        }
    }

    /// Adds a rule, even one whose id another has: a filter list's rules
    /// share their list's id.
    #[cfg(feature = "filter-lists")]
    pub(crate) fn push(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    /// Adds every rule of `other` after ours, ids shared or not.
    #[cfg(feature = "filter-lists")]
    pub(crate) fn append(&mut self, other: Rules) {
        self.rules.extend(other.rules);
    }

    /// Keeps the rules for which `keep` holds.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep);
    }

    pub(crate) fn get(&self, i: RuleIx) -> &Rule {
        &self.rules[i as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        // Compiling every regex now proves that each lazy one compiles.
        let rules = Rules::load(BUILTIN, load::Compile::Now).unwrap();
        assert!(rules.len() > 10);
        for r in rules.iter() {
            assert!(!r.description().is_empty(), "{} has no description", r.id());
            assert!(r.id().contains('.'), "{} is not in a group", r.id());
        }
    }

    #[test]
    fn groups_match_whole_segments() {
        let r = Rules::from_toml(
            "[[rule]]\nid = \"social.share\"\nselect = \"p\"\naction = \"remove\"\n",
        )
        .unwrap();
        let r = r.get(0);
        assert!(r.in_group("social"));
        assert!(r.in_group("social.share"));
        assert!(!r.in_group("soc"));
    }

    #[test]
    fn name_sets_take_prefixes() {
        let s = NameSet::new(&["utm_*".into(), "fbclid".into()]);
        assert!(s.contains("utm_source"));
        assert!(s.contains("UTM_Source"));
        assert!(s.contains("fbclid"));
        assert!(!s.contains("fbclid2"));
    }

    #[test]
    fn subscription_links_share_their_vocabularies() {
        // A link is a whole item or it stands in running text: the rule that
        // removes the one and the rule that unwraps the other must judge the
        // same destinations and words, or a link would escape both.
        let rules = Rules::builtin();
        let get = |id: &str| rules.iter().find(|r| r.id() == id).expect("built-in rule");
        let (a, b) = (get("subscribe.links"), get("subscribe.inline-links"));
        assert_eq!(a.conditions.in_text, Some(false));
        assert_eq!(b.conditions.in_text, Some(true));
        let pats = |r: &Rule| {
            let u = r.conditions.url.as_ref().expect("a url condition");
            let t = r.conditions.text.as_ref().expect("a text condition");
            let strs = |v: &[Pattern]| v.iter().map(|x| x.as_str().to_string()).collect::<Vec<_>>();
            (
                strs(u.host_patterns.parts()),
                strs(u.path_patterns.parts()),
                strs(&r.conditions.text_matches),
                t.max_chars,
            )
        };
        assert_eq!(pats(a), pats(b));
        let words = |r: &Rule| {
            let w = r.conditions.text.as_ref().and_then(|t| t.words.clone());
            w.map(|w| (w.keys, w.also, w.others))
        };
        assert_eq!(words(a), words(b));
    }

    #[test]
    fn words_need_a_key_and_few_others() {
        let s = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let w = Words::new(
            &s(&["subscribe", "newsletter", "sign up", "s'abonner"]),
            &s(&["now", "to", "our", "the"]),
            1,
        );
        assert!(w.hold("Subscribe"));
        assert!(w.hold("SIGN UP NOW"));
        assert!(w.hold("  Subscribe to The Atlantic! "));
        assert!(w.hold("SFGate Newsletter"));
        assert!(w.hold("S’abonner"));
        assert!(!w.hold("Sign"), "a phrase counts only whole");
        assert!(!w.hold("now"), "no key");
        assert!(!w.hold(""));
        assert!(!w.hold("Subscribe to The New Yorker"), "two other words");
        assert!(!w.hold("Netflix subscription prices rise"));
    }

    #[test]
    fn later_rules_replace_by_id() {
        let mut a =
            Rules::from_toml("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"remove\"\n")
                .unwrap();
        let b = Rules::from_toml("[[rule]]\nid = \"a.b\"\nselect = \"p\"\naction = \"unwrap\"\n")
            .unwrap();
        a.extend(b);
        assert_eq!(a.len(), 1);
        assert_eq!(a.get(0).action(), Action::Unwrap);
    }
}
