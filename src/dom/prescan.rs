//! A cap on the number of attributes per tag, applied to the text before
//! html5ever's tokenizer reads it.
//!
//! NOTE: html5ever's tokenizer checks each new attribute name against every
//! attribute of the tag so far (`finish_attribute`), so one tag with k
//! attributes costs k²/2 comparisons: 50,000 attributes take over a second,
//! 100,000 five. Browsers keep every attribute; an article needs a handful.
//! This scanner finds every tag the tokenizer will see and drops the bytes of
//! its attributes past the cap, up to (not including) the `/` or `>` that
//! ends the tag, so the tokenizer reads the same tag with its first
//! attributes only.
//!
//! To find tags where the tokenizer finds them, the scanner follows the
//! tokenizer's states (HTML standard, §13.2.5): tags and their attributes,
//! comments, doctypes, bogus comments, and the text of raw text, RCDATA,
//! script and PLAINTEXT elements, where a `<` starts no tag. Two things
//! depend on the tree builder, not on the text: whether a start tag such as
//! `<style>` switches the tokenizer to raw text (not inside `<svg>`), and
//! whether `<![CDATA[` opens a CDATA section (only in SVG or MathML). The
//! scanner does not guess: it stops there ([`Question`]), the caller feeds
//! the tokenizer everything so far, asks the tree builder, and answers.
//!
//! Bytes are scanned, not characters: every delimiter is ASCII, and no byte
//! of a multi-byte UTF-8 sequence is ASCII, so cuts fall on character
//! boundaries.
//!
//! One file over 800 lines: the scanner is one state machine over the
//! tokenizer's states, read best whole; its last 200 lines are tests.

/// What the scanner needs to know from the tree builder before it can go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Question {
    /// The start tag just given may switch the tokenizer to a text state:
    /// which one did it switch to? Answer with [`Prescan::text_state`].
    TextState,
    /// A `<![CDATA[` comes next: is the tree builder's adjusted current node
    /// in a foreign namespace (SVG, MathML)? Answer with [`Prescan::cdata`].
    Cdata,
}

/// The tokenizer state after a start tag, as far as tags are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextState {
    /// Markup: the data state.
    Data,
    /// RCDATA or RAWTEXT: text until the matching end tag.
    RawText,
    /// Script data: text until the matching end tag, with the escapes of
    /// `<!--` and `<script>` inside.
    Script,
    /// Text to the end of the input.
    Plaintext,
}

/// A piece of the input to give the tokenizer, and whether a question must
/// be answered once it has been given.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Piece<'a> {
    pub(super) text: &'a str,
    pub(super) ask: Option<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Data,
    /// RCDATA or RAWTEXT ended by `</name`, `name` being the last start tag's.
    RawText,
    Script,
    Plaintext,
    /// Waiting for the answer to the question asked.
    Asked(Question),
}

/// Start tag names after which the tree builder may switch the tokenizer to
/// a text state (html5ever's `tree_builder` rules; `noscript` only with
/// scripting on).
const TEXT_ELEMENTS: &[&[u8]] = &[
    b"title",
    b"textarea",
    b"style",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"script",
    b"plaintext",
];

/// Longest name in [`TEXT_ELEMENTS`].
const NAME_BUF: usize = 9;

/// Where the scanner cuts the input.
#[derive(Debug)]
enum Cut {
    /// Leave out the bytes `from..to`, and give a space instead.
    Drop(usize, usize),
    /// Give a space.
    Space,
    /// Give everything before `at`, then ask.
    Ask(usize, Question),
}

/// Splits an input into pieces without the attributes past the cap.
pub(super) struct Prescan<'a> {
    input: &'a str,
    max_attrs: usize,
    /// Where scanning resumes.
    pos: usize,
    /// Start of the text not yet given out.
    given: usize,
    mode: Mode,
    /// The last start tag's name when it is one of [`TEXT_ELEMENTS`] (only
    /// those start raw text, whose end tag must bear the same name).
    last_start: Option<&'static [u8]>,
    /// Cuts found and not yet given out, in order.
    cuts: std::collections::VecDeque<Cut>,
    done: bool,
    /// Attributes dropped so far.
    pub(super) dropped: usize,
}

