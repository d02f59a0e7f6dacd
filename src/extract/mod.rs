//! Article extraction (`--extract`): from a whole page whose rules have
//! run, keep the article and drop the rest, before the sanitizer.
//!
//! The stages, each reported:
//!
//! 1. A user's selector ([`Settings::selector`]), when it matches, names
//!    the article (`extract.selector`).
//! 2. Otherwise the page is weighed (`score`): every block's paragraph
//!    scores by its length and commas, its ancestors share the score, and
//!    tag, class, id and link density adjust it. The best candidate is the
//!    article; its siblings that score well or read as prose join it (an
//!    article split in blocks). The page's title heading and the images and
//!    lead paragraph between it and the article are kept too (`title`).
//! 3. Never lose the article: when a runner-up scores nearly as well, the
//!    smallest element holding both is kept; when the page holds much
//!    running prose outside what was chosen (outside page chrome), the
//!    choice grows to an ancestor that holds it; when that ancestor is the
//!    whole page, or nothing on the page reads as an article, the cleaned
//!    page is kept whole (`extract.fallback`).
//! 4. Inside the article, blocks of links and elements named as page
//!    chrome (share bars, related links, comments), the byline, dates,
//!    credits and controls, and the captions of videos the sanitizer drops
//!    are removed (`extract.boilerplate`, see `prune`); so is what a site
//!    appends at the article's end, its promotions and lists of stories
//!    (`edges`).
//!
//! The report names the element chosen, its score and the runner-up
//! (`extract.article`), so a user can check it and override it with a
//! selector.

mod edges;
mod prune;
mod score;
mod title;

use selectors::context::SelectorCaches;
use selectors::matching::matches_selector_list;
use selectors::SelectorList;

use crate::dom::{Dom, NodeId};
use crate::passes::describe;
use crate::report::{Change, Report};
use crate::rules::select::{self, El, Impl};
use crate::rules::Action;
use score::Weights;

/// How extraction is configured.
#[derive(Debug, Clone, Default)]
pub(crate) struct Settings {
    /// The user's selector for the article, parsed.
    pub(crate) selector: Option<SelectorList<Impl>>,
}

/// A runner-up scoring at least this share of the best is as likely the
/// article: the choice grows to hold both.
const CLOSE_RUNNER_UP: f32 = 0.8;
/// The choice grows while the long paragraphs outside it (outside page
/// chrome) hold more than this share of the prose inside it.
const MAX_OUTSIDE_SHARE: f32 = 0.3;
/// Less prose than this (weighted characters) is not an article: the page
/// is kept whole.
const MIN_ARTICLE: u32 = 140;

