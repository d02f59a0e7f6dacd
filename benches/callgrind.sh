#!/usr/bin/env bash
# Instruction counts (callgrind), deterministic where wall time on a shared
# machine is not: start-up, each page of benches/data by output format with
# start-up and warm-up left out, each stage of the pipeline, ammonia::clean
# alone on the same page, and the ratios of the pipeline to ammonia. Then
# peak memory per input byte on a big page, and how the cost per byte grows
# with size and nesting depth.
#
#   benches/callgrind.sh                 # builds the release binary and examples/stage first
#   PAGES="benches/data/bbc.html" benches/callgrind.sh
#   MEMORY=0 SCALING=0 benches/callgrind.sh   # the callgrind tables alone
#   LISTS=0 ...                          # without the filter lists' figures
#                                        # (their folder: $ARTICLEAN_LISTS)
#
# `examples/stage.rs` runs one job with the part that counts inside one
# function; callgrind collects only inside it. Stages are the inclusive
# costs of the pipeline's own functions in the same run (callgrind_annotate):
#   parse     html5ever into our tree (Cleaner::read_parse_and_run less the passes)
#   passes    matching and every rule pass (passes::run)
#   sanitize  serialize, tidy and ammonia (Cleaner::sanitize_settled)
#   render    what text or Markdown adds to the HTML job: a parse of the
#             sanitized output and the renderer
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
cd "$root"
if [ "${BUILD:-1}" = 1 ]; then
  cargo build --release --quiet --bin clean --example stage