fn is_space(b: u8) -> bool {
    // The tokenizer turns CR and CRLF into LF before it reads them.
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A tag name, lower case, when it is one of [`TEXT_ELEMENTS`].
fn text_element(name: &[u8]) -> Option<&'static [u8]> {
    if name.len() > NAME_BUF {
        return None;
    }
    TEXT_ELEMENTS
        .iter()
        .copied()
        .find(|t| t.eq_ignore_ascii_case(name))
}

/// How a tag ended.
#[derive(Debug, PartialEq, Eq)]
enum TagEnd {
    /// At a `>` just before this offset.
    Gt(usize),
    /// At the end of the input: the tokenizer drops the tag.
    Eof,
}

impl<'a> Prescan<'a> {
    pub(super) fn new(input: &'a str, max_attrs: usize) -> Prescan<'a> {
        Prescan {
            input,
            max_attrs,
            pos: 0,
            given: 0,
            mode: Mode::Data,
            last_start: None,
            cuts: Default::default(),
            done: false,
            dropped: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.input.as_bytes()
    }

    fn len(&self) -> usize {
        self.input.len()
    }

    /// The next piece to give the tokenizer, in order; `None` at the end.
    ///
    /// # Panics
    ///
    /// When the question of the last piece has not been answered.
    pub(super) fn next_piece(&mut self) -> Option<Piece<'a>> {
        assert!(
            !matches!(self.mode, Mode::Asked(_)),
            "the last question is answered before scanning on"
        );
        loop {
            if let Some(cut) = self.cuts.pop_front() {
                return Some(match cut {
                    Cut::Drop(from, to) => {
                        let text = &self.input[self.given..from];
                        self.given = to;
                        self.cuts.push_front(Cut::Space);
                        Piece { text, ask: None }
                    }
                    Cut::Space => Piece {
                        text: " ",
                        ask: None,
                    },
                    Cut::Ask(at, q) => {
                        let text = &self.input[self.given..at];
                        self.given = at;
                        self.mode = Mode::Asked(q);
                        Piece { text, ask: Some(q) }
                    }
                });
            }
            if self.done {
                return None;
            }
            if self.pos >= self.len() {
                self.done = true;
                let text = &self.input[self.given..];
                self.given = self.len();
                return Some(Piece { text, ask: None });
            }
            self.step();
        }
    }

    /// Answers [`Question::TextState`].
    pub(super) fn text_state(&mut self, state: TextState) {
        debug_assert_eq!(self.mode, Mode::Asked(Question::TextState));
        self.mode = match state {
            TextState::Data => Mode::Data,
            TextState::RawText => Mode::RawText,
            TextState::Script => Mode::Script,
            TextState::Plaintext => Mode::Plaintext,
        };
    }

    /// Answers [`Question::Cdata`]: whether the adjusted current node is
    /// foreign, so that `<![CDATA[` opens a CDATA section.
    pub(super) fn cdata(&mut self, foreign: bool) {
        debug_assert_eq!(self.mode, Mode::Asked(Question::Cdata));
        self.mode = Mode::Data;
        // `pos` is at the `<` of `<![CDATA[`.
        let from = self.pos + "<![CDATA[".len();
        self.pos = if foreign {
            self.find(from, b"]]>").map_or(self.len(), |i| i + 3)
        } else {
            // A bogus comment.
            self.after_gt(from)
        };
    }

    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = self.bytes().get(from..)?;
        memchr::memmem::find(hay, needle).map(|i| from + i)
    }

    fn find_byte(&self, from: usize, b: u8) -> Option<usize> {
        memchr::memchr(b, self.bytes().get(from..)?).map(|i| from + i)
    }

    /// Just after the next `>` from `from`, or the end.
    fn after_gt(&self, from: usize) -> usize {
        self.find_byte(from, b'>').map_or(self.len(), |i| i + 1)
    }

