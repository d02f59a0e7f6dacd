//! Page metadata: the library's `Cleaned::metadata` on the seed post and
//! the benchmark pages, and `clean --format json` (batch and JSON lines).

use articlean::{Cleaner, Metadata};
use serde_json::{json, Value};

#[path = "support/bin.rs"]
mod bin;
use bin::{run, stderr, stdout};

const SEED: &str = "fixtures/seed-zaobao/input.md";

fn metadata_of(path: &str) -> Metadata {
    let cleaner = Cleaner::builder().metadata(true).build().unwrap();
    let bytes = std::fs::read(path).unwrap();
    cleaner.clean_bytes(&bytes).unwrap().metadata().clone()
}

#[test]
fn seed_post_metadata_from_its_front_matter() {
    let m = metadata_of(SEED);
    assert_eq!(
        m.title.as_deref(),
        Some("阿里巴巴证实 旗下应用将启用微信支付")
    );
    assert_eq!(m.date.as_deref(), Some("2021-09-28T05:34:24.021Z"));
    assert_eq!(m.byline.as_deref(), Some("联合早报"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.zaobao.com/realtime/china/story20210928-1198032")
    );
}

#[test]
fn benchmark_pages_metadata() {
    let m = metadata_of("benches/data/bbc.html");
    // og:title ends with " - BBC News", the site's name.
    assert_eq!(
        m.title.as_deref(),
        Some("Obama admits US gun laws are his 'biggest frustration'")
    );
    assert_eq!(m.site.as_deref(), Some("BBC News"));
    assert_eq!(m.lang.as_deref(), Some("en"));
    assert_eq!(m.date.as_deref(), Some("2015-07-24T05:36:09+01:00"));
    assert_eq!(
        m.url.as_deref(),
        Some("http://www.bbc.com/news/world-us-canada-33646704")
    );
    assert!(m.image.unwrap().starts_with("http://ichef.bbci.co.uk/"));

    let m = metadata_of("benches/data/lemonde.html");
    assert_eq!(m.lang.as_deref(), Some("fr"));
    assert_eq!(m.site.as_deref(), Some("Le Monde.fr"));
    assert_eq!(m.date.as_deref(), Some("2015-05-04T13:36:31+02:00"));
    assert!(m.byline.unwrap().starts_with("Martin Untersinger"));

    // A GB2312 page with little more than a title and a description.
    let m = metadata_of("benches/data/qq.html");
    assert!(m
        .title
        .unwrap()
        .starts_with("DeepMind新电脑已可利用记忆自学"));
    assert_eq!(
        m.description.as_deref(),
        Some("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶")
    );
    assert_eq!(m.byline, None);
}

#[test]
fn metadata_does_not_change_the_output() {
    let plain = Cleaner::new();
    let with = Cleaner::builder().metadata(true).build().unwrap();
    for path in [
        SEED,
        "benches/data/bbc.html",
        "fixtures/document-whole-page/input.html",
    ] {
        let bytes = std::fs::read(path).unwrap();
        let a = plain.clean_bytes(&bytes).unwrap();
        let b = with.clean_bytes(&bytes).unwrap();
        assert_eq!(a.html(), b.html(), "{path}");
        assert_eq!(a.report(), b.report(), "{path}");
    }
}

#[test]
#[should_panic(expected = "no metadata")]
fn metadata_must_be_asked_for() {
    let _ = Cleaner::new().clean("<p>x</p>").metadata();
}

#[test]
fn empty_input_has_empty_metadata() {
    let cleaner = Cleaner::builder().metadata(true).build().unwrap();
    assert_eq!(cleaner.clean("  ").metadata(), &Metadata::default());
}

#[test]
fn format_json_on_the_seed() {
    let o = run(&["--format", "json", SEED], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "url",
            "title",
            "byline",
            "date",
            "lang",
            "site",
            "image",
            "description",
            "html",
            "report"
        ]
    );
    assert_eq!(v["title"], "阿里巴巴证实 旗下应用将启用微信支付");
    assert_eq!(v["date"], "2021-09-28T05:34:24.021Z");
    assert_eq!(v["byline"], "联合早报");
    assert_eq!(v["site"], Value::Null);
    let expected = std::fs::read_to_string("fixtures/seed-zaobao/expected.html").unwrap();
    assert_eq!(v["html"], expected.as_str());
    assert!(v["report"]["changes"].as_array().is_some());
}

#[test]
fn format_json_body_in_text_or_markdown() {
    let page =
        b"<html lang=de><head><title>T</title></head><body><h1>Hallo</h1><p>Welt</p></body></html>";
    let o = run(&["--format", "json", "--json-body", "text", "-"], page);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["text"], "Hallo\n\nWelt\n");
    assert_eq!(v["lang"], "de");
    assert!(v.get("html").is_none());
    let o = run(&["--format", "json", "--json-body", "markdown", "-"], page);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["markdown"], "# Hallo\n\nWelt\n");
    // --json-body is for --format json only.
    let o = run(&["--json-body", "text", "-"], page);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "clean: --json-body needs --format json\n");
}

#[test]
fn format_json_several_documents_are_json_lines() {
    let o = run(
        &[
            "--format",
            "json",
            "-q",
            SEED,
            "benches/data/lemonde.html",
            "fixtures/xss-basic/input.html",
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\0'));
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[0]["byline"], "联合早报");
    assert_eq!(lines[1]["site"], "Le Monde.fr");
    assert!(lines[2]["html"].is_string());
}

#[test]
fn jsonl_with_format_json_adds_metadata_fields() {
    let html = r#"<html><head><title>Rain - The Daily</title><meta property="og:site_name" content="The Daily"><link rel="canonical" href="/rain"></head><body><p>It rained.</p></body></html>"#;
    let line = json!({"id": 7, "url": "https://daily.example/rain?utm_source=x", "html": html});
    let o = run(
        &["--jsonl", "--format", "json", "--json-body", "text"],
        format!("{line}\n").as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["id"], 7);
    // The input's own `url` is passed through as it was.
    assert_eq!(v["url"], "https://daily.example/rain?utm_source=x");
    assert_eq!(v["title"], "Rain");
    assert_eq!(v["site"], "The Daily");
    assert_eq!(v["byline"], Value::Null);
    assert_eq!(v["text"], "It rained.\n");
    assert!(v["report"].is_object());
    // Without --format json, a line has no metadata.
    let o = run(&["--jsonl"], format!("{line}\n").as_bytes());
    let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert!(v.get("title").is_none());
}

#[test]
fn format_json_never_replaces_a_page_in_place() {
    let dir = std::env::temp_dir().join(format!("articlean-json-in-place-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("page.html");
    std::fs::write(&page, "<p>The page itself.</p>").unwrap();
    let o = run(
        &["--in-place", "--format", "json", page.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--in-place"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "<p>The page itself.</p>"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
