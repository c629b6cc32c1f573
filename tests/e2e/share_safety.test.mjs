// Share links and imported files are data, not code (issue 5 item 5): HTML in a label or a formula
// is shown as literal text wherever the page shows it, runs nothing, and the page's
// Content-Security-Policy is never violated (a violation is a console error, which fails the test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, settle, encodeSpec } from './harness.mjs';

const EVIL = '<img src=x onerror=window.__pwned=1>';
const env = useServerAndBrowser();

const spec = (label) => ({
  problem: { name: 'himmelblau' },
  steps: 5,
  optimizers: [{ name: 'adam', lr: 0.05, label }, { name: 'sgd', lr: 0.01, label: 'plain' }],
});

// Whatever the page did with the label: nothing ran, no element came from it, and it reads literally.
async function assertInert(page) {
  await settle(page);
  await page.waitForTimeout(200); // an injected onerror would fire on the failed image load by now
  const r = await page.evaluate((evil) => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    legend: document.getElementById('legend-body').textContent,
    select: [...document.querySelectorAll('#inspect-run option')].map((o) => o.textContent),
    inputs: [...document.querySelectorAll('input[type="text"]')].map((i) => i.value).filter((v) => v === evil).length,
  }), EVIL);
  assert.equal(r.pwned, undefined, 'the label ran script');
  assert.equal(r.imgs, 0, 'the label became an element');
  assert.ok(r.legend.includes(EVIL), 'the legend shows the label literally');
  assert.ok(r.select.includes(EVIL), 'the inspector menu shows the label literally');
  assert.equal(r.inputs, 1, 'the label box holds the label as typed');
  assert.ok(await page.getByText(EVIL, { exact: true }).first().isVisible());
}

test('HTML in a label from a share link shows literally and runs nothing', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec(spec(EVIL))}`);
  try {
    assert.equal((await page.evaluate(() => window.optlab.app.getState())).optimizers[0].label, EVIL);
    await assertInert(page);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('HTML in a label from an imported file shows literally and runs nothing', async () => {
  const page = await openPage(env.browser, env.server.url);
  try {
    await page.locator('#import-json').setInputFiles({
      name: 'evil.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(spec(EVIL))),
    });
    await page.waitForFunction(() => window.optlab.app.getState().problem.name === 'himmelblau');
    await assertInert(page);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('HTML in a formula from a link is refused with a text notice and runs nothing', async () => {
  const page = await openPage(env.browser, `${env.server.url}${encodeSpec({ ...spec('ok'), problem: { expr: EVIL } })}`);
  try {
    await settle(page);
    const notice = page.locator('#notice-text');
    assert.ok(await notice.isVisible());
    assert.match(await notice.textContent(), /could not be opened/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('#notice img').count(), 0);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('an inline script injected after load is blocked by the policy', async () => {
  const page = await openPage(env.browser, env.server.url);
  try {
    const violations = await page.evaluate(() => new Promise((resolve) => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 1';
      document.body.append(s);
      setTimeout(() => resolve(seen), 100);
    }));
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.ok(violations.some((d) => d.startsWith('script-src')), `violations: ${violations}`);
    // The one expected violation is the console error; nothing else.
    assert.ok(page.problems.every((p) => /Content Security Policy/.test(p)), page.problems.join('\n'));
  } finally {
    await page.context().close();
  }
});
