//! What the output may hold: the one home of the sanitizer's policy.
//!
//! Pure data and functions, at the floor of the house: which elements are
//! kept, renamed, unwrapped or dropped with their content ([`fate`]), which
//! attributes each kept tag may have, which attributes carry URLs
//! ([`is_url_attr`]) and which URL schemes may stay ([`is_allowed_url`]).
//! Every stage that must agree with the sanitizer asks this module: the
//! serializer applies [`fate`] before ammonia sees the tree, the renderers
//! see elements as [`fate`] writes them, the rule passes skip text the
//! sanitizer drops, and `crate::sanitize` configures ammonia from these
//! tables. Rules may remove or rewrite things before sanitizing; nothing
//! widens this allow-list.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Defines [`DROPPED_WITH_CONTENT`] and [`drops_content`] from one list:
/// the table for ammonia, and its fast test for the walks that ask it of
/// every node (a `match` on the name, not a scan of the table).
macro_rules! dropped_with_content {
    ($($name:literal),* $(,)?) => {
        /// Elements dropped with everything inside them: never rendered, or
        /// only rendered as widgets. The text renderer skips the same ones.
        pub(crate) const DROPPED_WITH_CONTENT: &[&str] = &[$($name),*];

        /// Whether `name` is one of [`DROPPED_WITH_CONTENT`].
        pub(crate) fn drops_content(name: &str) -> bool {
            matches!(name, $($name)|*)
        }
    };
}

dropped_with_content!(
    "script",
    "style",
    "template",
    "noscript",
    "title",
    "iframe",
    "noembed",
    "noframes",
    "object",
    "embed",
    "applet",
    "svg",
    "canvas",
    "select",
    "datalist",
    "textarea",
    "audio",
    "video",
    "map",
    "head",
    "frameset",
    "frame",
    "xmp",
    "plaintext",
    "button",
    "option",
    "optgroup",
);

/// The tags an article keeps.
pub(crate) const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Block elements not on the allow-list, and what they are written as:
/// unwrapped, their text would run into the text around them
/// (`<p>a<form>b</form>c</p>` would read `abc`). The old list elements
/// `<menu>` and `<dir>` hold `<li>`s, and are written as the list they are.
pub(crate) const BLOCKS_RENAMED: &[(&str, &str)] = &[
    ("dialog", "div"),
    ("fieldset", "div"),
    ("form", "div"),
    ("legend", "div"),
    ("nav", "div"),
    ("search", "div"),
    ("listing", "div"),
    ("menu", "ul"),
    ("dir", "ul"),
];

/// What becomes of an element on its way to ammonia.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// On the allow-list: written as is (ammonia filters its attributes).
    Keep,
    /// A block not on the allow-list: written as this allowed element
    /// (`<div>`, `<ul>`), without attributes.
    Rename(&'static str),
    /// Not on the allow-list: its content is written without it.
    Unwrap,
    /// Dropped with its content.
    Drop,
}

/// What becomes of an element (`html`: whether it is in the HTML
/// namespace) on its way to ammonia.
///
/// NOTE: ammonia unwraps what is not on its allow-list and drops what is on
/// its `clean_content_tags` list, then serializes its tree. An unwrapped
/// element can leave a tree the HTML parser never builds (`<h1><font><h1>`
/// becomes `<h1><h1>`, which parses as two headings), so ammonia's output
/// changed when cleaned again. The tree is written with this same policy
/// applied first (`dom::serialize`): ammonia then parses only allowed
/// elements, keeps its tree's shape, and filters attributes. Foreign
/// elements are unwrapped, so their text reads as text (`<math>` is written
/// as the text the text output gives it).
pub(crate) fn fate(html: bool, name: &str) -> Fate {
    static ALLOWED: OnceLock<rustc_hash::FxHashSet<&'static str>> = OnceLock::new();
    if drops_content(name) {
        return Fate::Drop;
    }
    let allowed = ALLOWED.get_or_init(|| TAGS.iter().copied().collect());
    match (html, allowed.contains(name)) {
        (true, true) => Fate::Keep,
        (true, false) => BLOCKS_RENAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Fate::Unwrap, |&(_, to)| Fate::Rename(to)),
        _ => Fate::Unwrap,
    }
}

