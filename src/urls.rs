//! URL work: pure functions on strings, testable without a DOM.
//!
//! Attribute values are kept as the page wrote them (relative, protocol
//! relative or absolute, percent-encoded or not); nothing here re-encodes what
//! it does not change.

use std::borrow::Cow;

use url::Url;

/// Removes query (and query-like fragment) parameters for which `strip(name)`
/// holds, keeping the others in their order and spelling.
///
/// ```text
/// /a?utm_source=x&id=3#top  ->  /a?id=3#top
/// ```
pub(crate) fn strip_params(url: &str, strip: impl Fn(&str) -> bool) -> Cow<'_, str> {
    let (before_frag, frag) = match url.find('#') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    let (base, query) = match before_frag.find('?') {
        Some(i) => (&before_frag[..i], Some(&before_frag[i + 1..])),
        None => (before_frag, None),
    };
    let new_query = query.map(|q| filter_pairs(q, &strip));
    // Analytics tools also read `#utm_source=…`; a fragment is only treated as
    // parameters when every piece of it looks like `key=value`.
    let new_frag = frag.map(|f| {
        if !f.is_empty() && f.split('&').all(|p| p.contains('=') && !p.starts_with('=')) {
            filter_pairs(f, &strip)
        } else {
            Cow::Borrowed(f)
        }
    });
    let changed =
        matches!(new_query, Some(Cow::Owned(_))) || matches!(new_frag, Some(Cow::Owned(_)));
    if !changed {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    if let Some(q) = new_query {
        if !q.is_empty() {
            out.push('?');
            out.push_str(&q);
        }
    }
    if let Some(f) = new_frag {
        if !f.is_empty() {
            out.push('#');
            out.push_str(&f);
        }
    }
    Cow::Owned(out)
}

fn filter_pairs<'a>(query: &'a str, strip: &impl Fn(&str) -> bool) -> Cow<'a, str> {
    let is_stripped = |pair: &str| {
        let name = pair.split('=').next().unwrap_or("");
        !name.is_empty() && strip(&percent_decode(name))
    };
    if !query.split('&').any(is_stripped) {
        return Cow::Borrowed(query);
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !is_stripped(p))
        .collect();
    Cow::Owned(kept.join("&"))
}

/// Decodes `%XX` escapes (and `+` as space) in a parameter name; invalid
/// escapes stay as they are.
fn percent_decode(s: &str) -> Cow<'_, str> {
    decode_escapes(s, true)
}

fn decode_escapes(s: &str, plus_is_space: bool) -> Cow<'_, str> {
    let escaped = s.contains('%') || (plus_is_space && s.contains('+'));
    if !escaped {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// One candidate of a `srcset`.
#[derive(Debug, PartialEq)]
pub(crate) struct Candidate<'a> {
    pub(crate) url: &'a str,
    /// Width descriptor (`300w`), or the pixel density (`2x`) times 1000.
    pub(crate) width: Option<u64>,
    pub(crate) density: Option<u64>,
}

/// Parses a `srcset` value the way the HTML standard does: a URL ends at
/// whitespace, so URLs with commas inside (`/w_300,h_200/a.jpg`) survive.
///
/// See <https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute>.
pub(crate) fn parse_srcset(value: &str) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let mut descriptors = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            // Descriptors run to the next comma outside parentheses.
            let mut depth = 0usize;
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            descriptors = &rest[..end];
            rest = &rest[end..];
        }
        if url.is_empty() {
            continue;
        }
        let mut cand = Candidate {
            url,
            width: None,
            density: None,
        };
        for d in descriptors.split_ascii_whitespace() {
            if let Some(w) = d.strip_suffix('w') {
                cand.width = w.parse().ok();
            } else if let Some(x) = d.strip_suffix('x') {
                cand.density = x.parse::<f64>().ok().map(|x| (x * 1000.0) as u64);
            }
        }
        out.push(cand);
    }
}

