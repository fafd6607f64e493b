#!/usr/bin/env bash
# Hostile shapes: models small on disk that used to cost quadratic (or worse)
# time, memory or output. Each is generated here, then checked and built with
# the release binary under /usr/bin/time (wall time, peak resident memory,
# bytes written, exit code). The table is what docs/performance.md shows.
# Usage: benches/hostile.sh   (work files in target/hostile or $C4C_BENCH_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${C4C_BENCH_DIR:-target/hostile}"
rm -rf "$work" && mkdir -p "$work"
cargo build --release --quiet
bin=target/release/c4c

# Every system uses every other one: n*(n-1) relationships.
complete() {
  echo "model {"
  for ((i = 0; i < $1; i++)); do echo "  s$i = system \"S$i\""; done
  for ((i = 0; i < $1; i++)); do for ((j = 0; j < $1; j++)); do
    ((i != j)) && echo "  s$i -> s$j \"uses\""
  done; done
  echo "}"
}
# n relationships between one pair, each with its own label, technology and tag.
pair() {
  echo "model {"; echo '  a = system "A"'; echo '  b = system "B"'
  for ((i = 0; i < $1; i++)); do echo "  a -> b \"label $i\" \"tech $i\" \"tag$i\""; done
  echo "}"
}
# n levels of `extend`, each nesting one element in the one before.
deep() {
  echo "specification { kind n extends annotation }"; echo "model {"; echo '  e0 = system "E0"'
  for ((i = 0; i < $1; i++)); do echo "  extend e$i { e$((i + 1)) = n \"x\" }"; done
  echo "}"
}
# n systems that all use one hub: the hub is in every context view.
star() {
  echo "model {"; echo '  hub = system "Hub"'
  for ((i = 0; i < $1; i++)); do echo "  s$i = system \"S$i\""; echo "  s$i -> hub \"uses\""; done
  echo "}"
}

echo "| shape | input | command | exit | wall | peak RSS | written |"
echo "|---|---:|---|---:|---:|---:|---:|"
run() { # LABEL GENERATOR N
  local f="$work/$2-$3.c4"
  "$2" "$3" > "$f"
  local size; size=$(du -k "$f" | cut -f1)
  for cmd in check build; do
    local out="$work/$2-$3-out"; rm -rf "$out"
    local args=("$cmd" "$f"); [ "$cmd" = build ] && args+=(-q -o "$out")
    local rc=0
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" "${args[@]}" >/dev/null 2>&1 || rc=$?
    read -r secs kb < <(tail -n 1 "$work/time.txt")
    local written=0; [ -d "$out" ] && written=$(du -sk --apparent-size "$out" | cut -f1)
    printf '| %s | %d KB | %s | %d | %s s | %d MB | %d KB |\n' \
      "$1" "$size" "$cmd" "$rc" "$secs" "$((kb / 1024))" "$written"
  done
}
run "complete graph of 200 systems" complete 200
run "40,000 relationships between one pair" pair 40000
run "20,000 levels of extend" deep 20000
run "hub used by 20,000 systems" star 20000
