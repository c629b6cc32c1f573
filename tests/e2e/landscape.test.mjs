// End-to-end tests of the landscape page in Chromium: everything a teacher does in class, each
// checked against the numbers of the wasm session (never against constants written here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  useServerAndBrowser, openPage, gotoReady, settle, screenshot, canvasSnapshot, readApp, currentHash, encodeSpec, withCleanPage,
} from './harness.mjs';

const env = useServerAndBrowser();

// Opens the page fresh (no link), runs fn, and asserts no console warning or error happened.
const withPage = (options, fn) => withCleanPage(env, env.server.url, options, fn);

const counter = (page) => page.locator('#step-counter').textContent();

test('loads without console errors and shows the default lesson, at projector and phone size', async () => {
  for (const size of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await withPage(size, async (page) => {
      assert.equal(await counter(page), 'Step 0');
      const { state } = await readApp(page);
      assert.equal(state.problem.name, 'rosenbrock');
      assert.deepEqual(state.optimizers.map((o) => o.label), ['SGD', 'Momentum', 'RMSprop', 'Adam']);
      // The legend names every run, and the lesson note is up.
      for (const label of ['SGD', 'Momentum', 'RMSprop', 'Adam']) {
        assert.ok(await page.getByRole('button', { name: `Inspect ${label}` }).isVisible());
      }
      assert.ok(await page.locator('#lesson-note').isVisible());
      // The landscape's known minimum is drawn, so the contour layer is not blank.
      const blank = await page.evaluate(() => {
        const c = document.createElement('canvas');
        const src = document.getElementById('contour-layer');
        c.width = src.width;
        c.height = src.height;
        return c.toDataURL();
      });
      assert.notEqual(await canvasSnapshot(page, '#contour-layer'), blank);
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      await screenshot(page, `landscape-${size.width}x${size.height}`);
      // Nothing is cut off sideways: the page never scrolls horizontally.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    });
  }
});

test('Step changes the paths and the step counter; every control is found by role and name', async () => {
  await withPage({}, async (page) => {
    for (const name of ['Step', 'Step 10', 'Play', 'Back', 'Reset', 'Copy link', 'Export PNG', 'Export CSV', 'Export JSON']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
    }
    const before = await canvasSnapshot(page, '#path-layer');
    const a = await readApp(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    assert.equal(await counter(page), 'Step 1');
    assert.notEqual(await canvasSnapshot(page, '#path-layer'), before);
    const b = await readApp(page);
    assert.equal(b.state.steps, 1);
    for (let i = 0; i < b.params.length; i++) {
      assert.equal(b.params[i].length, a.params[i].length + 2, 'one more point per run');
      assert.deepEqual(b.params[i].slice(0, 2), a.params[i].slice(0, 2), 'same start');
    }
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    assert.equal(await counter(page), 'Step 11');
  });
});

test('Back restores exactly the previous state: internals, histories and pixels', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const at20 = await readApp(page);
    const pixels20 = await canvasSnapshot(page, '#path-layer');
    const chart20 = await canvasSnapshot(page, '#loss-chart');
    const table20 = await page.locator('#internals-table').textContent();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    const at21 = await readApp(page);
    assert.notDeepEqual(at21.internals, at20.internals);
    await page.getByRole('button', { name: 'Back' }).click();
    await settle(page);
    assert.equal(await counter(page), 'Step 20');
    const back = await readApp(page);
    assert.deepEqual(back.internals, at20.internals);
    assert.deepEqual(back.params, at20.params);
    assert.deepEqual(back.losses, at20.losses);
    assert.equal(await canvasSnapshot(page, '#path-layer'), pixels20);
    assert.equal(await canvasSnapshot(page, '#loss-chart'), chart20);
    assert.equal(await page.locator('#internals-table').textContent(), table20);
  });
});

test('Reset returns every run to its start', async () => {
  await withPage({}, async (page) => {
    const start = await readApp(page);
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await settle(page);
    assert.equal(await counter(page), 'Step 0');
    assert.deepEqual((await readApp(page)).params, start.params);
  });
});

