// End-to-end tests of what the class sees on the landscape (issue 12, items 6-12): arrows on a
// stated scale, smooth contours, undefined regions, fading noisy trails, run colours and names,
// and exported pictures. Every expectation is derived from the wasm session's numbers, the page's
// own palette, or the canvas pixels; none is a constant written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useServerAndBrowser, openPage, gotoReady, settle, encodeSpec, ROOT } from './harness.mjs';

const env = useServerAndBrowser();

// Opens the page at `spec` (or the default lesson), runs fn, and asserts no console problem.
async function withSpec(spec, fn, options = {}) {
  const page = await openPage(env.browser, null, options);
  // Pixels are read from a copy, so the page's own canvases are never read back (Chromium warns
  // about repeated readbacks of one canvas).
  await page.addInitScript(() => {
    window.copyOf = (canvas) => {
      const t = document.createElement('canvas');
      t.width = canvas.width;
      t.height = canvas.height;
      const g = t.getContext('2d', { willReadFrequently: true });
      g.drawImage(canvas, 0, 0);
      return g;
    };
  });
  try {
    await gotoReady(page, `${env.server.url}${spec ? encodeSpec(spec) : ''}`);
    await fn(page);
    await settle(page);
    assert.deepEqual(page.problems, [], 'console warnings or errors');
  } finally {
    await page.context().close();
  }
}

async function press(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
  await settle(page);
}

// The README's own example spec: the first ```json block after "## The experiment spec".
function readmeSpec() {
  const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const from = text.indexOf('## The experiment spec');
  const m = /```json\n([\s\S]*?)```/.exec(text.slice(from));
  return JSON.parse(m[1]);
}

test('11: runs without colour or label get the palette\'s next colours and distinct names', async () => {
  const spec = readmeSpec();
  const twin = { problem: { name: 'rosenbrock' }, optimizers: [{ name: 'adam', lr: 0.01 }, { name: 'adam', lr: 0.05 }] };
  await withSpec(spec, async (page) => {
    const st = await page.evaluate(() => window.optlab.app.getState());
    const { RUN_COLORS } = await page.evaluate(() => import('./palette.js').then((m) => ({ RUN_COLORS: m.RUN_COLORS })));
    const colors = st.optimizers.map((o) => o.color);
    assert.deepEqual(colors, RUN_COLORS.slice(0, colors.length), 'palette order');
    assert.equal(new Set(st.optimizers.map((o) => o.label)).size, st.optimizers.length);
    // What a label the spec gave is kept.
    spec.optimizers.forEach((o, i) => { if (o.label) assert.equal(st.optimizers[i].label, o.label); });
  });
  await withSpec(twin, async (page) => {
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.deepEqual(st.optimizers.map((o) => o.label), ['Adam', 'Adam 2']);
    assert.notEqual(st.optimizers[0].color, st.optimizers[1].color);
    // The legend names them so too.
    for (const label of ['Adam', 'Adam 2']) assert.ok(await page.getByRole('button', { name: `Inspect ${label}`, exact: true }).isVisible());
  });
});

test('11: every palette colour stands off the landscape colour map and the arrows\' ink', async () => {
  await withSpec(null, async (page) => {
    const r = await page.evaluate(async () => {
      const { RUN_COLORS, landscapeColor } = await import('./palette.js');
      const { ARROW_COLORS } = await import('./controls/inspector.js');
      const { lab } = await import('d3-color');
      const dE = (a, b) => { const x = lab(a); const y = lab(b); return Math.hypot(x.l - y.l, x.a - y.a, x.b - y.b); };
      return RUN_COLORS.map((c) => {
        let map = Infinity;
        for (let t = 0; t <= 1.0001; t += 0.01) map = Math.min(map, dE(c, landscapeColor(t)));
        return { c, map, ink: Math.min(...Object.values(ARROW_COLORS).map((a) => dE(c, a))) };
      });
    });
    // The weakest of the first six (Okabe-Ito's own) sets the bar the last two must clear.
    const bar = Math.min(...r.slice(0, 6).map((x) => x.map));
    for (const x of r.slice(6)) {
      assert.ok(x.map >= bar, `${x.c} is ${x.map.toFixed(1)} ΔE from the colour map (bar ${bar.toFixed(1)})`);
      assert.ok(x.ink >= 20, `${x.c} is ${x.ink.toFixed(1)} ΔE from an arrow's ink`);
    }
  });
});

