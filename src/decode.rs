//! Bytes to text: a byte order mark, then a declared charset (`<meta charset>`,
//! `http-equiv`, an XML declaration), then valid UTF-8, then a guess by
//! chardetng (Firefox's detector). Decoding is strict unless asked otherwise:
//! a malformed byte is an error that says where, not a silent U+FFFD.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::error::{Error, ErrorKind};

/// How far into the input a charset declaration is looked for. The HTML
/// standard's prescan reads 1,024 bytes; real pages often declare it later,
/// after long scripts or comments, and browsers then re-parse.
const PRESCAN_BYTES: usize = 64 * 1024;

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Forced,
    Bom,
    Declared,
    Utf8,
    Detected,
}

/// Decoded text and how it was decoded.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    pub(crate) text: Cow<'a, str>,
    #[allow(dead_code)]
    pub(crate) encoding: &'static Encoding,
    #[allow(dead_code)]
    pub(crate) source: Source,
}

/// Looks up an encoding label (`gbk`, `Shift_JIS`, `latin1`, …) as the
/// Encoding Standard does.
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Decodes `bytes`; `forced` overrides every declaration; `lossy` replaces
/// malformed sequences with U+FFFD instead of failing.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    forced: Option<&'static Encoding>,
    lossy: bool,
) -> Result<Decoded<'a>, Error> {
    let (encoding, body, source) = if let Some(enc) = forced {
        let body = match Encoding::for_bom(bytes) {
            Some((bom_enc, len)) if bom_enc == enc => &bytes[len..],
            _ => bytes,
        };
        (enc, body, Source::Forced)
    } else if let Some((enc, len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[len..], Source::Bom)
    } else {
        check_not_binary(bytes)?;
        let declared = prescan(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
        let has_non_ascii = !bytes.is_ascii();
        match declared {
            // A page that declares a legacy charset but is valid UTF-8 with
            // non-ASCII text was re-encoded without updating its `<meta>`; a
            // legacy text is almost never valid UTF-8 by accident.
            Some(enc) if enc != UTF_8 && has_non_ascii && std::str::from_utf8(bytes).is_ok() => {
                (UTF_8, bytes, Source::Utf8)
            }
            Some(enc) => (enc, bytes, Source::Declared),
            None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes, Source::Utf8),
            None => {
                let mut det =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
                det.feed(bytes, true);
                (
                    det.guess(None, chardetng::Utf8Detection::Allow),
                    bytes,
                    Source::Detected,
                )
            }
        }
    };
    let text = if lossy {
        encoding.decode_without_bom_handling(body).0
    } else {
        match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(t) => t,
            // A page whose <meta> names one charset but whose bytes are in
            // another (copied between systems, the meta left as it was):
            // when detection finds an encoding the bytes are valid in, the
            // bytes win over the label, as valid UTF-8 wins over a legacy one.
            None if source == Source::Declared => match detect_valid(body, encoding) {
                Some((enc, t)) => {
                    return Ok(Decoded {
                        text: t,
                        encoding: enc,
                        source: Source::Detected,
                    })
                }
                None => return Err(malformed(encoding, body, source)),
            },
            None => return Err(malformed(encoding, body, source)),
        }
    };
    Ok(Decoded {
        text,
        encoding,
        source,
    })
}

fn malformed(encoding: &'static Encoding, body: &[u8], source: Source) -> Error {
    let at = first_malformed(encoding, body);
    Error::new(
        ErrorKind::Encoding,
        format!(
            "not valid {} at byte {} ({})",
            encoding.name(),
            at,
            match source {
                Source::Forced => "as forced",
                Source::Bom => "as its byte order mark says",
                Source::Declared => "as its <meta> charset declares",
                Source::Utf8 => "the default",
                Source::Detected => "as detected",
            }
        ),
    )
}

/// The encoding chardetng finds for `bytes`, when they are valid in it and
/// that is evidence against the declared one: a multi-byte encoding (random
/// bytes are rarely valid in one), or any encoding when the declaration
/// says UTF-8 and not one multi-byte UTF-8 sequence is in the bytes. A UTF-8
/// page with a stray byte among valid non-ASCII text stays an error.
fn detect_valid<'a>(
    bytes: &'a [u8],
    declared: &'static Encoding,
) -> Option<(&'static Encoding, Cow<'a, str>)> {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let believable = !enc.is_single_byte() || (declared == UTF_8 && !has_utf8_sequence(bytes));
    if !believable || enc == declared {
        return None;
    }
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (enc, t))
}

