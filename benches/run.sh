#!/usr/bin/env bash
# End-to-end benchmark: phase timings (cargo bench) and whole-CLI runs with
# peak memory, on generated models of 1,000 / 10,000 / 100,000 elements.
# Usage: benches/run.sh [SIZES]   (default 1000,10000,100000)
# The output directory is target/bench (or $C4C_BENCH_DIR): its file system
# matters for `build`, which creates one file per view.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-1000,10000,100000}"
work="${C4C_BENCH_DIR:-target/bench}"
mkdir -p "$work"

echo "## Phases (in process, median of several runs; views and emit on one thread here, on all cores in the CLI)"
echo
C4C_BENCH_SIZES="$sizes" C4C_BENCH_WRITE="$work" cargo bench --quiet --bench pipeline

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/c4c"
measure() { # LABEL ARGS... → one table row
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" "$@" >/dev/null 2>&1 || true
  read -r secs kb < "$work/time.txt"
  printf '| %s | %s | %s s | %d MB |\n' "$n" "$label" "$secs" "$((kb / 1024))"
}
echo
echo "## Whole CLI (all default views; wall time, peak resident memory)"
echo
echo "| elements | command | wall | peak RSS |"
echo "|---:|---|---:|---:|"
IFS=, read -ra list <<< "$sizes"
for n in "${list[@]}"; do
  model="$work/model-$n.c4"
  out="$work/out-$n"
  measure "check" check "$model"
  rm -rf "$out"
  measure "build, new output directory" build -q "$model" -o "$out"
  measure "build again, nothing changed" build -q "$model" -o "$out"
  # A changed copy: every 50th description edited, every 37th component
  # relationship removed, every 40th technology changed, one system added.
  changed="$work/model-$n-changed.c4"
  awk '
    /Handles a thing/ && ++d % 50 == 0 { sub(/Handles a thing/, "Handles two things") }
    /^      k[0-9] -> / && ++r % 37 == 0 { next }
    /"Rust module"/ && ++t % 40 == 0 { sub(/"Rust module"/, "\"Rust crate\"") }
    { lines[NR] = $0 }
    END {
      for (i = 1; i < NR; i++) print lines[i]
      print "  added = system \"Added System\" \"New in this change\" {"
      print "    api = container \"Added API\" \"\" \"Go\""
      print "  }"
      print "  added.api -> sys0.c1 \"Calls\" \"HTTPS\""
      print lines[NR]
    }' "$model" > "$changed"
  measure "diff --format json (vs changed copy)" diff --format json "$model" "$changed"
  measure "diff --format markdown (vs changed copy)" diff --format markdown "$model" "$changed"
done
