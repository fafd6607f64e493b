#!/usr/bin/env bash
# Builds the VS Code extension as a .vsix file, ready for
# `code --install-extension c4c-VERSION.vsix` (see docs/editors.md).
#
#   editors/vscode/package.sh
#
# Installs the pinned npm packages (package-lock.json: vscode-languageclient,
# shipped in the .vsix, and @vscode/vsce, the packager) with `npm ci`, puts
# the licences next to package.json, then runs `vsce package`. Needs Node.js
# >= 20 with npm, and the npm registry. Out: editors/vscode/c4c-VERSION.vsix
# (git-ignored, like node_modules/). Exit: 0 packaged, 1 failure.
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
cd "${src%/*}"

die() { echo "package.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js >= 20 with npm is required)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH (Node.js >= 20 with npm is required)"
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$major" -ge 20 ] 2>/dev/null || die "Node.js >= 20 is required (found $(node -v 2>/dev/null || echo '?'))"

echo "package.sh: npm ci (vscode-languageclient, @vscode/vsce) ..." >&2
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2 || die "npm ci failed"

# The .vsix carries the project's licences (MIT or Apache-2.0).
cat ../../LICENSE-MIT <(printf '\n\n') ../../LICENSE-APACHE > LICENSE.txt

version="$(node -p 'require("./package.json").version')"
out="c4c-$version.vsix"
./node_modules/.bin/vsce package --out "$out" >&2 || die "vsce package failed"
echo "package.sh: wrote editors/vscode/$out" >&2
echo "$PWD/$out"
