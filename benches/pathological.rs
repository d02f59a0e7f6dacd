//! The `pathological` group: inputs built to make a parser or a sanitizer
//! slow, at growing sizes, so that anything worse than linear shows as a
//! curve (as pulldown-cmark's benches do). Throughput is in bytes of input.
//!
//! `cargo bench --bench pathological` runs them all; `-- pathological/attrs`
//! one series. `tests/pathological.rs` checks the same inputs for
//! correctness; no test measures time.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// `<div>` nested `n` deep around a word: html5ever's tree builder is
/// quadratic in depth without the depth guard.
fn deep(n: usize) -> String {
    format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n))
}

/// One `<p>` with `n` attributes: html5ever's tokenizer is quadratic in
/// attributes per tag without the attribute cap.
fn attrs(n: usize) -> String {
    let a: String = (0..n).map(|i| format!(" data-a{i}=\"v\"")).collect();
    format!("<p{a}>text</p>")
}

/// `n` sibling paragraphs.
fn siblings(n: usize) -> String {
    "<p>x</p>".repeat(n)
}

/// One image whose `alt` is `n` bytes of `&amp;`: html5ever's serializer is
/// quadratic in such values without the cost check.
fn attr_value(n: usize) -> String {
    format!("<img src=\"/a.png\" alt=\"{}\">", "&amp;".repeat(n / 5))
}

/// A text of `n` bytes of `&x`: html5ever's serializer is quadratic in such
/// text nodes without the split.
fn ampersands(n: usize) -> String {
    format!("<p>{}</p>", "&amp;x".repeat(n / 6))
}

/// A realistic article (an ad slot, a lazy image, links with tracking
/// parameters, a script) repeated to `n` bytes.
fn document(n: usize) -> String {
    const PIECE: &str = r#"<div class="story"><h2>Heading</h2><p>Some text with <a href="https://example.com/a?utm_source=x&id=1">a link</a> and <b>bold</b> words.</p>
<div id="div-gpt-ad-1-0" class="adsbygoogle"></div><figure><img class="lazyload" src="/blank.gif" data-src="/photo.jpg" alt="A photo"><figcaption>Caption</figcaption></figure>
<script>track()</script><ul><li>one</li><li>two</li></ul></div>
"#;
    PIECE.repeat(n / PIECE.len() + 1)
}

/// A Markdown post whose front matter never closes: detected as HTML, read
/// as one long text.
fn open_front_matter(n: usize) -> String {
    format!("---\ntitle: x\n{}", "key: value\n".repeat(n / 11))
}

fn pathological(c: &mut Criterion) {
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    type Gen = fn(usize) -> String;
    let series: &[(&str, Gen, &[usize])] = &[
        ("depth", deep, &[1_000, 10_000, 40_000, 100_000]),
        ("attrs", attrs, &[1_000, 10_000, 50_000, 100_000]),
        ("siblings", siblings, &[10_000, 100_000, 1_000_000]),
        (
            "attr_value_bytes",
            attr_value,
            &[100_000, 1_000_000, 10_000_000],
        ),
        (
            "ampersand_text_bytes",
            ampersands,
            &[100_000, 1_000_000, 4_000_000],
        ),
        (
            "document_bytes",
            document,
            &[1_000_000, 10_000_000, 50_000_000],
        ),
        (
            "open_front_matter_bytes",
            open_front_matter,
            &[100_000, 1_000_000, 10_000_000],
        ),
    ];
    for (name, make, sizes) in series {
        for &n in *sizes {
            let input = make(n);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_with_input(BenchmarkId::new(*name, n), &input, |b, input| {
                b.iter(|| articlean::clean(input))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, pathological);
criterion_main!(benches);
