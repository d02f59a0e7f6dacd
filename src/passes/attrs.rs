//! Attribute edits and URL rewrites.

use std::borrow::Cow;

use url::Url;

use super::{describe, Matches};
use crate::dom::{Dom, NodeId};
use crate::policy;
use crate::report::{Change, Report};
use crate::rules::{Action, NameSet, RuleIx, Rules};
use crate::urls;

/// Applies `remove_attrs`, `set_attr` and `strip_params` rules.
pub(super) fn edit(dom: &mut Dom, matches: &Matches, rules: &Rules, report: &mut Report) {
    for &(id, r) in matches.get(Action::RemoveAttrs) {
        if dom.is_removed(id) {
            continue;
        }
        let names = &rules.get(r).params.attrs;
        let removed = dom
            .element_mut(id)
            .map(|e| e.retain_attrs(|name, _| !names.contains(name)))
            .unwrap_or_default();
        if !removed.is_empty() {
            push(
                report,
                dom,
                id,
                rules,
                r,
                Action::RemoveAttrs,
                removed.join(" "),
            );
        }
    }
    for &(id, r) in matches.get(Action::SetAttr) {
        if dom.is_removed(id) {
            continue;
        }
        let Some((name, value)) = &rules.get(r).params.set else {
            continue;
        };
        let Some(e) = dom.element_mut(id) else {
            continue;
        };
        if e.attr(name) != Some(value.as_str()) {
            e.set_attr(name, value);
            push(
                report,
                dom,
                id,
                rules,
                r,
                Action::SetAttr,
                format!("{name}={value:?}"),
            );
        }
    }
    for &(id, r) in matches.get(Action::StripParams) {
        if dom.is_removed(id) {
            continue;
        }
        let names = &rules.get(r).params.params;
        let changed = strip_element(dom, id, names);
        if !changed.is_empty() {
            push(
                report,
                dom,
                id,
                rules,
                r,
                Action::StripParams,
                changed.join(" "),
            );
        }
    }
}

fn push(
    report: &mut Report,
    dom: &Dom,
    id: NodeId,
    rules: &Rules,
    r: RuleIx,
    action: Action,
    detail: String,
) {
    report.push(Change {
        rule: rules.get(r).id().to_string(),
        action,
        target: describe(dom, id),
        text_chars: 0,
        vetoed: false,
        detail,
    });
}

/// Strips parameters from every URL attribute of `id`; returns the names of
/// the attributes changed.
fn strip_element(dom: &mut Dom, id: NodeId, names: &NameSet) -> Vec<String> {
    let Some(e) = dom.element_mut(id) else {
        return Vec::new();
    };
    let mut updates: Vec<(String, String)> = Vec::new();
    for (name, value) in e.attrs() {
        let new = if name == "srcset" || name.ends_with("-srcset") {
            strip_srcset(value, names)
        } else if policy::is_url_attr(name) || policy::is_lazy_url_attr(name) {
            urls::strip_params(value, |p| names.contains(p))
        } else {
            continue;
        };
        if let Cow::Owned(v) = new {
            updates.push((name.to_string(), v));
        }
    }
    let changed = updates.iter().map(|(n, _)| n.clone()).collect();
    for (name, value) in updates {
        e.set_attr(&name, &value);
    }
    changed
}

fn strip_srcset<'a>(value: &'a str, names: &NameSet) -> Cow<'a, str> {
    let cands = urls::parse_srcset(value);
    let stripped: Vec<Cow<'_, str>> = cands
        .iter()
        .map(|c| urls::strip_params(c.url, |p| names.contains(p)))
        .collect();
    if stripped.iter().all(|s| matches!(s, Cow::Borrowed(_))) {
        return Cow::Borrowed(value);
    }
    let mut out = value.to_string();
    // Replace each candidate URL in place, keeping the descriptors as written.
    for (c, s) in cands.iter().zip(&stripped).rev() {
        if let Cow::Owned(new) = s {
            let start = c.url.as_ptr() as usize - value.as_ptr() as usize;
            out.replace_range(start..start + c.url.len(), new);
        }
    }
    Cow::Owned(out)
}

/// Makes relative URLs absolute against `base` (`srcset` aside: the
/// sanitizer drops it).
pub(super) fn resolve_urls(dom: &mut Dom, base: Option<&Url>) {
    let Some(base) = base else { return };
    let ids: Vec<NodeId> = dom
        .descendants(dom.content())
        .filter(|&id| dom.element(id).is_some())
        .collect();
    for id in ids {
        let Some(e) = dom.element_mut(id) else {
            continue;
        };
        let mut updates = Vec::new();
        for (name, value) in e.attrs() {
            if policy::is_url_attr(name) && name != "srcset" && policy::scheme(value).is_none() {
                if let Some(abs) = urls::resolve(base, value) {
                    updates.push((name.to_string(), abs));
                }
            }
        }
        for (name, value) in updates {
            e.set_attr(&name, &value);
        }
    }
}
