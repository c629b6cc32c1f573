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
