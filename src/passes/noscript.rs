//! `<noscript>` text that is itself markup, before a rule unwraps it.
//!
//! The parser reads a `<noscript>` as a reader without scripts would, so
//! its content is markup (the plain image of a lazy one, a tracking pixel).
//! Some pages store that content escaped (`&lt;img src="…"&gt;`), often
//! because a tool saved the page from a browser that ran scripts, where a
//! `<noscript>` holds raw text. Unwrapped, that text would put the literal
//! `<img src=…>` in the article. It is not the page's words, so it goes:
//! only text a reader was meant to read may become text.
//!
//! NOTE: parsing it as HTML in place would recover a lazy image's fallback,
//! but it needs the DOM to adopt parsed nodes, which it cannot yet; what is
//! dropped here is markup, never prose.

use super::{describe, Matches};
use crate::dom::{Dom, NodeData, NodeId};
use crate::report::{Change, Report};
use crate::rules::{Action, Rules};

/// Drops the text of every `<noscript>` an `unwrap` rule matched whose
/// text is markup, so that the unwrap shows no tags as words.
pub(super) fn drop_escaped_markup(
    dom: &mut Dom,
    matches: &Matches,
    rules: &Rules,
    report: &mut Report,
) {
    for &(id, r) in matches.get(Action::Unwrap) {
        if dom.is_removed(id) || !dom.is_element(id, "noscript") {
            continue;
        }
        let texts: Vec<NodeId> = dom
            .children(id)
            .filter(|&c| matches!(dom.data(c), NodeData::Text(_)))
            .collect();
        let text: String = texts.iter().filter_map(|&t| dom.text(t)).collect();
        if !is_markup(&text) {
            continue;
        }
        report.push(Change {
            rule: rules.get(r).id().to_string(),
            action: Action::Remove,
            target: describe(dom, id),
            text_chars: 0,
            vetoed: false,
            detail: "escaped markup in noscript".into(),
        });
        for t in texts {
            dom.remove(t);
        }
    }
}

/// Whether `text`, read as HTML, holds an element or a comment:
/// `<img src=x>` does, `Enable JavaScript <3` and `a < b > c` do not.
fn is_markup(text: &str) -> bool {
    // A tag opens with `<` and a letter (or `</`, `<!`): a cheap test first.
    let opens_tag = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    if !opens_tag {
        return false;
    }
    let parsed = Dom::parse_fragment(text);
    let root = parsed.content();
    parsed
        .descendants(root)
        .any(|n| n != root && !matches!(parsed.data(n), NodeData::Text(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_told_from_words() {
        assert!(is_markup(
            r#"<img src="https://a.example/atrk.gif" height="1" width="1" alt=""/>"#
        ));
        assert!(is_markup("  <p>Enable JavaScript</p> "));
        assert!(is_markup("<iframe src=x></iframe>"));
        assert!(!is_markup("Enable JavaScript to see the comments."));
        assert!(!is_markup("We <3 readers"));
        assert!(!is_markup("a < b > c"));
        assert!(is_markup("<!-- a comment -->"));
        assert!(!is_markup(""));
    }
}
