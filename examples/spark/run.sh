#!/usr/bin/env bash
# Runs the Spark example end to end: builds clean, installs pyspark into a
# virtual environment (from the Python package index), writes a corpus,
# cleans it with Spark in local mode and checks the result against a
# single-process run. Needs Java 17 and Python 3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/../.."
work="${SPARK_EXAMPLE_DIR:-/tmp/articlean-spark}"
mkdir -p "$work"
(cd "$repo" && cargo build --release)
if [ ! -x "$work/venv/bin/python" ]; then python3 -m venv "$work/venv"; fi
"$work/venv/bin/pip" install -q pyspark
"$work/venv/bin/python" "$here/make_corpus.py" --out "$work/corpus.jsonl" --lines "${LINES:-2000}" ${PAGES:+--pages "$PAGES"}
"$work/venv/bin/python" "$here/clean_corpus.py" --clean "$repo/target/release/clean" \
  --input "$work/corpus.jsonl" --out "$work/cleaned.jsonl"
