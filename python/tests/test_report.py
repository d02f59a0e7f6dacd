"""The report is plain Python data that round-trips through JSON and equals
what the `clean` binary writes for the same page."""

import json

import pytest
import subprocess

import articlean

META = {"url", "title", "byline", "date", "lang", "site", "image", "description"}

PAGE = (
    '<p>Read <a href="https://a.com/s?utm_source=rss&id=7">this</a>.</p>'
    '<div id="div-gpt-ad-1">Ad text</div><!-- note -->'
    '<img class="lazyload" data-src="/a.jpg" src="data:image/gif;base64,R0lGOD">'
    "<p>The story goes on for a while, with enough words to be the article.</p>"
)


def test_report_is_plain_json_data():
    out = articlean.Cleaner().clean_with_report(PAGE)
    assert set(out) == {*META, "html", "report"}
    assert json.loads(json.dumps(out)) == out
    changes = out["report"]["changes"]
    assert [c["rule"] for c in changes] == ["ads.slots", "comments.all", "lazy.images", "params.utm"] or changes
    for c in changes:
        assert {"rule", "action", "target", "text_chars", "vetoed"} <= set(c)
        assert isinstance(c["text_chars"], int) and isinstance(c["vetoed"], bool)
    ad = next(c for c in changes if c["rule"] == "ads.slots")
    assert ad == {"rule": "ads.slots", "action": "remove", "target": "div#div-gpt-ad-1",
                  "text_chars": 6, "vetoed": False}


def test_report_key_follows_the_format():
    out = articlean.Cleaner(format="text").clean_with_report("<p>x</p>")
    assert set(out) == {*META, "text", "report"}
    assert articlean.Cleaner(format="markdown").clean_with_report("<p>x</p>")["markdown"] == "x\n"


def test_result_equals_the_binarys_json_object(clean_bin, root):
    pages = [PAGE, (root / "benches" / "data" / "lemonde.html").read_text(encoding="utf-8")]
    for fmt in ("html", "text"):
        want = []
        for p in pages:
            run = subprocess.run(
                [str(clean_bin), "--format", "json", "--json-body", fmt,
                 "--url", "https://example.com/a", "-q", "-"],
                input=p.encode(), capture_output=True, check=True,
            )
            want.append(json.loads(run.stdout))
        assert want[1]["title"] and want[1]["lang"]  # lemonde says both
        c = articlean.Cleaner(format=fmt)
        got = [c.clean_with_report(p, url="https://example.com/a") for p in pages]
        assert got == want
        # The same keys in the same order: json.dumps gives the binary's line.
        assert [json.dumps(g) for g in got] == [json.dumps(w) for w in want]


def test_deep_nesting_is_reported():
    report = articlean.Cleaner().clean_with_report("<div>" * 600 + "x")["report"]
    assert report["deep_tags_dropped"] > 0


def test_extract_keeps_the_article_of_a_page(root):
    page = (root / "benches" / "data" / "lemonde.html").read_text(encoding="utf-8")
    whole = articlean.Cleaner(format="text").clean(page)
    article = articlean.Cleaner(format="text", extract=True).clean(page)
    assert 0 < len(article) < len(whole)
    assert set(article.split()) <= set(whole.split())
    rules = {c["rule"] for c in articlean.Cleaner(extract=True).clean_with_report(page)["report"]["changes"]}
    assert rules & {"extract.article", "extract.fallback"}
    with pytest.raises(ValueError, match="selector"):
        articlean.Cleaner(extract_selector="p:hover")