fi
clean="$root/target/release/clean"
stage="$root/target/release/examples/stage"
pages="${PAGES:-$(ls "$here"/data/*.html)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Instructions of one job of examples/stage (only inside `measured`); the
# profile is kept in $work/last.out for `cost`.
measure() {
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect='stage::measured' \
    --callgrind-out-file="$work/last.out" "$stage" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

# Inclusive instructions of the first function matching a pattern in the
# last profile (0 when it never ran).
cost() {
  callgrind_annotate --inclusive=yes "$work/last.out" 2>/dev/null |
    awk -v pat="$1" '!found && $0 ~ pat { gsub(",", "", $1); n = $1; found = 1 } END { print found ? n : 0 }'
}

# Instructions of a whole process.
process() {
  valgrind --tool=callgrind --callgrind-out-file="$work/proc.out" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}

ratio() { echo "scale=2; $1 / $2" | bc; }
mega() { echo "scale=1; $1 / 1000000" | bc; }

printf '<p>x</p>\n' >"$work/x.html"
startup=$(process "$clean" "$work/x.html")
first=$(measure first "$work/x.html")
echo "start-up: \`clean\` on <p>x</p>: $(mega "$startup") M instructions (whole process);"
echo "  a library Cleaner::new() and its first document <p>x</p>: $(mega "$first") M"
echo
echo "Per page, M instructions (a second document of one cleaner: start-up and warm-up left out)"
row='%-9s %5s | %8s | %8s %5s | %8s %5s | %8s %5s | %7s %7s %8s %7s %7s\n'
# shellcheck disable=SC2059
printf "$row" page KB ammonia html x text x markdown x parse passes sanitize "(amm)" render
declare -A sum
for f in $pages; do
  name=$(basename "$f" .html)
  kb=$(($(wc -c <"$f") / 1024))
  amm=$(measure ammonia "$f")
  html=$(measure html "$f")
  parse=$(($(cost 'Cleaner::(read_)?parse_and_run') - $(cost 'articlean::passes::run ')))
  passes=$(cost 'articlean::passes::run ')
  sanitize=$(cost 'Cleaner::sanitize_settled')
  inner=$(cost 'ammonia::Builder::clean ')
  text=$(measure text "$f")
  markdown=$(measure markdown "$f")
  render=$((text - html))
  for k in amm html text markdown parse passes sanitize inner render; do
    sum[$k]=$((${sum[$k]:-0} + ${!k}))
  done
  # shellcheck disable=SC2059
  printf "$row" "$name" "$kb" \
    "$(mega "$amm")" "$(mega "$html")" "$(ratio "$html" "$amm")" \
    "$(mega "$text")" "$(ratio "$text" "$amm")" "$(mega "$markdown")" "$(ratio "$markdown" "$amm")" \
    "$(mega "$parse")" "$(mega "$passes")" "$(mega "$sanitize")" "$(mega "$inner")" "$(mega "$render")"
done
# shellcheck disable=SC2059
printf "$row" all "" \
  "$(mega "${sum[amm]}")" "$(mega "${sum[html]}")" "$(ratio "${sum[html]}" "${sum[amm]}")" \
  "$(mega "${sum[text]}")" "$(ratio "${sum[text]}" "${sum[amm]}")" \
  "$(mega "${sum[markdown]}")" "$(ratio "${sum[markdown]}" "${sum[amm]}")" \
  "$(mega "${sum[parse]}")" "$(mega "${sum[passes]}")" "$(mega "${sum[sanitize]}")" \
  "$(mega "${sum[inner]}")" "$(mega "${sum[render]}")"
echo "stages as × ammonia (all pages): parse $(ratio "${sum[parse]}" "${sum[amm]}")," \
  "passes $(ratio "${sum[passes]}" "${sum[amm]}"), sanitize $(ratio "${sum[sanitize]}" "${sum[amm]}")" \
  "(of which ammonia::Builder::clean $(ratio "${sum[inner]}" "${sum[amm]}")), render $(ratio "${sum[render]}" "${sum[amm]}")"

# Filter lists (issue "Filter lists"): start-up with EasyList + EasyPrivacy,
# in all and on its longest thread, compiled and from a cache, and the cost
# per page with them ÷ without. Skipped without the lists.
lists="${ARTICLEAN_LISTS:-/work/shared/eval/lists}"
if [ "${LISTS:-1}" = 1 ] && [ -f "$lists/easylist.txt" ] && [ -f "$lists/easyprivacy.txt" ]; then
  export ARTICLEAN_LISTS="$lists"
  with_lists=("$clean" --filter-list "$lists/easylist.txt" --filter-list "$lists/easyprivacy.txt")
  # Instructions of a whole process, and of its busiest thread.
  threads() {
    rm -f "$work"/thr.out*
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/thr.out" "$@" \
      >/dev/null 2>&1
    for t in "$work"/thr.out-*; do
      callgrind_annotate "$t" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,
    done | awk '{ s += $1; if ($1 > m) m = $1 } END { print s, m }'
  }
  echo
  echo "Filter lists (EasyList + EasyPrivacy), M instructions: all threads / the busiest thread"
  read -r all busiest < <(threads "${with_lists[@]}" "$work/x.html")
  echo "  start-up, compiled:       $(mega "$all") / $(mega "$busiest")" \
    " (two cores: at least $(mega $(((all + 1) / 2))) on the longer)"
  "${with_lists[@]}" --filter-cache "$work/lists.cache" "$work/x.html" >/dev/null
  read -r all busiest < <(threads "${with_lists[@]}" --filter-cache "$work/lists.cache" "$work/x.html")
  echo "  start-up, from the cache: $(mega "$all") / $(mega "$busiest")"
  with=0 without=0
  for f in $pages; do
    a=$(measure lists "$f")
    b=$(measure html "$f")
    with=$((with + a)) without=$((without + b))
    echo "  $(basename "$f" .html): $(mega "$a") with the lists, $(mega "$b") without: $(ratio "$a" "$b")×"
  done
  echo "  per page, all pages: $(ratio "$with" "$without")× the cost without the lists"
fi

# A big page: the first page's <body> content repeated to about SIZE bytes.
big_page() {
  local size=$1 src=$2 out=$3
  python3 - "$size" "$src" "$out" <<'EOF'
import re, sys
size, src, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
page = open(src, encoding="utf-8").read()
m = re.search(r"<body[^>]*>(.*)</body>", page, re.S | re.I)
head, body = page[: m.start(1)], m.group(1)
parts = [head]
n = len(head)
while n < size:
    parts.append(body)
    n += len(body)
parts.append("</body></html>\n")
open(out, "w", encoding="utf-8").write("".join(parts))
EOF
}

if [ "${MEMORY:-1}" = 1 ]; then
  echo
  echo "Peak memory (max RSS, /usr/bin/time -v) of \`clean\` (html) on 10 MB pages: each page's"
  echo "<body> repeated, and a dense synthetic article (benches/pathological.rs's \`document\`), alone and in one <div>"
  for f in $pages; do
    big_page 10000000 "$f" "$work/big-$(basename "$f")"
  done
  python3 - "$work/big-dense.html" <<'EOF'
import sys
piece = """<div class="story"><h2>Heading</h2><p>Some text with <a href="https://example.com/a?utm_source=x&id=1">a link</a> and <b>bold</b> words.</p>
<div id="div-gpt-ad-1-0" class="adsbygoogle"></div><figure><img class="lazyload" src="/blank.gif" data-src="/photo.jpg" alt="A photo"><figcaption>Caption</figcaption></figure>
<script>track()</script><ul><li>one</li><li>two</li></ul></div>
"""
body = piece * (10_000_000 // len(piece) + 1)
open(sys.argv[1], "w").write(body)
# The same inside one wrapper, the shape of most pages' content.
open(sys.argv[1].replace("dense", "dense-wrapped"), "w").write('<div id="page">' + body + "</div>")
EOF
  for f in "$work"/big-*.html; do
    bytes=$(wc -c <"$f")
    kb=$(/usr/bin/time -v "$clean" "$f" 2>&1 >/dev/null |
      sed -n 's/.*Maximum resident set size (kbytes): *//p')
    name=$(basename "$f" .html)
    printf '  %-14s %4s MB peak, %6s bytes per input byte\n' "${name#big-}" $((kb / 1024)) \
      "$(ratio $((kb * 1024)) "$bytes")"
    rm "$f"
  done
fi

if [ "${SCALING:-1}" = 1 ]; then
  echo
  echo "Scaling: instructions per input byte (html) as the input grows"
  src=$(echo "$pages" | head -n 1)
  for kb in 300 3000; do
    big_page $((kb * 1000)) "$src" "$work/big.html"
    bytes=$(wc -c <"$work/big.html")
    n=$(measure html "$work/big.html")
    echo "  $((bytes / 1000)) KB of repeated article: $(ratio "$n" "$bytes") per byte"
  done
  for depth in 1000 10000 100000; do
    python3 -c "import sys; n=int(sys.argv[1]); open(sys.argv[2],'w').write('<div>'*n+'deep'+'</div>'*n)" \
      "$depth" "$work/deep.html"
    bytes=$(wc -c <"$work/deep.html")
    n=$(measure html "$work/deep.html")
    echo "  <div> nested $depth deep ($((bytes / 1000)) KB): $(ratio "$n" "$bytes") per byte"
  done
fi
