//! Matching: the one walk over the tree that finds, for every element, the
//! rules that apply to it. An element tests only the rules its id, classes,
//! attributes and tag could match (the selector index, [`super::select`]),
//! then those rules' conditions (size, hidden, tokens, URLs, text).
//!
//! The result, [`Matches`], is what the passes in `crate::passes` edit the
//! tree by; matching itself never edits.

use std::borrow::Cow;
use std::collections::HashSet;

use rustc_hash::FxHashMap;

use selectors::context::SelectorCaches;
use url::Url;

use super::select::{Candidates, Index};
use super::{Action, Conditions, RuleIx, Rules, UrlCond};
use crate::dom::{Dom, Element, NodeData, NodeId, Ns};
use crate::policy::{self, Fate};
use crate::urls;

/// Rules compiled for matching: the rules and their selector index.
#[derive(Default)]
pub(crate) struct Engine {
    rules: Rules,
    index: Index,
    /// Filter lists' element-hiding rules by selector: those that name
    /// domains, and generic ones.
    list_specific: FxHashMap<Box<str>, Vec<usize>>,
    list_generic: FxHashMap<Box<str>, Vec<usize>>,
    /// Each rule on, but for lists' domain rules: each page's start.
    base_enabled: Vec<bool>,
    /// The attributes some URL condition names, beyond the default ones.
    url_attrs: Vec<String>,
}

impl Engine {
    pub(crate) fn new(rules: Rules) -> Engine {
        let mut index = Index::default();
        let mut rules = rules;
        let mut list_specific: FxHashMap<Box<str>, Vec<usize>> = FxHashMap::default();
        let mut list_generic: FxHashMap<Box<str>, Vec<usize>> = FxHashMap::default();
        for (i, r) in rules.rules.iter_mut().enumerate() {
            if let Some(sel) = &r.selector {
                index.add(RuleIx::try_from(i).expect("fewer than 2^32 rules"), sel);
            }
            // A list rule's selector string is needed only here, as the
            // key the engine names the page's rules by: it moves.
            if let Some(l) = r.list.take() {
                let map = if l.specific {
                    &mut list_specific
                } else {
                    &mut list_generic
                };
                map.entry(l.selector).or_default().push(i);
            }
        }
        let mut url_attrs: Vec<String> = Vec::new();
        for a in rules
            .iter()
            .filter_map(|r| r.conditions.url.as_ref()?.attrs.as_ref())
            .flatten()
        {
            if !is_default_url_attr(a) && !url_attrs.contains(a) {
                url_attrs.push(a.clone());
            }
        }
        let mut base_enabled = vec![true; rules.len()];
        for &i in list_specific.values().flatten() {
            base_enabled[i] = false;
        }
        Engine {
            rules,
            index,
            list_specific,
            list_generic,
            base_enabled,
            url_attrs,
        }
    }

    /// Which rules may match in this document, or `None` for all: a filter
    /// list's rule for other sites is never tested, so the thousands of
    /// domain rules of a list cost nothing on pages they are not for.
    fn enabled(&self, ctx: &Context<'_>) -> Option<Vec<bool>> {
        if self.list_specific.is_empty() && self.list_generic.is_empty() {
            return None;
        }
        let mut on = self.base_enabled.clone();
        let Some(hiding) = ctx.lists.and_then(|l| l.hiding()) else {
            return Some(on);
        };
        for sel in hiding.selectors {
            for &i in self.list_specific.get(sel.as_str()).into_iter().flatten() {
                on[i] = true;
            }
        }
        let generic_off = |on: &mut Vec<bool>, ids: &[usize]| {
            for &i in ids {
                on[i] = false;
            }
        };
        if hiding.generichide {
            for ids in self.list_generic.values() {
                generic_off(&mut on, ids);
            }
        } else {
            for sel in hiding.exceptions {
                if let Some(ids) = self.list_generic.get(sel.as_str()) {
                    generic_off(&mut on, ids);
                }
            }
        }
        Some(on)
    }

    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Whether some rule removes comments (the sanitizer keeps them otherwise).
    pub(crate) fn removes_comments(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.action() == Action::RemoveComments)
    }
}

/// A filter list's verdict on one resource.
#[cfg(feature = "filter-lists")]
#[derive(Debug, Default)]
pub(crate) struct Request {
    /// The list line that blocks it.
    pub(crate) blocked_by: Option<String>,
    /// The URL a `$removeparam` rule rewrote it to, and the line.
    pub(crate) rewritten: Option<(String, String)>,
}

