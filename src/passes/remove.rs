//! Removals (with the content veto), unwraps, emptied elements and comments.

use rustc_hash::{FxHashMap, FxHashSet};

use super::veto::{Reason, Weights};
use super::{describe, has_visible, Matches, Stats};
use crate::dom::{Dom, NodeData, NodeId, Ns};
use crate::policy::{self, Fate};
use crate::report::{Change, Report};
use crate::rules::{Action, RuleIx, Rules};

/// Applies `remove` rules, rule by rule, each judged by the content veto
/// (`super::veto`) against what the rules before it left: strict rules
/// first, then the others from the one whose matches hold the least prose.
/// Within a rule, matches go in document order.
pub(super) fn remove(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    stats: &mut Stats,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    let list = matches.get(Action::Remove);
    if list.is_empty() {
        return;
    }
    let mut weights = Weights::new(dom, stats);
    let mut by_rule: Vec<(RuleIx, Vec<NodeId>)> = Vec::new();
    let mut slot: FxHashMap<RuleIx, usize> = FxHashMap::default();
    for &(id, r) in list {
        let i = *slot.entry(r).or_insert_with(|| {
            by_rule.push((r, Vec::new()));
            by_rule.len() - 1
        });
        by_rule[i].1.push(id);
    }
    by_rule.sort_by_cached_key(|(r, ids)| {
        let own: FxHashSet<NodeId> = ids.iter().copied().collect();
        let prose: u64 = ids
            .iter()
            .filter(|&&id| !dom.ancestors(id).any(|a| own.contains(&a)))
            .map(|&id| u64::from(weights.prose(id)))
            .sum();
        (!rules.get(*r).is_strict(), prose, *r)
    });

    // Judged rule by rule, reported in document order.
    let mut changes: Vec<(NodeId, Change)> = Vec::new();
    for (r, ids) in by_rule {
        let rule = rules.get(r);
        let mut decisions: Vec<(NodeId, Option<Reason>)> = Vec::with_capacity(ids.len());
        if rule.is_strict() {
            decisions.extend(ids.iter().map(|&id| (id, None)));
        } else {
            // Each match alone, then the rule's matches together, measured
            // by its own outermost matches that pass alone.
            let mut passing: FxHashSet<NodeId> = FxHashSet::default();
            let (mut prose, mut images) = (0u32, 0u32);
            for &id in &ids {
                if dom.is_removed(id) {
                    continue;
                }
                let veto = weights.judge_element(id, rule.veto_images);
                if veto.is_none() {
                    if !dom.ancestors(id).any(|a| passing.contains(&a)) {
                        prose = prose.saturating_add(weights.prose(id));
                        if rule.veto_images {
                            images = images.saturating_add(weights.images(id));
                        }
                    }
                    passing.insert(id);
                }
                decisions.push((id, veto));
            }
            if let Some(reason) = weights.judge_together(prose, images) {
                for (_, veto) in decisions.iter_mut().filter(|(_, v)| v.is_none()) {
                    *veto = Some(reason.clone());
                }
            }
        }
        for (id, veto) in decisions {
            // A match inside another match of the rule went with it.
            if dom.is_removed(id) {
                continue;
            }
            let vetoed = veto.is_some();
            // A filter list's removal names the list line that made it.
            let line = matches
                .details
                .get(&(id, r))
                .map(String::as_str)
                .or_else(|| rule.list_line());
            let detail = match (veto, line) {
                (Some(v), Some(l)) => format!("{v}; {l}"),
                (v, l) => v.or_else(|| l.map(str::to_string)).unwrap_or_default(),
            };
            let change = Change {
                rule: rule.id().to_string(),
                action: Action::Remove,
                target: describe(dom, id),
                text_chars: stats.text[id.index()] as usize,
                vetoed,
                detail,
            };
            changes.push((id, change));
            if !vetoed {
                if let Some(p) = dom.parent(id) {
                    emptied.push(p);
                }
                weights.remove(dom, id);
                stats.remove(dom, id);
                dom.remove(id);
            }
        }
    }
    changes.sort_by_key(|(id, _)| id.index());
    for (_, change) in changes {
        report.push(change);
    }
}

