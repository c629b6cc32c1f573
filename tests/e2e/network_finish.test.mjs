// End-to-end tests of "Network mode, finished" (issue 12, items 13-19): exports, the inspector's run
// select, the charts' axes and legend, the weight-space axes and weight picker, the backprop graph's
// fit and chain rule, the XOR lesson's claim and the epoch counter. Every number is read from the
// wasm session, never written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, settle, screenshot, encodeSpec, withCleanPage,
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
    { name: 'sgd', lr: 0.1, label: 'SGD', color: '#0072b2' },
    { name: 'sgd', lr: 0.1, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'adam', lr: 0.02, label: 'Adam', color: '#cc79a7' },
  ],
};
const FULL_BATCH = { ...SPIRAL, problem: { ...SPIRAL.problem, batch_size: null } };

const withPage = (url, options, fn) => withCleanPage(env, url, options, async (page) => {
  await fn(page);
  await settle(page);
  // A frame that throws is shown as a notice, not on the console.
  assert.doesNotMatch(await page.locator('#notice-text').textContent(), /Drawing failed/);
});
const withNetwork = (spec, options, fn) => withPage(env.server.url + encodeSpec(spec), options, fn);

async function frames(page, n = 20) {
  for (let k = 0; k < n; k++) await settle(page);
}

test('14: the inspector\'s run select lists the network runs and picks the run it names', async () => {
  // The default landscape has four runs, the network lesson three: the select must follow the mode.
  await withPage(env.server.url, {}, async (page) => {
    const labels = () => page.$$eval('#inspect-run option', (os) => os.map((o) => o.textContent));
    const landscape = await page.evaluate(() => window.optlab.app.getState().optimizers.map((o) => o.label));
    assert.deepEqual(await labels(), landscape);
    await page.getByRole('button', { name: 'Neural network' }).click();
    await frames(page, 4);
    const net = await page.evaluate(() => window.optlab.app.getState().optimizers.map((o) => o.label || o.name));
    assert.notDeepEqual(net, landscape);
    assert.deepEqual(await labels(), net);
    const last = net.length - 1;
    await page.selectOption('#inspect-run', String(last));
    await frames(page, 2);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().selected), last);
    const cards = await page.$$eval('.boundary', (fs) => fs.map((f) => f.classList.contains('selected')));
    assert.deepEqual(cards, net.map((_, i) => i === last));
    assert.equal(await page.$eval('.boundary.selected figcaption strong', (e) => e.textContent), net[last]);
    // And back: the landscape's runs again.
    await page.getByRole('button', { name: 'Landscape' }).click();
    await frames(page, 4);
    assert.deepEqual(await labels(), await page.evaluate(() => window.optlab.app.getState().optimizers.map((o) => o.label)));
  });
});

test('19: an epoch counter beside the step counter when mini-batches are used, from the core\'s batches per epoch', async () => {
  await withNetwork(SPIRAL, {}, async (page) => {
    const counter = page.locator('#epoch-counter');
    for (const click of ['Step', 'Step 10', 'Step 10']) {
      await page.getByRole('button', { name: click, exact: true }).click();
      await settle(page);
      const core = await page.evaluate(() => {
        const s = window.optlab.app.session();
        const d = s.dataset();
        return { steps: s.stepCount(), perEpoch: d.batches_per_epoch, batch: d.batch_size, n: d.train.x.length };
      });
      assert.ok(core.perEpoch > 1 && core.batch < core.n);
      assert.ok(await counter.isVisible());
      assert.equal(await counter.textContent(), `Epoch ${Number((core.steps / core.perEpoch).toFixed(2))}`);
      // Beside the step counter (at most a few pixels from its box), inside the toolbar.
      const [a, b, bar] = await Promise.all(['#step-counter', '#epoch-counter', '.toolbar'].map((s) => page.locator(s).boundingBox()));
      const gapX = Math.max(0, b.x - (a.x + a.width), a.x - (b.x + b.width));
      const gapY = Math.max(0, b.y - (a.y + a.height), a.y - (b.y + b.height));
      assert.ok(gapX < 12 && gapY < 6, JSON.stringify([a, b]));
      assert.ok(b.y + b.height <= bar.y + bar.height && b.x + b.width <= bar.x + bar.width, 'inside the toolbar');
    }
  });
  // Full batch: every step is an epoch, no counter; the landscape has none either.
  await withNetwork(FULL_BATCH, {}, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    assert.equal(await page.locator('#epoch-counter').isVisible(), false);
    await page.getByRole('button', { name: 'Landscape' }).click();
    await settle(page);
    assert.equal(await page.locator('#epoch-counter').isVisible(), false);
  });
});

