//! Any text, cleaned to plain text: cleaning never panics, the text holds
//! only words of the input, and the text of the cleaned HTML is the same
//! text.
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
            .input(InputKind::Html)
            .html(true)
            .text(true)
            .build()
            .expect("valid settings")
    })
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let out = cleaner().clean(&input);
    let text = out.text();
    if let Err(why) = support::check_words_from(text, &input) {
        panic!("{why}\ntext: {text}");
    }
    let html = out.html();
    let again = cleaner().clean(html);
    assert_eq!(again.text(), text, "the HTML output says something else");
});
