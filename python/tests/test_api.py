"""The Python API: clean(), Cleaner settings, inputs and outputs."""

import pathlib

import pytest

import articlean

AD = '<p>Story</p><div id="div-gpt-ad-123">Ad</div>'


def test_version_is_the_crates(root):
    cargo = (root / "Cargo.toml").read_text(encoding="utf-8")
    assert f'version = "{articlean.__version__}"' in cargo


def test_clean_removes_ads_and_scripts():
    assert articlean.clean(AD) == "<p>Story</p>\n"
    assert articlean.clean("<p>Hi<img src=x onerror=alert(1)></p>") == (
        '<p>Hi<img src="x" referrerpolicy="no-referrer"></p>\n'
    )


def test_clean_formats():
    html = "<h1>Title</h1><p>Some <b>bold</b> text.</p>"
    assert articlean.clean(html, format="text") == "Title\n\nSome bold text.\n"
    assert articlean.clean(html, format="markdown") == "# Title\n\nSome **bold** text.\n"
    assert articlean.Cleaner(format="markdown").format == "markdown"


def test_clean_url_unwraps_self_links_and_resolves():
    html = '<p>See <a href="/news/1">this</a> and <a href="2">next</a>.</p>'
    out = articlean.clean(html, url="https://example.com/news/1")
    assert out == (
        '<p>See this and <a href="https://example.com/news/2" rel="noopener noreferrer">next</a>.</p>\n'
    )


def test_clean_passes_settings_and_caches_the_cleaner():
    articlean._cleaner.cache_clear()
    for _ in range(3):
        assert articlean.clean("<p>a</p><!--b-->", disable=["comments"]) == "<p>a</p><!--b-->\n"
    assert articlean._cleaner.cache_info().misses == 1
    assert articlean._cleaner.cache_info().hits == 2


def test_empty_and_whitespace_give_empty_output():
    c = articlean.Cleaner(format="text")
    assert c.clean("") == ""
    assert c.clean(b" \n\t") == ""


def test_bytes_follow_the_declared_charset():
    assert articlean.clean(b"<meta charset=gbk><p>\xd6\xd0\xce\xc4</p>") == "<p>\u4e2d\u6587</p>\n"
    assert articlean.clean(bytearray(b"<p>caf\xc3\xa9</p>")) == "<p>caf\u00e9</p>\n"


def test_forced_encoding():
    c = articlean.Cleaner(encoding="windows-1252")
    assert c.clean(b"<p>caf\xe9</p>") == "<p>caf\u00e9</p>\n"


def test_malformed_bytes_become_replacement_characters():
    out = articlean.clean(b"<meta charset=utf-8><p>\xc3\xa9a\xffb</p>")
    assert out == "<p>\u00e9a\ufffdb</p>\n"


