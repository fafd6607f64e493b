// c4c's Mermaid checker: every diagram is handed to the real mermaid library,
// either its parser (mermaid.parse, in Node under jsdom; the default) or, with
// --render, its renderer (mermaid.render, mermaid's browser bundle in headless
// Chromium driven by playwright-core; see render.mjs), which also lays the
// diagram out and so catches what parsing alone lets through.
//
//   node check.mjs [--render] [--timeout SEC] [--max-width PX] [--strict-contrast] PATH...
//
// With --render, after its ok/FAIL line, each distinct diagram gets a
// `width PX LABEL` line (its natural width: the root svg's viewBox width) and
// a `contrast LABEL: MESSAGE` line per text or cluster stroke below WCAG AA
// (see inspect.js); summaries of both go to stderr. --max-width PX fails
// every diagram wider; --strict-contrast fails every diagram with a finding.
//
// PATH: a .mmd file (one diagram), a .md file (each ```mermaid block is one
// diagram), or a directory searched recursively for both.
// Exit: 0 all pass (or none found), 1 any failure, 2 usage/setup trouble
// (mermaid not installed, Chromium missing or not starting).
// Dependencies: node_modules next to this script (`npm ci` here, or
// install.sh), or $C4C_MERMAID_DEPS/node_modules; for --render, Chromium at
// $C4C_CHROMIUM or /usr/bin/chromium.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAX_TEXT = 50000; // mermaid's default maxTextSize
const SLOW_MS = 1000; // a diagram that takes longer is named on stderr
const SKIP_DIRS = new Set(['node_modules', '.git']);
const DIAGRAM_EXTS = new Set(['.mmd', '.md']);
const WIDE = 1200; // px: GitHub shows a diagram about 900 px wide and shrinks wider ones

class Setup extends Error {}

function walk(p, out) {
  let st;
  try { st = fs.statSync(p); } catch (e) { throw new Setup(`cannot read ${p}: ${e.code || e.message}`); }
  if (!st.isDirectory()) { out.push(p); return; }
  let names;
  try { names = fs.readdirSync(p).sort(); } catch (e) { throw new Setup(`cannot read ${p}: ${e.code || e.message}`); }
  for (const n of names) {
    const full = path.join(p, n);
    let s;
    try { s = fs.statSync(full); } catch { continue; } // dangling link
    if (s.isDirectory()) { if (!SKIP_DIRS.has(n)) walk(full, out); }
    else if (DIAGRAM_EXTS.has(path.extname(n).toLowerCase())) out.push(full);
  }
}

// ```mermaid / ~~~mermaid fences (CommonMark-ish: closing fence of the same
// character, at least as long). Other fences are skipped whole, so mermaid
// text quoted inside e.g. a ````markdown fence is not picked up.
function mermaidBlocks(text) {
  const lines = text.split(/\r?\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!m) continue;
    const [, indent, fence, info] = m;
    const start = i + 1; // 1-based line of the opening fence
    const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`);
    const body = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      if (close.test(lines[i])) { closed = true; break; }
      body.push(lines[i].replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    if (info.toLowerCase() === 'mermaid') blocks.push({ start, text: body.join('\n'), closed });
  }
  return blocks;
}

function diagramsOf(file) {
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) { throw new Setup(`cannot read ${file}: ${e.code || e.message}`); }
  text = text.replace(/^\uFEFF/, '');
  if (path.extname(file).toLowerCase() !== '.md') return [{ label: file, text }];
  return mermaidBlocks(text).map((b, n) => ({
    label: `${file}#block ${n + 1}`,
    text: b.text,
    pre: b.closed ? null : `unterminated \`\`\`mermaid fence (opened at line ${b.start})`,
    start: b.start,
  }));
}

function depsDir() {
  const base = process.env.C4C_MERMAID_DEPS ? path.resolve(process.env.C4C_MERMAID_DEPS) : HERE;
  const mdir = path.join(base, 'node_modules', 'mermaid');
  if (!fs.existsSync(path.join(mdir, 'package.json'))) {
    throw new Setup(`mermaid is not installed in ${path.join(base, 'node_modules')}; ` +
      `run tools/mermaid-check/install.sh (or \`npm ci\` in tools/mermaid-check)`);
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(mdir, 'package.json'), 'utf8'));
  return { base, mdir, version, req: createRequire(path.join(base, 'package.json')) };
}

// Parse mode: mermaid.parse in Node, jsdom supplying the DOM mermaid expects.
async function makeParser() {
  const { mdir, version, req } = depsDir();
  let JSDOM;
  try { ({ JSDOM } = req('jsdom')); } catch (e) { throw new Setup(`cannot load jsdom: ${e.message}; run tools/mermaid-check/install.sh`); }
  // mermaid (DOMPurify, d3, colour checks via Option) expects a browser page:
  // expose the jsdom window and every global of it that Node lacks.
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  globalThis.window = window;
  for (const k of Object.getOwnPropertyNames(window)) {
    if (k.startsWith('_') || k in globalThis) continue;
    try { globalThis[k] = window[k]; } catch { /* read-only */ }
  }
  const { default: mermaid } = await import(pathToFileURL(path.join(mdir, 'dist', 'mermaid.core.mjs')).href);
  mermaid.initialize({ startOnLoad: false, logLevel: 'fatal', suppressErrorRendering: true });
  return {
    what: `mermaid ${version} parse (node ${process.version} + jsdom)`,
    async check(text) {
      try { await mermaid.parse(text); return null; } catch (e) { return errorText(e); }
    },
    async close() { window.close(); },
  };
}

