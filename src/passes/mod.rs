//! The rule passes: one walk matches every rule, then one pass per kind of
//! action edits the tree, drops first so that later passes see less.
//!
//! The order is [`run`]'s: remove (with the content veto), resolve lazy
//! images, unwrap, remove by text (judged on what is left), attribute edits
//! and URL rewrites, drop emptied elements, remove comments. A pass is a
//! plain function of the tree, the matches, the rules and the report; no
//! pass knows about another.

mod attrs;
mod lazy;
mod remove;

use std::borrow::Cow;
use std::collections::HashMap;

use selectors::context::SelectorCaches;
use url::Url;

use crate::dom::{Dom, NodeData, NodeId};
use crate::report::Report;
use crate::rules::{Action, Conditions, Rules};
use crate::sanitize::DROPPED_WITH_CONTENT;
use crate::select::Index;
use crate::urls;

/// Rules compiled for matching: the rules and their selector index.
#[derive(Default)]
pub(crate) struct Engine {
    rules: Rules,
    index: Index,
}

impl Engine {
    pub(crate) fn new(rules: Rules) -> Engine {
        let mut index = Index::default();
        for (i, r) in rules.iter().enumerate() {
            if let Some(sel) = &r.selector {
                index.add(i, sel);
            }
        }
        index.finish();
        Engine { rules, index }
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

/// Per-document settings the passes need.
#[derive(Default)]
pub(crate) struct Context<'a> {
    /// Relative URLs are resolved against this, when given.
    pub(crate) base_url: Option<&'a Url>,
    /// The page's own URL, when known: `same_page` URL conditions need it.
    pub(crate) page_url: Option<&'a Url>,
}

/// Runs every rule on the content of `dom`.
pub(crate) fn run(engine: &Engine, dom: &mut Dom, ctx: &Context<'_>, report: &mut Report) {
    report.add_deep_tags_dropped(dom.dropped_deep_tags);
    let rules = &engine.rules;
    let stats = Stats::compute(dom);
    let mut matches = collect(engine, dom, &stats, ctx);
    let mut emptied = Vec::new();
    remove::remove(dom, &matches, rules, &stats, report, &mut emptied);
    lazy::resolve(dom, &matches, rules, report, &mut emptied);
    remove::unwrap(dom, &matches, rules, report);
    // After the unwraps: a <noscript> the rules show is text a reader gets.
    remove_by_text(dom, &mut matches, rules, report, &mut emptied);
    attrs::edit(dom, &matches, rules, report);
    attrs::resolve_urls(dom, ctx.base_url);
    remove::drop_empty(dom, &matches, rules, report, &emptied);
    remove::comments(dom, rules, report);
}

/// Most rounds of [`remove_by_text`]; each can only shrink the text, and
/// one or two settle real pages.
const TEXT_ROUNDS: usize = 4;

/// Applies the removals whose rule has a `text` condition, judged on the
/// text left by the other removals: an "Advertisement" label beside an ad
/// slot is a block whose only text is the label once the slot is gone, as
/// it would be when the cleaned page is cleaned again. Rounds go on while
/// they remove something.
fn remove_by_text(
    dom: &mut Dom,
    matches: &mut Matches,
    rules: &Rules,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    for _ in 0..TEXT_ROUNDS {
        matches.by_text.retain(|&(id, _)| !dom.is_removed(id));
        if matches.by_text.is_empty() {
            return;
        }
        let stats = Stats::compute(dom);
        let mut round = Matches::default();
        let mut hits = Vec::new();
        for &(id, r) in &matches.by_text {
            if let Some(t) = &rules.get(r).conditions.text {
                if text_holds(t, dom, id, &stats) {
                    hits.push((id, r));
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        // A match judged once (applied or vetoed) is not judged again.
        matches.by_text.retain(|m| !hits.contains(m));
        round.by_action.insert(Action::Remove, hits);
        remove::remove(dom, &round, rules, &stats, report, emptied);
    }
}

/// Strips tracking parameters from a URL outside the tree (a Markdown link's
/// destination) with every `strip_params` rule, reporting each that changed it.
pub(crate) fn strip_markdown_url<'u>(
    engine: &Engine,
    url: &'u str,
    report: &mut Report,
) -> std::borrow::Cow<'u, str> {
    let mut current = std::borrow::Cow::Borrowed(url);
    for rule in engine
        .rules
        .iter()
        .filter(|r| r.action() == Action::StripParams)
    {
        let names = &rule.params.params;
        if let std::borrow::Cow::Owned(new) = urls::strip_params(&current, |p| names.contains(p)) {
            report.push(crate::report::Change {
                rule: rule.id().to_string(),
                action: Action::StripParams,
                target: "(markdown link)".to_string(),
                text_chars: 0,
                vetoed: false,
                detail: String::new(),
            });
            current = std::borrow::Cow::Owned(new);
        }
    }
    current
}

/// Which rule matched which element, per action, in document order.
#[derive(Default)]
pub(crate) struct Matches {
    by_action: HashMap<Action, Vec<(NodeId, usize)>>,
    /// Removals whose `text` condition is judged after the other removals.
    by_text: Vec<(NodeId, usize)>,
}

impl Matches {
    pub(crate) fn get(&self, action: Action) -> &[(NodeId, usize)] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }
}

/// Per-node text counts of the tree as parsed, for conditions and the veto.
pub(crate) struct Stats {
    /// Non-whitespace characters of text inside the node.
    pub(crate) text: Vec<u32>,
    /// The same, not counting link text: what the content veto weighs.
    pub(crate) prose: Vec<u32>,
    /// Direct `<p>` children.
    pub(crate) paragraphs: Vec<u32>,
}

impl Stats {
    fn compute(dom: &Dom) -> Stats {
        let n = dom.len();
        let mut text = vec![0u32; n];
        let mut prose = vec![0u32; n];
        let mut paragraphs = vec![0u32; n];
        // Whether a node sits inside a link or never-rendered text.
        let mut in_link = vec![false; n];
        let mut hidden = vec![false; n];
        let order: Vec<NodeId> = dom.descendants(dom.root()).collect();
        for &id in &order {
            if let Some(p) = dom.parent(id) {
                let pe = dom.element(p);
                in_link[id.index()] = in_link[p.index()] || pe.is_some_and(|e| e.is("a"));
                hidden[id.index()] = hidden[p.index()]
                    || pe.is_some_and(|e| DROPPED_WITH_CONTENT.contains(&e.name()));
            }
        }
        // NOTE: ids follow document order, so every child comes after its
        // parent and a reverse walk adds children up before their parents.
        for &id in order.iter().rev() {
            let i = id.index();
            if let NodeData::Text(t) = dom.data(id) {
                if !hidden[i] {
                    let c = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
                    text[i] = c;
                    if !in_link[i] {
                        prose[i] = c;
                    }
                }
            }
            if let Some(p) = dom.parent(id) {
                text[p.index()] += text[i];
                prose[p.index()] += prose[i];
                if dom.is_element(id, "p") {
                    paragraphs[p.index()] += 1;
                }
            }
        }
        Stats {
            text,
            prose,
            paragraphs,
        }
    }
}

/// The one walk: every element tests the rules its id, classes, attributes
/// and tag could match, then their conditions.
fn collect(engine: &Engine, dom: &Dom, stats: &Stats, ctx: &Context<'_>) -> Matches {
    let mut matches = Matches::default();
    let mut caches = SelectorCaches::default();
    let mut found = Vec::new();
    let mut scratch = Vec::new();
    let root = dom.content();
    for id in dom.descendants(root) {
        if dom.element(id).is_none() || id == root {
            continue;
        }
        engine
            .index
            .matching_rules(dom, id, &mut caches, &mut scratch, &mut found);
        for &r in &found {
            let rule = engine.rules.get(r);
            let c = &rule.conditions;
            if rule.action() == Action::Remove && c.text.is_some() {
                if conditions_hold(c, dom, id, stats, ctx, false) {
                    matches.by_text.push((id, r));
                }
            } else if conditions_hold(c, dom, id, stats, ctx, true) {
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
fn conditions_hold(
    c: &Conditions,
    dom: &Dom,
    id: NodeId,
    stats: &Stats,
    ctx: &Context<'_>,
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
    if let Some(u) = &c.url {
        if !url_attrs(e, u.attrs.as_deref()).any(|url| url_matches(u, &url, ctx)) {
            return false;
        }
    }
    // Last: it is the only condition that allocates.
    if let Some(t) = &c.text {
        if with_text && !text_holds(t, dom, id, stats) {
            return false;
        }
    }
    true
}

/// The text of `id` that stays visible: not inside a script, a style or
/// anything else the sanitizer drops with its content. A rule must judge
/// the text a reader gets, or cleaning would not be idempotent (a script's
/// words hide a call to action until the sanitizer drops the script).
fn visible_text(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    let mut walk = dom.descendants(id);
    while let Some(n) = walk.next() {
        match dom.data(n) {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element(e) if n != id && DROPPED_WITH_CONTENT.contains(&e.name()) => {
                walk.skip_children_of(n)
            }
            _ => {}
        }
    }
    out
}

/// Whether the text of `id` satisfies a `text` condition.
fn text_holds(t: &crate::rules::TextCond, dom: &Dom, id: NodeId, stats: &Stats) -> bool {
    let chars = stats.text[id.index()];
    if t.max_chars.is_some_and(|m| chars as usize > m) {
        return false;
    }
    if t.matches.is_empty() {
        return true;
    }
    chars <= MAX_LABEL_CHARS && {
        let text = collapse(&visible_text(dom, id));
        t.matches.iter().any(|re| re.is_match(&text))
    }
}

/// Text with runs of whitespace made one space, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Attributes that hold a URL by default for URL conditions: the URL
/// attributes, `srcset`, and the lazy-loading ones.
const DEFAULT_URL_COND_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "data-src",
    "data-srcset",
    "data-original",
    "data-lazy-src",
    "data-url",
    "data-href",
];

/// The URLs of an element's attributes (each `srcset` candidate apart), as
/// a URL parser reads them: trimmed, without tabs and line breaks (which
/// it removes anywhere, so they would hide a URL from a pattern only until
/// the URL is written out clean, and cleaning twice would differ).
fn url_attrs<'e>(
    e: &'e crate::dom::Element,
    attrs: Option<&'e [String]>,
) -> impl Iterator<Item = Cow<'e, str>> + 'e {
    e.attrs()
        .filter(move |(name, _)| match attrs {
            Some(list) => list.iter().any(|a| a == name),
            None => DEFAULT_URL_COND_ATTRS.contains(name),
        })
        .flat_map(|(name, value)| {
            let v: Vec<&str> = if name.ends_with("srcset") {
                urls::parse_srcset(value)
                    .into_iter()
                    .map(|c| c.url)
                    .collect()
            } else {
                vec![value.trim()]
            };
            v
        })
        .map(|url| {
            if url.contains(['\t', '\n', '\r']) {
                Cow::Owned(url.replace(['\t', '\n', '\r'], ""))
            } else {
                Cow::Borrowed(url)
            }
        })
}

fn url_matches(u: &crate::rules::UrlCond, url: &str, ctx: &Context<'_>) -> bool {
    if u.same_page
        && ctx
            .page_url
            .is_some_and(|p| crate::page::is_same_page(p, url))
    {
        return true;
    }
    if !u.hosts.is_empty() || !u.host_patterns.is_empty() {
        if let Some(host) = urls::host(url) {
            if urls::host_in(&host, &u.hosts) || u.host_patterns.iter().any(|re| re.is_match(&host))
            {
                return true;
            }
        }
    }
    if !u.path_patterns.is_empty() {
        let path = urls::path(url);
        if u.path_patterns.iter().any(|re| re.is_match(path)) {
            return true;
        }
    }
    if !u.query_keys.is_empty() && urls::query_keys(url).any(|k| u.query_keys.contains(&k)) {
        return true;
    }
    u.patterns.iter().any(|re| re.is_match(url))
}

/// A length in CSS pixels from an attribute (`1`, `1px`) or an inline style.
fn dimension(e: &crate::dom::Element, name: &str) -> Option<f32> {
    let from_style = e.attr("style").and_then(|s| crate::style::value(s, name));
    let raw = from_style.or_else(|| e.attr(name).map(str::to_string))?;
    let raw = raw.trim();
    let num = raw.strip_suffix("px").unwrap_or(raw).trim();
    num.parse::<f32>().ok()
}

fn is_at_most(e: &crate::dom::Element, max: u32) -> bool {
    let dims = [dimension(e, "width"), dimension(e, "height")];
    let known: Vec<f32> = dims.into_iter().flatten().collect();
    !known.is_empty() && known.iter().all(|&d| d <= max as f32)
}

/// A short `tag#id.class` path of `id` from its nearest ancestors.
pub(crate) fn describe(dom: &Dom, id: NodeId) -> String {
    const MAX_LEVELS: usize = 3;
    let mut parts = Vec::new();
    let mut cur = Some(id);
    while let Some(n) = cur {
        if n == dom.content() || parts.len() == MAX_LEVELS {
            break;
        }
        if let Some(e) = dom.element(n) {
            let mut s = e.name().to_string();
            if let Some(i) = e.id().filter(|i| !i.is_empty()) {
                s.push('#');
                s.push_str(i);
            }
            for c in e.classes().take(3) {
                s.push('.');
                s.push_str(c);
            }
            parts.push(s);
        }
        cur = dom.parent(n);
    }
    parts.reverse();
    parts.join(" > ")
}
