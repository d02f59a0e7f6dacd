//! The document's own markup: `<meta>` (OpenGraph and named), `<link>`,
//! microdata, `<title>` and `<html lang>`, in one walk that also collects
//! the JSON-LD scripts for [`super::jsonld`].

use url::Url;

use super::{
    clean_text, clean_url, is_link, Field, Found, Rank, DOCUMENT, LAST, META, MICRODATA,
    OPEN_GRAPH, STATED,
};
use crate::dom::{Dom, Element, NodeId};

/// A byline longer than this is a block of text marked as the author, not
/// a name.
const MAX_BYLINE: usize = 200;

/// Reads the markup of `dom` into `found`; returns the text of its JSON-LD
/// scripts.
pub(super) fn read(dom: &Dom, base: Option<&Url>, found: &mut Found) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut seen_title = false;
    for id in dom.descendants(dom.root()) {
        let Some(e) = dom.element(id) else { continue };
        match e.name() {
            "meta" if e.is("meta") => meta(e, base, found),
            "link" if e.is("link") => link(e, base, found),
            // `<a rel="author">Ann Lee</a>`: the byline of many templates.
            "a" if e.is("a") && e.attr("rel").is_some_and(|r| has_token(r, "author")) => {
                offer(
                    found,
                    Field::Byline,
                    DOCUMENT,
                    "rel",
                    &dom.text_content(id),
                    base,
                );
            }
            "title" if e.is("title") && !seen_title => {
                seen_title = true;
                found.offer(
                    Field::Title,
                    DOCUMENT,
                    "title",
                    clean_text(&dom.text_content(id)),
                );
            }
            "time" if e.is("time") => time(dom, id, e, found),
            "html" if e.is("html") => {
                if let Some(lang) = e.attr("lang").or_else(|| e.attr("xml:lang")) {
                    found.offer(Field::Lang, STATED, "lang", clean_lang(lang));
                }
            }
            "script" if e.is("script") && e.attr("type").is_some_and(is_json_ld) => {
                scripts.push(dom.text_content(id));
            }
            _ => {}
        }
        if let Some(props) = e.attr("itemprop") {
            microdata(dom, id, e, props, base, found);
        }
    }
    scripts
}

fn has_token(list: &str, token: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case(token))
}

fn is_json_ld(t: &str) -> bool {
    t.trim().eq_ignore_ascii_case("application/ld+json")
}

/// A language tag as BCP 47 writes it: `en_GB` (OpenGraph's locale) is
/// `en-GB`.
pub(super) fn clean_lang(s: &str) -> String {
    clean_text(s).replace('_', "-")
}

/// Which field a `<meta>` key names, and how much its source is trusted.
fn meta_field(key: &str) -> Option<(Field, Rank)> {
    use Field::*;
    Some(match key {
        "og:title" => (Title, OPEN_GRAPH),
        "og:description" => (Description, OPEN_GRAPH),
        "og:site_name" => (Site, OPEN_GRAPH),
        "og:image" | "og:image:url" | "og:image:secure_url" => (Image, OPEN_GRAPH),
        "og:url" => (Url, OPEN_GRAPH),
        "og:locale" => (Lang, OPEN_GRAPH),
        "article:published_time" | "og:article:published_time" | "og:published_time" => {
            (Date, OPEN_GRAPH)
        }
        "article:author" | "og:article:author" => (Byline, OPEN_GRAPH),
        "twitter:title" | "dc.title" | "dcterms.title" | "citation_title" | "parsely-title"
        | "sailthru.title" | "headline" => (Title, META),
        "author" | "byl" | "dc.creator" | "dcterms.creator" | "citation_author"
        | "parsely-author" | "sailthru.author" | "article.author" => (Byline, META),
        "date"
        | "pubdate"
        | "publishdate"
        | "publish-date"
        | "publish_date"
        | "published_time"
        | "publication_date"
        | "article.published"
        | "article_date_original"
        | "article:published"
        | "dc.date"
        | "dc.date.issued"
        | "dc.date.created"
        | "dcterms.date"
        | "dcterms.issued"
        | "dcterms.created"
        | "citation_publication_date"
        | "citation_date"
        | "citation_online_date"
        | "parsely-pub-date"
        | "sailthru.date"
        | "og:pubdate"
        | "originalpublicationdate"
        | "article:publicationdate" => (Date, META),
        "description"
        | "twitter:description"
        | "dc.description"
        | "dcterms.description"
        | "sailthru.description" => (Description, META),
        "twitter:image" | "twitter:image:src" | "parsely-image-url" | "thumbnail" => (Image, META),
        "application-name" | "dc.publisher" | "dcterms.publisher" | "citation_publisher" => {
            (Site, META)
        }
        "language" | "dc.language" | "dcterms.language" | "content-language" => (Lang, META),
        _ => return None,
    })
}

fn meta(e: &Element, base: Option<&Url>, found: &mut Found) {
    let Some(content) = e.attr("content") else {
        return;
    };
    if e.attr("name") == Some("parsely-page") {
        parsely_page(content, base, found);
        return;
    }
    for key in [e.attr("property"), e.attr("name"), e.attr("http-equiv")]
        .into_iter()
        .flatten()
    {
        let key = key.trim().to_ascii_lowercase();
        if let Some((field, rank)) = meta_field(&key) {
            offer(found, field, rank, &key, content, base);
            return;
        }
    }
}

