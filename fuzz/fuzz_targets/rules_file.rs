//! Any bytes as a rules file: loading never panics; rules that load, added
//! to the built-in ones, clean a small article without panicking and
//! without unsafe output, whatever they select and set.
#![no_main]

use articlean::{Cleaner, Rules};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/mod.rs"]
mod support;

const ARTICLE: &str = r#"<article class="story"><h1 id="t">Title</h1>
<p>First <a href="https://example.com/a?utm_source=x&id=1" class="more">link</a>
<img class="lazyload" src="/blank.gif" data-src="/real.jpg" alt="photo"></p>
<div id="div-gpt-ad-1" class="adsbygoogle" data-ad-slot="1">Advertisement</div>
<p style="display:none">hidden</p><noscript><img src="/n.jpg"></noscript>
<script>alert(1)</script><!-- comment --><blockquote cite="/q">Quote</blockquote>
<ul><li>one</li><li>two <span onclick="alert(2)">x</span></li></ul></article>"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = Rules::from_toml(text) else {
        return; // a bad rules file is an error, not a panic
    };
    let Ok(cleaner) = Cleaner::builder().add_rules(rules).text(true).build() else {
        return;
    };
    let out = cleaner.clean(ARTICLE);
    let html = out.html();
    if let Err(why) = support::check_safe_html(html) {
        panic!("unsafe output with these rules: {why}\n{html}");
    }
});
