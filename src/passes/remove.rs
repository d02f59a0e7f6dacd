//! Removals (with the content veto), unwraps, emptied elements and comments.

use std::collections::{HashMap, HashSet};

use super::{describe, Matches, Stats};
use crate::dom::{Dom, NodeData, NodeId};
use crate::report::{Change, Report};
use crate::rules::{Action, Rules};

/// A non-strict removal may not take more article text than this, in
/// characters of prose (text outside links, whitespace not counted)...
pub(crate) const VETO_MAX_CHARS: u32 = 2_000;
/// ...nor more than this share of the document's prose, once it is longer
/// than [`VETO_MIN_CHARS`] characters.
pub(crate) const VETO_MAX_SHARE: f64 = 0.20;
/// Removals of less prose than this are never vetoed: an ad label or a short
/// promotion is not the article, even in a tiny fragment.
pub(crate) const VETO_MIN_CHARS: u32 = 200;

/// Elements a non-strict rule never removes: the article itself and its
/// ancestors. An element is only taken for the article when it holds at
/// least [`VETO_MIN_CHARS`] of prose: a `<div>` around one empty `<p>` is
/// not an article, and would stop being taken for one once cleaned.
fn protected(dom: &Dom, stats: &Stats) -> HashSet<NodeId> {
    let mut keep = HashSet::new();
    let mut roots = Vec::new();
    let mut best: Option<(u32, NodeId)> = None;
    for id in dom.descendants(dom.content()) {
        let Some(e) = dom.element(id) else { continue };
        if stats.prose[id.index()] < VETO_MIN_CHARS {
            continue;
        }
        if e.is("article") || e.is("main") || e.attr("role") == Some("main") {
            roots.push(id);
        }
        let p = stats.paragraphs[id.index()];
        if p > 0 && best.is_none_or(|(b, _)| p > b) {
            best = Some((p, id));
        }
    }
    roots.extend(best.map(|(_, id)| id));
    for r in roots {
        keep.insert(r);
        keep.extend(dom.ancestors(r));
    }
    keep
}

fn is_too_much(removed: u32, total: u32) -> bool {
    removed > VETO_MAX_CHARS
        || (removed >= VETO_MIN_CHARS && f64::from(removed) > VETO_MAX_SHARE * f64::from(total))
}

/// Applies `remove` rules in document order, vetoing those that would take
/// the article with them.
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
    let total = stats.prose[dom.content().index()];
    let keep = protected(dom, stats);

    // Each match alone: the article itself, or too much of its prose.
    let alone = |id: NodeId| -> Option<String> {
        if keep.contains(&id) {
            Some("holds the article".to_string())
        } else if is_too_much(stats.prose[id.index()], total) {
            Some(format!(
                "{} of {total} characters of prose",
                stats.prose[id.index()]
            ))
        } else {
            None
        }
    };
    // A rule that matches many small pieces of the article (a class name a
    // site happens to give its paragraphs) is vetoed as a whole: what counts
    // is the prose of its outermost matches together.
    let mut per_rule: HashMap<usize, u32> = HashMap::new();
    let mut outermost: HashSet<NodeId> = HashSet::new();
    for &(id, r) in list {
        if rules.get(r).is_strict() || alone(id).is_some() {
            continue;
        }
        if !dom.ancestors(id).any(|a| outermost.contains(&a)) {
            *per_rule.entry(r).or_default() += stats.prose[id.index()];
        }
        outermost.insert(id);
    }

    for &(id, r) in list {
        if dom.is_removed(id) {
            continue;
        }
        let rule = rules.get(r);
        let veto = if rule.is_strict() {
            None
        } else {
            alone(id).or_else(|| {
                let sum = per_rule.get(&r).copied().unwrap_or(0);
                is_too_much(sum, total).then(|| {
                    format!("the rule's matches hold {sum} of {total} characters of prose")
                })
            })
        };
        let vetoed = veto.is_some();
        report.push(Change {
            rule: rule.id().to_string(),
            action: Action::Remove,
            target: describe(dom, id),
            text_chars: stats.text[id.index()] as usize,
            vetoed,
            detail: veto.unwrap_or_default(),
        });
        if !vetoed {
            if let Some(p) = dom.parent(id) {
                emptied.push(p);
            }
            dom.remove(id);
        }
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
fn is_empty(dom: &Dom, id: NodeId) -> bool {
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