/// Offers a value of a `<meta>` or microdata property, cleaned as its field
/// needs.
fn offer(found: &mut Found, field: Field, rank: Rank, key: &str, value: &str, base: Option<&Url>) {
    let value = match field {
        Field::Url | Field::Image => match clean_url(value, base) {
            Some(u) => u,
            None => return,
        },
        Field::Lang => clean_lang(value),
        Field::Byline if is_link(value.trim()) || value.len() > MAX_BYLINE => return,
        _ => clean_text(value),
    };
    found.offer(field, rank, key, value);
}

/// Parse.ly's `<meta name="parsely-page">`, whose content is JSON:
/// `{"title", "author", "pub_date", "image_url", …}`.
fn parsely_page(content: &str, base: Option<&Url>, found: &mut Found) {
    let Ok(serde_json::Value::Object(page)) = serde_json::from_str(content) else {
        return;
    };
    let s = |k: &str| page.get(k).and_then(serde_json::Value::as_str);
    for (field, key) in [
        (Field::Title, "title"),
        (Field::Byline, "author"),
        (Field::Date, "pub_date"),
        (Field::Image, "image_url"),
    ] {
        if let Some(v) = s(key) {
            offer(found, field, META, key, v, base);
        }
    }
    if let Some(serde_json::Value::Array(authors)) = page.get("authors") {
        for a in authors.iter().filter_map(serde_json::Value::as_str) {
            offer(found, Field::Byline, META, "authors", a, base);
        }
    }
}

/// A `<time datetime>`: the date when it is marked `pubdate` (HTML5
/// drafts), else, as a last resort, the first one in an `<article>`.
fn time(dom: &Dom, id: NodeId, e: &Element, found: &mut Found) {
    let Some(datetime) = e.attr("datetime") else {
        return;
    };
    if e.attr("pubdate").is_some() {
        found.offer(Field::Date, DOCUMENT, "pubdate", clean_text(datetime));
    } else if dom.ancestors(id).any(|a| dom.is_element(a, "article")) {
        found.offer(Field::Date, LAST, "time", clean_text(datetime));
    }
}

fn link(e: &Element, base: Option<&Url>, found: &mut Found) {
    let (Some(rel), Some(href)) = (e.attr("rel"), e.attr("href")) else {
        return;
    };
    for token in rel.split_ascii_whitespace() {
        if token.eq_ignore_ascii_case("canonical") {
            offer(found, Field::Url, STATED, "canonical", href, base);
        } else if token.eq_ignore_ascii_case("image_src") {
            offer(found, Field::Image, META, "image_src", href, base);
        }
    }
}

/// Whether an `itemtype` is an article (or a page), whose properties
/// describe the document.
fn is_article_type(itemtype: &str) -> bool {
    itemtype.split_ascii_whitespace().any(|t| {
        let name = t.rsplit(['/', ':', '#']).next().unwrap_or(t);
        super::jsonld::is_article(name) || name == "WebPage"
    })
}

/// A microdata property of the article. A property counts when the item it
/// belongs to (the nearest `itemscope` above it) is an article or a page,
/// or, for a `<meta>`, `<link>` or `<time>`, when it belongs to no item
/// (sites put `<meta itemprop="datePublished">` in the head).
fn microdata(
    dom: &Dom,
    id: NodeId,
    e: &Element,
    props: &str,
    base: Option<&Url>,
    found: &mut Found,
) {
    let scope = dom
        .ancestors(id)
        .filter_map(|a| dom.element(a))
        .find(|a| a.attr("itemscope").is_some());
    let counts = match scope {
        Some(s) => s.attr("itemtype").is_some_and(is_article_type),
        None => e.is("meta") || e.is("link") || e.is("time"),
    };
    if !counts {
        return;
    }
    for prop in props.split_ascii_whitespace() {
        let field = match prop {
            "headline" => Field::Title,
            "name" if scope.is_some() => Field::Title,
            "author" | "creator" => Field::Byline,
            "datePublished" => Field::Date,
            "description" => Field::Description,
            "image" | "thumbnailUrl" => Field::Image,
            "inLanguage" => Field::Lang,
            "publisher" => Field::Site,
            _ => continue,
        };
        // An author or publisher that is an item of its own gives its name.
        let value = if matches!(field, Field::Byline | Field::Site) && e.attr("itemscope").is_some()
        {
            match item_name(dom, id) {
                Some(v) => v,
                None => continue,
            }
        } else {
            value(dom, id, e, field)
        };
        // `name` is weaker than `headline`.
        let rank = if prop == "name" {
            MICRODATA + 1
        } else {
            MICRODATA
        };
        offer(found, field, rank, prop, &value, base);
    }
}

/// The `name` property of the item `id`.
fn item_name(dom: &Dom, id: NodeId) -> Option<String> {
    dom.descendants(id).skip(1).find_map(|d| {
        let e = dom.element(d)?;
        e.attr("itemprop")?
            .split_ascii_whitespace()
            .any(|p| p == "name")
            .then(|| value(dom, d, e, Field::Byline))
    })
}

/// A microdata property's value, as the microdata spec reads it from each
/// element, except that a text field of a link is its text: pages write
/// `<a itemprop="name" href="/post/">Title</a>` and mean the title.
fn value(dom: &Dom, id: NodeId, e: &Element, field: Field) -> String {
    let is_url = matches!(field, Field::Url | Field::Image);
    let attr = match e.name() {
        _ if e.attr("content").is_some() => "content",
        "time" if e.attr("datetime").is_some() => "datetime",
        "img" | "audio" | "video" | "source" | "iframe" | "embed" | "track" if is_url => "src",
        "a" | "link" | "area" if is_url || e.is("link") => "href",
        "object" if is_url => "data",
        "data" | "meter" => "value",
        _ => return dom.text_content(id),
    };
    e.attr(attr).unwrap_or_default().to_string()
}
