// The page accepts exactly the specs the core (and so the CLI) accepts: a link is checked by the
// core's own validator before the page reads it, so a key the page's reader would drop (such as
// "__proto__", which an assignment turns into a prototype) is refused with the core's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const env = useServerAndBrowser();

const shown = (page) => page.evaluate(() => {
  const st = window.optlab.app.getState();
  return { problem: st.problem.name ?? st.problem.expr, steps: st.steps, runs: st.optimizers.length };
});

test('a "__proto__" hyperparameter in a link is refused with the core\'s message, as the CLI refuses it', async () => {
  // A computed key makes "__proto__" an own property, as JSON.parse does.
  const spec = { problem: { name: 'himmelblau' }, steps: 2, optimizers: [{ name: 'adam', ['__proto__']: { lr: 9 } }] };
  assert.match(JSON.stringify(spec), /"__proto__"/);
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await settle(page);
    const notice = await page.locator('#notice-text').textContent();
    assert.match(notice, /could not be opened \(optimizers\[0\]\.__proto__/);
    assert.deepEqual(await shown(page), { problem: 'rosenbrock', steps: 0, runs: 4 });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('a link the core accepts still opens', async () => {
  const spec = { problem: { name: 'himmelblau' }, steps: 2, optimizers: [{ name: 'adam', lr: 0.05 }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    await settle(page);
    assert.deepEqual(await shown(page), { problem: 'himmelblau', steps: 2, runs: 1 });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
