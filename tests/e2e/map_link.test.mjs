// The Map in the share link: a computed map's settings travel as "#map=...&exp=...", and opening
// such a link opens the Map panel with them and computes the same cells; closing the panel takes
// the map out of the link. A bad map field opens the default lesson with a notice naming it (as
// every link field does); settings the core refuses keep the experiment, with the core's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, currentHash, encodeSpec } from './harness.mjs';
import { setMap, computeMap } from './map_helpers.mjs';

const env = useServerAndBrowser();

const TWO = {
  problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0,
  optimizers: [
    { name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' },
    { name: 'sgd', lr: 0.001, momentum: 0.9, label: 'Momentum', color: '#0072b2' },
  ],
};
const MAP = {
  run: 1, steps: 120, measure: 'final_loss',
  x: { param: 'lr', from: 0.0001, to: 0.003, n: 8, scale: 'log' },
  y: { param: 'momentum', from: 0.5, to: 0.95, n: 6, scale: 'linear' },
};
const b64 = (v) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
const expOf = (hash) => JSON.parse(Buffer.from(/exp=([^&]*)$/.exec(hash)[1], 'base64url').toString('utf8'));
const mapPart = (hash) => /(?:^#|&)map=([^&]*)&/.exec(hash)?.[1] ?? null;

test('a computed map travels in the link; the link opens the panel and computes the same cells', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(TWO)}`);
  let copy = null;
  try {
    await setMap(page, MAP);
    assert.equal(mapPart(await currentHash(page)), null, 'not in the link before it is computed');
    const map = await computeMap(page);
    const hash = await currentHash(page);
    const settings = JSON.parse(Buffer.from(mapPart(hash), 'base64url').toString('utf8'));
    assert.deepEqual(settings, {
      kind: 'hyper', run: 1, steps: 120, overlay: -1, measure: 'final_loss', onPlot: true, x: MAP.x, y: MAP.y,
    });
    assert.match(hash, /&exp=/);

    copy = await openPage(env.browser, `${env.server.url}${hash}`);
    await copy.waitForFunction(() => document.getElementById('map-view').dataset.state === 'done'
      && window.optlab.map.runs.at(-1)?.result, null, { timeout: 60_000 });
    const v = copy.locator('#map-view');
    assert.equal(await v.isVisible(), true);
    assert.equal(await v.getByLabel('Run', { exact: true }).inputValue(), '1');
    assert.equal(await v.getByLabel('y axis: hyperparameter').inputValue(), 'momentum');
    assert.equal(await v.getByLabel('x axis: log scale').isChecked(), true);
    assert.equal(await v.getByLabel('Measure', { exact: true }).inputValue(), 'final_loss');
    const again = await copy.evaluate(() => {
      const r = window.optlab.map.runs.at(-1);
      return { spec: r.spec, result: r.result };
    });
    assert.deepEqual(again.spec, map.spec);
    assert.deepEqual(again.result, map.result);
    const reopened = await currentHash(copy);
    assert.equal(mapPart(reopened), mapPart(hash), 'the opened page links to the same map');
    assert.deepEqual(expOf(reopened), expOf(hash));

    // Closed, the map leaves the link; the experiment's part stays as it was.
    await copy.locator('#map-toggle').click();
    await settle(copy);
    const closed = await currentHash(copy);
    assert.equal(mapPart(closed), null);
    assert.deepEqual(expOf(closed), expOf(hash));
    assert.deepEqual(page.problems, []);
    assert.deepEqual(copy.problems, []);
  } finally {
    await page.context().close();
    await copy?.context().close();
  }
});

test('a bad map in a link names the field; settings the core refuses keep the experiment', async () => {
  const exp = encodeSpec(TWO).slice(1);
  const good = { kind: 'hyper', run: 1, steps: 120, overlay: -1, measure: 'final_loss', onPlot: true, x: MAP.x, y: MAP.y };
  const cases = [
    [`#map=${b64({ ...good, x: { ...MAP.x, n: 0 } })}&${exp}`, /map\.x\.n: expected a whole number from 1 to 256/],
    [`#map=${b64({ ...good, colour: 'red' })}&${exp}`, /map\.colour: unknown field/],
    [`#map=not-json&${exp}`, /map: the map's settings in the link are not readable/],
  ];
  for (const [hash, message] of cases) {
    const page = await openPage(env.browser, `${env.server.url}${hash}`);
    try {
      assert.match(await page.locator('#notice-text').textContent(), message);
      assert.equal(await page.evaluate(() => window.optlab.app.getState().map), null);
      assert.equal(await page.locator('#map-view').isVisible(), false);
    } finally {
      await page.context().close();
    }
  }
  // Well formed, but momentum is not a hyperparameter of Adam (run 0): the core names it.
  const page = await openPage(env.browser, `${env.server.url}#map=${b64({ ...good, run: 0 })}&${exp}`);
  try {
    await page.waitForFunction(() => /map could not be computed/.test(document.getElementById('notice-text')?.textContent ?? ''));
    assert.match(await page.locator('#notice-text').textContent(), /The map could not be computed: map\.y\.param: "momentum" is not a numeric hyperparameter of adam/);
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.deepEqual(st.optimizers.map((o) => o.label), ['Adam', 'Momentum']);
    assert.equal(await page.locator('#map-view').isVisible(), true);
  } finally {
    await page.context().close();
  }
});