test('keyboard: Right steps, Left goes back, Space plays and pauses, R resets', async () => {
  await withPage({}, async (page) => {
    await page.locator('body').click({ position: { x: 5, y: 5 } }); // focus the page, not a control
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await settle(page);
    assert.equal(await counter(page), 'Step 3');
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    assert.equal(await counter(page), 'Step 2');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.waitForFunction(() => window.optlab.app.getState().steps > 6);
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Play' }).waitFor();
    const paused = (await readApp(page)).state.steps;
    await page.waitForTimeout(200);
    assert.equal((await readApp(page)).state.steps, paused, 'paused means no more steps');
    await page.keyboard.press('r');
    await settle(page);
    assert.equal(await counter(page), 'Step 0');
  });
});

test('clicking the landscape moves the shared start and restarts every run there', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    const plot = page.locator('#plot');
    const box = await plot.boundingBox();
    await plot.focus(); // a click on an unfocused plot only focuses it
    await plot.click({ position: { x: box.width * 0.7, y: box.height * 0.3 } });
    await settle(page);
    assert.equal(await counter(page), 'Step 0');
    const { state, params } = await readApp(page);
    assert.notDeepEqual(state.start, [-1.5, 2]);
    // Right of centre and above it, in data units.
    const v = state.view;
    assert.ok(state.start[0] > (v.xmin + v.xmax) / 2 && state.start[1] > (v.ymin + v.ymax) / 2, JSON.stringify(state.start));
    for (const p of params) assert.deepEqual(p, state.start);
    assert.equal(await page.getByLabel('Start x').inputValue(), String(state.start[0]));
  });
});

test('dragging pans and the wheel zooms; the contour is recomputed for the new view', async () => {
  await withPage({}, async (page) => {
    const plot = page.locator('#plot');
    const box = await plot.boundingBox();
    const v0 = (await readApp(page)).state.view;
    const contour0 = await canvasSnapshot(page, '#contour-layer');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 60, cy + 30, { steps: 6 });
    await page.mouse.up();
    await settle(page);
    const v1 = (await readApp(page)).state.view;
    assert.ok(v1.xmin < v0.xmin && v1.ymax > v0.ymax, 'dragging right and down shows more of the left and top');
    assert.deepEqual((await readApp(page)).state.start, [-1.5, 2], 'a drag is not a click');
    assert.notEqual(await canvasSnapshot(page, '#contour-layer'), contour0);
    await page.mouse.move(cx, cy);
    await page.mouse.wheel(0, -400);
    await settle(page);
    const v2 = (await readApp(page)).state.view;
    assert.ok(v2.xmax - v2.xmin < v1.xmax - v1.xmin, 'wheel up zooms in');
  });
});

test('a bad formula shows its error at its column and keeps the old landscape and runs', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const before = await readApp(page);
    const contour = await canvasSnapshot(page, '#contour-layer');
    await page.getByRole('tab', { name: 'Problem' }).click();
    const box = page.getByLabel('Formula f(x, y)');
    await box.fill('x^2 + (y*3');
    await page.getByRole('button', { name: 'Apply formula' }).click();
    const error = page.locator('.formula-error');
    await error.getByText('Formula error').waitFor();
    const text = await error.textContent();
    const r = await page.evaluate(() => window.optlab.engine.checkFormula('x^2 + (y*3'));
    assert.equal(r.ok, false);
    assert.ok(text.includes(r.message), text);
    // The caret line puts "^" under the reported column.
    const caret = (await error.locator('pre').textContent()).split('\n')[1];
    assert.equal(caret.indexOf('^'), r.column - 1);
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    await settle(page);
    const after = await readApp(page);
    assert.deepEqual(after.state.problem, before.state.problem);
    assert.deepEqual(after.params, before.params);
    assert.equal(await canvasSnapshot(page, '#contour-layer'), contour);
    // A good formula then replaces the landscape.
    await box.fill('x^2 + 3*y^2');
    await box.press('Enter');
    await settle(page);
    assert.deepEqual((await readApp(page)).state.problem, { expr: 'x^2 + 3*y^2' });
    assert.notEqual(await canvasSnapshot(page, '#contour-layer'), contour);
    await screenshot(page, 'formula-1280x720');
  });
});

