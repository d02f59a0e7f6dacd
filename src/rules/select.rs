//! CSS selectors: parsed and matched by the `selectors` crate (the engine of
//! Servo and `scraper`) through one [`selectors::Element`] implementation over
//! our DOM node, plus the rule hash that lets an element test only the rules
//! that could match it.
//!
//! NOTE: over 800 lines with its tests (the last 130): the `Element`
//! implementation and the index are one piece, read best whole.

use rustc_hash::FxHashMap;
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use cssparser::{ParseError, ParseErrorKind, ToCss};
use precomputed_hash::PrecomputedHash;
use selectors::attr::ParsedAttrSelectorOperation;
use selectors::attr::{AttrSelectorOperation, CaseSensitivity, NamespaceConstraint};
use selectors::context::{
    MatchingContext, MatchingForInvalidation, MatchingMode, NeedsSelectorFlags, QuirksMode,
    SelectorCaches,
};
use selectors::matching::{matches_selector, ElementSelectorFlags};
use selectors::parser::{Component, ParseRelative, Selector, SelectorParseErrorKind};
use selectors::{OpaqueElement, SelectorList};

use super::RuleIx;
use crate::dom::{Dom, Element, NodeData, NodeId, Ns};

/// Our [`selectors::SelectorImpl`]: plain strings with a precomputed hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Impl;

/// A string as the selector engine wants it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct CssString {
    s: Box<str>,
    hash: u32,
}

impl CssString {
    fn new(s: &str) -> CssString {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        s.hash(&mut h);
        CssString {
            s: s.into(),
            hash: h.finish() as u32,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.s
    }
}

impl<'a> From<&'a str> for CssString {
    fn from(s: &'a str) -> CssString {
        CssString::new(s)
    }
}

impl AsRef<str> for CssString {
    fn as_ref(&self) -> &str {
        &self.s
    }
}

impl Borrow<str> for CssString {
    fn borrow(&self) -> &str {
        &self.s
    }
}

impl PrecomputedHash for CssString {
    fn precomputed_hash(&self) -> u32 {
        self.hash
    }
}

impl ToCss for CssString {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        cssparser::serialize_identifier(&self.s, dest)
    }
}

/// The pseudo-classes that mean something in a static document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PseudoClass {
    /// `:link` and `:any-link`: an `a` or `area` with an `href`.
    AnyLink,
    /// `:checked`: a checkbox or radio `input` with `checked`, an `option`
    /// with `selected`.
    Checked,
    /// `:disabled` and `:enabled`: only form controls can be either (see
    /// [`is_disabled`]).
    Disabled,
    Enabled,
}

impl ToCss for PseudoClass {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        dest.write_str(match self {
            PseudoClass::AnyLink => ":any-link",
            PseudoClass::Checked => ":checked",
            PseudoClass::Disabled => ":disabled",
            PseudoClass::Enabled => ":enabled",
        })
    }
}

impl selectors::parser::NonTSPseudoClass for PseudoClass {
    fn is_active_or_hover(&self) -> bool {
        false
    }
    fn is_user_action_state(&self) -> bool {
        false
    }
}

/// Pseudo-elements never match a document node, so there are none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PseudoElement {}

impl ToCss for PseudoElement {
    fn to_css<W: fmt::Write>(&self, _dest: &mut W) -> fmt::Result {
        match *self {}
    }
}

impl selectors::parser::PseudoElement for PseudoElement {}

impl selectors::SelectorImpl for Impl {
    type ExtraMatchingData<'a> = ();
    type AttrValue = CssString;
    type Identifier = CssString;
    type LocalName = CssString;
    type NamespaceUrl = CssString;
    type NamespacePrefix = CssString;
    type BorrowedNamespaceUrl = str;
    type BorrowedLocalName = str;
    type NonTSPseudoClass = PseudoClass;
    type PseudoElement = PseudoElement;
}

/// Why a selector did not parse.
#[derive(Debug)]
pub(crate) enum SelectorErrorKind {
    Syntax(SelectorParseErrorKind),
    Unsupported(String),
}

impl From<SelectorParseErrorKind> for SelectorErrorKind {
    fn from(k: SelectorParseErrorKind) -> Self {
        SelectorErrorKind::Syntax(k)
    }
}

/// A selector that did not parse: what and where (1-based, in the selector).
#[derive(Debug)]
pub(crate) struct SelectorError {
    pub(crate) message: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

struct RuleParser;

impl<'i> selectors::parser::Parser<'i> for RuleParser {
    type Impl = Impl;
    type Error = SelectorErrorKind;

    fn parse_nth_child_of(&self) -> bool {
        true
    }
    fn parse_is_and_where(&self) -> bool {
        true
    }
    fn parse_has(&self) -> bool {
        true
    }
    // A rule with one bad selector in a list must fail, not silently match less.
    fn allow_forgiving_selectors(&self) -> bool {
        false
    }

    fn parse_non_ts_pseudo_class(
        &self,
        name: &str,
    ) -> Result<PseudoClass, ParseError<SelectorErrorKind>> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "link" | "any-link" => PseudoClass::AnyLink,
            "checked" => PseudoClass::Checked,
            "disabled" => PseudoClass::Disabled,
            "enabled" => PseudoClass::Enabled,
            _ => {
                return Err(ParseError::custom(SelectorErrorKind::Unsupported(format!(
                    "unsupported pseudo-class \":{name}\" (a static document has no user state)"
                ))))
            }
        })
    }

    fn parse_pseudo_element(
        &self,
        name: &str,
    ) -> Result<PseudoElement, ParseError<SelectorErrorKind>> {
        Err(ParseError::custom(SelectorErrorKind::Unsupported(format!(
            "unsupported pseudo-element \"::{name}\" (rules select elements)"
        ))))
    }
}

