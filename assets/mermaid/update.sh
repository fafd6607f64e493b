#!/usr/bin/env bash
# Refreshes the Mermaid bundled into c4c (`c4c serve`, `c4c build --format html`):
# the version the project's render check pins (tools/mermaid-check/package.json),
# from the npm registry, gzipped reproducibly. A test checks the three agree.
set -euo pipefail
cd "$(dirname "$0")"
version=$(node -p "require('../../tools/mermaid-check/package.json').dependencies.mermaid")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "mermaid@$version" >/dev/null)
tar -xzf "$tmp"/mermaid-*.tgz -C "$tmp"
gzip -9 -n -c "$tmp/package/dist/mermaid.min.js" > mermaid.min.js.gz
cp "$tmp/package/LICENSE" LICENSE
echo "$version" > VERSION
echo "bundled Mermaid $version ($(wc -c < mermaid.min.js.gz) bytes gzipped)"
