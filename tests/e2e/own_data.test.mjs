// End-to-end tests of the user's own data (issue 17) in Chromium: a CSV file replaces the data
// and restarts the runs; bad files are refused with the row and column and the previous data
// stay; Edit points adds, drags and removes points on a boundary plot (each edit restarts the runs);
// the share link carries a small data set, and a big one gets the notice and an empty link; the
// features and L1 controls change the spec; the inspector draws one map per hidden neuron.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPage, gotoReady, settle, screenshot, currentHash, encodeSpec, canvasSnapshot, withCleanPage,
} from './harness.mjs';

const env = useServerAndBrowser();
const POINTS = '.boundary .heat-box canvas:not(.heat)'; // the first run's points layer

const NET = {
  problem: {
    name: 'mlp', data: { name: 'moons', n: 80, noise: 0.1, seed: 1 },
    layers: [2, 6, 1], activation: 'tanh', loss: 'bce', init: { seed: 1 },
  },
  steps: 0, seed: 0,
  optimizers: [{ name: 'adam', lr: 0.02, label: 'Adam', color: '#cc79a7' }],
};

function csv(n, label = (k) => k % 2) {
  let text = 'x1,x2,label\n';
  for (let k = 0; k < n; k++) text += `${(Math.cos(k) * 1.3).toFixed(4)},${(Math.sin(3 * k) * 0.9).toFixed(4)},${label(k)}\n`;
  return text;
}

const withPage = (fn, options = {}) => withCleanPage(env, env.server.url + encodeSpec(NET), options, async (page) => {
  await page.getByRole('tab', { name: 'Problem' }).click();
  await fn(page);
});

const load = (page, name, text) => page.getByLabel('Load CSV').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

function read(page) {
  return page.evaluate(() => {
    const app = window.optlab.app;
    const st = app.getState();
    const d = app.session().dataset();
    return {
      data: st.problem.data, steps: st.steps, sessionSteps: app.session().stepCount(), train: d.train.x.length,
      view: JSON.parse(document.getElementById('boundaries').dataset.view), losses: Array.from(app.session().losses(0)),
    };
  });
}

async function stepTen(page) {
  await page.getByRole('button', { name: 'Step 10' }).click();
  await settle(page);
  assert.equal((await read(page)).steps, 10);
}

// Where point (x, y) of the data is on the first run's plot, in page pixels.
async function pixelOf(page, [x, y]) {
  const { view } = await read(page);
  const r = await page.locator('.boundary .heat-box').first().boundingBox();
  return { x: r.x + ((x - view.xmin) / (view.xmax - view.xmin)) * r.width, y: r.y + ((view.ymax - y) / (view.ymax - view.ymin)) * r.height };
}