test('a share link reopens exactly the same experiment', async () => {
  await withPage({}, async (page) => {
    // Change things a link must carry: a hyperparameter, a label, the steps and the view.
    await page.getByLabel('lr of SGD', { exact: true }).fill('0.0015');
    await page.getByLabel('lr of SGD', { exact: true }).press('Enter');
    await page.getByLabel('Name of run 2').fill('Heavy ball');
    await page.getByLabel('Name of run 2').press('Tab');
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await settle(page);
    const hash = await currentHash(page);
    const a = await readApp(page);
    // Copy link puts exactly the address bar's link on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('button', { name: 'Link copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), env.server.url + hash);
    assert.equal(a.state.optimizers[0].lr, 0.0015);
    const pixels = await canvasSnapshot(page, '#path-layer');
    const other = await openPage(env.browser, null);
    try {
      await gotoReady(other, env.server.url + hash);
      const b = await readApp(other);
      for (const k of ['problem', 'start', 'steps', 'seed', 'optimizers', 'view']) assert.deepEqual(b.state[k], a.state[k], k);
      assert.deepEqual(b.internals, a.internals);
      assert.deepEqual(b.params, a.params);
      assert.equal(await other.locator('#step-counter').textContent(), 'Step 20');
      assert.equal(await canvasSnapshot(other, '#path-layer'), pixels);
      assert.equal(await other.locator('#notice').isVisible(), false);
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context().close();
    }
  });
});

