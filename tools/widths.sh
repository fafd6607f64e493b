#!/usr/bin/env bash
# widths.sh SVG_DIR [LIMIT]
# Natural width of every rendered view: reads the width of the viewBox
# ("minx miny W H") that Mermaid writes on the root <svg> of each SVG under
# SVG_DIR (index.md blocks are skipped: they repeat the views), prints
# "WIDTH<TAB>VIEW" widest first (VIEW: the SVG's path below SVG_DIR, so
# views of the same key in different models stay apart), then how many views are wider than LIMIT
# (default 1200 px, what GitHub shows at about 900 px without shrinking much).
#
# Render the SVGs first, e.g.:
#   target/debug/c4c build examples -o /tmp/views -q
#   mermaid-check --render --out /tmp/svg /tmp/views   # a mermaid-check with --out
#   tools/widths.sh /tmp/svg
set -euo pipefail
dir=${1:?usage: widths.sh SVG_DIR [LIMIT]}
dir=${dir%/}
limit=${2:-1200}
find "$dir" -name '*.svg' ! -name '*.md.block-*' -print0 | sort -z |
  while IFS= read -r -d '' f; do
    w=$(head -c 4000 "$f" | grep -o 'viewBox="[^"]*"' | head -1 | awk '{printf "%d", $3 + 0.5}')
    rel=${f#"$dir"/}
    printf '%s\t%s\n' "${w:-?}" "${rel%.svg}"
  done | sort -t$'\t' -k1,1nr |
  awk -F'\t' -v limit="$limit" '
    { print; n++; if ($1 + 0 > limit) wide++ }
    END { printf "%d of %d views wider than %d px (%.0f%%)\n", wide, n, limit, n ? 100 * wide / n : 0 }'
