//! What a MathML formula reads as, as text.
//!
//! The serializer needs it: the sanitizer's policy unwraps foreign elements
//! (`policy::fate`), MathML included, which would leave every piece of a
//! formula as text, its annotations (the TeX source) next to its
//! presentation. So the serializer writes a `<math>` element as this text
//! instead, the same text the text renderer reads in it.

use super::{Dom, NodeId};

impl Dom {
    /// What a `<math>` element reads as, trimmed: its `alttext`, else its TeX
    /// annotation, else the text of its presentation (annotations, and what
    /// is never rendered, left out).
    pub(crate) fn math_text(&self, id: NodeId) -> String {
        let Some(e) = self.element(id) else {
            return String::new();
        };
        if let Some(alt) = e.attr("alttext") {
            return alt.trim().to_string();
        }
        let tex = self.descendants(id).find(|&n| {
            self.element(n).is_some_and(|a| {
                a.name() == "annotation"
                    && a.attr("encoding").is_some_and(|enc| enc.contains("tex"))
            })
        });
        if let Some(n) = tex {
            return self.text_content(n).trim().to_string();
        }
        let mut s = String::new();
        let mut walk = self.descendants(id);
        while let Some(n) = walk.next() {
            if self.element(n).is_some_and(|a| {
                a.name().starts_with("annotation") || crate::policy::drops_content(a.name())
            }) {
                walk.skip_children_of(n);
                continue;
            }
            if let Some(t) = self.text(n) {
                s.push_str(t);
            }
        }
        s.trim().to_string()
    }
}
