//! A leaf block's inline content: the pieces it is collected as, and how
//! they are written out once the whole block is known.
//!
//! Marks (emphasis and links) are written only when CommonMark would read
//! them back as they were: a link around some content, emphasis whose
//! delimiters flank their content and touch no other delimiter (CommonMark
//! 0.31, 6.2). A mark that would not read back is dropped and its text
//! kept. Each character is escaped as its context needs ([`super::escape`]).

use std::borrow::Cow;

use super::escape::{destination, longest_run, needs_escape, starts_entity};
use super::Leaf;

/// The kind of an emphasis or link mark.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum MarkKind {
    Strong,
    Emphasis,
    Strike,
    Link(String),
}

impl MarkKind {
    fn delimiter(&self) -> &'static str {
        match self {
            MarkKind::Strong => "**",
            MarkKind::Emphasis => "*",
            MarkKind::Strike => "~~",
            MarkKind::Link(_) => "",
        }
    }
}

/// A piece of inline content.
#[derive(Debug, Clone)]
pub(super) enum Piece {
    /// A character of text, escaped when written.
    Char(char),
    /// A collapsed space.
    Space,
    /// A hard line break.
    Break,
    /// The text of a code span; adjacent ones are one span.
    Code(String),
    /// Written as is: an image, `![alt](url)`.
    Raw(String),
    /// The start or end of the mark with this index.
    Open(usize),
    Close(usize),
}

