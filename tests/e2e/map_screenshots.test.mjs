// Regenerates the README's pictures of maps and curvature (docs/screenshots/map_lr_beta1.png,
// basin_himmelblau.png, curvature.png, phase.png) from the running page, at projector size, and
// checks each computed without a console warning or error and without scrolling the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';
import { setMap, computeMap } from './map_helpers.mjs';

const DOCS = path.join(ROOT, 'docs/screenshots');
const env = useServerAndBrowser();

async function shoot(spec, name, act) {
  fs.mkdirSync(DOCS, { recursive: true });
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`, { colorScheme: 'light' });
  try {
    await act(page);
    await page.evaluate(() => document.fonts.ready);
    await settle(page);
    // On a projector the Map view fits beside the landscape: the page does not scroll.
    assert.equal(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight), true, `${name}: the page scrolls`);
    await page.screenshot({ path: path.join(DOCS, name) });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
}

test('map_lr_beta1.png: the final loss over lr × β₁ for Adam on Rosenbrock', async () => {
  const spec = {
    problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0,
    optimizers: [{ name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' }],
  };
  await shoot(spec, 'map_lr_beta1.png', async (page) => {
    await setMap(page, {
      kind: 'hyper', run: 0, steps: 500, measure: 'final_loss',
      x: { param: 'lr', from: 0.001, to: 1, n: 64, scale: 'log' }, y: { param: 'betas.0', from: 0, to: 0.99, n: 64, scale: 'linear' },
    });
    const map = await computeMap(page);
    assert.equal(map.result.value.length, 64 * 64);
    assert.ok(new Set(map.result.value).size > 100, 'the cells differ');
    await page.evaluate(() => window.optlab.app.setState({ steps: 120 }));
  });
});

test('basin_himmelblau.png: which minimum each start reaches, SGD coloured, Adam\'s boundaries on top', async () => {
  const spec = {
    problem: { name: 'himmelblau' }, start: [0, 0], steps: 0, seed: 0,
    optimizers: [{ name: 'sgd', lr: 0.01, label: 'SGD', color: '#0072b2' }, { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' }],
  };
  await shoot(spec, 'basin_himmelblau.png', async (page) => {
    await setMap(page, { kind: 'start', run: 0, measure: 'basin', steps: 300, x: { n: 96 }, y: { n: 96 }, overlay: 1 });
    await computeMap(page, { maps: 2 });
    await page.evaluate(() => window.optlab.app.setState({ steps: 60 }));
  });
});

test('curvature.png: the local quadratic\'s axes on Rosenbrock and the inspector\'s λ₁, λ₂, κ', async () => {
  const spec = {
    problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0,
    optimizers: [{ name: 'sgd', lr: 0.001, label: 'SGD', color: '#0072b2' }, { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' }],
  };
  await shoot(spec, 'curvature.png', async (page) => {
    // A few steps in, SGD is still below the valley's floor, where the surface curves up both ways.
    await page.evaluate(() => window.optlab.app.setState({ steps: 6 }));
    await page.locator('#curvature-toggle').click();
    await settle(page);
    assert.match(await page.locator('#curvature-info').textContent(), /λ₁ = .*λ₂ = .*κ = /);
  });
});

test('phase.png: momentum\'s phase diagram for the run\'s lr·λ₁ and lr·λ₂', async () => {
  const spec = {
    problem: { name: 'quadratic' }, start: [-2.5, 1.5], steps: 0, seed: 0,
    optimizers: [{ name: 'sgd', lr: 0.12, momentum: 0.6, label: 'Momentum', color: '#e69f00' }],
  };
  await shoot(spec, 'phase.png', async (page) => {
    await page.evaluate(() => window.optlab.app.setState({ steps: 8 }));
    await page.locator('#curvature-toggle').click();
    await settle(page);
    assert.equal(await page.locator('#phase-info').isVisible(), true);
    // The inspector scrolls to it (the page itself does not scroll).
    await page.evaluate(() => document.getElementById('phase-info').scrollIntoView({ block: 'end' }));
  });
});