    /// Scans one construct from `pos` in the current mode.
    fn step(&mut self) {
        match self.mode {
            Mode::Data => self.step_data(),
            Mode::RawText => self.step_raw_text(),
            Mode::Script => self.step_script(),
            Mode::Plaintext => self.pos = self.len(),
            Mode::Asked(_) => unreachable!("next_piece checks for an open question"),
        }
    }

    /// Data state: text up to a `<`, then what it opens.
    fn step_data(&mut self) {
        let b = self.bytes();
        let Some(lt) = self.find_byte(self.pos, b'<') else {
            self.pos = b.len();
            return;
        };
        match b.get(lt + 1).copied() {
            Some(c) if c.is_ascii_alphabetic() => self.tag(lt + 1, true),
            Some(b'/') => match b.get(lt + 2).copied() {
                Some(c) if c.is_ascii_alphabetic() => self.tag(lt + 2, false),
                // `</>` is dropped.
                Some(b'>') => self.pos = lt + 3,
                None => self.pos = b.len(),
                // A bogus comment.
                Some(_) => self.pos = self.after_gt(lt + 2),
            },
            Some(b'!') => {
                let rest = &b[lt + 2..];
                if rest.starts_with(b"--") {
                    self.pos = self.comment_end(lt + 4);
                } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
                    // Every doctype state ends at a `>`, quoted identifiers
                    // included (an abrupt end).
                    self.pos = self.after_gt(lt + 9);
                } else if rest.starts_with(b"[CDATA[") {
                    self.pos = lt;
                    self.cuts.push_back(Cut::Ask(lt, Question::Cdata));
                } else {
                    // A bogus comment.
                    self.pos = self.after_gt(lt + 2);
                }
            }
            // A bogus comment.
            Some(b'?') => self.pos = self.after_gt(lt + 1),
            // A `<` that is text.
            _ => self.pos = lt + 1,
        }
    }

    /// Scans a tag whose name starts at `name_at` (start or end tag alike:
    /// the tokenizer reads attributes on both), then records it.
    fn tag(&mut self, name_at: usize, start: bool) {
        let b = self.bytes();
        let mut i = name_at;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = text_element(&b[name_at..i]);
        self.attributes(i, if start { name } else { None }, start);
    }

    /// The tag states from the end of the tag name at `from`: attributes,
    /// counted, until the `>` that emits the tag.
    fn attributes(&mut self, from: usize, name: Option<&'static [u8]>, start: bool) {
        #[derive(Clone, Copy, PartialEq)]
        enum S {
            BeforeName,
            Name,
            AfterName,
            BeforeValue,
            Quoted(u8),
            Unquoted,
            AfterQuoted,
            SelfClosing,
        }
        let b = self.bytes();
        let mut s = S::BeforeName;
        let mut count = 0usize;
        // Just after the last attribute kept (name, `=`, value).
        let mut kept_end = from;
        let mut dropping = false;
        // The `/` of a self-closing tag.
        let mut slash = None;
        let mut i = from;
        let end = loop {
            let Some(&c) = b.get(i) else {
                break TagEnd::Eof;
            };
            // The state to reconsume `c` in, if any.
            let mut again = None;
            match s {
                S::BeforeName => match c {
                    _ if is_space(c) => {}
                    b'/' | b'>' => again = Some(S::AfterName),
                    _ => {
                        // An attribute starts here (`=` included, as a name).
                        count += 1;
                        dropping = count > self.max_attrs;
                        s = S::Name;
                    }
                },
                S::Name => match c {
                    _ if is_space(c) || c == b'/' || c == b'>' => again = Some(S::AfterName),
                    b'=' => s = S::BeforeValue,
                    _ => {}
                },
                S::AfterName => match c {
                    _ if is_space(c) => {}
                    b'/' => s = S::SelfClosing,
                    b'=' => s = S::BeforeValue,
                    b'>' => break TagEnd::Gt(i + 1),
                    _ => again = Some(S::BeforeName),
                },
                S::BeforeValue => match c {
                    _ if is_space(c) => {}
                    b'"' | b'\'' => s = S::Quoted(c),
                    b'>' => break TagEnd::Gt(i + 1),
                    _ => again = Some(S::Unquoted),
                },
                S::Quoted(q) => {
                    // Skip to the closing quote at once.
                    match self.find_byte(i, q) {
                        Some(at) => {
                            i = at;
                            s = S::AfterQuoted;
                            if !dropping {
                                kept_end = at + 1;
                            }
                        }
                        None => break TagEnd::Eof,
                    }
                }
                S::Unquoted => match c {
                    _ if is_space(c) => s = S::BeforeName,
                    b'>' => break TagEnd::Gt(i + 1),
                    _ => {}
                },
                S::AfterQuoted => match c {
                    _ if is_space(c) => s = S::BeforeName,
                    b'/' => s = S::SelfClosing,
                    b'>' => break TagEnd::Gt(i + 1),
                    _ => again = Some(S::BeforeName),
                },
                S::SelfClosing => match c {
                    b'>' => {
                        slash = Some(i - 1);
                        break TagEnd::Gt(i + 1);
                    }
                    _ => again = Some(S::BeforeName),
                },
            }
            match again {
                Some(next) => s = next,
                None => {
                    // Consumed as part of an attribute.
                    let in_attr = matches!(s, S::Name | S::BeforeValue | S::Unquoted);
                    if in_attr && !dropping {
                        kept_end = i + 1;
                    }
                    i += 1;
                }
            }
        };
        let (after, emitted) = match end {
            TagEnd::Gt(after) => (after, true),
            TagEnd::Eof => (b.len(), false),
        };
        if count > self.max_attrs {
            // Everything from the end of the last attribute kept to the end
            // of the tag gives way to one space, which ends an unquoted
            // value. The `/` of a self-closing tag stays: in SVG and MathML
            // it means an empty element.
            let to = match (slash, emitted) {
                (Some(at), _) => at,
                (None, true) => after - 1,
                (None, false) => b.len(),
            };
            self.dropped += count - self.max_attrs;
            self.cuts.push_back(Cut::Drop(kept_end, to));
        }
        self.pos = after;
        if !start {
            return;
        }
        self.last_start = name;
        if name.is_some() && emitted {
            // The tokenizer emits the tag at its `>`; the tree builder then
            // says which state it switches to.
            self.cuts.push_back(Cut::Ask(after, Question::TextState));
        }
    }

    /// Just after the comment whose text starts at `from` (after `<!--`).
    fn comment_end(&self, from: usize) -> usize {
        let b = self.bytes();
        // `<!-->` and `<!--->` end at once.
        if b.get(from) == Some(&b'>') {
            return from + 1;
        }
        if b.get(from..from + 2) == Some(b"->") {
            return from + 2;
        }
        // Otherwise at the first `--` followed by `>` or `!>`, with any
        // number of `-` between.
        let mut i = from;
        while let Some(at) = self.find(i, b"--") {
            let mut j = at + 2;
            while b.get(j) == Some(&b'-') {
                j += 1;
            }
            match b.get(j) {
                Some(b'>') => return j + 1,
                Some(b'!') if b.get(j + 1) == Some(&b'>') => return j + 2,
                _ => i = j.max(at + 1),
            }
        }
        b.len()
    }

    /// Whether an end tag for the last start tag starts at `lt` (`</name`
    /// then a space, `/` or `>`); its name's end if so.
    fn end_tag_at(&self, lt: usize) -> Option<usize> {
        let b = self.bytes();
        let name = self.last_start?;
        let at = lt + 2;
        let end = at + name.len();
        let candidate = b.get(at..end)?;
        if b.get(lt + 1) != Some(&b'/') || !candidate.eq_ignore_ascii_case(name) {
            return None;
        }
        // `</titles` is text: the name goes on with letters.
        match b.get(end) {
            Some(&c) if is_space(c) || c == b'/' || c == b'>' => Some(end),
            _ => None,
        }
    }

    /// RCDATA and RAWTEXT: text up to the end tag of the element.
    fn step_raw_text(&mut self) {
        let mut from = self.pos;
        while let Some(lt) = self.find_byte(from, b'<') {
            if let Some(name_end) = self.end_tag_at(lt) {
                self.mode = Mode::Data;
                self.attributes(name_end, None, false);
                return;
            }
            from = lt + 1;
        }
        self.pos = self.len();
    }

    /// Script data, with its escaped and double escaped states: text up to
    /// the end tag that the tokenizer honours.
    fn step_script(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum S {
            Data,
            Lt,
            EscapeStart,
            EscapeStartDash,
            Escaped,
            EscapedDash,
            EscapedDashDash,
            EscapedLt,
            /// Reading a would-be `<script` to double escape into.
            DoubleEscapeStart,
            DoubleEscaped,
            DoubleEscapedDash,
            DoubleEscapedDashDash,
            DoubleEscapedLt,
            /// Reading a would-be `</script` to leave the double escape.
            DoubleEscapeEnd,
        }
        let b = self.bytes();
        let mut s = S::Data;
        // The temporary buffer of the double escape states: whether the
        // letters read so far spell a prefix of "script", and how many.
        let mut temp = 0usize;
        let mut temp_ok = true;
        let mut i = self.pos;
        while let Some(&c) = b.get(i) {
            let mut again = None;
            match s {
                S::Data => match self.find_byte(i, b'<') {
                    Some(lt) => {
                        i = lt;
                        s = S::Lt;
                    }
                    None => break,
                },
                S::Lt => match c {
                    b'/' => {
                        if let Some(name_end) = self.end_tag_at(i - 1) {
                            self.mode = Mode::Data;
                            self.attributes(name_end, None, false);
                            return;
                        }
                        again = Some(S::Data);
                    }
                    b'!' => s = S::EscapeStart,
                    _ => again = Some(S::Data),
                },
                S::EscapeStart => match c {
                    b'-' => s = S::EscapeStartDash,
                    _ => again = Some(S::Data),
                },
                S::EscapeStartDash => match c {
                    b'-' => s = S::EscapedDashDash,
                    _ => again = Some(S::Data),
                },
                S::Escaped => match c {
                    b'-' => s = S::EscapedDash,
                    b'<' => s = S::EscapedLt,
                    _ => {}
                },
                S::EscapedDash => match c {
                    b'-' => s = S::EscapedDashDash,
                    b'<' => s = S::EscapedLt,
                    _ => s = S::Escaped,
                },
                S::EscapedDashDash => match c {
                    b'-' => {}
                    b'<' => s = S::EscapedLt,
                    b'>' => s = S::Data,
                    _ => s = S::Escaped,
                },
                S::EscapedLt => match c {
                    b'/' => {
                        if let Some(name_end) = self.end_tag_at(i - 1) {
                            self.mode = Mode::Data;
                            self.attributes(name_end, None, false);
                            return;
                        }
                        again = Some(S::Escaped);
                    }
                    _ if c.is_ascii_alphabetic() => {
                        temp = 0;
                        temp_ok = true;
                        again = Some(S::DoubleEscapeStart);
                    }
                    _ => again = Some(S::Escaped),
                },
                S::DoubleEscapeStart | S::DoubleEscapeEnd => {
                    let is_start = s == S::DoubleEscapeStart;
                    if is_space(c) || c == b'/' || c == b'>' {
                        let script = temp_ok && temp == 6;
                        s = match (is_start, script) {
                            (true, true) | (false, false) => S::DoubleEscaped,
                            (true, false) | (false, true) => S::Escaped,
                        };
                    } else if c.is_ascii_alphabetic() {
                        temp_ok = temp_ok
                            && b"script"
                                .get(temp)
                                .is_some_and(|&x| x == c.to_ascii_lowercase());
                        temp += 1;
                    } else {
                        again = Some(if is_start {
                            S::Escaped
                        } else {
                            S::DoubleEscaped
                        });
                    }
                }
                S::DoubleEscaped => match c {
                    b'-' => s = S::DoubleEscapedDash,
                    b'<' => s = S::DoubleEscapedLt,
                    _ => {}
                },
                S::DoubleEscapedDash => match c {
                    b'-' => s = S::DoubleEscapedDashDash,
                    b'<' => s = S::DoubleEscapedLt,
                    _ => s = S::DoubleEscaped,
                },
                S::DoubleEscapedDashDash => match c {
                    b'-' => {}
                    b'<' => s = S::DoubleEscapedLt,
                    b'>' => s = S::Data,
                    _ => s = S::DoubleEscaped,
                },
                S::DoubleEscapedLt => match c {
                    b'/' => {
                        temp = 0;
                        temp_ok = true;
                        s = S::DoubleEscapeEnd;
                    }
                    _ => again = Some(S::DoubleEscaped),
                },
            }
            match again {
                Some(next) => s = next,
                None => i += 1,
            }
        }
        self.pos = self.len();
    }
}

