//! Hostile sizes and shapes: each is cleaned to HTML and text without a
//! stack overflow (tests run on 2 MB thread stacks) or a panic, and the
//! result is checked for correctness. No test here measures time: the
//! `pathological` benchmark group shows how time grows
//! (`cargo bench --bench pathological`).
//!
//! The biggest inputs take minutes in a debug build, which makes `cargo
//! test` look hung; they are `#[ignore]`d, and CI runs them in release
//! mode (`.ci/run`): `cargo test --release --test pathological --
//! --ignored`.

use articlean::{Cleaner, InputKind};

#[path = "support/mod.rs"]
mod support;

fn both(input: &str) -> (String, String) {
    let cleaner = Cleaner::builder().text(true).build().unwrap();
    let out = cleaner.clean(input);
    (out.html().to_string(), out.into_text())
}

#[test]
fn nesting_a_hundred_thousand_deep() {
    let n = 100_000;
    let input = format!(
        "{}deep<p>after</p>{}<p>end</p>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let (html, text) = both(&input);
    // Past 512 levels the `<p>` is dropped; a line break parts its text.
    assert_eq!(text, "deep\nafter\n\nend\n");
    assert!(
        html.contains("deep") && html.ends_with("<p>end</p>\n"),
        "{}",
        &html[html.len() - 200..]
    );
    // The depth guard keeps 512 levels; ammonia's output nests no deeper.
    assert!(html.matches("<div>").count() <= 512);
}

#[test]
fn a_hundred_thousand_attributes_on_one_element() {
    let attrs: String = (0..100_000).map(|i| format!(" data-a{i}=\"v\"")).collect();
    let input = format!("<p title=\"t\"{attrs} lang=\"en\">text</p>");
    let (html, text) = both(&input);
    // The attributes past the 256th are never read, `lang` among them.
    assert_eq!(html, "<p title=\"t\">text</p>\n");
    assert_eq!(text, "text\n");
}

fn a_long_attribute_value(megabytes: usize) {
    let plain = "a".repeat(megabytes * 1_000_000);
    let (html, _) = both(&format!("<img src=\"/a.png\" alt=\"{plain}\">"));
    assert_eq!(
        html,
        format!("<img src=\"/a.png\" alt=\"{plain}\" referrerpolicy=\"no-referrer\">\n")
    );
    // A value made of `&` would take html5ever's serializer hours: dropped.
    let amps = "&amp;".repeat(megabytes * 200_000);
    let (html, _) = both(&format!("<img src=\"/a.png\" alt=\"{amps}\">"));
    assert_eq!(
        html,
        "<img src=\"/a.png\" referrerpolicy=\"no-referrer\">\n"
    );
}

#[test]
fn a_one_megabyte_attribute_value() {
    a_long_attribute_value(1);
}

#[test]
#[ignore = "10 MB; run by .ci/run in release mode: cargo test --release --test pathological -- --ignored"]
fn a_ten_megabyte_attribute_value() {
    a_long_attribute_value(10);
}

fn siblings(n: usize) {
    let input = "<p>x</p>".repeat(n);
    let (html, text) = both(&input);
    assert_eq!(html, input + "\n");
    assert_eq!(text.matches('x').count(), n);
}

#[test]
fn fifty_thousand_siblings() {
    siblings(50_000);
}

#[test]
#[ignore = "slow in a debug build; run by .ci/run in release mode: cargo test --release --test pathological -- --ignored"]
fn a_million_siblings() {
    siblings(1_000_000);
}

#[test]
#[ignore = "50 MB; run by .ci/run in release mode: cargo test --release --test pathological -- --ignored"]
fn a_fifty_megabyte_document() {
    const PIECE: &str = "<div class=\"story\"><p>Some text with <a href=\"https://example.com/a?utm_source=x&amp;id=1\">a link</a>.</p>\
        <div id=\"div-gpt-ad-1-0\"></div><img class=\"lazyload\" src=\"/blank.gif\" data-src=\"/photo.jpg\" alt=\"\">\
        <script>track()</script></div>\n";
    let n = 50_000_000 / PIECE.len() + 1;
    let input = PIECE.repeat(n);
    assert!(input.len() >= 50_000_000);
    let (html, text) = both(&input);
    let one = articlean::clean(PIECE);
    assert_eq!(
        one,
        "<div><p>Some text with <a href=\"https://example.com/a?id=1\" rel=\"noopener noreferrer\">a link</a>.</p>\
         <img src=\"/photo.jpg\" alt=\"\" referrerpolicy=\"no-referrer\"></div>\n"
    );
    assert_eq!(html, one.repeat(n));
    assert_eq!(text.matches("Some text with a link.").count(), n);
    support::check_safe_html(&html[..100_000]).unwrap();
}

#[test]
fn front_matter_that_never_closes() {
    let input = format!(
        "---\ntitle: x\n{}<p>body</p>",
        "key: value\n".repeat(200_000)
    );
    // Without a closing line it is not a post: HTML, its text kept.
    let (html, text) = both(&input);
    assert!(html.starts_with("---\ntitle: x\nkey: value\n"));
    assert!(html.ends_with("<p>body</p>\n"));
    assert_eq!(text.matches("key: value").count(), 200_000);
    // Read as a post all the same, it is all body.
    let cleaner = Cleaner::builder()
        .input(InputKind::Markdown)
        .build()
        .unwrap();
    let out = cleaner.clean(&input);
    let post = out.html();
    assert!(post.ends_with("<p>body</p>\n"));
    support::check_safe_markdown(post).unwrap();
}