/// What the filter lists say about one document (`crate::lists`): which
/// element-hiding rules apply on the page, and which resources are blocked.
pub(crate) trait Lists {
    /// What the lists hide on this page, `None` when its URL is unknown
    /// (generic rules alone then apply).
    fn hiding(&self) -> Option<Hiding<'_>>;
    /// The verdict on loading `url` (absolute) as `kind` (`image`,
    /// `sub_frame`, `script`...) from this page.
    #[cfg(feature = "filter-lists")]
    fn check(&self, url: &str, kind: &str) -> Request;
}

/// The page's element hiding, as the engine gives it: the selectors of its
/// domain rules (and generic ones not starting with a class or id), the
/// `#@#` exceptions, and whether `$generichide` turns generic rules off.
pub(crate) struct Hiding<'a> {
    pub(crate) selectors: &'a HashSet<String>,
    pub(crate) exceptions: &'a HashSet<String>,
    pub(crate) generichide: bool,
}

/// Per-document settings matching and the passes need.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// The filter lists' verdicts on this document, when there are lists.
    pub(crate) lists: Option<&'a dyn Lists>,
    /// Relative URLs are resolved against this, when given.
    pub(crate) base_url: Option<&'a Url>,
    /// The page's own URL, when known: `same_page` URL conditions need it.
    pub(crate) page_url: Option<&'a Url>,
}

/// Which rule matched which element, per action, in document order.
#[derive(Default)]
pub(crate) struct Matches {
    pub(crate) by_action: FxHashMap<Action, Vec<(NodeId, RuleIx)>>,
    /// Why a filter list's network rule matched an element: the list line.
    pub(crate) details: FxHashMap<(NodeId, RuleIx), String>,
    /// Removals and unwraps whose `text` condition is judged after the other
    /// removals and unwraps.
    pub(crate) by_text: Vec<(NodeId, RuleIx)>,
}

impl Matches {
    pub(crate) fn get(&self, action: Action) -> &[(NodeId, RuleIx)] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }
}

/// Per-node text counts of the tree as parsed, for text conditions and the
/// report.
pub(crate) struct Stats {
    /// Non-whitespace characters of text inside the node, not counting
    /// text the sanitizer drops with its element (scripts, styles).
    pub(crate) text: Vec<u32>,
}

impl Stats {
    pub(crate) fn compute(dom: &Dom) -> Stats {
        let n = dom.len();
        let mut text = vec![0u32; n];
        // Whether a node sits inside never-rendered text.
        let mut hidden = vec![false; n];
        let order: Vec<NodeId> = dom.descendants(dom.root()).collect();
        for &id in &order {
            if let Some(p) = dom.parent(id) {
                let pe = dom.element(p);
                hidden[id.index()] =
                    hidden[p.index()] || pe.is_some_and(|e| policy::drops_content(e.name()));
            }
        }
        // NOTE: ids follow document order, so every child comes after its
        // parent and a reverse walk adds children up before their parents.
        for &id in order.iter().rev() {
            let i = id.index();
            if let NodeData::Text(t) = dom.data(id) {
                if !hidden[i] {
                    text[i] = non_whitespace_chars(t);
                }
            }
            if let Some(p) = dom.parent(id) {
                text[p.index()] += text[i];
            }
        }
        Stats { text }
    }

    /// Takes the text of `id`, about to be removed, from its ancestors.
    pub(crate) fn remove(&mut self, dom: &Dom, id: NodeId) {
        let n = self.text.get(id.index()).copied().unwrap_or(0);
        if n == 0 {
            return;
        }
        for a in dom.ancestors(id) {
            if let Some(t) = self.text.get_mut(a.index()) {
                *t = t.saturating_sub(n);
            }
        }
    }
}

/// The characters of `t` that are not whitespace (`char::is_whitespace`).
pub(crate) fn non_whitespace_chars(t: &str) -> u32 {
    // NOTE: most text is ASCII, where a byte is a character and the
    // whitespace is HT, LF, VT, FF, CR and the space.
    // A sum of 0s and 1s over the bytes, which the compiler vectorizes
    // (a filtered count was not: two instructions a byte), in `u32` lanes
    // (a `usize` sum was slower), a chunk at a time so that none overflows.
    if t.is_ascii() {
        let ws: usize = t
            .as_bytes()
            .chunks(1 << 16)
            .map(|c| {
                c.iter()
                    .map(|&b| u32::from(b == b' ' || b.wrapping_sub(b'\t') < 5))
                    .sum::<u32>() as usize
            })
            .sum();
        (t.len() - ws) as u32
    } else {
        t.chars().filter(|c| !c.is_whitespace()).count() as u32
    }
}