// The arrows as drawn (window.optlab.arrows: css-pixel layout, the plot's pixels per unit, the
// scale) and the selected run's internals from the wasm session.
function arrowsNow(page) {
  return page.evaluate(() => {
    const app = window.optlab.app;
    const cur = app.session().internals(app.getState().selected);
    return { ...window.optlab.arrows, cur, state: app.getState() };
  });
}
const lengthOf = (a) => Math.hypot(a.to[0] - a.from[0], a.to[1] - a.from[1]);
const norm = (v) => Math.hypot(...v);

test('6: the update arrow keeps one scale, so shrinking steps get shorter; |Δθ| is at the tip; Rescale refits it', async () => {
  const spec = { problem: { name: 'quadratic' }, optimizers: [{ name: 'adagrad', lr: 0.1, label: 'AdaGrad' }] };
  await withSpec(spec, async (page) => {
    await press(page, 'Step');
    const a = await arrowsNow(page);
    const ua = a.layout.find((l) => l.kind === 'update');
    const da = norm(a.cur.update);
    assert.ok(a.state.arrowScale, 'the first step sets the scale in the page state');
    assert.ok(Math.abs(lengthOf(ua) - da * a.pxPerUnit * a.scale.update) < 0.01);
    for (let k = 0; k < 3; k++) await press(page, 'Step 10');
    const b = await arrowsNow(page);
    const ub = b.layout.find((l) => l.kind === 'update');
    const db = norm(b.cur.update);
    assert.deepEqual(b.state.arrowScale, a.state.arrowScale, 'the scale did not change with the step');
    // Lengths in the ratio of the core's step lengths (today each step is re-magnified to the same length).
    assert.ok(Math.abs(lengthOf(ub) / lengthOf(ua) - db / da) < 1e-6, `${lengthOf(ub)}/${lengthOf(ua)} vs ${db}/${da}`);
    const short = await page.evaluate((v) => import('./format.js').then((f) => f.short(v)), db);
    assert.ok(ub.text.includes(short), `tip label "${ub.text}" shows |Δθ| ${short}`);
    // The label sits at the update's own tip.
    assertAtOwnTip(ub, b.layout);
    // The key states the scale; Rescale refits it to the step on screen.
    const key = await page.locator('#arrow-key').textContent();
    const factor = await page.evaluate((f) => import('./render/internals.js').then((m) => m.factorText(f)), b.scale.update);
    assert.ok(key.includes(`update Δθ ${factor}`), key);
    await press(page, 'Rescale arrows');
    await settle(page);
    const c = await arrowsNow(page);
    const fitted = await page.evaluate(({ layout, px }) => import('./render/internals.js').then((m) => m.fitArrowScale(
      { arrows: [{ kind: 'update', vector: layout.cur.update }, { kind: 'grad', vector: layout.cur.grad }] }, px)), { layout: b, px: b.pxPerUnit });
    assert.deepEqual(c.state.arrowScale, fitted);
    assert.ok(c.state.arrowScale.update > b.state.arrowScale.update, 'smaller steps: a larger factor');
  });
});

test('6: a step below a pixel at the experiment\'s scale shows "stalled", not a magnified arrow', async () => {
  const spec = { problem: { name: 'quadratic' }, optimizers: [{ name: 'sgd', lr: 0.1, label: 'SGD' }] };
  await withSpec(spec, async (page) => {
    await press(page, 'Step');
    const first = await arrowsNow(page);
    await page.evaluate(() => window.optlab.app.setState({ steps: 150 }));
    await settle(page);
    const a = await arrowsNow(page);
    const px = norm(a.cur.update) * a.pxPerUnit * a.scale.update;
    assert.deepEqual(a.scale, first.scale);
    assert.ok(px < 1, `the core's step is ${px} px at the scale`);
    const u = a.layout.find((l) => l.kind === 'update');
    assert.equal(u.to, null, 'no arrow');
    assert.match(u.text, /^stalled/);
  });
});

