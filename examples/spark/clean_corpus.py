#!/usr/bin/env python3
"""Cleans a JSON-lines corpus with Apache Spark (local mode) by piping each
partition through `clean --jsonl`, then checks that the result equals a
single-process run of the same command over the whole file.

    python clean_corpus.py --clean /path/to/clean --input corpus.jsonl --out cleaned.jsonl
"""
import argparse
import shlex
import subprocess
import sys
import time

from pyspark import SparkConf, SparkContext

ap = argparse.ArgumentParser()
ap.add_argument("--clean", required=True, help="path of the clean binary")
ap.add_argument("--input", required=True)
ap.add_argument("--out", required=True)
ap.add_argument("--partitions", type=int, default=8)
ap.add_argument("--args", default="--jsonl --format text -q", help="arguments given to clean")
a = ap.parse_args()

cmd = f"{shlex.quote(a.clean)} {a.args}"
conf = SparkConf().setMaster("local[*]").setAppName("articlean").set("spark.ui.enabled", "false")
sc = SparkContext(conf=conf)
sc.setLogLevel("ERROR")

t = time.time()
# pipe() starts the command once per partition, feeds the partition's lines
# on its stdin and reads its stdout lines; `clean --jsonl` keeps line order.
lines = sc.textFile(a.input, minPartitions=a.partitions).pipe(cmd).collect()
spark_secs = time.time() - t
sc.stop()
with open(a.out, "w", encoding="utf-8") as f:
    for line in lines:
        f.write(line + "\n")

t = time.time()
single = subprocess.run(shlex.split(cmd) + [a.input], capture_output=True, check=False)
single_secs = time.time() - t
expected = single.stdout.decode("utf-8").splitlines()

print(f"spark: {len(lines)} lines in {spark_secs:.1f} s; single process: {len(expected)} lines in {single_secs:.1f} s")
if lines != expected:
    diff = next((i for i, (x, y) in enumerate(zip(lines, expected)) if x != y), min(len(lines), len(expected)))
    print(f"MISMATCH at line {diff + 1}", file=sys.stderr)
    sys.exit(1)
print("outputs are identical")