/// Keeps the article of a whole document (its content, after the rules)
/// and removes everything else, reporting why.
pub(crate) fn run(dom: &mut Dom, settings: &Settings, report: &mut Report) {
    let w = Weights::new(dom);
    let body = dom.content();
    let total = w.prose(body);
    if let Some(list) = &settings.selector {
        let found = select(dom, list);
        if !found.is_empty() {
            let detail = format!("{} element(s) match the article selector", found.len());
            let mut roots = found.clone();
            add_title(dom, &w, &mut roots);
            let removed = keep_only(dom, &w, &roots);
            report.push(change("extract.selector", dom, found[0], removed, detail));
            return;
        }
        report.push(change(
            "extract.selector",
            dom,
            body,
            0,
            "the article selector matches nothing: extracting by score".to_string(),
        ));
    }
    let Some(choice) = choose(dom, &w) else {
        report.push(change(
            "extract.fallback",
            dom,
            body,
            0,
            "no paragraph of prose on the page: kept whole".to_string(),
        ));
        return;
    };
    let mut detail = format!("score {:.1}", choice.score);
    match choice.runner_up {
        Some((r, s)) => detail.push_str(&format!(", runner-up {} {s:.1}", describe(dom, r))),
        None => detail.push_str(", no runner-up"),
    }
    let siblings = choice.roots.iter().filter(|&&r| r != choice.top);
    for &r in siblings.filter(|_| choice.widened.is_none()) {
        detail.push_str(&format!(", with {}", describe(dom, r)));
    }
    let kept: u32 = choice.roots.iter().map(|&r| w.prose(r)).sum();
    if let Some(why) = &choice.widened {
        report.push(change(
            "extract.fallback",
            dom,
            choice.roots[0],
            0,
            why.clone(),
        ));
    }
    if choice.roots[0] == body || kept < MIN_ARTICLE.min(total) {
        let why = if choice.roots[0] == body {
            format!("{detail}: the whole page is the article")
        } else {
            format!("{detail}: {kept} of {total} characters of prose is too little: kept whole")
        };
        report.push(change("extract.fallback", dom, body, 0, why));
        return;
    }
    let target = if choice.widened.is_some() {
        choice.roots[0]
    } else {
        choice.top
    };
    let mut roots = choice.roots.clone();
    let title = add_title(dom, &w, &mut roots);
    // Inside the article: boilerplate, judged on the page as weighed.
    let mut boilerplate = Vec::new();
    for &r in &roots {
        let mut walk = dom.descendants(r);
        walk.next();
        while let Some(id) = walk.next() {
            if dom.element(id).is_none() {
                continue;
            }
            if let Some(why) = prune::metadata(dom, &w, id, title) {
                boilerplate.push((id, why));
                walk.skip_children_of(id);
                continue;
            }
            if let Some(why) = prune::reason(dom, &w, id, kept) {
                boilerplate.push((id, why));
                walk.skip_children_of(id);
                continue;
            }
            if let Some(gallery) = prune::gallery_text(dom, &w, id, kept) {
                boilerplate.extend(gallery.into_iter().map(|g| (g, "the text of a gallery")));
                walk.skip_children_of(id);
            }
        }
    }
    let removed = keep_only(dom, &w, &roots);
    report.push(change("extract.article", dom, target, removed, detail));
    for (id, why) in boilerplate {
        remove_boilerplate(dom, &w, &roots, id, why, report);
    }
    for id in prune::repeats(dom, &roots) {
        let why = "repeats an earlier text of the article";
        remove_boilerplate(dom, &w, &roots, id, why, report);
    }
    for (id, why) in edges::appended(dom, &w, &choice.roots, title) {
        remove_boilerplate(dom, &w, &roots, id, why, report);
    }
}

/// Removes `id` from the article and reports it, with the wrappers around
/// it that hold nothing else (so that no empty box stays, and cleaning the
/// output again finds nothing to do).
fn remove_boilerplate(
    dom: &mut Dom,
    w: &Weights,
    roots: &[NodeId],
    id: NodeId,
    why: &str,
    report: &mut Report,
) {
    if dom.is_removed(id) {
        return;
    }
    let mut target = id;
    while let Some(p) = dom.parent(target) {
        let is_wrapper = dom.element(p).is_some_and(|e| {
            matches!(
                e.name(),
                "div" | "section" | "aside" | "header" | "footer" | "span" | "p" | "ul" | "ol"
            )
        });
        let alone = dom
            .children(p)
            .all(|c| c == target || dom.text(c).is_some_and(|t| t.trim().is_empty()));
        if !is_wrapper || !alone || roots.contains(&p) || p == dom.content() {
            break;
        }
        target = p;
    }
    report.push(change(
        "extract.boilerplate",
        dom,
        target,
        w.plain[id.index()],
        why.to_string(),
    ));
    dom.remove(target);
}

/// What scoring chose.
struct Choice {
    /// The article: the best candidate (or what it grew to) first, then
    /// the siblings that join it, in document order.
    roots: Vec<NodeId>,
    /// The best candidate.
    top: NodeId,
    score: f32,
    runner_up: Option<(NodeId, f32)>,
    /// Why the choice grew, when it did.
    widened: Option<String>,
}