/// The largest candidate of a `srcset` that may stay (see
/// [`crate::policy::is_allowed_url`]) and passes `usable`: widest by `w`,
/// else densest by `x`, else the first.
///
/// NOTE: candidates are filtered before one is chosen: choosing first would
/// let a `javascript:` (or placeholder) candidate marked `900w` cost the
/// page its real `100w` image.
pub(crate) fn best_candidate(srcset: &str, usable: impl Fn(&str) -> bool) -> Option<&str> {
    let cands: Vec<Candidate<'_>> = parse_srcset(srcset)
        .into_iter()
        .filter(|c| crate::policy::is_allowed_url(c.url) && usable(c.url))
        .collect();
    let by_width = cands
        .iter()
        .filter(|c| c.width.is_some())
        .max_by_key(|c| c.width);
    let by_density = cands
        .iter()
        .filter(|c| c.density.is_some())
        .max_by_key(|c| c.density);
    by_width.or(by_density).or(cands.first()).map(|c| c.url)
}

/// The host of an absolute or protocol-relative URL as a browser reads it
/// (the URL standard: `https:host/x` and `https:\\host/x` name a host, and
/// `ad%2Eexample.com` is `ad.example.com`), lower case, without port, user
/// info or a trailing dot. A relative URL has none: a rule about hosts is
/// about other sites, and the page's own host (`ad.nl` is a newspaper) is not
/// one.
///
/// NOTE: a page served over `https` would read `https:host/x` as a path of its
/// own; without knowing the page, the host is taken, as browsers do on any
/// other scheme.
/// See <https://url.spec.whatwg.org/#concept-basic-url-parser>.
pub(crate) fn host(url: &str) -> Option<Cow<'_, str>> {
    let url = url.trim_matches(is_c0_or_space);
    if is_relative_without_host(url) {
        return None;
    }
    let host: Cow<'_, str> = match plain_host(url) {
        Some(h) => lower(h),
        None => {
            let parsed = parse(url, None)?;
            Cow::Owned(parsed.host_str()?.to_string())
        }
    };
    let host = match host {
        Cow::Borrowed(h) => Cow::Borrowed(h.trim_end_matches('.')),
        Cow::Owned(h) if h.ends_with('.') => Cow::Owned(h.trim_end_matches('.').to_string()),
        owned => owned,
    };
    (!host.is_empty()).then_some(host)
}

/// Whether the URL standard reads `url` (trimmed) as a relative URL that
/// names no host: it has no scheme and does not start with two slashes
/// (`/news/1`, `img/a.png`). A page's links are mostly such, and this tells
/// so without parsing them.
fn is_relative_without_host(url: &str) -> bool {
    // NOTE: the standard removes tabs and line breaks anywhere, so one
    // before the first colon may hide a scheme (`ht\ttps://`).
    let head = &url[..url.find(':').unwrap_or(0)];
    if head.contains(['\t', '\n', '\r']) || crate::policy::scheme(url).is_some() {
        return false;
    }
    let mut lead = url.bytes().filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'));
    !(matches!(lead.next(), Some(b'/' | b'\\')) && matches!(lead.next(), Some(b'/' | b'\\')))
}

/// What the URL standard strips from both ends of a URL.
fn is_c0_or_space(c: char) -> bool {
    c <= ' '
}

/// `s` in ASCII lower case, borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether the URL standard would read `url` as written: printable ASCII
/// without escapes or backslashes (it also removes tabs and line breaks
/// anywhere, and reads `\` as `/` in web URLs).
fn is_plain(url: &str) -> bool {
    url.bytes()
        .all(|b| b.is_ascii_graphic() && b != b'%' && b != b'\\')
}