/// Whether `bytes` hold at least one valid multi-byte UTF-8 sequence.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                if !rest[..e.valid_up_to()].is_ascii() {
                    return true;
                }
                let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                if skip >= rest.len() {
                    return false;
                }
                rest = &rest[skip..];
            }
        }
    }
}

/// Fails on input that is not text: NUL bytes, or many control characters.
fn check_not_binary(bytes: &[u8]) -> Result<(), Error> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::new(
            ErrorKind::Binary,
            format!("binary input (a NUL byte at offset {at}), not HTML or Markdown"),
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
    // ESC is allowed: ISO-2022-JP uses it.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if controls * 20 > head.len() {
        return Err(Error::new(
            ErrorKind::Binary,
            format!(
                "binary input ({controls} control byte{} in the first {} bytes), not HTML or Markdown",
                if controls == 1 { "" } else { "s" },
                head.len()
            ),
        ));
    }
    Ok(())
}

fn first_malformed(encoding: &'static Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            read.saturating_sub(after as usize + bad as usize)
        }
        _ => read,
    }
}

/// Finds a declared encoding: an XML declaration, or a `<meta charset>` /
/// `<meta http-equiv="content-type" content="…; charset=…">`.
///
/// Follows the shape of the HTML standard's prescan: comments are skipped,
/// attributes are read with their quoting. A `utf-16` declaration means UTF-8
/// (the bytes would have had a BOM), and `x-user-defined` means
/// windows-1252, as the standard says.
pub(crate) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let fix = |enc: &'static Encoding| {
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else if enc == encoding_rs::X_USER_DEFINED {
            WINDOWS_1252
        } else {
            enc
        }
    };
    if let Some(rest) = bytes.strip_prefix(b"<?xml") {
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        if let Some(v) = attr_value(&rest[..end], b"encoding") {
            if let Some(enc) = Encoding::for_label(v) {
                return Some(fix(enc));
            }
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i += match find(&rest[4..], b"-->") {
                Some(e) => 4 + e + 3,
                None => return None,
            };
            continue;
        }
        if rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"<meta") && is_space_or_slash(rest[5])
        {
            let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
            let tag = &rest[5..end];
            if let Some(v) = attr_value(tag, b"charset") {
                if let Some(enc) = Encoding::for_label(v) {
                    return Some(fix(enc));
                }
            }
            let is_content_type = attr_value(tag, b"http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case(b"content-type"));
            if is_content_type {
                if let Some(enc) = attr_value(tag, b"content").and_then(charset_from_content) {
                    return Some(fix(enc));
                }
            }
            i += end.max(1);
            continue;
        }
        i += 1;
    }
    None
}

fn is_space_or_slash(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'/'
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value of attribute `name` in the inside of a tag (quotes removed).
fn attr_value<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i < tag.len() {
        // Skip to an attribute name.
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < tag.len() && !tag[i].is_ascii_whitespace() && tag[i] != b'=' && tag[i] != b'/' {
            i += 1;
        }
        let attr = &tag[start..i];
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < tag.len() && (tag[i] == b'"' || tag[i] == b'\'') {
                let q = tag[i];
                let vs = i + 1;
                let ve = tag[vs..]
                    .iter()
                    .position(|&b| b == q)
                    .map_or(tag.len(), |p| vs + p);
                value = &tag[vs..ve];
                i = (ve + 1).min(tag.len());
            } else {
                let vs = i;
                while i < tag.len() && !tag[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &tag[vs..i];
            }
        }
        if attr.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        if start == i {
            i += 1;
        }
    }
    None
}