/// The one walk: every element tests the rules its id, classes, attributes
/// and tag could match, then their conditions.
pub(crate) fn collect(engine: &Engine, dom: &Dom, stats: &Stats, ctx: &Context<'_>) -> Matches {
    let mut matches = Matches::default();
    let mut caches = SelectorCaches::default();
    let mut found = Vec::new();
    let mut scratch = Candidates::default();
    let mut memo = Memo {
        url_attrs: &engine.url_attrs,
        ..Memo::default()
    };
    let root = dom.content();
    let enabled = engine.enabled(ctx);
    for id in dom.descendants(root) {
        if dom.element(id).is_none() || id == root {
            continue;
        }
        // NOTE: a `:has()` anchor's subtree gets a 4 KB Bloom filter, kept
        // by the selector caches for the whole walk (21 MB on a 2 MB page of
        // links); the rules testing one element are tested together, so an
        // element's filter is not needed after it.
        caches.relative_selector_filter_map = Default::default();
        engine.index.matching_rules(
            dom,
            id,
            enabled.as_deref(),
            &mut caches,
            &mut scratch,
            &mut found,
        );
        for &r in &found {
            let rule = engine.rules.get(r);
            let c = &rule.conditions;
            if matches!(rule.action(), Action::Remove | Action::Unwrap) && c.text.is_some() {
                if conditions_hold(c, dom, id, stats, ctx, &mut memo, false) {
                    matches.by_text.push((id, r));
                }
            } else if conditions_hold(c, dom, id, stats, ctx, &mut memo, true) {
                matches
                    .by_action
                    .entry(rule.action())
                    .or_default()
                    .push((id, r));
            }
        }
    }
    matches
}

/// Longest text the `text.matches` condition reads; longer elements do not
/// match it (labels such as "Advertisement" are short).
const MAX_LABEL_CHARS: u32 = 200;

/// Whether the conditions hold, the `text` one only when `with_text`.
fn conditions_hold<'d>(
    c: &Conditions,
    dom: &'d Dom,
    id: NodeId,
    stats: &Stats,
    ctx: &Context<'_>,
    memo: &mut Memo<'d, '_>,
    with_text: bool,
) -> bool {
    let e = dom.element(id).expect("conditions are tested on elements");
    if let Some(max) = c.max_size {
        if !is_at_most(e, max) {
            return false;
        }
    }
    if let Some(want) = c.hidden {
        if e.is_hidden() != want {
            return false;
        }
    }
    if let Some(t) = &c.tokens {
        let hit = t.attrs.iter().filter_map(|a| e.attr(a)).any(|v| {
            v.split_ascii_whitespace().any(|tok| {
                t.matches.is_match(tok) && !t.except.as_ref().is_some_and(|x| x.is_match(tok))
            })
        });
        if !hit {
            return false;
        }
    }
    // Before the URLs: one answer per element, which splits the rules that
    // test a link's destination in two (a whole item, or in running text).
    if let Some(want) = c.in_text {
        let holds = match memo.in_text {
            Some((of, holds)) if of == id => holds,
            _ => {
                let holds = memo.blocks.holds(dom, id);
                memo.in_text = Some((id, holds));
                holds
            }
        };
        if holds != want {
            return false;
        }
    }
    if let Some(u) = &c.url {
        if memo.urls_of != Some(id) {
            memo.urls_of = Some(id);
            memo.urls.clear();
            let extra = memo.url_attrs;
            memo.urls.extend(
                url_attrs(e, |name| {
                    is_default_url_attr(name) || extra.iter().any(|a| a == name)
                })
                .map(|(attr, url)| UrlParts {
                    attr,
                    url,
                    host: None,
                    path: None,
                }),
            );
        }
        let read = |attr: &str| match u.attrs.as_deref() {
            Some(list) => list.iter().any(|a| a == attr),
            None => is_default_url_attr(attr),
        };
        if !memo
            .urls
            .iter_mut()
            .any(|parts| read(parts.attr) && url_matches(u, parts, ctx))
        {
            return false;
        }
    }
    // Last: it is the only condition that allocates.
    if with_text && !text_holds(c, dom, id, stats, &mut memo.text) {
        return false;
    }
    true
}

/// What the conditions of several rules read of one element, found once:
/// the rules that test an element mostly test the same URLs and text.
#[derive(Default)]
struct Memo<'d, 'e> {
    blocks: RunningText,
    /// Whether the element last asked for stands in running text.
    in_text: Option<(NodeId, bool)>,
    text: TextOf,
    /// The element whose URLs `urls` holds.
    urls_of: Option<NodeId>,
    /// The URLs of every attribute a URL condition may read.
    urls: Vec<UrlParts<'d>>,
    /// [`Engine::url_attrs`].
    url_attrs: &'e [String],
}

