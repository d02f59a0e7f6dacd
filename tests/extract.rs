//! Properties of article extraction (`extract(true)`), on generated whole
//! pages (navigation, an article in blocks, sidebars, comments, teasers,
//! CJK text): it never panics, its output is safe, and its words are a
//! subset of the words of the page cleaned without extraction (it only
//! removes). Runs `PROPTEST_CASES` cases (256 by default).

use std::collections::HashSet;

use articlean::Cleaner;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

#[path = "support/mod.rs"]
mod support;

/// A sentence of English or CJK words, with commas sometimes.
fn sentence() -> impl Strategy<Value = String> {
    let word = prop::sample::select(
        &[
            "the",
            "council",
            "river",
            "said",
            "bridge",
            "on",
            "Tuesday",
            "engineers",
            "market",
            "school",
            "rain",
            "report",
            "新加坡",
            "记者",
            "报道",
            "東京",
            "日本語",
            "旅館",
            "&amp;",
            "2024",
            "",
        ][..],
    );
    (prop::collection::vec(word, 2..30), any::<bool>()).prop_map(|(w, comma)| {
        let mut s = w.join(" ");
        if comma {
            s.push_str(", and more");
        }
        s.push('.');
        s
    })
}

/// One block of a page, of the kinds extraction must tell apart.
fn block() -> impl Strategy<Value = String> {
    let class = prop::sample::select(
        &[
            "article-body",
            "entry-content",
            "sidebar",
            "comments",
            "related",
            "share",
            "gallery",
            "teaser",
            "story",
            "x",
            "main",
            "footer",
        ][..],
    );
    let tag = prop::sample::select(
        &[
            "div", "section", "article", "aside", "main", "nav", "footer",
        ][..],
    );
    let inner = prop_oneof![
        4 => sentence().prop_map(|s| format!("<p>{s}</p>")),
        1 => sentence().prop_map(|s| format!("<h2>{s}</h2>")),
        1 => sentence().prop_map(|s| format!("<ul><li><a href=\"/a\">{s}</a></li><li><a href=\"/b\">{s}</a></li></ul>")),
        1 => Just("<figure><img src=\"https://img.example/a.jpg\" alt=\"a\"><figcaption>A caption here.</figcaption></figure>".to_string()),
        1 => sentence().prop_map(|s| format!("<blockquote><p>{s}</p></blockquote>")),
        1 => sentence().prop_map(|s| format!("<div class=\"comment\"><p>{s}</p></div>")),
        1 => sentence().prop_map(|s| format!("<p><a href=\"/x\">{s}</a> {s}</p>")),
    ];
    (tag, class, prop::collection::vec(inner, 0..8))
        .prop_map(|(t, c, inner)| format!("<{t} class=\"{c}\">{}</{t}>", inner.concat()))
}

/// A whole page: a head with a title, then blocks, some nested.
fn page() -> impl Strategy<Value = String> {
    let body = block().prop_recursive(3, 24, 4, |inner| {
        (
            prop::collection::vec(inner, 1..4),
            prop::sample::select(&["div", "section", "main"][..]),
        )
            .prop_map(|(v, t)| format!("<{t}>{}</{t}>", v.concat()))
    });
    (sentence(), any::<bool>(), prop::collection::vec(body, 1..6)).prop_map(|(title, h1, blocks)| {
        let heading = if h1 { format!("<h1>{title}</h1>") } else { String::new() };
        format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head><body>{heading}{}</body></html>",
            blocks.concat()
        )
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

#[test]
fn extraction_only_removes_words_and_stays_safe() {
    let plain = Cleaner::builder().text(true).build().unwrap();
    let extract = Cleaner::builder().text(true).extract(true).build().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&page(), |page| {
            let all = plain.clean(&page);
            let out = extract.clean(&page);
            support::check_safe_html(out.html()).map_err(TestCaseError::fail)?;
            let known: HashSet<String> = support::words(all.text()).into_iter().collect();
            for w in support::words(out.text()) {
                prop_assert!(
                    known.contains(&w),
                    "extracted word {w:?} is not in the page's cleaned text\npage: {page}\nextracted: {}",
                    out.text()
                );
            }
            // A page with prose never comes out empty.
            if !all.text().trim().is_empty() {
                prop_assert!(!out.text().trim().is_empty() || !out.html().trim().is_empty());
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn extraction_never_panics_on_odd_documents() {
    let extract = Cleaner::builder()
        .text(true)
        .markdown(true)
        .extract(true)
        .build()
        .unwrap();
    for doc in [
        "<!DOCTYPE html>",
        "<html></html>",
        "<html><body></body></html>",
        "<!DOCTYPE html><p>one short line</p>",
        "<html><head><title>x</title></head><body><h1>x</h1></body></html>",
        &format!("<!DOCTYPE html>{}x", "<div>".repeat(5_000)),
        &format!(
            "<!DOCTYPE html>{}",
            "<p>word, word, word, word, word, word.</p>".repeat(2_000)
        ),
    ] {
        let out = extract.clean(doc);
        support::check_safe_html(out.html()).unwrap();
    }
}

#[test]
fn a_bad_article_selector_fails_build() {
    let err = Cleaner::builder()
        .extract_selector("div::before")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), articlean::ErrorKind::Config);
    assert!(
        err.to_string()
            .starts_with("article selector \"div::before\""),
        "{err}"
    );
}
