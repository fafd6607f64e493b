// What render.mjs checks in a drawn diagram, run inside the Chromium page
// (plain script: it defines window.c4cInspect).
//
// In: the root <svg> Mermaid rendered, already in the document (so computed
// styles and boxes are real), and the diagram's text.
// Out: { width, problems, contrast }: width is the root svg's viewBox width
// (the diagram's natural width, what GitHub shrinks to about 900 px);
// problems and contrast are lists of strings, one per failure. Problems:
// - a fill the text declares (`classDef`/`style` `fill:#…`, `$bgColor="#…"`)
//   that paints no element (a style Mermaid ignored);
// - an id used by two elements of the SVG (a browser resolves `#id`, markers
//   and `url(#…)` to the first, so the second draws wrong);
// Contrast (kept apart: check.mjs reports them, and fails on them only with
// --strict-contrast):
// - a text below 4.5:1 against what is drawn behind it (WCAG 2 contrast):
//   the filled shapes under its centre, composited in paint order over the
//   page, and the backgrounds of its HTML ancestors; checked over a white
//   page AND over GitHub's dark page (#0d1117), so a text on the page (or on
//   a translucent fill) must read on both, a text on an opaque fill on it;
// - a cluster (subgraph, boundary) stroke below 3:1 against what is around
//   it (the page, both colours, or the cluster it sits in).
// A text whose colour comes from Mermaid's stylesheet, not from the diagram,
// is marked "(the theme's text colour)": a site that renders its dark mode
// with Mermaid's dark theme changes that colour, never the diagram's own.