/// What a rule selects: a parsed selector list, or a lone class or id
/// (`.ad`, `#banner`), which the selector index matches by itself. Six in
/// seven of EasyList's 23,000 hiding rules are a lone class or id: parsed
/// by the `selectors` crate, they were a third of a cleaner's start-up
/// with the list, and each still had to be tested on the elements the
/// index found for it, which can only match.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Css(SelectorList<Impl>),
    // Only filter lists make these (`Target::parse`).
    #[cfg_attr(not(feature = "filter-lists"), allow(dead_code))]
    Class(Box<str>),
    #[cfg_attr(not(feature = "filter-lists"), allow(dead_code))]
    Id(Box<str>),
}

impl Target {
    /// Reads `selector`: a lone class or id by hand, anything else (escapes,
    /// non-ASCII names, names starting with `-`) by [`parse`].
    ///
    /// # Errors
    ///
    /// As [`parse`].
    #[cfg_attr(not(feature = "filter-lists"), allow(dead_code))]
    pub(crate) fn parse(selector: &str) -> Result<Target, SelectorError> {
        let is_name = |name: &str| {
            let b = name.as_bytes();
            b.first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        };
        if let Some(name) = selector.strip_prefix('.').filter(|n| is_name(n)) {
            return Ok(Target::Class(name.into()));
        }
        if let Some(name) = selector.strip_prefix('#').filter(|n| is_name(n)) {
            return Ok(Target::Id(name.into()));
        }
        parse(selector).map(Target::Css)
    }
}

/// The matching context every selector of ours is matched in: an HTML
/// document in no-quirks mode, no invalidation, no flags.
pub(crate) fn context(caches: &mut SelectorCaches) -> MatchingContext<'_, Impl> {
    MatchingContext::new(
        MatchingMode::Normal,
        None,
        caches,
        QuirksMode::NoQuirks,
        NeedsSelectorFlags::No,
        MatchingForInvalidation::No,
    )
}

/// Parses a selector list.
pub(crate) fn parse(selector: &str) -> Result<SelectorList<Impl>, SelectorError> {
    let mut parser = cssparser::Parser::new(selector);
    SelectorList::parse(&RuleParser, &mut parser, ParseRelative::No).map_err(|e| {
        let message = match &e.kind {
            ParseErrorKind::Custom(SelectorErrorKind::Unsupported(m)) => m.clone(),
            ParseErrorKind::Custom(SelectorErrorKind::Syntax(k)) => {
                format!("invalid selector ({})", describe_syntax(k))
            }
            ParseErrorKind::Basic(b) => format!("invalid selector ({})", describe_basic(b)),
        };
        // Errors carry no position; the parser stops where it failed.
        let loc = parser.current_source_location();
        SelectorError {
            message,
            line: loc.line + 1,
            column: loc.column,
        }
    })
}

fn describe_syntax(k: &SelectorParseErrorKind) -> String {
    use SelectorParseErrorKind as K;
    match k {
        K::EmptySelector => "empty selector".into(),
        K::DanglingCombinator => "a combinator with nothing after it".into(),
        K::UnsupportedPseudoClassOrElement => "unsupported pseudo-class or pseudo-element".into(),
        K::UnexpectedTokenInAttributeSelector | K::BadValueInAttr => {
            "bad attribute selector".into()
        }
        K::ClassNeedsIdent => "a class needs a name".into(),
        other => format!("{other:?}"),
    }
}

fn describe_basic(b: &cssparser::BasicParseErrorKind) -> String {
    match b {
        cssparser::BasicParseErrorKind::UnexpectedToken => "unexpected token".into(),
        cssparser::BasicParseErrorKind::EndOfInput => "unexpected end".into(),
        other => format!("{other:?}"),
    }
}

/// An element of a [`Dom`], as the selector engine sees it.
#[derive(Clone, Copy)]
pub(crate) struct El<'a> {
    dom: &'a Dom,
    id: NodeId,
}

impl fmt::Debug for El<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "El({:?})", self.id)
    }
}

impl<'a> El<'a> {
    /// Wraps `id`, which must be an element.
    pub(crate) fn new(dom: &'a Dom, id: NodeId) -> Option<El<'a>> {
        dom.element(id).map(|_| El { dom, id })
    }

    fn elem(&self) -> &'a Element {
        self.dom
            .element(self.id)
            .expect("El always wraps an element")
    }

    fn wrap(&self, id: Option<NodeId>) -> Option<El<'a>> {
        id.and_then(|id| El::new(self.dom, id))
    }
}

fn ns_url(ns: Ns) -> &'static str {
    match ns {
        Ns::Html => "http://www.w3.org/1999/xhtml",
        Ns::Svg => "http://www.w3.org/2000/svg",
        Ns::MathMl => "http://www.w3.org/1998/Math/MathML",
        Ns::Other => "",
    }
}

