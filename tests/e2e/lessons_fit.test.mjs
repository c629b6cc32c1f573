// The mini-batch lessons (issue 13) say what their data do: each claim is checked against the
// session's numbers after the lesson's own steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, lessonAt } from './harness.mjs';

const env = useServerAndBrowser();

const lesson = (title, steps, read, arg) => lessonAt(env.browser, env.server.url, title, steps, read, arg);

test('Batch 1, 8 and full batch: straight vs wandering, all near the minimum at 200 steps, small batches ahead per epoch', async () => {
  const r = await lesson('Batch 1, 8 and full batch', 200, () => {
    const s = window.optlab.app.session();
    const min = s.landscapeInfo().minima[0].value;
    const runs = [0, 1, 2].map((i) => {
      const p = Array.from(s.params(i));
      let path = 0;
      for (let k = 2; k < p.length; k += 2) path += Math.hypot(p[k] - p[k - 2], p[k + 1] - p[k - 1]);
      const straight = Math.hypot(p[p.length - 2] - p[0], p[p.length - 1] - p[1]);
      return { losses: Array.from(s.losses(i)), path, straight, label: s.label?.(i) };
    });
    return { min, runs, kind: s.problemKind(), batches: [0, 1, 2].map((i) => s.fitBatch(i, 0).length) };
  });
  assert.equal(r.kind, 'fit');
  assert.deepEqual(r.batches, [1, 8, 64]);
  for (const run of r.runs) assert.ok(run.losses[200] - r.min < 0.03, `within 0.03 of the minimum: ${run.losses[200] - r.min}`);
  const [one, , full] = r.runs;
  assert.ok(one.path / one.straight > 1.5 * (full.path / full.straight), 'batch 1 wanders, full batch walks straight');
  assert.ok(one.losses[64] - r.min < 0.01, `after one epoch batch 1 is almost there: ${one.losses[64] - r.min}`);
  assert.ok(full.losses[1] - r.min > 1, `full batch after its one step of that epoch: ${full.losses[1] - r.min}`);
});

test('AdaGrad on a sparse feature: twice SGD\'s w2 after 200 steps, w1 about the same, bigger steps for the rare weight', async () => {
  const r = await lesson('AdaGrad on a sparse feature', 200, () => {
    const s = window.optlab.app.session();
    return [0, 1].map((i) => ({ name: s.internals(i).name, params: s.internals(i).params, stepSize: s.internals(i).step_size }));
  });
  const [sgd, ada] = r;
  assert.deepEqual([sgd.name, ada.name], ['sgd', 'adagrad']);
  const ratio = ada.params[1] / sgd.params[1];
  assert.ok(ratio > 1.6 && ratio < 2.4, `w2 about twice: ${ratio}`);
  assert.ok(Math.abs(ada.params[0] - sgd.params[0]) < 0.05, `w1 about the same: ${sgd.params[0]} vs ${ada.params[0]}`);
  assert.ok(ada.stepSize[1] > 2 * ada.stepSize[0], `AdaGrad's step size for the rare w2 is larger: ${ada.stepSize}`);
  assert.equal(sgd.stepSize[0], sgd.stepSize[1], 'SGD: one lr for every weight');
});

