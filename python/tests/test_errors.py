"""Bad settings raise ValueError with the `clean` binary's message; documents
never raise."""

import subprocess

import pytest

import articlean

BAD_RULE = '[[rule]]\nid = "site.x"\ndescription = "x"\nselect = "p"\naction = "explode"\n'


def binary_message(clean_bin, *args):
    """What the binary says on stderr for these options, without `clean: `."""
    run = subprocess.run([str(clean_bin), *args], input=b"<p>x</p>", capture_output=True)
    assert run.returncode == 2, run
    err = run.stderr.decode()
    assert err.startswith("clean: "), err
    return err[len("clean: "):].rstrip("\n")


def settings_and_flags(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_RULE, encoding="utf-8")
    missing = tmp_path / "missing.toml"
    return [
        (dict(disable=["socail"]), ["--disable", "socail"]),
        (dict(enable=["nosuch"]), ["--enable", "nosuch"]),
        (dict(rules=[bad]), ["--rules", str(bad)]),
        (dict(rules=[str(missing)]), ["--rules", str(missing)]),
        (dict(filter_lists=[tmp_path / "no.txt"]), ["--filter-list", str(tmp_path / "no.txt")]),
        (dict(referrer_policy="sometimes"), ["--referrer-policy", "sometimes"]),
        (dict(link_rel="friendly"), ["--link-rel", "friendly"]),
        (dict(base_url="not a url"), ["--base-url", "not a url"]),
        (dict(url="/relative"), ["--url", "/relative"]),
        (dict(encoding="martian"), ["--encoding", "martian"]),
    ]


def test_messages_are_the_binarys(tmp_path, clean_bin):
    for settings, flags in settings_and_flags(tmp_path):
        with pytest.raises(ValueError) as err:
            articlean.Cleaner(**settings)
        assert str(err.value) == binary_message(clean_bin, *flags), settings


def test_messages_without_the_binary(tmp_path):
    with pytest.raises(ValueError, match=r'^no rule is in the group "socail" \(known groups: ads, '):
        articlean.Cleaner(disable=["socail"])
    with pytest.raises(ValueError, match=r'^unknown referrer policy "sometimes"$'):
        articlean.clean("<p>x</p>", referrer_policy="sometimes")
    with pytest.raises(ValueError, match=r'rule "site.x"'):
        articlean.Cleaner(rules=[BAD_RULE])
    with pytest.raises(ValueError, match=r"missing\.toml"):
        articlean.Cleaner(rules=[tmp_path / "missing.toml"])


@pytest.mark.parametrize(
    "settings, message",
    [
        (dict(format="pdf"), 'unknown format "pdf" (known: html, text, markdown)'),
        (dict(input="xml"), 'unknown input "xml" (known: auto, html, markdown)'),
        (dict(text_links="inline"), 'unknown text_links "inline" (known: text, footnotes)'),
        (dict(text_images="all"), 'unknown text_images "all" (known: none, alt)'),
    ],
)
def test_unknown_choices(settings, message):
    with pytest.raises(ValueError) as err:
        articlean.Cleaner(**settings)
    assert str(err.value) == message


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError):
        articlean.Cleaner(colour="red")
    with pytest.raises(TypeError):
        articlean.clean("<p>x</p>", colour="red")


def test_a_relative_page_url_is_a_value_error():
    c = articlean.Cleaner()
    with pytest.raises(ValueError, match=r'^invalid page URL "/a": '):
        c.clean("<p>x</p>", url="/a")
    with pytest.raises(ValueError, match=r'^invalid page URL "/a": '):
        c.clean(b"<p>x</p>", url="/a")
    with pytest.raises(ValueError, match=r'^urls\[1\]: invalid page URL "b": '):
        c.clean_many(["<p>a</p>", "<p>b</p>"], urls=[None, "b"])


def test_clean_many_argument_errors():
    c = articlean.Cleaner()
    with pytest.raises(ValueError, match="^threads must be at least 1$"):
        c.clean_many(["<p>a</p>"], threads=0)
    with pytest.raises(ValueError, match="^urls has 1 items for 2 docs$"):
        c.clean_many(["<p>a</p>", "<p>b</p>"], urls=["https://a.com/"])


HOSTILE = [
    "",
    "<",
    "</p></p></div>",
    "<div>" * 70000,
    "<a href='javascript:alert(1)'>x</a>" * 100,
    "<svg><script>alert(1)</script></svg><math><mi><mglyph><style><img src=x onerror=alert(1)>",
    "---\n---\n",
    "\x00\x01\x02",
    "\ufeff<p>bom</p>",
    "<p>\ud83d</p>",
]


@pytest.mark.parametrize("fmt", ["html", "text", "markdown"])
def test_documents_never_raise(fmt):
    c = articlean.Cleaner(format=fmt)
    for doc in HOSTILE:
        out = c.clean(doc)
        assert isinstance(out, str)
        assert "<script" not in out and "onerror" not in out
        assert isinstance(c.clean(doc.encode("utf-8", "surrogatepass")), str)
    assert all(isinstance(o, str) for o in c.clean_many(HOSTILE))
    assert c.clean(bytes(range(256)) * 10) == ""