// A label chip touches its own arrow's tip (within 6 px), or sits further out beside it or on the
// arrow's line past it, and is nearer to that tip than to any other arrow's.
function assertAtOwnTip(l, layout) {
  const gap = ([x, y]) => Math.hypot(Math.max(0, Math.abs(x - l.chip.cx) - l.chip.w / 2), Math.max(0, Math.abs(y - l.chip.cy) - l.chip.h / 2));
  const [ax, ay] = l.from;
  const [bx, by] = l.to;
  const len = Math.hypot(bx - ax, by - ay);
  const offLine = Math.abs((by - ay) * (l.chip.cx - ax) - (bx - ax) * (l.chip.cy - ay)) / len;
  const along = ((l.chip.cx - bx) * (bx - ax) + (l.chip.cy - by) * (by - ay)) / len;
  const own = gap(l.to);
  // Beside: centred on the line through the tip across the arrow; past: on the arrow's line.
  assert.ok(own <= 6 || Math.abs(along) < 0.5 || (offLine < 0.5 && along > 0), `${l.text}: ${own.toFixed(1)} px from its tip`);
  // (Tips within a few pixels of each other cannot be told apart by any placement.)
  const apart = (o) => Math.hypot(o.to[0] - l.to[0], o.to[1] - l.to[1]) > 12;
  for (const o of layout) if (o !== l && o.to && apart(o)) assert.ok(gap(o.to) > own, `${l.text} is nearer ${o.text}'s tip`);
}

test('7: −∇f is drawn on a stated scale; the velocity only where it differs from the update; labels on their arrows', async () => {
  const plain = { problem: { name: 'rosenbrock' }, start: [-1.5, 2], optimizers: [{ name: 'sgd', lr: 0.001, momentum: 0.9, label: 'Momentum' }] };
  await withSpec(plain, async (page) => {
    await press(page, 'Step 10');
    const a = await arrowsNow(page);
    const g = a.layout.find((l) => l.kind === 'grad');
    assert.ok(Math.abs(lengthOf(g) - norm(a.cur.grad) * a.pxPerUnit * a.scale.grad) < 0.01, 'gradient to its scale');
    assert.equal(a.layout.filter((l) => l.kind === 'velocity').length, 0, 'plain Momentum: velocity is the update');
    const key = await page.locator('#arrow-key').textContent();
    const factor = await page.evaluate((f) => import('./render/internals.js').then((m) => m.factorText(f)), a.scale.grad);
    assert.ok(key.includes(`−∇f ${factor}`), key);
  });
  const nesterov = { ...plain, optimizers: [{ ...plain.optimizers[0], nesterov: true, label: 'Nesterov' }] };
  await withSpec(nesterov, async (page) => {
    await press(page, 'Step 10');
    const a = await arrowsNow(page);
    const v = a.layout.find((l) => l.kind === 'velocity');
    assert.ok(v, 'Nesterov: the velocity differs from the update and is drawn');
    const b = a.cur.state.find((s) => s.name === 'momentum_buffer').value;
    assert.ok(Math.abs(lengthOf(v) - a.cur.options.lr * norm(b) * a.pxPerUnit * a.scale.update) < 0.01);
    // Each label at its own arrow's tip, and no two labels overlap.
    for (const l of a.layout) assertAtOwnTip(l, a.layout);
    for (const p of a.layout) {
      for (const q of a.layout) {
        if (p === q) continue;
        const overlap = Math.abs(p.chip.cx - q.chip.cx) < (p.chip.w + q.chip.w) / 2 && Math.abs(p.chip.cy - q.chip.cy) < (p.chip.h + q.chip.h) / 2;
        assert.ok(!overlap, `${p.text} / ${q.text}`);
      }
    }
  });
});