/// Applies `unwrap` rules: the element goes, its children stay. `stats`
/// counts the text an unwrapped element hid (a `<noscript>`), which now
/// shows.
pub(super) fn unwrap(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    stats: &mut Stats,
    report: &mut Report,
) {
    for &(id, r) in matches.get(Action::Unwrap) {
        if dom.is_removed(id) {
            continue;
        }
        report.push(Change {
            rule: rules.get(r).id().to_string(),
            action: Action::Unwrap,
            target: describe(dom, id),
            text_chars: 0,
            vetoed: false,
            detail: String::new(),
        });
        if dom
            .element(id)
            .is_some_and(|e| policy::drops_content(e.name()))
        {
            count_shown(dom, id, stats);
        }
        dom.unwrap(id);
    }
}

/// Adds to `stats` the text that `id`, an element that hides its text,
/// shows once unwrapped: unless an ancestor hides it too, each text in it
/// outside another such element now counts, in itself and its ancestors.
///
/// NOTE: the counts of everything inside `id` were 0 (hidden), so adding
/// gives what [`Stats::compute`] would.
fn count_shown(dom: &Dom, id: NodeId, stats: &mut Stats) {
    let hides = |n: NodeId| {
        dom.element(n)
            .is_some_and(|e| policy::drops_content(e.name()))
    };
    if dom.ancestors(id).any(hides) {
        return;
    }
    let mut walk = dom.descendants(id);
    walk.next();
    while let Some(n) = walk.next() {
        if hides(n) {
            walk.skip_children_of(n);
            continue;
        }
        let Some(t) = dom.text(n) else { continue };
        let count = crate::rules::matching::non_whitespace_chars(t);
        if count == 0 {
            continue;
        }
        for a in std::iter::once(n).chain(dom.ancestors(n)) {
            if let Some(c) = stats.text.get_mut(a.index()) {
                *c += count;
            }
        }
    }
}

/// Elements that are content even without text.
fn is_content_element(dom: &Dom, id: NodeId) -> bool {
    dom.element(id).is_some_and(|e| {
        matches!(
            e.name(),
            "img"
                | "picture"
                | "video"
                | "audio"
                | "iframe"
                | "embed"
                | "object"
                | "svg"
                | "math"
                | "canvas"
                | "hr"
                | "input"
                | "textarea"
                | "select"
                | "table"
        )
    })
}

/// Whether `id` holds neither text nor anything the output keeps as
/// content: media, a table's cells, an element a link of the document
/// targets. What the sanitizer drops with its content (a script, a frame,
/// a form control) is nothing, as it will be in the output.
#[cfg(feature = "filter-lists")]
pub(super) fn is_empty(dom: &Dom, id: NodeId, targets: &FxHashSet<String>) -> bool {
    is_empty_known(dom, id, targets, &mut Known::default())
}

/// What is known of elements' emptiness, by node (`None`: not yet asked).
/// Nodes past its end are unknown.
#[derive(Default)]
struct Known(Vec<Option<bool>>);

impl Known {
    fn get(&self, id: NodeId) -> Option<bool> {
        self.0.get(id.index()).copied().flatten()
    }

    fn set(&mut self, id: NodeId, empty: bool) {
        if let Some(k) = self.0.get_mut(id.index()) {
            *k = Some(empty);
        }
    }
}

/// [`is_empty`], with what is already known of some elements: a walk
/// meeting one of them takes its answer instead of walking into it, and
/// the answer for `id` joins them. Judging each of a chain of nested boxes
/// (innermost first) then walks each node once, not once per box around it
/// (`<div>` nested 1,000 deep: 46 M instructions before).
///
/// NOTE: the answers stay true while `drop_empty` removes elements: it
/// removes only empty ones, which hold nothing that makes an element
/// around them not empty.
fn is_empty_known(dom: &Dom, id: NodeId, targets: &FxHashSet<String>, known: &mut Known) -> bool {
    let mut cur = dom.first_child(id);
    while let Some(n) = cur {
        let mut skip = false;
        match dom.data(n) {
            NodeData::Text(t) if has_visible(t) => return false,
            NodeData::Element(e) => match policy::fate(e.ns() == Ns::Html, e.name()) {
                // Its content is dropped with it.
                Fate::Drop => skip = true,
                // Media the output keeps (an `<input>` it does not).
                Fate::Keep if is_content_element(dom, n) => return false,
                _ if is_kept_anyway(dom, n, targets) => return false,
                _ => match known.get(n) {
                    Some(false) => return false,
                    Some(true) => skip = true,
                    None => {}
                },
            },
            _ => {}
        }
        cur = match dom.first_child(n).filter(|_| !skip) {
            Some(child) => Some(child),
            None => dom.next_skipping_children(n, id),
        };
    }
    true
}