test('a fit problem shows its data beside the landscape, with the selected run\'s last mini-batch ringed; other problems do not', async () => {
  const page = await openPage(env.browser, env.server.url, { width: 1280, height: 720 });
  try {
    assert.ok(await page.locator('#data-view').isHidden(), 'Rosenbrock has no data');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: /^Batch 1, 8 and full batch/ }).click();
    await page.evaluate(() => window.optlab.app.setState({ steps: 5, selected: 1 }));
    await settle(page);
    assert.ok(await page.locator('#data-view').isVisible());
    const batch = await page.evaluate(() => Array.from(window.optlab.app.session().fitBatch(1, 4)));
    assert.equal(batch.length, 8);
    assert.match(await page.locator('#data-caption').textContent(), /64 points; ringed: the 8 of batch 8's last mini-batch/);
    const inked = await page.locator('#data-canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
      return n;
    });
    assert.ok(inked > 1000, `the data view is drawn: ${inked} pixels`);
    // The plotted axes are the model's parameters, not the data's x and y.
    assert.deepEqual(await page.evaluate(() => window.optlab.app.session().landscapeInfo().axes), ['w', 'b']);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('this mini-batch\'s landscape: drawn on demand, lowest where the batch\'s own loss is, following Step and Back', async () => {
  const page = await openPage(env.browser, env.server.url, { width: 1280, height: 720 });
  try {
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: /^Batch 1, 8 and full batch/ }).click();
    await page.evaluate(() => window.optlab.app.setState({ steps: 3, selected: 1 }));
    await settle(page);
    const inked = () => page.locator('#batch-layer').evaluate((c) => {
      // Read from a copy, so the page's own canvas is never read back.
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const g = copy.getContext('2d', { willReadFrequently: true });
      g.drawImage(c, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
      return n;
    });
    assert.equal(await inked(), 0, 'off until asked for');
    await page.getByLabel(/Show this mini-batch's landscape/).check();
    await settle(page);
    assert.ok(await inked() > 500, 'drawn once asked for');
    // The ring marks the batch's own lowest sample, and a mini-batch's minimum is not the full one.
    const at3 = await page.evaluate(() => window.optlab.batchMinimum);
    const snap = () => page.locator('#batch-layer').evaluate((c) => c.toDataURL());
    const three = await snap();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    assert.notEqual(await snap(), three, 'the next step has another batch, another landscape');
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await settle(page);
    assert.equal(await snap(), three, 'Back shows the earlier batch\'s landscape again');
    assert.deepEqual(await page.evaluate(() => window.optlab.batchMinimum), at3);
    // The ring sits on the batch's own least-squares line (w, b).
    const where = await page.evaluate(async () => {
      const { makeFrame } = await import('./render/frame.js');
      const c = document.getElementById('batch-layer');
      const dpr = window.devicePixelRatio;
      const f = makeFrame(c.width / dpr, c.height / dpr, dpr, window.optlab.app.getState().view);
      const s = window.optlab.app.session();
      const d = s.fitData();
      const rows = Array.from(s.fitBatch(1, 2));
      const mean = (g) => rows.reduce((t, r) => t + g(r), 0) / rows.length;
      const mx = mean((r) => d.x[r]);
      const my = mean((r) => d.y[r]);
      const w = mean((r) => (d.x[r] - mx) * (d.y[r] - my)) / mean((r) => (d.x[r] - mx) ** 2);
      const nx = Math.max(8, Math.round(f.plot.width / 5));
      const ny = Math.max(8, Math.round(f.plot.height / 5));
      const cell = (x, y) => ({ i: Math.floor(((x - f.box.xmin) / (f.box.xmax - f.box.xmin)) * nx), j: Math.floor(((y - f.box.ymin) / (f.box.ymax - f.box.ymin)) * ny) });
      return { batch: cell(w, my - w * mx), rows: rows.length };
    });
    assert.equal(where.rows, 8);
    assert.ok(Math.abs(where.batch.i - at3.i) <= 1 && Math.abs(where.batch.j - at3.j) <= 1, `ring ${JSON.stringify(at3)} at the batch's minimum ${JSON.stringify(where.batch)}`);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

// Mean of loss − minimum over steps from..to, and the path length of the params over them.
function tail(s, i, from, to, min) {
  const losses = Array.from(s.losses(i));
  const p = Array.from(s.params(i));
  let mean = 0;
  for (let k = from; k <= to; k++) mean += (losses[k] - min) / (to - from + 1);
  let path = 0;
  for (let k = from + 1; k <= to; k++) path += Math.hypot(p[2 * k] - p[2 * k - 2], p[2 * k + 1] - p[2 * k - 1]);
  return { mean, path, first: losses.findIndex((l) => l - min < 0.01), losses };
}

test('Momentum averages mini-batch noise: same batches of 4, same average step; Momentum\'s late path over four times shorter, its loss lower, its start slower', async () => {
  const r = await lesson('Momentum averages mini-batch noise', 600, (tailSrc) => {
    const s = window.optlab.app.session();
    const tailFn = new Function(`return ${tailSrc}`)();
    const min = s.landscapeInfo().minima[0].value;
    return { runs: [0, 1].map((i) => ({ ...tailFn(s, i, 300, 600, min), batch: s.fitBatch(i, 7).length, internals: s.internals(i) })) };
  }, tail.toString());
  const [sgd, mom] = r.runs;
  assert.deepEqual([sgd.batch, mom.batch], [4, 4]);
  const average = (o) => o.lr / (1 - (o.momentum ?? 0)); // the step a steady gradient settles to
  assert.ok(Math.abs(average(sgd.internals.options) - average(mom.internals.options)) < 1e-12, 'the same average step');
  assert.ok(sgd.path > 4 * mom.path, `SGD's path over steps 300-600 is over four times Momentum's: ${sgd.path} vs ${mom.path}`);
  assert.ok(mom.mean < sgd.mean, `Momentum's loss stays closer to the minimum: ${mom.mean} vs ${sgd.mean}`);
  assert.ok(mom.first > sgd.first, `Momentum needs more steps to get going: ${mom.first} vs ${sgd.first}`);
});

test('Learning rate and batch size: batch 4 at the same lr about three times as far above the minimum; at half the lr like batch 8, in twice the steps and the same examples', async () => {
  const r = await lesson('Learning rate and batch size', 800, (tailSrc) => {
    const s = window.optlab.app.session();
    const tailFn = new Function(`return ${tailSrc}`)();
    const min = s.landscapeInfo().minima[0].value;
    return [0, 1, 2].map((i) => ({ ...tailFn(s, i, 400, 800, min), batch: s.runStatus(i).batch_size }));
  }, tail.toString());
  const [b8, b4, half] = r;
  assert.deepEqual(r.map((x) => x.batch), [8, 4, 4]);
  const noisier = b4.mean / b8.mean;
  assert.ok(noisier > 2 && noisier < 4, `about three times as far above the minimum: ${noisier}`);
  const back = half.mean / b8.mean;
  assert.ok(back > 0.6 && back < 1.5, `half the lr: batch 8's level: ${back}`);
  const steps = half.first / b8.first;
  assert.ok(steps > 1.6 && steps < 2.5, `about twice the steps to within 0.01: ${half.first} vs ${b8.first}`);
  const examples = (4 * half.first) / (8 * b8.first);
  assert.ok(examples > 0.8 && examples < 1.25, `about the same examples: ${examples}`);
});

test('Batch 1, 32 and full batch on a network: alike per step after 400 steps, batch 1 far ahead per epoch', async () => {
  const r = await lesson('Batch 1, 32 and full batch on a network', 400, () => {
    const s = window.optlab.app.session();
    return [0, 1, 2].map((i) => ({ losses: Array.from(s.losses(i)), status: s.runStatus(i), batch: s.runBatch(i, 0).length }));
  });
  assert.deepEqual(r.map((x) => x.batch), [1, 32, 160]);
  assert.deepEqual(r.map((x) => x.status.steps_per_epoch), [160, 5, 1]);
  const last = r.map((x) => x.losses[400]);
  assert.ok(Math.max(...last) - Math.min(...last) < 0.03, `within 0.03 after 400 steps: ${last}`);
  // One epoch each: 160 steps of batch 1, 5 of batch 32, 1 of full batch.
  const [one, b32, full] = r;
  assert.ok(one.losses[160] < b32.losses[5] - 0.1 && one.losses[160] < full.losses[1] - 0.1,
    `after one epoch batch 1 is far ahead: ${one.losses[160]} vs ${b32.losses[5]} and ${full.losses[1]}`);
});
