#!/usr/bin/env bash
# Live-preview latency: how long after a model file is saved the page of
# `c4c serve` shows the rebuilt view, on a generated model of N elements
# (default 1,000; the model is the pipeline benchmark's, benches/pipeline.rs).
# Drives the page in headless Chromium (tools/mermaid-check/site-check.mjs,
# installed by tools/mermaid-check/install.sh). Each of 20 saves changes one
# element's description; the time runs from the write to the page showing the
# new version with its view drawn. Also prints the server's own rebuild times.
# Usage: benches/serve.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
work="${C4C_BENCH_DIR:-target/bench}/serve"
rm -rf "$work" && mkdir -p "$work/model"
C4C_BENCH_SIZES="$n" C4C_BENCH_WRITE="$work" cargo bench --quiet --bench pipeline >/dev/null
mv "$work/model-$n.c4" "$work/model/model.c4"
cargo build --release --quiet
target/release/c4c serve "$work/model" --port 0 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q 'serving http' "$work/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$work/serve.log")
node - "$work/model/model.c4" "$work/steps.json" <<'JS'
const fs = require('fs');
const [file, out] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
// An element's description: `= KIND "Name" "Description"`.
const m = /= \w+ "[^"\n]*" "([^"\n]+)"/.exec(text);
if (!m) throw new Error('no element with a description in the generated model');
const steps = [];
for (let i = 0; i < 20; i++) {
  const edited = m[0].replace(`"${m[1]}"`, `"${m[1]} v${i}"`);
  steps.push({ write: { path: file, text: text.replace(m[0], edited) }, expect: { errors: false } });
}
fs.writeFileSync(out, JSON.stringify(steps));
JS
result=$(node tools/mermaid-check/site-check.mjs "$url" --only-steps --steps "$work/steps.json")
node -e '
const r = JSON.parse(process.argv[1]);
const line = (what, ms) => {
  ms = ms.slice().sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  console.log(`${what}: min ${ms[0]} ms, median ${q(0.5)} ms, 90th ${q(0.9)} ms, max ${ms[ms.length - 1]} ms (${ms.length} saves)`);
};
line("save → new state in the page", r.received_ms);
line("save → view redrawn by Mermaid", r.updates_ms);
' "$result"
echo "server rebuilds (from its log):"
grep 'built' "$work/serve.log" | sed 's/^/  /'
