#!/usr/bin/env bash
# Builds every seed model and compares each exNN diagram with the hand-drawn
# original in the seed document, using the mermaid-compare tool, and prints
# every figure mermaid-compare reports for it (not only node and edge F1).
#
# Usage: examples/seeds/compare.sh [--table | --readme] [SEED_DOC] [MERMAID_COMPARE]
#   (no option)  one line per seed with all its figures; exit 1 if any seed is
#                below the pass threshold (node or edge F1 < 0.95)
#   --table      print the score table of examples/seeds/README.md (Markdown)
#   --readme     write that table into examples/seeds/README.md, between the
#                <!-- scores:begin --> and <!-- scores:end --> lines
#   (defaults: the workspace's shared seed document and tool, beside this checkout)
#
# Environment:
#   C4C_OUT=DIR  compare the exNN.mmd files already built in DIR (no build)
#   C4C=BIN      build with this c4c binary instead of `cargo run --release`
set -uo pipefail
cd "$(dirname "$0")/../.."
mode=lines
case "${1:-}" in
  --table) mode=table; shift ;;
  --readme) mode=readme; shift ;;
  -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
esac
# the shared directory beside this checkout (or beside the worktree directory holding it)
shared=../shared
[ -d "$shared" ] || [ ! -d ../../shared ] || shared=../../shared
seed="${1:-$shared/seeds/c4-advanced-examples-61-85.md}"
compare="${2:-$shared/tools/mermaid-check/mermaid-compare}"
[ -f "$seed" ] || { echo "no seed document at $seed" >&2; exit 2; }
[ -x "$compare" ] || compare="bash $compare"
command -v node >/dev/null || { echo "node is needed (mermaid-compare needs it too)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${C4C_OUT:-}" ]; then
  out=$C4C_OUT
  [ -d "$out" ] || { echo "C4C_OUT=$out is not a directory" >&2; exit 2; }
elif [ -n "${C4C:-}" ]; then
  out=$work/out
  "$C4C" build -q examples/seeds -o "$out" || exit 2
else
  out=$work/out
  cargo run --quiet --release -- build -q examples/seeds -o "$out" || exit 2
fi
ls "$out"/ex*.mmd >/dev/null 2>&1 || { echo "no exNN.mmd in $out" >&2; exit 2; }