impl selectors::Element for El<'_> {
    type Impl = Impl;

    fn opaque(&self) -> OpaqueElement {
        OpaqueElement::new(self.elem())
    }
    fn parent_element(&self) -> Option<Self> {
        self.wrap(self.dom.parent(self.id))
    }
    fn parent_node_is_shadow_root(&self) -> bool {
        false
    }
    fn containing_shadow_host(&self) -> Option<Self> {
        None
    }
    fn is_pseudo_element(&self) -> bool {
        false
    }
    fn prev_sibling_element(&self) -> Option<Self> {
        self.wrap(self.dom.prev_element_sibling(self.id))
    }
    fn next_sibling_element(&self) -> Option<Self> {
        self.wrap(self.dom.next_element_sibling(self.id))
    }
    fn first_element_child(&self) -> Option<Self> {
        self.wrap(self.dom.element_children(self.id).next())
    }
    fn is_html_element_in_html_document(&self) -> bool {
        self.elem().ns() == Ns::Html
    }
    fn has_local_name(&self, name: &str) -> bool {
        self.elem().name() == name
    }
    fn has_namespace(&self, ns: &str) -> bool {
        ns_url(self.elem().ns()) == ns
    }
    fn is_same_type(&self, other: &Self) -> bool {
        let (a, b) = (self.elem(), other.elem());
        a.name() == b.name() && a.ns() == b.ns()
    }
    fn attr_matches(
        &self,
        ns: &NamespaceConstraint<&CssString>,
        local_name: &CssString,
        operation: &AttrSelectorOperation<&CssString>,
    ) -> bool {
        if let NamespaceConstraint::Specific(url) = ns {
            if !url.as_str().is_empty() {
                return false;
            }
        }
        self.elem()
            .attr(local_name.as_str())
            .is_some_and(|v| operation.eval_str(v))
    }
    fn match_non_ts_pseudo_class(
        &self,
        pc: &PseudoClass,
        _context: &mut MatchingContext<Impl>,
    ) -> bool {
        let e = self.elem();
        match pc {
            PseudoClass::AnyLink => self.is_link(),
            PseudoClass::Checked => is_checked(e),
            PseudoClass::Disabled => is_disableable(e) && is_disabled(self.dom, self.id),
            PseudoClass::Enabled => is_disableable(e) && !is_disabled(self.dom, self.id),
        }
    }
    fn match_pseudo_element(
        &self,
        pe: &PseudoElement,
        _context: &mut MatchingContext<Impl>,
    ) -> bool {
        match *pe {}
    }
    fn apply_selector_flags(&self, _flags: ElementSelectorFlags) {}
    fn is_link(&self) -> bool {
        let e = self.elem();
        (e.is("a") || e.is("area")) && e.attr("href").is_some()
    }
    fn is_html_slot_element(&self) -> bool {
        false
    }
    fn has_id(&self, id: &CssString, case: CaseSensitivity) -> bool {
        self.elem()
            .id()
            .is_some_and(|v| case.eq(v.as_bytes(), id.as_str().as_bytes()))
    }
    fn has_class(&self, name: &CssString, case: CaseSensitivity) -> bool {
        self.elem()
            .classes()
            .any(|c| case.eq(c.as_bytes(), name.as_str().as_bytes()))
    }
    fn has_custom_state(&self, _name: &CssString) -> bool {
        false
    }
    fn imported_part(&self, _name: &CssString) -> Option<CssString> {
        None
    }
    fn is_part(&self, _name: &CssString) -> bool {
        false
    }
    /// NOTE: as browsers match it, any text counts as content, whitespace
    /// and `&nbsp;` included; only comments may be inside. Selectors Level
    /// 4 drafted ignoring whitespace, but no browser ships it, and a rule
    /// must remove what the same selector hides in a browser, not more.
    /// See <https://drafts.csswg.org/selectors-4/#the-empty-pseudo>.
    fn is_empty(&self) -> bool {
        self.dom
            .children(self.id)
            .all(|c| !matches!(self.dom.data(c), NodeData::Element(_) | NodeData::Text(_)))
    }
    fn is_root(&self) -> bool {
        self.dom
            .parent(self.id)
            .is_some_and(|p| matches!(self.dom.data(p), NodeData::Root))
    }
    fn add_element_unique_hashes(&self, _filter: &mut selectors::bloom::BloomFilter) -> bool {
        false
    }
}

/// Whether `e` is `:checked` as browsers read a static page: a checkbox or
/// radio button with `checked`, or an `option` with `selected`.
fn is_checked(e: &Element) -> bool {
    if e.is("input") {
        let kind = e.attr("type").unwrap_or("").trim();
        (kind.eq_ignore_ascii_case("checkbox") || kind.eq_ignore_ascii_case("radio"))
            && e.attr("checked").is_some()
    } else {
        e.is("option") && e.attr("selected").is_some()
    }
}

/// The elements that are `:enabled` or `:disabled`; every other element is
/// neither.
///
/// See <https://html.spec.whatwg.org/multipage/semantics-other.html#selector-enabled>.
fn is_disableable(e: &Element) -> bool {
    e.ns() == Ns::Html
        && matches!(
            e.name(),
            "button" | "input" | "select" | "textarea" | "optgroup" | "option" | "fieldset"
        )
}

/// Whether the form control `id` is disabled: by its own `disabled`, an
/// `option` by its `optgroup`'s, and a control or `fieldset` by a disabled
/// `fieldset` around it (unless it sits in that fieldset's first `legend`).
///
/// See <https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#concept-fe-disabled>.
fn is_disabled(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if e.attr("disabled").is_some() {
        return true;
    }
    if e.is("option") {
        return dom
            .parent(id)
            .and_then(|p| dom.element(p))
            .is_some_and(|p| p.is("optgroup") && p.attr("disabled").is_some());
    }
    if e.is("optgroup") {
        return false;
    }
    // The child of each ancestor on the way up, to tell its first legend.
    let mut child = id;
    for a in dom.ancestors(id) {
        if let Some(f) = dom.element(a) {
            if f.is("fieldset") && f.attr("disabled").is_some() {
                let first_legend = dom
                    .element_children(a)
                    .find(|&c| dom.is_element(c, "legend"));
                if first_legend != Some(child) {
                    return true;
                }
            }
        }
        child = a;
    }
    false
}

