//! A Markdown post's metadata, from its YAML front matter: the common keys
//! of static site generators and feed-to-Markdown tools (`title`, `date`,
//! `author`, `from`, …). Only the top-level keys are read, as plain or
//! quoted scalars, flow lists (`[a, b]`), block lists (`- a`), folded or
//! literal blocks, and an author's `name:`; what is not understood is
//! skipped.

use super::html::clean_lang;
use super::{clean_text, clean_url, Field, Found, Metadata, STATED};
use crate::post::front_matter::source_url;

/// The keys each field is read from, most specific first.
const KEYS: &[(Field, &[&str])] = &[
    (Field::Title, &["title"]),
    (Field::Byline, &["author", "authors", "byline"]),
    (
        Field::Date,
        &[
            "date",
            "published",
            "published_at",
            "pubDate",
            "publishDate",
            "created",
        ],
    ),
    (Field::Lang, &["lang", "language", "locale"]),
    (Field::Site, &["site_name", "site", "publisher"]),
    (
        Field::Image,
        &[
            "image",
            "cover_image",
            "featured_image",
            "cover",
            "thumbnail",
            "og_image",
        ],
    ),
    (Field::Description, &["description", "summary", "excerpt"]),
];

/// The metadata of a post whose front matter is `front_matter` (with its
/// `---` lines). Its URL is the source it names (`from:`, `url:`, …).
pub(crate) fn from_front_matter(front_matter: &str) -> Metadata {
    let mut found = Found::default();
    let entries = entries(front_matter);
    for (field, keys) in KEYS {
        for (rank, key) in keys.iter().enumerate() {
            let Some((_, values)) = entries.iter().find(|(k, _)| k == key) else {
                continue;
            };
            let rank = STATED + u8::try_from(rank).unwrap_or(u8::MAX);
            let value = match field {
                Field::Image => values.iter().find_map(|v| clean_url(v, None)),
                Field::Lang => values.first().map(|v| clean_lang(v)),
                _ => {
                    let texts: Vec<String> = values.iter().map(|v| clean_text(v)).collect();
                    Some(texts.join(", "))
                }
            };
            if let Some(value) = value {
                found.offer(*field, rank, key, value);
            }
        }
    }
    if let Some(url) = source_url(front_matter) {
        found.offer(Field::Url, STATED, "from", url.into());
    }
    found.into_metadata()
}

/// The top-level entries of a front matter: each key with its values (one
/// for a scalar, several for a list).
fn entries(front_matter: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = front_matter.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with([' ', '\t', '#', '-']) || line.starts_with("...") {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let value = value.trim();
        // The indented lines under the key.
        let mut block = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with([' ', '\t']) || next.trim().is_empty() || next.starts_with("- ") {
                block.push(next.trim());
                lines.next();
            } else {
                break;
            }
        }
        let values = if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            list.split(',').map(scalar).collect()
        } else if matches!(value, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
            vec![block.join(" ")]
        } else if value.is_empty() || value.starts_with('#') {
            let items: Vec<String> = block
                .iter()
                .filter_map(|l| l.strip_prefix('-'))
                .map(|l| {
                    let l = l.trim();
                    // A list of mappings: `- name: Ann`.
                    l.strip_prefix("name:").map_or_else(|| scalar(l), scalar)
                })
                .collect();
            if items.is_empty() {
                // A mapping: `author:\n  name: Ann`.
                block
                    .iter()
                    .find_map(|l| l.strip_prefix("name:"))
                    .map(scalar)
                    .into_iter()
                    .collect()
            } else {
                items
            }
        } else {
            vec![scalar(value)]
        };
        let values: Vec<String> = values.into_iter().filter(|v| !v.is_empty()).collect();
        if !values.is_empty() {
            out.push((key, values));
        }
    }
    out
}

/// A YAML scalar: quotes removed (with `\"` and `''` read), a trailing
/// comment dropped.
fn scalar(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, q @ ('"' | '\''))) => {
            let mut out = String::new();
            let mut chars = chars.peekable();
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' if q == '"' => {
                        if let Some((_, e)) = chars.next() {
                            out.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                e => e,
                            });
                        }
                    }
                    '\'' if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                        chars.next();
                        out.push('\'');
                    }
                    c if c == q => break,
                    c => out.push(c),
                }
            }
            out
        }
        _ => match s.find(" #") {
            Some(i) => s[..i].trim_end().to_string(),
            None => s.to_string(),
        },
    }
}
