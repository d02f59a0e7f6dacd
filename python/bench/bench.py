"""Pages per second: articlean against nh3, trafilatura and readability-lxml.

One process, the same pages for every contender, read once as str (each
library's usual input). Each contender cleans every page once to warm up,
then ROUNDS rounds, every contender in turn in each. The table gives pages
per second of wall time, and pages per second of the process's CPU time
(steadier on a shared, noisy machine) with its ratio to articlean's HTML
clean. articlean's `clean_many` row uses every core (its wall-time rate
is the one to read; its CPU rate sums its threads); every other row runs
on one.

The contenders do different jobs, so the speeds are not of the same work:
nh3 only sanitizes (an allow-list, like articlean's last step); trafilatura
and readability extract the article and drop the rest of the page.
articlean removes what its rules name and sanitizes; its extraction
(`extract=True`) will get rows of its own, with quality figures beside the
speed, when it lands.

Run it in a virtual environment of its own (the other libraries are for the
benchmark only), from the repository's root:

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install -U pip
    /tmp/bench/bin/pip install ./python nh3 trafilatura readability-lxml
    /tmp/bench/bin/python python/bench/bench.py ../shared/corpus/pages/*/source.html benches/data/*.html

A contender whose package is missing is left out, with a note.
"""

from __future__ import annotations

import argparse
import logging
import os
import pathlib
import sys
import time
from collections.abc import Callable


def contenders() -> list[tuple[str, Callable[[list[str]], object]]]:
    """(name, function of all the pages) for each library that is installed."""
    out: list[tuple[str, Callable[[list[str]], object]]] = []
    import articlean

    html = articlean.Cleaner()
    text = articlean.Cleaner(format="text")
    out.append(("articlean Cleaner.clean (html)", lambda pages: [html.clean(p) for p in pages]))
    out.append(("articlean Cleaner.clean (text)", lambda pages: [text.clean(p) for p in pages]))
    extract = articlean.Cleaner(format="text", extract=True)
    out.append(("articlean Cleaner.clean (text, extract)", lambda pages: [extract.clean(p) for p in pages]))
    out.append(
        (f"articlean clean_many (html, {os.cpu_count()} threads)", lambda pages: html.clean_many(pages))
    )
    try:
        import nh3

        out.append(("nh3.clean", lambda pages: [nh3.clean(p) for p in pages]))
    except ImportError:
        print("note: nh3 is not installed; left out", file=sys.stderr)
    try:
        import trafilatura

        # Its logger warns about pages it finds nothing in.
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        out.append(("trafilatura.extract (text)", lambda pages: [trafilatura.extract(p) for p in pages]))
    except ImportError:
        print("note: trafilatura is not installed; left out", file=sys.stderr)
    try:
        from readability import Document

        logging.getLogger("readability").setLevel(logging.ERROR)
        out.append(
            ("readability-lxml Document.summary", lambda pages: [Document(p).summary() for p in pages])
        )
    except ImportError:
        print("note: readability-lxml is not installed; left out", file=sys.stderr)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=pathlib.Path, help="HTML files")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds over all pages (default 5)")
    args = parser.parse_args()
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in args.pages]
    size = sum(len(p.encode()) for p in pages)
    print(f"{len(pages)} pages, {size / 1e6:.1f} MB, {args.rounds} rounds, {os.cpu_count()} cores")
    print()
    print("| library | pages/s (wall) | pages per CPU second | MB per CPU second | vs articlean html (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    runs = contenders()
    wall = [0.0] * len(runs)
    cpu = [0.0] * len(runs)
    for _, run in runs:
        run(pages)
    # Round by round, every contender in turn: a burst of load from
    # elsewhere on a shared machine then falls on all of them alike.
    for _ in range(args.rounds):
        for i, (_, run) in enumerate(runs):
            w, c = time.perf_counter(), time.process_time()
            run(pages)
            wall[i] += time.perf_counter() - w
            cpu[i] += time.process_time() - c
    done = len(pages) * args.rounds
    for i, (name, _) in enumerate(runs):
        ratio = (done / cpu[i]) / (done / cpu[0])
        print(
            f"| {name} | {done / wall[i]:.1f} | {done / cpu[i]:.1f} "
            f"| {size * args.rounds / cpu[i] / 1e6:.1f} | {ratio:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
