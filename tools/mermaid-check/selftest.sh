#!/usr/bin/env bash
# Self-test of check.mjs against fixtures/ (installs the deps first if needed).
# Prints one line per expectation and exits non-zero if any is not met.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 2
if [ -z "${C4C_MERMAID_DEPS:-}" ]; then ./install.sh || exit 2; fi
fails=0
expect() { # expect NAME WANTED_EXIT GREP_PATTERN ARGS...
  local name=$1 want=$2 pat=$3; shift 3
  local out rc
  out="$(node check.mjs "$@" 2>&1)"; rc=$?
  if [ "$rc" = "$want" ] && grep -qE -- "$pat" <<<"$out"; then echo "pass  $name"
  else echo "FAIL  $name (exit $rc, wanted $want; pattern: $pat)"; sed 's/^/      /' <<<"$out" | head -20; fails=$((fails + 1)); fi
}
expect "good.mmd passes"           0 '^1 passed, 0 failed$' fixtures/good.mmd
expect "adversarial.mmd passes"    0 '^1 passed, 0 failed$' fixtures/adversarial.mmd
expect "bad.mmd fails"             1 '^FAIL fixtures/bad.mmd: Parse error' fixtures/bad.mmd
expect "doc.md block 1 ok"         1 '^ok  fixtures/doc.md#block 1$' fixtures/doc.md
expect "doc.md block 2 (style in sequenceDiagram) fails" 1 '^FAIL fixtures/doc.md#block 2: ' fixtures/doc.md
expect "doc.md has exactly 2 blocks" 1 '^1 passed, 1 failed$' fixtures/doc.md
expect "every pitfalls.md block fails" 1 '^0 passed, 1[0-9] failed$' fixtures/pitfalls.md
expect "render-only.mmd parses"    0 '^1 passed, 0 failed$' fixtures/render-only.mmd
expect "render-object-names.mmd parses" 0 '^1 passed, 0 failed$' fixtures/render-object-names.mmd
expect "directory walk"            1 '^9 passed, 1[0-9] failed$' fixtures
expect "nothing found exits 0"     0 'no Mermaid diagrams found' fixtures/no-diagrams.md
expect "missing path exits 2"      2 'cannot read' fixtures/does-not-exist.mmd
# --render: mermaid.render in headless Chromium
expect "render: good.mmd renders"  0 '^1 passed, 0 failed$' --render fixtures/good.mmd
expect "render: adversarial.mmd renders" 0 '^1 passed, 0 failed$' --render fixtures/adversarial.mmd
expect "render: bad.mmd fails"     1 '^FAIL fixtures/bad.mmd: Parse error' --render fixtures/bad.mmd
expect "render: a subgraph in itself fails" 1 '^FAIL fixtures/render-only.mmd: .*would create a cycle' --render fixtures/render-only.mmd
expect "render: object-name ids fail" 1 '^FAIL fixtures/render-object-names.mmd: ' --render fixtures/render-object-names.mmd
expect "render: a fill Mermaid ignores fails" 1 '^FAIL fixtures/render-lost-fill.mmd: declared fill\(s\) not drawn: #0173b2$' --render fixtures/render-lost-fill.mmd
expect "render: duplicate ids fail" 1 '^FAIL fixtures/render-duplicate-ids.mmd: duplicate id\(s\) in the SVG: c4c1-flowchart-x-0 \(2×\)$' --render fixtures/render-duplicate-ids.mmd
expect "render: low contrast is reported" 0 '^contrast fixtures/render-low-contrast.mmd: contrast 3.49:1 < 4.5:1 on the white page: node label \(flowchart-a-0\) "white on blue" #ffffff on #438dd5$' --render fixtures/render-low-contrast.mmd
expect "render: a title on the page is read on the dark page" 0 'on the dark page #0d1117: cluster title \(g\) "Title" #444444 on #0d1117$' --render fixtures/render-low-contrast.mmd
expect "render: a light cluster stroke is reported" 0 '3:1 on the white page: cluster stroke \(g\) #cccccc on #ffffff$' --render fixtures/render-low-contrast.mmd
expect "render: a theme-coloured text is marked" 0 'on the dark page #0d1117: text "hello" #333333 on #0d1117 \(the theme.s text colour\)$' --render fixtures/render-theme-text.mmd
expect "render: --strict-contrast fails on it" 1 '^FAIL fixtures/render-low-contrast.mmd: contrast ' --render --strict-contrast fixtures/render-low-contrast.mmd
expect "render: the width is reported" 0 '^width [0-9]+ fixtures/good.mmd$' --render fixtures/good.mmd
expect "render: --max-width fails a wider one" 1 '^FAIL fixtures/good.mmd: [0-9]+ px wide, over the limit of 100 px' --render --max-width 100 fixtures/good.mmd
C4C_CHROMIUM=/nonexistent/chromium expect "render: missing Chromium exits 2" 2 "Chromium not found" --render fixtures/good.mmd
echo "selftest: $fails expectation(s) not met"
[ "$fails" = 0 ]
