// A link at the cost budget's limit is computed in slices (issue 11): the page shows progress,
// answers clicks while it computes, Cancel stops at the step reached, and a catch-up that runs to
// the end gives exactly the numbers of one uninterrupted run. Watchdogs fail only on a gross hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, gotoReady, settle, encodeSpec } from './harness.mjs';
import { loadOptLab } from '../wasm/load.mjs';

const env = useServerAndBrowser();
const M = await loadOptLab();
const limits = JSON.parse(M.catalog()).limits;
const WATCHDOG_MS = 5_000;

const EXPR = Array.from({ length: 30 }, (_, i) => `sin(x*${i + 1} + y)*0.01`).join(' + ') + ' + x^2 + y^2';
const runs = (n) => Array.from({ length: n }, (_, i) => ({ name: 'sgd', lr: 0.001 * (i + 1), label: `SGD ${i + 1}` }));

// The most steps the budget allows for this problem with n runs, from the core's own estimate.
function mostSteps(n) {
  const s = new M.Session(JSON.stringify({ problem: { expr: EXPR }, steps: 0, optimizers: runs(n) }));
  try {
    return Math.floor(limits.max_request_cost / s.stepCost());
  } finally {
    s.delete();
  }
}

const app = (page) => page.evaluate(() => {
  const a = window.optlab.app;
  return { steps: a.getState().steps, owed: a.owed(), computed: a.session().stepCount() };
});

// Resolves once the page's event loop runs a task: the time it took, or a failure past the watchdog.
async function responds(page) {
  const t0 = Date.now();
  await Promise.race([
    page.evaluate(() => new Promise((r) => setTimeout(r, 0))),
    new Promise((_, reject) => setTimeout(() => reject(new Error(`page did not respond in ${WATCHDOG_MS} ms`)), WATCHDOG_MS)),
  ]);
  return Date.now() - t0;
}

test('a link at the budget limit opens at once, shows progress, answers clicks, and Cancel stops it', async () => {
  const target = Math.min(limits.max_steps, mostSteps(8));
  const spec = { problem: { expr: EXPR }, steps: target, optimizers: runs(8), start: [1, 1] };
  const page = await openPage(env.browser, null);
  try {
    await gotoReady(page, `${env.server.url}${encodeSpec(spec)}`);
    await page.locator('#catch-up').waitFor({ state: 'visible', timeout: WATCHDOG_MS });
    assert.match(await page.locator('#catch-up-text').textContent(), new RegExp(`of ${target.toLocaleString('en-US')}`));
    let st = await app(page);
    assert.equal(st.owed, target);
    assert.equal(st.steps, st.computed, 'the state never claims more than is computed');
    for (let i = 0; i < 5; i++) await responds(page);
    await page.click('#catch-up-cancel', { timeout: WATCHDOG_MS });
    await settle(page);
    st = await app(page);
    assert.equal(st.owed, null);
    assert.ok(st.steps > 0 && st.steps < target, `stopped at ${st.steps}`);
    assert.equal(st.steps, st.computed);
    assert.ok(await page.locator('#catch-up').isHidden());
    await page.waitForTimeout(300);
    assert.equal((await app(page)).steps, st.steps, 'nothing computes after Cancel');
    await page.click('#step');
    await settle(page);
    assert.deepEqual(await app(page), { steps: st.steps + 1, owed: null, computed: st.steps + 1 });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a catch-up run to the end, and a rewrite deep into the runs, give the numbers of one straight run', async () => {
  const steps = Math.min(Math.floor(mostSteps(8) / 20), 40_000); // a second or two of slices
  const spec = { problem: { expr: EXPR }, steps, optimizers: runs(8), start: [1, 1] };
  const page = await openPage(env.browser, null);
  try {
    await gotoReady(page, `${env.server.url}${encodeSpec(spec)}`);
    const done = () => page.waitForFunction(() => window.optlab.app.owed() === null, null, { timeout: 120_000 });
    await done();
    const last = (i) => page.evaluate((j) => Array.from(window.optlab.app.session().params(j)).slice(-2), i);
    const straight = (s) => JSON.parse(M.runExperiment(JSON.stringify(s))).runs;
    let expected = straight(spec);
    assert.equal((await app(page)).steps, steps);
    for (const i of [0, 7]) assert.deepEqual(await last(i), expected[i].params.at(-1));

    // A new lr for run 3 at the last step: recomputed in slices, the state following the work.
    await page.evaluate(() => {
      const a = window.optlab.app;
      const optimizers = a.getState().optimizers.map((o, i) => (i === 3 ? { ...o, lr: 0.0123 } : o));
      a.setState({ optimizers });
    });
    const mid = await app(page);
    assert.equal(mid.steps, mid.computed);
    await done();
    assert.equal((await app(page)).steps, steps);
    expected = straight({ ...spec, optimizers: spec.optimizers.map((o, i) => (i === 3 ? { ...o, lr: 0.0123 } : o)) });
    for (const i of [3, 4]) assert.deepEqual(await last(i), expected[i].params.at(-1));
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