test('a good CSV replaces the data, restarts the runs and travels in the link', async () => {
  await withPage(async (page) => {
    await stepTen(page);
    const pointsBefore = await canvasSnapshot(page, POINTS);
    await load(page, 'mine.csv', csv(30));
    await settle(page);
    const r = await read(page);
    assert.notEqual(await canvasSnapshot(page, POINTS), pointsBefore, 'the plot draws the new points');
    assert.equal(r.data.x.length, 30);
    assert.deepEqual(r.data.x[1], [Number((Math.cos(1) * 1.3).toFixed(4)), Number((Math.sin(3) * 0.9).toFixed(4))]);
    assert.equal(r.train, 30);
    assert.equal(r.steps, 0);
    assert.equal(r.sessionSteps, 0);
    assert.match(await page.locator('#own-data-info').textContent(), /30 points of your own \(from mine\.csv\); they travel in the share link/);
    const hash = await currentHash(page);
    const spec = JSON.parse(Buffer.from(hash.replace(/^#exp=/, ''), 'base64url').toString('utf8'));
    assert.deepEqual(spec.problem.data.x, r.data.x);
    await screenshot(page, 'own-data-csv');
  });
});

test('bad CSV files name the row and column and keep the previous data', async () => {
  await withPage(async (page) => {
    await load(page, 'good.csv', csv(20));
    await settle(page);
    const before = await read(page);
    await stepTen(page);
    const bad = [
      ['labels.csv', csv(20, (k) => (k === 15 ? 2 : k % 2)), 'labels.csv: row 17, column 3 (label): expected 0 or 1 for binary cross-entropy, got 2'],
      ['text.csv', 'x1,x2,label\n1,2,0\n1,abc,1\n', 'text.csv: row 3, column 2 (x2): expected a number, got "abc"'],
      ['short.csv', '1,2,0\n1,2\n', 'short.csv: row 2, column 3 (label): missing (expected 3 columns: x1,x2,label)'],
      ['nan.csv', '1,2,0\nNaN,2,1\n', 'nan.csv: row 2, column 1 (x1): expected a number, got "NaN"'],
      ['empty.csv', 'x1,x2,label\n', 'empty.csv: the file has no data rows (expected x1,x2,label lines)'],
    ];
    for (const [name, text, message] of bad) {
      await load(page, name, text);
      await page.waitForFunction((m) => document.querySelector('#own-data-error')?.textContent === m, message);
      assert.equal(await page.locator('#own-data-error').isVisible(), true, name);
      const now = await read(page);
      assert.deepEqual(now.data, before.data, name);
      assert.equal(now.steps, 10, `${name}: the runs go on`);
    }
  });
});

test('a file that cannot be read says so and keeps the data; the file is named only while its data are shown', async () => {
  await withPage(async (page) => {
    await load(page, 'mine.csv', csv(30));
    await settle(page);
    const before = await read(page);
    assert.match(await page.locator('#own-data-info').textContent(), /\(from mine\.csv\)/);
    // A file deleted or locked after it was chosen: Chromium's File.text() rejects.
    await page.evaluate(() => {
      const input = document.querySelector('input[type=file][aria-label="Load CSV"]');
      const gone = { name: 'gone.csv', size: 40, text: () => Promise.reject(new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError')) };
      Object.defineProperty(input, 'files', { value: [gone], configurable: true });
      input.dispatchEvent(new Event('change')); // the handler takes files[0] before it awaits
      delete input.files;
    });
    await page.waitForFunction(() => !document.querySelector('#own-data-error').hidden);
    assert.equal(await page.locator('#own-data-error').textContent(),
      'gone.csv: the file could not be read (A requested file or directory could not be found at the time an operation was processed.)');
    assert.deepEqual((await read(page)).data, before.data);
    assert.match(await page.locator('#own-data-info').textContent(), /\(from mine\.csv\)/, 'still mine.csv\'s data');

    // An added point makes the data the user's, no longer mine.csv's.
    await page.locator('#edit-points').click();
    const r = await page.locator('.boundary .heat-box').first().boundingBox();
    await page.mouse.click(r.x + 6, r.y + 6);
    await settle(page);
    assert.equal((await read(page)).data.x.length, 31);
    assert.match(await page.locator('#own-data-info').textContent(), /^31 points of your own; they travel in the share link\.$/);

    // Loading the same file again names it again; a refused file leaves the name as it was.
    await load(page, 'mine.csv', csv(30));
    await settle(page);
    assert.match(await page.locator('#own-data-info').textContent(), /^30 points of your own \(from mine\.csv\)/);
    await load(page, 'bad.csv', 'x1,x2,label\n1,abc,1\n');
    await page.waitForFunction(() => !document.querySelector('#own-data-error').hidden);
    assert.match(await page.locator('#own-data-info').textContent(), /\(from mine\.csv\)/);
  });
});

test('Edit points: click adds, drag moves, Shift-click removes, each restarting the runs', async () => {
  await withPage(async (page) => {
    const start = await read(page);
    await page.locator('#edit-points').click();
    await page.locator('#point-class').selectOption('1');
    await stepTen(page);
    // A click on an empty place: the view's corner has no moon point.
    const r = await page.locator('.boundary .heat-box').first().boundingBox();
    const pointsBefore = await canvasSnapshot(page, POINTS);
    await page.mouse.click(r.x + 6, r.y + 6);
    await settle(page);
    const now = await read(page);
    assert.notEqual(await canvasSnapshot(page, POINTS), pointsBefore, 'the plot draws the added point');
    assert.equal(now.data.x.length, 81);
    assert.equal(now.data.y[80], 1);
    assert.ok(now.data.x[80][0] < start.view.xmin + 0.1 * (start.view.xmax - start.view.xmin));
    // The plot keeps its box while editing, so the new point is drawn where it was clicked.
    const drawnAt = await pixelOf(page, now.data.x[80]);
    assert.ok(Math.abs(drawnAt.x - (r.x + 6)) < 1 && Math.abs(drawnAt.y - (r.y + 6)) < 1, JSON.stringify(drawnAt));
    assert.equal(now.data.seed, 1, 'the generated set\'s seed stays for the split');
    assert.equal(now.steps, 0);
    assert.notDeepEqual(now.losses, start.losses);

    // A press and release on point 5 without moving it changes nothing: the runs keep their steps.
    await stepTen(page);
    const p5 = now.data.x[5];
    const at = await pixelOf(page, p5);
    await page.mouse.click(at.x, at.y);
    await settle(page);
    const clicked = await read(page);
    assert.deepEqual(clicked.data.x, now.data.x);
    assert.equal(clicked.steps, 10, 'a click on a point does not restart the runs');

    // Drag point 5 by 40 pixels to the right.
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 20, at.y, { steps: 3 });
    await page.mouse.move(at.x + 40, at.y, { steps: 3 });
    await page.mouse.up();
    await settle(page);
    const moved = await read(page);
    assert.equal(moved.data.x.length, 81);
    const width = (await page.locator('.boundary .heat-box').first().boundingBox()).width;
    const dx = (40 / width) * (now.view.xmax - now.view.xmin);
    assert.ok(Math.abs(moved.data.x[5][0] - (p5[0] + dx)) < 0.02, `moved to ${moved.data.x[5]} from ${p5}`);
    assert.ok(Math.abs(moved.data.x[5][1] - p5[1]) < 0.02);
    assert.equal(moved.steps, 0);

    // Shift-click removes it.
    const at2 = await pixelOf(page, moved.data.x[5]);
    await page.keyboard.down('Shift');
    await page.mouse.click(at2.x, at2.y);
    await page.keyboard.up('Shift');
    await settle(page);
    const removed = await read(page);
    assert.equal(removed.data.x.length, 80);
    assert.ok(!removed.data.x.some((p) => p[0] === moved.data.x[5][0] && p[1] === moved.data.x[5][1]));
    // Right-click removes too (and opens no menu).
    const at3 = await pixelOf(page, removed.data.x[0]);
    await page.mouse.click(at3.x, at3.y, { button: 'right' });
    await settle(page);
    const right = await read(page);
    assert.equal(right.data.x.length, 79);
    assert.deepEqual(right.data.x[0], removed.data.x[1]);
    await screenshot(page, 'own-data-edit');

    // Back to the generated set.
    await page.locator('#generated-set').click();
    await settle(page);
    const back = await read(page);
    assert.deepEqual(back.data, NET.problem.data);
    assert.equal(back.train, 80);
  });
});

test('Edit points on a regression curve adds (x1, y) with x2 = 0', async () => {
  const sine = { ...NET, problem: { ...NET.problem, data: { name: 'sine', n: 40, seed: 2 }, loss: 'mse' } };
  const page = await openPage(env.browser, null, {});
  try {
    await gotoReady(page, env.server.url + encodeSpec(sine));
    await page.getByRole('tab', { name: 'Problem' }).click();
    await page.locator('#edit-points').click();
    assert.equal(await page.locator('#point-class').isDisabled(), true, 'no class for a regression point');
    const r = await page.locator('.boundary .heat-box').first().boundingBox();
    await page.mouse.click(r.x + r.width / 2, r.y + 8);
    await settle(page);
    const st = await page.evaluate(() => window.optlab.app.getState());
    const d = st.problem.data;
    assert.equal(d.x.length, 41);
    assert.equal(d.x[40][1], 0);
    const ys = d.y.slice(0, 40);
    assert.ok(d.y[40] > Math.max(...ys), `a click near the top is above every target: ${d.y[40]}`);
    assert.equal(st.steps, 0);
    await settle(page);
    assert.deepEqual(page.problems, [], 'console warnings or errors');
  } finally {
    await page.context().close();
  }
});

test('a data set over 500 points gets the notice and leaves the link', async () => {
  await withPage(async (page) => {
    await load(page, 'big.csv', csv(600));
    await settle(page);
    assert.equal((await read(page)).data.x.length, 600);
    assert.match(await page.locator('#own-data-info').textContent(), /600 points: more than the 500 a share link holds, so the link leaves this experiment out\. Export → JSON saves it with its data\./);
    assert.equal(await currentHash(page), '');
    await load(page, 'small.csv', csv(500));
    await settle(page);
    assert.match(await currentHash(page), /^#exp=/);
  });
});

test('features and L1 change the spec; the inspector maps every hidden neuron', async () => {
  await withPage(async (page) => {
    await page.getByLabel('x1·x2').check();
    await page.getByLabel('sin x1').check();
    await settle(page);
    let p = await page.evaluate(() => window.optlab.app.getState().problem);
    assert.deepEqual(p.features, ['x1*x2', 'sin(x1)']);
    assert.equal(p.layers[0], 4);
    await page.getByLabel('L1 penalty').fill('0.01');
    await page.getByLabel('L1 penalty').press('Enter');
    await settle(page);
    p = await page.evaluate(() => window.optlab.app.getState().problem);
    assert.equal(p.l1, 0.01);
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const maps = page.locator('#layer-inspector canvas.neuron');
    assert.equal(await maps.count(), 6);
    // Each map is drawn from the core's grid: its largest |activation| is the core's.
    const check = await page.evaluate(() => {
      const app = window.optlab.app;
      const s = app.session();
      const g = s.neuronGrid(0, 1, s.dataset().view, 24, 24);
      const top = (k) => Math.max(...Array.from(g.subarray(k * 576, (k + 1) * 576), Math.abs));
      return [...document.querySelectorAll('#layer-inspector canvas.neuron')].map((c, k) => [Number(c.dataset.max), top(k)]);
    });
    for (const [drawn, core] of check) assert.equal(drawn, core);
    await page.getByLabel('sin x1').uncheck();
    await settle(page);
    p = await page.evaluate(() => window.optlab.app.getState().problem);
    assert.deepEqual(p.features, ['x1*x2']);
    assert.equal(p.layers[0], 3);
  });
});

test('a fit problem takes a CSV of its model; a bad one names row and column and keeps the data', async () => {
  const fit = {
    problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 64, seed: 1 }, batch_size: 8 },
    steps: 0, seed: 0, optimizers: [{ name: 'sgd', lr: 0.05 }],
  };
  const page = await openPage(env.browser, null, {});
  try {
    await gotoReady(page, env.server.url + encodeSpec(fit));
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    await page.getByLabel('Load fit CSV').setInputFiles({ name: 'line.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0,1\n1,3\n2,5.5\n-1,-1\n') });
    await settle(page);
    const st = await page.evaluate(() => ({ p: window.optlab.app.getState().problem, steps: window.optlab.app.getState().steps, fit: window.optlab.app.session().fitData() }));
    assert.deepEqual(st.p.data, { x: [0, 1, 2, -1], y: [1, 3, 5.5, -1] });
    assert.deepEqual(st.fit.x, [0, 1, 2, -1]);
    assert.equal(st.steps, 0);
    assert.equal(st.p.batch_size, undefined, 'a batch larger than the points falls back to full batch');
    assert.match(await page.locator('#data-caption').textContent(), /^4 points/);
    await page.getByLabel('Load fit CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0,1\n1,2,3\n') });
    await page.waitForFunction(() => !document.querySelector('#fit-csv-error').hidden);
    assert.equal(await page.locator('#fit-csv-error').textContent(), 'bad.csv: row 3, column 3: unexpected (expected 2 columns: x,y)');
    assert.deepEqual((await page.evaluate(() => window.optlab.app.getState().problem)).data, st.p.data);
    await screenshot(page, 'own-data-fit');
    await settle(page);
    assert.deepEqual(page.problems, [], 'console warnings or errors');
  } finally {
    await page.context().close();
  }
});

test('the Problem panel with Your data fits a projector and a phone without page scroll', async () => {
  for (const [width, height] of [[1280, 720], [390, 844]]) {
    await withPage(async (page) => {
      await load(page, 'mine.csv', csv(40));
      await page.locator('#edit-points').click();
      await settle(page);
      const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
      assert.ok(scroll.w <= width, `${width}x${height}: page scrolls sideways (${scroll.w})`);
      if (width === 1280) assert.ok(scroll.h <= height, `${width}x${height}: page scrolls (${scroll.h})`);
      await screenshot(page, `own-data-${width}x${height}`);
    }, { width, height });
  }
});
