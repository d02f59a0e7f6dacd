//! Escaping by context: how what is text, a URL or code is written so that
//! CommonMark reads it back as exactly that, and not as Markdown.
//!
//! A character of text takes a backslash where it would start or end
//! structure ([`needs_escape`]), a link destination is escaped for the
//! parentheses around it ([`destination`]), an image's `alt` text for the
//! brackets around it ([`image`]), and a code span or fence is longer than
//! any run of backticks inside it ([`longest_run`]).

use super::Leaf;

/// Whether a character of text needs a backslash to stay text.
pub(super) fn needs_escape(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    at_line_start: bool,
    line: &str,
    leaf: Leaf,
) -> bool {
    match c {
        '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' => true,
        '_' => {
            !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric))
        }
        '#' => at_line_start || matches!(leaf, Leaf::Heading(_)),
        '>' | '-' | '+' | '=' => at_line_start && leaf == Leaf::Paragraph,
        // `1.` or `1)` starting a line would start a list.
        '.' | ')' => {
            leaf == Leaf::Paragraph
                && !line.is_empty()
                && line.len() <= 9
                && line.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// An image, `![alt](url)`: the `alt` text escaped for the brackets, and
/// the URL for the parentheses.
pub(super) fn image(alt: &str, url: &str) -> String {
    let mut s = String::from("![");
    for c in alt.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '`' | '*' | '_' | '<' | '&' | '|' | '~'
        ) {
            s.push('\\');
        }
        s.push(c);
    }
    s.push_str("](");
    s.push_str(&destination(url));
    s.push(')');
    s
}

/// A link destination written so that CommonMark reads back exactly `url`:
/// spaces and control characters percent-encoded, and a backslash before
/// what would end or change it (parentheses, angle brackets, backslashes,
/// and an `&` that would start an entity).
pub(super) fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        match c {
            '\0'..=' ' | '\u{7f}' => out.push_str(&format!("%{:02X}", c as u32)),
            '(' | ')' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '&' if starts_entity(&url[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether the text after an `&` would make it an entity reference:
/// `amp;`, `#38;`, `#x26;`.
pub(super) fn starts_entity(after: &str) -> bool {
    let body = after.strip_prefix('#').unwrap_or(after);
    let n = body.chars().take_while(char::is_ascii_alphanumeric).count();
    n > 0 && body[n..].starts_with(';')
}

/// The longest run of `c` in `s`.
pub(super) fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for x in s.chars() {
        if x == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_read_back_as_written() {
        assert_eq!(destination("/a b(c)&amp;d&e"), "/a%20b\\(c\\)\\&amp;d&e");
    }

    #[test]
    fn fences_outrun_backticks() {
        assert_eq!(longest_run("a``b```c`", '`'), 3);
    }
}