// The thin bands of the contour layer (under 2 % of the plot) and how many separate pieces of
// 4 pixels or more each falls into, away from the minima's stars and the plot's border: a band
// beaded along a valley floor falls into many pieces, a smooth one into one or two.
function contourPieces(page) {
  return page.evaluate(async () => {
    const { landscapeColor } = await import('./palette.js');
    const { makeFrame, toPixel } = await import('./render/frame.js');
    const { rgb } = await import('d3-color');
    const c = document.getElementById('contour-layer');
    const W = c.width;
    const H = c.height;
    const dpr = window.devicePixelRatio;
    const app = window.optlab.app;
    const f = makeFrame(W / dpr, H / dpr, dpr, app.getState().view);
    const stars = app.session().landscapeInfo().minima.map((m) => toPixel(f, m.x, m.y).map((v) => v * dpr));
    const p = f.plot;
    const away = (x, y) => x > (p.left + 3) * dpr && x < (p.left + p.width - 3) * dpr && y > (p.top + 3) * dpr
      && y < (p.top + p.height - 3) * dpr && stars.every(([sx, sy]) => Math.hypot(x - sx, y - sy) > 14 * dpr);
    const px = copyOf(c).getImageData(0, 0, W, H).data;
    const out = [];
    const levels = 22; // contour.js's LEVELS: band k is filled with landscapeColor(k / 21)
    for (let k = 0; k < levels; k++) {
      const col = rgb(landscapeColor(k / (levels - 1)));
      const mask = new Uint8Array(W * H);
      let area = 0;
      for (let i = 0; i < W * H; i++) {
        if (Math.abs(px[4 * i] - col.r) <= 3 && Math.abs(px[4 * i + 1] - col.g) <= 3 && Math.abs(px[4 * i + 2] - col.b) <= 3) {
          mask[i] = 1;
          area += 1;
        }
      }
      const share = area / (p.width * p.height * dpr * dpr);
      if (!(share > 0 && share < 0.02)) continue;
      let pieces = 0;
      const stack = [];
      for (let i = 0; i < W * H; i++) {
        if (mask[i] !== 1) continue;
        let size = 0;
        let inside = false;
        stack.push(i);
        mask[i] = 2;
        while (stack.length) {
          const j = stack.pop();
          size += 1;
          if (away(j % W, (j / W) | 0)) inside = true;
          for (const q of [j + 1, j - 1, j + W, j - W]) {
            if (q >= 0 && q < W * H && mask[q] === 1) {
              mask[q] = 2;
              stack.push(q);
            }
          }
        }
        if (size >= 4 && inside) pieces += 1;
      }
      out.push({ k, share, pieces });
    }
    return out;
  });
}

test('8: Rosenbrock\'s valley floor is drawn smooth, not as a sawtooth of beads', async () => {
  await withSpec(null, async (page) => {
    const bands = await contourPieces(page);
    assert.ok(bands.length >= 3, `thin bands along the valley: ${JSON.stringify(bands)}`);
    const mean = bands.reduce((s, b) => s + b.pieces, 0) / bands.length;
    // Beads: about six pieces per thin band on a 4-pixel grid; a smooth band one to three.
    assert.ok(mean <= 4, `pieces per thin band ${mean.toFixed(1)}: ${JSON.stringify(bands)}`);
    // The fine contour's cost is recorded for the benchmark (tests/bench/page_perf.test.mjs).
    assert.ok(await page.evaluate(() => window.optlab.contourFineMs.length > 0));
  });
});

// The contour layer's pixel at landscape point (x, y), as [r, g, b].
function contourPixel(page, x, y) {
  return page.evaluate(async ([x, y]) => {
    const { makeFrame, toPixel } = await import('./render/frame.js');
    const c = document.getElementById('contour-layer');
    const dpr = window.devicePixelRatio;
    const f = makeFrame(c.width / dpr, c.height / dpr, dpr, window.optlab.app.getState().view);
    const [u, v] = toPixel(f, x, y);
    return Array.from(copyOf(c).getImageData(Math.round(u * dpr), Math.round(v * dpr), 1, 1).data.slice(0, 3));
  }, [x, y]);
}

