use super::*;

fn doc(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

fn read_doc(html: &str) -> Metadata {
    read(&Dom::parse_document(html), None, None)
}

fn read_at(html: &str, page: &str) -> Metadata {
    let page = Url::parse(page).unwrap();
    read(&Dom::parse_document(html), Some(&page), Some(&page))
}

fn ld(json: &str) -> String {
    format!(r#"<script type="application/ld+json">{json}</script>"#)
}

#[test]
fn jsonld_graph_follows_id_references() {
    // The shape Yoast writes: a graph whose article names its author and
    // publisher by `@id`.
    let html = doc(
        &ld(r##"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","@id":"https://a.com/#website","name":"A Daily"},
            {"@type":"Organization","@id":"https://a.com/#org","name":"A Daily Ltd"},
            {"@type":"WebPage","@id":"https://a.com/x#webpage","name":"X - A Daily"},
            {"@type":["Article","NewsArticle"],"headline":"X","datePublished":"2024-01-02T03:04:05Z",
             "author":{"@id":"https://a.com/#/person/1"},"publisher":{"@id":"https://a.com/#org"},
             "image":{"@type":"ImageObject","url":"https://a.com/x.jpg"},
             "mainEntityOfPage":{"@id":"https://a.com/x"}},
            {"@type":"Person","@id":"https://a.com/#/person/1","name":"Ann Lee"}]}"##),
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("X"));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee"));
    assert_eq!(m.date.as_deref(), Some("2024-01-02T03:04:05Z"));
    assert_eq!(m.site.as_deref(), Some("A Daily Ltd"));
    assert_eq!(m.image.as_deref(), Some("https://a.com/x.jpg"));
    assert_eq!(m.url.as_deref(), Some("https://a.com/x"));
}

#[test]
fn jsonld_article_nested_in_a_page_or_an_array() {
    let html = doc(
        &ld(r#"[{"@type":"BreadcrumbList","itemListElement":[]},
            {"@type":"WebPage","name":"Page name","mainEntity":
              {"@type":"http://schema.org/BlogPosting","headline":"Post","dateCreated":"2020-05-05"}}]"#),
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("Post"));
    assert_eq!(m.date.as_deref(), Some("2020-05-05"));
}

#[test]
fn jsonld_without_an_article_reads_the_page() {
    let html = doc(
        &ld(r#"{"@type":"WebPage","name":"About us","description":"Who we are"}"#),
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("About us"));
    assert_eq!(m.description.as_deref(), Some("Who we are"));
}

#[test]
fn jsonld_authors_as_string_object_array() {
    let byline = |author: &str| {
        let json = format!(r#"{{"@type":"NewsArticle","author":{author}}}"#);
        read_doc(&doc(&ld(&json), "")).byline
    };
    assert_eq!(byline(r#""Ann Lee""#).as_deref(), Some("Ann Lee"));
    assert_eq!(
        byline(r#"{"@type":"Person","name":"Ann Lee","url":"https://a.com/ann"}"#).as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        byline(r#"[{"name":"Ann Lee"},{"name":"Bo Chen"},"Ann Lee",{"givenName":"Cy","familyName":"Dee"}]"#)
            .as_deref(),
        Some("Ann Lee, Bo Chen, Cy Dee")
    );
    // A profile link is not a name.
    assert_eq!(byline(r#""https://a.com/ann""#), None);
    assert_eq!(byline("42"), None);
}

#[test]
fn jsonld_malformed_never_panics_and_falls_back() {
    let og = r#"<meta property="og:title" content="From OG">"#;
    for bad in [
        r#"{"@type":"Article","headline":"#,
        "not json at all",
        "",
        r#"{"@type":"Article","headline":["#,
        &"[".repeat(100_000),
        &format!("{}{}", "{\"a\":".repeat(5_000), "1"),
        r#"{"@type":7,"author":{"@id":null},"image":[[[]]],"headline":{"@value":null}}"#,
    ] {
        let m = read_doc(&doc(&format!("{}{og}", ld(bad)), ""));
        assert_eq!(m.title.as_deref(), Some("From OG"), "{bad:.40}");
    }
}

#[test]
fn jsonld_forgiven_wrappers_and_line_breaks() {
    let m = read_doc(&doc(
        &ld("<!--\n{\"@type\":\"Article\",\"headline\":\"Two\nlines\"}\n-->"),
        "",
    ));
    assert_eq!(m.title.as_deref(), Some("Two lines"));
    // Two objects one after the other.
    let m = read_doc(&doc(
        &ld(r#"{"@type":"WebSite","name":"S"} {"@type":"Article","headline":"H"}"#),
        "",
    ));
    assert_eq!(m.title.as_deref(), Some("H"));
    assert_eq!(m.site.as_deref(), Some("S"));
}

#[test]
fn jsonld_text_is_decoded_and_collapsed() {
    let m = read_doc(&doc(
        &ld(
            r#"{"@type":"Article","headline":"Tom &amp; Jerry&#8217;s\n  <b>day</b>  out","description":"a < b"}"#,
        ),
        "",
    ));
    assert_eq!(m.title.as_deref(), Some("Tom & Jerry\u{2019}s day out"));
    assert_eq!(m.description.as_deref(), Some("a < b"));
}

#[test]
fn jsonld_beats_og_beats_meta() {
    let html = doc(
        &format!(
            r#"{}<meta name="twitter:title" content="Twitter"><meta property="og:title" content="OG">
            <meta name="description" content="Meta description"><meta property="og:description" content="OG description">
            <meta name="author" content="Meta author"><meta property="article:author" content="https://facebook.com/ann">
            <meta name="date" content="2001-01-01"><meta property="article:published_time" content="2002-02-02">"#,
            ld(r#"{"@type":"Article","headline":"JSON-LD"}"#)
        ),
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("JSON-LD"));
    assert_eq!(m.description.as_deref(), Some("OG description"));
    // `article:author` is a link here: the named author stands.
    assert_eq!(m.byline.as_deref(), Some("Meta author"));
    assert_eq!(m.date.as_deref(), Some("2002-02-02"));
}

#[test]
fn meta_keys_are_case_insensitive_and_authors_repeat() {
    let html = doc(
        r#"<meta name="Description" content="d"><meta name="citation_author" content="Ann Lee">
        <meta name="citation_author" content="Bo Chen"><meta name="citation_author" content="Ann Lee">
        <meta name="DC.date.issued" content="1999"><meta name="application-name" content="App">"#,
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.description.as_deref(), Some("d"));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee, Bo Chen"));
    assert_eq!(m.date.as_deref(), Some("1999"));
    assert_eq!(m.site.as_deref(), Some("App"));
}

#[test]
fn urls_resolve_and_only_web_ones_are_kept() {
    let html = doc(
        r#"<base href="/static/"><meta property="og:image" content="img/lead.jpg">
        <link rel="canonical" href="/news/1">"#,
        "",
    );
    let m = read_at(&html, "https://a.com/news/1?utm_source=x");
    assert_eq!(m.image.as_deref(), Some("https://a.com/news/img/lead.jpg"));
    assert_eq!(m.url.as_deref(), Some("https://a.com/news/1"));
    // Without a URL to resolve against, a relative image is unknown.
    assert_eq!(read_doc(&html).image, None);
    let html = doc(
        r#"<meta property="og:image" content="javascript:alert(1)"><meta name="twitter:image" content="data:image/png;base64,AA">
        <meta property="og:url" content="ftp://a.com/x">"#,
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.image, None);
    assert_eq!(m.url, None);
    // The page's URL when nothing else says.
    assert_eq!(
        read_at(&doc("", ""), "https://a.com/p").url.as_deref(),
        Some("https://a.com/p")
    );
}

#[test]
fn canonical_beats_og_url_and_jsonld() {
    let html = doc(
        &format!(
            r#"<meta property="og:url" content="https://a.com/og">{}<link rel="canonical" href="https://a.com/c">"#,
            ld(r#"{"@type":"Article","url":"https://a.com/ld"}"#)
        ),
        "",
    );
    assert_eq!(read_doc(&html).url.as_deref(), Some("https://a.com/c"));
}

#[test]
fn title_without_the_site_name() {
    assert_eq!(
        strip_site("Rain again | The Daily", "The Daily"),
        "Rain again"
    );
    assert_eq!(
        strip_site("Rain again - the daily", "The Daily"),
        "Rain again"
    );
    assert_eq!(
        strip_site("The Daily: Rain again", "The Daily"),
        "The Daily: Rain again"
    );
    assert_eq!(
        strip_site("The Daily | Rain again", "The Daily"),
        "Rain again"
    );
    assert_eq!(strip_site("The Daily", "The Daily"), "The Daily");
    assert_eq!(strip_site(" - The Daily", "The Daily"), " - The Daily");
    // Only a whole site name after a separator.
    assert_eq!(
        strip_site("Why Daily matters", "Daily"),
        "Why Daily matters"
    );
    assert_eq!(
        strip_site("阿里巴巴证实_联合早报", "联合早报"),
        "阿里巴巴证实"
    );
    assert_eq!(
        strip_site("阿里巴巴证实｜联合早报", "联合早报"),
        "阿里巴巴证实"
    );
    // A cut inside a character is no match.
    assert_eq!(strip_site("é", "\u{301}"), "é");
    let html = doc(
        r#"<title>Rain again – The Daily</title><meta property="og:site_name" content="The Daily">"#,
        "",
    );
    assert_eq!(read_doc(&html).title.as_deref(), Some("Rain again"));
}

#[test]
fn cjk_values() {
    let html = format!(
        "<html lang=\"zh-CN\"><head><title>  阿里巴巴证实\u{3000}旗下应用\n将启用微信支付_联合早报</title>{}</head></html>",
        ld(r#"{"@type":"NewsArticle","author":{"@type":"Person","name":"王 小明"},"publisher":{"name":"联合早报"}}"#)
    );
    let m = read_doc(&html);
    assert_eq!(
        m.title.as_deref(),
        Some("阿里巴巴证实 旗下应用 将启用微信支付")
    );
    assert_eq!(m.byline.as_deref(), Some("王 小明"));
    assert_eq!(m.site.as_deref(), Some("联合早报"));
    assert_eq!(m.lang.as_deref(), Some("zh-CN"));
}

#[test]
fn lang_from_html_then_locale() {
    let html = r#"<html><head><meta property="og:locale" content="en_GB"></head></html>"#;
    assert_eq!(read_doc(html).lang.as_deref(), Some("en-GB"));
    let html = r#"<html lang="fr"><head><meta property="og:locale" content="en_GB"></head></html>"#;
    assert_eq!(read_doc(html).lang.as_deref(), Some("fr"));
}

#[test]
fn microdata_of_the_article_only() {
    let html = doc(
        r#"<meta itemprop="datePublished" content="2019-09-09">"#,
        r#"<article itemscope itemtype="https://schema.org/NewsArticle">
          <h1 itemprop="headline">Micro <i>title</i></h1>
          <span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="/ann"><span itemprop="name">Ann Lee</span></a></span>
          <img itemprop="image" src="https://a.com/m.jpg">
          <div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Troll</span></div>
        </article>"#,
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("Micro title"));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee"));
    assert_eq!(m.date.as_deref(), Some("2019-09-09"));
    assert_eq!(m.image.as_deref(), Some("https://a.com/m.jpg"));
    // Outside an article, a loose itemprop on a span says nothing.
    let m = read_doc(&doc("", r#"<span itemprop="headline">Loose</span>"#));
    assert_eq!(m.title, None);
}

#[test]
fn rel_author_link() {
    let m = read_doc(&doc(
        "",
        r#"<p>By <a rel="author" href="/ann">Ann  Lee</a></p>"#,
    ));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee"));
}

#[test]
fn fragment_has_only_what_it_holds() {
    let m = read(
        &Dom::parse_fragment("<p>Just text <b>here</b></p>"),
        None,
        None,
    );
    assert_eq!(m, Metadata::default());
    let m = read(
        &Dom::parse_fragment(r#"<meta name="author" content="Ann"><p>x</p>"#),
        None,
        None,
    );
    assert_eq!(m.byline.as_deref(), Some("Ann"));
}

#[test]
fn the_first_title_element_only_and_not_svg() {
    let html = doc(
        "<title>Real</title>",
        "<svg><title>Icon</title></svg><title>Second</title>",
    );
    assert_eq!(read_doc(&html).title.as_deref(), Some("Real"));
    let html = doc("", "<svg><title>Icon</title></svg>");
    assert_eq!(read_doc(&html).title, None);
}

#[test]
fn front_matter_fields() {
    let fm = "---\nlayout: post\ntitle: \"阿里巴巴证实: 旗下应用\"\ndate: 2021-09-28T05:34:24.021Z\nauthor: 联合早报\nfrom: https://www.zaobao.com/story\ntags: [ 联合早报 ]\n---\n";
    let m = from_front_matter(fm);
    assert_eq!(m.title.as_deref(), Some("阿里巴巴证实: 旗下应用"));
    assert_eq!(m.date.as_deref(), Some("2021-09-28T05:34:24.021Z"));
    assert_eq!(m.byline.as_deref(), Some("联合早报"));
    assert_eq!(m.url.as_deref(), Some("https://www.zaobao.com/story"));
    assert_eq!(m.site, None);

    let fm = "---\ntitle: 'It''s here' # note\nauthors:\n  - Ann Lee\n  - name: Bo Chen\ndescription: >-\n  Folded\n  lines\nimage: /rel.png\nlang: en_US\n---\n";
    let m = from_front_matter(fm);
    assert_eq!(m.title.as_deref(), Some("It's here"));
    assert_eq!(m.byline.as_deref(), Some("Ann Lee, Bo Chen"));
    assert_eq!(m.description.as_deref(), Some("Folded lines"));
    assert_eq!(m.image, None);
    assert_eq!(m.lang.as_deref(), Some("en-US"));

    let m = from_front_matter("---\nauthor:\n  name: Cy Dee\ndate: [\n---\n");
    assert_eq!(m.byline.as_deref(), Some("Cy Dee"));
}

#[test]
fn parsely_page_json() {
    let html = doc(
        r#"<meta name="parsely-page" content='{"title":"P","author":"Dan Goodin","pub_date":"2015-04-16T20:02:01Z","image_url":"https:\/\/a.com\/p.jpg"}'>
        <meta name="parsely-page" content="{not json">"#,
        "",
    );
    let m = read_doc(&html);
    assert_eq!(m.title.as_deref(), Some("P"));
    assert_eq!(m.byline.as_deref(), Some("Dan Goodin"));
    assert_eq!(m.date.as_deref(), Some("2015-04-16T20:02:01Z"));
    assert_eq!(m.image.as_deref(), Some("https://a.com/p.jpg"));
}

#[test]
fn time_elements_as_a_last_resort() {
    let body = r#"<nav><time datetime="2000-01-01">today</time></nav>
        <article><time datetime="2015-04-16T20:02:01+00:00">April 16</time><time datetime="2016">later</time></article>"#;
    assert_eq!(
        read_doc(&doc("", body)).date.as_deref(),
        Some("2015-04-16T20:02:01+00:00")
    );
    let body = r#"<time pubdate datetime="2011-11-11">x</time>"#;
    assert_eq!(read_doc(&doc("", body)).date.as_deref(), Some("2011-11-11"));
    let head = r#"<meta property="article:published_time" content="2020-02-20">"#;
    assert_eq!(
        read_doc(&doc(head, body)).date.as_deref(),
        Some("2020-02-20")
    );
}

#[test]
fn microdata_link_text_is_the_title() {
    let html = doc(
        "<title>Post | Blog | Ann</title>",
        r#"<article itemscope itemtype="http://schema.org/BlogPosting"><link itemprop="url" href="/p/">
        <h2><a itemprop="name" href="/p/">Post title</a></h2></article>"#,
    );
    assert_eq!(read_doc(&html).title.as_deref(), Some("Post title"));
}

#[test]
fn title_without_the_author_name() {
    let html = doc(
        r#"<meta property="og:title" content="Whales | Eleanor Roy"><meta name="author" content="Eleanor Roy">"#,
        "",
    );
    assert_eq!(read_doc(&html).title.as_deref(), Some("Whales"));
}