/// `s` in ASCII lower case, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Where the rule hash files a selector: by the most selective part of its
/// rightmost compound (the browsers' "rule hash").
#[derive(Debug, PartialEq, Eq)]
enum Key {
    Id(Box<str>),
    Class(Box<str>),
    /// An attribute whose value must contain this literal (`[id^='gpt-']`,
    /// `[href*='doubleclick']`, `[data-x='y']`).
    AttrLiteral(Box<str>, Box<str>),
    /// An attribute that must only be present, or whose literal is empty.
    Attr(Box<str>),
    Tag(Box<str>),
}

fn key_of(selector: &Selector<Impl>) -> Option<Key> {
    let rank = |k: &Key| match k {
        Key::Id(_) => 0,
        Key::Class(_) => 1,
        Key::AttrLiteral(..) => 2,
        Key::Attr(_) => 3,
        Key::Tag(_) => 4,
    };
    let mut best: Option<Key> = None;
    for c in selector.iter() {
        let k = match c {
            Component::ID(id) => Key::Id(id.as_str().into()),
            Component::Class(c) => Key::Class(c.as_str().into()),
            // NOTE: keys are lower case, attribute names and tag names alike,
            // and the element's names are lower-cased to look them up: the
            // selector matches `[DATA-AD]` on an HTML element's `data-ad`, and
            // `foreignObject` on SVG's `foreignObject` (html5ever adjusts
            // SVG's mixed-case names), and either way the key must find it.
            Component::AttributeInNoNamespaceExists {
                local_name_lower, ..
            } => Key::Attr(local_name_lower.as_str().into()),
            // Upper-case names with a value (`[DATA-AD=x]`) land here.
            Component::AttributeOther(a) if a.namespace.is_none() => match &a.operation {
                ParsedAttrSelectorOperation::WithValue { value, .. }
                    if !value.as_str().is_empty() =>
                {
                    Key::AttrLiteral(a.local_name_lower.as_str().into(), value.as_str().into())
                }
                _ => Key::Attr(a.local_name_lower.as_str().into()),
            },
            // Every operator (`=`, `~=`, `|=`, `^=`, `$=`, `*=`) matches only
            // values that contain the literal.
            Component::AttributeInNoNamespace {
                local_name, value, ..
            } if !value.as_str().is_empty() => {
                Key::AttrLiteral(local_name.as_str().into(), value.as_str().into())
            }
            Component::AttributeInNoNamespace { local_name, .. } => {
                Key::Attr(local_name.as_str().into())
            }
            Component::LocalName(n) => Key::Tag(n.lower_name.as_str().into()),
            _ => continue,
        };
        if best.as_ref().is_none_or(|b| rank(&k) < rank(b)) {
            best = Some(k);
        }
    }
    best
}

/// The name of a selector that is one attribute name in lower case and
/// nothing else (`[class]`).
fn lone_attr(selector: &Selector<Impl>) -> Option<Box<str>> {
    match selector.iter_raw_match_order().as_slice() {
        [Component::AttributeInNoNamespaceExists {
            local_name,
            local_name_lower,
        }] if local_name.as_str() == local_name_lower.as_str() => Some(local_name.as_str().into()),
        _ => None,
    }
}

/// The literals of one attribute's selectors, found together by one
/// Aho-Corasick automaton (ASCII case-insensitive: a prefilter that
/// `[x='Y' i]` cannot escape; the real match is the selector's).
struct Literals {
    patterns: Vec<Box<str>>,
    /// Each pattern's place, by its lower-case text: filter lists file
    /// thousands of `[href*=…]` selectors under one attribute.
    at: FxHashMap<Box<str>, usize>,
    owners: Vec<Vec<u32>>,
    /// Built the first time an element has the attribute: filter lists
    /// name about 150 attributes, a page holds a few dozen, and building
    /// them all was a fifth of a cleaner's start-up with EasyList.
    automaton: OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl Literals {
    /// The automaton of the patterns, `None` if it cannot be built.
    fn automaton(&self) -> Option<&aho_corasick::AhoCorasick> {
        /// Past this many literals (a filter list's thousands of
        /// `[href*=…]`), building a DFA costs more start-up than its faster
        /// search saves on short attribute values.
        const MAX_DFA_PATTERNS: usize = 500;
        self.automaton
            .get_or_init(|| {
                let mut builder = aho_corasick::AhoCorasick::builder();
                builder.ascii_case_insensitive(true);
                if self.patterns.len() > MAX_DFA_PATTERNS {
                    builder.kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA));
                }
                builder
                    .build(self.patterns.iter().map(|p| p.as_bytes()))
                    .ok()
            })
            .as_ref()
    }
}

