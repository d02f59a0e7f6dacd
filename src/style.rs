//! Inline styles (`style="…"`), as far as the rule conditions read them:
//! one property's value, and whether a style hides its element.
//!
//! Not a CSS parser: declarations are split on `;` and `:`, which is enough
//! for the properties read here (keywords and lengths, with no `;` inside).

/// The value of `property` in an inline style, lower case, `!important`
/// dropped. The last declaration of the property wins, as in CSS.
pub(crate) fn value(style: &str, property: &str) -> Option<String> {
    style.split(';').rev().find_map(|decl| {
        let (k, v) = decl.split_once(':')?;
        k.trim().eq_ignore_ascii_case(property).then(|| {
            v.trim()
                .trim_end_matches("!important")
                .trim()
                .to_ascii_lowercase()
        })
    })
}

/// Whether an inline style hides its element: `display: none` or
/// `visibility: hidden`.
pub(crate) fn hides(style: &str) -> bool {
    value(style, "display").as_deref() == Some("none")
        || value(style, "visibility").as_deref() == Some("hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_property() {
        assert_eq!(
            value("width: 1px; height:2PX", "height").as_deref(),
            Some("2px")
        );
        assert_eq!(value("Width : 10px ", "width").as_deref(), Some("10px"));
        assert_eq!(value("width: 1px", "height"), None);
        assert_eq!(value("", "width"), None);
        assert_eq!(value("width", "width"), None);
    }

    #[test]
    fn the_last_declaration_wins_and_importance_is_dropped() {
        assert_eq!(
            value("display: none; display: block", "display").as_deref(),
            Some("block")
        );
        assert_eq!(
            value("display: none !important;", "display").as_deref(),
            Some("none")
        );
    }

    #[test]
    fn hiding_styles() {
        assert!(hides("display:none"));
        assert!(hides("color: red; VISIBILITY: Hidden"));
        assert!(hides("display: none !important"));
        assert!(!hides("display: block"));
        assert!(!hides("display: none; display: flex"));
        assert!(!hides("visibility: visible"));
        assert!(!hides(""));
    }
}
