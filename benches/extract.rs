//! What article extraction costs, per page: the whole pipeline with and
//! without `extract(true)`, beside `ammonia::clean` alone (the yardstick:
//! extraction should add at most 0.3 of it).
//!
//! `cargo bench --bench extract` runs criterion. For instruction counts,
//! run one mode once over every page under callgrind:
//!
//! ```sh
//! cargo bench --no-run --bench extract
//! EXTRACT_BENCH_ONCE=without valgrind --tool=callgrind target/release/deps/extract-* --bench
//! EXTRACT_BENCH_ONCE=with    valgrind --tool=callgrind target/release/deps/extract-* --bench
//! EXTRACT_BENCH_ONCE=ammonia valgrind --tool=callgrind target/release/deps/extract-* --bench
//! ```
//!
//! Pages are `benches/data/*.html`.

use articlean::Cleaner;
use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

mod common;
use common::pages;

fn cleaners() -> (Cleaner, Cleaner) {
    let without = Cleaner::new();
    let with = Cleaner::builder()
        .extract(true)
        .build()
        .expect("valid settings");
    (without, with)
}

fn bench(c: &mut Criterion) {
    let (without, with) = cleaners();
    let mut g = c.benchmark_group("extract");
    for (name, html) in pages() {
        g.throughput(Throughput::Bytes(html.len() as u64));
        g.bench_with_input(BenchmarkId::new("without", &name), &html, |b, h| {
            b.iter(|| without.clean(h))
        });
        g.bench_with_input(BenchmarkId::new("with", &name), &html, |b, h| {
            b.iter(|| with.clean(h))
        });
        g.bench_with_input(BenchmarkId::new("ammonia", &name), &html, |b, h| {
            b.iter(|| ammonia::clean(h))
        });
    }
    g.finish();
}

/// One pass of one mode over every page, for callgrind.
fn once(mode: &str) {
    let (without, with) = cleaners();
    let mut bytes = 0;
    for (_, html) in pages() {
        bytes += match mode {
            "without" => without.clean(&html).html().len(),
            "with" => with.clean(&html).html().len(),
            "ammonia" => ammonia::clean(&html).len(),
            other => panic!("EXTRACT_BENCH_ONCE is without, with or ammonia, not {other:?}"),
        };
    }
    println!("{mode}: {bytes} bytes out");
}

criterion_group!(benches, bench);

fn main() {
    match std::env::var("EXTRACT_BENCH_ONCE") {
        Ok(mode) => once(&mode),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
