//! The library's public face: one-call functions, the builder, reports, errors.

use articlean::{Action, Cleaner, ErrorKind, Rules};

#[test]
fn cleaner_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Cleaner>();
    let cleaner = Cleaner::builder().text(true).build().unwrap();
    std::thread::scope(|s| {
        for i in 0..4 {
            let c = &cleaner;
            s.spawn(move || {
                let out = c.clean(&format!("<p>n{i}</p><div id=\"div-gpt-ad-{i}\"></div>"));
                assert_eq!(out.html(), format!("<p>n{i}</p>\n").as_str());
                assert_eq!(out.text(), format!("n{i}\n").as_str());
            });
        }
    });
}

#[test]
fn bad_bytes_are_errors_not_panics() {
    let c = Cleaner::new();
    assert_eq!(
        c.clean_bytes(b"PK\x03\x04\x00\x00").unwrap_err().kind(),
        ErrorKind::Binary
    );
    let e = c
        .clean_bytes(b"<meta charset=utf-8><p>\xc3\xa9\xff</p>")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Encoding);
    // The library says what is wrong; which option of the binary helps is
    // the binary's to say.
    assert!(!e.to_string().contains("--"), "{e}");
    // Without a declaration, invalid UTF-8 is legacy text found by detection.
    assert!(c
        .clean_bytes(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>")
        .is_ok());
}

/// Scraps of markup clean to what a browser would show of them, never to
/// a panic or to markup they did not hold: a lone `<` is text, an
/// unclosed comment or CDATA section and a NUL are nothing. Each output is
/// also a fixed point.
#[test]
fn text_cleaning_never_fails_on_odd_input() {
    for (input, html, text) in [
        ("", "", ""),
        (" ", "", ""),
        ("<", "&lt;\n", "<\n"),
        ("</", "&lt;/\n", "</\n"),
        ("<!--", "", ""),
        ("<![CDATA[", "", ""),
        ("\u{0}", "", ""),
        ("<p>a\u{0}b</p>", "<p>ab</p>\n", "ab\n"),
        ("<p>\u{feff}", "<p>\u{feff}</p>\n", "\u{feff}\n"),
        ("---\n", "---\n", "---\n"),
        ("<svg><math>", "", ""),
    ] {
        let cleaned = articlean::clean(input);
        assert_eq!(cleaned, html, "clean({input:?})");
        assert_eq!(
            articlean::clean(&cleaned),
            cleaned,
            "clean(clean({input:?}))"
        );
        assert_eq!(
            articlean::clean_to_text(input),
            text,
            "clean_to_text({input:?})"
        );
    }
}

#[test]
fn report_names_every_removal() {
    let c = Cleaner::new();
    let out = c.clean(
        r#"<p>Text.</p><section><div id="dfp-ad-top"></div></section>
        <a href="https://subscribe.example.com/offer"><img src="/promo.png"></a>
        <img src="https://t.example.com/p.gif" width="1" height="1">"#,
    );
    let rules: Vec<(&str, Action)> = out
        .report()
        .changes()
        .iter()
        .map(|c| (c.rule.as_str(), c.action))
        .collect();
    assert_eq!(
        rules,
        [
            ("ads.slots", Action::Remove),
            ("subscribe.image-links", Action::Remove),
            ("tracking.pixels", Action::Remove),
            ("empty.containers", Action::DropEmpty),
        ]
    );
    assert_eq!(out.html(), "<p>Text.</p>\n");
}

#[test]
fn veto_keeps_the_article_and_says_so() {
    let rules = Rules::from_toml(
        "[[rule]]\nid = \"site.wrong\"\ndescription = \"x\"\nselect = \"article\"\naction = \"remove\"\n",
    )
    .unwrap();
    let c = Cleaner::builder().add_rules(rules).build().unwrap();
    let body = "<p>".to_string() + &"Words of the article. ".repeat(20) + "</p>";
    let out = c.clean(&format!("<article>{body}{body}</article>"));
    let change = &out.report().changes()[0];
    assert_eq!(change.rule, "site.wrong");
    assert!(change.vetoed);
    assert_eq!(out.report().removed_chars(), 0);
    assert!(out.html().contains("Words of the article."));
}

#[test]
fn strict_rules_are_not_vetoed() {
    let rules = Rules::from_toml(
        "[[rule]]\nid = \"site.gone\"\ndescription = \"x\"\nselect = \"article\"\naction = \"remove\"\nstrict = true\n",
    )
    .unwrap();
    let c = Cleaner::builder().add_rules(rules).build().unwrap();
    let out = c.clean("<article><p>All of it.</p></article>");
    assert_eq!(out.html(), "");
    assert!(!out.report().changes()[0].vetoed);
}

#[test]
fn builtin_rules_are_all_loaded_and_grouped() {
    let rules = Rules::builtin();
    for group in [
        "ads.",
        "tracking.",
        "subscribe.",
        "lazy.",
        "referrer.",
        "params.",
        "empty.",
        "comments.",
    ] {
        assert!(
            rules.iter().any(|r| r.id().starts_with(group)),
            "no {group} rule"
        );
    }
}

