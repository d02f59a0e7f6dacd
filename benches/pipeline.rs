//! Bytes per second of the whole pipeline by output format, of its stages,
//! and of `ammonia::clean` alone on the same pages (the floor the pipeline
//! is measured against).
//!
//! `cargo bench --bench pipeline`; `-- pipeline/text` for one series. Pages
//! are `benches/data/*.html`. The stages are not public, so each is the
//! difference of two jobs of the public API:
//!
//! - `stage/parse`: a cleaner without rules that outputs nothing (its report
//!   alone): decoding nothing, a parse into our tree and an empty pass.
//! - `stage/rules`: the built-in rules, still without output; less
//!   `stage/parse`, the rule passes.
//! - `pipeline/html`, less `stage/rules`: serialize, tidy and sanitize.
//! - `pipeline/text` and `pipeline/markdown`, less `pipeline/html`: the
//!   parse of the sanitized output and the renderer.
//!
//! Wall time on a shared machine drifts; `benches/callgrind.sh` gives the
//! same split in instructions, deterministically.

use articlean::{Cleaner, Rules};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;
use common::pages;

fn cleaner(format: &str) -> Cleaner {
    Cleaner::builder()
        .html(format == "html")
        .text(format == "text")
        .markdown(format == "markdown")
        .build()
        .expect("valid settings")
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    for format in ["html", "text", "markdown"] {
        let cleaner = cleaner(format);
        for (name, page) in pages() {
            group.throughput(Throughput::Bytes(page.len() as u64));
            group.bench_with_input(BenchmarkId::new(format, &name), &page, |b, p| {
                b.iter(|| cleaner.clean(p))
            });
        }
    }
    group.finish();
}

fn stages(c: &mut Criterion) {
    let parse = Cleaner::builder()
        .rules(Rules::default())
        .html(false)
        .build()
        .expect("valid settings");
    let rules = Cleaner::builder()
        .html(false)
        .build()
        .expect("valid settings");
    let mut group = c.benchmark_group("stage");
    for (name, page) in pages() {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", &name), &page, |b, p| {
            b.iter(|| parse.clean(p))
        });
        group.bench_with_input(BenchmarkId::new("rules", &name), &page, |b, p| {
            b.iter(|| rules.clean(p))
        });
    }
    group.finish();
}

fn ammonia_alone(c: &mut Criterion) {
    let mut group = c.benchmark_group("ammonia");
    for (name, page) in pages() {
        group.throughput(Throughput::Bytes(page.len() as u64));
        group.bench_with_input(BenchmarkId::new("clean", &name), &page, |b, p| {
            b.iter(|| ammonia::clean(p))
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline, stages, ammonia_alone);
criterion_main!(benches);
