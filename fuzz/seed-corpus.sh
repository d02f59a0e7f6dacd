#!/usr/bin/env bash
# Builds the seed corpus of each fuzz target from the fixtures (and the
# built-in rules), into fuzz/corpus/<target>/ (git-ignored). Run from
# anywhere; re-running adds what is new.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
corpus="$here/corpus"
mkdir -p "$corpus"/{clean_html,clean_text,markdown_post,rules_file}
for f in "$root"/fixtures/*/input.*; do
    case="$(basename "$(dirname "$f")")"
    cp "$f" "$corpus/clean_html/$case"
    cp "$f" "$corpus/clean_text/$case"
    case "$f" in
        *.md)
            # The target adds the front matter itself: seed it with the body.
            awk 'BEGIN{n=0} n>=2{print; next} /^(---|\.\.\.)\r?$/{n++; next} n==0 && NR==1{n=2; print}' "$f" \
                > "$corpus/markdown_post/$case"
            ;;
    esac
done
for f in "$root"/fixtures/*/rules.toml "$root"/src/default_rules.toml; do
    cp "$f" "$corpus/rules_file/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# Markdown seeds from HTML fixtures too: posts hold raw article HTML.
for f in "$root"/fixtures/*/input.html; do
    cp "$f" "$corpus/markdown_post/html-$(basename "$(dirname "$f")")"
done
for t in clean_html clean_text markdown_post rules_file; do
    echo "$t: $(ls "$corpus/$t" | wc -l) seeds"
done
