#!/usr/bin/env bash
# Builds every seed model and compares each exNN diagram with the hand-drawn
# original in the seed document, using the mermaid-compare tool.
# Usage: examples/seeds/compare.sh [SEED_DOC] [MERMAID_COMPARE]
# (defaults: the workspace's shared seed document and tool, beside this checkout)
set -uo pipefail
cd "$(dirname "$0")/../.."
seed="${1:-../shared/seeds/c4-advanced-examples-61-85.md}"
compare="${2:-../shared/tools/mermaid-check/mermaid-compare}"
[ -f "$seed" ] || { echo "no seed document at $seed" >&2; exit 2; }
[ -x "$compare" ] || compare="bash $compare"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --quiet --release -- build -q examples/seeds -o "$out" || exit 2
status=0
for f in "$out"/ex*.mmd; do
  n=$(basename "$f" .mmd); n=${n#ex}
  line=$($compare "$seed@Example $n" "$f" 2>/dev/null | tail -1)
  printf 'Example %s: %s\n' "$n" "$line"
  case "$line" in *PASS*) ;; *) status=1 ;; esac
done
exit $status