test('a tampered or malformed link opens the default lesson with a visible notice', async () => {
  const good = encodeSpec({ problem: { name: 'quadratic' }, steps: 3, optimizers: [{ name: 'sgd', lr: 0.1 }] });
  const cases = [
    ['#exp=eyJwcm9ibGVtIjp7Im5hbWUiOiJyb3Nl', /not readable/], // cut short
    ['#exp=%%%', /not readable/],
    ['#something-else', /does not start with/],
    [encodeSpec({ problem: { name: 'rosenbrok' }, steps: 0, optimizers: [{ name: 'sgd' }] }), /unknown landscape/],
    [encodeSpec({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd', lr: -1 }] }), /lr/],
    [encodeSpec({ problem: { name: 'quadratic' }, steps: -4, optimizers: [{ name: 'sgd' }] }), /steps/],
    [encodeSpec({ problem: { name: 'quadratic' }, steps: 0, optimizers: [] }), /optimizers/],
  ];
  const page = await openPage(env.browser, null);
  try {
    for (const [hash, why] of cases) {
      await gotoReady(page, env.server.url + hash);
      const notice = page.locator('#notice');
      assert.ok(await notice.isVisible(), hash);
      assert.match(await notice.textContent(), why);
      const { state } = await readApp(page);
      assert.equal(state.problem.name, 'rosenbrock', 'the default lesson');
      assert.equal(await page.locator('#step-counter').textContent(), 'Step 0');
    }
    await screenshot(page, 'tampered-link-1280x720');
    // The untampered link opens without a notice.
    await gotoReady(page, env.server.url + good);
    assert.equal(await page.locator('#notice').isVisible(), false);
    assert.equal((await readApp(page)).state.steps, 3);
    // Errors found while parsing a bad link are shown, not logged.
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('exports download the plot, the runs and the experiment with the right content; import reads it back', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    const app = await readApp(page);

    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = fs.readFileSync(await (await csvDownload).path(), 'utf8').trim().split('\n');
    assert.equal(csv[0], ['step', ...app.state.optimizers.flatMap((o) => [`${o.label} x`, `${o.label} y`, `${o.label} loss`])].join(','));
    assert.equal(csv.length, 1 + app.state.steps + 1);
    for (const k of [0, 5, app.state.steps]) {
      const row = csv[1 + k].split(',').map(Number);
      assert.equal(row[0], k);
      app.state.optimizers.forEach((_, i) => {
        assert.equal(row[1 + 3 * i], app.params[i][2 * k]);
        assert.equal(row[2 + 3 * i], app.params[i][2 * k + 1]);
        assert.equal(row[3 + 3 * i], app.losses[i][k]);
      });
    }

    const jsonDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const jsonPath = await (await jsonDownload).path();
    const spec = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
    assert.deepEqual(Object.keys(spec).sort(), ['optimizers', 'problem', 'seed', 'start', 'steps', 'view']);
    assert.equal(spec.steps, 11);
    assert.deepEqual(spec.optimizers, app.state.optimizers);
    // The core reads the exported file as an experiment and gives the page's numbers.
    const result = await page.evaluate((s) => window.optlab.engine.runExperiment(s), spec);
    result.runs.forEach((run, i) => assert.deepEqual(run.loss, app.losses[i]));

    const pngDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG' }).click();
    const png = fs.readFileSync(await (await pngDownload).path());
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const width = png.readUInt32BE(16);
    // Drawn again at least twice the size on screen (for a slide).
    const cssWidth = await page.$eval('#contour-layer', (c) => c.getBoundingClientRect().width);
    assert.ok(width >= 2 * Math.round(cssWidth), `${width} px for a ${cssWidth} px plot`);

    // Import: reset to something else, then load the exported file.
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: /Nesterov vs Momentum/ }).click();
    await settle(page);
    assert.equal((await readApp(page)).state.problem.name, 'quadratic');
    await page.locator('#import-json').setInputFiles(jsonPath);
    await page.waitForFunction(() => window.optlab.app.getState().problem.name === 'rosenbrock');
    await settle(page);
    const back = await readApp(page);
    assert.deepEqual(back.internals, app.internals);
    assert.equal(await counter(page), 'Step 11');
  });
});

test('every lesson loads with one click, shows its note and runs', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('tab', { name: 'Lessons' }).click();
    const lessons = await page.evaluate(() => window.optlab.app.lessons.map((l) => l.title));
    assert.ok(lessons.length >= 7);
    for (const title of lessons) {
      await page.getByRole('button', { name: new RegExp(title.replace(/[()']/g, '.')) }).click();
      await settle(page);
      assert.equal(await page.locator('#lesson-note strong').textContent(), `${title}.`);
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      assert.equal(await counter(page), 'Step 10');
    }
    // The divergence lesson: one run stops and says where.
    await page.getByRole('button', { name: /A learning rate too large/ }).click();
    await page.evaluate(() => window.optlab.app.setState({ steps: 200 }));
    await settle(page);
    const status = await page.evaluate(() => JSON.stringify(window.optlab.app.session().runStatus(1)));
    const { diverged_at: at } = JSON.parse(status);
    assert.ok(Number.isInteger(at));
    await page.getByText(`diverged at step ${at}`).waitFor();
    // The stable run reports the first step within the tolerance of the minimum (0 here).
    const { losses, state } = await readApp(page);
    const reached = losses[0].findIndex((l) => Math.abs(l) <= state.tolerance);
    assert.ok(reached > 0);
    assert.equal(await page.locator('#legend-body tr').first().locator('td').last().textContent(), `step\u00a0${reached}`);
    await screenshot(page, 'lesson-diverged-1280x720');
  });
});

test('runs: add up to 8 from presets, rename, recolour, remove; a hyperparameter restarts only its run', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    const a = await readApp(page);
    // Change Adam's lr: Adam's history changes, the others stay as they were.
    const lr = page.getByLabel('lr of Adam', { exact: true });
    await page.locator('.run-card').nth(3).locator('summary', { hasText: 'settings' }).click();
    await lr.fill('0.02');
    await lr.press('Enter');
    await settle(page);
    const b = await readApp(page);
    assert.equal(b.state.steps, 10);
    assert.deepEqual(b.params.slice(0, 3), a.params.slice(0, 3));
    assert.notDeepEqual(b.params[3], a.params[3]);
    // torch's own rejection shows next to the box and changes nothing.
    await lr.fill('-1');
    await lr.press('Enter');
    await page.getByText('Invalid learning rate').waitFor();
    assert.equal((await readApp(page)).state.optimizers[3].lr, 0.02);

    const add = page.getByRole('button', { name: 'Add run' });
    const presets = page.getByLabel('Optimizer to add');
    for (const preset of ['Nesterov', 'AdaGrad', 'AMSGrad', 'RAdam']) {
      await presets.selectOption({ label: preset });
      await add.click();
    }
    await settle(page);
    const c = await readApp(page);
    assert.equal(c.state.optimizers.length, 8);
    assert.equal(c.state.steps, 10, 'new runs catch up to the current step');
    assert.deepEqual(c.params.map((p) => p.length), c.state.optimizers.map(() => 22));
    assert.ok(await add.isDisabled(), 'at most 8 runs');
    assert.equal(new Set(c.state.optimizers.map((o) => o.color)).size, 8, 'eight different colours');
    await screenshot(page, 'eight-runs-1280x720');

    await page.getByRole('button', { name: 'Remove Nesterov' }).click();
    await settle(page);
    assert.equal((await readApp(page)).state.optimizers.length, 7);
    await page.getByLabel('Colour of SGD').fill('#123456');
    await settle(page);
    assert.equal((await readApp(page)).state.optimizers[0].color, '#123456');
  });
});