/// Attributes allowed on every kept tag.
pub(crate) const GENERIC_ATTRS: &[&str] = &["lang", "title", "dir"];

/// Attributes allowed on one tag. URL attributes among them (`href`, `src`,
/// `cite`) are checked by ammonia against its URL scheme list.
pub(crate) const TAG_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("q", &["cite"]),
    ("blockquote", &["cite"]),
    ("bdo", &["dir"]),
    ("details", &["open"]),
    // Only `language-*` classes: see `code_language`.
    ("pre", &["class"]),
    ("code", &["class"]),
];

/// URL schemes a link, an image or a quotation source may have; relative
/// URLs pass too. ammonia's default list: web, mail, telephone and chat
/// links. Not `javascript:`, `vbscript:`, `data:` or `file:`.
pub(crate) const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "http",
    "https",
    "im",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "mms",
    "mx",
    "news",
    "nntp",
    "openpgp4fpr",
    "sip",
    "sms",
    "smsto",
    "ssh",
    "tel",
    "url",
    "webcal",
    "wtai",
    "xmpp",
];

/// Attributes kept as URLs: ammonia checks `href` and `src`; `cite` only
/// Attributes whose value is a URL (`srcset`: a list of candidates, each a
/// URL). Of these the output keeps `href`, `src` and `cite` ([`TAG_ATTRS`]),
/// each checked with [`is_allowed_url`]; the rest are dropped by the
/// sanitizer, but the rules read and rewrite them all.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "srcset",
    "poster",
    "cite",
    "action",
    "formaction",
    "longdesc",
    "background",
    "data",
    "codebase",
    "manifest",
    "ping",
];

/// Whether an attribute's value is a URL, or a `srcset` list of URLs.
pub(crate) fn is_url_attr(name: &str) -> bool {
    URL_ATTRS.contains(&name)
}

/// Whether an attribute is one where lazy-loading scripts keep a URL that
/// may become the `src` (`data-src`, `data-original`, `data-lazy-srcset`).
pub(crate) fn is_lazy_url_attr(name: &str) -> bool {
    name.starts_with("data-")
        && (name.ends_with("src")
            || name.ends_with("srcset")
            || name.ends_with("url")
            || name.ends_with("original")
            || name.ends_with("href"))
}

/// The scheme a URL names, as written (`HTTPS` in `HTTPS://a.b`), or `None`
/// for a relative URL. Only the syntax: whether the scheme may stay is
/// [`is_allowed_url`]'s question. Leading whitespace is skipped, as URL
/// parsers skip it.
pub(crate) fn scheme(url: &str) -> Option<&str> {
    let url = url.trim_start();
    let scheme = &url[..url.find(':')?];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Whether a URL may stay, as ammonia judges an `href` (an allowed scheme,
/// or relative) and more strictly: a relative URL whose scheme is only
/// hidden by whitespace or invisible characters (`java\u{1}script:`,
/// `java script:`) is refused too. Browsers read those as relative paths
/// today; older ones skipped such characters.
pub(crate) fn is_allowed_url(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(u) => URL_SCHEMES.contains(&u.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => match hidden_scheme(url) {
            Some(scheme) => URL_SCHEMES.contains(&scheme.as_str()),
            None => true,
        },
        Err(_) => false,
    }
}

/// The scheme a URL would have without its whitespace, control and
/// invisible characters, lower case.
fn hidden_scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in url.chars() {
        if c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
        {
            continue;
        }
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            'a'..='z' | 'A'..='Z' => scheme.push(c.to_ascii_lowercase()),
            '0'..='9' | '+' | '-' | '.' if !scheme.is_empty() => scheme.push(c),
            _ => return None,
        }
    }
    None
}