/// The host of `scheme://host/...` or `//host/...` when the string is
/// already what the URL standard would make of it: a plain URL whose host is
/// letters, digits, dots and hyphens, not ending in a number (which the
/// standard reads as an IPv4 address, `0x7f.1`). `None` means "parse it".
fn plain_host(url: &str) -> Option<&str> {
    let rest = match url.strip_prefix("//") {
        Some(r) => r,
        None => {
            let (scheme, rest) = url.split_once("://")?;
            let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
            if !valid {
                return None;
            }
            // NOTE: a web URL's host ends where its path, query or fragment
            // starts, and nothing after it changes the host: only the host
            // needs to read as written (a long image URL is not scanned).
            // Another scheme's host is kept as written, unless parsing
            // would change the URL.
            if !is_special(scheme) && !is_plain(url) {
                return None;
            }
            rest
        }
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, port) = match rest[..end].split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (&rest[..end], None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok = port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let last_label = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    let ends_in_number = last_label.starts_with(|c: char| c.is_ascii_digit());
    (host_ok && port_ok && !ends_in_number).then_some(host)
}

/// Whether the URL standard treats `scheme` as special: its host is a
/// domain it lower-cases, ended by `/`, `\\`, `?` or `#`.
fn is_special(scheme: &str) -> bool {
    ["http", "https", "ws", "wss", "ftp"]
        .iter()
        .any(|s| scheme.eq_ignore_ascii_case(s))
}

/// Parses `url` with the URL standard: against `base` when given, else as an
/// absolute URL, or a protocol-relative one (`//host`, `\\host`) as the
/// standard reads it against any `https` page.
fn parse(url: &str, base: Option<&Url>) -> Option<Url> {
    if let Some(base) = base {
        return base.join(url).ok();
    }
    match Url::parse(url) {
        Ok(u) => Some(u),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            let slashes = url
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .take(2)
                .filter(|c| matches!(c, '/' | '\\'))
                .count();
            if slashes < 2 {
                return None;
            }
            Url::parse("https://base.invalid/").ok()?.join(url).ok()
        }
        Err(_) => None,
    }
}

/// Whether `host` or one of its parent domains is in `domains`.
pub(crate) fn host_in(host: &str, domains: &rustc_hash::FxHashSet<String>) -> bool {
    let mut h = host;
    loop {
        if domains.contains(h) {
            return true;
        }
        match h.find('.') {
            Some(i) => h = &h[i + 1..],
            None => return false,
        }
    }
}

/// The path of a URL, without query or fragment, as a browser requests it
/// (the URL standard: `\\` is `/`, `.` and `..` segments are resolved), with
/// percent escapes decoded so that patterns see `/pixel` in `/%70ixel` and
/// the characters of a non-ASCII path. A relative URL is resolved against
/// `base` when given, else read as written.
pub(crate) fn path<'a>(url: &'a str, base: Option<&Url>) -> Cow<'a, str> {
    let url = url.trim_matches(is_c0_or_space);
    let scheme = crate::policy::scheme(url);
    // NOTE: what follows the path (a query, a fragment) never changes it,
    // so only what comes before needs to read as written: a link whose
    // query holds escapes (`?u=http%3A%2F%2F…`) is not parsed for its path.
    let before = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    let has_dot_segment = before.split('/').any(|seg| seg == "." || seg == "..");
    // `scheme://…`, `/…` and, without a base, `a/b`, read as written.
    let shape_ok = match scheme {
        Some(s) => url
            .trim_start()
            .get(s.len()..)
            .is_some_and(|r| r.starts_with("://")),
        None => url.starts_with('/') || base.is_none(),
    };
    if is_plain(before) && !has_dot_segment && shape_ok {
        return Cow::Borrowed(path_as_written(url));
    }
    match parse(url, base) {
        Some(u) => Cow::Owned(percent_decode_path(u.path()).into_owned()),
        None => Cow::Borrowed(path_as_written(url)),
    }
}

/// [`path`] of a plain URL, read from the string.
fn path_as_written(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..end];
    let after_scheme = match url.find("://") {
        Some(i)
            if url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            &url[i + 3..]
        }
        _ if url.starts_with("//") => &url[2..],
        _ => return url,
    };
    match after_scheme.find('/') {
        Some(i) => &after_scheme[i..],
        None => "/",
    }
}

/// Decodes `%XX` escapes in a path (not `+`, which is a plus there);
/// invalid escapes stay as they are.
fn percent_decode_path(s: &str) -> Cow<'_, str> {
    decode_escapes(s, false)
}

/// The query parameter names of a URL (percent-decoded).
pub(crate) fn query_keys(url: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let before_frag = url.split('#').next().unwrap_or("");
    let query = before_frag.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| percent_decode(p.split('=').next().unwrap_or("")))
}

/// Resolves `href` against `base`; `None` when it cannot be parsed.
pub(crate) fn resolve(base: &Url, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    base.join(href).ok().map(String::from)
}

