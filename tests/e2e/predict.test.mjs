// Predict mode: the marker is moved (pointer drag, then arrow keys, which must not step while
// Predict is on), committed with Enter, and the revealed distance is the distance from the guess
// to the core's next point of the selected run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { ROOT, useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';
import { makeFrame, toData } from '../../web/render/frame.js';

const env = useServerAndBrowser();

test('a prediction: marker dragged and nudged, committed, distance equals the core\'s step', async () => {
  const page = await openPage(env.browser, env.server.url, { width: 1280, height: 720, colorScheme: 'light' });
  try {
    await page.evaluate(() => window.optlab.app.setState({ selected: 0 }));
    await settle(page);
    await page.getByRole('button', { name: 'Predict' }).click();
    const before = await page.evaluate(() => window.optlab.app.getState().steps);
    const box = await page.locator('#plot').boundingBox();
    // Drag the marker to a point in the plot's middle.
    const [px, py] = [box.width * 0.55, box.height * 0.45];
    await page.mouse.move(box.x + px - 30, box.y + py - 30);
    await page.mouse.down();
    await page.mouse.move(box.x + px, box.y + py, { steps: 4 });
    await page.mouse.up();
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.equal(st.steps, before, 'placing the marker does not step');
    assert.deepEqual(st.start, (await page.evaluate(() => window.optlab.app.getState())).start);
    // The page's frame is the plot's client size (whole pixels), not its fractional bounding box.
    const [w, h] = await page.evaluate(() => [document.getElementById('plot').clientWidth, document.getElementById('plot').clientHeight]);
    const f = makeFrame(w, h, 1, st.view);
    let guess = toData(f, px, py);
    // Two presses of → move the marker 4 px each and do not step.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    guess = [guess[0] + 8 / f.scale, guess[1]];
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), before, 'arrows move the marker, not the runs');
    await page.keyboard.press('Enter');
    await settle(page);
    const after = await page.evaluate(() => {
      const app = window.optlab.app;
      const p = app.session().params(app.getState().selected);
      return { steps: app.getState().steps, point: [p[p.length - 2], p[p.length - 1]] };
    });
    assert.equal(after.steps, before + 1, 'Enter commits the guess and steps');
    const shown = Number(await page.locator('#predict-result').getAttribute('data-distance'));
    // The committed guess is where the pointer and the two presses put it (to a pixel's precision).
    const committed = JSON.parse(await page.locator('#predict-result').getAttribute('data-guess'));
    assert.ok(Math.hypot(committed[0] - guess[0], committed[1] - guess[1]) < 1 / f.scale, `guess ${committed} vs ${guess}`);
    guess = committed;
    const expected = Math.hypot(after.point[0] - guess[0], after.point[1] - guess[1]);
    assert.ok(Math.abs(shown - expected) <= 1e-9 * Math.max(1, expected), `distance ${shown} vs ${expected}`);
    const text = await page.locator('#predict-result').textContent();
    assert.match(text, /1 prediction, mean distance/);
    assert.match(text, new RegExp(`your guess was ${expected.toPrecision(3).replace('.', '\\.')} away`));
    fs.mkdirSync(path.join(ROOT, 'docs/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'docs/screenshots/predict.png') });
    // Predict off: the arrow keys step again.
    await page.getByRole('button', { name: 'Predict' }).click();
    await page.locator('#plot').focus();
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), before + 2);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('the race: a run picked before Play, the answer the step each run first came within the tolerance', async () => {
  // On a bowl SGD at a larger lr arrives sooner than at a small one; Adam's fixed-size steps arrive
  // in between or later. The page's answer must be the run whose loss first came within tolerance.
  const spec = {
    problem: { name: 'quadratic' }, start: [1.5, 1], steps: 0,
    optimizers: [{ name: 'sgd', lr: 0.02, label: 'Slow SGD' }, { name: 'sgd', lr: 0.2, label: 'Fast SGD' }, { name: 'adam', lr: 0.05 }],
  };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await page.getByRole('button', { name: 'Predict' }).click();
    const pick = page.getByLabel('Which run reaches the tolerance first?');
    assert.deepEqual(await pick.locator('option').allTextContents(), ['Pick a run…', 'Slow SGD', 'Fast SGD', 'Adam']);
    await pick.selectOption({ label: 'Slow SGD' });
    await settle(page);
    assert.match(await page.locator('#predict-race-result').textContent(), /You picked Slow SGD\. Press Play and see\./);
    for (let k = 0; k < 40 && !(await page.locator('#predict-race-result').getAttribute('data-winners')); k++) {
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
    }
    // The truth from the core's losses: the first step each run is within tolerance of the minimum (0).
    const truth = await page.evaluate(() => {
      const app = window.optlab.app;
      const st = app.getState();
      return st.optimizers.map((o, i) => ({ label: o.label, at: Array.from(app.session().losses(i)).findIndex((v) => Math.abs(v) <= st.tolerance) }));
    });
    const arrived = truth.filter((t) => t.at >= 0);
    assert.ok(arrived.length > 0, 'some run arrived');
    const first = Math.min(...arrived.map((t) => t.at));
    const winners = arrived.filter((t) => t.at === first).map((t) => t.label);
    assert.deepEqual((await page.locator('#predict-race-result').getAttribute('data-winners')).split('\n'), winners);
    const text = await page.locator('#predict-race-result').textContent();
    assert.ok(text.startsWith(`${winners.join(' and ')} reached the tolerance first, at step ${first}.`), text);
    assert.match(text, winners.includes('Slow SGD') ? /right!/ : /not this time\./);
    assert.equal(await pick.isDisabled(), true, 'no new pick once a run has arrived');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('on a network: three boundary thumbnails, the answer is the core\'s boundary after one step, by keyboard alone', async () => {
  const page = await openPage(env.browser, env.server.url);
  try {
    await page.getByRole('button', { name: 'Neural network' }).click();
    await settle(page);
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    await page.getByRole('button', { name: 'Predict' }).click();
    await settle(page);
    const choices = page.locator('.predict-net-choice');
    assert.equal(await choices.count(), 3);
    const aheads = (await choices.evaluateAll((els) => els.map((e) => Number(e.dataset.ahead)))).sort((a, b) => a - b);
    assert.deepEqual(aheads, [1, 5, 25]);
    // Pick B with the keyboard (Tab to it, Enter), then Enter on Step.
    await page.locator('.predict-net-choice').nth(0).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await choices.nth(1).getAttribute('aria-pressed'), 'true');
    const answer = 'ABC'[(await choices.evaluateAll((els) => els.map((e) => e.dataset.ahead))).indexOf('1')];
    await page.locator('#step').focus();
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), 11);
    const result = page.locator('.predict-net-result');
    assert.equal(await result.getAttribute('data-answer'), answer);
    assert.match(await result.textContent(), answer === 'B' ? /^Right: B was the boundary after one step/ : new RegExp(`^Not this time: ${answer} was the boundary after one step`));
    assert.match(await result.textContent(), /of 1 right\.$/);
    // The answer thumbnail is the live session's boundary now, drawn the same way.
    const same = await page.evaluate(async () => {
      const { drawHeatmap } = await import('/render/boundary.js');
      const app = window.optlab.app;
      const st = app.getState();
      const s = app.session();
      const data = s.dataset();
      const n = 48;
      const box = data.view;
      const dx = (box.xmax - box.xmin) / n;
      const dy = (box.ymax - box.ymin) / n;
      const grid = s.predictGrid(st.selected, { xmin: box.xmin + dx / 2, xmax: box.xmax - dx / 2, ymin: box.ymin + dy / 2, ymax: box.ymax - dy / 2 }, n, n);
      const c = document.createElement('canvas');
      c.width = c.height = n;
      const shownCanvas = document.querySelector('.predict-net-choice.answer canvas.heat');
      drawHeatmap(c.getContext('2d'), { values: grid, nx: n, ny: n, classes: data.classes, loss: data.loss, range: [0, 1] });
      const a = c.getContext('2d').getImageData(0, 0, n, n).data;
      const b = shownCanvas.getContext('2d').getImageData(0, 0, n, n).data;
      return a.length === b.length && a.every((v, i) => v === b[i]);
    });
    assert.equal(same, true, 'the answer is the core\'s boundary after the step');
    await page.getByRole('button', { name: 'Next question' }).click();
    await settle(page);
    assert.equal(await choices.nth(0).isDisabled(), false);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