/// A URL of an element, and its host and path, each found when a condition
/// first asks.
struct UrlParts<'d> {
    /// The attribute that holds it.
    attr: &'d str,
    url: Cow<'d, str>,
    host: Option<Option<String>>,
    path: Option<String>,
}

/// The collapsed visible text of elements, read once for an element and
/// everything inside it: the text of an element inside the last one read
/// is a slice of its text. Valid while the tree is not edited: one lives
/// for one matching walk or one round of text rules.
///
/// NOTE: elements are asked for in document order, outer before inner, so
/// an ad slot's nested boxes (`<div>` nested 1,000 deep, or a `<li>`, its
/// link and the link's `<span>`) are read once, not once per box.
#[derive(Default)]
pub(crate) struct TextOf {
    /// Reads made so far; a span written by an earlier read is stale.
    read: u32,
    /// Per node: the read that wrote its span, and where its text lies in
    /// `text` (with the spaces that join it to the text around it).
    spans: Vec<(u32, u32, u32)>,
    text: String,
    /// Elements open during a read.
    open: Vec<NodeId>,
}

impl TextOf {
    fn get(&mut self, dom: &Dom, id: NodeId) -> &str {
        let i = id.index();
        if self.read == 0 || self.spans.get(i).is_none_or(|s| s.0 != self.read) {
            self.read += 1;
            if self.spans.len() < dom.len() {
                self.spans.resize(dom.len(), (0, 0, 0));
            }
            self.collect(dom, id);
        }
        let (_, start, end) = self.spans[i];
        self.text[start as usize..end as usize].trim_matches(' ')
    }

    /// Reads the text of `id` (see [`collapsed_visible_text`]) and the
    /// span of every element inside it whose text is part of it.
    fn collect(&mut self, dom: &Dom, id: NodeId) {
        let TextOf {
            read,
            spans,
            text,
            open,
        } = self;
        open.clear();
        collapsed_visible_text(dom, id, text, |n, len, counts| {
            // NOTE: a node's parent is open when the walk meets it; the
            // elements still open below that parent have ended.
            if n != id {
                let parent = dom.parent(n);
                while let Some(&top) = open.last() {
                    if Some(top) == parent {
                        break;
                    }
                    open.pop();
                    spans[top.index()].2 = len;
                }
            }
            if counts {
                if let Some(span) = spans.get_mut(n.index()) {
                    *span = (*read, len, len);
                }
                open.push(n);
            }
        });
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
        for n in open.drain(..) {
            spans[n.index()].2 = len;
        }
    }
}

/// The text of `id` that stays visible (not inside a script, a style or
/// anything else the sanitizer drops with its content), with runs of
/// whitespace made one space and none at either end, written into `out`.
/// A rule must judge the text a reader gets, or cleaning would not be
/// idempotent (a script's words hide a call to action until the sanitizer
/// drops the script).
///
/// `visit` is told of every node the walk meets (`id` first), the length
/// of `out` then, and whether it is an element whose text is part of the
/// text. The text of such an element is what `out` gains until the walk
/// meets a node outside it, without the spaces at either end.
fn collapsed_visible_text(
    dom: &Dom,
    id: NodeId,
    out: &mut String,
    mut visit: impl FnMut(NodeId, u32, bool),
) {
    out.clear();
    let mut space = false;
    let mut walk = dom.descendants(id);
    while let Some(n) = walk.next() {
        let data = dom.data(n);
        let hidden = matches!(data, NodeData::Element(e)
            if n != id && policy::drops_content(e.name()));
        let len = u32::try_from(out.len()).unwrap_or(u32::MAX);
        visit(n, len, matches!(data, NodeData::Element(_)) && !hidden);
        match data {
            NodeData::Text(t) => push_words(t, out, &mut space),
            NodeData::Element(_) if hidden => walk.skip_children_of(n),
            _ => {}
        }
    }
}

/// Appends the words of `t` (runs of characters that are not whitespace,
/// `char::is_whitespace`) to `out`, a space before each that follows
/// whitespace, unless `out` is empty: a run of whitespace is one space,
/// also when it ends the text before (`space`, which then says whether
/// `t` ends in whitespace).
///
/// NOTE: read a byte at a time, eight at a time inside ASCII words: the
/// text rules read every short block of a page and every script, style
/// and other element the sanitizer drops (as the element they judge, their
/// text counts), and decoding each character to ask whether it is
/// whitespace was most of their cost.
fn push_words(t: &str, out: &mut String, space: &mut bool) {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let ws = whitespace_len(b, i);
        if ws > 0 {
            *space = true;
            i += ws;
            // Indentation, eight spaces at a time.
            while b.get(i..i + 8) == Some(&[b' '; 8]) {
                i += 8;
            }
            continue;
        }
        let start = i;
        i = word_end(b, i);
        if *space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t[start..i]);
        *space = false;
    }
}

