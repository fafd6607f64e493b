#!/usr/bin/env bash
# Builds every seed model and compares each exNN diagram with the hand-drawn
# original in the seed document, using the mermaid-compare tool, and prints
# every figure mermaid-compare reports for it (not only node and edge F1).
#
# Usage: examples/seeds/compare.sh [--table | --readme] [SEED_DOC] [MERMAID_COMPARE]
#   (no option)  one line per seed with all its figures; exit 1 if any seed is
#                below the pass threshold (node or edge F1 < 0.95; for a seed
#                compared by parts, in any of its parts)
#   --table      print the score table of examples/seeds/README.md (Markdown)
#   --readme     write that table into examples/seeds/README.md, between the
#                <!-- scores:begin --> and <!-- scores:end --> lines
#   (defaults: the workspace's shared seed document and tool, beside this checkout)
#
# Parts: a seed whose drawing sets alternative designs side by side (one
# subgraph each) is written as one model per alternative, each drawing one
# alternative. examples/seeds/parts.txt names them, one line per part:
#   SEED "SUBGRAPH TITLE" VIEW        e.g. 75 "Orchestration Pattern (Centralized)" saga-orchestration
# The script cuts that subgraph out of the seed's drawing by its title (its
# lines, nested subgraphs included, the drawing's top-level edges between its
# boxes, and the `style`/`class` lines of its boxes) into a standalone diagram
# with the drawing's header, and compares it with VIEW.mmd. Such a seed is
# reported twice: the whole drawing against exNN (informational: exNN draws one
# alternative) and one row per part; it passes when every part passes.
#
# Environment:
#   C4C_OUT=DIR  compare the exNN.mmd (and the parts' VIEW.mmd) files already
#                built in DIR (no build)
#   C4C=BIN      build with this c4c binary instead of `cargo run --release`
#   KEEP_WORK=1  keep the work directory (the cut-out parts: json/NN~K.part.mmd)
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
[ -z "${KEEP_WORK:-}" ] || echo "keeping the work directory $work" >&2
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
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
  # (the file that defines exNN first)
  (cd examples/seeds && { grep -lE "^[[:space:]]*[a-z]+ \"ex$n\"" -- "$n"-*.c4; ls -- "$n"-*; } 2>/dev/null \
    | awk '!seen[$0]++') >"$work/json/$n.files"
  grep -h "\"ex$n\"" examples/seeds/"$n"-*.c4 2>/dev/null | awk 'NR==1{print $1}' >"$work/json/$n.view"
done

# the parts: cut each named subgraph out of its seed's drawing (see "Parts" above)
parts=examples/seeds/parts.txt
if [ -f "$parts" ]; then
  node - "$seed" "$parts" "$work/json" <<'JS' || exit 2
const fs = require('fs');
const path = require('path');
const [seedDoc, partsFile, dir] = process.argv.slice(2);
const doc = fs.readFileSync(seedDoc, 'utf8').split('\n');
// the first ```mermaid block under the first heading naming "Example N"
function drawing(n) {
  const h = doc.findIndex((l) => /^#+\s/.test(l) && new RegExp(`\\bExample ${n}\\b`).test(l));
  if (h < 0) return null;
  const b = doc.findIndex((l, i) => i > h && /^\s*```mermaid\s*$/.test(l));
  if (b < 0) return null;
  const e = doc.findIndex((l, i) => i > b && /^\s*```\s*$/.test(l));
  return doc.slice(b + 1, e < 0 ? undefined : e);
}
const title = (rest) => {
  const t = rest.trim();
  let m = t.match(/^"(.*)"$/);
  if (m) return m[1];
  m = t.match(/^\S+?\s*\[\s*"?(.*?)"?\s*\]$/);
  return m ? m[1] : t;
};
// the ids a line names: quoted text, edge labels and box labels removed
const KEYWORDS = new Set(['subgraph', 'end', 'style', 'class', 'classDef', 'linkStyle', 'click', 'direction']);
const ids = (line) => (line
  .replace(/"[^"]*"/g, '').replace(/\|[^|]*\|/g, '')
  .replace(/\[[^\]]*\]|\([^)]*\)|\{[^}]*\}/g, '')
  .match(/[A-Za-z_]\w*/g) || []);
