// Tokenizes .c4 files with the real TextMate engine VS Code runs
// (vscode-textmate + vscode-oniguruma), for tests/grammar.rs.
//
//   node tokenize.mjs GRAMMAR.tmLanguage.json FILE...
//
// In: the grammar (scope name from its `scopeName`) and the files. Out, on
// stdout, one JSON document: [{ "file": FILE, "tokens": [[start, end,
// [scope, ...]], ...] }, ...] where start/end are UTF-8 byte offsets in the
// file and the scopes run from the root (`source.c4c`) to the most specific.
// Lines are split at \r\n, \n and \r, as c4c's lexer does; the line breaks
// themselves are not tokens. The rule stack carries over from line to line
// (multi-line strings and comments). Exit 1 with a message on error.
// Packages: node_modules next to this file, or in $C4C_GRAMMAR_DEPS.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const deps = process.env.C4C_GRAMMAR_DEPS || here;
const require = createRequire(join(deps, "package.json"));
const oniguruma = require("vscode-oniguruma");
const vsctm = require("vscode-textmate");

const [grammarPath, ...files] = process.argv.slice(2);
if (!grammarPath) {
  console.error("usage: node tokenize.mjs GRAMMAR.tmLanguage.json FILE...");
  process.exit(2);
}

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const raw = JSON.parse(readFileSync(grammarPath, "utf8"));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (p) => new oniguruma.OnigScanner(p),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scope) => (scope === raw.scopeName ? raw : null),
});
const grammar = await registry.loadGrammar(raw.scopeName);
if (!grammar) {
  console.error(`grammar-check: cannot load ${grammarPath}`);
  process.exit(1);
}

const out = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const tokens = [];
  let stack = vsctm.INITIAL;
  let offset = 0; // UTF-8 byte offset of the line's start
  const re = /\r\n|\n|\r/g;
  let from = 0;
  for (;;) {
    const m = re.exec(text);
    const line = text.slice(from, m ? m.index : text.length);
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end <= t.startIndex) continue;
      const start = offset + Buffer.byteLength(line.slice(0, t.startIndex));
      const len = Buffer.byteLength(line.slice(t.startIndex, end));
      tokens.push([start, start + len, t.scopes]);
    }
    stack = r.ruleStack;
    if (!m) break;
    offset += Buffer.byteLength(line) + m[0].length;
    from = m.index + m[0].length;
  }
  out.push({ file, tokens });
}
process.stdout.write(JSON.stringify(out));
