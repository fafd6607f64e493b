#!/usr/bin/env bash
# End-to-end benchmark: phase timings (cargo bench) and whole-CLI runs with
# peak memory, on generated models of 1,000 / 10,000 / 100,000 / 300,000
# elements (about three relationships per element, 10 systems per file).
# Usage: benches/run.sh [SIZES]   (default 1000,10000,100000,300000)
# The output directory is target/bench (or $C4C_BENCH_DIR): its file system
# matters for `build`, which creates one file per view.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-1000,10000,100000,300000}"
work="${C4C_BENCH_DIR:-target/bench}"
mkdir -p "$work"

echo "## Phases (in process, median of several runs; views and emit on one thread here, on all cores in the CLI)"
echo
C4C_BENCH_SIZES="$sizes" C4C_BENCH_WRITE="$work" cargo bench --quiet --bench pipeline

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/c4c"
declare -A wall rss
measure() { # KEY LABEL ARGS... → one table row; the figures kept under KEY-n
  local key=$1 label=$2; shift 2
  local rc=0
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" "$@" >/dev/null 2>"$work/stderr.txt" || rc=$?
  local secs kb
  read -r secs kb < <(tail -n 1 "$work/time.txt")
  wall[$key-$n]=$secs
  rss[$key-$n]=$kb
  local note=""
  # A run that failed is shown as failed, not as a time.
  if [ "$rc" -ne 0 ] && [ "$key" != diff-json ] && [ "$key" != diff-md ]; then note=" (exit $rc)"; fi
  printf '| %s | %s%s | %s s | %d MB |\n' "$n" "$label" "$note" "$secs" "$((kb / 1024))"
}
echo
echo "## Whole CLI (all default views; wall time, peak resident memory)"
echo
echo "| elements | command | wall | peak RSS |"
echo "|---:|---|---:|---:|"
IFS=, read -ra list <<< "$sizes"
for n in "${list[@]}"; do
  model="$work/model-$n/model.c4"
  out="$work/out-$n"
  measure check "check" check "$model"
  rm -rf "$out"
  measure build "build, new output directory" build -q "$model" -o "$out"
  measure again "build again, nothing changed" build -q "$model" -o "$out"
  # One line edited: a component's description in the first part file.
  edited="$work/model-$n-edited"
  rm -rf "$edited" && cp -r "$work/model-$n" "$edited"
  sed -i '0,/Handles a thing/s//Handles one thing/' "$edited/parts/p0.c4"
  rm -rf "$out-edited"
  if [ -d "$out" ]; then cp -r "$out" "$out-edited"; fi
  measure edit "build, one line edited" build -q "$edited/model.c4" -o "$out-edited"
  rm -rf "$out-edited" "$edited"
  # A changed copy: in each part, every 50th description edited, every 37th
  # component relationship removed, every 40th technology changed; one
  # system added.
  changed="$work/model-$n-changed"
  rm -rf "$changed" && cp -r "$work/model-$n" "$changed"
  for part in "$changed"/parts/*.c4; do
    awk '
      /Handles a thing/ && ++d % 50 == 0 { sub(/Handles a thing/, "Handles two things") }
      /^      k[0-9] -> / && ++r % 37 == 0 { next }
      /"Rust module"/ && ++t % 40 == 0 { sub(/"Rust module"/, "\"Rust crate\"") }
      { print }' "$part" > "$part.new" && mv "$part.new" "$part"
  done
  cat >> "$changed/model.c4" <<'C4'
model {
  added = system "Added System" "New in this change" {
    api = container "Added API" "" "Go"
  }
  added.api -> sys0.c1 "Calls" "HTTPS"
}
C4
  measure diff-json "diff --format json (vs changed copy)" diff --format json "$model" "$changed/model.c4"
  measure diff-md "diff --format markdown (vs changed copy)" diff --format markdown "$model" "$changed/model.c4"
  rm -rf "$changed"
done

echo
echo "## Growth (each size against the one before: wall time ×, peak RSS ×; linear is the size ratio)"
echo
echo "| elements | size × | check | build | diff --format json |"
echo "|---:|---:|---:|---:|---:|"
prev=""
for n in "${list[@]}"; do
  if [ -n "$prev" ]; then
    row="| $n | $(awk -v a="$n" -v b="$prev" 'BEGIN { printf "%.1f", a / b }')"
    for key in check build diff-json; do
      row+=" | $(awk -v a="${wall[$key-$n]}" -v b="${wall[$key-$prev]}" -v c="${rss[$key-$n]}" -v d="${rss[$key-$prev]}" \
        'BEGIN { if (b > 0) printf "%.1f× time", a / b; else printf "– time"; printf ", %.1f× memory", c / d }')"
    done
    echo "$row |"
  fi
  prev=$n
done