/// The article by score, or `None` when no element scores.
fn choose(dom: &Dom, w: &Weights) -> Option<Choice> {
    let body = dom.content();
    let mut scored: Vec<(NodeId, f32)> = w
        .order
        .iter()
        .filter(|&&id| w.content[id.index()] > 0.0 && dom.element(id).is_some())
        .map(|&id| (id, w.score(dom, id)))
        .filter(|&(_, s)| s > 0.0)
        .collect();
    if scored.is_empty() {
        return None;
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (top, top_score) = scored[0];
    let mut roots = vec![top];
    let mut widened = None;
    // Siblings that read as part of the article.
    if let Some(parent) = dom.parent(top).filter(|_| top != body) {
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = dom.element(top).and_then(|e| e.attr("class"));
        roots = dom
            .element_children(parent)
            .filter(|&s| {
                if s == top {
                    return true;
                }
                if dom.element(s).is_some_and(|e| score::is_inline(e.name())) {
                    return false;
                }
                // The page's header: its title and lead image join by
                // `add_title`, its byline and tools do not.
                if score::is_chrome(dom, s, w) || dom.is_element(s, "header") {
                    return false;
                }
                let mut sc = w.score(dom, s);
                if top_class.is_some() && dom.element(s).and_then(|e| e.attr("class")) == top_class
                {
                    sc += top_score * 0.2;
                }
                sc >= threshold
                    || (dom.is_element(s, "p")
                        && w.is_long_paragraph(s)
                        && w.link_density(s) < 0.25)
            })
            .collect();
    }
    // The runner-up: the best candidate neither inside nor around the choice.
    let runner_up = scored
        .iter()
        .skip(1)
        .find(|&&(id, _)| {
            roots
                .iter()
                .all(|&r| !is_inside(dom, id, r) && !is_inside(dom, r, id))
        })
        .copied();
    if let Some((r, s)) = runner_up {
        if s >= top_score * CLOSE_RUNNER_UP {
            let common = common_ancestor(dom, top, r);
            widened = Some(format!(
                "runner-up {} scores {s:.1}, close to {top_score:.1}: kept {} holding both",
                describe(dom, r),
                describe(dom, common)
            ));
            roots = vec![common];
        }
    }
    // Running prose outside the choice, outside page chrome, means the
    // choice holds only part of the article.
    let path = on_path(dom, w, &roots);
    let long = long_prose(dom, w, &path);
    let outside =
        |roots: &[NodeId]| long[body.index()] - roots.iter().map(|r| long[r.index()]).sum::<u32>();
    let inside = |roots: &[NodeId]| roots.iter().map(|&r| w.prose(r)).sum::<u32>();
    let start = outside(&roots);
    if start as f32 > MAX_OUTSIDE_SHARE * inside(&roots) as f32 {
        let mut cur = common_of(dom, &roots);
        loop {
            let out = outside(&[cur]);
            if out as f32 <= MAX_OUTSIDE_SHARE * w.prose(cur) as f32 || cur == body {
                break;
            }
            cur = match dom.parent(cur) {
                Some(p) => p,
                None => break,
            };
        }
        widened = Some(format!(
            "{start} characters of running prose outside the choice: kept {}",
            if cur == body {
                "the whole page".to_string()
            } else {
                describe(dom, cur)
            }
        ));
        roots = vec![cur];
    }
    Some(Choice {
        roots,
        top,
        score: top_score,
        runner_up,
        widened,
    })
}

/// Whether `inner` is `outer` or inside it.
fn is_inside(dom: &Dom, inner: NodeId, outer: NodeId) -> bool {
    inner == outer || dom.ancestors(inner).any(|a| a == outer)
}

/// The nearest element holding both `a` and `b`.
fn common_ancestor(dom: &Dom, a: NodeId, b: NodeId) -> NodeId {
    let body = dom.content();
    let mut cur = a;
    loop {
        if is_inside(dom, b, cur) || cur == body {
            return cur;
        }
        cur = match dom.parent(cur) {
            Some(p) => p,
            None => return body,
        };
    }
}

/// The nearest element holding all of `roots` (siblings, or one).
fn common_of(dom: &Dom, roots: &[NodeId]) -> NodeId {
    roots
        .iter()
        .skip(1)
        .fold(roots[0], |acc, &r| common_ancestor(dom, acc, r))
}

/// Marks the roots and their ancestors: page chrome on that path is the
/// page's frame around the article, not chrome beside it.
fn on_path(dom: &Dom, w: &Weights, roots: &[NodeId]) -> Vec<bool> {
    let mut path = vec![false; w.chars.len()];
    for &r in roots {
        path[r.index()] = true;
        for a in dom.ancestors(r) {
            path[a.index()] = true;
        }
    }
    path
}

/// Prose of the long paragraphs under each node, counting only those not
/// inside page chrome beside the article.
fn long_prose(dom: &Dom, w: &Weights, path: &[bool]) -> Vec<u32> {
    let n = w.chars.len();
    let mut chrome = vec![false; n];
    let body = dom.content();
    for &id in w.order.iter().skip(1) {
        let p = dom.parent(id).expect("parent exists for non-root node");
        chrome[id.index()] =
            chrome[p.index()] || (!path[id.index()] && score::is_chrome(dom, id, w));
    }
    let mut long = vec![0u32; n];
    for &id in w.order.iter().rev() {
        let i = id.index();
        if !chrome[i] && w.is_long_paragraph(id) {
            long[i] += w.own[i] - w.own_links[i];
        }
        if id != body {
            let p = dom.parent(id).expect("parent exists for non-root node");
            long[p.index()] += long[i];
        }
    }
    long
}

/// Adds the page's title heading, and the images and lead paragraphs
/// between it and the article, when they come before the article; returns
/// the title heading, wherever it is.
fn add_title(dom: &Dom, w: &Weights, roots: &mut Vec<NodeId>) -> Option<NodeId> {
    let title = title::find(dom, &w.order)?;
    if roots.iter().any(|&r| is_inside(dom, title, r)) {
        return Some(title);
    }
    let first = roots
        .iter()
        .map(|r| w.position[r.index()])
        .min()
        .unwrap_or(u32::MAX);
    let at = w.position[title.index()];
    if at >= first {
        return Some(title);
    }
    roots.push(title);
    // Between the title and the article: its lead image and standfirst.
    let path = on_path(dom, w, &[title]);
    let mut i = at as usize + 1;
    let end = (first as usize).min(w.order.len());
    while i < end {
        let id = w.order[i];
        i += 1;
        let Some(e) = dom.element(id) else { continue };
        if is_inside(dom, id, title) {
            continue;
        }
        let is_media = matches!(e.name(), "figure" | "picture") || score::is_real_image(e);
        let is_lead = matches!(e.name(), "p") && w.is_long_paragraph(id);
        if (is_media || is_lead)
            && !dom
                .ancestors(id)
                .take_while(|&a| !path[a.index()])
                .any(|a| score::is_chrome(dom, a, w) || (is_lead && dom.is_element(a, "a")))
            && w.link_density(id) < 0.3
        {
            roots.push(id);
            // Skip what is inside it.
            while i < end && is_inside(dom, w.order[i], id) {
                i += 1;
            }
        }
    }
    Some(title)
}

/// Removes everything under the content but `roots` (and the elements
/// around them); returns the prose removed.
fn keep_only(dom: &mut Dom, w: &Weights, roots: &[NodeId]) -> u32 {
    let n = w.chars.len();
    let mut keep = vec![0u8; n]; // 1: around a root, 2: a root
    for &r in roots {
        for a in dom.ancestors(r) {
            if keep[a.index()] == 0 {
                keep[a.index()] = 1;
            }
        }
        keep[r.index()] = 2;
    }
    let body = dom.content();
    let mut drop = Vec::new();
    let mut stack = vec![body];
    while let Some(id) = stack.pop() {
        for c in dom.children(id) {
            match keep[c.index()] {
                2 => {}
                1 => stack.push(c),
                _ => drop.push(c),
            }
        }
    }
    let mut removed = 0;
    for id in drop {
        removed += w.plain[id.index()];
        dom.remove(id);
    }
    removed
}

/// The outermost elements under the content that `list` matches.
fn select(dom: &Dom, list: &SelectorList<Impl>) -> Vec<NodeId> {
    let mut caches = SelectorCaches::default();
    let mut ctx = select::context(&mut caches);
    let mut found = Vec::new();
    let mut walk = dom.descendants(dom.content());
    walk.next();
    while let Some(id) = walk.next() {
        let Some(el) = El::new(dom, id) else { continue };
        if matches_selector_list(list, el, &mut ctx) {
            found.push(id);
            walk.skip_children_of(id);
        }
    }
    found
}

/// A report entry of extraction.
fn change(rule: &str, dom: &Dom, id: NodeId, chars: u32, detail: String) -> Change {
    Change {
        rule: rule.to_string(),
        action: Action::Remove,
        target: if id == dom.content() {
            "body".to_string()
        } else {
            describe(dom, id)
        },
        text_chars: chars as usize,
        vetoed: false,
        detail,
    }
}
