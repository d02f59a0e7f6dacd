//! What the benchmarks share: the real pages of `benches/data/`.

/// Each page of `benches/data/*.html` as (file stem, text), by name.
pub fn pages() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data");
    let mut pages: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("benches/data exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "html").then(|| {
                let name = p.file_stem().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).expect("UTF-8 page"))
            })
        })
        .collect();
    pages.sort();
    pages
}
