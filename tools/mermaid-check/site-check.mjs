// Drives a c4c site — `c4c serve` or `c4c build --format html` — in headless
// Chromium (playwright-core, the render check's own), as the project's
// tests do: every view renders in the page with the bundled Mermaid,
// clicking an element lists the views that show it and opens one, and for a
// live server each step (a file written) updates the page.
//
// Usage: node site-check.mjs URL [--steps FILE.json] [--diff] [--offline]
//   --steps: [{ "write": { "path": P, "text": T }, "expect": { "errors": bool,
//              "contains": S, "code": "E001" } }, …] — after each write the
//              page must show a new version within 20 s, then the expectation.
//   --diff:  the page lists diff views (serve --git) and each renders.
//   --offline: the page may request nothing but file: URLs.
// Out: one JSON line {views, rendered, clickable, updates_ms: [...]} on
// stdout and exit 0; a message on stderr and exit 1 on any failure.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// The render check's packages: next to this script, or in $C4C_MERMAID_DEPS.
const req = process.env.C4C_MERMAID_DEPS
  ? createRequire(path.join(path.resolve(process.env.C4C_MERMAID_DEPS), 'package.json'))
  : createRequire(import.meta.url);
const fail = (msg) => {
  process.stderr.write(`site-check: ${msg}\n`);
  process.exit(1);
};

const args = process.argv.slice(2);
const url = args[0];
if (!url) fail('usage: site-check.mjs URL [--steps FILE] [--diff] [--offline]');
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? null : args[i + 1];
};
const steps = opt('--steps') ? JSON.parse(fs.readFileSync(opt('--steps'), 'utf8')) : [];
const wantDiff = args.includes('--diff');
const offline = args.includes('--offline');
// --only-steps: straight to the steps on the page's first view (benches/serve.sh).
const onlySteps = args.includes('--only-steps');

// Per step: ms from the write to the page holding the new state (not yet drawn).
const received = [];

/** Writes each step's file; the page must show a new version, then what the step expects. */
async function runSteps(page, body) {
  const updates = [];
  received.length = 0;
  for (const [i, step] of steps.entries()) {
    const before = (await body()).version;
    const t0 = Date.now();
    fs.writeFileSync(step.write.path, step.write.text);
    try {
      await page.waitForFunction((v) => document.body.dataset.version !== v && document.body.dataset.ready === 'true', before, { timeout: 20000, polling: 5 });
    } catch (e) {
      fail(`step ${i + 1}: the page did not update after writing ${step.write.path}`);
    }
    // The page's own clock (the same machine): polling here would wait for
    // a main thread busy drawing.
    const at = await body();
    received.push(Number(at.receivedAt) - t0);
    updates.push(Number(at.drawnAt) - t0);
    const seen = await page.evaluate(() => ({
      diagnostics: !document.getElementById('diagnostics').hidden,
      text: document.getElementById('diagnostics').innerText,
      svgText: [...document.querySelectorAll('#view svg')].map((s) => s.textContent).join('\n'),
      failed: document.body.dataset.failed,
    }));
    const ex = step.expect || {};
    if (ex.errors !== undefined && seen.diagnostics !== ex.errors) {
      fail(`step ${i + 1}: diagnostics ${seen.diagnostics ? 'shown' : 'not shown'}, expected ${ex.errors ? 'shown' : 'none'}: ${seen.text}`);
    }
    if (ex.code && !seen.text.includes(ex.code)) fail(`step ${i + 1}: ${ex.code} not in the diagnostics: ${seen.text}`);
    if (ex.contains && !seen.svgText.includes(ex.contains)) fail(`step ${i + 1}: no diagram shows ${JSON.stringify(ex.contains)}`);
    if (seen.failed !== '0') fail(`step ${i + 1}: ${seen.failed} views did not render`);
  }
  return updates;
}

const { chromium } = req('playwright-core');
const executablePath = process.env.C4C_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 60000,
  args: ['--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  if (offline) {
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith('file:')) return route.continue();
      problems.push(`network request: ${u}`);
      return route.abort();
    });
  }
  const ready = async () => page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  const body = () => page.evaluate(() => ({ ...document.body.dataset }));

  if (onlySteps) {
    await page.goto(url);
    await ready();
    const updates = await runSteps(page, body);
    if (problems.length) fail(problems.join('\n'));
    process.stdout.write(JSON.stringify({ received_ms: received, updates_ms: updates }) + '\n');
    await browser.close();
    process.exit(0);
  }
  // Every view, on one page.
  await page.goto(url + '#all');
  await ready();
  const all = await page.evaluate(() => ({
    sections: document.querySelectorAll('#view section').length,
    svgs: document.querySelectorAll('#view .c4c-figure svg').length,
    clickable: document.querySelectorAll('[data-element]').length,
  }));
  const b = await body();
  if (b.failed !== '0') fail(`${b.failed} views did not render:\n` + (await page.locator('.c4c-render-error').allInnerTexts()).join('\n'));
  if (all.sections === 0 || all.svgs !== all.sections || b.rendered !== String(all.sections)) {
    fail(`${all.sections} views, ${all.svgs} drawn, rendered=${b.rendered}`);
  }
  if (all.clickable === 0) fail('no element in any view is clickable');

  // Click an element: the views that show it, then open one.
  // A box (a frame's middle may be covered by its boxes).
  const box = (await page.locator('g.node[data-element]').count()) ? 'g.node[data-element]' : '[data-element]';
  await page.locator(box).first().click();
  await page.waitForSelector('#element:not([hidden]) #element-views li a', { timeout: 10000 });
  const listed = await page.locator('#element-views li a').count();
  const target = await page.locator('#element-views li a').first().getAttribute('href');
  await page.locator('#element-views li a').first().click();
  await page.waitForFunction((h) => location.hash === h, target, { timeout: 10000 });
  await ready();
  await page.waitForFunction(() => document.querySelectorAll('#view .c4c-figure svg').length === 1, null, { timeout: 20000 });
  if (listed < 1) fail('clicking an element listed no view');

  // The diff against a revision.
  if (wantDiff) {
    const links = await page.locator('a[href^="#diff="]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    if (links.length === 0) fail('no diff view listed');
    for (const h of links) {
      await page.evaluate((x) => { location.hash = x; }, h);
      await page.waitForFunction((x) => location.hash === x, h);
      await page.waitForFunction(() => document.querySelectorAll('#view .c4c-figure svg, #view .c4c-render-error').length === 1, null, { timeout: 20000 });
      const f = await page.evaluate(() => document.querySelectorAll('#view .c4c-render-error').length);
      if (f) fail(`diff view ${h} did not render`);
    }
    await page.evaluate(() => { location.hash = 'all'; });
    await page.waitForFunction(() => location.hash === '#all');
    await ready();
  }

  // Live: each write shows up.
  const updates = await runSteps(page, body);
  if (problems.length) fail(problems.join('\n'));
  process.stdout.write(JSON.stringify({ views: all.sections, rendered: Number(b.rendered), clickable: all.clickable, listed, updates_ms: updates }) + '\n');
} catch (e) {
  fail(String((e && e.stack) || e));
} finally {
  await browser.close();
}