test('15: accuracy from 0 to 100 %, log loss ticks within a decade, a legend, no mini-batch line for full batch', async () => {
  for (const spec of [SPIRAL, FULL_BATCH]) {
    await withNetwork(spec, {}, async (page) => {
      await page.getByRole('button', { name: 'Step 10' }).click();
      await settle(page);
      const core = await page.evaluate(() => {
        const s = window.optlab.app.session();
        const runs = window.optlab.app.getState().optimizers.map((_, i) => i);
        const names = s.metricNames();
        const all = [];
        for (const i of runs) {
          all.push(...s.losses(i));
          for (const m of ['batch_loss', 'test_loss']) if (names.includes(m) && (m !== 'batch_loss' || s.dataset().batch_size)) all.push(...s.metric(i, m));
        }
        const acc = runs.flatMap((i) => Array.from(s.metric(i, 'accuracy')));
        return { runs: runs.length, names, batch: s.dataset().batch_size, lo: Math.min(...all), hi: Math.max(...all), acc };
      });
      const chart = await page.$eval('#loss-chart', (c) => ({ ...c.dataset }));
      const acc = await page.$eval('#acc-chart', (c) => ({ ...c.dataset }));
      // The accuracy axis spans 0 to 100 % whatever the runs reached (here about half).
      const accTicks = acc.yticks.split('|');
      assert.equal(accTicks[0], '0%');
      assert.equal(accTicks[accTicks.length - 1], '100%');
      assert.ok(accTicks.every((t) => /^\d+%$/.test(t)), acc.yticks);
      assert.ok(Math.min(...core.acc) > 0.05 && Math.max(...core.acc) < 0.95, 'the runs are far from the axis ends');
      // The loss stays within a decade over these 10 steps, and the log axis still has numbers.
      assert.ok(core.hi / core.lo < 10, `${core.lo}..${core.hi}`);
      const lossTicks = chart.yticks.split('|').filter(Boolean);
      assert.ok(lossTicks.length >= 2, chart.yticks);
      // A legend naming the lines drawn; the mini-batch line only when there are mini-batches.
      const hasTest = core.names.includes('test_loss');
      const want = ['train', ...(hasTest ? ['test'] : []), ...(core.batch ? ['mini-batch'] : [])];
      assert.deepEqual(chart.legend.split('|'), want);
      assert.equal(Number(chart.lines), core.runs * want.length);
      // The title is only the axis's name now.
      await screenshot(page, `net-charts-${core.batch ? 'batched' : 'full'}`);
    });
  }
});

// Clicks an export button and returns the downloaded file's bytes (and its name in .fileName).
async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const chunks = [];
  for await (const c of await file.createReadStream()) chunks.push(c);
  return Object.assign(Buffer.concat(chunks), { fileName: file.suggestedFilename() });
}

test('13: Export PNG works in network mode at twice the on-screen size; Export CSV holds every run\'s series per kept step', async () => {
  await withNetwork(SPIRAL, { width: 1280, height: 720 }, async (page) => {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await frames(page);
    const png = await download(page, 'Export PNG');
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.fileName, 'optlab-network.png');
    const size = { w: png.readUInt32BE(16), h: png.readUInt32BE(20) };
    const shown = await page.$eval('#boundaries', (e) => e.getBoundingClientRect().width);
    assert.ok(size.w >= 2 * shown, `${size.w} px wide for ${shown} css px on screen`);
    // The picture shows the boundaries: drawn in the page, its colours vary (not a blank sheet).
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let k = 0; k < d.length; k += 4 * 97) seen.add((d[k] >> 4) * 256 + (d[k + 1] >> 4) * 16 + (d[k + 2] >> 4));
      return seen.size;
    }, png.toString('base64'));
    assert.ok(colours > 50, `${colours} colours`);

    const csv = (await download(page, 'Export CSV')).toString('utf8').trim().split('\n').map((l) => l.split(','));
    const core = await page.evaluate(() => {
      const s = window.optlab.app.session();
      const st = window.optlab.app.getState();
      return st.optimizers.map((o, i) => ({
        label: o.label, steps: Array.from(s.steps(i)), loss: Array.from(s.losses(i)),
        batch_loss: Array.from(s.metric(i, 'batch_loss')), test_loss: Array.from(s.metric(i, 'test_loss')),
        accuracy: Array.from(s.metric(i, 'accuracy')),
      }));
    });
    const head = csv[0];
    assert.equal(head[0], 'step');
    const steps = [...new Set(core.flatMap((r) => r.steps))].sort((a, b) => a - b);
    assert.deepEqual(csv.slice(1).map((r) => Number(r[0])), steps);
    for (const r of core) {
      for (const m of ['loss', 'batch_loss', 'test_loss', 'accuracy']) {
        const col = head.indexOf(`${r.label} ${m}`);
        assert.ok(col > 0, `column ${r.label} ${m}`);
        r.steps.forEach((step, k) => {
          const row = csv[1 + steps.indexOf(step)];
          assert.equal(row[col], String(r[m][k]), `${r.label} ${m} at step ${step}`);
        });
      }
    }
  });
});

