//! Removals (with the content veto), unwraps, emptied elements and comments.

use std::collections::{HashMap, HashSet};

use super::veto::{Reason, Weights};
use super::{describe, Matches, Stats};
use crate::dom::{Dom, NodeData, NodeId};
use crate::report::{Change, Report};
use crate::rules::{Action, Rules};

/// Applies `remove` rules, rule by rule, each judged by the content veto
/// (`super::veto`) against what the rules before it left: strict rules
/// first, then the others from the one whose matches hold the least prose.
/// Within a rule, matches go in document order.
pub(super) fn remove(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    stats: &Stats,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    let list = matches.get(Action::Remove);
    if list.is_empty() {
        return;
    }
    let mut weights = Weights::new(dom);
    let mut by_rule: Vec<(usize, Vec<NodeId>)> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for &(id, r) in list {
        let i = *slot.entry(r).or_insert_with(|| {
            by_rule.push((r, Vec::new()));
            by_rule.len() - 1
        });
        by_rule[i].1.push(id);
    }
    by_rule.sort_by_cached_key(|(r, ids)| {
        let own: HashSet<NodeId> = ids.iter().copied().collect();
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
            let mut passing: HashSet<NodeId> = HashSet::new();
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
                dom.remove(id);
            }
        }
    }
    changes.sort_by_key(|(id, _)| id.index());
    for (_, change) in changes {
        report.push(change);
    }
}

/// Applies `unwrap` rules: the element goes, its children stay.
pub(super) fn unwrap(dom: &mut Dom, matches: &Matches, rules: &Rules, report: &mut Report) {
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
        dom.unwrap(id);
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

/// Whether `id` holds neither text nor a content element.
pub(super) fn is_empty(dom: &Dom, id: NodeId) -> bool {
    dom.descendants(id).skip(1).all(|n| match dom.data(n) {
        NodeData::Text(t) => t.trim().is_empty(),
        NodeData::Element(_) => !is_content_element(dom, n),
        _ => true,
    })
}

/// Applies `drop_empty` rules to the ancestors of removed nodes that the
/// removals left empty, going up while they are.
pub(super) fn drop_empty(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    report: &mut Report,
    emptied: &[NodeId],
) {
    let candidates: HashMap<NodeId, usize> =
        matches.get(Action::DropEmpty).iter().copied().collect();
    if candidates.is_empty() {
        return;
    }
    for &start in emptied {
        let mut cur = Some(start);
        while let Some(id) = cur {
            if dom.is_removed(id) || id == dom.content() {
                break;
            }
            let Some(&r) = candidates.get(&id) else { break };
            if !is_empty(dom, id) {
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
