// The Map view (issue 16): maps computed in workers (or on the page) equal single runs of a Session
// bit for bit; bad input names the field and keeps the page; Cancel stops and a new map works; the
// page's own fallback gives the workers' cells; a click loads a cell's run (within the 8-run limit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, gotoReady, settle, encodeSpec } from './harness.mjs';
import { setMap, computeMap, cellPixel, mapCount } from './map_helpers.mjs';

const env = useServerAndBrowser();

const ADAM = {
  problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0,
  optimizers: [{ name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' }],
};
const SMALL = {
  kind: 'hyper', run: 0, steps: 150, measure: 'final_loss',
  x: { param: 'lr', from: 0.001, to: 0.5, n: 9, scale: 'log' },
  y: { param: 'betas.0', from: 0.5, to: 0.99, n: 7, scale: 'linear' },
};

// Each sampled cell against the single run with its settings, made through a Session in the page.
function singleRuns(page, cells) {
  return page.evaluate((list) => {
    const { engine, map } = window.optlab;
    const r = map.runs.at(-1);
    const { spec, result } = r;
    return list.map((c) => {
      const nx = result.x.values.length;
      const lr = result.x.values[c % nx];
      const b1 = result.y.values[Math.floor(c / nx)];
      const base = spec.optimizers[spec.map.run];
      const entry = { name: base.name, lr, betas: [b1, 0.999] };
      const s = engine.openSession({ problem: spec.problem, start: spec.start, steps: spec.map.steps, seed: spec.seed, optimizers: [entry] });
      try {
        const losses = s.losses(0);
        const status = s.runStatus(0);
        return {
          c, lr, b1, sessionLoss: losses[losses.length - 1], cellLoss: r.rows[5 * c + 2], resultLoss: result.final_loss[c],
          sessionDiverged: status.status === 'diverged' ? status.diverged_at : null, cellDiverged: result.diverged_at[c],
          end: Array.from(s.params(0)).slice(-2), cellEnd: [r.rows[5 * c + 3], r.rows[5 * c + 4]],
        };
      } finally {
        s.close();
      }
    });
  }, cells);
}

test('an lr × β₁ map of Adam: sampled cells equal single Session runs bit for bit; hover reads a cell', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await setMap(page, SMALL);
    const map = await computeMap(page);
    assert.equal(map.mode, 'workers');
    assert.equal(map.plan.nx, 9);
    assert.equal(map.plan.ny, 7);
    assert.equal(map.result.final_loss.length, 63);
    const checks = await singleRuns(page, [0, 8, 31, 54, 62]);
    for (const k of checks) {
      assert.ok(Object.is(k.cellLoss, k.sessionLoss), `cell ${k.c} (lr ${k.lr}, β₁ ${k.b1}): map ${k.cellLoss}, run ${k.sessionLoss}`);
      assert.equal(k.resultLoss, k.sessionLoss);
      assert.equal(k.cellDiverged, k.sessionDiverged);
      assert.deepEqual(k.cellEnd, k.end);
    }
    // Different settings give different losses: the map is not one run repeated.
    assert.ok(new Set(checks.map((k) => k.sessionLoss)).size > 3);
    const p = await cellPixel(page, 31);
    await page.locator('#map-canvas').hover({ position: p });
    await settle(page);
    assert.match(await page.locator('#map-readout').textContent(), /^lr 0\.0\d+, betas\.0 \(β₁\) 0\.\d+: final loss \d/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('without workers the page computes the same cells itself', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  const bare = await openPage(env.browser, null);
  try {
    await setMap(page, SMALL);
    const withWorkers = await computeMap(page);
    // A browser where no worker can start: the page's own module, in slices.
    await bare.addInitScript(() => { delete window.Worker; });
    await gotoReady(bare, `${env.server.url}${encodeSpec(ADAM)}`);
    await setMap(bare, SMALL);
    const onPage = await computeMap(bare);
    assert.equal(withWorkers.mode, 'workers');
    assert.equal(onPage.mode, 'main');
    assert.match(await bare.locator('#map-status').textContent(), /on the page/);
    assert.equal(onPage.rows.length, 5 * 63);
    onPage.rows.forEach((v, k) => assert.ok(Object.is(v, withWorkers.rows[k]), `row number ${k}: ${v} vs ${withWorkers.rows[k]}`));
    assert.deepEqual(onPage.result, withWorkers.result);
    // The test hook forces the same path with workers present.
    await page.evaluate(() => { window.optlab.mapOptions = { mainThread: true }; });
    const forced = await computeMap(page);
    assert.equal(forced.mode, 'main');
    assert.deepEqual(forced.result, withWorkers.result);
    assert.deepEqual(page.problems, []);
    assert.deepEqual(bare.problems, []);
  } finally {
    await page.context().close();
    await bare.context().close();
  }
});

test('workers that never load are given up: the page computes the map instead of waiting at 0', async () => {
  const page = await openPage(env.browser, null);
  try {
    // The worker's script request is held forever: the Worker exists but never answers or fails.
    await page.context().route('**/map_worker.js', () => {});
    await gotoReady(page, `${env.server.url}${encodeSpec(ADAM)}`);
    await page.evaluate(() => { window.optlab.mapOptions = { readyMs: 400 }; });
    await setMap(page, SMALL);
    const map = await computeMap(page);
    assert.equal(map.mode, 'main');
    assert.equal(map.result.final_loss.length, 63);
    assert.ok(map.result.final_loss.every(Number.isFinite));
    assert.match(await page.locator('#map-status').textContent(), /on the page/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('reopening the Map keeps the run and axes chosen there; unchosen, it follows the selected run', async () => {
  const two = { ...ADAM, optimizers: [...ADAM.optimizers, { name: 'sgd', lr: 0.001, momentum: 0.9, label: 'Momentum', color: '#0072b2' }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(two)}`);
  try {
    const v = page.locator('#map-view');
    const toggle = page.locator('#map-toggle');
    const reopen = async () => {
      await toggle.click();
      assert.equal(await v.isVisible(), false);
      await toggle.click();
      assert.equal(await v.isVisible(), true);
    };
    // Not chosen here: opening follows the inspector's run.
    await page.evaluate(() => window.optlab.app.setState({ selected: 1 }));
    await settle(page);
    await toggle.click();
    assert.equal(await v.getByLabel('Run', { exact: true }).inputValue(), '1');
    // Chosen here: run 0 with its own axes, kept when the panel closes and opens on another selection.
    await setMap(page, { run: 0, x: { param: 'betas.1', n: 5 }, y: { param: 'eps' } });
    await reopen();
    assert.equal(await v.getByLabel('Run', { exact: true }).inputValue(), '0');
    assert.equal(await v.getByLabel('x axis: hyperparameter').inputValue(), 'betas.1');
    assert.equal(await v.getByLabel('x axis: cells').inputValue(), '5');
    assert.equal(await v.getByLabel('y axis: hyperparameter').inputValue(), 'eps');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('bad input: a zero log bound and more than 256 cells are refused with the field named; the page keeps its state', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await page.evaluate(() => window.optlab.app.setState({ steps: 5 }));
    await settle(page);
    const before = await page.evaluate(() => JSON.stringify(window.optlab.app.getState()));
    await setMap(page, { ...SMALL, x: { ...SMALL.x, from: 0 } });
    await page.locator('#map-compute').click();
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(), /map\.x\.from/);
    assert.equal(await mapCount(page), 0);
    assert.equal(await page.locator('#map-view').getAttribute('data-state'), 'idle');
    await setMap(page, { ...SMALL, y: { ...SMALL.y, n: 300 } });
    await page.locator('#map-compute').click();
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(), /map\.y\.n/);
    assert.equal(await mapCount(page), 0);
    assert.equal(await page.evaluate(() => JSON.stringify(window.optlab.app.getState())), before);
    assert.equal(await page.locator('#step-counter').textContent(), 'Step 5');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('Cancel stops a map where it is; a new map still computes; cancelled maps free the page\'s memory', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await setMap(page, { ...SMALL, steps: 3000, x: { ...SMALL.x, n: 128 }, y: { ...SMALL.y, n: 128 } });
    await page.locator('#map-compute').click();
    await page.waitForFunction(() => document.getElementById('map-bar').value > 0);
    await page.locator('#map-cancel').click();
    const at = await page.evaluate(() => document.getElementById('map-bar').value);
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => document.getElementById('map-bar').value), at);
    assert.equal(await page.locator('#map-view').getAttribute('data-state'), 'cancelled');
    assert.match(await page.locator('#map-status').textContent(), /^Cancelled at /);
    assert.ok(at < 128 * 128);
    await setMap(page, SMALL);
    const map = await computeMap(page);
    assert.equal(map.result.final_loss.length, 63);
    // Twenty maps started and cancelled on the page's own module leave its heap where it was.
    const heap = await page.evaluate(() => {
      const e = window.optlab.engine;
      window.optlab.mapOptions = { mainThread: true };
      const compute = document.getElementById('map-compute');
      const cancel = document.getElementById('map-cancel');
      compute.click();
      cancel.click();
      const h0 = e.heapBytes();
      for (let k = 0; k < 20; k++) {
        compute.click();
        cancel.click();
      }
      return { h0, h1: e.heapBytes() };
    });
    assert.equal(heap.h1, heap.h0);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('clicking a cell adds its run; its loss at the map\'s steps is the cell\'s; at 8 runs a notice says why not', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await setMap(page, SMALL);
    const map = await computeMap(page);
    const c = 40;
    const p = await cellPixel(page, c);
    await page.locator('#map-canvas').click({ position: p });
    await settle(page);
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.equal(st.optimizers.length, 2);
    const run = st.optimizers[1];
    assert.equal(run.name, 'adam');
    assert.equal(run.lr, map.plan.x.values[c % 9]);
    assert.deepEqual(run.betas, [map.plan.y.values[Math.floor(c / 9)], 0.999]);
    assert.equal(st.selected, 1);
    await page.evaluate((n) => window.optlab.app.setState({ steps: n }), SMALL.steps);
    await settle(page);
    const loss = await page.evaluate(() => { const l = window.optlab.app.session().losses(1); return l[l.length - 1]; });
    assert.ok(Object.is(loss, map.rows[5 * c + 2]), `run ${loss}, cell ${map.rows[5 * c + 2]}`);
    // Fill the list to the core's limit: one more click is refused with a notice.
    await page.evaluate(() => {
      const { app } = window.optlab;
      const o = app.getState().optimizers;
      app.setState({ optimizers: [...o, ...Array.from({ length: 8 - o.length }, () => ({ name: 'sgd', lr: 0.001 }))] });
    });
    await settle(page);
    await page.locator('#map-canvas').click({ position: p });
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().optimizers.length), 8);
    assert.match(await page.locator('#notice-text').textContent(), /At most 8 runs/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a start map of Himmelblau: each cell\'s basin is its run\'s nearest minimum; a second run\'s boundaries; a click moves the start', async () => {
  const spec = {
    problem: { name: 'himmelblau' }, start: [0, 0], steps: 0, seed: 0,
    optimizers: [{ name: 'sgd', lr: 0.01, label: 'SGD', color: '#0072b2' }, { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' }],
  };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await setMap(page, { kind: 'start', run: 0, measure: 'basin', steps: 200, x: { n: 16 }, y: { n: 12 }, overlay: 1 });
    await computeMap(page, { maps: 2 });
    const out = await page.evaluate(() => {
      const { engine, map } = window.optlab;
      const first = map.runs.at(-2);
      const r = first.result;
      return [5, 77, 150].map((c) => {
        const nx = r.x.values.length;
        const start = [r.x.values[c % nx], r.y.values[Math.floor(c / nx)]];
        const s = engine.openSession({ problem: first.spec.problem, start, steps: 200, seed: 0, optimizers: [first.spec.optimizers[0]] });
        const p = Array.from(s.params(0)).slice(-2);
        s.close();
        const d = r.minima.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1]));
        return { c, value: r.value[c], nearest: d.indexOf(Math.min(...d)), end: p, cellEnd: r.end[c] };
      });
    });
    for (const k of out) {
      assert.equal(k.value, k.nearest, `cell ${k.c}`);
      assert.deepEqual(k.cellEnd, k.end);
    }
    const runs = await page.evaluate(() => window.optlab.map.runs.slice(-2).map((r) => r.spec.map.run));
    assert.deepEqual(runs, [0, 1]);
    assert.match(await page.locator('#map-legend').textContent(), /basins of Adam/);
    const p = await cellPixel(page, 77);
    await page.locator('#map-canvas').click({ position: p });
    await settle(page);
    const want = await page.evaluate(() => { const r = window.optlab.map.runs.at(-2).result; return [r.x.values[77 % 16], r.y.values[Math.floor(77 / 16)]]; });
    assert.deepEqual(await page.evaluate(() => window.optlab.app.getState().start), want);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('the phase diagram: SGD with momentum on the quadratic marks lr·λ for both eigenvalues and opens an lr × momentum map', async () => {
  const spec = { problem: { name: 'quadratic' }, start: [-2.5, 1.5], steps: 2, seed: 0, optimizers: [{ name: 'sgd', lr: 0.1, momentum: 0.5, label: 'Momentum', color: '#e69f00' }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await page.locator('#curvature-toggle').click();
    await settle(page);
    assert.equal(await page.locator('#phase-info').isVisible(), true);
    // λ = 1 and 10 on this quadratic: h = 0.1 and 1.
    assert.match(await page.locator('#phase-info .phase-text').textContent(), /λ₁: h = 0\.1, .*; λ₂: h = 1, /);
    await page.getByRole('button', { name: 'Map lr × momentum' }).click();
    await settle(page);
    assert.equal(await page.locator('#map-view').isVisible(), true);
    assert.equal(await page.locator('#map-view').getByLabel('x axis: hyperparameter').inputValue(), 'lr');
    assert.equal(await page.locator('#map-view').getByLabel('y axis: hyperparameter').inputValue(), 'momentum');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a formula\'s basins are the core\'s clusters of end points: two wells, two basins split at x = 0', async () => {
  const spec = {
    problem: { expr: '(x^2 - 1)^2 + 2*y^2' }, start: [0.5, 0.5], steps: 0, seed: 0,
    optimizers: [{ name: 'sgd', lr: 0.02, label: 'SGD', color: '#0072b2' }],
    view: { xmin: -2, xmax: 2, ymin: -1.5, ymax: 1.5 },
  };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await setMap(page, { kind: 'start', run: 0, measure: 'basin', steps: 400, x: { n: 14 }, y: { n: 10 } });
    const map = await computeMap(page);
    assert.deepEqual(map.plan.minima, []); // no known minima: clustered when assembled
    const { minima, value, end } = map.result;
    assert.equal(minima.length, 2);
    const xs = map.result.x.values;
    value.forEach((v, c) => {
      const x = xs[c % xs.length];
      if (v === null) return;
      const m = minima[v];
      assert.ok(Math.abs(m[0] - Math.sign(x)) < 1e-2 && Math.abs(m[1]) < 1e-2, `cell ${c} (start x ${x}) in the basin of ${m}`);
      assert.ok(Math.hypot(end[c][0] - m[0], end[c][1] - m[1]) < 1e-2);
    });
    assert.match(await page.locator('#map-legend').textContent(), /\(−?1, .*\(−?1, /);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('the map takes the keyboard: arrows read a cell, Enter loads it', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await setMap(page, SMALL);
    const map = await computeMap(page);
    await page.locator('#map-canvas').focus();
    await page.keyboard.press('ArrowRight'); // from the middle cell (4, 3) to (5, 3)
    await page.keyboard.press('ArrowUp'); // (5, 4)
    await settle(page);
    assert.match(await page.locator('#map-readout').textContent(), /^lr .*Click to add this run\.$/);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), 0); // not the page's Step
    await page.keyboard.press('Enter');
    await settle(page);
    const run = await page.evaluate(() => window.optlab.app.getState().optimizers[1]);
    assert.equal(run.lr, map.plan.x.values[5]);
    assert.deepEqual(run.betas, [map.plan.y.values[4], 0.999]);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('twenty maps started and cancelled in the workers leave each worker\'s heap where it was', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    await setMap(page, SMALL);
    await computeMap(page); // the workers are up and have run one map
    const before = await page.evaluate(() => window.optlab.map.workerHeap());
    assert.ok(before.length >= 1);
    // Maps of several seconds each (33 M steps: a 64 x 64 one of 500 steps could finish, on a quiet
    // machine, before the Cancel click), cancelled once their first cells are in.
    await setMap(page, { ...SMALL, steps: 2000, x: { ...SMALL.x, n: 128 }, y: { ...SMALL.y, n: 128 } });
    for (let k = 0; k < 20; k++) {
      await page.locator('#map-compute').click();
      await page.waitForFunction(() => document.getElementById('map-bar').value > 0 || document.getElementById('map-view').dataset.state === 'done');
      await page.evaluate(() => document.getElementById('map-cancel').click());
      assert.equal(await page.locator('#map-view').getAttribute('data-state'), 'cancelled');
    }
    const after = await page.evaluate(() => window.optlab.map.workerHeap());
    assert.deepEqual(after, before);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('Export map saves the request optlab map reads: the same experiment and map section, the same plan', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    assert.equal(await page.locator('#map-export').isDisabled(), true);
    await setMap(page, SMALL);
    const map = await computeMap(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#map-export').click()]);
    assert.equal(download.suggestedFilename(), 'optlab-map.json');
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    const spec = JSON.parse(text);
    assert.deepEqual(spec, map.spec);
    assert.deepEqual(spec.map.x, { param: 'lr', from: 0.001, to: 0.5, n: 9, scale: 'log' });
    const plan = await page.evaluate((t) => {
      const job = window.optlab.engine.mapJob(JSON.parse(t));
      try {
        return job.plan();
      } finally {
        job.close();
      }
    }, text);
    assert.deepEqual(plan.x, map.plan.x.values);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a start map with an empty cell count names map.x.n; a smaller new map forgets the old map\'s read cell', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(ADAM)}`);
  try {
    // The cell count is the only axis box a start map shows: its error names it, not a hidden bound.
    await setMap(page, { kind: 'start', run: 0, measure: 'final_loss', steps: 20, x: { n: '' }, y: { n: 4 } });
    await page.locator('#map-compute').click();
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(), /map\.x\.n/);
    assert.equal(await mapCount(page), 0);
    // Read the top-right cell of a 6 × 6 map, then compute a 3 × 3 one: Enter reads the new map's
    // middle cell, not a cell the new grid does not have.
    await setMap(page, { x: { n: 6 }, y: { n: 6 } });
    await computeMap(page);
    await page.locator('#map-canvas').focus();
    for (let k = 0; k < 6; k++) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowUp');
    }
    await setMap(page, { x: { n: 3 }, y: { n: 3 } });
    const small = await computeMap(page);
    await page.locator('#map-canvas').focus();
    await page.keyboard.press('Enter');
    await settle(page);
    assert.deepEqual(await page.evaluate(() => window.optlab.app.getState().start), [small.plan.x.values[1], small.plan.y.values[1]]);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
