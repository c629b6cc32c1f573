// Predict mode: the marker is moved (pointer drag, then arrow keys, which must not step while
// Predict is on), committed with Enter, and the revealed distance is the distance from the guess
// to the core's next point of the selected run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { ROOT, useServerAndBrowser, openPage, settle } from './harness.mjs';
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
    const f = makeFrame(box.width, box.height, 1, st.view);
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
