//! Lazy-loaded images: the real URL moves to `src`.
//!
//! Lazy-loading scripts keep the real URL in an attribute (`data-src`,
//! `data-srcset`, …) and a stand-in in `src`; without the script the reader
//! sees the stand-in. Many pages also put the plain image in a `<noscript>`
//! right after, which the parser (scripting off) reads as markup.

use super::{describe, has_visible, Matches};
use crate::dom::{Dom, NodeData, NodeId};
use crate::policy;
use crate::report::{Change, Report};
use crate::rules::{Action, Rule, Rules};
use crate::urls;

/// Applies `resolve_lazy` rules.
pub(super) fn resolve(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    for &(id, r) in matches.get(Action::ResolveLazy) {
        if dom.is_removed(id) {
            continue;
        }
        resolve_one(dom, id, rules.get(r), report, emptied);
    }
}

/// Whether `src` is no real image: a stand-in, or a URL the sanitizer will
/// refuse (`javascript:`), which would leave an image without a source.
fn is_placeholder(rule: &Rule, src: &str) -> bool {
    if !policy::is_allowed_url(src.trim()) {
        return true;
    }
    match &rule.params.placeholder {
        Some(re) => urls::is_placeholder(src, re),
        None => {
            let s = src.trim();
            s.is_empty()
                || s.as_bytes()
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"data:"))
        }
    }
}

/// Whether `src` is a stand-in by its file name alone: an allowed URL that
/// names a file (not empty, `#`, `about:blank` or `data:`).
fn is_named_placeholder(src: &str) -> bool {
    policy::is_allowed_url(src.trim()) && !urls::is_no_source(src)
}

/// Whether the page marks the image as loaded by script: one of the rule's
/// source attributes (even an unusable one), or a class word with `lazy`
/// in it (`lazyload`, `lazy-img`, `b-lazy`).
fn has_lazy_sign(dom: &Dom, id: NodeId, rule: &Rule) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    rule.params
        .sources
        .iter()
        .filter(|a| a.as_str() != "srcset")
        .any(|a| e.attr(a).is_some())
        || e.classes().any(|c| c.to_ascii_lowercase().contains("lazy"))
}

/// The first usable URL among the rule's source attributes, with its name.
fn lazy_url(dom: &Dom, id: NodeId, rule: &Rule) -> Option<(String, String)> {
    let e = dom.element(id)?;
    for attr in &rule.params.sources {
        let Some(value) = e.attr(attr) else { continue };
        // Only usable candidates compete: the widest may be a stand-in.
        let candidate = if attr.ends_with("srcset") {
            urls::best_candidate(value, |u| urls::is_urlish(u) && !is_placeholder(rule, u))
        } else {
            Some(value.trim())
        };
        if let Some(u) = candidate {
            if urls::is_urlish(u) && !is_placeholder(rule, u) {
                return Some((attr.clone(), u.to_string()));
            }
        }
    }
    None
}

/// The `<noscript>` right after `id` (whitespace between allowed).
fn noscript_after(dom: &Dom, id: NodeId) -> Option<NodeId> {
    let mut s = dom.next_sibling(id);
    while let Some(n) = s {
        match dom.data(n) {
            NodeData::Text(t) if !has_visible(t) => s = dom.next_sibling(n),
            NodeData::Element(e) if e.is("noscript") => return Some(n),
            _ => return None,
        }
    }
    None
}

/// The image of a `<noscript>` that holds one image and nothing else.
fn lone_image(dom: &Dom, noscript: NodeId) -> Option<NodeId> {
    let mut img = None;
    for n in dom.descendants(noscript).skip(1) {
        match dom.data(n) {
            NodeData::Text(t) if has_visible(t) => return None,
            NodeData::Element(e) if e.is("img") => {
                if img.is_some() {
                    return None;
                }
                img = Some(n);
            }
            NodeData::Element(e) if e.is("picture") || e.is("source") => {}
            NodeData::Element(_) => return None,
            _ => {}
        }
    }
    img
}

fn resolve_one(
    dom: &mut Dom,
    id: NodeId,
    rule: &Rule,
    report: &mut Report,
    emptied: &mut Vec<NodeId>,
) {
    let src = dom
        .element(id)
        .and_then(|e| e.attr("src"))
        .map(str::to_string);
    // Any `src` that is not a stand-in is real, relative paths without an
    // extension included; only lazy attributes, which pages reuse for other
    // data, must look like URLs.
    let has_real_src = src.as_deref().is_some_and(|s| !is_placeholder(rule, s));
    let noscript = noscript_after(dom, id);
    let fallback = noscript.and_then(|n| lone_image(dom, n)).and_then(|img| {
        let s = dom.element(img)?.attr("src")?;
        (!is_placeholder(rule, s) && urls::is_urlish(s)).then(|| s.to_string())
    });

    let mut new_src = None;
    let mut from = String::new();
    if let Some((attr, url)) = lazy_url(dom, id, rule) {
        if src.as_deref().map(str::trim) != Some(url.as_str()) {
            new_src = Some(url);
            from = attr;
        }
    } else if !has_real_src {
        if let Some(url) = fallback {
            new_src = Some(url);
            from = "noscript".into();
        }
    }

    let target = describe(dom, id);
    let resolved = match new_src {
        Some(url) => {
            if let Some(e) = dom.element_mut(id) {
                e.set_attr("src", &url);
            }
            report.push(Change {
                rule: rule.id().to_string(),
                action: Action::ResolveLazy,
                target: target.clone(),
                text_chars: 0,
                vetoed: false,
                detail: format!("src from {from}"),
            });
            true
        }
        None => has_real_src,
    };

    if !resolved {
        // A file name alone (`x.png`, `dot.jpg`, `loading.gif`) is weak
        // evidence: a real image may have it. Without a sign that the page
        // loads the image by script, the image stays.
        let named_only = src
            .as_deref()
            .is_some_and(|s| is_named_placeholder(s) && !has_lazy_sign(dom, id, rule));
        if rule.params.drop_unresolved && !named_only {
            report.push(Change {
                rule: rule.id().to_string(),
                action: Action::Remove,
                target,
                text_chars: 0,
                vetoed: false,
                detail: "no usable src".into(),
            });
            if let Some(p) = dom.parent(id) {
                emptied.push(p);
            }
            dom.remove(id);
        }
        return;
    }
    // The `<noscript>` copy of an image that now loads would show it twice.
    if let Some(n) = noscript.filter(|&n| lone_image(dom, n).is_some()) {
        report.push(Change {
            rule: rule.id().to_string(),
            action: Action::Remove,
            target: describe(dom, n),
            text_chars: 0,
            vetoed: false,
            detail: "noscript copy of a resolved image".into(),
        });
        dom.remove(n);
    }
}