/// The one class kept, on `<pre>` and `<code>`: the language of the code
/// (`language-rust`, or `lang-rust` written so), which highlighters and the
/// Markdown output's fences read. A plain name only.
pub(crate) fn code_language(element: &str, class: &str) -> Option<String> {
    if element != "pre" && element != "code" {
        return None;
    }
    class.split_ascii_whitespace().find_map(|c| {
        let lang = c
            .strip_prefix("language-")
            .or_else(|| c.strip_prefix("lang-"))?;
        let plain = !lang.is_empty()
            && lang.len() <= 32
            && lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '#' | '_'));
        plain.then(|| format!("language-{lang}"))
    })
}

/// Schemes a Markdown link or image may have, besides relative URLs: the
/// web and mail. The Markdown output writes the text of a link with any
/// other scheme without the link (the HTML output keeps any of
/// [`URL_SCHEMES`]): Markdown readers differ on what they let through.
pub(crate) const MARKDOWN_LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// The referrer policies of the Referrer Policy standard.
const REFERRER_POLICIES: &[&str] = &[
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
];

/// Link types that make sense on an outgoing link.
const LINK_TYPES: &[&str] = &[
    "noopener",
    "noreferrer",
    "nofollow",
    "ugc",
    "sponsored",
    "external",
    "opener",
];

/// Checks a referrer policy name; `""` means none.
pub(crate) fn referrer_policy(value: &str) -> Result<Option<&'static str>, String> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    REFERRER_POLICIES
        .iter()
        .find(|p| **p == v)
        .map(|p| Some(*p))
        .ok_or_else(|| format!("unknown referrer policy \"{value}\""))
}

/// Checks a `rel` value (space-separated link types); `""` means none.
pub(crate) fn link_rel(value: &str) -> Result<Option<&'static str>, String> {
    let types: Vec<String> = value
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if types.is_empty() {
        return Ok(None);
    }
    if let Some(bad) = types.iter().find(|t| !LINK_TYPES.contains(&t.as_str())) {
        return Err(format!(
            "unknown link type \"{bad}\" in link rel (one of {})",
            LINK_TYPES.join(", ")
        ));
    }
    Ok(Some(intern(&types.join(" "))))
}

/// ammonia's builder borrows its strings; a checked `rel` value lives for the
/// program. There are only as many as distinct values ever configured.
fn intern(s: &str) -> &'static str {
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = seen.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.insert(v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_content_is_the_table() {
        for name in DROPPED_WITH_CONTENT
            .iter()
            .chain(TAGS)
            .chain(["", "SCRIPT", "scripts"].iter())
        {
            assert_eq!(
                drops_content(name),
                DROPPED_WITH_CONTENT.contains(name),
                "{name}"
            );
        }
    }

    #[test]
    fn code_keeps_its_language_class_only() {
        assert_eq!(
            code_language("code", "hljs language-rust x").as_deref(),
            Some("language-rust")
        );
        assert_eq!(
            code_language("pre", "lang-c++").as_deref(),
            Some("language-c++")
        );
        assert_eq!(code_language("code", "hljs"), None);
        assert_eq!(code_language("code", "language-a\"b"), None);
        assert_eq!(code_language("div", "language-rust"), None);
    }

    #[test]
    fn policy_values_are_checked() {
        assert_eq!(referrer_policy("No-Referrer").unwrap(), Some("no-referrer"));
        assert_eq!(referrer_policy("").unwrap(), None);
        assert!(referrer_policy("always").is_err());
        assert_eq!(
            link_rel("noopener  NOREFERRER").unwrap(),
            Some("noopener noreferrer")
        );
        assert!(link_rel("noopener \" onclick=x").is_err());
    }

    #[test]
    fn urls_are_judged_as_ammonia_does_and_stricter() {
        for ok in [
            "https://a.com/x?y=1&z=2",
            "/relative/path",
            "page.html?q=a:b",
            "#frag:ment",
            "//cdn.example.com/a.png",
            "mailto:a@b.c",
            " https://a.com/",
        ] {
            assert!(is_allowed_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}java\u{3}script:alert(1)",
            "java\u{200b}script:alert(1)",
            "java script:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_url(bad), "{bad:?}");
        }
    }
}