/// The length in bytes of the whitespace character (`char::is_whitespace`,
/// Unicode's `White_Space`) at byte `i` of the UTF-8 text `b`, 0 when the
/// character there is not whitespace.
///
/// NOTE: besides ASCII's, the whitespace characters are U+0085 and U+00A0
/// (lead byte C2), U+1680 (E1), U+2000 to U+200A, U+2028, U+2029, U+202F
/// and U+205F (E2), and U+3000 (E3).
fn whitespace_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t'..=b'\r' | b' ' => 1,
        0x00..=0x7f => 0,
        0xc2 if matches!(at(1), 0x85 | 0xa0) => 2,
        0xe1 if (at(1), at(2)) == (0x9a, 0x80) => 3,
        0xe2 if matches!(
            (at(1), at(2)),
            (0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0x81, 0x9f)
        ) =>
        {
            3
        }
        0xe3 if (at(1), at(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

/// Where the word that starts at byte `i` of the UTF-8 text `b` ends: the
/// next whitespace character, or the end.
fn word_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    loop {
        // Eight bytes from `!` to `~` at once: a byte below 0x21 makes the
        // subtraction borrow into its high bit, a byte above 0x7f has it.
        while let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
            if ((x.wrapping_sub(ONES * 0x21) & !x) | x) & HIGH != 0 {
                break;
            }
            i += 8;
        }
        let Some(&c) = b.get(i) else {
            return b.len();
        };
        if whitespace_len(b, i) > 0 {
            return i;
        }
        // Step over the character by the length its lead byte gives.
        i += match c {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
    }
}

/// Answers to [`in_running_text`] for links, by the block around them: a
/// link's answer is its block's, since the words of every link are left
/// out. A menu of ten thousand links is walked once, not once a link.
///
/// Any other inline element's answer is read off its block's words too:
/// the texts with a letter or digit that [`in_running_text`]'s walk of the
/// block meets when it enters no element it skips but links and nested
/// blocks. The element stands in running text when one of them lies
/// outside it. A paragraph of many `<span>`s is walked once, not once a
/// `<span>`.
#[derive(Default)]
struct RunningText {
    links: FxHashMap<NodeId, bool>,
    /// Each block's words, as above.
    words: FxHashMap<NodeId, Vec<NodeId>>,
}

impl RunningText {
    fn holds(&mut self, dom: &Dom, id: NodeId) -> bool {
        let Some(e) = dom.element(id) else {
            return false;
        };
        if e.is("a") {
            let block = block_of(dom, id);
            return *self
                .links
                .entry(block)
                .or_insert_with(|| in_running_text(dom, id));
        }
        if inline(e) != Some(true) {
            return false;
        }
        let block = block_of(dom, id);
        let words = self
            .words
            .entry(block)
            .or_insert_with(|| words_of_block(dom, block));
        words.iter().any(|&w| !is_inside(dom, w, id, block))
    }
}

/// The texts with a letter or digit of `block` outside links and nested
/// blocks (see [`RunningText`]).
fn words_of_block(dom: &Dom, block: NodeId) -> Vec<NodeId> {
    let mut words = Vec::new();
    let mut walk = dom.descendants(block);
    walk.next();
    while let Some(n) = walk.next() {
        match dom.data(n) {
            NodeData::Text(t) if t.chars().any(char::is_alphanumeric) => words.push(n),
            NodeData::Element(e) if e.is("a") || inline(e) != Some(true) => {
                walk.skip_children_of(n)
            }
            _ => {}
        }
    }
    words
}

/// Whether `n` is `id` or inside it, looking up no further than `block`.
fn is_inside(dom: &Dom, n: NodeId, id: NodeId, block: NodeId) -> bool {
    let mut cur = Some(n);
    while let Some(c) = cur {
        if c == id {
            return true;
        }
        if c == block {
            return false;
        }
        cur = dom.parent(c);
    }
    false
}

/// Elements of the allow-list that the output shows inside a line of text
/// (the HTML standard's phrasing content); every other kept element, and
/// every element the sanitizer renames, starts a block.
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "img", "ins", "kbd", "mark", "q", "rp", "rt", "rtc", "ruby", "s", "samp",
    "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// How the output shows an element: `None` when the sanitizer drops it
/// with its content, else whether it sits inside a line of text (an
/// element the sanitizer unwraps does: its content joins its parent's).
fn inline(e: &Element) -> Option<bool> {
    match policy::fate(e.ns() == Ns::Html, e.name()) {
        Fate::Drop => None,
        Fate::Unwrap => Some(true),
        Fate::Keep => Some(INLINE.contains(&e.name())),
        Fate::Rename(_) => Some(false),
    }
}

/// The nearest ancestor of `id` that starts a block in the output (or the
/// content root).
fn block_of(dom: &Dom, id: NodeId) -> NodeId {
    let root = dom.content();
    let mut cur = id;
    while let Some(p) = dom.parent(cur) {
        if p == root || dom.element(p).is_some_and(|e| inline(e) != Some(true)) {
            return p;
        }
        cur = p;
    }
    root
}

/// Whether `id` stands in running text: it is shown inline, and the block
/// around it has words (a letter or digit) outside `id`, outside links and
/// outside the blocks nested in it. A link that is a whole menu entry, button or footer line
/// does not (`<li><a>Subscribe</a></li>`, `<div><a>Home</a> | <a>Log
/// in</a></div>`); one inside a sentence does (`<p>Please <a>subscribe</a>
/// today</p>`). The tree is judged as the output will show it: text the
/// sanitizer drops with its element is not read, and an element it
/// unwraps is part of the line it stands in.
fn in_running_text(dom: &Dom, id: NodeId) -> bool {
    if dom.element(id).and_then(inline) != Some(true) {
        return false;
    }
    let block = block_of(dom, id);
    let mut walk = dom.descendants(block);
    walk.next();
    while let Some(n) = walk.next() {
        match dom.data(n) {
            NodeData::Text(t) if t.chars().any(char::is_alphanumeric) => return true,
            NodeData::Element(e) if n == id || e.is("a") || inline(e) != Some(true) => {
                walk.skip_children_of(n)
            }
            _ => {}
        }
    }
    false
}

/// Whether the text of `id` satisfies the `text` condition of `c`, if any.
pub(crate) fn text_holds(
    c: &Conditions,
    dom: &Dom,
    id: NodeId,
    stats: &Stats,
    text: &mut TextOf,
) -> bool {
    let Some(t) = &c.text else {
        return true;
    };
    let chars = stats.text[id.index()];
    if t.max_chars.is_some_and(|m| chars as usize > m) {
        return false;
    }
    if t.matches.is_empty() && c.text_matches.is_empty() && t.words.is_none() {
        return true;
    }
    chars <= MAX_LABEL_CHARS && {
        let text = text.get(dom, id);
        t.matches.iter().any(|re| re.is_match(text))
            || c.text_matches.iter().any(|p| p.is_match(text))
            || t.words.as_ref().is_some_and(|w| w.hold(text))
    }
}

/// The URLs of an element's attributes (each `srcset` candidate apart), as
/// a URL parser reads them: trimmed, without tabs and line breaks (which
/// it removes anywhere, so they would hide a URL from a pattern only until
/// the URL is written out clean, and cleaning twice would differ).
fn url_attrs<'e, F: Fn(&str) -> bool>(
    e: &'e crate::dom::Element,
    read: F,
) -> impl Iterator<Item = (&'e str, Cow<'e, str>)> {
    e.attrs()
        .filter(move |(name, _)| read(name))
        .flat_map(|(name, value)| {
            // NOTE: only a `srcset` allocates (its candidates).
            let (srcset, single) = if name.ends_with("srcset") {
                (Some(urls::parse_srcset(value)), None)
            } else {
                (None, Some(value.trim()))
            };
            srcset
                .into_iter()
                .flatten()
                .map(|c| c.url)
                .chain(single)
                .map(move |url| (name, url))
        })
        .map(|(name, url)| {
            if url.contains(['\t', '\n', '\r']) {
                (name, Cow::Owned(url.replace(['\t', '\n', '\r'], "")))
            } else {
                (name, Cow::Borrowed(url))
            }
        })
}