mkdir "$work/json"
for f in "$out"/ex*.mmd; do
  n=$(basename "$f" .mmd); n=${n#ex}
  $compare --json "$seed@Example $n" "$f" >"$work/json/$n.json" 2>"$work/json/$n.err"
  echo $? >"$work/json/$n.rc"
  # the seed's heading, the model files and the kind of view that draws exNN
  grep -m1 "^#* *Example $n:" "$seed" | sed 's/^#* *Example [0-9]*: *//' >"$work/json/$n.title"
  (cd examples/seeds && ls -- "$n"-* 2>/dev/null) >"$work/json/$n.files"
  grep -h "\"ex$n\"" examples/seeds/"$n"-*.c4 2>/dev/null | awk 'NR==1{print $1}' >"$work/json/$n.view"
done

node - "$work/json" "$mode" >"$work/report" <<'JS'
const fs = require('fs');
const path = require('path');
const [dir, mode] = process.argv.slice(2);
const read = (n, ext) => fs.readFileSync(path.join(dir, `${n}.${ext}`), 'utf8').trim();
const seeds = fs.readdirSync(dir).filter((f) => f.endsWith('.rc')).map((f) => f.slice(0, -3)).sort();

const num = (x) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const get = (m, key, field) => (m && m[key] ? num(m[key][field]) : 'n/a');
const NA = '—'; // the figure does not exist for this diagram type

// Every figure mermaid-compare prints, per diagram family, in the table's columns:
// nodes, label detail, edges, edges ignoring labels, subgraphs, membership,
// other figures, fill (informational), shape (informational).
function figures(j) {
  const m = j.metrics;
  switch (j.expected.family) {
    case 'flowchart':
      return {
        nodes: get(m, 'nodes', 'f1'), detail: get(m, 'labelDetail', 'recall'),
        edges: get(m, 'edges', 'f1'), edgesLI: get(m, 'edgesLabelInsensitive', 'f1'),
        subgraphs: get(m, 'subgraphs', 'f1'), membership: get(m, 'membership', 'ratio'),
        other: [], fill: get(m, 'styleFill', 'ratio'), shape: get(m, 'shape', 'ratio'),
      };
    case 'state':
      return {
        nodes: get(m, 'nodes', 'f1'), detail: get(m, 'labelDetail', 'recall'),
        edges: get(m, 'edges', 'f1'), edgesLI: get(m, 'edgesLabelInsensitive', 'f1'),
        subgraphs: get(m, 'subgraphs', 'f1'), membership: get(m, 'membership', 'ratio'),
        other: [`notes F1 ${get(m, 'notes', 'f1')}`, `note text ${get(m, 'noteText', 'ratio')}`],
        fill: get(m, 'styleFill', 'ratio'), shape: NA,
      };
    case 'class':
      return {
        nodes: get(m, 'classes', 'f1'), detail: get(m, 'members', 'recall'),
        edges: get(m, 'relations', 'f1'), edgesLI: NA, subgraphs: NA, membership: NA,
        other: [
          `members precision ${get(m, 'members', 'precision')}`,
          `annotations ${get(m, 'annotations', 'ratio')}`,
          `relation labels ${get(m, 'relationLabels', 'ratio')}`,
          `cardinalities ${get(m, 'relationCardinalities', 'ratio')}`,
          `notes F1 ${get(m, 'notes', 'f1')}`,
        ],
        fill: get(m, 'styleFill', 'ratio'), shape: NA,
      };
    case 'sequence':
      return {
        nodes: get(m, 'participants', 'f1'), detail: NA,
        edges: get(m, 'messages', 'f1'), edgesLI: NA, subgraphs: NA, membership: NA,
        other: [
          `message order ${get(m, 'messageOrder', 'ratio')}`,
          `notes F1 ${get(m, 'notes', 'f1')}`,
          `blocks (informational) ${get(m, 'blocks', 'f1')}`,
        ],
        fill: NA, shape: NA,
      };
    default:
      return null;
  }
}

const rows = [];
const lines = [];
for (const n of seeds) {
  const rc = Number(read(n, 'rc'));
  const err = read(n, 'err');
  const title = read(n, 'title');
  const files = read(n, 'files').split('\n').filter(Boolean);
  const view = read(n, 'view');
  const model = files.map((f) => `[${f}](${f})`).join(' + ');
  const head = `| ${n} | ${title} | ${model} | ${view ? '`' + view + '`' : ''} |`;
  let j = null;
  try { j = JSON.parse(read(n, 'json')); } catch (e) { j = null; }
  if (!j || !j.metrics) {
    const why = /no ```mermaid block/.test(err) ? 'no diagram in the seed' : `not compared: ${err.split('\n')[0]}`;
    rows.push(`${head} (${why}) | | | | | | | | | |`);
    lines.push(`Example ${n}: ${why}`);
    continue;
  }
  const f = figures(j);
  if (!f) {
    rows.push(`${head} (diagram type ${j.expected.family} not scored) | | | | | | | | | |`);
    lines.push(`Example ${n}: diagram type ${j.expected.family} not scored`);
    continue;
  }
  const verdict = rc === 0 ? 'PASS' : 'FAIL';
  rows.push(`${head} ${f.nodes} | ${f.detail} | ${f.edges} | ${f.edgesLI} | ${f.subgraphs} | ${f.membership} | ${f.other.join(', ')} | ${f.fill} | ${f.shape} | ${verdict.toLowerCase()} |`);
  const parts = [
    `nodes F1 ${f.nodes}`, `label detail ${f.detail}`, `edges F1 ${f.edges}`,
    `edges F1 (label-insensitive) ${f.edgesLI}`, `subgraphs F1 ${f.subgraphs}`,
    `membership ${f.membership}`, ...f.other, `fill ${f.fill} (informational)`,
    `shape ${f.shape} (informational)`,
  ].filter((p) => !p.includes(NA));
  lines.push(`Example ${n} (${j.expected.family}): ${parts.join(' · ')} -> ${verdict}`);
}

if (mode === 'lines') {
  console.log(lines.join('\n'));
} else {
  console.log('| # | Example | Model | View | Nodes F1 | Label detail | Edges F1 | Edges F1, labels ignored | Subgraphs F1 | Membership | Other figures | Fill (info.) | Shape (info.) | Node and edge F1 ≥ 0.95 |');
  console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|:---:|');
  console.log(rows.join('\n'));
}
JS
[ $? -eq 0 ] || exit 2

status=0
for rc in "$work"/json/*.rc; do
  n=$(basename "$rc" .rc)
  case "$(cat "$rc")" in
    0) ;;
    2) grep -q 'no ```mermaid block' "$work/json/$n.err" || status=1 ;;
    *) status=1 ;;
  esac
done

case $mode in
  lines|table) cat "$work/report" ;;
  readme)
    readme=examples/seeds/README.md
    grep -q '^<!-- scores:begin -->$' "$readme" && grep -q '^<!-- scores:end -->$' "$readme" \
      || { echo "$readme has no <!-- scores:begin --> / <!-- scores:end --> lines" >&2; exit 2; }
    awk -v table="$work/report" '
      /^<!-- scores:begin -->$/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
      /^<!-- scores:end -->$/ { skip = 0 }
      !skip { print }
    ' "$readme" >"$work/readme" && cat "$work/readme" >"$readme"
    echo "updated $readme" >&2
    ;;
esac
exit $status