/// Writes the inline pieces of a leaf block as Markdown.
pub(super) fn inline_text(pieces: &[Piece], marks: &[MarkKind], leaf: Leaf) -> String {
    let keep = resolve_marks(pieces, marks);
    let kept = |p: &Piece| match p {
        Piece::Open(i) | Piece::Close(i) => keep[*i],
        _ => true,
    };
    // Lines break only in paragraphs; elsewhere a break is a space.
    let breaks = leaf == Leaf::Paragraph;
    let mut out = String::new();
    let mut line_start = 0usize;
    let mut idx = 0;
    // Links open at this point of the text.
    let mut links = 0usize;
    // Leading and trailing whitespace goes.
    let is_blank = |p: &Piece| matches!(p, Piece::Space | Piece::Break);
    let first = pieces.iter().position(|p| !is_blank(p) && kept(p));
    let last = pieces.iter().rposition(|p| !is_blank(p) && kept(p));
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    while idx < pieces.len() {
        let p = &pieces[idx];
        if idx < first || idx > last {
            idx += 1;
            continue;
        }
        match p {
            Piece::Char(c) => {
                let prev = out[line_start..].chars().next_back();
                let next = next_char(pieces, idx + 1, &keep);
                let at_line_start = line_start == out.len();
                if needs_escape(*c, prev, next, at_line_start, &out[line_start..], leaf)
                    || (*c == '!' && next_is_link(pieces, idx + 1, &keep, marks))
                    || (*c == '&' && starts_entity(&following_text(pieces, idx + 1)))
                {
                    out.push('\\');
                }
                out.push(*c);
            }
            Piece::Space => {
                if line_start != out.len() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Piece::Break => {
                if breaks {
                    while out.ends_with(' ') {
                        out.pop();
                    }
                    if line_start != out.len() && !out.ends_with("\\\n") {
                        out.push_str("\\\n");
                        line_start = out.len();
                    }
                } else if line_start != out.len() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            // NOTE: GFM splits a row at every unescaped `|`, code spans
            // included, and reads `\|` in them as `|`.
            Piece::Raw(s) if leaf == Leaf::Cell => out.push_str(&s.replace('|', "\\|")),
            Piece::Raw(s) => out.push_str(s),
            Piece::Code(first_body) => {
                // Spans with only dropped marks between them are one.
                let mut body = Cow::Borrowed(first_body.as_str());
                let mut j = idx + 1;
                while j <= last {
                    match &pieces[j] {
                        Piece::Open(m) | Piece::Close(m) if !keep[*m] => {}
                        Piece::Code(more) => {
                            body.to_mut().push_str(more);
                            idx = j;
                        }
                        _ => break,
                    }
                    j += 1;
                }
                let fence = "`".repeat(longest_run(&body, '`') + 1);
                let pad = if body.starts_with('`') || body.ends_with('`') {
                    " "
                } else {
                    ""
                };
                if leaf == Leaf::Cell {
                    body = Cow::Owned(body.replace('|', "\\|"));
                }
                if links > 0 && body.contains(['[', ']']) {
                    // NOTE: a bracket in a code span in a link's text
                    // still counts as one when CommonMark looks for the
                    // end of the text (`[`]:`](u)` even reads as a link
                    // definition): the span is written as escaped text.
                    for c in body.chars() {
                        if "\\[]`*_<>&|~!#".contains(c) {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                } else {
                    out.push_str(&format!("{fence}{pad}{body}{pad}{fence}"));
                }
            }
            Piece::Open(i) if keep[*i] => match &marks[*i] {
                MarkKind::Link(_) => {
                    links += 1;
                    out.push('[');
                }
                k => out.push_str(k.delimiter()),
            },
            Piece::Close(i) if keep[*i] => match &marks[*i] {
                MarkKind::Link(url) => {
                    links = links.saturating_sub(1);
                    // A break at the end of a link's text would leave
                    // a backslash before the `]`, which escapes it: it
                    // goes after the link.
                    let mut moved = false;
                    while out.ends_with(' ') || out.ends_with("\\\n") {
                        let n = if out.ends_with(' ') { 1 } else { 2 };
                        moved |= n == 2;
                        out.truncate(out.len() - n);
                    }
                    out.push_str("](");
                    out.push_str(&destination(url));
                    out.push(')');
                    if moved {
                        out.push_str("\\\n");
                    }
                    line_start = out.rfind('\n').map_or(0, |i| i + 1);
                }
                k => out.push_str(k.delimiter()),
            },
            Piece::Open(_) | Piece::Close(_) => {}
        }
        idx += 1;
    }
    while out.ends_with(' ') || out.ends_with("\\\n") {
        let n = if out.ends_with(' ') { 1 } else { 2 };
        out.truncate(out.len() - n);
    }
    out
}

/// Which marks to write. A mark is written when it opens and closes in
/// this leaf block around some content; emphasis also needs delimiters
/// that CommonMark reads back as emphasis: not next to other emphasis
/// delimiters, and flanking their content (CommonMark 0.31, 6.2).
fn resolve_marks(pieces: &[Piece], marks: &[MarkKind]) -> Vec<bool> {
    let mut keep = vec![false; marks.len()];
    let mut open_at = vec![usize::MAX; marks.len()];
    let mut pairs = Vec::new();
    for (at, p) in pieces.iter().enumerate() {
        match p {
            Piece::Open(i) => open_at[*i] = at,
            Piece::Close(i) if open_at[*i] != usize::MAX => pairs.push((open_at[*i], at, *i)),
            _ => {}
        }
    }
    pairs.sort_unstable();
    let has_content = |open: usize, close: usize| {
        pieces[open + 1..close]
            .iter()
            .any(|p| matches!(p, Piece::Char(_) | Piece::Raw(_) | Piece::Code(_)))
    };
    // Links first: emphasis needs to know the brackets next to it.
    for &(open, close, i) in &pairs {
        if matches!(marks[i], MarkKind::Link(_)) {
            keep[i] = has_content(open, close);
        }
    }
    // Emphasis kept so far: where it opens and closes, and its delimiter
    // character.
    let mut kept_emphasis: Vec<(usize, usize, char)> = Vec::new();
    for (open, close, i) in pairs {
        if matches!(marks[i], MarkKind::Link(_)) || !has_content(open, close) {
            continue;
        }
        let family = marks[i].delimiter().chars().next().unwrap_or('*');
        // The emphasis delimiters' neighbours, in the output as decided so far.
        let is_emphasis = |j: usize| !matches!(marks[j], MarkKind::Link(_));
        let neighbour = |at: usize, forward: bool| -> Neighbour {
            let mut k = at;
            loop {
                if forward {
                    k += 1;
                    if k >= pieces.len() {
                        return Neighbour::Edge;
                    }
                } else {
                    if k == 0 {
                        return Neighbour::Edge;
                    }
                    k -= 1;
                }
                match &pieces[k] {
                    Piece::Char(c) => return Neighbour::Char(*c),
                    Piece::Space | Piece::Break => return Neighbour::Edge,
                    Piece::Code(_) => return Neighbour::Char('`'),
                    Piece::Raw(s) => {
                        let c = if forward {
                            s.chars().next()
                        } else {
                            s.chars().next_back()
                        };
                        return Neighbour::Char(c.unwrap_or('`'));
                    }
                    Piece::Open(j) | Piece::Close(j) => {
                        if *j == i {
                            return Neighbour::Delimiter;
                        }
                        if keep[*j] {
                            return if is_emphasis(*j) {
                                Neighbour::Delimiter
                            } else if matches!(pieces[k], Piece::Open(_)) {
                                Neighbour::Char('[')
                            } else {
                                Neighbour::Char(')')
                            };
                        }
                        // Dropped, or emphasis decided later: that one
                        // is dropped if it would touch this one.
                    }
                }
            }
        };
        let before_open = neighbour(open, false);
        let first = neighbour(open, true);
        let last = neighbour(close, false);
        let after_close = neighbour(close, true);
        let left_flanking = match first {
            Neighbour::Char(c) if !c.is_whitespace() => {
                !is_punctuation(c) || before_open.is_space_or_ascii_punctuation()
            }
            _ => false,
        };
        let right_flanking = match last {
            Neighbour::Char(c) if !c.is_whitespace() => {
                !is_punctuation(c) || after_close.is_space_or_ascii_punctuation()
            }
            _ => false,
        };
        let touches = matches!(before_open, Neighbour::Delimiter)
            || matches!(after_close, Neighbour::Delimiter);
        // NOTE: inside emphasis of the same character (`*` and `**` are
        // both `*`), a delimiter that can both open and close would
        // close the outer one (CommonMark 6.2, "process emphasis"), so
        // the inner one must sit between spaces or punctuation.
        let nested = kept_emphasis
            .iter()
            .any(|&(o, c, f)| o < open && close < c && f == family);
        let inner_word = |n: Neighbour| matches!(n, Neighbour::Char(c) if !is_punctuation(c));
        let one_sided = before_open.is_space_or_ascii_punctuation()
            && after_close.is_space_or_ascii_punctuation()
            && inner_word(first)
            && inner_word(last);
        keep[i] = left_flanking && right_flanking && !touches && (!nested || one_sided);
        if keep[i] {
            kept_emphasis.push((open, close, family));
        }
    }
    keep
}

/// What is next to an emphasis delimiter.
#[derive(Debug, Clone, Copy)]
enum Neighbour {
    /// The start or end of the line, or whitespace.
    Edge,
    Char(char),
    /// Another emphasis delimiter, which would merge with this one.
    Delimiter,
}

impl Neighbour {
    /// Whitespace or ASCII punctuation: what lets a delimiter next to
    /// punctuation flank. Other Unicode punctuation counts too in CommonMark,
    /// but not in every reader; ASCII is the safe reading.
    fn is_space_or_ascii_punctuation(self) -> bool {
        match self {
            Neighbour::Edge => true,
            Neighbour::Char(c) => c.is_whitespace() || c.is_ascii_punctuation(),
            Neighbour::Delimiter => false,
        }
    }
}

/// Punctuation, broadly: anything not a letter, digit or space. Broad is the
/// safe side here, since it only ever drops emphasis.
fn is_punctuation(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// The next character to be written after `from`, if it is text.
fn next_char(pieces: &[Piece], from: usize, keep: &[bool]) -> Option<char> {
    for p in &pieces[from.min(pieces.len())..] {
        match p {
            Piece::Char(c) => return Some(*c),
            Piece::Open(i) | Piece::Close(i) if !keep[*i] => continue,
            _ => return None,
        }
    }
    None
}

/// Whether the next piece written after `from` opens a link.
fn next_is_link(pieces: &[Piece], from: usize, keep: &[bool], marks: &[MarkKind]) -> bool {
    for p in &pieces[from.min(pieces.len())..] {
        match p {
            Piece::Open(i) | Piece::Close(i) if !keep[*i] => continue,
            Piece::Open(i) => return matches!(marks[*i], MarkKind::Link(_)),
            _ => return false,
        }
    }
    false
}

/// The text characters that follow `from`, up to the next other piece, as
/// far as an entity reference could reach.
fn following_text(pieces: &[Piece], from: usize) -> String {
    pieces[from.min(pieces.len())..]
        .iter()
        .map_while(|p| match p {
            Piece::Char(c) => Some(*c),
            _ => None,
        })
        .take(40)
        .collect()
}
