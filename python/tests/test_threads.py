"""clean_many keeps input order whatever the thread count; a Cleaner is shared
by Python threads; the GIL is released while cleaning."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import articlean


@pytest.fixture(scope="module")
def docs(root):
    pages = sorted((root / "benches" / "data").glob("*.html"))
    fixtures = sorted((root / "fixtures").glob("*/input.html"))[:60]
    out = [p.read_bytes() for p in pages]
    out += [p.read_text(encoding="utf-8", errors="replace") for p in fixtures]
    out += ["", b"\x00binary", "<p>short</p>"]
    return out


@pytest.mark.parametrize("threads", [None, 1, 2, 3, 16])
def test_clean_many_keeps_order(docs, threads):
    c = articlean.Cleaner(format="text")
    expected = [c.clean(d) for d in docs]
    assert c.clean_many(docs, threads=threads) == expected


def test_clean_many_takes_any_iterable_and_urls():
    c = articlean.Cleaner()
    gen = (f'<p><a href="/{i}">{i}</a></p>' for i in range(5))
    urls = [f"https://example.com/{i}" for i in range(5)]
    out = c.clean_many(gen, urls=urls)
    assert out == [f"<p>{i}</p>\n" for i in range(5)]
    assert c.clean_many([]) == []


def test_one_cleaner_shared_by_python_threads(docs):
    c = articlean.Cleaner(format="markdown")
    expected = [c.clean(d) for d in docs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(2):
            assert list(pool.map(c.clean, docs)) == expected
            reports = list(pool.map(c.clean_with_report, docs))
            assert [r["markdown"] for r in reports] == expected


def test_the_gil_is_released_while_cleaning(root):
    # A page large enough to take a while: while another thread is inside
    # clean(), this thread must get to run (it could not if the GIL were held
    # for the whole call).
    page = (root / "benches" / "data" / "bbc.html").read_text(encoding="utf-8")
    big = page.replace("</body>", page[page.find("<body") :] * 15)
    c = articlean.Cleaner()
    inside = threading.Event()
    done = threading.Event()
    ticks_while_cleaning = 0

    def work():
        inside.set()
        c.clean(big)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    inside.wait()
    while not done.is_set():
        ticks_while_cleaning += 1
    worker.join()
    assert ticks_while_cleaning > 1000
