// Shared setup for the end-to-end tests: starts scripts/serve.mjs on a free port on 127.0.0.1,
// launches Debian's Chromium through playwright-core (never a downloaded browser), records every
// console message and page error, and saves screenshots under test-results/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = path.join(ROOT, 'test-results');

const CHROMIUM = process.env.OPTLAB_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

// Starts the static server; resolves {url, stop()} once it prints the address it listens on.
export function startServer() {
  if (!fs.existsSync(path.join(ROOT, 'web/wasm/optlab.mjs'))) {
    throw new Error('web/wasm/optlab.mjs is missing: run `bash scripts/build.sh wasm` first');
  }
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve.mjs did not start: ${out}`));
    }, 10_000);
    const onData = (chunk) => {
      out += chunk;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          stop: () => new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${out}`));
    });
  });
}

// One server and one browser for a test file: registers the file's before/after hooks and returns
// an object whose `server` and `browser` are set once they are up.
export function useServerAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

// A page of the given size whose console warnings/errors and uncaught errors are collected in
// page.problems (the tests assert it stays empty).
export async function openPage(browser, url, { width = 1280, height = 720, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') page.problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  if (url) await gotoReady(page, url);
  return page;
}

// The tests' common frame: a fresh page of the given size, init(page) before navigating (if
// given), url opened, fn(page) run, the page settled and its console found clean; the context is
// closed whatever happens. A failure inside fn carries what the page logged.
export async function withCleanPage(env, url, options, fn, { init } = {}) {
  const page = await openPage(env.browser, null, options);
  try {
    if (init) await init(page);
    await gotoReady(page, url);
    try {
      await fn(page);
    } catch (e) {
      if (page.problems.length) e.message += `\npage problems: ${page.problems.join('\n')}`;
      throw e;
    }
    await settle(page);
    assert.deepEqual(page.problems, [], 'console warnings or errors');
  } finally {
    await page.context().close();
  }
}

// Navigates and waits until the page has drawn its first frame from the wasm module.
export async function gotoReady(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.app, null, { timeout: 15_000 });
  await settle(page);
}

// Waits for two animation frames, so what a click scheduled has been drawn, and for the equation
// (typeset once KaTeX, loaded on first use, has arrived).
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => !document.querySelector('#equation[data-pending]'));
}

export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// What the page shows of one canvas, as a PNG data URL (equal URLs: identical pixels).
export function canvasSnapshot(page, selector) {
  return page.$eval(selector, (c) => c.toDataURL('image/png'));
}

// The page's state and the core's numbers, read through the debug handle main.js exposes.
export function readApp(page) {
  return page.evaluate(() => {
    const app = window.optlab.app;
    const st = app.getState();
    const s = app.session();
    return {
      state: st,
      hash: location.hash,
      internals: st.optimizers.map((_, i) => JSON.stringify(s.internals(i))),
      params: st.optimizers.map((_, i) => Array.from(s.params(i))),
      losses: st.optimizers.map((_, i) => Array.from(s.losses(i))),
    };
  });
}

// The address bar is written a moment after a change (it is throttled while playing).
export async function currentHash(page) {
  await page.evaluate(() => window.optlab.app.flushHash());
  return page.evaluate(() => location.hash);
}

export function encodeSpec(spec) {
  return `#exp=${Buffer.from(JSON.stringify(spec), 'utf8').toString('base64url')}`;
}

// Opens a lesson from the Lessons tab in a fresh 1280x720 page, takes it to `steps`, and returns
// what `read(arg)` finds in the page (the session's numbers); no console problem is allowed.
export async function lessonAt(browser, url, title, steps, read, arg) {
  const page = await openPage(browser, url, { width: 1280, height: 720 });
  try {
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: new RegExp(`^${title}`) }).click();
    await page.evaluate((n) => window.optlab.app.setState({ steps: n }), steps);
    // A network's steps are computed in slices: wait until the session has them all.
    await page.waitForFunction((n) => window.optlab.app.session().stepCount() === n, steps);
    await settle(page);
    const out = await page.evaluate(read, arg);
    assert.deepEqual(page.problems, []);
    return out;
  } finally {
    await page.context().close();
  }
}