/// Whether an image source is a stand-in that lazy-loading scripts replace:
/// empty, `about:blank`, a `data:` URI, or a file named like a spacer.
pub(crate) fn is_placeholder(src: &str, name_pattern: &crate::rules::Pattern) -> bool {
    is_no_source(src) || name_pattern.is_match(src.trim())
}

/// Whether `src` names no image at all: empty, `#`, `about:blank` or a
/// `data:` URL (an inline stand-in), whatever its file name would say.
pub(crate) fn is_no_source(src: &str) -> bool {
    let s = src.trim();
    s.is_empty()
        || s == "#"
        || s.eq_ignore_ascii_case("about:blank")
        // NOTE: by bytes: the fifth byte may fall inside a character.
        || s.as_bytes()
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"data:"))
}

/// Whether a value looks like an image URL rather than a word, a number or
/// JSON: lazy-load attributes are sometimes reused for other data.
pub(crate) fn is_urlish(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains(char::is_whitespace) && !v.contains(',') {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("data:") || lower.starts_with('{') {
        return false;
    }
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("//")
        || lower.starts_with('/')
        || lower.starts_with("./")
        || lower.starts_with("../")
        || path(&lower, None).rsplit('.').next().is_some_and(|ext| {
            matches!(
                ext,
                "jpg"
                    | "jpeg"
                    | "png"
                    | "gif"
                    | "webp"
                    | "avif"
                    | "svg"
                    | "bmp"
                    | "jfif"
                    | "tif"
                    | "tiff"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utm(name: &str) -> bool {
        name.to_ascii_lowercase().starts_with("utm_") || name == "fbclid"
    }

    #[test]
    fn strips_tracking_params_keeping_order() {
        assert_eq!(
            strip_params("https://a.com/p?x=1&utm_source=z&y=2&fbclid=q", utm),
            "https://a.com/p?x=1&y=2"
        );
        assert_eq!(strip_params("/p?utm_medium=a", utm), "/p");
        assert_eq!(strip_params("/p?utm_medium=a#frag", utm), "/p#frag");
        assert_eq!(strip_params("/p#utm_source=rss&utm_medium=x", utm), "/p");
        assert_eq!(strip_params("/p?UTM_Source=a&b", utm), "/p?b");
        assert_eq!(strip_params("/p?%75tm_source=a&b=1", utm), "/p?b=1");
    }

    #[test]
    fn untouched_urls_are_borrowed() {
        for u in [
            "https://a.com/?a=1&b=2",
            "/x#section-2",
            "mailto:a@b.c",
            "",
            "?",
            "#",
        ] {
            assert!(matches!(strip_params(u, utm), Cow::Borrowed(_)), "{u}");
        }
    }

    #[test]
    fn srcset_with_commas_in_urls() {
        let c = parse_srcset("https://x/w_300,h_200/a.jpg 300w, https://x/w_600,h_400/a.jpg 600w");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].url, "https://x/w_600,h_400/a.jpg");
        assert_eq!(c[1].width, Some(600));
    }

    #[test]
    fn best_candidate_prefers_widest_then_densest() {
        assert_eq!(
            best_candidate("a.jpg 1x, b.jpg 2x", |_| true),
            Some("b.jpg")
        );
        assert_eq!(
            best_candidate("a.jpg 800w, b.jpg 400w", |_| true),
            Some("a.jpg")
        );
        assert_eq!(best_candidate("only.jpg", |_| true), Some("only.jpg"));
        assert_eq!(best_candidate(" , ", |_| true), None);
    }

    #[test]
    fn best_candidate_skips_unsafe_urls() {
        assert_eq!(
            best_candidate("/a.png 100w, javascript:alert(1) 900w", |_| true),
            Some("/a.png")
        );
        assert_eq!(
            best_candidate("a.png 1x, JaVaScRiPt:x 3x, vbscript:y 2x", |_| true),
            Some("a.png")
        );
        assert_eq!(best_candidate("javascript:alert(1)", |_| true), None);
        assert_eq!(
            best_candidate("/a.png 100w, /blank.gif 900w", |u| !u.contains("blank")),
            Some("/a.png")
        );
    }

    #[test]
    fn host_and_path() {
        assert_eq!(
            host("//Ads.Example.com/x").as_deref(),
            Some("ads.example.com")
        );
        assert_eq!(host("/relative"), None);
        assert_eq!(path("https://a.com/b/c?d#e", None), "/b/c");
        assert_eq!(path("/b/c?d", None), "/b/c");
        assert_eq!(path("https://a.com", None), "/");
        assert_eq!(path("https://a.com/b/c?u=http%3A%2F%2Fx#\\", None), "/b/c");
    }

    #[test]
    fn hosts_as_browsers_read_them() {
        for url in [
            "https:ad.doubleclick.net/x",
            "https:\\\\ad.doubleclick.net/x",
            "https://ad%2Edoubleclick.net/x",
            "https:/ad.doubleclick.net/x",
            "https://AD.DoubleClick.NET./x",
            "\\\\ad.doubleclick.net/x",
            "/\\ad.doubleclick.net/x",
            " https://ad.double\tclick.net/x\n",
            "https://user:pw@ad.doubleclick.net:443/x",
        ] {
            assert_eq!(host(url).as_deref(), Some("ad.doubleclick.net"), "{url:?}");
        }
        // In web URLs a backslash ends the host, as a slash does.
        assert_eq!(
            host("https://a.com\\@ad.doubleclick.net/x").as_deref(),
            Some("a.com")
        );
        assert_eq!(host("https://0x7f.1/x").as_deref(), Some("127.0.0.1"));
        assert_eq!(host("https://[::1]:8080/").as_deref(), Some("[::1]"));
        assert_eq!(host("mailto:a@b.c"), None);
        assert_eq!(host("https:"), None);
        assert_eq!(host("ad.doubleclick.net/x"), None);
        // A tab hides no scheme; what follows a web URL's host is not read.
        assert_eq!(host("ht\ttps://a.com/x").as_deref(), Some("a.com"));
        assert_eq!(host("/\t/a.com/x").as_deref(), Some("a.com"));
        assert_eq!(host("https://A.com/a b%zz\\c").as_deref(), Some("a.com"));
        assert_eq!(host("foo://A.com/a b").as_deref(), Some("A.com"));
    }

    #[test]
    fn plain_hosts_are_borrowed() {
        for url in ["https://a.com/x?y#z", "//a.b-c.org:8080", "http://a.com./"] {
            assert!(matches!(host(url), Some(Cow::Borrowed(_))), "{url}");
        }
        assert_eq!(plain_host("https:a.com/x"), None);
        assert_eq!(plain_host("https://a%2Ecom/"), None);
        assert_eq!(plain_host("https://1.2.3.4/"), None);
    }

    #[test]
    fn paths_as_browsers_request_them() {
        let base = Url::parse("https://news.example/a/b.html").unwrap();
        assert_eq!(path("https:\\\\a.com\\ads\\x.gif", None), "/ads/x.gif");
        assert_eq!(path("https:a.com/ads/x.gif?q", None), "/ads/x.gif");
        assert_eq!(path("https://a.com/x/../%70ixel.gif", None), "/pixel.gif");
        assert_eq!(path("https://a.com/%E8%AE%A2%E9%98%85/", None), "/订阅/");
        assert_eq!(path("https://a.com/订阅/", None), "/订阅/");
        assert_eq!(path("https://a.com/a+b", None), "/a+b");
        assert_eq!(path("pixel.gif", Some(&base)), "/a/pixel.gif");
        assert_eq!(path("../pixel.gif?x", Some(&base)), "/pixel.gif");
        assert_eq!(path("pixel.gif", None), "pixel.gif");
        assert!(matches!(path("/a/b?c", Some(&base)), Cow::Borrowed("/a/b")));
    }

    #[test]
    fn urlish_values() {
        assert!(is_urlish("https://a.com/x.jpg"));
        assert!(is_urlish("img/x.png"));
        assert!(!is_urlish("true"));
        assert!(!is_urlish("{\"a\":1}"));
        assert!(!is_urlish("javascript:alert(1)"));
    }

    #[test]
    fn query_keys_are_decoded() {
        let keys: Vec<_> = query_keys("/a?x=1&%75tm=2#y=3").collect();
        assert_eq!(keys, ["x", "utm"]);
    }
}