function errorText(e) {
  return (e && (e.message || e.str)) || String(e);
}

function message(s) {
  return String(s).replace(/\s+$/, '').split(/\r?\n/).slice(0, 5)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)} …` : l)).join('\n    ');
}

function parseArgs(argv) {
  const o = { render: false, timeout: 30, maxWidth: null, strictContrast: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--render') o.render = true;
    else if (a === '--timeout') {
      o.timeout = Number(argv[++i]);
      if (!(o.timeout > 0)) throw new Setup(`--timeout needs a number of seconds > 0`);
    } else if (a === '--max-width') {
      o.maxWidth = Number(argv[++i]);
      if (!(o.maxWidth > 0)) throw new Setup(`--max-width needs a number of pixels > 0`);
    } else if (a === '--strict-contrast') o.strictContrast = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a === '--') { o.paths.push(...argv.slice(i + 1)); break; }
    else if (a.startsWith('--')) throw new Setup(`unknown option ${a}`);
    else o.paths.push(a);
  }
  return o;
}

const USAGE = 'usage: node check.mjs [--render] [--timeout SEC] [--max-width PX] [--strict-contrast] PATH...   (PATH: .mmd file, .md file, or directory)';

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help || opts.paths.length === 0) {
    console.error(USAGE);
    return opts.help ? 0 : 2;
  }
  const files = [];
  for (const a of opts.paths) walk(a, files);
  // Diagram files before Markdown blocks: a view in both (X.mmd and
  // index.md) is then named by its file in the width and contrast lines.
  const diagrams = files.flatMap(diagramsOf)
    .sort((x, y) => Number(x.start !== undefined) - Number(y.start !== undefined));
  if (diagrams.length === 0) {
    console.error('mermaid-check: warning: no Mermaid diagrams found');
    console.log('0 passed, 0 failed');
    return 0;
  }
  const t0 = performance.now();
  const engine = opts.render
    ? await (await import('./render.mjs')).makeRenderer(depsDir(), opts.timeout, Setup)
    : await makeParser();
  const t1 = performance.now();
  let passed = 0, failed = 0;
  // A diagram met before (e.g. the same view in a .mmd file and in index.md)
  // gets the same verdict without a second check.
  const verdicts = new Map();
  const widths = []; // { width, label } of each distinct rendered diagram
  const lowContrast = []; // { label, low: [message] } of each distinct one with findings
  try {
    for (const d of diagrams) {
      let err = d.pre;
      if (!err && d.text.trim() === '') err = 'empty diagram';
      if (!err && d.text.length > MAX_TEXT) err = `diagram is ${d.text.length} characters, over mermaid's maxTextSize (${MAX_TEXT})`;
      const key = d.text.replace(/\s+$/, '');
      // Width and contrast lines: once per distinct diagram.
      let width = null, low = [];
      if (!err && verdicts.has(key)) err = verdicts.get(key);
      else if (!err) {
        const tStart = performance.now();
        // The parser answers null | message, the renderer { error, width, contrast }.
        const r = await engine.check(d.text);
        ({ error: err, width = null, contrast: low = [] } = r && typeof r === 'object' ? r : { error: r });
        if (!err && width && opts.maxWidth && width > opts.maxWidth) {
          err = `${width} px wide, over the limit of ${opts.maxWidth} px (--max-width)`;
        }
        if (low.length && opts.strictContrast) err = [err, ...low].filter(Boolean).join('\n');
        verdicts.set(key, err);
        if (width) widths.push({ width, label: d.label });
        if (low.length) lowContrast.push({ label: d.label, low });
        const ms = Math.round(performance.now() - tStart);
        if (ms > SLOW_MS) console.error(`mermaid-check: slow: ${d.label} took ${ms} ms`);
      }
      if (err) {
        failed++;
        const where = d.start && !d.pre ? `\n    (block starts at line ${d.start})` : '';
        console.log(`FAIL ${d.label}: ${message(err)}${where}`);
      } else {
        passed++;
        console.log(`ok  ${d.label}`);
      }
      if (width) console.log(`width ${width} ${d.label}`);
      if (!opts.strictContrast) for (const l of low) console.log(`contrast ${d.label}: ${l}`);
    }
  } finally {
    await engine.close();
  }
  const t2 = performance.now();
  console.error(`mermaid-check: ${engine.what}, ${diagrams.length} diagram(s) (${verdicts.size} distinct), ` +
    `startup ${Math.round(t1 - t0)} ms, checking ${Math.round(t2 - t1)} ms`);
  if (widths.length) {
    const limit = opts.maxWidth || WIDE;
    const wide = widths.filter((w) => w.width > limit).length;
    const widest = widths.reduce((a, b) => (b.width > a.width ? b : a));
    console.error(`mermaid-check: widths: ${wide} of ${widths.length} distinct diagram(s) wider than ${limit} px, ` +
      `widest ${widest.width} px (${widest.label})`);
  }
  if (opts.render) {
    const n = lowContrast.reduce((a, c) => a + c.low.length, 0);
    const dark = lowContrast.reduce((a, c) => a + c.low.filter((l) => l.includes('dark page')).length, 0);
    console.error(`mermaid-check: contrast: ${n} finding(s) (${n - dark} on the white page, ${dark} on the dark one) ` +
      `in ${lowContrast.length} of ${verdicts.size} distinct diagram(s)` + (opts.strictContrast ? ' (failures)' : ''));
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    console.error(`mermaid-check: ${e instanceof Setup ? e.message : `internal error: ${e && e.stack || e}`}`);
    process.exitCode = 2;
  },
);
