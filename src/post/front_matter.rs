//! A post's front matter: where it ends, and the source URL it names.

use url::Url;

use crate::page;

/// The byte offset where the body of a post starts, after its front matter:
/// a first line `---`, then a closing `---` or `...` line.
pub(crate) fn end(text: &str) -> Option<usize> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let t = &text[text_start..];
    let first_len = if t.starts_with("---\n") {
        4
    } else if t.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let mut pos = first_len;
    while pos < t.len() {
        let line_end = t[pos..].find('\n').map_or(t.len(), |i| pos + i + 1);
        let line = t[pos..line_end].trim_end_matches(['\n', '\r']);
        if line == "---" || line == "..." {
            return Some(text_start + line_end);
        }
        pos = line_end;
    }
    None
}

/// The source URL a post's front matter names (`from:`, `url:`, `link:`,
/// `source:`, `canonical_url:`, `original_url:`), read line by line: only
/// plain `key: value` lines at the top level count.
pub(crate) fn source_url(front_matter: &str) -> Option<Url> {
    const KEYS: &[&str] = &[
        "from",
        "canonical_url",
        "original_url",
        "source_url",
        "url",
        "link",
        "source",
    ];
    let mut found: Vec<(usize, Url)> = Vec::new();
    for line in front_matter.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.starts_with(char::is_whitespace) {
            continue;
        }
        let Some(rank) = KEYS.iter().position(|k| key.trim() == *k) else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']);
        if let Some(u) = page::absolute(value) {
            found.push((rank, u));
        }
    }
    found
        .into_iter()
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, u)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_end_is_after_the_closing_line() {
        let t = "---\na: 1\n---\nbody";
        assert_eq!(&t[end(t).unwrap()..], "body");
        let t = "---\r\na: 1\r\n...\r\nbody";
        assert_eq!(&t[end(t).unwrap()..], "body");
    }

    #[test]
    fn front_matter_from() {
        let fm = "---\nlayout: post\ntitle: \"x: y\"\nfrom: https://www.zaobao.com/story\n  url: https://nested.example/\n---\n";
        assert_eq!(
            source_url(fm).unwrap().as_str(),
            "https://www.zaobao.com/story"
        );
        assert!(source_url("title: a\n").is_none());
    }
}