test('the inspector typesets the update with the numbers of the last step', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await page.getByRole('button', { name: 'Inspect Adam' }).click();
    await settle(page);
    const { internals } = await readApp(page);
    const adam = JSON.parse(internals[3]);
    assert.equal(adam.name, 'adam');
    const table = await page.locator('#internals-table').textContent();
    for (const s of adam.state) assert.ok(table.includes(s.name), s.name);
    const full = await page.locator('#internals-table .num').evaluateAll((els) => els.map((e) => e.title));
    assert.ok(full.includes(String(adam.grad[0]).replace('-', '−')), 'every digit of the gradient, on hover');
    assert.ok(await page.locator('#equation .katex').count() >= 3);
    const tex = await page.locator('#equation annotation').allTextContents();
    assert.ok(tex.some((t) => t.includes('\\beta_1')), 'the first-moment rule');
  });
});

test('gradient noise is seeded: the same seed replays the same paths, another seed differs', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('tab', { name: 'Problem' }).click();
    const noise = page.getByLabel('Gradient noise', { exact: true });
    await noise.fill('3');
    await noise.press('Enter');
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const a = await readApp(page);
    assert.equal(a.state.problem.noise, 3);
    const seed = page.getByLabel('Seed (noise replays the same)');
    await seed.fill('7');
    await seed.press('Enter');
    await settle(page);
    const b = await readApp(page);
    assert.equal(b.state.seed, 7);
    assert.equal(b.state.steps, 10);
    assert.notDeepEqual(b.params, a.params);
    await seed.fill('0');
    await seed.press('Enter');
    await settle(page);
    assert.deepEqual((await readApp(page)).params, a.params);
  });
});

test('hovering the loss chart reads every run\'s loss at that step', async () => {
  await withPage({}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    const chart = page.locator('#loss-chart');
    const box = await chart.boundingBox();
    await chart.hover({ position: { x: box.width - 13, y: box.height / 2 } }); // the right end: step 10
    const readout = await page.locator('#loss-readout').textContent();
    const { state, losses } = await readApp(page);
    assert.match(readout, /^Step 10:/);
    state.optimizers.forEach((o, i) => {
      const shown = readout.split(' · ')[i];
      assert.ok(shown.includes(o.label), shown);
      assert.ok(Number.isFinite(losses[i][10]));
    });
  });
});

test('every control has an accessible name and keyboard focus is visible', async () => {
  await withPage({}, async (page) => {
    for (const tab of ['Runs', 'Problem', 'Lessons']) {
      await page.getByRole('tab', { name: tab }).click();
      const tree = await page.locator('body').ariaSnapshot();
      const unnamed = tree.split('\n').filter((l) => /- (button|textbox|slider|spinbutton|combobox|checkbox|tab)\s*(\[[^\]]*\])?\s*(:.*)?$/.test(l.trim()) && !/"/.test(l));
      assert.deepEqual(unnamed, [], `controls without a name on the ${tab} tab`);
    }
    // Tab from the top reaches the playback buttons, and the focused one shows an outline.
    await page.keyboard.press('Tab');
    let found = false;
    for (let k = 0; k < 40 && !found; k++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.id === 'step');
    }
    assert.ok(found, 'the Step button is reachable with Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.equal(await counter(page), 'Step 1');
  });
});