(function () {
  const TEXT_MIN = 4.5;
  const STROKE_MIN = 3;
  const PAGES = [['white page', [255, 255, 255]], ['dark page #0d1117', [13, 17, 23]]];
  const MAX_LISTED = 12;

  // "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" / "#abc" → [r, g, b, a]; null for
  // none, transparent, gradients and what is not a colour.
  function parse(css) {
    if (!css || css === 'none' || css === 'transparent') return null;
    let m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css);
    if (m) {
      let a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
      return a > 0 ? [+m[1], +m[2], +m[3], a] : null;
    }
    m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css);
    if (m) {
      const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
      return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(1);
    }
    return null;
  }
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]));
  function luminance(rgb) {
    const lin = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  const hex = (rgb) => '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');

  function inspect(svg, text) {
    const problems = [];
    const low = [];
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const width = vb && vb.width ? Math.round(vb.width) : Math.round(svg.getBoundingClientRect().width);
    const all = [...svg.querySelectorAll('*')];
    const style = new Map(all.map((el) => [el, getComputedStyle(el)]));
    const hidden = (el) => el.closest('defs, marker, style, title, desc, symbol, clipPath, mask');

    // Declared fills must be drawn.
    const declared = new Set();
    for (const m of text.matchAll(/(?:\bfill:|\$bgColor=")(?:#35;|#)([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b/g)) {
      declared.add(hex(parse('#' + m[1].toLowerCase()).slice(0, 3)));
    }
    if (declared.size) {
      const painted = new Set();
      for (const el of all) {
        const c = parse(style.get(el).fill);
        if (c) painted.add(hex(c.slice(0, 3)));
      }
      const lost = [...declared].filter((h) => !painted.has(h));
      if (lost.length) problems.push(`declared fill(s) not drawn: ${lost.join(', ')}`);
    }

    // Unique ids.
    const ids = new Map();
    for (const el of svg.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) || 0) + 1);
    if (svg.id) ids.set(svg.id, (ids.get(svg.id) || 0) + 1);
    const twice = [...ids].filter(([, n]) => n > 1);
    if (twice.length) {
      problems.push(`duplicate id(s) in the SVG: ${twice.slice(0, MAX_LISTED).map(([id, n]) => `${id} (${n}×)`).join(', ')}` +
        (twice.length > MAX_LISTED ? ` and ${twice.length - MAX_LISTED} more` : ''));
    }

    // Effective opacity (own × ancestors').
    const opacityOf = new Map();
    const opacity = (el) => {
      if (!el || el === svg.parentNode) return 1;
      if (opacityOf.has(el)) return opacityOf.get(el);
      const s = style.get(el);
      const o = (s ? parseFloat(s.opacity) : 1) * opacity(el.parentElement);
      opacityOf.set(el, o);
      return o;
    };
    const visible = (el) => {
      const s = style.get(el);
      return s && s.display !== 'none' && s.visibility !== 'hidden' && opacity(el) > 0 && !hidden(el);
    };

    // Filled shapes, in paint (document) order, with their boxes.
    const shapes = [];
    for (const el of svg.querySelectorAll('rect, path, polygon, circle, ellipse')) {
      if (!visible(el)) continue;
      const s = style.get(el);
      const c = parse(s.fill);
      if (!c) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      c[3] *= parseFloat(s.fillOpacity) * opacity(el);
      if (c[3] > 0) shapes.push({ el, color: c, r });
    }
    const before = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_PRECEDING;
    const inside = (r, x, y) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    // The colours behind a point under element `el`: the shapes painted
    // before it that hold the point, then `extra` (HTML backgrounds), over
    // each page.
    function behind(el, x, y, extra) {
      const layers = shapes.filter((s) => s.el !== el && inside(s.r, x, y) && before(el, s.el)).map((s) => s.color);
      layers.push(...extra);
      return PAGES.map(([page, rgb]) => [page, layers.reduce((bg, c) => over(c, bg), rgb)]);
    }
    // Whether a text's colour is the diagram's own (an inline style or a
    // fill attribute on it or an ancestor) or the theme's (Mermaid's
    // stylesheet): a theme colour may change with the theme a site picks
    // for its dark mode, the diagram's own does not.
    function own(el) {
      for (let a = el; a && a !== svg; a = a.parentElement) {
        const st = a.getAttribute('style') || '';
        if (/(^|;)\s*(color|fill)\s*:/.test(st) || a.hasAttribute('fill')) return true;
      }
      return false;
    }
    const described = new Set();
    function where(el) {
      const g = el.closest('.node, .cluster, .edgeLabel, .actor, .note, [id]:not(svg)');
      let what = 'text';
      if (el.closest('.cluster-label, .cluster')) what = 'cluster title';
      else if (el.closest('.edgeLabel, .edgeLabels')) what = 'edge label';
      else if (el.closest('.node')) what = 'node label';
      const id = g && g.id ? ` (${g.id.replace(new RegExp(`^${svg.id}-`), '')})` : '';
      return `${what}${id}`;
    }

    // Texts: every visible element with text of its own.
    for (const el of all) {
      // Mermaid's own autonumber badges sit on a marker circle (not a shape here).
      if (!visible(el) || el.classList.contains('sequenceNumber')) continue;
      const words = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join('').trim();
      if (!words) continue;
      const s = style.get(el);
      const html = el.namespaceURI !== 'http://www.w3.org/2000/svg';
      const color = parse(html ? s.color : s.fill);
      if (!color) continue;
      if (!html) color[3] *= parseFloat(s.fillOpacity);
      color[3] *= opacity(el);
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) continue;
      const extra = [];
      if (html) {
        for (let a = el; a && a.namespaceURI !== 'http://www.w3.org/2000/svg'; a = a.parentElement) {
          const bg = parse(style.get(a) && style.get(a).backgroundColor);
          if (bg) extra.unshift(bg);
        }
      }
      const host = el.closest('foreignObject') || el.closest('text') || el;
      for (const [page, bg] of behind(host, r.left + r.width / 2, r.top + r.height / 2, extra)) {
        const fg = over(color, bg);
        const ratio = contrast(fg, bg);
        if (ratio < TEXT_MIN) {
          const key = `${where(el)}|${hex(fg)}|${hex(bg)}`;
          if (described.has(key)) continue;
          described.add(key);
          low.push(`contrast ${ratio.toFixed(2)}:1 < ${TEXT_MIN}:1 on the ${page}: ${where(el)} ` +
            `"${words.slice(0, 40)}" ${hex(fg)} on ${hex(bg)}` + (own(el) ? '' : ' (the theme\'s text colour)'));
        }
      }
    }

    // Cluster strokes: flowchart subgraphs (g.cluster > rect) and the C4
    // dialect's boundaries (a dashed rect with no fill).
    const clusters = [...svg.querySelectorAll('.cluster > rect, rect[stroke-dasharray]')]
      .filter((el) => visible(el) && (el.parentElement.classList.contains('cluster') || !parse(style.get(el).fill)));
    for (const el of clusters) {
      const s = style.get(el);
      const stroke = parse(s.stroke);
      if (!stroke || !(parseFloat(s.strokeWidth) > 0)) continue;
      stroke[3] *= parseFloat(s.strokeOpacity) * opacity(el);
      const r = el.getBoundingClientRect();
      for (const [page, bg] of behind(el, r.left - 0.5, r.top + r.height / 2, [])) {
        const fg = over(stroke, bg);
        const ratio = contrast(fg, bg);
        if (ratio < STROKE_MIN) {
          const g = el.parentElement;
          const key = `stroke|${g.id}|${hex(fg)}|${hex(bg)}`;
          if (described.has(key)) continue;
          described.add(key);
          const name = g.id ? g.id.replace(new RegExp(`^${svg.id}-`), '') : (g.textContent || '').trim().slice(0, 40);
          low.push(`contrast ${ratio.toFixed(2)}:1 < ${STROKE_MIN}:1 on the ${page}: cluster stroke (${name}) ` +
            `${hex(fg)} on ${hex(bg)}`);
        }
      }
    }
    return { width, problems, contrast: low };
  }

  window.c4cInspect = inspect;
})();