#[cfg(test)]
mod tests {
    use super::super::Dom;
    use super::*;
    use proptest::prelude::*;

    /// The pieces of `html`, joined, with every question answered `answer`.
    fn capped(html: &str, max: usize, answer: TextState) -> String {
        let mut scan = Prescan::new(html, max);
        let mut out = String::new();
        while let Some(p) = scan.next_piece() {
            out.push_str(p.text);
            match p.ask {
                Some(Question::TextState) => scan.text_state(answer),
                Some(Question::Cdata) => scan.cdata(false),
                None => {}
            }
        }
        out
    }

    #[test]
    fn drops_attributes_past_the_cap() {
        let d = TextState::Data;
        assert_eq!(capped("<p a b c d>x</p>", 2, d), "<p a b >x</p>");
        assert_eq!(
            capped("<p a='>' b=\"c d\" e=f g>x", 2, d),
            "<p a='>' b=\"c d\" >x"
        );
        assert_eq!(capped("<rect a b c/>", 2, d), "<rect a b />");
        assert_eq!(capped("<rect a b/c>", 2, d), "<rect a b >");
        assert_eq!(capped("<rect a=b c d/>", 1, d), "<rect a=b />");
        assert_eq!(capped("<tr a=\"v\"<//<xmp>", 2, d), "<tr a=\"v\"< >");
        assert_eq!(capped("<p a b c", 2, d), "<p a b ");
        assert_eq!(capped("</p a b c>", 2, d), "</p a b >");
        assert_eq!(capped("<p a b>x</p>", 2, d), "<p a b>x</p>");
        // Not tags: comments, a doctype, bogus comments, text.
        for (html, want) in [
            ("<!-- <p a b c> -->", "<!-- <p a b c> -->"),
            ("<!--> <p a b c>", "<!--> <p a b >"),
            ("<!---> <p a b c>", "<!---> <p a b >"),
            ("<!-- --!> <p a b c>", "<!-- --!> <p a b >"),
            ("<!doctype html a b c>", "<!doctype html a b c>"),
            ("<?x a b c> 1 < 2 a b c >", "<?x a b c> 1 < 2 a b c >"),
            ("</ a b c> <!x a b c>", "</ a b c> <!x a b c>"),
        ] {
            assert_eq!(capped(html, 2, d), want, "{html}");
        }
        assert_eq!(
            capped("<!-- a -- b --> <p a b c>", 2, d),
            "<!-- a -- b --> <p a b >"
        );
    }

