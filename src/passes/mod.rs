//! The rule passes: given what the one matching walk found
//! ([`crate::rules::matching`]), one pass per kind of action edits the tree,
//! drops first so that later passes see less.
//!
//! The order is [`run`]'s: ask the filter lists' network rules (their
//! blocked elements join the removals), remove (with the content veto; then
//! the wrappers left empty by a blocked resource), resolve lazy
//! images, drop escaped markup from `<noscript>`s about to be unwrapped,
//! unwrap, remove and unwrap by text (judged on what is left), attribute edits
//! and URL rewrites, drop emptied elements, remove comments. A pass is a
//! plain function of the tree, the matches, the rules and the report; no
//! pass knows about another.

mod attrs;
mod lazy;
#[cfg(feature = "filter-lists")]
mod network;
mod noscript;
mod remove;
mod veto;

use rustc_hash::FxHashSet;

use crate::dom::{Dom, NodeId};
use crate::report::Report;
use crate::rules::matching::{self, Matches, Stats};
use crate::rules::{Action, RuleIx, Rules};
use crate::urls;

pub(crate) use crate::rules::matching::{Context, Engine};

/// Runs every rule on the content of `dom`.
pub(crate) fn run(engine: &Engine, dom: &mut Dom, ctx: &Context<'_>, report: &mut Report) {
    report.add_deep_tags_dropped(dom.dropped_deep_tags);
    let rules = engine.rules();
    let mut stats = Stats::compute(dom);
    let mut matches = matching::collect(engine, dom, &stats, ctx);
    let mut emptied = Vec::new();
    #[cfg(feature = "filter-lists")]
    let blocked = network::check(dom, ctx, rules, &mut matches, report);
    remove::remove(dom, &matches, rules, &mut stats, report, &mut emptied);
    #[cfg(feature = "filter-lists")]
    network::drop_wrappers(dom, &blocked, report);
    lazy::resolve(dom, &matches, rules, report, &mut emptied);
    noscript::drop_escaped_markup(dom, &matches, rules, report);
    // NOTE: the removals and unwraps keep `stats` up to date, and the
    // passes between edit no text it counts (lazy images and the wrappers
    // of blocked resources hold none; escaped markup is in a `<noscript>`,
    // hidden; an unwrap moves text to a parent that counts it already, or
    // counts what it shows).
    remove::unwrap(dom, &matches, rules, &mut stats, report);
    // After the unwraps: a <noscript> the rules show is text a reader gets.
    remove_by_text(dom, &mut matches, rules, &mut stats, report, &mut emptied);
    attrs::edit(dom, &matches, rules, report);
    attrs::resolve_urls(dom, ctx.base_url);
    remove::drop_empty(dom, &matches, rules, report, &emptied);
    remove::comments(dom, rules, report);
}

/// Most rounds of [`remove_by_text`]; each can only shrink the text, and
/// one or two settle real pages.
const TEXT_ROUNDS: usize = 4;

/// Applies the removals and unwraps whose rule has a `text` condition,
/// judged on the text left by the other removals: an "Advertisement" label
/// beside an ad slot is a block whose only text is the label once the slot
/// is gone, as it would be when the cleaned page is cleaned again (and a
/// link whose words become a call to action once a hidden part of them
/// goes is unwrapped now, not when the output is cleaned again). Rounds go
/// on while they remove something.
fn remove_by_text(
    dom: &mut Dom,
    matches: &mut Matches,
    rules: &Rules,
    stats: &mut Stats,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    // Which candidates the last round's edits may have changed: `None`
    // before the first round, when every candidate is judged.
    let mut touched: Option<Vec<bool>> = None;
    for _ in 0..TEXT_ROUNDS {
        matches.by_text.retain(|&(id, _)| !dom.is_removed(id));
        if matches.by_text.is_empty() {
            return;
        }
        debug_assert!(is_current(stats, dom), "the text counts are the tree's");
        let mut round = Matches::default();
        let mut hits = Vec::new();
        let mut text = matching::TextOf::default();
        for &(id, r) in &matches.by_text {
            // NOTE: a text condition reads the element's subtree alone (and
            // whether an ancestor hides it, which only unwrapping that
            // ancestor changes): a candidate no edit touched is judged as
            // it was, false.
            if touched
                .as_ref()
                .is_some_and(|t| !t.get(id.index()).copied().unwrap_or(true))
            {
                continue;
            }
            let c = &rules.get(r).conditions;
            if c.text.is_some() && matching::text_holds(c, dom, id, stats, &mut text) {
                hits.push((id, r));
            }
        }
        if hits.is_empty() {
            return;
        }
        touched = Some(touched_by(dom, &hits, rules));
        // A match judged once (applied or vetoed) is not judged again.
        let judged: FxHashSet<(NodeId, RuleIx)> = hits.iter().copied().collect();
        matches.by_text.retain(|m| !judged.contains(m));
        let (unwraps, removals): (Vec<_>, Vec<_>) = hits
            .into_iter()
            .partition(|&(_, r)| rules.get(r).action() == Action::Unwrap);
        round.by_action.insert(Action::Remove, removals);
        round.by_action.insert(Action::Unwrap, unwraps);
        remove::remove(dom, &round, rules, stats, report, emptied);
        remove::unwrap(dom, &round, rules, stats, report);
    }
}

