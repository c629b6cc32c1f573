// The curvature overlay (issue 16, item 5): the Hessian's axes at the selected run's point and the
// inspector's eigenvalues, condition number and SGD's lr limits, all from the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const env = useServerAndBrowser();

test('Curvature on the quadratic: κ = 10, SGD stable below 0.2, "Set lr" sets 2/(λ₁ + λ₂)', async () => {
  const spec = { problem: { name: 'quadratic' }, start: [-2.5, 1.5], steps: 3, seed: 0, optimizers: [{ name: 'sgd', lr: 0.1, label: 'SGD', color: '#0072b2' }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    const info = page.locator('#curvature-info');
    assert.equal(await info.isVisible(), false);
    await page.locator('#curvature-toggle').click();
    await settle(page);
    assert.equal(await page.locator('#curvature-toggle').getAttribute('aria-pressed'), 'true');
    const text = await info.textContent();
    assert.match(text, /λ₁ = 1, λ₂ = 10, κ = λ₂\/λ₁ = 10/);
    assert.match(text, /stable while lr < 2\/λ₂ = 0\.2/);
    const axes = await page.evaluate(() => window.optlab.curvatureAxes.axes);
    // 1/sqrt(λ): the flat axis (λ = 1) is sqrt(10) times the steep one, both solid.
    const len = axes.map((a) => Math.hypot(a.dx, a.dy));
    assert.ok(Math.abs(len[0] / len[1] - Math.sqrt(10)) < 1e-9, `axis ratio ${len[0] / len[1]}`);
    assert.deepEqual(axes.map((a) => a.dashed), [false, false]);
    await page.getByRole('button', { name: 'Set lr = 2/(λ₁ + λ₂)' }).click();
    await settle(page);
    assert.equal(await page.evaluate(() => window.optlab.app.getState().optimizers[0].lr), 2 / 11);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