    #[test]
    fn raw_text_hides_tags_when_the_tree_builder_says_so() {
        let html = "<style><p a b c></style><p a b c>";
        assert_eq!(
            capped(html, 2, TextState::RawText),
            "<style><p a b c></style><p a b >"
        );
        // In SVG, `<style>` is an element like any other.
        assert_eq!(
            capped(html, 2, TextState::Data),
            "<style><p a b ></style><p a b >"
        );
        let script = "<script><!--<script><p a b c></script>--></script><p a b c>";
        assert_eq!(
            capped(script, 2, TextState::Script),
            "<script><!--<script><p a b c></script>--></script><p a b >"
        );
        assert_eq!(
            capped(
                "<title></titles><p a b c></title><p a b c>",
                2,
                TextState::RawText
            ),
            "<title></titles><p a b c></title><p a b >"
        );
        assert_eq!(
            capped("<plaintext><p a b c>", 2, TextState::Plaintext),
            "<plaintext><p a b c>"
        );
    }

    #[test]
    fn a_hundred_thousand_attributes_parse_in_linear_time() {
        let attrs: String = (0..100_000).map(|i| format!(" a{i}=v")).collect();
        let html = format!("<p{attrs}>text</p>");
        let dom = Dom::parse_fragment(&html);
        let p = dom.first_child(dom.content()).unwrap();
        let e = dom.element(p).unwrap();
        assert_eq!(e.attrs().count(), super::super::MAX_ATTRS);
        assert_eq!(e.attr("a0"), Some("v"));
        assert_eq!(dom.dropped_attrs, 100_000 - super::super::MAX_ATTRS);
        assert_eq!(dom.text_content(dom.content()), "text");
    }