test('9: where a formula is undefined the plot is hatched grey with a key; a start there gets a notice and Step waits', async () => {
  const spec = { problem: { expr: 'log(x) + (y-1)^2' }, start: [1.5, 0.5], optimizers: [{ name: 'adam', lr: 0.1 }], view: { xmin: -2, xmax: 3, ymin: -2, ymax: 3 } };
  await withSpec(spec, async (page) => {
    // The core says the formula is NaN at x < 0.
    const nan = await page.evaluate(() => Array.from(window.optlab.app.session().grid({ xmin: -1.01, xmax: -0.99, ymin: 0.99, ymax: 1.01 }, 2, 2)));
    assert.ok(nan.every(Number.isNaN), `core values ${nan}`);
    const top = await page.evaluate(() => import('./palette.js').then((m) => m.landscapeColor(1)));
    const hex = (c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
    // Several points of the undefined half: grey (channels alike), never the highest-loss colour.
    for (const [x, y] of [[-1, 1], [-1.5, 2.2], [-0.5, -1]]) {
      const [r, g, b] = await contourPixel(page, x, y);
      assert.ok(Math.max(r, g, b) - Math.min(r, g, b) <= 12, `(${x}, ${y}) is ${[r, g, b]}, not grey`);
      const [tr, tg, tb] = hex(top);
      assert.ok(Math.max(Math.abs(r - tr), Math.abs(g - tg), Math.abs(b - tb)) > 40, 'not the top band\'s colour');
    }
    assert.ok(await page.evaluate(() => window.optlab.contourUndefined > 0), 'the page counted the NaN samples');
    // The defined side keeps its colours.
    const [r, g, b] = await contourPixel(page, 2, 0.2);
    assert.ok(Math.max(r, g, b) - Math.min(r, g, b) > 12);
    // The key in the lower left corner is drawn (a white chip over the hatching).
    const key = await page.evaluate(async () => {
      const { makeFrame } = await import('./render/frame.js');
      const c = document.getElementById('contour-layer');
      const dpr = window.devicePixelRatio;
      const f = makeFrame(c.width / dpr, c.height / dpr, dpr, window.optlab.app.getState().view);
      const x = Math.round((f.plot.left + 60) * dpr);
      const y = Math.round((f.plot.top + f.plot.height - 24) * dpr); // the chip's top margin, above the text
      return Array.from(copyOf(c).getImageData(x, y, 1, 1).data.slice(0, 3));
    });
    assert.ok(key.every((v) => v >= 230), `key chip ${key}`);

    // A start inside: a notice, and Step leaves the stopped run (and the step count) where it is.
    await page.evaluate(() => window.optlab.app.setState({ start: [-1, 1], steps: 0 }));
    await settle(page);
    await page.locator('#notice').waitFor({ state: 'visible' });
    assert.match(await page.locator('#notice-text').textContent(), /undefined/);
    const before = await page.evaluate(() => Array.from(window.optlab.app.session().params(0)));
    await press(page, 'Step');
    const after = await page.evaluate(() => ({ steps: window.optlab.app.getState().steps, params: Array.from(window.optlab.app.session().params(0)) }));
    assert.equal(after.steps, 0);
    assert.deepEqual(after.params, before);
    assert.match(await page.locator('#notice-text').textContent(), /stopped/);
  });
});

const WANDERING = [
  { problem: { name: 'quadratic', noise: 2 }, start: [2, 2], steps: 400, optimizers: [{ name: 'sgd', lr: 0.05, label: 'SGD' }] },
  // A fit problem's mini-batches (one point a step) wander too.
  { problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, noise: 3, seed: 1 } }, start: [-1, 3.5], steps: 150,
    optimizers: [{ name: 'sgd', lr: 0.15, batch_size: 1, label: 'batch 1' }] },
];