test('16: weight-space axes are named d1, d2 or the picked weights, inside the canvas; two weights are picked by layer and position', async () => {
  for (const size of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    await withNetwork(SPIRAL, size, async (page) => {
      await page.getByRole('button', { name: 'Step 10' }).click();
      await frames(page);
      const plotBox = async () => page.$eval('#plane-plot', (e) => ({
        axes: e.dataset.axes, boxes: JSON.parse(e.dataset.axisBoxes), w: e.clientWidth, h: e.clientHeight,
      }));
      const inside = (p) => p.boxes.forEach(([x, y, w, h]) => {
        assert.ok(x >= 0 && y >= 0 && x + w <= p.w && y + h <= p.h && w > 0, `name box ${[x, y, w, h]} in ${p.w}×${p.h}`);
      });
      let p = await plotBox();
      assert.equal(p.axes, 'd₁|d₂');
      inside(p);

      // Pick W2[rows-1, cols-1] and b1[0] with the menus; the state holds the core's flat indices.
      const layers = await page.evaluate(() => window.optlab.app.session().layers(window.optlab.app.getState().selected));
      const l2 = layers.find((l) => l.layer === 2);
      const l1 = layers.find((l) => l.layer === 1);
      await page.getByRole('combobox', { name: 'Plane' }).selectOption('weights');
      await frames(page, 2);
      await page.getByRole('combobox', { name: 'Layer of the first weight' }).selectOption('W2');
      await page.getByRole('spinbutton', { name: 'Row of the first weight' }).fill(String(l2.rows - 1));
      await page.getByRole('spinbutton', { name: 'Column of the first weight' }).fill(String(l2.cols - 1));
      await page.getByRole('spinbutton', { name: 'Column of the first weight' }).press('Enter');
      await page.getByRole('combobox', { name: 'Layer of the second weight' }).selectOption('b1');
      await page.getByRole('spinbutton', { name: 'Row of the second weight' }).fill('0');
      await page.getByRole('spinbutton', { name: 'Row of the second weight' }).press('Enter');
      await page.locator('body').click({ position: { x: 2, y: 2 } });
      await frames(page);
      const plane = await page.evaluate(() => window.optlab.app.getState().plane);
      assert.equal(plane.kind, 'weights');
      assert.equal(plane.a, l2.weight_offset + (l2.rows - 1) * l2.cols + (l2.cols - 1));
      assert.equal(plane.b, l1.bias_offset);
      assert.equal(await page.getByRole('spinbutton', { name: 'Column of the second weight' }).isVisible(), false, 'a bias has no column');
      p = await plotBox();
      assert.equal(p.axes, `W2[${l2.rows - 1},${l2.cols - 1}]|b1[0]`);
      inside(p);
      // A row past the layer's units is explained, and the plane stays.
      await page.getByRole('spinbutton', { name: 'Row of the first weight' }).fill(String(l2.rows));
      await page.getByRole('spinbutton', { name: 'Row of the first weight' }).press('Enter');
      await settle(page);
      assert.match(await page.locator('#plane-controls .run-error').textContent(), new RegExp(`W2 row: expected a whole number from 0 to ${l2.rows - 1}`));
      assert.deepEqual(await page.evaluate(() => window.optlab.app.getState().plane), plane);
      await screenshot(page, `net-plane-${size.width}x${size.height}`);
    });
  }
});

