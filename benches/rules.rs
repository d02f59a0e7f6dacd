//! What the rule passes cost, per page: parsing alone (no rules), the
//! built-in rules, and the built-in rules plus 5,000 generated filter-list
//! style selector rules. The rule hash should make the last cost little more
//! than the second. Also: building a cleaner. The whole pipeline by format
//! is `benches/pipeline.rs`.
//!
//! `cargo bench --bench rules`; pages are `benches/data/*.html` (real pages
//! from the shared development corpus).

use std::fmt::Write as _;

use articlean::{Cleaner, Rules};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;
use common::pages;

/// `n` rules shaped like the generic part of a filter list: class and id
/// names, compound and child selectors, id prefixes, link substrings.
fn generated_rules(n: usize) -> Rules {
    let mut toml = String::new();
    for i in 0..n {
        let select = match i % 20 {
            0..=7 => format!(".gen{i}-ad"),
            8..=13 => format!("#gen{i}-slot"),
            14..=16 => format!("div.gen{i}-box > .gen{i}-inner"),
            17 | 18 => format!("[id^='gen{i}-pre']"),
            _ => format!("a[href*='gen{i}.example']"),
        };
        let _ = writeln!(
            toml,
            "[[rule]]\nid = \"gen.r{i}\"\ndescription = \"generated\"\nselect = \"{select}\"\naction = \"remove\"\n"
        );
    }
    Rules::from_toml(&toml).expect("generated rules are valid")
}

fn passes(c: &mut Criterion) {
    let parse_only = Cleaner::builder()
        .rules(Rules::default())
        .html(false)
        .build()
        .unwrap();
    let builtin = Cleaner::builder().html(false).build().unwrap();
    let many = Cleaner::builder()
        .add_rules(generated_rules(5_000))
        .html(false)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("passes");
    for (name, html) in pages() {
        group.throughput(Throughput::Bytes(html.len() as u64));
        for (label, cleaner) in [
            ("parse_only", &parse_only),
            ("builtin", &builtin),
            ("builtin+5000", &many),
        ] {
            group.bench_with_input(BenchmarkId::new(label, &name), &html, |b, html| {
                b.iter(|| cleaner.clean(html))
            });
        }
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(20);
    group.bench_function("builtin", |b| b.iter(Cleaner::new));
    let toml_rules = generated_rules(5_000);
    group.bench_function("builtin+5000", |b| {
        b.iter(|| {
            Cleaner::builder()
                .add_rules(toml_rules.clone())
                .build()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, passes, build);
criterion_main!(benches);
