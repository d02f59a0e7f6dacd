#!/usr/bin/env bash
# Batch throughput of the release `clean` binary with -j 1 and -j 2 (or any
# list of job counts): the pages in benches/data copied COPIES times into a
# temporary tree, cleaned with --out-dir, each run ROUNDS times in turn;
# prints the median wall time and throughput of each, and the speed-up.
#
#   cargo build --release && benches/throughput.sh            # -j 1 vs -j 2
#   COPIES=100 ROUNDS=5 JOBS="1 2 4" benches/throughput.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${CLEAN:-$here/../target/release/clean}"
copies="${COPIES:-50}"
rounds="${ROUNDS:-5}"
jobs="${JOBS:-1 2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for i in $(seq "$copies"); do
  mkdir -p "$work/in/$i"
  cp "$here"/data/*.html "$work/in/$i/"
done
files=$(find "$work/in" -type f | wc -l)
bytes=$(du -sb "$work/in" | cut -f1)
echo "$files files, $bytes bytes, $rounds rounds"
declare -A times
for r in $(seq "$rounds"); do
  for j in $jobs; do
    rm -rf "$work/out"
    t0=$(date +%s.%N)
    "$bin" -q -j "$j" --out-dir "$work/out" "$work/in"
    t1=$(date +%s.%N)
    times[$j]="${times[$j]:-} $(echo "$t1 - $t0" | bc)"
  done
done
base=""
for j in $jobs; do
  med=$(echo ${times[$j]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mbps=$(echo "scale=1; $bytes / $med / 1000000" | bc)
  if [ -z "$base" ]; then base=$med; fi
  speedup=$(echo "scale=2; $base / $med" | bc)
  echo "-j $j: median ${med}s, ${mbps} MB/s, ${speedup}x of -j ${jobs%% *}   (runs:${times[$j]})"
done