let k = 0;
for (const raw of fs.readFileSync(partsFile, 'utf8').split('\n')) {
  const line = raw.trim();
  if (!line || line.startsWith('#')) continue;
  const m = line.match(/^(\d+)\s+"([^"]+)"\s+(\S+)$/);
  if (!m) { console.error(`${partsFile}: not SEED "TITLE" VIEW: ${line}`); process.exit(1); }
  const [, n, want, view] = m;
  const key = `${n}~${++k}`;
  const put = (ext, text) => fs.writeFileSync(path.join(dir, `${key}.${ext}`), text);
  put('part', want); put('viewkey', view);
  const lines = drawing(n);
  if (!lines) { put('cut-err', `no drawing under "Example ${n}"`); continue; }
  const header = lines.findIndex((l) => l.trim() && !l.trim().startsWith('%%'));
  // depth of each line, and the part's lines (inside the subgraph titled `want`)
  let depth = 0; let start = -1; let stop = -1; const top = [];
  lines.forEach((l, i) => {
    if (i <= header) return;
    const t = l.trim();
    const sub = t.match(/^subgraph\s+(.*)$/);
    if (sub) { depth += 1; if (start < 0 && title(sub[1]) === want) start = i; return; }
    if (/^end\s*;?$/.test(t)) {
      depth -= 1;
      if (start >= 0 && stop < 0 && depth === countDepth(start)) stop = i;
      return;
    }
    if (depth === 0) top.push(l);
  });
  function countDepth(at) { // the depth outside the subgraph opened at line `at`
    let d = 0;
    for (let i = header + 1; i < at; i += 1) {
      const t = lines[i].trim();
      if (/^subgraph\s/.test(t)) d += 1; else if (/^end\s*;?$/.test(t)) d -= 1;
    }
    return d;
  }
  if (start < 0 || stop < 0) { put('cut-err', `no subgraph "${want}" in the drawing of Example ${n}`); continue; }
  const body = lines.slice(start + 1, stop);
  const mine = new Set(body.flatMap((l) => ids(l.trim())).filter((w) => !KEYWORDS.has(w)));
  const out = [lines[header].trim()];
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.match(/^\s*/)[0].length));
  for (const l of body) out.push('    ' + l.slice(Math.min(indent, l.match(/^\s*/)[0].length)));
  for (const l of top) {
    const t = l.trim();
    const st = t.match(/^style\s+(\S+)\s/);
    const cl = t.match(/^class\s+(\S+)\s+(\S+)\s*;?$/);
    if (st) { if (mine.has(st[1])) out.push('    ' + t); continue; }
    if (cl) {
      const keep = cl[1].split(',').filter((x) => mine.has(x));
      if (keep.length) out.push(`    class ${keep.join(',')} ${cl[2]}`);
      continue;
    }
    if (/^classDef\s/.test(t)) { out.push('    ' + t); continue; }
    const w = ids(t);
    if (/(--|==|-\.)/.test(t) && w.length && w.every((x) => mine.has(x))) out.push('    ' + t);
  }
  put('part.mmd', out.join('\n') + '\n');
}
JS
  for p in "$work"/json/*.part; do
    [ -e "$p" ] || continue
    key=$(basename "$p" .part); n=${key%%~*}; view=$(cat "$work/json/$key.viewkey")
    grep -m1 "^#* *Example $n:" "$seed" | sed 's/^#* *Example [0-9]*: *//' >"$work/json/$key.title"
    (cd examples/seeds && grep -lE "^[[:space:]]*[a-z]+ \"$view\"" -- "$n"-*.c4 2>/dev/null) >"$work/json/$key.files"
    grep -hE "^[[:space:]]*[a-z]+ \"$view\"" examples/seeds/"$n"-*.c4 2>/dev/null | awk 'NR==1{print $1}' >"$work/json/$key.view"
    if [ -e "$work/json/$key.cut-err" ]; then
      cp "$work/json/$key.cut-err" "$work/json/$key.err"; : >"$work/json/$key.json"; echo 2 >"$work/json/$key.rc"
    elif [ ! -f "$out/$view.mmd" ]; then
      echo "no $view.mmd in $out" >"$work/json/$key.err"; : >"$work/json/$key.json"; echo 2 >"$work/json/$key.rc"
    else
      $compare --json "$work/json/$key.part.mmd" "$out/$view.mmd" >"$work/json/$key.json" 2>"$work/json/$key.err"
      echo $? >"$work/json/$key.rc"
    fi
  done
fi

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