/// [`is_empty_known`], its answer for `id` kept.
fn is_empty_cached(dom: &Dom, id: NodeId, targets: &FxHashSet<String>, known: &mut Known) -> bool {
    if let Some(empty) = known.get(id) {
        return empty;
    }
    let empty = is_empty_known(dom, id, targets, known);
    known.set(id, empty);
    empty
}

/// Elements that stay even when empty: a table cell (its row would lose a
/// column) and an element a link of the document points to.
fn is_kept_anyway(dom: &Dom, id: NodeId, targets: &FxHashSet<String>) -> bool {
    dom.element(id).is_some_and(|e| {
        matches!(e.name(), "td" | "th")
            || e.id().is_some_and(|i| targets.contains(i))
            || (e.is("a") && e.attr("name").is_some_and(|i| targets.contains(i)))
    })
}

/// Whether `id` stands between text and other text of its parent: an empty
/// block there still breaks the line (`a<p></p>b` shows two lines).
fn parts_text(dom: &Dom, id: NodeId) -> bool {
    let is_text = |n: NodeId| dom.text(n).is_some_and(has_visible);
    let beside = |step: fn(&Dom, NodeId) -> Option<NodeId>| {
        let mut cur = step(dom, id);
        while let Some(n) = cur {
            match dom.data(n) {
                NodeData::Text(t) if !has_visible(t) => cur = step(dom, n),
                NodeData::Comment(_) => cur = step(dom, n),
                _ => return Some(n),
            }
        }
        None
    };
    let (prev, next) = (beside(Dom::prev_sibling), beside(Dom::next_sibling));
    prev.is_some_and(is_text) || next.is_some_and(is_text)
}

/// Applies `drop_empty` rules to the matched elements that hold nothing the
/// output would show, going up while their parents are then empty too: the
/// ancestors of removed nodes, elements whose content the sanitizer will
/// drop (a `<div>` around a script or a frame), and the page's own empty
/// boxes (`<div class="clear"></div>`, an icon's `<span>`), which show
/// nothing once their classes are gone. An empty block between two texts
/// stays, as it breaks the line; so do table cells and link targets.
pub(super) fn drop_empty(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    report: &mut Report,
    emptied: &[NodeId],
) {
    let first = rules.iter().position(|r| r.action() == Action::DropEmpty);
    let Some(first) = first.and_then(|r| RuleIx::try_from(r).ok()) else {
        return;
    };
    // The rule of each candidate, by node (a node's last match's), and
    // the candidates.
    let mut rule_of = vec![NO_RULE; dom.len()];
    let mut candidates = Vec::new();
    for &(id, r) in matches.get(Action::DropEmpty) {
        if let Some(slot) = rule_of.get_mut(id.index()) {
            if *slot == NO_RULE {
                candidates.push(id);
            }
            *slot = r;
        }
    }
    // One walk over the document: the ids its links point to
    // (`href="#id"`, copied: the tree is edited while they are asked
    // about), and under its content the elements the sanitizer renames.
    // NOTE: an element the sanitizer renames (a `<form>`) is judged as what
    // the output holds (a `<div>`), which the rules match when the output
    // is cleaned again: otherwise cleaning twice would drop what once kept.
    let mut targets: FxHashSet<String> = FxHashSet::default();
    let content = dom.content();
    // The content's subtree is one run of the walk, up to this node.
    let after_content = dom.next_skipping_children(content, dom.root());
    let mut in_content = false;
    for n in dom.descendants(dom.root()) {
        if n == content {
            in_content = true;
        } else if Some(n) == after_content {
            in_content = false;
        }
        let Some(e) = dom.element(n) else { continue };
        if in_content {
            if let Fate::Rename(_) = policy::fate(e.ns() == Ns::Html, e.name()) {
                if let Some(slot) = rule_of.get_mut(n.index()).filter(|s| **s == NO_RULE) {
                    *slot = first;
                    candidates.push(n);
                }
            }
        }
        if e.is("a") {
            let target = e.attr("href").and_then(|h| h.trim().strip_prefix('#'));
            if let Some(t) = target.filter(|t| !t.is_empty() && !targets.contains(*t)) {
                targets.insert(t.to_string());
            }
        }
    }
    // Innermost first (the tree is built in document order, parents before
    // children), so that a parent is judged after its empty children went.
    // Whether each candidate shows nothing when empty, by node.
    let mut shows_nothing = vec![false; dom.len()];
    let mut boxes = candidates;
    boxes.retain(|&id| {
        let yes = shows_nothing_when_empty(dom, id);
        shows_nothing[id.index()] = yes;
        yes
    });
    boxes.sort_unstable_by_key(|id| std::cmp::Reverse(id.index()));
    // Removals' ancestors go up through any matched element; a page's own
    // empty boxes only through those that show nothing when empty (an
    // empty `<li>` still shows its bullet).
    let mut known = Known(vec![None; dom.len()]);
    let starts = emptied
        .iter()
        .map(|&id| (id, true))
        .chain(boxes.into_iter().map(|id| (id, false)));
    for (start, by_removal) in starts {
        let mut cur = Some(start);
        while let Some(id) = cur {
            if dom.is_removed(id) || id == dom.content() {
                break;
            }
            let Some(&r) = rule_of.get(id.index()).filter(|&&r| r != NO_RULE) else {
                break;
            };
            if (!by_removal && !shows_nothing[id.index()])
                || is_kept_anyway(dom, id, &targets)
                || !is_empty_cached(dom, id, &targets, &mut known)
                || parts_text(dom, id)
            {
                break;
            }
            cur = dom.parent(id);
            report.push(Change {
                rule: rules.get(r).id().to_string(),
                action: Action::DropEmpty,
                target: describe(dom, id),
                text_chars: 0,
                vetoed: false,
                detail: String::new(),
            });
            dom.remove(id);
        }
    }
}

