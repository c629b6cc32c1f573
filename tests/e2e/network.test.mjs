// End-to-end tests of the network mode in Chromium (issue 4): every dataset trains, Back is exact,
// the boundary heatmaps follow the training, a link reopens the same network, a bad width is
// explained next to its box, and playing 8 runs keeps every boundary updating. Numbers are checked
// against the wasm session, never against constants written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPage, settle, screenshot, canvasSnapshot, currentHash, encodeSpec, withCleanPage,
} from './harness.mjs';

const env = useServerAndBrowser();

const SPIRAL = {
  problem: {
    name: 'mlp',
    data: { name: 'spiral', n: 120, classes: 2, noise: 0.1, seed: 1, test_fraction: 0.2 },
    layers: [2, 8, 8, 1], activation: 'tanh', loss: 'bce', batch_size: 16, init: { seed: 1 },
  },
  steps: 0,
  seed: 0,
  optimizers: [
    { name: 'sgd', lr: 0.1, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'adam', lr: 0.02, label: 'Adam', color: '#cc79a7' },
  ],
};

const withNetwork = (spec, options, fn) => withCleanPage(env, env.server.url + encodeSpec(spec), options, fn);

// Everything the core says about the runs right now.
function readNet(page) {
  return page.evaluate(() => {
    const app = window.optlab.app;
    const st = app.getState();
    const s = app.session();
    return {
      state: st,
      weights: st.optimizers.map((_, i) => Array.from(s.weights(i))),
      losses: st.optimizers.map((_, i) => Array.from(s.losses(i))),
      internals: st.optimizers.map((_, i) => JSON.stringify(s.internals(i))),
      layers: st.optimizers.map((_, i) => JSON.stringify(s.layers(i))),
    };
  });
}

// Waits until the page has drawn every boundary at full resolution (they follow over a few frames).
async function boundariesDone(page) {
  for (let k = 0; k < 20; k++) await settle(page);
}

const heatPixels = (page) => page.$$eval('.boundary canvas.heat', (cs) => cs.map((c) => c.toDataURL()));