// one comparison: a seed's whole drawing (key NN) or one part of it (key NN~K)
function unit(key) {
  const rc = Number(read(key, 'rc'));
  const err = read(key, 'err');
  const files = read(key, 'files').split('\n').filter(Boolean);
  const view = read(key, 'view');
  let j = null;
  try { j = JSON.parse(read(key, 'json')); } catch (e) { j = null; }
  let why = null;
  let f = null;
  if (!j || !j.metrics) {
    why = /no ```mermaid block/.test(err) ? 'no diagram in the seed' : `not compared: ${err.split('\n')[0]}`;
  } else {
    f = figures(j);
    if (!f) why = `diagram type ${j.expected.family} not scored`;
  }
  return { rc, files, view, j, f, why, pass: rc === 0 && !why };
}
const cells = (f) => `${f.nodes} | ${f.detail} | ${f.edges} | ${f.edgesLI} | ${f.subgraphs} | ${f.membership} | ${f.other.join(', ')} | ${f.fill} | ${f.shape}`;
const summary = (f) => [
  `nodes F1 ${f.nodes}`, `label detail ${f.detail}`, `edges F1 ${f.edges}`,
  `edges F1 (label-insensitive) ${f.edgesLI}`, `subgraphs F1 ${f.subgraphs}`,
  `membership ${f.membership}`, ...f.other, `fill ${f.fill} (informational)`,
  `shape ${f.shape} (informational)`,
].filter((p) => !p.includes(NA)).join(' · ');
const link = (files) => files.map((x) => `[${x}](${x})`).join(' + ');

const rows = [];
const lines = [];
const verdicts = {}; // seed -> true when it passes by the rule that counts for it
for (const n of seeds.filter((s) => !s.includes('~'))) {
  const title = read(n, 'title');
  const u = unit(n);
  const parts = seeds.filter((s) => s.startsWith(`${n}~`)).sort((a, b) => Number(a.split('~')[1]) - Number(b.split('~')[1])).map((k) => ({ k, u: unit(k), part: read(k, 'part') }));
  const head = `| ${n} | ${title}${parts.length ? ' (whole drawing)' : ''} | ${link(u.files)} | ${u.view ? '`' + u.view + '`' : ''} |`;
  const byParts = parts.length > 0;
  const partsPass = parts.filter((p) => p.u.pass).length;
  const seedPass = byParts ? partsPass === parts.length : u.pass;
  verdicts[n] = u.why === 'no diagram in the seed' ? true : seedPass;
  if (u.why) {
    rows.push(`${head} (${u.why}) | | | | | | | | | |`);
    lines.push(`Example ${n}: ${u.why}`);
  } else {
    const whole = u.pass ? 'pass' : 'fail';
    const verdict = byParts
      ? `${seedPass ? 'pass' : 'fail'} by its parts (${partsPass} of ${parts.length}); whole drawing ${whole}`
      : whole;
    rows.push(`${head} ${cells(u.f)} | ${verdict} |`);
    lines.push(`Example ${n} (${u.j.expected.family}${byParts ? ', whole drawing' : ''}): ${summary(u.f)} -> ${byParts ? `${whole.toUpperCase()} (the seed counts by its ${parts.length} parts)` : whole.toUpperCase()}`);
  }
  parts.forEach(({ k, u: p, part }, i) => {
    const ph = `| ${n} ↳ part ${i + 1} | ↳ part "${part}" | ${link(p.files)} | ${p.view ? '`' + p.view + '` `' + read(k, 'viewkey') + '`' : '`' + read(k, 'viewkey') + '`'} |`;
    if (p.why) {
      rows.push(`${ph} (${p.why}) | | | | | | | | | fail |`);
      lines.push(`  Example ${n}, part "${part}": ${p.why} -> FAIL`);
      return;
    }
    rows.push(`${ph} ${cells(p.f)} | ${p.pass ? 'pass' : 'fail'} |`);
    lines.push(`  Example ${n}, part "${part}" vs ${read(k, 'viewkey')}: ${summary(p.f)} -> ${p.pass ? 'PASS' : 'FAIL'}`);
  });
  if (byParts) lines.push(`  Example ${n}: ${partsPass} of ${parts.length} parts pass -> ${seedPass ? 'PASS' : 'FAIL'}`);
}
fs.writeFileSync(path.join(dir, 'verdicts'), Object.entries(verdicts).filter(([, v]) => !v).map(([n]) => n).join('\n'));

if (mode === 'lines') {
  console.log(lines.join('\n'));
} else {
  console.log('| # | Example | Model | View | Nodes F1 | Label detail | Edges F1 | Edges F1, labels ignored | Subgraphs F1 | Membership | Other figures | Fill (info.) | Shape (info.) | Node and edge F1 ≥ 0.95 |');
  console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|:---:|');
  console.log(rows.join('\n'));
}
JS
[ $? -eq 0 ] || exit 2

# exit 1 when a seed fails by the rule that counts for it (its parts, if it has any)
status=0
[ -s "$work/json/verdicts" ] && status=1

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