/// `text/html; charset=gbk` → GBK.
fn charset_from_content(content: &[u8]) -> Option<&'static Encoding> {
    let lower = content.to_ascii_lowercase();
    let at = find(&lower, b"charset")?;
    let mut rest = &content[at + 7..];
    while let [b, tail @ ..] = rest {
        if b.is_ascii_whitespace() {
            rest = tail;
        } else {
            break;
        }
    }
    let rest = rest.strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| b == b';' || b == b'"' || b == b'\'' || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(html: &[u8]) -> Option<&'static str> {
        prescan(html).map(|e| e.name())
    }

    #[test]
    fn prescan_finds_declarations() {
        assert_eq!(enc(b"<meta charset=gbk>"), Some("GBK"));
        assert_eq!(
            enc(b"<html><head><META CHARSET='Shift_JIS'>"),
            Some("Shift_JIS")
        );
        assert_eq!(
            enc(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">"),
            Some("Big5")
        );
        assert_eq!(
            enc(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><html>"),
            Some("windows-1252")
        );
        assert_eq!(enc(b"<!-- <meta charset=gbk> --><p>x"), None);
        assert_eq!(enc(b"<meta charset=utf-16>"), Some("UTF-8"));
        assert_eq!(enc(b"<meta name=x content=y>"), None);
        assert_eq!(enc(b"<metafoo charset=gbk>"), None);
    }

    #[test]
    fn decodes_declared_legacy_charsets() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<meta charset=gbk><p>中文</p>");
        let d = decode(&bytes, None, false).unwrap();
        assert!(d.text.contains("中文"));
        assert_eq!(d.source, Source::Declared);
    }

    #[test]
    fn bom_wins_over_meta() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<meta charset=gbk><p>é</p>".as_bytes());
        let d = decode(&bytes, None, false).unwrap();
        assert_eq!(d.source, Source::Bom);
        assert!(d.text.starts_with("<meta"));
        assert!(d.text.contains('é'));
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<p>hé</p>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, None, false).unwrap();
        assert_eq!(d.text, "<p>hé</p>");
    }

    #[test]
    fn undeclared_legacy_is_detected() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("<p>日本語のテキストです。これは検出のためのテスト文です。</p>");
        let d = decode(&bytes, None, false).unwrap();
        assert_eq!(d.source, Source::Detected);
        assert!(d.text.contains("日本語"), "{}", d.text);
    }

    #[test]
    fn mislabelled_utf8_is_read_as_utf8() {
        let d = decode(
            "<meta charset=iso-8859-1><p>café</p>".as_bytes(),
            None,
            false,
        )
        .unwrap();
        assert!(d.text.contains("café"));
    }

    #[test]
    fn a_wrong_declaration_loses_to_valid_bytes() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("<p>北京市今天发布新的交通规划，地铁线路将在明年延长到机场。</p>");
        let mut bytes = b"<meta charset=\"utf-8\">".to_vec();
        bytes.extend_from_slice(&gbk);
        let d = decode(&bytes, None, false).unwrap();
        assert!(d.text.contains("北京市"), "{}", d.text);
        assert_eq!(d.source, Source::Detected);
    }

    #[test]
    fn malformed_declared_input_fails_with_offset() {
        let mut bytes = "<meta charset=utf-8><p>é ".as_bytes().to_vec();
        bytes.push(0xFF);
        let e = decode(&bytes, None, false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Encoding);
        assert_eq!(
            e.to_string(),
            "not valid UTF-8 at byte 26 (as its <meta> charset declares)"
        );
        // Without any valid UTF-8 sequence, the declaration is what is wrong.
        let d = decode(b"<meta charset=utf-8><p>caf\xe9 cr\xe8me</p>", None, false).unwrap();
        assert!(d.text.contains("café crème"), "{}", d.text);
        let d = decode(&bytes, None, true).unwrap();
        assert!(d.text.ends_with('\u{FFFD}'));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(
            decode(b"GIF89a\x01\x00\x01\x00\x00", None, false)
                .unwrap_err()
                .kind(),
            ErrorKind::Binary
        );
        let noise: Vec<u8> = (0..200u8).map(|i| i % 20 + 1).collect();
        assert_eq!(
            decode(&noise, None, false).unwrap_err().kind(),
            ErrorKind::Binary
        );
    }

    #[test]
    fn forced_encoding_wins() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1252.encode("<meta charset=utf-8><p>caf\u{e9}</p>");
        let d = decode(&bytes, Some(WINDOWS_1252), false).unwrap();
        assert!(d.text.contains("café"));
    }
}
