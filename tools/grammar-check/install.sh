#!/usr/bin/env bash
# Install the pinned npm dependencies of tokenize.mjs (vscode-textmate and
# vscode-oniguruma: the TextMate engine VS Code itself runs), with which
# tests/grammar.rs checks editors/vscode/syntaxes/c4c.tmLanguage.json.
#
#   tools/grammar-check/install.sh [DIR]
#
# Creates DIR/node_modules (DIR defaults to this folder) with
# `npm ci --omit=dev --ignore-scripts`, from package.json + package-lock.json.
# Does nothing when DIR already holds an install of the same lock: the marker
# DIR/node_modules/.c4c-grammar-check stores the sha256 of package.json +
# package-lock.json, so changing the pinned versions triggers a reinstall.
# Safe to run repeatedly and from several processes at once: npm runs in a
# temporary folder inside DIR, whose node_modules is then renamed into place.
# Exit: 0 installed (or already installed), 1 failure (message on stderr).
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
TOOL_DIR="$(cd "${src%/*}" && pwd)"
DEST="${1:-$TOOL_DIR}"
MARKER_NAME=".c4c-grammar-check"

die() { echo "grammar-check install: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js >= 20 with npm is required)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH (Node.js >= 20 with npm is required)"
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$major" -ge 20 ] 2>/dev/null || die "Node.js >= 20 is required (found $(node -v 2>/dev/null || echo '?'))"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum (GNU coreutils) is required"

hash="$(cat "$TOOL_DIR/package.json" "$TOOL_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)" \
  || die "cannot read package.json / package-lock.json in $TOOL_DIR"

installed() { [ "$(cat "$DEST/node_modules/$MARKER_NAME" 2>/dev/null || true)" = "$hash" ]; }

installed && exit 0

mkdir -p "$DEST" || die "cannot create $DEST"
DEST="$(cd "$DEST" && pwd)"
tmp="$(mktemp -d "$DEST/.install.XXXXXX")" || die "cannot create a temporary folder in $DEST"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

cp "$TOOL_DIR/package.json" "$TOOL_DIR/package-lock.json" "$tmp/"
echo "grammar-check install: running npm ci in $DEST (vscode-textmate, vscode-oniguruma) ..." >&2
if ! (cd "$tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >"$tmp/npm-ci.log" 2>&1); then
  tail -n 20 "$tmp/npm-ci.log" >&2 || true
  die "npm ci failed (see above)"
fi
for pkg in vscode-textmate vscode-oniguruma; do
  [ -f "$tmp/node_modules/$pkg/package.json" ] || die "npm ci finished but node_modules/$pkg is missing"
done
echo "$hash" >"$tmp/node_modules/$MARKER_NAME"

# Another process may have finished meanwhile: keep its install.
installed && exit 0

# Move a stale install (other hash, or unfinished) aside, then rename ours in.
# rename(2) of a directory onto a non-existent name is atomic; if another
# process wins the race between the two steps, mv fails and we keep theirs.
if [ -e "$DEST/node_modules" ]; then
  mv "$DEST/node_modules" "$tmp/old-node_modules" 2>/dev/null || true
fi
mv -T "$tmp/node_modules" "$DEST/node_modules" 2>/dev/null || true
installed || die "install into $DEST/node_modules did not complete (concurrent install with other versions?)"
echo "grammar-check install: done ($DEST/node_modules)" >&2
