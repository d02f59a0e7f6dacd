"""The seed post (fixtures/seed-zaobao) cleans through Python exactly as the
Rust fixture test expects, from str and from bytes, in every format."""

import pytest

import articlean

SEED = "fixtures/seed-zaobao"


@pytest.mark.parametrize(
    "fmt, expected", [("html", "expected.html"), ("text", "expected.txt"), ("markdown", "expected.md")]
)
def test_seed_matches_the_golden_outputs(root, fmt, expected):
    source = (root / SEED / "input.md").read_text(encoding="utf-8")
    want = (root / SEED / expected).read_text(encoding="utf-8")
    assert articlean.clean(source, format=fmt) == want


def test_seed_as_bytes_is_decoded_like_a_file(root):
    raw = (root / SEED / "input.md").read_bytes()
    want = (root / SEED / "expected.html").read_text(encoding="utf-8")
    assert articlean.Cleaner().clean(raw) == want


def test_seed_report_names_the_rules_that_removed_things(root):
    source = (root / SEED / "input.md").read_text(encoding="utf-8")
    report = articlean.Cleaner().clean_with_report(source)["report"]
    rules = {c["rule"] for c in report["changes"]}
    assert "comments.all" in rules
    assert all(not c["vetoed"] for c in report["changes"])
