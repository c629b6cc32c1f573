// Changes "from here" (issue 15, item 8): paused at step k, an lr edit restarts the run (the
// default) and the card offers "Apply from step k"; applying keeps the first k points, the later
// ones equal a fresh runExperiment with the same "changes", and the share link reproduces them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec, readApp, currentHash, gotoReady, screenshot } from './harness.mjs';

const env = useServerAndBrowser();

const K = 30;
const SPEC = {
  problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: K, seed: 0,
  optimizers: [
    { name: 'sgd', lr: 0.0005, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' },
  ],
  view: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 },
};

// The core's own answer for a spec, straight through the module (not the session).
const fresh = (page, spec) => page.evaluate((s) => window.optlab.engine.runExperiment(s).runs, spec);
const flat = (points) => points.flat();

test('paused at step k, an lr change applied from here keeps the first k steps and the link reproduces it', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(SPEC)}`);
  try {
    await page.getByRole('tab', { name: 'Runs' }).click();
    const before = await readApp(page);
    assert.equal(before.state.steps, K);

    // The default: an edit restarts the run with the new lr (its first step differs already).
    const box = page.getByRole('spinbutton', { name: 'lr of Momentum', exact: true });
    await box.fill('0.002');
    await box.press('Enter');
    await settle(page);
    const restarted = await readApp(page);
    assert.equal(restarted.state.optimizers[0].lr, 0.002);
    assert.notDeepEqual(restarted.params[0].slice(0, 4), before.params[0].slice(0, 4));
    const apply = page.getByRole('button', { name: `Apply lr = 0.002 to Momentum from step ${K}` });
    assert.ok(await apply.isVisible(), 'the card offers to apply the change from the paused step');
    await screenshot(page, 'changes-offer');

    await apply.click();
    await settle(page);
    const applied = await readApp(page);
    assert.equal(applied.state.optimizers[0].lr, 0.0005, 'the run keeps its starting lr');
    assert.deepEqual(applied.state.optimizers[0].changes, [{ step: K, lr: 0.002 }]);
    assert.deepEqual(applied.params[0], before.params[0], 'the first k steps are kept');
    assert.deepEqual(applied.params[1], before.params[1], 'the other run is untouched');
    assert.match(await page.locator('.run-changes').first().textContent(), new RegExp(`from step ${K}: lr = 0.002`));

    // On from there: the later points are a fresh runExperiment's with the same changes.
    await page.click('#step10');
    await page.click('#step10');
    await settle(page);
    const on = await readApp(page);
    assert.equal(on.state.steps, K + 20);
    const spec = { ...SPEC, steps: K + 20, optimizers: [{ ...SPEC.optimizers[0], changes: [{ step: K, lr: 0.002 }] }, SPEC.optimizers[1]] };
    const want = await fresh(page, spec);
    assert.deepEqual(on.params[0], flat(want[0].params));
    assert.deepEqual(on.losses[0], want[0].loss);
    assert.deepEqual(on.params[0].slice(0, 2 * (K + 1)), before.params[0]);
    const without = await fresh(page, { ...SPEC, steps: K + 20 });
    assert.notDeepEqual(on.params[0], flat(without[0].params), 'the change changes the steps after k');
    await screenshot(page, 'changes-applied');

    // The share link opens the same trajectory in a new page.
    const hash = await currentHash(page);
    const other = await openPage(env.browser, `${env.server.url}${hash}`);
    try {
      const reopened = await readApp(other);
      assert.deepEqual(reopened.state.optimizers[0].changes, [{ step: K, lr: 0.002 }]);
      assert.deepEqual(reopened.params, on.params);
      assert.deepEqual(reopened.losses, on.losses);
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context().close();
    }

    // Removing the change recomputes the run as if it had never had one.
    await page.getByRole('button', { name: `Remove the change at step ${K} of Momentum` }).click();
    await settle(page);
    const removed = await readApp(page);
    assert.equal(removed.state.optimizers[0].changes, undefined);
    assert.deepEqual(removed.params[0], flat(without[0].params));
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a betas edit on Adam applied from here, then Back below k: the link opens and stepping on reapplies it', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(SPEC)}`);
  try {
    await page.getByRole('tab', { name: 'Runs' }).click();
    const before = await readApp(page);
    await page.getByText('adam settings (torch.optim.Adam)').click();
    const box = page.getByRole('spinbutton', { name: 'betas[0] of Adam', exact: true });
    await box.fill('0.5');
    await box.press('Enter');
    await settle(page);
    await page.getByRole('button', { name: `Apply betas = [0.5, 0.999] to Adam from step ${K}` }).click();
    await settle(page);
    const applied = await readApp(page);
    assert.equal(applied.state.optimizers[1].betas, undefined, 'the run keeps torch\'s default betas up to step k');
    assert.deepEqual(applied.state.optimizers[1].changes, [{ step: K, betas: [0.5, 0.999] }]);
    assert.deepEqual(applied.params, before.params, 'nothing moved up to step k');

    // Back below the change: the change stays in the link, and stepping on applies it again.
    for (let n = 0; n < 5; n++) await page.click('#back');
    await settle(page);
    assert.equal((await readApp(page)).state.steps, K - 5);
    const other = await openPage(env.browser, `${env.server.url}${await currentHash(page)}`);
    try {
      const reopened = await readApp(other);
      assert.equal(reopened.state.steps, K - 5);
      assert.deepEqual(reopened.state.optimizers[1].changes, [{ step: K, betas: [0.5, 0.999] }]);
      await other.click('#step10');
      await settle(other);
      const on = await readApp(other);
      const want = await fresh(other, { ...SPEC, steps: K + 5, optimizers: [SPEC.optimizers[0], { ...SPEC.optimizers[1], changes: [{ step: K, betas: [0.5, 0.999] }] }] });
      assert.deepEqual(on.params[1], flat(want[1].params));
      const plain = await fresh(other, { ...SPEC, steps: K + 5 });
      assert.notDeepEqual(on.params[1], flat(plain[1].params));
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context().close();
    }
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('at step 0 an edit just restarts: nothing to apply from here', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec({ ...SPEC, steps: 0 })}`);
  try {
    await page.getByRole('tab', { name: 'Runs' }).click();
    const box = page.getByRole('spinbutton', { name: 'lr of Momentum', exact: true });
    await box.fill('0.002');
    await box.press('Enter');
    await settle(page);
    assert.equal(await page.locator('.from-here:not([hidden])').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a link with bad changes is refused with the field named and the default opens', async () => {
  const bad = { ...SPEC, optimizers: [{ ...SPEC.optimizers[0], changes: [{ step: 5, lr: -1 }] }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(bad)}`);
  try {
    assert.match(await page.locator('#notice-text').textContent(), /optimizers\[0\]\.changes\[0\]\.lr: Invalid learning rate: -1/);
    page.problems = page.problems.filter((p) => !/changes/.test(p)); // the refusal may be logged
    const app = await readApp(page);
    assert.equal(app.state.optimizers[0].changes, undefined);
  } finally {
    await page.context().close();
  }
});