test('the mode switch opens the network lesson; screenshots at projector and phone size', async () => {
  for (const size of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    const page = await openPage(env.browser, env.server.url, size);
    try {
      await page.getByRole('button', { name: 'Neural network' }).click();
      await settle(page);
      const st = await page.evaluate(() => window.optlab.app.getState());
      assert.equal(st.mode, 'network');
      assert.equal(st.problem.name, 'mlp');
      assert.equal(await page.locator('.boundary').count(), st.optimizers.length);
      await page.getByRole('button', { name: 'Step 10' }).click();
      await boundariesDone(page);
      await page.getByRole('button', { name: 'Forward' }).click();
      await page.waitForTimeout(300);
      await screenshot(page, `network-${size.width}x${size.height}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
      // And back: the landscape lesson is as it was.
      await page.getByRole('button', { name: 'Landscape' }).click();
      await settle(page);
      assert.equal(await page.evaluate(() => window.optlab.app.getState().problem.name), 'rosenbrock');
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  }
});

test('every dataset trains a few steps with finite, changing losses', async () => {
  await withNetwork(SPIRAL, {}, async (page) => {
    const sets = [
      { name: 'spiral', classes: 3, loss: 'cross_entropy', out: 3 },
      { name: 'moons' }, { name: 'circles' }, { name: 'xor' },
      { name: 'blobs', classes: 3, loss: 'cross_entropy', out: 3 },
      { name: 'linear', loss: 'mse', regression: true }, { name: 'sine', loss: 'mse', regression: true },
    ];
    for (const d of sets) {
      await page.evaluate((d) => {
        const app = window.optlab.app;
        const p = structuredClone(app.getState().problem);
        p.data = { name: d.name, n: 80, noise: 0.1, seed: 2 };
        if (d.classes) p.data.classes = d.classes;
        p.loss = d.loss ?? 'bce';
        p.layers = [2, 8, d.out ?? 1];
        app.setState({ problem: p, steps: 0 });
      }, d);
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      const r = await readNet(page);
      assert.equal(await page.locator('#step-counter').textContent(), 'Step 10', d.name);
      for (const l of r.losses) {
        assert.equal(l.length, 11, d.name);
        assert.ok(l.every(Number.isFinite), `${d.name}: losses finite`);
        assert.notEqual(l[10], l[0], `${d.name}: training changed the loss`);
      }
    }
  });
});

test('Back restores exactly the weights, internals, layer norms and boundary pixels', async () => {
  await withNetwork(SPIRAL, {}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await boundariesDone(page);
    const a = await readNet(page);
    const pixels = await heatPixels(page);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await boundariesDone(page);
    const b = await readNet(page);
    assert.notDeepEqual(b.weights, a.weights);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await boundariesDone(page);
    const c = await readNet(page);
    assert.deepEqual(c.weights, a.weights);
    assert.deepEqual(c.losses, a.losses);
    assert.deepEqual(c.internals, a.internals);
    assert.deepEqual(c.layers, a.layers);
    assert.deepEqual(await heatPixels(page), pixels);
  });
});

test('the boundary heatmaps change as the network trains; the mini-batch is ringed', async () => {
  await withNetwork(SPIRAL, {}, async (page) => {
    await boundariesDone(page);
    const before = await heatPixels(page);
    const pointsBefore = await canvasSnapshot(page, '.boundary canvas:not(.heat)');
    await page.getByRole('button', { name: 'Step 10' }).click();
    await boundariesDone(page);
    const after = await heatPixels(page);
    after.forEach((p, i) => assert.notEqual(p, before[i], `run ${i}'s boundary did not change`));
    // The points layer changes too: another mini-batch is ringed.
    assert.notEqual(await canvasSnapshot(page, '.boundary canvas:not(.heat)'), pointsBefore);
    assert.match(await page.locator('#batch-note').textContent(), /16 points of the mini-batch step 10 used/);
  });
});

test('a share link reopens the same network at the same step', async () => {
  await withNetwork(SPIRAL, {}, async (page) => {
    await page.getByRole('tab', { name: 'Problem' }).click();
    await page.getByRole('button', { name: 'Add layer' }).click();
    await settle(page);
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    const a = await readNet(page);
    assert.deepEqual(a.state.problem.layers, [2, 8, 8, 8, 1]);
    const hash = await currentHash(page);
    const other = await openPage(env.browser, env.server.url + hash);
    try {
      const b = await readNet(other);
      assert.deepEqual(b.state.problem, a.state.problem);
      assert.equal(b.state.steps, 10);
      assert.deepEqual(b.weights, a.weights);
      assert.deepEqual(b.losses, a.losses);
      assert.deepEqual(other.problems, []);
    } finally {
      await other.context().close();
    }
  });
});

test('a bad width or batch size shows the core\'s message next to its box; the page keeps working', async () => {
  await withNetwork(SPIRAL, { width: 1280, height: 720 }, async (page) => {
    await page.getByRole('tab', { name: 'Problem' }).click();
    const width = page.getByRole('spinbutton', { name: 'Width of hidden layer 1' });
    await width.fill('0');
    await width.press('Enter');
    await width.blur();
    await settle(page);
    const msg = page.locator('#problem-network .run-error:visible');
    assert.match(await msg.first().textContent(), /layers\[1\].*0/);
    assert.equal(await width.getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'network-bad-width-1280x720');
    const batch = page.getByRole('spinbutton', { name: 'batch size' });
    await batch.fill('100000');
    await batch.press('Enter');
    await settle(page);
    assert.match(await page.locator('#problem-network .run-error:visible').allTextContents().then((t) => t.join(' ')), /batch_size/);
    // The old network is still there and still trains.
    const st = await page.evaluate(() => window.optlab.app.getState());
    assert.deepEqual(st.problem.layers, SPIRAL.problem.layers);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await settle(page);
    assert.equal(await page.locator('#step-counter').textContent(), 'Step 1');
  });
});

// Frames per second are reported here as a diagnostic; the 30 fps bar is checked by npm run bench
// (tests/bench/page_perf.test.mjs), since a timing bar in the test suite fails on a busy machine.
test('playing 8 runs updates every boundary', async (t) => {
  const names = ['sgd', 'sgd', 'adagrad', 'rmsprop', 'adam', 'adamw', 'nadam', 'radam'];
  const spec = {
    ...structuredClone(SPIRAL),
    problem: { ...structuredClone(SPIRAL.problem), data: { name: 'spiral', n: 200, classes: 2, noise: 0.1, seed: 1, test_fraction: 0.2 }, layers: [2, 16, 16, 1], batch_size: 32 },
    optimizers: names.map((name, i) => ({ name, lr: name === 'sgd' ? 0.1 : 0.01, ...(i === 1 ? { momentum: 0.9 } : {}), label: `${name} ${i}` })),
  };
  await withNetwork(spec, {}, async (page) => {
    await page.evaluate(() => window.optlab.app.setState({ speed: 30 }));
    const heat0 = await heatPixels(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(500);
    let best = null;
    for (let k = 0; k < 3 && !(best?.fps >= 45); k++) {
      const m = await page.evaluate(() => new Promise((resolve) => {
        let frames = 0;
        const t0 = performance.now();
        const steps0 = window.optlab.app.getState().steps;
        const tick = (now) => {
          frames += 1;
          if (now - t0 < 2000) requestAnimationFrame(tick);
          else resolve({ fps: frames / ((now - t0) / 1000), steps: window.optlab.app.getState().steps - steps0 });
        };
        requestAnimationFrame(tick);
      }));
      if (!best || m.fps > best.fps) best = m;
    }
    await page.getByRole('button', { name: 'Pause' }).click();
    t.diagnostic(`network, 8 runs playing: ${best.fps.toFixed(1)} frames/s, ${best.steps} steps in 2 s`);
    const heat1 = await heatPixels(page);
    heat1.forEach((p, i) => assert.notEqual(p, heat0[i], `run ${i}'s boundary was not updated while playing`));
  });
});