/// A cleaner kept for its report alone (no output) reports what one that
/// writes HTML does, the rounds after a veto included.
#[test]
fn a_report_only_cleaner_reports_what_an_html_cleaner_does() {
    let input = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/fuzz-6e387e42/input.html"
    ))
    .unwrap();
    let with_html = Cleaner::new().clean(&input);
    let report_only = Cleaner::builder()
        .html(false)
        .build()
        .unwrap()
        .clean(&input);
    let changes = |c: &articlean::Cleaned| {
        c.report()
            .changes()
            .iter()
            .map(|c| (c.rule.clone(), c.target.clone(), c.vetoed))
            .collect::<Vec<_>>()
    };
    assert_eq!(changes(&report_only), changes(&with_html));
    // The next round re-reads the cleaner's own output: what it undoes of
    // the sanitizer's work (the referrer policy set on images) is not news.
    let with_image = format!("{input}<p>A photo: <img src=\"https://x.com/a.jpg\" alt=\"a\"></p>");
    let out = Cleaner::new().clean(&with_image);
    assert!(out.html().contains("referrerpolicy=\"no-referrer\""));
    assert!(out
        .report()
        .changes()
        .iter()
        .all(|c| c.rule != "referrer.attributes"));
    // The veto stopped the rule once, and the next round removed the calls
    // to action one by one.
    assert!(changes(&with_html).iter().any(|c| c.2));
    assert!(changes(&with_html)
        .iter()
        .any(|c| !c.2 && c.0 == "subscribe.calls-to-action"));
}

/// A post's text settles as its HTML does: what a later round removes from
/// the HTML is not in the text either.
#[test]
fn a_post_text_says_what_its_html_keeps() {
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/fuzz-6e387e42/input.html"
    ))
    .unwrap();
    let post = format!("---\ntitle: A post\n---\n{body}");
    let out = Cleaner::builder().text(true).build().unwrap().clean(&post);
    assert!(!out.html().contains("Subscribe now"));
    let text = out.text();
    assert!(!text.contains("Subscribe now"), "{text}");
    assert!(
        text.contains("The mayor subscribes to three newspapers"),
        "{text}"
    );
}

#[test]
fn empty_and_whitespace_input_is_an_empty_document() {
    let cleaner = Cleaner::builder()
        .text(true)
        .markdown(true)
        .build()
        .unwrap();
    for input in ["", " ", "\n", " \n\t\r\n"] {
        assert_eq!(articlean::clean(input), "", "{input:?}");
        assert_eq!(articlean::clean_to_text(input), "", "{input:?}");
        let out = cleaner.clean_bytes(input.as_bytes()).unwrap();
        assert_eq!(out.html(), "", "{input:?}");
        assert_eq!(out.text(), "", "{input:?}");
        assert_eq!(out.markdown(), "", "{input:?}");
        assert!(out.report().changes().is_empty());
    }
}

#[test]
fn cleaned_has_what_was_asked_for_without_options() {
    let cleaner = Cleaner::builder()
        .text(true)
        .markdown(true)
        .build()
        .unwrap();
    let out = cleaner.clean("<h1>T</h1><p>x</p>");
    let html: &str = out.html();
    let text: &str = out.text();
    let markdown: &str = out.markdown();
    assert_eq!(
        (html, text, markdown),
        ("<h1>T</h1><p>x</p>\n", "T\n\nx\n", "# T\n\nx\n")
    );
    assert_eq!(out.into_markdown(), "# T\n\nx\n");
    // What was not asked for is a programming error that names the setter.
    let html_only = Cleaner::new().clean("<p>x</p>");
    let err = std::panic::catch_unwind(|| html_only.text().len()).unwrap_err();
    assert_eq!(
        err.downcast_ref::<String>().map(String::as_str),
        Some("no text: the cleaner was built with text(false)")
    );
}

#[test]
fn clean_with_url_refuses_a_bad_url_as_the_builder_does() {
    let cleaner = Cleaner::new();
    for bad in ["/relative", "not a url", ""] {
        let err = cleaner.clean_with_url("<p>x</p>", bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{bad:?}");
        let built = Cleaner::builder().url(bad).build().unwrap_err();
        assert_eq!(err.to_string(), built.to_string());
        assert!(std::error::Error::source(&err).is_some());
    }
    let out = cleaner
        .clean_with_url(r#"<a href="/a">this page</a>"#, "https://x.com/a")
        .unwrap();
    assert_eq!(out.html(), "this page\n");
}

#[cfg(feature = "serde")]
#[test]
fn reports_serialize_with_the_serde_feature() {
    let out = Cleaner::new().clean(r#"<p>x</p><div class="adsbygoogle"></div>"#);
    let v = serde_json::to_value(out.report()).unwrap();
    assert_eq!(v["changes"][0]["rule"], "ads.slots");
    assert_eq!(v["changes"][0]["action"], "remove");
}

#[test]
fn whitespace_between_blocks_is_one_line_break() {
    let page =
        "<!doctype html><html><body>\n\n  <div class=\"story\">\n\n    <h1>Title</h1>\n\n\n    \
        <div id=\"div-gpt-ad-1\"></div>\n\n    <p>One <b>bold</b> <i>word</i>.</p>\n    \
        <pre>  keep\n\n  this\n</pre>\n\n  </div>\n\n</body></html>\n";
    let html = articlean::clean(page);
    assert_eq!(
        html,
        "<div>\n<h1>Title</h1>\n<p>One <b>bold</b> <i>word</i>.</p>\n<pre>  keep\n\n  this\n</pre>\n</div>\n"
    );
    assert_eq!(articlean::clean(&html), html);
}