/// No `drop_empty` rule for a node: not a candidate.
const NO_RULE: RuleIx = RuleIx::MAX;

/// Whether the element, as the output writes it, takes no room when it
/// holds nothing: a box or a run of text, not a list item or a table part.
fn shows_nothing_when_empty(dom: &Dom, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    let name = match policy::fate(e.ns() == Ns::Html, e.name()) {
        Fate::Rename(to) => to,
        Fate::Keep => e.name(),
        _ => return false,
    };
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "p"
            | "span"
            | "a"
            | "font"
            | "center"
            | "ins"
            | "small"
            | "strong"
            | "em"
            | "b"
            | "i"
            | "figure"
            | "figcaption"
            | "picture"
    )
}

/// Applies the first `remove_comments` rule: every comment goes.
pub(super) fn comments(dom: &mut Dom, rules: &Rules, report: &mut Report) {
    let Some(rule) = rules.iter().find(|r| r.action() == Action::RemoveComments) else {
        return;
    };
    let found: Vec<NodeId> = dom
        .descendants(dom.root())
        .filter(|&n| matches!(dom.data(n), NodeData::Comment(_)))
        .collect();
    if found.is_empty() {
        return;
    }
    for &c in &found {
        dom.remove(c);
    }
    report.push(Change {
        rule: rule.id().to_string(),
        action: Action::RemoveComments,
        target: "(document)".to_string(),
        text_chars: 0,
        vetoed: false,
        detail: format!(
            "{} comment{}",
            found.len(),
            if found.len() == 1 { "" } else { "s" }
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwrapping_what_hid_text_counts_it_as_a_fresh_count_would() {
        let mut dom = Dom::parse_fragment(
            "<div><p>one <noscript>two <b>three</b><script>four()</script></noscript></p>\
             <noscript><i>x<noscript>five</noscript></i></noscript></div>",
        );
        let mut stats = Stats::compute(&dom);
        let noscripts: Vec<NodeId> = dom
            .descendants(dom.root())
            .filter(|&n| dom.is_element(n, "noscript"))
            .collect();
        assert_eq!(noscripts.len(), 3, "the fragment has three <noscript>s");
        // Innermost first: the inner one's text stays hidden by the outer.
        for id in noscripts.into_iter().rev() {
            if dom
                .element(id)
                .is_some_and(|e| policy::drops_content(e.name()))
            {
                count_shown(&dom, id, &mut stats);
            }
            dom.unwrap(id);
        }
        let fresh = Stats::compute(&dom);
        for n in dom.descendants(dom.root()) {
            assert_eq!(stats.text[n.index()], fresh.text[n.index()], "{n:?}");
        }
        assert_eq!(stats.text[dom.content().index()], 16);
    }
}
