//! Wrapping lines of plain text to a display width.
//!
//! Widths are display columns (UAX #11 via `unicode-width`): CJK characters
//! take two. A line breaks at a space (which is dropped) or between two
//! characters where either is a Han, kana or full-width character (CJK text
//! has no spaces), but not before closing punctuation nor after opening
//! punctuation, the basic rule of Japanese and Chinese line breaking
//! (kinsoku shori). A word wider than the line is not broken: it overflows.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps `line` to `width` columns. Continuation lines are indented to where
/// the text of the first line starts, after its indentation and list marker
/// (`- `, `12. `), so list items hang.
pub(super) fn wrap_line(line: &str, width: usize, out: &mut String) {
    let prefix_len = prefix_len(line);
    let (prefix, rest) = line.split_at(prefix_len);
    let hang = " ".repeat(prefix.width());
    out.push_str(prefix);
    let mut col = prefix.width();
    let mut line_has_text = false;
    for (space_before, unit) in units(rest) {
        let w = unit.width();
        let sep = usize::from(space_before && line_has_text);
        if line_has_text && col + sep + w > width {
            out.push('\n');
            out.push_str(&hang);
            col = hang.len();
        } else if sep == 1 {
            out.push(' ');
            col += 1;
        }
        out.push_str(unit);
        col += w;
        line_has_text = true;
    }
}

/// The length of a line's indentation plus its list marker, if any.
fn prefix_len(line: &str) -> usize {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if rest.starts_with("- ") {
        return indent + 2;
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && rest[digits..].starts_with(". ") {
        return indent + digits + 2;
    }
    indent
}

/// Splits text into the pieces a line may not break inside, each with
/// whether a space came before it.
fn units(text: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    for (i, word) in text.split(' ').filter(|w| !w.is_empty()).enumerate() {
        let mut start = 0;
        let mut prev: Option<char> = None;
        for (at, c) in word.char_indices() {
            if let Some(p) = prev {
                if may_break_between(p, c) {
                    out.push((start == 0 && i > 0, &word[start..at]));
                    start = at;
                }
            }
            prev = Some(c);
        }
        out.push((start == 0 && i > 0, &word[start..]));
    }
    out
}

/// Whether a line may break between `a` and `b` with no space between them.
fn may_break_between(a: char, b: char) -> bool {
    (breaks_anywhere(a) || breaks_anywhere(b)) && !no_line_start(b) && !no_line_end(a)
}

/// Han, kana, and full-width forms: text in which a line may break between
/// any two characters. Hangul is not here: Korean puts spaces between words.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0x20000..=0x2FA1F)
        && c.width().unwrap_or(0) == 2
}

/// Characters a line must not start with: closing punctuation, small kana,
/// the iteration and prolonged sound marks.
fn no_line_start(c: char) -> bool {
    "、。，．：；？！）」』】〕〉》〙〗’”・ーゝゞヽヾ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ）］｝，．：；？！｡｣､.,;:!?)]}%"
        .contains(c)
}

/// Characters a line must not end with: opening punctuation.
fn no_line_end(c: char) -> bool {
    "（「『【〔〈《〘〖‘“（［｛｢([{".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap(line: &str, width: usize) -> String {
        let mut s = String::new();
        wrap_line(line, width, &mut s);
        s
    }

    #[test]
    fn breaks_at_spaces() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("aaaaaaaaaa b", 4), "aaaaaaaaaa\nb");
    }

    #[test]
    fn cjk_takes_two_columns_and_breaks_anywhere() {
        assert_eq!(wrap("中文中文中文", 8), "中文中文\n中文");
    }

    #[test]
    fn closing_punctuation_stays_on_its_line() {
        // "。" may not start a line, so "文。" moves together.
        assert_eq!(wrap("中文中文。中文", 8), "中文中\n文。中文");
        assert_eq!(wrap("中文「中文」", 6), "中文\n「中\n文」");
    }

    #[test]
    fn list_items_hang() {
        assert_eq!(wrap("  - one two three", 11), "  - one two\n    three");
        assert_eq!(wrap("12. one two", 8), "12. one\n    two");
    }
}
