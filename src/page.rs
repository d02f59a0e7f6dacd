//! What a page says about itself: its URL (the canonical link, `og:url`)
//! and its base for relative URLs (`<base href>`). A post's `from:` is read
//! with its front matter, in [`crate::post`].

use url::Url;

use crate::dom::Dom;

/// The page's own URL, from its `<link rel="canonical">` or `og:url`.
///
/// NOTE: the whole document is searched, not only the `<head>`: with
/// scripting off, a `<noscript>` in the head holding an image ends the head
/// early, and what follows (the canonical link often) lands in the body.
pub(crate) fn document_url(dom: &Dom) -> Option<Url> {
    dom.head()?;
    let mut og = None;
    for id in dom.descendants(dom.root()) {
        let Some(e) = dom.element(id) else { continue };
        if e.is("link")
            && e.attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("canonical"))
            })
        {
            if let Some(u) = e.attr("href").and_then(absolute) {
                return Some(u);
            }
        }
        if og.is_none() && e.is("meta") && e.attr("property") == Some("og:url") {
            og = e.attr("content").and_then(absolute);
        }
    }
    og
}

/// The `<base href>` of a document, resolved against the page's URL.
pub(crate) fn document_base(dom: &Dom, page: Option<&Url>) -> Option<Url> {
    dom.head()?;
    let href = dom
        .descendants(dom.root())
        .filter_map(|id| dom.element(id))
        .find(|e| e.is("base") && e.attr("href").is_some())?
        .attr("href")?;
    let url = match page {
        Some(p) => p.join(href.trim()).ok()?,
        None => absolute(href)?,
    };
    is_web(&url).then_some(url)
}

/// `s` as a URL, when it is an absolute http(s) URL.
pub(crate) fn absolute(s: &str) -> Option<Url> {
    Url::parse(s.trim()).ok().filter(is_web)
}

fn is_web(u: &Url) -> bool {
    matches!(u.scheme(), "http" | "https")
}

/// Whether `href`, resolved against `page`, is `page` itself (the fragment,
/// the scheme's `s` and a trailing slash set aside).
pub(crate) fn is_same_page(page: &Url, href: &str) -> bool {
    let href = href.trim();
    if href.starts_with('#') {
        return true;
    }
    if written_path(href)
        .is_some_and(|p| p.trim_end_matches('/') != page.path().trim_end_matches('/'))
    {
        return false;
    }
    let Ok(target) = page.join(href) else {
        return false;
    };
    let key = |u: &Url| {
        let host = u
            .host_str()
            .unwrap_or("")
            .trim_start_matches("www.")
            .to_ascii_lowercase();
        let path = u.path().trim_end_matches('/').to_string();
        (
            host,
            path,
            u.query().filter(|q| !q.is_empty()).map(str::to_string),
        )
    };
    is_web(&target) && key(&target) == key(page)
}

/// The path a web page's link resolves to, read from the string when the
/// URL parser would take it as written: a path from the root (`/news/1`) or
/// an `http(s)://host/…` URL, in printable ASCII with nothing the parser
/// escapes, decodes or resolves (`%`, `\\`, quotes, `.` segments). Only
/// what comes before the query and fragment is read. `None` means "parse
/// it". Most links of a page are not the page, and this tells so without
/// parsing them.
fn written_path(href: &str) -> Option<&str> {
    let before = &href[..href.find(['?', '#']).unwrap_or(href.len())];
    let plain = before.bytes().all(|b| {
        b.is_ascii_graphic() && !matches!(b, b'%' | b'\\' | b'"' | b'<' | b'>' | b'`' | b'{' | b'}')
    });
    if !plain {
        return None;
    }
    let path = if before.starts_with("//") {
        return None;
    } else if before.starts_with('/') {
        before
    } else {
        let (scheme, rest) = before.split_once("://")?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
            || rest.is_empty()
            || rest.starts_with('/')
        {
            return None;
        }
        rest.find('/').map_or("/", |i| &rest[i..])
    };
    (!path.split('/').any(|s| s == "." || s == "..")).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_then_og_url() {
        let dom = Dom::parse_document(
            r#"<html><head><meta property="og:url" content="https://a.com/og"><link rel="Canonical" href="https://a.com/c"></head><body></body></html>"#,
        );
        assert_eq!(document_url(&dom).unwrap().as_str(), "https://a.com/c");
        let dom = Dom::parse_document(
            r#"<html><head><meta property="og:url" content="https://a.com/og"></head></html>"#,
        );
        assert_eq!(document_url(&dom).unwrap().as_str(), "https://a.com/og");
        assert!(document_url(&Dom::parse_fragment(
            "<link rel=canonical href=https://x.com/>"
        ))
        .is_none());
    }

    #[test]
    fn canonical_after_a_noscript_image_in_the_head() {
        let dom = Dom::parse_document(
            r#"<html><head><noscript><img src="/p.gif"></noscript><link rel="canonical" href="https://a.com/c"></head><body></body></html>"#,
        );
        assert_eq!(document_url(&dom).unwrap().as_str(), "https://a.com/c");
    }

    #[test]
    fn base_is_resolved_and_must_be_web() {
        let page = Url::parse("https://a.com/x/y").unwrap();
        let dom = Dom::parse_document(r#"<head><base href="/root/"></head>"#);
        assert_eq!(
            document_base(&dom, Some(&page)).unwrap().as_str(),
            "https://a.com/root/"
        );
        let dom = Dom::parse_document(r#"<head><base href="javascript:alert(1)//"></head>"#);
        assert!(document_base(&dom, Some(&page)).is_none());
    }

    #[test]
    fn same_page() {
        let page = Url::parse("https://www.a.com/news/1").unwrap();
        assert!(is_same_page(&page, "#top"));
        assert!(is_same_page(&page, "/news/1"));
        assert!(is_same_page(&page, "http://a.com/news/1/#c"));
        assert!(is_same_page(&page, "/news/1?"));
        assert!(!is_same_page(&page, "/news/2"));
        assert!(!is_same_page(&page, "/news/1?page=2"));
        assert!(!is_same_page(&page, "mailto:x@a.com"));
        assert!(is_same_page(&page, "/news/x/../1"));
        assert!(is_same_page(&page, "HTTPS://A.com/news/1/"));
        assert!(!is_same_page(&page, "https://a.com/news/2?x=%20"));
        assert!(!is_same_page(&page, "https://b.com/news/1"));
    }

    #[test]
    fn paths_read_as_written() {
        assert_eq!(written_path("/news/1?x#y"), Some("/news/1"));
        assert_eq!(written_path("https://a.com"), Some("/"));
        assert_eq!(written_path("http://a.com/b/c#d"), Some("/b/c"));
        // Left to the parser.
        for href in [
            "//a.com/x",
            "https:///x",
            "/a/./b",
            "/a%2Fb",
            "/a b",
            "x/y",
            "ftp://a/b",
        ] {
            assert_eq!(written_path(href), None, "{href}");
        }
    }
}
