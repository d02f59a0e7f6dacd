//! The article's title: the page's heading that its `og:title` or
//! `<title>` names, else its one `<h1>`.

use crate::dom::{Dom, NodeData, NodeId};

/// Longest heading, in characters, taken for a title.
const MAX_TITLE: usize = 300;

/// The heading that titles the page, if one does.
pub(super) fn find(dom: &Dom, order: &[NodeId]) -> Option<NodeId> {
    let named = page_titles(dom);
    let mut h1s = Vec::new();
    let mut matching_h2 = None;
    for &id in order {
        let Some(e) = dom.element(id) else { continue };
        let level = match e.name() {
            "h1" => 1,
            "h2" => 2,
            _ => continue,
        };
        let text = normalize(&dom.text_content(id));
        if text.is_empty() || text.chars().count() > MAX_TITLE {
            continue;
        }
        let matches = named.iter().any(|t| is_same_title(&text, t));
        if level == 1 {
            if matches {
                return Some(id);
            }
            h1s.push(id);
        } else if matches && matching_h2.is_none() {
            matching_h2 = Some(id);
        }
    }
    // A lone `<h1>` that is not all link (a site's logo is).
    let lone = match h1s.as_slice() {
        [one] if !is_all_link(dom, *one) => Some(*one),
        _ => None,
    };
    lone.or(matching_h2)
}

/// The titles the page's `<head>` gives: `og:title`, `twitter:title`, `<title>`.
fn page_titles(dom: &Dom) -> Vec<String> {
    let Some(head) = dom.head() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for id in dom.descendants(head) {
        let Some(e) = dom.element(id) else { continue };
        if e.is("title") {
            let t = normalize(&dom.text_content(id));
            if !t.is_empty() {
                out.push(t);
            }
        } else if e.is("meta") {
            let key = e.attr("property").or_else(|| e.attr("name")).unwrap_or("");
            if key.eq_ignore_ascii_case("og:title") || key.eq_ignore_ascii_case("twitter:title") {
                let t = normalize(e.attr("content").unwrap_or(""));
                if !t.is_empty() {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// Whether a heading's text is the title a page gives: equal, or a part of
/// it that is most of it (a `<title>` adds the site's name).
fn is_same_title(heading: &str, title: &str) -> bool {
    if heading == title {
        return true;
    }
    let (h, t) = (heading.chars().count(), title.chars().count());
    (h >= 10 && title.contains(heading) && h * 2 >= t)
        || (t >= 10 && heading.contains(title) && t * 2 >= h)
}

/// Lower case, whitespace collapsed.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether every text of `id` is inside a link.
fn is_all_link(dom: &Dom, id: NodeId) -> bool {
    let mut walk = dom.descendants(id);
    while let Some(n) = walk.next() {
        if dom.is_element(n, "a") {
            walk.skip_children_of(n);
            continue;
        }
        if let NodeData::Text(t) = dom.data(n) {
            if !t.trim().is_empty() {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str) -> Option<String> {
        let dom = Dom::parse_document(html);
        let order: Vec<NodeId> = dom.descendants(dom.content()).collect();
        find(&dom, &order).map(|h| dom.text_content(h))
    }

    #[test]
    fn the_heading_the_head_names_wins() {
        let html = "<title>Rain falls on the plain | Daily</title><h1><a href=/>Daily</a></h1>\
                    <h1>Rain falls on the plain</h1>";
        assert_eq!(title_of(html).as_deref(), Some("Rain falls on the plain"));
    }

    #[test]
    fn a_logo_is_no_title() {
        assert_eq!(
            title_of("<title>x</title><h1><a href=/>Daily</a></h1>"),
            None
        );
        assert_eq!(
            title_of("<title>x</title><h1>Story</h1>").as_deref(),
            Some("Story")
        );
    }
}
