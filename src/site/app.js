// c4c's site script (src/site/app.js, bundled into c4c): lists the views,
// draws the chosen one with the bundled Mermaid, lists the views that show
// an element when it is clicked, shows the diagnostics and the diff, and —
// when served by `c4c serve` — follows every rebuild.
//
// Model text only ever enters the page as text (textContent), never as
// markup; the diagrams go through Mermaid's strict security level.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  /** An element with attributes (`text` sets its text) and children. */
  function make(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') n.textContent = v;
      else n.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) n.append(k);
    return n;
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  let state = JSON.parse($('c4c-state').textContent);
  const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: dark ? 'dark' : 'default',
  });

  // Mermaid text → its drawing ({svg} or {error}); kept for the texts of
  // the current state only.
  let drawn = new Map();
  let seq = 0;
  async function drawing(text) {
    if (drawn.has(text)) return drawn.get(text);
    const id = 'c4c-diagram-' + seq++;
    let out;
    try {
      const { svg } = await window.mermaid.render(id, text);
      out = { svg };
    } catch (e) {
      // Mermaid leaves its scratch element behind on an error.
      const left = document.getElementById('d' + id);
      if (left) left.remove();
      out = { error: String((e && e.message) || e) };
    }
    drawn.set(text, out);
    return out;
  }

  /** The element a box of the drawing stands for (`view.nodes`: Mermaid id → element). */
  function elementOf(g, nodes) {
    const dom = g.id || '';
    if (nodes[dom]) return nodes[dom];
    const m = /flowchart-(.+)-\d+$/.exec(dom);
    if (m && nodes[m[1]]) return nodes[m[1]];
    // Frames: the id itself, after Mermaid's prefix for the diagram.
    for (const id of Object.keys(nodes)) {
      if (dom.endsWith('-' + id)) return nodes[id];
    }
    return null;
  }

  /** Draws `text` into `figure`, making its elements clickable. */
  async function drawInto(figure, text, nodes) {
    const d = await drawing(text);
    figure.replaceChildren();
    if (d.error !== undefined) {
      figure.append(make('pre', { class: 'c4c-render-error', text: 'Mermaid could not draw this view: ' + d.error }));
      return false;
    }
    // Mermaid's output, sanitised by its strict security level.
    figure.innerHTML = d.svg;
    for (const g of figure.querySelectorAll('g.node, g.cluster')) {
      const path = elementOf(g, nodes || {});
      if (!path || !state.elements[path]) continue;
      g.dataset.element = path;
      g.classList.add('c4c-clickable');
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', state.elements[path].name + ': the views that show it');
    }
    return true;
  }

  function viewTitle(v) {
    return make('span', {}, make('span', { text: v.title }), ' ', make('code', { text: v.key }));
  }

  function route() {
    const h = decodeURIComponent(location.hash.slice(1));
    if (h === 'all') return { all: true };
    if (h.startsWith('view=')) return { key: h.slice(5) };
    if (h.startsWith('diff=')) return { diff: h.slice(5) };
    return {};
  }

  // The kinds of views in C4's order, from the widest to the narrowest.
  const KINDS = ['landscape', 'context', 'container', 'component', 'custom', 'dynamic', 'code', 'states', 'deployment', 'mesh', 'cdn'];
  /** The views grouped by kind (in [`KINDS`] order, then any other), each group in model order. */
  function byKind(views) {
    const rank = (k) => (KINDS.indexOf(k) < 0 ? KINDS.length : KINDS.indexOf(k));
    return views.map((v, i) => [v, i]).sort((a, b) => rank(a[0].kind) - rank(b[0].kind) || a[1] - b[1]).map((p) => p[0]);
  }

  function renderList() {
    const list = $('view-list');
    const filter = $('filter').value.trim().toLowerCase();
    const r = route();
    const current = r.key || (!r.all && !r.diff && state.views[0] ? state.views[0].key : null);
    list.replaceChildren();
    if (state.diff) {
      const group = make('li', { class: 'c4c-group', text: 'Changes against ' + state.diff.against });
      list.append(group);
      if (state.diff.views.length === 0) list.append(make('li', { class: 'c4c-none', text: 'no view changes' }));
      for (const v of state.diff.views) {
        const a = make('a', { href: '#diff=' + encodeURIComponent(v.key), text: v.key });
        if (r.diff === v.key) a.setAttribute('aria-current', 'page');
        list.append(make('li', {}, a));
      }
    }
    let kind = null;
    for (const v of byKind(state.views)) {
      const hay = (v.title + ' ' + v.key).toLowerCase();
      if (filter && !hay.includes(filter)) continue;
      if (v.kind !== kind) {
        kind = v.kind;
        list.append(make('li', { class: 'c4c-group', text: kind }));
      }
      const a = make('a', { href: '#view=' + encodeURIComponent(v.key) }, v.title);
      if (v.key === current) a.setAttribute('aria-current', 'page');
      list.append(make('li', {}, a));
    }
    const all = make('a', { href: '#all', text: 'All views on one page' });
    if (r.all) all.setAttribute('aria-current', 'page');
    list.append(make('li', { class: 'c4c-all' }, all));
  }

  function renderDiagnostics() {
    const box = $('diagnostics');
    box.replaceChildren();
    const n = state.errors + state.warnings;
    box.hidden = n === 0;
    if (n === 0) return;
    const words = [];
    if (state.errors) words.push(state.errors + (state.errors === 1 ? ' error' : ' errors'));
    if (state.warnings) words.push(state.warnings + (state.warnings === 1 ? ' warning' : ' warnings'));
    box.append(make('h2', { text: words.join(', ') }));
    if (state.stale) {
      box.append(make('p', { text: 'The model has errors: the views below are those of the last build without errors.' }));
    }
    for (const d of state.diagnostics) {
      const head = d.severity + '[' + d.code + ']: ' + d.message + (d.location ? ' — ' + d.location : '');
      const item = make('details', { class: 'c4c-' + d.severity }, make('summary', { text: head }), make('pre', { text: d.text }));
      if (d.severity === 'error') item.open = true;
      box.append(item);
    }
    if (state.diagnostics.length < n) {
      box.append(make('p', { text: (n - state.diagnostics.length) + ' more not listed here (run c4c check).' }));
    }
  }

  function showElement(path) {
    const aside = $('element');
    const e = state.elements[path];
    if (!e) return;
    aside.replaceChildren();
    aside.hidden = false;
    const close = make('button', { type: 'button', class: 'c4c-close', 'aria-label': 'Close', text: '×' });
    close.addEventListener('click', () => { aside.hidden = true; });
    aside.append(close, make('h2', { text: e.name }), make('p', {}, make('code', { text: path }), ' · ' + e.kind));
    if (e.technology) aside.append(make('p', { text: 'Technology: ' + e.technology }));
    if (e.description) aside.append(make('p', { text: e.description }));
    if (e.tags.length) aside.append(make('p', { text: 'Tags: ' + e.tags.join(', ') }));
    aside.append(make('h3', { text: e.views.length === 0 ? 'Shown in no view' : 'Shown in ' + e.views.length + (e.views.length === 1 ? ' view' : ' views') }));
    const ul = make('ul', { id: 'element-views' });
    for (const key of e.views) {
      const v = state.views.find((x) => x.key === key);
      ul.append(make('li', {}, make('a', { href: '#view=' + encodeURIComponent(key) }, v ? viewTitle(v) : key)));
    }
    aside.append(ul);
  }

  function heading(v) {
    const parts = [make('h2', { text: v.title })];
    parts.push(make('p', { class: 'c4c-meta' }, make('code', { text: v.key }), ' · ' + v.kind + (v.part_of ? ' · part of ' + v.part_of : '')));
    if (v.description) parts.push(make('p', { text: v.description }));
    return parts;
  }

  let showing = 0;
  async function show() {
    const mine = ++showing;
    renderList();
    renderDiagnostics();
    const main = $('view');
    const r = route();
    let rendered = 0;
    let failed = 0;
    const one = async (figure, text, nodes) => {
      if (await drawInto(figure, text, nodes)) rendered++;
      else failed++;
    };
    main.replaceChildren();
    if (r.all) {
      for (const v of state.views) {
        const figure = make('div', { class: 'c4c-figure', 'data-view': v.key });
        main.append(make('section', {}, ...heading(v), figure));
        await one(figure, v.text, v.nodes);
        if (mine !== showing) return;
      }
    } else if (r.diff && state.diff) {
      const v = state.diff.views.find((x) => x.key === r.diff);
      main.append(make('h2', { text: 'Changes against ' + state.diff.against }));
      main.append(make('p', { class: 'c4c-legend', text: 'Green boxes and lines are added, yellow ones changed or moved, dashed red ones removed (drawn from the old model).' }));
      main.append(make('pre', { class: 'c4c-changes', text: state.diff.changes || 'No architecture changes.' }));
      if (v) {
        const figure = make('div', { class: 'c4c-figure', 'data-view': v.key });
        const base = state.views.find((x) => x.key === v.key);
        main.append(make('h3', {}, make('code', { text: v.key })), figure);
        await one(figure, v.text, base ? base.nodes : {});
      }
    } else {
      const v = state.views.find((x) => x.key === r.key) || state.views[0];
      if (!v) {
        main.append(make('p', { text: 'This model has no views.' }));
      } else {
        const figure = make('div', { class: 'c4c-figure', 'data-view': v.key });
        main.append(...heading(v), figure);
        await one(figure, v.text, v.nodes);
      }
    }
    if (mine !== showing) return;
    document.body.dataset.rendered = String(rendered);
    document.body.dataset.failed = String(failed);
    document.body.dataset.version = String(state.version);
    document.body.dataset.drawnAt = String(Date.now());
    document.body.dataset.ready = 'true';
  }

  function setStatus(text) {
    $('status').textContent = text;
  }

  $('view').addEventListener('click', (ev) => {
    const g = ev.target.closest && ev.target.closest('[data-element]');
    if (g) showElement(g.dataset.element);
  });
  $('view').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    const g = ev.target.closest && ev.target.closest('[data-element]');
    if (g) {
      ev.preventDefault();
      showElement(g.dataset.element);
    }
  });
  $('filter').addEventListener('input', renderList);
  window.addEventListener('hashchange', () => {
    $('element').hidden = true;
    show();
  });

  async function follow() {
    for (;;) {
      try {
        const res = await fetch('state.json?after=' + state.version, { cache: 'no-store' });
        if (!res.ok) throw new Error('HTTP ' + res.status);
        const next = await res.json();
        setStatus('live');
        if (next.version !== state.version) {
          // When the new state arrived (before it is drawn): benches/serve.sh.
          document.body.dataset.received = String(next.version);
          document.body.dataset.receivedAt = String(Date.now());
          const texts = new Set(next.views.map((v) => v.text));
          if (next.diff) for (const v of next.diff.views) texts.add(v.text);
          drawn = new Map([...drawn].filter(([t]) => texts.has(t)));
          state = next;
          await show();
        }
      } catch (e) {
        setStatus('c4c serve is not running');
        await sleep(1000);
      }
    }
  }

  show();
  if (state.live) {
    setStatus('live');
    follow();
  }
})();