for (const spec of WANDERING) test(`10: a path under ${spec.problem.noise ? 'gradient noise' : 'mini-batches'} is a fading trail: recent steps strong, older ones faint`, async () => {
  await withSpec(spec, async (page) => {
    const r = await page.evaluate(async () => {
      const { makeFrame, toPixel } = await import('./render/frame.js');
      const c = document.getElementById('path-layer');
      const dpr = window.devicePixelRatio;
      const f = makeFrame(c.width / dpr, c.height / dpr, dpr, window.optlab.app.getState().view);
      const p = window.optlab.app.session().params(0);
      const pts = [];
      for (let k = 0; k < p.length / 2; k++) pts.push(toPixel(f, p[2 * k], p[2 * k + 1]));
      // Recent points clear of the run's head (its dot at the last point).
      const head = pts[pts.length - 1];
      const recent = pts.slice(-9, -1).filter((q) => Math.hypot(q[0] - head[0], q[1] - head[1]) > 9);
      // The older point farthest from every later point of the path (nothing newer drawn over it).
      let best = null;
      pts.slice(0, pts.length / 2).forEach((q, k) => {
        const d = Math.min(...pts.slice(k + 2).map((s) => Math.hypot(s[0] - q[0], s[1] - q[1])));
        if (!best || d > best.d) best = { q, d };
      });
      // What the class sees of the paths: the path layer with the markers layer over it.
      const g = copyOf(c);
      g.drawImage(document.getElementById('marker-layer'), 0, 0);
      const alpha = ([x, y]) => g.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data[3];
      return { old: alpha(best.q), clearance: best.d, recent: Math.max(...recent.map(alpha)), n: recent.length };
    });
    assert.ok(r.clearance > 8, `an old point clear of the later path: ${r.clearance} px`);
    assert.ok(r.recent >= 240, `recent steps at full strength: alpha ${r.recent} (${r.n} points clear of the head)`);
    assert.ok(r.old <= 128, `old steps faint: alpha ${r.old}`);
  });
});

test('12: the exported PNG is at least twice the plot\'s size and readable in the light and the dark theme', async () => {
  for (const colorScheme of ['light', 'dark']) {
    await withSpec(null, async (page) => {
      await press(page, 'Step 10');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export PNG' }).click();
      const bytes = fs.readFileSync(await (await download).path());
      const r = await page.evaluate(async (b64) => {
        const { theme } = await import('./theme.js');
        const { makeFrame } = await import('./render/frame.js');
        const blob = new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' });
        const img = await createImageBitmap(blob);
        const t = document.createElement('canvas');
        t.width = img.width;
        t.height = img.height;
        const g = t.getContext('2d', { willReadFrequently: true });
        g.drawImage(img, 0, 0);
        const css = document.getElementById('contour-layer').getBoundingClientRect();
        const k = img.width / css.width;
        const f = makeFrame(css.width, css.height, 1, window.optlab.app.getState().view);
        // The left margin, where the y tick labels are: its background and its darkest/lightest ink.
        const lum = (d, i) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
        const d = g.getImageData(0, Math.round(f.plot.top * k), Math.round((f.plot.left - 2) * k), Math.round(f.plot.height * k)).data;
        let far = 0;
        const bg = [d[0], d[1], d[2]];
        for (let i = 0; i < d.length; i += 4) far = Math.max(far, Math.abs(lum(d, i) - lum(bg, 0)));
        const paper = theme().paper;
        const probe = document.createElement('canvas').getContext('2d');
        probe.fillStyle = paper;
        probe.fillRect(0, 0, 1, 1);
        const want = Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3));
        return { w: img.width, h: img.height, cssW: css.width, cssH: css.height, bg, want, contrast: far, dark: theme().dark };
      }, bytes.toString('base64'));
      assert.equal(r.dark, colorScheme === 'dark');
      assert.ok(r.w >= 2 * Math.round(r.cssW) && r.h >= 2 * Math.round(r.cssH), `${r.w}x${r.h} for a ${r.cssW}x${r.cssH} plot`);
      assert.deepEqual(r.bg, r.want, 'the background is the theme\'s paper');
      // The tick labels stand out from it (today the dark theme's light ink is put on white).
      assert.ok(r.contrast >= 120, `ink contrast ${r.contrast.toFixed(0)} in ${colorScheme}`);
    }, { colorScheme });
  }
});