    /// Markup soup: tags of every text state, foreign content, comments,
    /// CDATA, quotes, and runs of attributes (`@` becomes a unique name).
    fn soup() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            4 => Just(" @".to_string()),
            2 => Just(" @=\"v\"".to_string()),
            2 => Just(" @='<p @ @ @>'".to_string()),
            2 => Just(" @=x".to_string()),
            1 => Just("/".to_string()),
            1 => Just("=".to_string()),
            1 => Just("\"".to_string()),
            1 => Just("'".to_string()),
            3 => Just(">".to_string()),
            1 => Just("/>".to_string()),
            3 => Just("<p".to_string()),
            2 => Just("<b".to_string()),
            1 => Just("</p".to_string()),
            2 => Just("<svg".to_string()),
            1 => Just("</svg>".to_string()),
            1 => Just("<math><mi".to_string()),
            1 => Just("<foreignObject".to_string()),
            2 => Just("<script".to_string()),
            2 => Just("</script".to_string()),
            2 => Just("<style".to_string()),
            1 => Just("</style".to_string()),
            1 => Just("<title".to_string()),
            1 => Just("</title".to_string()),
            1 => Just("<textarea".to_string()),
            1 => Just("</textarea".to_string()),
            1 => Just("<xmp".to_string()),
            1 => Just("<noscript".to_string()),
            1 => Just("<iframe".to_string()),
            1 => Just("</iframe".to_string()),
            1 => Just("<table><tr".to_string()),
            2 => Just("<!--".to_string()),
            2 => Just("-->".to_string()),
            1 => Just("--!>".to_string()),
            1 => Just("-".to_string()),
            1 => Just("<!".to_string()),
            1 => Just("<![CDATA[".to_string()),
            1 => Just("]]>".to_string()),
            1 => Just("<!doctype".to_string()),
            1 => Just("<?".to_string()),
            1 => Just("</".to_string()),
            1 => Just("<".to_string()),
            3 => Just(" @ ".to_string()),
            1 => Just("\r\n".to_string()),
            1 => Just("&amp;".to_string()),
            1 => Just("中文".to_string()),
        ];
        proptest::collection::vec(token, 0..60).prop_map(|tokens| {
            let mut n = 0;
            let mut out = String::new();
            for c in tokens.concat().chars() {
                if c == '@' {
                    n += 1;
                    out.push_str(&format!("a{n}"));
                } else {
                    out.push(c);
                }
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            // Some soups repeat an attribute name (below).
            max_global_rejects: u32::MAX,
            ..ProptestConfig::with_cases(
                std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
            )
        })]

        /// With every attribute name distinct, parsing with a cap gives the
        /// tree of parsing without one, each element keeping its first
        /// attributes: the scanner found every tag where the tokenizer did.
        #[test]
        fn capping_only_drops_attributes_past_the_cap(html in soup()) {
            const CAP: usize = 2;
            let (mut reference, repeated) = Dom::parse_fragment_parsed(&html, usize::MAX);
            // With a name repeated, the first attributes of the source and
            // of the element differ.
            prop_assume!(!repeated);
            let capped = Dom::parse_fragment_with(&html, CAP);
            let ids: Vec<_> = reference.descendants(reference.root()).collect();
            for id in ids {
                if let Some(e) = reference.element_mut(id) {
                    e.attrs.truncate(CAP);
                }
            }
            prop_assert_eq!(
                capped.serialize_children_as_is(capped.root()),
                reference.serialize_children_as_is(reference.root())
            );
        }
    }
}
