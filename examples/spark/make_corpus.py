#!/usr/bin/env python3
"""Writes a JSON-lines corpus for the Spark example: every fixture input of
this repository (and, when given, the pages of a directory tree), repeated
to the requested number of lines, one {"id", "url", "html", "source"} object
a line."""
import argparse
import json
import os
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--lines", type=int, default=2000)
ap.add_argument("--pages", help="a directory searched for *.html files too")
a = ap.parse_args()

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
docs = []
for base in [os.path.join(root, "fixtures")] + ([a.pages] if a.pages else []):
    for dirpath, _, files in sorted(os.walk(base)):
        for f in sorted(files):
            if f in ("input.html", "input.md") or (a.pages and f.endswith(".html")):
                path = os.path.join(dirpath, f)
                raw = open(path, "rb").read()
                try:
                    docs.append((os.path.relpath(path, base), raw.decode("utf-8")))
                except UnicodeDecodeError:
                    pass  # legacy encodings are for the byte interface, not JSON
if not docs:
    sys.exit("no documents found")
with open(a.out, "w", encoding="utf-8") as out:
    for i in range(a.lines):
        source, html = docs[i % len(docs)]
        out.write(json.dumps({"id": i, "url": f"https://example.com/{source}", "html": html, "source": source}, ensure_ascii=False) + "\n")
print(f"{a.lines} lines from {len(docs)} documents -> {a.out}")
