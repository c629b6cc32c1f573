// Regenerates the README's pictures (docs/screenshots/*.png) from the running page on every test
// run, so they always show the page as it is; and looks at both themes and projector mode on a
// projector and a phone, failing on any console warning or error (CSP violations included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, useServerAndBrowser, openPage, settle, screenshot } from './harness.mjs';

const DOCS = path.join(ROOT, 'docs/screenshots');
const env = useServerAndBrowser();

async function play(page, steps) {
  await page.evaluate((n) => window.optlab.app.setState({ steps: n }), steps);
  await settle(page);
  await page.evaluate(() => document.fonts.ready);
  await settle(page);
}

// A lecture's view: Adam inspected after 12 steps, paused, so the plot, the table and the equation
// with its numbers are on screen together.
async function lecture(page) {
  await page.evaluate(() => window.optlab.app.setState({ selected: 3 }));
  await play(page, 12);
  await page.evaluate(() => scrollTo(0, 0));
}

test('README screenshots of each mode, at projector size (projector mode off and on) and phone size', async () => {
  fs.mkdirSync(DOCS, { recursive: true });
  const shots = [
    ['landscape.png', { width: 1280, height: 720 }, false],
    ['landscape-projector.png', { width: 1280, height: 720 }, true],
    ['landscape-phone.png', { width: 390, height: 844 }, false],
  ];
  for (const [name, size, projector] of shots) {
    const page = await openPage(env.browser, null, { ...size, colorScheme: 'light' });
    try {
      await page.addInitScript((on) => localStorage.setItem('optlab.projector', on ? '1' : '0'), projector);
      await page.goto(env.server.url);
      await page.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.app);
      await lecture(page);
      await page.screenshot({ path: path.join(DOCS, name) });
      if (name === 'landscape.png') {
        await page.getByRole('button', { name: 'Neural network' }).click();
        await play(page, 150);
        await page.screenshot({ path: path.join(DOCS, 'network.png') });
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  }
  for (const name of ['landscape.png', 'landscape-projector.png', 'landscape-phone.png', 'network.png']) {
    const size = fs.statSync(path.join(DOCS, name)).size;
    assert.ok(size > 20_000 && size < 600_000, `${name} is ${size} bytes`);
  }
});

test('README screenshot of a lecture chapter (8, Adam with and without bias correction) in projector mode', async () => {
  const page = await openPage(env.browser, null, { width: 1280, height: 720, colorScheme: 'light' });
  try {
    await page.addInitScript(() => localStorage.setItem('optlab.projector', '1'));
    await page.goto(`${env.server.url}#lecture=8`);
    await page.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.app);
    await page.waitForFunction(() => !document.querySelector('#lecture .lecture-rule[data-pending]'));
    await play(page, 6);
    await page.locator('#lecture summary').click(); // the answer revealed
    await settle(page);
    const file = path.join(DOCS, 'lecture.png');
    await page.screenshot({ path: file });
    const size = fs.statSync(file).size;
    assert.ok(size > 20_000 && size < 600_000, `lecture.png is ${size} bytes`);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('both themes and projector mode, at projector and phone size, without console problems', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const size of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
      const page = await openPage(env.browser, env.server.url, { ...size, colorScheme });
      try {
        const paper = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        const plain = await paper();
        assert.equal(plain === 'rgb(255, 255, 255)', colorScheme === 'light', `page background ${plain}`);
        await page.keyboard.press('p');
        await settle(page);
        assert.equal(await page.locator('#projector').getAttribute('aria-pressed'), 'true');
        const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
        assert.ok(fontPx >= 20, `projector type is ${fontPx}px`);
        assert.equal(await page.locator('#export-csv').isVisible(), false, 'advanced controls are tucked away');
        await play(page, 30);
        await screenshot(page, `look-${colorScheme}-projector-${size.width}`);
        // The preference outlives a reload, and the toggle turns it off again.
        await page.reload();
        await page.waitForFunction(() => window.optlab?.frames > 0);
        assert.equal(await page.locator('#projector').getAttribute('aria-pressed'), 'true');
        await page.locator('#projector').click();
        await settle(page);
        assert.equal(await page.locator('#export-csv').isVisible(), true);
        assert.deepEqual(page.problems, []);
      } finally {
        await page.context().close();
      }
    }
  }
});

test('README screenshots of a fit problem: the landscape and the data side by side, and a mini-batch\'s own landscape', async () => {
  const page = await openPage(env.browser, env.server.url, { width: 1280, height: 720, colorScheme: 'light' });
  try {
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: /^Batch 1, 8 and full batch/ }).click();
    await page.evaluate(() => window.optlab.app.setState({ selected: 1 }));
    await play(page, 40);
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: path.join(DOCS, 'fit.png') });
    await page.getByLabel(/this mini-batch's landscape/i).check();
    await settle(page);
    await page.screenshot({ path: path.join(DOCS, 'fit-batch-landscape.png') });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
  for (const name of ['fit.png', 'fit-batch-landscape.png']) {
    const size = fs.statSync(path.join(DOCS, name)).size;
    assert.ok(size > 20_000 && size < 600_000, `${name} is ${size} bytes`);
  }
});

test('README screenshot of an embed: the plot and the toolbar in a 640x400 frame', async () => {
  const page = await openPage(env.browser, `${env.server.url}?embed`, { width: 640, height: 400, colorScheme: 'light' });
  try {
    await page.evaluate(() => window.optlab.app.setState({ selected: 3 }));
    await play(page, 12);
    await page.screenshot({ path: path.join(DOCS, 'embed.png') });
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
  const size = fs.statSync(path.join(DOCS, 'embed.png')).size;
  assert.ok(size > 10_000 && size < 400_000, `embed.png is ${size} bytes`);
});
