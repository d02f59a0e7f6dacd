//! Any text as the body of a Markdown post: cleaning never panics, the post
//! as a CommonMark renderer shows it passes the shared safety checker, and
//! its text holds only words of the rendered input.
#![no_main]

use std::sync::OnceLock;

use articlean::{Cleaner, InputKind};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/mod.rs"]
mod support;

fn cleaner() -> &'static Cleaner {
    static C: OnceLock<Cleaner> = OnceLock::new();
    C.get_or_init(|| {
        Cleaner::builder()
            .input(InputKind::Markdown)
            .text(true)
            .build()
            .expect("valid settings")
    })
}

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let post = format!("---\ntitle: fuzz\n---\n{body}");
    let out = cleaner().clean(&post);
    let cleaned = out.html();
    if let Err(why) = support::check_safe_markdown(cleaned) {
        panic!("unsafe post: {why}\n{cleaned}");
    }
    let text = out.text();
    if let Err(why) = support::check_words_from(text, &support::render_markdown(&post)) {
        panic!("{why}\ntext: {text}");
    }
    let again = cleaner().clean(cleaned);
    assert_eq!(again.html(), cleaned, "cleaning the post again changed it");
});