/// The attributes a URL condition reads when it names none: every URL
/// attribute, and the lazy-loading ones.
fn is_default_url_attr(name: &str) -> bool {
    policy::is_url_attr(name) || policy::is_lazy_url_attr(name)
}

/// Whether a URL of the element meets the condition; its host and path,
/// once found, stay in `parts` for the next rule.
fn url_matches(u: &UrlCond, parts: &mut UrlParts<'_>, ctx: &Context<'_>) -> bool {
    let url: &str = &parts.url;
    if u.same_page
        && ctx
            .page_url
            .is_some_and(|p| crate::page::is_same_page(p, url))
    {
        return true;
    }
    let wants_host = !u.hosts.is_empty() || !u.host_patterns.is_empty();
    if wants_host {
        let host = parts
            .host
            .get_or_insert_with(|| urls::host(url).map(Cow::into_owned));
        if let Some(host) = host {
            if urls::host_in(host, &u.hosts) || u.host_patterns.is_match(host) {
                return true;
            }
        }
    }
    if !u.path_patterns.is_empty() {
        let path = parts
            .path
            .get_or_insert_with(|| urls::path(url, ctx.base_url).into_owned());
        if u.path_patterns.is_match(path) {
            return true;
        }
    }
    if !u.query_keys.is_empty() && urls::query_keys(url).any(|k| u.query_keys.contains(&k)) {
        return true;
    }
    u.patterns.is_match(url)
}

