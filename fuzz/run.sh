#!/usr/bin/env bash
# Runs one fuzz target for a while (needs nightly Rust and cargo-fuzz:
# `cargo install cargo-fuzz`).
#
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags…]
#
# TARGET is parse, fmt, pipeline, diff or inject; SECONDS defaults to 600. The corpus
# (fuzz/corpus/TARGET, not committed) is seeded from every .c4 file under
# examples/, tests/ and stdlib/ — the diff target gets them in pairs, old and
# new joined by a NUL byte; inject gets the Markdown docs — and from
# tests/regressions/TARGET/. A crash is saved under fuzz/artifacts/TARGET/;
# turn it into a regression case under tests/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh parse|fmt|pipeline|diff|inject [SECONDS] [flags…]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

corpus=corpus/$target
mkdir -p "$corpus"
if [ "$target" = inject ]; then
  # Markdown: the docs and the README (the fixed model's views are `l` and `s`).
  mapfile -t seeds < <(find ../docs ../README.md ../examples -name '*.md' -type f | sort)
else
  mapfile -t seeds < <(find ../examples ../tests ../stdlib -name '*.c4' -type f | sort)
fi
# Every input that once failed, too.
if [ -d "../tests/regressions/$target" ]; then
  cp ../tests/regressions/"$target"/* "$corpus"/ 2>/dev/null || true
fi
i=0
for f in "${seeds[@]}"; do
  i=$((i + 1))
  if [ "$target" = diff ]; then
    # Each file against the next one, and against itself minus its last line.
    next=${seeds[$(( i % ${#seeds[@]} ))]}
    { cat "$f"; printf '\0'; cat "$next"; } > "$corpus/seed-$i-next"
    { cat "$f"; printf '\0'; sed '$d' "$f"; } > "$corpus/seed-$i-cut"
  else
    cp "$f" "$corpus/seed-$i"
  fi
done

exec cargo +nightly fuzz run "$target" "$corpus" -- \
  -dict=c4.dict -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=4096 -print_final_stats=1 "$@"
