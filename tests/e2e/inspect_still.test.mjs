// A paused redraw reads the step before without moving the session (issue 10 item 6): the
// Inspector's equation needs the state at step - 1, and the core answers internalsAt directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const env = useServerAndBrowser();

test('a paused redraw of the Inspector moves nothing and still shows the step before', async () => {
  const spec = { problem: { name: 'rosenbrock' }, steps: 5, optimizers: [{ name: 'sgd', lr: 0.001, momentum: 0.9 }, { name: 'adam', lr: 0.1 }] };
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec)}`);
  try {
    const moves = await page.evaluate(async () => {
      const s = window.optlab.app.session();
      const calls = [];
      for (const name of ['back', 'stepBy', 'goTo', 'reset']) {
        if (typeof s[name] !== 'function') continue;
        const f = s[name].bind(s);
        s[name] = (...args) => { calls.push(name); return f(...args); };
      }
      const internalsAt = s.internalsAt.bind(s);
      const read = [];
      s.internalsAt = (i, k) => { read.push([i, k]); return internalsAt(i, k); };
      window.optlab.app.setState({ selected: 1 }); // a new selection: the Inspector reads again
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return { calls, read, steps: s.stepCount() };
    });
    assert.deepEqual(moves.calls, []);
    assert.deepEqual(moves.read, [[1, 4]]);
    assert.equal(moves.steps, 5);
    await settle(page);
    const eq = await page.locator('#equation').textContent();
    assert.doesNotMatch(eq, /Pause to see/);
    assert.ok(eq.length > 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
