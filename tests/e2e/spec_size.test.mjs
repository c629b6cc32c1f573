// An experiment too large for the core is refused before the page reads it (a share link or an
// imported file over the catalog's limits.max_spec_bytes, 1,000,000 bytes when the core does not
// say), with a notice naming the limit; the experiment on screen stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const env = useServerAndBrowser();
const LIMIT_TEXT = /the most the page opens is 1,000,000 bytes/;

// A well-formed experiment whose JSON is `bytes` long (a long label pads it).
function specOf(bytes) {
  const spec = { problem: { name: 'himmelblau' }, steps: 3, optimizers: [{ name: 'adam', lr: 0.05, label: '' }] };
  spec.optimizers[0].label = 'a'.repeat(bytes - JSON.stringify(spec).length);
  assert.equal(JSON.stringify(spec).length, bytes);
  return spec;
}

const shown = (page) => page.evaluate(() => {
  const st = window.optlab.app.getState();
  return { problem: st.problem.name ?? st.problem.expr, steps: st.steps };
});

test('a share link over the limit opens the default lesson with a notice naming the limit', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(specOf(1_200_000))}`);
  try {
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(), LIMIT_TEXT);
    assert.deepEqual(await shown(page), { problem: 'rosenbrock', steps: 0 });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('an oversized link pasted into an open page is refused and the experiment on screen kept', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec({ ...specOf(120), steps: 7 })}`);
  try {
    assert.deepEqual(await shown(page), { problem: 'himmelblau', steps: 7 });
    await page.evaluate((hash) => { location.hash = hash; }, encodeSpec(specOf(1_200_000)));
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(), LIMIT_TEXT);
    assert.deepEqual(await shown(page), { problem: 'himmelblau', steps: 7 });
    // ... and a link under the limit still opens afterwards.
    await page.evaluate((hash) => { location.hash = hash; }, encodeSpec({ ...specOf(120), steps: 2 }));
    await page.waitForFunction(() => window.optlab.app.getState().steps === 2);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('an imported file over the limit is refused unread and the experiment on screen kept', async () => {
  const page = await openPage(env.browser, env.server.url);
  try {
    await page.evaluate(() => window.optlab.app.setState({ steps: 4 }));
    await page.locator('#import-json').setInputFiles({
      name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(specOf(1_000_001))),
    });
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    await settle(page);
    const text = await page.locator('#notice-text').textContent();
    assert.match(text, /Could not import huge\.json/);
    assert.match(text, LIMIT_TEXT);
    assert.deepEqual(await shown(page), { problem: 'rosenbrock', steps: 4 });
    // A file under the limit is read and opened as before.
    await page.locator('#import-json').setInputFiles({
      name: 'ok.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...specOf(120), steps: 5 })),
    });
    await page.waitForFunction(() => window.optlab.app.getState().problem.name === 'himmelblau');
    assert.equal(await page.evaluate(() => window.optlab.app.getState().steps), 5);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