/// Selectors of many rules, filed by their rightmost compound, so that an
/// element tests only the selectors that could match it.
#[derive(Default)]
pub(crate) struct Index {
    /// Each selector's rule, and the selector to test on the elements its
    /// key finds: `None` when finding is matching ([`Target::Class`],
    /// [`Target::Id`], and selectors filed in `present`).
    selectors: Vec<(RuleIx, Option<Selector<Impl>>)>,
    ids: FxHashMap<Box<str>, Vec<u32>>,
    classes: FxHashMap<Box<str>, Vec<u32>>,
    attrs: FxHashMap<Box<str>, Vec<u32>>,
    /// Selectors that are one lower-case attribute name (`[class]`,
    /// `[data-ad-slot]`), by that name: an element matches them when it
    /// has the attribute by that exact name, which is what the selectors
    /// crate tests (an HTML element's names are lower case, and a foreign
    /// element's are compared as written). The built-in rules' `[class],
    /// [id]` were half the selector tests of a page.
    present: FxHashMap<Box<str>, Vec<u32>>,
    literals: FxHashMap<Box<str>, Literals>,
    tags: FxHashMap<Box<str>, Vec<u32>>,
    /// Selectors that are one type selector (`img`), by its name in lower
    /// case, with the name as written: an element matches one when it has
    /// that name, in lower case for an HTML element, as written for a
    /// foreign one, which is what the selectors crate tests. The built-in
    /// rules' lists of tags were most of the selector tests of a page.
    lone_tags: FxHashMap<Box<str>, Vec<(u32, TypeName)>>,
    /// Selectors that are one type selector and one lower-case attribute
    /// name (`a[href]`), by that attribute, with the type's names as in
    /// `lone_tags`: the nine built-in rules on links were most of the
    /// selector tests left.
    tagged_attrs: FxHashMap<Box<str>, Vec<(u32, TypeName)>>,
    universal: Vec<u32>,
}

/// A type selector's name in lower case and as written.
struct TypeName {
    lower: Box<str>,
    name: Box<str>,
}

impl TypeName {
    /// Whether the element `e` has this name, as the selectors crate tests
    /// it: in lower case on an HTML element, as written on a foreign one.
    fn is_of(&self, e: &Element) -> bool {
        let want = if e.ns() == Ns::Html {
            &self.lower
        } else {
            &self.name
        };
        e.name() == want.as_ref()
    }
}

/// The selectors [`Index::matching_rules`] tests for one element, each
/// once: scratch space kept for a whole walk.
///
/// NOTE: with the filter lists' 23,000 hiding rules an element has some
/// 90 candidates, found by its id, classes, attributes and tag; sorting
/// them to part the repeats cost a fifth of the index's time. A selector
/// is marked with the element's stamp instead.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    list: Vec<u32>,
    /// For each selector, the stamp of the last element it was found for.
    seen: Vec<u32>,
    stamp: u32,
}

impl Candidates {
    /// A new element, for an index of `selectors` selectors.
    fn start(&mut self, selectors: usize) {
        self.list.clear();
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
        if self.seen.len() < selectors {
            self.seen.resize(selectors, 0);
        }
    }

    fn add<'a>(&mut self, selectors: impl IntoIterator<Item = &'a u32>) {
        for &at in selectors {
            let seen = &mut self.seen[at as usize];
            if *seen != self.stamp {
                *seen = self.stamp;
                self.list.push(at);
            }
        }
    }
}

impl Index {
    /// Files what `target` selects under `rule`.
    pub(crate) fn add(&mut self, rule: RuleIx, target: &Target) {
        let at = u32::try_from(self.selectors.len()).expect("fewer than 2^32 selectors");
        match target {
            Target::Css(list) => self.add_list(rule, list),
            Target::Class(name) => {
                self.selectors.push((rule, None));
                self.classes.entry(name.clone()).or_default().push(at);
            }
            Target::Id(name) => {
                self.selectors.push((rule, None));
                self.ids.entry(name.clone()).or_default().push(at);
            }
        }
    }

    /// Files every selector of `list` under `rule`.
    fn add_list(&mut self, rule: RuleIx, list: &SelectorList<Impl>) {
        for s in list.slice() {
            let at = u32::try_from(self.selectors.len()).expect("fewer than 2^32 selectors");
            if let Some(name) = lone_attr(s) {
                self.selectors.push((rule, None));
                self.present.entry(name).or_default().push(at);
                continue;
            }
            let type_name = |n: &selectors::parser::LocalName<Impl>| TypeName {
                lower: n.lower_name.as_str().into(),
                name: n.name.as_str().into(),
            };
            match s.iter_raw_match_order().as_slice() {
                [Component::LocalName(n)] => {
                    self.selectors.push((rule, None));
                    self.lone_tags
                        .entry(n.lower_name.as_str().into())
                        .or_default()
                        .push((at, type_name(n)));
                    continue;
                }
                [Component::LocalName(n), Component::AttributeInNoNamespaceExists {
                    local_name,
                    local_name_lower,
                }]
                | [Component::AttributeInNoNamespaceExists {
                    local_name,
                    local_name_lower,
                }, Component::LocalName(n)]
                    if local_name.as_str() == local_name_lower.as_str() =>
                {
                    self.selectors.push((rule, None));
                    self.tagged_attrs
                        .entry(local_name.as_str().into())
                        .or_default()
                        .push((at, type_name(n)));
                    continue;
                }
                _ => {}
            }
            // `*` alone: every element, no test (the built-in rules that
            // judge any element by its text).
            if matches!(
                s.iter_raw_match_order().as_slice(),
                [Component::ExplicitUniversalType]
            ) {
                self.selectors.push((rule, None));
                self.universal.push(at);
                continue;
            }
            self.selectors.push((rule, Some(s.clone())));
            match key_of(s) {
                Some(Key::Id(k)) => self.ids.entry(k).or_default().push(at),
                Some(Key::Class(k)) => self.classes.entry(k).or_default().push(at),
                Some(Key::Attr(k)) => self.attrs.entry(k).or_default().push(at),
                Some(Key::Tag(k)) => self.tags.entry(k).or_default().push(at),
                Some(Key::AttrLiteral(name, lit)) => {
                    let l = self.literals.entry(name).or_insert_with(|| Literals {
                        patterns: Vec::new(),
                        at: FxHashMap::default(),
                        owners: Vec::new(),
                        automaton: OnceLock::new(),
                    });
                    let key: Box<str> = lit.to_ascii_lowercase().into();
                    match l.at.get(&key) {
                        Some(&i) => l.owners[i].push(at),
                        None => {
                            l.at.insert(key, l.patterns.len());
                            l.patterns.push(lit);
                            l.owners.push(vec![at]);
                        }
                    }
                }
                None => self.universal.push(at),
            }
        }
    }

