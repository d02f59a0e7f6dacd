"""The report is plain Python data that round-trips through JSON and equals
what the `clean` binary writes for the same page."""

import json
import subprocess

import articlean

PAGE = (
    '<p>Read <a href="https://a.com/s?utm_source=rss&id=7">this</a>.</p>'
    '<div id="div-gpt-ad-1">Ad text</div><!-- note -->'
    '<img class="lazyload" data-src="/a.jpg" src="data:image/gif;base64,R0lGOD">'
    "<p>The story goes on for a while, with enough words to be the article.</p>"
)


def test_report_is_plain_json_data():
    out = articlean.Cleaner().clean_with_report(PAGE)
    assert set(out) == {"html", "report"}
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
    assert set(articlean.Cleaner(format="text").clean_with_report("<p>x</p>")) == {"text", "report"}
    assert articlean.Cleaner(format="markdown").clean_with_report("<p>x</p>")["markdown"] == "x\n"


def test_result_equals_the_binarys_json_line(clean_bin, root):
    pages = [PAGE, (root / "benches" / "data" / "lemonde.html").read_text(encoding="utf-8")]
    for fmt in ("html", "text"):
        lines = "".join(json.dumps({"html": p, "url": "https://example.com/a"}) + "\n" for p in pages)
        run = subprocess.run(
            [str(clean_bin), "--jsonl", "--explain", "--format", fmt, "-q"],
            input=lines.encode(), capture_output=True, check=True,
        )
        want = [json.loads(line) for line in run.stdout.decode().splitlines()]
        for line in want:
            del line["url"]  # input fields are passed through
        c = articlean.Cleaner(format=fmt)
        got = [c.clean_with_report(p, url="https://example.com/a") for p in pages]
        assert got == want
        # The same keys in the same order: json.dumps gives the binary's line.
        assert [json.dumps(g) for g in got] == [json.dumps(w) for w in want]


def test_deep_nesting_is_reported():
    report = articlean.Cleaner().clean_with_report("<div>" * 600 + "x")["report"]
    assert report["deep_tags_dropped"] > 0
