//! What filter lists cost: compiling EasyList + EasyPrivacy into a cleaner,
//! loading a cleaner from a filter cache, and cleaning each page of
//! `benches/data/` with the built-in rules alone and with both lists (the
//! target is at most 1.25 times the cost per page).
//!
//! The lists are not in the repository: `ARTICLEAN_LISTS` names a folder
//! with `easylist.txt` and `easyprivacy.txt` (by default the shared
//! evaluation's `/work/shared/eval/lists`); without them the bench does
//! nothing. `cargo bench --bench filter_lists`.

use std::path::PathBuf;

use articlean::Cleaner;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn lists() -> Option<Vec<(String, String)>> {
    let dir = PathBuf::from(
        std::env::var("ARTICLEAN_LISTS").unwrap_or_else(|_| "/work/shared/eval/lists".into()),
    );
    ["easylist.txt", "easyprivacy.txt"]
        .iter()
        .map(|n| Some((n.to_string(), std::fs::read_to_string(dir.join(n)).ok()?)))
        .collect()
}

mod common;
use common::pages;

fn with_lists(lists: &[(String, String)]) -> articlean::CleanerBuilder {
    let mut b = Cleaner::builder();
    for (name, text) in lists {
        b = b.add_filter_list(name.clone(), text.clone());
    }
    b
}

fn build(c: &mut Criterion) {
    let Some(lists) = lists() else {
        eprintln!("filter_lists: no lists (set ARTICLEAN_LISTS); skipped");
        return;
    };
    let cache = std::env::temp_dir().join(format!("articlean-bench-{}.cache", std::process::id()));
    with_lists(&lists).filter_cache(&cache).build().unwrap();
    let mut group = c.benchmark_group("filter_lists_build");
    group.sample_size(10);
    group.bench_function("compile", |b| {
        b.iter(|| with_lists(&lists).build().unwrap())
    });
    group.bench_function("from_cache", |b| {
        b.iter(|| with_lists(&lists).filter_cache(&cache).build().unwrap())
    });
    group.finish();
    let _ = std::fs::remove_file(cache);
}

fn per_page(c: &mut Criterion) {
    let Some(lists) = lists() else {
        return;
    };
    let without = Cleaner::builder().build().unwrap();
    let with = with_lists(&lists).build().unwrap();
    let mut group = c.benchmark_group("filter_lists_page");
    for (name, html) in pages() {
        group.throughput(Throughput::Bytes(html.len() as u64));
        for (label, cleaner) in [("builtin", &without), ("builtin+lists", &with)] {
            group.bench_with_input(BenchmarkId::new(label, &name), &html, |b, html| {
                b.iter(|| cleaner.clean(html))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, build, per_page);
criterion_main!(benches);
