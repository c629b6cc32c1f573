// Batch size per run on the page (issue 13, items 6 and 8): the run card's slider and box, the
// legend's tag, the loss chart's x axis in steps, epochs or examples seen, and network mode drawing
// each run's own mini-batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const env = useServerAndBrowser();

const FIT = {
  problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 24, seed: 3 } },
  start: [-1, 3], steps: 12, seed: 2,
  optimizers: [
    { name: 'sgd', lr: 0.05, label: 'A', color: '#0072b2' },
    { name: 'sgd', lr: 0.05, batch_size: 4, label: 'B', color: '#d55e00' },
  ],
};

const stateOf = (page) => page.evaluate(() => {
  const s = window.optlab.app.session();
  const st = window.optlab.app.getState();
  return {
    runs: st.optimizers, xAxis: st.xAxis,
    batches: st.optimizers.map((_, i) => s.fitBatch(i, 0).length),
    status: st.optimizers.map((_, i) => s.runStatus(i)),
  };
});

test('each run card has a batch size from 1 to n with "full"; the slider, the box and a bad value', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(FIT)}`);
  try {
    await page.getByRole('tab', { name: 'Runs' }).click();
    const boxA = page.getByRole('textbox', { name: 'batch size of A', exact: true });
    const boxB = page.getByRole('textbox', { name: 'batch size of B', exact: true });
    assert.equal(await boxA.inputValue(), '', 'A has no batch size of its own: the problem\'s full batch');
    assert.equal(await boxB.inputValue(), '4');
    assert.match(await page.locator('.run-card').first().textContent(), /of 24/);

    // The box: 6 for A; every other run stays as it was.
    await boxA.fill('6');
    await boxA.press('Enter');
    await settle(page);
    let st = await stateOf(page);
    assert.equal(st.runs[0].batch_size, 6);
    assert.deepEqual(st.batches, [6, 4]);
    assert.equal(st.status[0].steps_per_epoch, 4);

    // The slider's right end is full batch (null in the spec), its left end batch 1.
    const slider = page.getByRole('slider', { name: 'batch size of A (slider)' });
    await slider.focus();
    await page.keyboard.press('End');
    await settle(page);
    st = await stateOf(page);
    assert.equal(st.runs[0].batch_size, null);
    assert.equal(st.batches[0], 24);
    assert.equal(await boxA.inputValue(), '');
    await page.keyboard.press('Home');
    await settle(page);
    st = await stateOf(page);
    assert.equal(st.runs[0].batch_size, 1);
    assert.equal(await boxA.inputValue(), '1');

    // Too big a batch: the core's message under the control, the run unchanged.
    await boxB.fill('25');
    await boxB.press('Enter');
    await settle(page);
    const error = page.locator('.run-card').nth(1).locator('.batch-size .run-error');
    assert.equal(await error.isVisible(), true);
    assert.match(await error.textContent(), /batch_size/);
    assert.match(await error.textContent(), /24/);
    st = await stateOf(page);
    assert.equal(st.runs[1].batch_size, 4);
    await boxB.fill('two');
    await boxB.press('Enter');
    assert.match(await error.textContent(), /whole number from 1 to 24/);
    assert.equal((await stateOf(page)).runs[1].batch_size, 4);

    // The legend says each run's batch size.
    const legend = await page.locator('#legend-body').textContent();
    assert.match(legend, /A\s*batch 1/);
    assert.match(legend, /B\s*batch 4/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('the loss chart counts steps, epochs or examples seen, offered only where runs see data', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(FIT)}`);
  try {
    const select = page.getByRole('combobox', { name: 'Loss chart\'s x axis' });
    assert.equal(await select.isVisible(), true);
    const axisOf = () => page.$eval('#loss-chart', (c) => c.dataset.xaxis);
    assert.equal(await axisOf(), 'step');
    await select.selectOption('epochs');
    await settle(page);
    assert.equal(await axisOf(), 'epoch');
    assert.equal(await page.evaluate(() => window.optlab.app.getState().xAxis), 'epochs');

    // Hover: at the same place on an epoch axis each run is at its own step. A (full batch) has
    // done 12 epochs in 12 steps, B (6 steps an epoch) 2: past them B has no value.
    const box = await page.locator('#loss-chart').boundingBox();
    const left = 58;
    const right = 12; // the chart's margins (render/loss_chart.js)
    const at = async (epochs) => {
      await page.mouse.move(box.x + left + ((box.width - left - right) * epochs) / 12, box.y + box.height / 2);
      await settle(page);
      return page.locator('#loss-readout').textContent();
    };
    let readout = await at(1.5);
    assert.match(readout, /^1\.5 epochs:/, readout);
    assert.match(readout, /A [\d.]+ \(step 1\)/, readout);
    assert.match(readout, /B [\d.]+ \(step 9\)/, readout);
    readout = await at(11.5);
    assert.match(readout, /A [\d.]+ \(step 11\)/, readout);
    assert.match(readout, /B —/, readout);

    await select.selectOption('examples');
    await settle(page);
    assert.equal(await axisOf(), 'examples seen');

    // A formula landscape has no data: picked in the Problem panel, the runs lose their batch
    // sizes, the choice goes and the chart counts steps.
    await page.getByRole('tab', { name: 'Problem' }).click();
    await page.getByLabel('Landscape', { exact: true }).selectOption('rosenbrock');
    await settle(page);
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.equal(st.problem.name, 'rosenbrock');
    assert.deepEqual(st.optimizers.map((o) => 'batch_size' in o), [false, false]);
    assert.equal(await select.isVisible(), false);
    assert.equal(await axisOf(), 'step');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('network mode: each run has its own batch size; the ringed points are the selected run\'s batch', async () => {
  const spec = {
    problem: {
      name: 'mlp', data: { name: 'moons', n: 100, noise: 0.1, seed: 1, test_fraction: 0.2 }, layers: [2, 4, 1],
      activation: 'tanh', loss: 'bce', batch_size: 16, init: { seed: 1 },
    },
    steps: 3, seed: 0,
    optimizers: [
      { name: 'sgd', lr: 0.1, batch_size: 1, label: 'one', color: '#d55e00' },
      { name: 'sgd', lr: 0.1, label: 'sixteen', color: '#0072b2' },
      { name: 'sgd', lr: 0.1, batch_size: null, label: 'all', color: '#009e73' },
    ],
  };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await page.getByRole('tab', { name: 'Runs' }).click();
    assert.equal(await page.getByRole('textbox', { name: 'batch size of sixteen', exact: true }).inputValue(), '16');
    assert.match(await page.locator('.run-card').first().textContent(), /of 80/);
    const note = () => page.locator('#batch-note').textContent();
    assert.match(await note(), /the 1 points of one's mini-batch step 3 used \(80 mini-batches per epoch\)/);
    await page.evaluate(() => window.optlab.app.setState({ selected: 1 }));
    await settle(page);
    assert.match(await note(), /the 16 points of sixteen's mini-batch step 3 used \(5 mini-batches per epoch\)/);
    await page.evaluate(() => window.optlab.app.setState({ selected: 2 }));
    await settle(page);
    assert.match(await note(), /Full batch: every step of all uses all the training points/);
    // The faint mini-batch loss line: for the two batched runs only (train 3 + batch 2 + test 3).
    assert.equal(await page.$eval('#loss-chart', (c) => c.dataset.lines), '8');
    const legend = await page.locator('#legend-body').textContent();
    assert.match(legend, /sixteen\s*batch 16/);
    assert.match(legend, /all\s*full batch/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