    /// Number of selectors that fall in no bucket and are tested on every element.
    #[cfg(test)]
    fn universal_len(&self) -> usize {
        self.universal.len()
    }

    /// Sets `out` to the rules (sorted, once each) with a selector that
    /// matches the element `id`, among the `enabled` ones (all with `None`);
    /// `candidates` is scratch space.
    pub(crate) fn matching_rules(
        &self,
        dom: &Dom,
        id: NodeId,
        enabled: Option<&[bool]>,
        caches: &mut SelectorCaches,
        candidates: &mut Candidates,
        out: &mut Vec<RuleIx>,
    ) {
        out.clear();
        candidates.start(self.selectors.len());
        let Some(el) = El::new(dom, id) else {
            return;
        };
        let e = dom.element(id).expect("El::new checked it is an element");
        candidates.add(&self.universal);
        if let Some(i) = e.id() {
            candidates.add(self.ids.get(i).into_iter().flatten());
        }
        if !self.classes.is_empty() {
            for c in e.classes() {
                candidates.add(self.classes.get(c).into_iter().flatten());
            }
        }
        for (name, value) in e.attrs() {
            candidates.add(self.present.get(name).into_iter().flatten());
            if let Some(tagged) = self.tagged_attrs.get(name) {
                candidates.add(tagged.iter().filter(|(_, n)| n.is_of(e)).map(|(at, _)| at));
            }
            let name = lower(name);
            let name = name.as_ref();
            candidates.add(self.attrs.get(name).into_iter().flatten());
            if let Some(l) = self.literals.get(name) {
                match l.automaton() {
                    Some(ac) => {
                        for m in ac.find_overlapping_iter(value) {
                            candidates.add(&l.owners[m.pattern().as_usize()]);
                        }
                    }
                    // An automaton that could not be built: every selector
                    // of the attribute is a candidate.
                    None => candidates.add(l.owners.iter().flatten()),
                }
            }
        }
        let tag = lower(e.name());
        candidates.add(self.tags.get(tag.as_ref()).into_iter().flatten());
        if let Some(lone) = self.lone_tags.get(tag.as_ref()) {
            candidates.add(lone.iter().filter(|(_, n)| n.is_of(e)).map(|(at, _)| at));
        }
        if candidates.list.is_empty() {
            return;
        }
        // NOTE: in the order found, not sorted: a rule is found by any of
        // its selectors, whichever is tested first, and `out` is sorted.
        let mut ctx = context(caches);
        for &at in &candidates.list {
            let (rule, sel) = &self.selectors[at as usize];
            if out.contains(rule) || enabled.is_some_and(|on| !on[*rule as usize]) {
                continue;
            }
            if sel
                .as_ref()
                .is_none_or(|sel| matches_selector(sel, 0, None, el, &mut ctx))
            {
                out.push(*rule);
            }
        }
        out.sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_each_found_once_per_element() {
        let mut c = Candidates::default();
        c.start(4);
        c.add(&[2, 0, 2]);
        c.add(&[0, 3]);
        assert_eq!(c.list, [2, 0, 3]);
        c.start(4);
        c.add(&[3, 3]);
        assert_eq!(c.list, [3]);
        // When the stamp wraps, marks left from long ago hide nothing.
        c.seen[1] = 1;
        c.stamp = u32::MAX;
        c.start(4);
        c.add(&[1]);
        assert_eq!(c.list, [1]);
    }

    fn matches(html: &str, selector: &str) -> Vec<String> {
        matches_target(html, &Target::parse(selector).unwrap())
    }

    fn matches_target(html: &str, target: &Target) -> Vec<String> {
        let dom = Dom::parse_fragment(html);
        let mut index = Index::default();
        index.add(0, target);
        let mut caches = SelectorCaches::default();
        let mut out = Vec::new();
        let mut scratch = Candidates::default();
        let mut found = Vec::new();
        for id in dom.descendants(dom.content()) {
            index.matching_rules(&dom, id, None, &mut caches, &mut scratch, &mut out);
            if !out.is_empty() {
                let e = dom.element(id).unwrap();
                found.push(format!("{}#{}", e.name(), e.id().unwrap_or("")));
            }
        }
        found
    }

    /// A lone class or id is read by hand and matched by the index alone:
    /// it finds what the parsed selector finds.
    #[test]
    fn lone_classes_and_ids_match_as_parsed() {
        let html = r#"<div id=x class="ad  Ad"><p class="ad-box">t</p><span class=AD id=X>u</span>
            <svg><g class=ad id=g_1></g></svg><i class="a-d _b">v</i><b id="x y">w</b></div>"#;
        for sel in [
            ".ad", ".Ad", "#x", "#X", ".ad-box", "#g_1", "._b", ".a-d", "#y",
        ] {
            let target = Target::parse(sel).unwrap();
            assert!(!matches!(target, Target::Css(_)), "{sel} is read by hand");
            assert_eq!(
                matches_target(html, &target),
                matches_target(html, &Target::Css(parse(sel).unwrap())),
                "{sel}"
            );
        }
        assert_eq!(matches(html, ".ad"), ["div#x", "g#g_1"]);
        for sel in [".-ad", ".a\\:b", "#1a", ".ad.x", ".é", "div.ad", ".ad,.x"] {
            assert!(
                !matches!(Target::parse(sel), Ok(Target::Class(_) | Target::Id(_))),
                "{sel}"
            );
        }
    }

    /// The elements of `html` the selectors crate finds for `selector`.
    fn matches_by_crate(html: &str, selector: &Selector<Impl>) -> Vec<String> {
        let dom = Dom::parse_fragment(html);
        let mut caches = SelectorCaches::default();
        let mut ctx = context(&mut caches);
        dom.descendants(dom.content())
            .filter(|&id| {
                El::new(&dom, id)
                    .is_some_and(|el| matches_selector(selector, 0, None, el, &mut ctx))
            })
            .map(|id| {
                let e = dom.element(id).expect("matched nodes are elements");
                format!("{}#{}", e.name(), e.id().unwrap_or(""))
            })
            .collect()
    }

    /// A lone type selector, or one with a lower-case attribute name
    /// (`a[href]`), is matched by the index alone: it finds what the
    /// selectors crate finds, on HTML and foreign elements.
    #[test]
    fn lone_types_and_typed_attributes_match_as_the_selectors_crate_does() {
        let html = r#"<div><a href=/x>t</a><A HREF=/y>u</A><a name=n>v</a><img src=i>
            <svg viewBox="0 0 1 1"><a href=/z></a><foreignObject x=1><p>w</p></foreignObject>
            <clipPath id=c></clipPath></svg><math><mi mathvariant=x></mi></math></div>"#;
        for sel in [
            "a",
            "A",
            "img",
            "svg",
            "mi",
            "foreignObject",
            "foreignobject",
            "clipPath",
            "clippath",
            "a[href]",
            "A[href]",
            "foreignObject[x]",
            "foreignobject[x]",
            "mi[mathvariant]",
            "svg[viewbox]",
        ] {
            let Target::Css(list) = Target::parse(sel).unwrap() else {
                panic!("{sel} is a CSS selector");
            };
            let mut index = Index::default();
            index.add(0, &Target::Css(list.clone()));
            assert!(
                index.selectors.iter().all(|(_, s)| s.is_none()),
                "{sel} is matched by the index"
            );
            let by_crate = matches_by_crate(html, &list.slice()[0]);
            assert_eq!(matches_target(html, &Target::Css(list)), by_crate, "{sel}");
        }
        assert_eq!(matches(html, "a[href]"), ["a#", "a#", "a#"]);
        assert_eq!(matches(html, "foreignObject"), ["foreignObject#"]);
        assert!(matches(html, "foreignobject").is_empty());
        // An upper-case attribute name is tested by the selectors crate.
        let mut index = Index::default();
        index.add(0, &Target::parse("a[HREF]").unwrap());
        assert!(index.selectors[0].1.is_some());
    }

    /// A lone lower-case attribute name is matched by the index alone: it
    /// finds what the selectors crate finds, on HTML and foreign elements.
    #[test]
    fn lone_attributes_match_as_the_selectors_crate_does() {
        let html = r#"<div class=a data-x><p CLASS=b>t</p><svg viewBox="0 0 1 1" class=c>
            <g data-X=1 id=g></g></svg><math><mi mathvariant=x></mi></math></div>"#;
        for sel in ["[class]", "[data-x]", "[viewbox]", "[mathvariant]", "[id]"] {
            let Target::Css(list) = Target::parse(sel).unwrap() else {
                panic!("{sel} is a CSS selector");
            };
            assert!(
                lone_attr(&list.slice()[0]).is_some(),
                "{sel} is filed by name"
            );
            let mut index = Index::default();
            index.add(0, &Target::Css(list.clone()));
            assert_eq!(index.present.len(), 1, "{sel}");
            let by_crate = matches_by_crate(html, &list.slice()[0]);
            assert_eq!(matches_target(html, &Target::Css(list)), by_crate, "{sel}");
        }
        assert_eq!(matches(html, "[class]"), ["div#", "p#", "svg#"]);
        let mut index = Index::default();
        index.add(0, &Target::parse("*").unwrap());
        assert_eq!(
            index.selectors[0].1.as_ref().map(|_| ()),
            None,
            "`*` is not tested"
        );
        let Target::Css(star) = Target::parse("*").unwrap() else {
            panic!("`*` is a CSS selector");
        };
        assert_eq!(matches(html, "*"), matches_by_crate(html, &star.slice()[0]));
        for sel in ["[viewBox]", "div[class]", "[class=a]", "[class] p"] {
            let Target::Css(list) = Target::parse(sel).unwrap() else {
                panic!("{sel} is a CSS selector");
            };
            assert!(lone_attr(&list.slice()[0]).is_none(), "{sel}");
        }
    }

    #[test]
    fn attribute_operators() {
        let html = r#"<div id="div-gpt-ad-1"></div><div id="dfp-ad-imu1"></div><div id="x"></div>"#;
        assert_eq!(matches(html, "[id^='div-gpt-ad']"), ["div#div-gpt-ad-1"]);
        assert_eq!(matches(html, "div[id*=ad-i]"), ["div#dfp-ad-imu1"]);
        assert_eq!(matches(html, "[id$=x i]"), ["div#x"]);
    }

    #[test]
    fn structural_and_relational() {
        let html = r#"<section id="s"><div id="a"></div></section><section id="t"><p id="p">x</p></section>"#;
        assert_eq!(matches(html, "section:has(> div:empty)"), ["section#s"]);
        assert_eq!(matches(html, "section:not(:has(div))"), ["section#t"]);
        assert_eq!(matches(html, ":is(section, p):nth-child(2)"), ["section#t"]);
        assert_eq!(matches(html, "section + section > p"), ["p#p"]);
        assert_eq!(matches(html, "section ~ section"), ["section#t"]);
    }

    #[test]
    fn links() {
        let html = r#"<a id="l" href="/x">x</a><a id="n">y</a>"#;
        assert_eq!(matches(html, "a:any-link"), ["a#l"]);
    }

    #[test]
    fn unsupported_syntax_is_named() {
        let e = parse("a:hover").unwrap_err();
        assert!(e.message.contains(":hover"), "{}", e.message);
        let e = parse("p::before").unwrap_err();
        assert!(e.message.contains("::before"), "{}", e.message);
        let e = parse("div > , p").unwrap_err();
        assert!(e.message.starts_with("invalid selector"), "{}", e.message);
        assert!(e.column > 1);
    }

    #[test]
    fn keyed_selectors_skip_the_universal_bucket() {
        let mut index = Index::default();
        index.add(
            0,
            &Target::parse(".a, #b, [c], [d^=x], e, *:empty").unwrap(),
        );
        assert_eq!(index.universal_len(), 1);
    }

    #[test]
    fn attribute_literals_find_their_selectors() {
        let html = r#"<a id="l1" href="https://ad.doubleclick.net/x">a</a><a id="l2" href="/ok">b</a><div id="Gpt-Ad-3"></div>"#;
        assert_eq!(matches(html, "a[href*='doubleclick']"), ["a#l1"]);
        assert_eq!(matches(html, "[id^='gpt-ad' i]"), ["div#Gpt-Ad-3"]);
        assert_eq!(matches(html, "[id^='gpt-ad']"), Vec::<String>::new());
        assert_eq!(
            matches(html, "a[href='/ok'], a[href$='/x']"),
            ["a#l1", "a#l2"]
        );
    }

    #[test]
    fn attribute_names_match_in_any_case() {
        let html = r#"<div id="a" data-ad="1"></div><div id="b" data-x="ad-slot"></div>"#;
        assert_eq!(matches(html, "[DATA-AD]"), ["div#a"]);
        assert_eq!(matches(html, "div[Data-Ad]"), ["div#a"]);
        assert_eq!(matches(html, "[DATA-X^='ad-']"), ["div#b"]);
        assert_eq!(matches(html, "[DATA-X='AD-SLOT' i]"), ["div#b"]);
    }

    #[test]
    fn mixed_case_svg_names_match() {
        let html = r#"<svg id="s" viewBox="0 0 1 1"><foreignObject id="f"><p id="p">x</p></foreignObject></svg>"#;
        assert_eq!(matches(html, "foreignObject"), ["foreignObject#f"]);
        assert_eq!(matches(html, "svg foreignObject > p"), ["p#p"]);
        assert_eq!(matches(html, "[viewBox]"), ["svg#s"]);
        // An HTML element's name is matched in any case; SVG's is not.
        assert_eq!(matches(html, "P"), ["p#p"]);
        assert_eq!(matches(html, "foreignobject"), Vec::<String>::new());
    }

    #[test]
    fn empty_means_no_text_at_all() {
        let html = "<p id=\"a\"></p><p id=\"b\"><!-- c --></p><p id=\"c\"> </p>\
                    <p id=\"d\">\u{a0}</p><p id=\"e\"><br></p>";
        assert_eq!(matches(html, "p:empty"), ["p#a", "p#b"]);
    }

    #[test]
    fn enabled_and_disabled_are_form_controls() {
        let html = r#"<div id="d"></div><a id="l" href="/x">x</a><input id="i"><input id="j" disabled>
            <fieldset id="f" disabled><legend id="g"><button id="b1"></button></legend><button id="b2"></button><fieldset id="f2"></fieldset></fieldset>
            <select id="s"><optgroup id="og" disabled><option id="o1"></option></optgroup><option id="o2"></option></select>"#;
        assert_eq!(
            matches(html, ":enabled"),
            ["input#i", "button#b1", "select#s", "option#o2"]
        );
        assert_eq!(
            matches(html, ":disabled"),
            [
                "input#j",
                "fieldset#f",
                "button#b2",
                "fieldset#f2",
                "optgroup#og",
                "option#o1"
            ]
        );
    }

    #[test]
    fn checked_is_a_checked_box_or_a_selected_option() {
        let html = r#"<input id="a" type="checkbox" checked><input id="b" type="text" checked>
            <input id="c" type="RADIO" checked><select><option id="o" selected></option></select><div id="d" selected checked></div>"#;
        assert_eq!(
            matches(html, ":checked"),
            ["input#a", "input#c", "option#o"]
        );
    }
}