def test_binary_bytes_give_empty_output_and_say_why():
    c = articlean.Cleaner()
    assert c.clean(b"\x00\x01\x02PK") == ""
    out = c.clean_with_report(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert out["html"] == ""
    assert out["report"] == {"changes": []}
    assert out["error"].startswith("binary input (a NUL byte at offset 8)")


def test_lone_surrogates_do_not_raise():
    assert articlean.clean("<p>a\ud800b</p>") == "<p>a\ufffdb</p>\n"


def test_other_types_are_a_type_error():
    with pytest.raises(TypeError, match="expected str or bytes, not int"):
        articlean.Cleaner().clean(42)
    with pytest.raises(TypeError):
        articlean.Cleaner().clean_many(["<p>a</p>", None])


def test_rules_as_toml_text_and_as_paths(tmp_path):
    toml = (
        '[[rule]]\nid = "site.promo"\ndescription = "x"\nselect = ".promo"\naction = "remove"\n'
    )
    html = '<p>a</p><p class="promo">b</p>'
    assert articlean.Cleaner(rules=[toml]).clean(html) == "<p>a</p>\n"
    path = tmp_path / "site.toml"
    path.write_text(toml, encoding="utf-8")
    assert articlean.Cleaner(rules=[path]).clean(html) == "<p>a</p>\n"
    assert articlean.Cleaner(rules=[str(path)]).clean(html) == "<p>a</p>\n"
    only = articlean.Cleaner(default_rules=False, rules=[path])
    assert only.clean('<div class="adsbygoogle">x</div>') == "<div>x</div>\n"


def test_enable_opt_in_rules():
    toml = (
        '[[rule]]\nid = "site.nav"\ndescription = "x"\nselect = "nav"\n'
        'action = "remove"\nenabled = false\n'
    )
    html = "<nav>menu</nav><p>a</p>"
    assert articlean.Cleaner(rules=[toml]).clean(html) == "<div>menu</div><p>a</p>\n"
    assert articlean.Cleaner(rules=[toml], enable=["site"]).clean(html) == "<p>a</p>\n"


def test_filter_lists_as_text_tuple_and_path(tmp_path):
    text = "||pixel.example^$image\nnews.example##.promo\n"
    html = '<p>Story</p><img src="https://pixel.example/p.gif"><div class="promo">Buy</div>'
    path = tmp_path / "mine.txt"
    path.write_text(text, encoding="utf-8")
    for lists in ([text], [("mine.txt", text)], [path]):
        c = articlean.Cleaner(filter_lists=lists)
        assert c.clean(html) == "<p>Story</p><div>Buy</div>\n"
        assert c.clean(html, url="https://news.example/a") == "<p>Story</p>\n"
    report = articlean.Cleaner(filter_lists=[path]).clean_with_report(html, url="https://news.example/a")
    assert report["report"]["changes"][1]["detail"] == "mine.txt:2: news.example##.promo"


def test_skipped_filter_rules_are_counted():
    c = articlean.Cleaner(filter_lists=[("mine.txt", "##.ad-box\n##div:hover\n##.x:upward(2)\n")])
    assert c.skipped_filter_rules == 2


def test_settings_reach_the_builder():
    c = articlean.Cleaner(
        referrer_policy="same-origin",
        link_rel="nofollow",
        base_url="https://example.com/a/",
        keep_comments=True,
    )
    assert c.clean('<a href="b">b</a><img src="c.png"><!--x-->') == (
        '<a href="https://example.com/a/b" rel="nofollow">b</a>'
        '<img src="https://example.com/a/c.png" referrerpolicy="same-origin"><!--x-->\n'
    )


def test_builder_url_is_the_default_page():
    c = articlean.Cleaner(url="https://example.com/a")
    assert c.clean('<p><a href="/a">me</a></p>') == "<p>me</p>\n"
    # A URL given to the call wins.
    assert c.clean('<p><a href="/a">me</a></p>', url="https://example.com/b") == (
        '<p><a href="https://example.com/a" rel="noopener noreferrer">me</a></p>\n'
    )


def test_bytes_with_url():
    out = articlean.clean(b'<p><img src="a.png"></p>', url="https://x.com/news/")
    assert out == '<p><img src="https://x.com/news/a.png" referrerpolicy="no-referrer"></p>\n'


def test_text_options():
    c = articlean.Cleaner(format="text", text_width=10, text_links="footnotes", text_images="alt")
    assert c.clean("<p>one two three four</p>") == "one two\nthree four\n"
    assert c.clean('<p><a href="/a">A</a> <img src="chart.png" alt="B"></p>') == "A[1] [B]\n\n[1] /a\n"


def test_input_kinds():
    post = "---\na: 1\n---\n<p>x</p>\n"
    assert articlean.clean(post).startswith("---\na: 1\n---\n")
    assert "a: 1" in articlean.clean(post, input="html")
    md = '# Title\n\n<div class="adsbygoogle"></div>\n'
    assert articlean.clean(md, input="markdown") == "# Title\n\n"


def test_repr():
    assert repr(articlean.Cleaner(format="text")).startswith('Cleaner(format="text", rules=')


def test_docstrings_have_examples():
    import doctest

    for obj in (articlean, articlean.clean, articlean.Cleaner, articlean.Cleaner.clean,
                articlean.Cleaner.clean_with_report, articlean.Cleaner.clean_many):
        assert obj.__doc__ and ">>>" in obj.__doc__, obj
    failures, tried = doctest.testmod(articlean, verbose=False)
    assert tried > 0 and failures == 0
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for obj in (articlean.Cleaner, articlean.Cleaner.clean, articlean.Cleaner.clean_with_report,
                articlean.Cleaner.clean_many):
        for test in finder.find(obj, globs={}):
            runner.run(test)
    assert runner.failures == 0


def test_typing_files_ship():
    pkg = pathlib.Path(articlean.__file__).parent
    assert (pkg / "py.typed").exists()
    assert (pkg / "_articlean.pyi").exists()
    assert (pkg / "__init__.pyi").exists()
