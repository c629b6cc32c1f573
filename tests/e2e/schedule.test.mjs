// A run's Schedule drawer and the lr panel: the chart's lr is the core's (lrSchedule) before
// anything runs, a bad argument shows the core's message naming the field with the run unchanged,
// "none" removes the scheduler, and the lr panel shows the lr each run recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, screenshot } from './harness.mjs';

const env = useServerAndBrowser();

test('Schedule drawer: core lr before running, core errors, none; lr panel', async () => {
  const page = await openPage(env.browser, env.server.url);
  const card = page.locator('.run-card').first();
  await card.locator('details.schedule summary').click();
  await card.getByLabel('Scheduler of SGD').selectOption('step_lr');
  await settle(page);
  const run = await page.evaluate(() => window.optlab.app.getState().optimizers[0]);
  assert.equal(run.scheduler.name, 'step_lr');
  const example = await page.evaluate(() => window.optlab.engine.catalog.schedulers.find((s) => s.name === 'step_lr')
    .arguments.find((a) => a.name === 'step_size').example);
  assert.equal(run.scheduler.step_size, example);
  const drawn = JSON.parse(await card.locator('canvas.schedule-chart').getAttribute('data-lr'));
  const core = await page.evaluate((r) => window.optlab.engine.lrSchedule(r, 200).lr, run);
  assert.deepEqual(drawn, core);
  assert.ok(drawn.at(-1) < drawn[0], 'the chart shows the decay');

  // A zero period: the core's message, naming the field; the run keeps its schedule.
  const box = card.getByLabel("step_size of SGD's schedule", { exact: true });
  await box.fill('0');
  await box.press('Enter');
  await settle(page);
  const message = await card.locator('details.schedule .run-error').textContent();
  assert.match(message, /optimizers\[0\]\.scheduler\.step_size: /);
  assert.deepEqual(await page.evaluate(() => window.optlab.app.getState().optimizers[0]), run);

  // The lr panel after 120 steps: the recorded lr, halved... by gamma after step_size steps.
  await page.locator('#lr-toggle').click();
  await page.evaluate(() => window.optlab.app.setState({ steps: 120 }));
  await settle(page);
  const last = Number((await page.locator('#lr-chart').getAttribute('data-last')).split('|')[0]);
  const want = await page.evaluate((r) => window.optlab.engine.lrSchedule(r, 120).lr[120], run);
  assert.equal(last, want);
  assert.equal(await page.evaluate(() => window.optlab.app.getState().lrPanel), true);
  // The inspector: the lr the next step uses and the scheduler's state, as the core's internals say.
  const internals = await page.evaluate(() => window.optlab.app.session().internals(0));
  const table = await page.locator('#internals-table').textContent();
  assert.match(table, /lr now/);
  assert.match(table, new RegExp(`step_lr\\.last_epoch${internals.scheduler_state.last_epoch}`));
  await screenshot(page, 'schedule-drawer');

  await card.getByLabel('Scheduler of SGD').selectOption('none');
  await settle(page);
  assert.equal('scheduler' in await page.evaluate(() => window.optlab.app.getState().optimizers[0]), false);
  assert.deepEqual(page.problems, []);
});