test('17: the backprop graph fits its box at full size; the chain rule under the pointer names its factors', async () => {
  for (const { projector, ...size } of [{ width: 1280, height: 720 }, { width: 1280, height: 720, projector: true }, { width: 390, height: 844 }]) {
    await withNetwork(SPIRAL, size, async (page) => {
      if (projector) await page.getByRole('button', { name: 'Projector' }).click();
      await page.getByRole('button', { name: 'Step 10' }).click();
      await frames(page, 4);
      const trace = await page.evaluate(() => window.optlab.app.session().trace(window.optlab.app.getState().selected, [0]));
      // Every node forward, then every gradient backward, one click each.
      for (let k = 0; k < 2 * trace.nodes.length; k++) await page.getByRole('button', { name: 'Next node' }).click();
      await settle(page);
      const fit = await page.$eval('#backprop-canvas', (c) => ({
        boxes: JSON.parse(c.dataset.boxes), css: c.getBoundingClientRect().width, backing: c.width, dpr: devicePixelRatio,
        room: c.parentElement.clientWidth, scroll: c.parentElement.scrollWidth,
      }));
      assert.ok(fit.css <= fit.room && fit.scroll <= fit.room, `canvas ${fit.css} px, box ${fit.room} px, scrolls to ${fit.scroll}`);
      assert.equal(fit.backing, Math.round(fit.css * fit.dpr), 'drawn at its own size, not scaled down by CSS');
      assert.equal(fit.boxes.length, trace.nodes.length);
      // Boxes never below their base width (84 px: two numbers a line), larger with projector type.
      for (const [, x, , w] of fit.boxes) assert.ok(x >= 0 && x + w <= fit.css && w >= (projector ? 113 : 84), `node box ${x}+${w} in ${fit.css}`);

      // Point at a node: its chain rule, in the tape's names.
      const point = async (index) => {
        const [, x, y, w, h] = fit.boxes.find((b) => b[0] === index);
        await page.$eval('#backprop-canvas', (c, [px, py]) => {
          const r = c.getBoundingClientRect();
          c.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + px, clientY: r.top + py, bubbles: true }));
        }, [x + w / 2, y + h / 2]);
        await settle(page);
        return page.$eval('#chain-rule', (e) => ({
          name: e.querySelector('strong')?.textContent, product: e.querySelector('.chain-product')?.textContent ?? '', text: e.textContent,
        }));
      };
      const loss = trace.nodes[trace.nodes.length - 1];
      assert.equal((await point(loss.index)).name, loss.name);
      const w1 = trace.nodes.find((n) => n.param?.layer === 1 && n.param.kind === 'weight');
      const user = trace.nodes.find((n) => n.parents.includes(w1.index));
      const other = trace.nodes[user.parents.find((p) => p !== w1.index)];
      const chain = await point(w1.index);
      assert.equal(chain.name, w1.name);
      assert.ok(chain.product.startsWith(`∂L/∂${w1.name} = `), chain.product);
      assert.ok(chain.product.includes(`${other.name}ᵀ`) && chain.product.includes(`∂L/∂(${user.name})`), chain.product);
      assert.doesNotMatch(chain.text, /the other factor/);
      await screenshot(page, `net-backprop-${size.width}x${size.height}${projector ? '-projector' : ''}`);
    });
  }
});

test('18: the XOR lesson\'s claim holds on its data: the accuracy it states after the steps it states', async () => {
  await withPage(env.server.url, {}, async (page) => {
    const lesson = await page.evaluate(() => window.optlab.app.lessons.find((l) => l.id === 'network-backprop'));
    const m = /after (\d+) steps Adam classifies (\d+) % of the training points/.exec(lesson.text);
    assert.ok(m, lesson.text);
    const [steps, percent] = [Number(m[1]), Number(m[2])];
    assert.deepEqual(lesson.spec.problem.layers, [2, 2, 1]);
    assert.equal(lesson.spec.problem.data.name, 'xor');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: new RegExp(lesson.title.replace(/[()]/g, '.')) }).click();
    await frames(page, 4);
    await page.evaluate((n) => window.optlab.app.setState({ steps: n }), steps);
    await frames(page, 4);
    const read = () => page.evaluate(() => {
      const s = window.optlab.app.session();
      const acc = s.metric(0, 'accuracy');
      return { steps: s.stepCount(), accuracy: acc[acc.length - 1], layers: s.dataset().layers };
    });
    const got = await read();
    assert.equal(got.steps, steps);
    assert.deepEqual(got.layers, [2, 2, 1]);
    assert.equal(Math.round(100 * got.accuracy), percent, `the lesson says ${percent} %, the core reaches ${100 * got.accuracy} %`);
    // Its card shows the same figure.
    assert.match(await page.locator('.boundary figcaption span').textContent(), new RegExp(`${(100 * got.accuracy).toFixed(1)}%`));
    // "Widen the hidden layer to 4 and it gets further": the same data, init seed and steps.
    await page.evaluate((n) => {
      const app = window.optlab.app;
      const p = structuredClone(app.getState().problem);
      p.layers = [2, 4, 1];
      app.setState({ problem: p, steps: n });
    }, steps);
    await frames(page, 4);
    const wide = await read();
    assert.deepEqual(wide.layers, [2, 4, 1]);
    assert.ok(wide.accuracy > got.accuracy, `${wide.accuracy} after ${wide.steps} steps`);
  });
});
