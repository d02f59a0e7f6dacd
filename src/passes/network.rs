//! Filter lists' network rules: every resource URL of the document (images
//! and each `srcset` candidate, frames, scripts, media, embeds, objects,
//! `<link>`s) is asked of the lists with its request type, as the browser
//! would load it from the page. A blocked resource makes its element a
//! removal of the `list.network` rule, judged by the content veto like any
//! other; `$removeparam` rewrites the URLs that stay, links' included.

use url::Url;

use super::{describe, Matches};
use crate::dom::{Dom, NodeId};
use crate::lists::NETWORK_RULE;
use crate::report::{Change, Report};
use crate::rules::matching::Context;
use crate::rules::{Action, RuleIx, Rules};
use crate::urls;

/// The attributes of `e` that load a resource, with the request type the
/// lists know it by; `None` for the type of a link (only rewritten).
fn resources(dom: &Dom, id: NodeId) -> &'static [(&'static str, Option<&'static str>)] {
    let Some(e) = dom.element(id) else {
        return &[];
    };
    match e.name() {
        "img" => &[("src", Some("image")), ("srcset", Some("image"))],
        "source" => {
            let in_media = dom
                .parent(id)
                .and_then(|p| dom.element(p))
                .is_some_and(|p| p.is("video") || p.is("audio"));
            if in_media {
                &[("src", Some("media"))]
            } else {
                &[("srcset", Some("image")), ("src", Some("image"))]
            }
        }
        "video" => &[("src", Some("media")), ("poster", Some("image"))],
        "audio" => &[("src", Some("media"))],
        "iframe" | "frame" => &[("src", Some("sub_frame"))],
        "script" => &[("src", Some("script"))],
        "embed" => &[("src", Some("object"))],
        "object" => &[("data", Some("object"))],
        "link" => {
            let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
            if rel.split_ascii_whitespace().any(|r| r == "stylesheet") {
                &[("href", Some("stylesheet"))]
            } else if rel.split_ascii_whitespace().any(|r| r.contains("icon")) {
                &[("href", Some("image"))]
            } else {
                &[("href", Some("other"))]
            }
        }
        "a" | "area" => &[("href", None)],
        _ => &[],
    }
}

/// The absolute http(s) URL `raw` stands for, or `None` (`data:` URIs,
/// other schemes, relative URLs without a base).
fn absolute(raw: &str, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(raw).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.into())
}

/// Asks the lists about every resource of the document: blocked elements
/// join the removals (with the blocking line in `matches.details`), and
/// kept URLs that a `$removeparam` rule rewrites are rewritten. Returns the
/// blocked elements' parents, for [`drop_wrappers`].
pub(super) fn check(
    dom: &mut Dom,
    ctx: &Context<'_>,
    rules: &Rules,
    matches: &mut Matches,
    report: &mut Report,
) -> Vec<NodeId> {
    let Some(lists) = ctx.lists else {
        return Vec::new();
    };
    let rule = rules.iter().position(|r| r.id() == NETWORK_RULE);
    let Some(rule) = rule.and_then(|r| RuleIx::try_from(r).ok()) else {
        return Vec::new();
    };
    let base = ctx.base_url.or(ctx.page_url);
    let mut parents = Vec::new();
    let mut rewrites: Vec<(NodeId, &'static str, String, String)> = Vec::new();
    let root = dom.content();
    for id in dom.descendants(root) {
        let list = resources(dom, id);
        if list.is_empty() {
            continue;
        }
        let e = dom.element(id).expect("resources are an element's");
        let mut blocked = None;
        'attrs: for &(attr, kind) in list {
            let Some(value) = e.attr(attr) else { continue };
            let candidates: Vec<&str> = if attr.ends_with("srcset") {
                urls::parse_srcset(value)
                    .into_iter()
                    .map(|c| c.url)
                    .collect()
            } else {
                vec![value]
            };
            for raw in candidates {
                let Some(url) = absolute(raw, base) else {
                    continue;
                };
                // A link is a navigation: a `document` request, which `$removeparam`
                // rules apply to by default; its blocking verdict is not ours.
                let verdict = lists.check(&url, kind.unwrap_or("document"));
                match verdict.blocked_by {
                    Some(line) if kind.is_some() => {
                        blocked = Some(line);
                        break 'attrs;
                    }
                    _ => {}
                }
                // A rewritten `srcset` candidate is left: the sanitizer drops
                // `srcset`, and the rewrite of a whole list is not worth it.
                if let Some((new, line)) = verdict.rewritten {
                    if !attr.ends_with("srcset") {
                        rewrites.push((id, attr, new, line));
                    }
                }
            }
        }
        if let Some(line) = blocked {
            matches
                .by_action
                .entry(Action::Remove)
                .or_default()
                .push((id, rule));
            matches.details.insert((id, rule), line);
            parents.extend(dom.parent(id));
            rewrites.retain(|r| r.0 != id);
        }
    }
    for (id, attr, new, line) in rewrites {
        let target = describe(dom, id);
        if let Some(e) = dom.element_mut(id) {
            e.set_attr(attr, &new);
            report.push(Change {
                rule: NETWORK_RULE.to_string(),
                action: Action::StripParams,
                target,
                text_chars: 0,
                vetoed: false,
                detail: line,
            });
        }
    }
    parents
}

/// Removes the link, figure or picture that held only a blocked resource,
/// going up while the wrapper is left empty: a tracking pixel's link would
/// otherwise stay as an empty link.
pub(super) fn drop_wrappers(dom: &mut Dom, parents: &[NodeId], report: &mut Report) {
    for &start in parents {
        let mut cur = Some(start);
        while let Some(id) = cur {
            if dom.is_removed(id) || id == dom.content() {
                break;
            }
            let is_wrapper = dom
                .element(id)
                .is_some_and(|e| matches!(e.name(), "a" | "figure" | "picture"));
            if !is_wrapper || !super::remove::is_empty(dom, id, &Default::default()) {
                break;
            }
            cur = dom.parent(id);
            report.push(Change {
                rule: NETWORK_RULE.to_string(),
                action: Action::Remove,
                target: describe(dom, id),
                text_chars: 0,
                vetoed: false,
                detail: "held only a blocked resource".to_string(),
            });
            dom.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_asked() {
        let base = Url::parse("https://news.example/a/").unwrap();
        assert_eq!(
            absolute("p.gif", Some(&base)).as_deref(),
            Some("https://news.example/a/p.gif")
        );
        assert_eq!(absolute("data:image/gif;base64,R0", Some(&base)), None);
        assert_eq!(absolute("p.gif", None), None);
        assert_eq!(absolute("javascript:x()", Some(&base)), None);
    }
}