/// A length in CSS pixels from an attribute (`1`, `1px`) or an inline style.
fn dimension(e: &Element, name: &str) -> Option<f32> {
    let from_style = e.attr("style").and_then(|s| crate::style::value(s, name));
    let raw = from_style.or_else(|| e.attr(name).map(str::to_string))?;
    let raw = raw.trim();
    let num = raw.strip_suffix("px").unwrap_or(raw).trim();
    num.parse::<f32>().ok()
}

/// Whether an element is sized at most `max` CSS pixels: an explicit width
/// or height, each one given at most `max`, and nothing that makes it
/// responsive (see [`is_responsive`]).
fn is_at_most(e: &Element, max: u32) -> bool {
    let dims = [dimension(e, "width"), dimension(e, "height")];
    let known: Vec<f32> = dims.into_iter().flatten().collect();
    !known.is_empty() && known.iter().all(|&d| d <= max as f32) && !is_responsive(e)
}

/// Whether an element is drawn at the size of its box rather than the size
/// it gives: a `srcset` or `sizes`, a minimum or maximum size, or a size in
/// percent. Next.js and many image components write `width:0;height:0;
/// min-width:100%;max-width:100%` on the lead photo of a page; it is not a
/// one-pixel beacon.
fn is_responsive(e: &Element) -> bool {
    const BOUNDS: &[&str] = &["min-width", "max-width", "min-height", "max-height"];
    if e.attr("srcset").is_some() || e.attr("sizes").is_some() {
        return true;
    }
    let percent = ["width", "height"]
        .iter()
        .any(|a| e.attr(a).is_some_and(|v| v.contains('%')));
    percent
        || e.attr("style").is_some_and(|s| {
            BOUNDS.iter().any(|p| crate::style::value(s, p).is_some())
                || ["width", "height"]
                    .iter()
                    .any(|p| crate::style::value(s, p).is_some_and(|v| v.contains('%')))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the first `<a>` of `html` stands in running text.
    fn link_in_text(html: &str) -> bool {
        let dom = Dom::parse_fragment(html);
        let a = dom
            .descendants(dom.root())
            .find(|&n| dom.is_element(n, "a"))
            .expect("the fragment has a link");
        in_running_text(&dom, a)
    }

    #[test]
    fn links_inside_sentences_are_in_running_text() {
        assert!(link_in_text(
            "<p>Please <a href=/s>subscribe</a> today.</p>"
        ));
        assert!(link_in_text(
            "<p>Please <em><a href=/s>subscribe</a></em></p>"
        ));
        assert!(link_in_text(
            "<p><span>Need more?</span> <a href=/s>Subscribe</a></p>"
        ));
        // Text the sanitizer unwraps is part of the line.
        assert!(link_in_text(
            "<div><x-label>New</x-label> <a href=/s>Subscribe</a></div>"
        ));
    }

    #[test]
    fn whole_items_are_not_in_running_text() {
        assert!(!link_in_text("<ul><li><a href=/s>Subscribe</a></li></ul>"));
        assert!(!link_in_text(
            "<div><a href=/>Home</a> | <a href=/s>Subscribe</a></div>"
        ));
        assert!(!link_in_text(
            "<li><a href=/s><span>Subscribe</span></a></li>"
        ));
        // A nested block's words are its own; a script's are never shown.
        assert!(!link_in_text(
            "<div><p>Breaking news alerts.</p><a href=/s>SUBSCRIBE</a></div>"
        ));
        assert!(!link_in_text(
            "<div><script>var x = 1;</script><a href=/s>Join</a></div>"
        ));
        assert!(!link_in_text("<a href=/s>Subscribe</a>"));
    }

    #[test]
    fn an_inner_element_s_text_is_a_slice_of_the_outer_one_s() {
        let dom = Dom::parse_fragment(
            "<div> <ul>\n<li> <a href=/s><span>Sub</span>scribe <b> now</b></a> </li>\
             <li>a<i>b</i> c<script>var x</script><noscript><p>d e</p></noscript></li>\
             </ul><p> \u{a0}Two  <em>words </em></p></div>",
        );
        let elements: Vec<NodeId> = dom
            .descendants(dom.content())
            .filter(|&n| dom.element(n).is_some() && n != dom.content())
            .collect();
        let mut shared = TextOf::default();
        for &id in &elements {
            let mut alone = String::new();
            collapsed_visible_text(&dom, id, &mut alone, |_, _, _| {});
            assert_eq!(shared.get(&dom, id), alone, "node {}", id.index());
        }
        assert_eq!(
            shared.get(&dom, elements[0]),
            "Subscribe now ab c Two words"
        );
    }

    #[test]
    fn removals_keep_text_counts_as_counting_again_would() {
        let mut dom = Dom::parse_fragment(
            "<div><p>one <b>two</b></p><p>three<script>x</script></p></div><p>four</p>",
        );
        let mut stats = Stats::compute(&dom);
        let b = dom
            .descendants(dom.root())
            .find(|&n| dom.is_element(n, "b"))
            .expect("the fragment has a <b>");
        stats.remove(&dom, b);
        dom.remove(b);
        let again = Stats::compute(&dom);
        for n in dom.descendants(dom.root()) {
            assert_eq!(stats.text[n.index()], again.text[n.index()]);
        }
        assert_eq!(stats.text[dom.content().index()], 12);
    }

    #[test]
    fn non_whitespace_chars_are_counted_as_chars_are() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for t in [
            "",
            " ",
            "a b\tc\n\x0b\x0c\r",
            &every_ascii,
            "\u{a0}x\u{3000}订 ",
            "x\u{85}",
        ] {
            let want = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            assert_eq!(non_whitespace_chars(t), want, "{t:?}");
        }
    }

    #[test]
    fn whitespace_is_found_as_chars_are_asked() {
        // The character after nine ASCII bytes and before eight more: a
        // word's end is found eight bytes at a time, then byte by byte.
        let mut buf = [b'a'; 21];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let n = c.encode_utf8(&mut buf[9..]).len();
            buf[9 + n..].fill(b'b');
            let b = &buf[..17 + n];
            let want = if c.is_whitespace() { n } else { 0 };
            assert_eq!(whitespace_len(b, 9), want, "U+{:04X}", c as u32);
            assert_eq!(word_end(b, 0), if want > 0 { 9 } else { b.len() });
        }
    }

    /// The words of `t` as `push_words` writes them, the way it was first
    /// written: `str::split` at `char::is_whitespace`.
    fn words_by_split(t: &str, out: &mut String, space: &mut bool) {
        let mut words = t.split(char::is_whitespace);
        if let Some(first) = words.next() {
            if !first.is_empty() {
                if *space && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(first);
                *space = false;
            }
        }
        for word in words {
            *space = true;
            if !word.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
                *space = false;
            }
        }
    }

    #[test]
    fn words_are_pushed_as_a_split_at_whitespace_does() {
        let texts = [
            "",
            " ",
            "a",
            "  two  words ",
            "eight by!tes and a longer_word_than_eight\tbytes\n",
            "\u{a0}x\u{3000}订 \u{2003}阅\u{200b}\u{85}",
            "\u{2029}\u{202f}\u{205f}\u{1680}\u{180e}\u{feff}\u{2060}",
            "é\u{e000}\u{10348}\u{e2}\u{80}\tend",
            "订阅我们的电子报，每天获取最新新闻。 Subscribe\u{7f}\u{1f}now",
        ];
        for before in ["", "x"] {
            for carried in [false, true] {
                for t in texts {
                    let (mut want, mut got) = (before.to_string(), before.to_string());
                    let (mut want_space, mut got_space) = (carried, carried);
                    words_by_split(t, &mut want, &mut want_space);
                    push_words(t, &mut got, &mut got_space);
                    assert_eq!((got, got_space), (want, want_space), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn blocks_are_never_in_running_text() {
        let dom = Dom::parse_fragment("Loose words <p>Subscribe now</p>");
        let p = dom
            .descendants(dom.root())
            .find(|&n| dom.is_element(n, "p"))
            .expect("the fragment has a paragraph");
        assert!(!in_running_text(&dom, p));
    }
}