/// Whether `stats` counts the text of the tree as it is (its nodes'; a
/// removed node's count is left as it was), for debug builds' checks.
fn is_current(stats: &Stats, dom: &Dom) -> bool {
    let fresh = Stats::compute(dom);
    dom.descendants(dom.root())
        .all(|n| stats.text.get(n.index()) == fresh.text.get(n.index()))
}

/// The nodes whose text conditions removing or unwrapping `hits` may
/// change: their ancestors, whose text shrinks, and what an unwrapped
/// element held, which an ancestor may have hidden until now.
fn touched_by(dom: &Dom, hits: &[(NodeId, RuleIx)], rules: &Rules) -> Vec<bool> {
    let mut touched = vec![false; dom.len()];
    for &(id, r) in hits {
        // NOTE: every marked node's ancestors are marked, so a walk up can
        // stop at the first marked one.
        let mut cur = Some(id);
        while let Some(n) = cur {
            if touched[n.index()] {
                break;
            }
            touched[n.index()] = true;
            cur = dom.parent(n);
        }
        if rules.get(r).action() == Action::Unwrap {
            for n in dom.descendants(id) {
                touched[n.index()] = true;
            }
        }
    }
    touched
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
        .rules()
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

/// Whether `t` holds a character that is not whitespace: what is left of
/// it trimmed (`str::trim`).
///
/// NOTE: the text between tags is mostly ASCII whitespace, which is
/// passed over a byte at a time; from the first other byte on (a char
/// boundary, as all before are ASCII) characters are read as `trim` does.
pub(super) fn has_visible(t: &str) -> bool {
    t.bytes()
        .position(|b| !matches!(b, b' ' | b'\t'..=b'\r'))
        .is_some_and(|i| t[i..].chars().any(|c| !c.is_whitespace()))
}

/// A short `tag#id.class` path of `id` from its nearest ancestors.
pub(crate) fn describe(dom: &Dom, id: NodeId) -> String {
    const MAX_LEVELS: usize = 3;
    // NOTE: the elements first, then one string written outer to inner:
    // a report names every removal, thousands on a big page.
    let mut levels = [id; MAX_LEVELS];
    let mut n_levels = 0;
    let mut cur = Some(id);
    while let Some(n) = cur {
        if n == dom.content() || n_levels == MAX_LEVELS {
            break;
        }
        if dom.element(n).is_some() {
            levels[n_levels] = n;
            n_levels += 1;
        }
        cur = dom.parent(n);
    }
    // NOTE: sized once, as growing it a piece at a time cost more than
    // the rest of the work: each level's part is at most its name, `#`
    // and id, and its class attribute with a `.` before it.
    let size: usize = levels[..n_levels]
        .iter()
        .filter_map(|&n| dom.element(n))
        .map(|e| {
            " > ".len()
                + e.name().len()
                + e.id().map_or(0, |i| 1 + i.len())
                + e.attr("class").map_or(0, |c| 1 + c.len())
        })
        .sum();
    let mut s = String::with_capacity(size);
    for (i, &n) in levels[..n_levels].iter().rev().enumerate() {
        let e = dom.element(n).expect("levels are elements");
        if i > 0 {
            s.push_str(" > ");
        }
        s.push_str(e.name());
        if let Some(i) = e.id().filter(|i| !i.is_empty()) {
            s.push('#');
            s.push_str(i);
        }
        for c in e.classes().take(3) {
            s.push('.');
            s.push_str(c);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_is_what_trimming_leaves() {
        for t in [
            "",
            " \t\n\x0b\x0c\r",
            "x",
            "  x  ",
            "\u{a0}",
            " \u{3000}\u{85} ",
            " \u{a0}x",
            "\u{a0}\u{200b}",
            "订",
        ] {
            assert_eq!(has_visible(t), !t.trim().is_empty(), "{t:?}");
        }
    }

    #[test]
    fn descriptions_name_three_levels_outer_to_inner() {
        let dom = Dom::parse_fragment(
            "<div id=a class='x y z w'><section id=''><p class=q><b>t</b></p></section></div>",
        );
        let find = |tag: &str| {
            dom.descendants(dom.root())
                .find(|&n| dom.is_element(n, tag))
                .expect("the fragment has the element")
        };
        assert_eq!(describe(&dom, find("p")), "div#a.x.y.z > section > p.q");
        assert_eq!(describe(&dom, find("b")), "section > p.q > b");
        assert_eq!(describe(&dom, find("div")), "div#a.x.y.z");
        assert_eq!(describe(&dom, dom.content()), "");
    }
}
