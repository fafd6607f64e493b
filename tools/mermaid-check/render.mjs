// Render mode of check.mjs: mermaid's self-contained browser bundle
// (node_modules/mermaid/dist/mermaid.min.js) loaded into one page of headless
// Debian Chromium, driven by playwright-core; each diagram goes through
// mermaid.render(id, text) in that page, which parses AND lays it out (so
// errors that only a browser shows, such as a subgraph nested in itself, are
// caught).
//
// In: the installed dependencies ({ mdir, version, req } from check.mjs), a
// per-diagram timeout in seconds, and the error class for setup trouble.
// Out: an engine { what, check(text) → { error: null | message, width,
// contrast }, close() }; width is the natural width of the drawing (the root
// svg's viewBox width), contrast the texts and cluster strokes below WCAG AA
// (one message each; see inspect.js).
// A diagram fails when mermaid.render throws, times out, returns an SVG
// with NaN coordinates (a layout that broke silently), or when what is drawn
// fails a check of inspect.js: a fill its text declares paints no element (a
// style Mermaid ignored, e.g. `cssClass` in a class diagram, or one a
// `classDef` named like Mermaid's own CSS overrode), or an id is used twice
// in the SVG.
//
// Chromium: $C4C_CHROMIUM, else /usr/bin/chromium (Debian's `chromium`
// package). Nothing is downloaded: every request of the page except the
// bundle itself is refused, and playwright never fetches a browser.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INSPECT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'inspect.js');

const FLAGS = [
  '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// mermaid.render's result must hold no NaN in a coordinate attribute.
const NAN = /\s(?:transform|d|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|viewBox|points)="[^"]*\bNaN\b/;

export async function makeRenderer({ mdir, version, req }, timeoutSec, Setup) {
  let chromium;
  try { ({ chromium } = req('playwright-core')); } catch (e) {
    throw new Setup(`cannot load playwright-core (${e.message.split('\n')[0]}); run tools/mermaid-check/install.sh`);
  }
  const executablePath = process.env.C4C_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Setup(`Chromium not found at ${executablePath}; install it (Debian: \`apt-get install -y chromium\`) ` +
      'or point C4C_CHROMIUM at a Chromium binary');
  }
  const bundle = path.join(mdir, 'dist', 'mermaid.min.js');
  if (!fs.existsSync(bundle)) throw new Setup(`mermaid's browser bundle is missing: ${bundle}`);
  let browser;
  try {
    // headless: --headless; chromiumSandbox (default false): --no-sandbox;
    // playwright makes a fresh temporary --user-data-dir and removes it on close.
    browser = await chromium.launch({ executablePath, headless: true, timeout: 60000, args: FLAGS });
  } catch (e) {
    throw new Setup(`cannot start ${executablePath}: ${String(e.message || e).split('\n').slice(0, 6).join('\n')}`);
  }

  async function newPage() {
    const page = await browser.newPage();
    await page.route('**/*', (r) => r.abort()); // no network, ever
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: bundle });
    await page.addScriptTag({ path: INSPECT });
    await page.evaluate(() => {
      window.mermaid.initialize({ startOnLoad: false, logLevel: 'fatal', suppressErrorRendering: true });
    });
    return page;
  }

  let page;
  try { page = await newPage(); } catch (e) {
    await browser.close().catch(() => {});
    throw new Setup(`cannot load mermaid into Chromium: ${e.message || e}`);
  }
  let n = 0;
  return {
    what: `mermaid ${version} render (Chromium ${browser.version()} via playwright-core)`,
    async check(text) {
      const id = `c4c${++n}`;
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ timedOut: true }), timeoutSec * 1000);
      });
      const rendering = page.evaluate(async ({ id, text, nan }) => {
        try {
          const { svg } = await window.mermaid.render(id, text);
          const bad = new RegExp(nan).exec(svg);
          if (bad) return { error: `rendered SVG has NaN coordinates: ${bad[0].trim().slice(0, 120)}` };
          // Drawn into the page, so computed styles and boxes are real (inspect.js).
          const box = document.createElement('div');
          box.innerHTML = svg;
          document.body.appendChild(box);
          try {
            const { width, problems, contrast } = window.c4cInspect(box.querySelector('svg'), text);
            return { error: problems.length ? problems.join('\n') : null, width, contrast };
          } finally {
            box.remove();
          }
        } catch (e) {
          return { error: (e && (e.message || e.str)) || String(e) };
        } finally {
          for (const sel of [`#d${id}`, `#i${id}`, `#${id}`]) document.querySelector(sel)?.remove();
        }
      }, { id, text, nan: NAN.source }).catch((e) => ({ error: `page error: ${e.message || e}` }));
      const r = await Promise.race([rendering, timeout]);
      clearTimeout(timer);
      if (r && r.timedOut) {
        // The page may be stuck in a loop: replace it.
        await page.close({ runBeforeUnload: false }).catch(() => {});
        page = await newPage();
        return { error: `render timed out after ${timeoutSec} s` };
      }
      return r;
    },
    async close() { await browser.close().catch(() => {}); },
  };
}
