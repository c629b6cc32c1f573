// Embed mode (web/embed.js): `?embed` shows the plot and the playback toolbar only, filling a
// 640x400 frame with no scrollbars, and still steps; the copied snippet embeds the same experiment;
// the single-file build (dist/optlab.html) embeds the same way from file://.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, useServerAndBrowser, openPage, settle, gotoReady, screenshot } from './harness.mjs';
import { embedSnippet, embedMode } from '../../web/embed.js';

const env = useServerAndBrowser();

// What an embed must be: nothing scrolls, the plot takes most of the frame, the header is gone.
async function checkEmbed(page) {
  const m = await page.evaluate(() => {
    const d = document.documentElement;
    const plot = document.getElementById('plot').getBoundingClientRect();
    const visible = (sel) => { const e = document.querySelector(sel); return !!e && e.getClientRects().length > 0; };
    return {
      scrollW: d.scrollWidth, clientW: d.clientWidth, scrollH: d.scrollHeight, clientH: d.clientHeight,
      bodyScrollH: document.body.scrollHeight, plotW: plot.width, plotH: plot.height, plotBottom: plot.bottom,
      header: visible('.topbar'), settings: visible('#settings'), compare: visible('.compare'),
      step: visible('#step'), play: visible('#play'), back: visible('#back'),
    };
  });
  assert.ok(m.scrollW <= m.clientW, `no horizontal scrollbar (${m.scrollW} > ${m.clientW})`);
  assert.ok(m.scrollH <= m.clientH && m.bodyScrollH <= m.clientH, `no vertical scrollbar (${m.scrollH}, ${m.bodyScrollH} > ${m.clientH})`);
  assert.ok(m.plotBottom <= 400, 'the plot ends inside the frame');
  assert.ok(m.plotW > 600 && m.plotH > 300, `the plot fills the frame (${m.plotW}x${m.plotH})`);
  assert.deepEqual([m.header, m.settings, m.compare], [false, false, false], 'header, settings and compare are hidden');
  assert.deepEqual([m.step, m.play, m.back], [true, true, true], 'Step, Play and Back are shown');
  const steps = () => page.evaluate(() => window.optlab.app.getState().steps);
  const before = await steps();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await settle(page);
  assert.equal(await page.locator('#step-counter').textContent(), `Step ${before + 2}`);
  await page.getByRole('button', { name: 'Back' }).click();
  await settle(page);
  assert.equal(await page.locator('#step-counter').textContent(), `Step ${before + 1}`);
}

test('the embed flag is read from the query only', () => {
  assert.equal(embedMode(''), null);
  assert.equal(embedMode('?embed'), 'plain');
  assert.equal(embedMode('?embed=inspector'), 'inspector');
  const snip = embedSnippet('http://h/optlab/?x=1#exp=abc');
  assert.equal(snip, '<iframe src="http://h/optlab/?embed#exp=abc" width="640" height="400" style="border:0" title="OptLab experiment" loading="lazy"></iframe>');
});

test('an embed at 640x400 shows plot and toolbar, no scrollbars, and steps', async () => {
  const page = await openPage(env.browser, `${env.server.url}?embed`, { width: 640, height: 400 });
  try {
    await checkEmbed(page);
    await screenshot(page, 'embed');
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('"Copy embed code" (in the Teach dialog) gives an iframe of the current experiment that opens as an embed', async () => {
  const page = await openPage(env.browser, env.server.url, { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    await page.evaluate(() => window.optlab.app.flushHash());
    await page.getByRole('button', { name: 'Teach' }).click();
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(await page.locator('.teach-out').inputValue(), snippet, 'the snippet is also shown, to copy by hand');
    await page.getByLabel('With the inspector beside the plot').check();
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^<iframe src="[^"]*\?embed=inspector#exp=/);
    await page.getByRole('button', { name: 'Close' }).click();
    const src = /^<iframe src="([^"]+)" width="640" height="400"/.exec(snippet)?.[1].replaceAll('&amp;', '&');
    assert.ok(src, `an iframe snippet: ${snippet}`);
    const url = new URL(src);
    assert.equal(url.search, '?embed');
    assert.equal(url.hash, new URL(page.url()).hash, 'the embed holds the same experiment as the page');
    const state = await page.evaluate(() => window.optlab.app.getState().optimizers.map((o) => o.name));
    const embed = await openPage(env.browser, src, { width: 640, height: 400 });
    try {
      assert.deepEqual(await embed.evaluate(() => window.optlab.app.getState().optimizers.map((o) => o.name)), state);
      await checkEmbed(embed);
      assert.deepEqual(embed.problems, []);
    } finally {
      await embed.context().close();
    }
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});

test('the single-file build works as an embed from file://', async () => {
  execFileSync(process.execPath, ['scripts/dist.mjs', '--no-wasm-build'], { cwd: ROOT, stdio: 'pipe' });
  const file = `${pathToFileURL(path.join(ROOT, 'dist', 'optlab.html')).href}?embed`;
  const page = await openPage(env.browser, null, { width: 640, height: 400 });
  try {
    await gotoReady(page, file);
    await checkEmbed(page);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
  }
});
