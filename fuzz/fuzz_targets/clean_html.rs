//! Any bytes, decoded as the `clean` binary decodes them (lossily): cleaning
//! never panics, the HTML passes the shared safety checker, and cleaning
//! the output again gives it back.
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
            .lossy(true)
            .build()
            .expect("valid settings")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(out) = cleaner().clean_bytes(data) else {
        return; // binary or malformed input: an error, not a panic
    };
    let html = out.html();
    if let Err(why) = support::check_safe_html(html) {
        panic!("unsafe output: {why}\n{html}");
    }
    let again = cleaner().clean(html);
    assert_eq!(again.html(), html, "cleaning the output changed it");
});
