// End-to-end tests of the shipped builds (scripts/dist.mjs): dist/ served under a sub-path, as on a
// GitHub Pages project site, and dist/optlab.html opened from file:// with no server and no network.
// Both must train, under their Content-Security-Policy, without a single console warning or error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, launchBrowser, openPage, settle, readApp, encodeSpec } from './harness.mjs';
import { setMap, computeMap } from './map_helpers.mjs';

const DIST = path.join(ROOT, 'dist');
const SUB = '/optlab/project-site/';
let browser;
let server;
let base;

// A plain static server for dist/ under SUB only: anything the page asks for outside its folder
// (an absolute path like /optlab.js) is a 404, so absolute paths in the build fail the test.
function serveDist() {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.woff2': 'font/woff2' };
  const requests = [];
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    let rel = url.pathname.startsWith(SUB) ? url.pathname.slice(SUB.length) : null;
    if (rel === '') rel = 'index.html';
    const file = rel === null || rel.includes('..') ? null : path.join(DIST, rel);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, requests, url: `http://127.0.0.1:${srv.address().port}${SUB}` })));
}

before(async () => {
  // The wasm module is already built (npm test builds it first); dist.mjs only bundles here.
  execFileSync(process.execPath, ['scripts/dist.mjs', '--no-wasm-build'], { cwd: ROOT, stdio: 'pipe' });
  server = await serveDist();
  base = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.srv.close();
});

// Steps a few times and checks the page's numbers moved and came from the core.
async function trainLandscape(page) {
  await page.getByRole('button', { name: 'Step 10' }).click();
  await settle(page);
  assert.equal(await page.locator('#step-counter').textContent(), 'Step 10');
  const { losses } = await readApp(page);
  for (const l of losses) {
    assert.equal(l.length, 11);
    assert.ok(l[10] < l[0], 'every run of the default lesson goes downhill in 10 steps');
  }
}

async function trainNetwork(page) {
  await page.getByRole('button', { name: 'Neural network' }).click();
  await settle(page);
  await page.getByRole('button', { name: 'Step 10' }).click();
  await settle(page);
  const st = await page.evaluate(() => window.optlab.app.getState());
  assert.equal(st.mode, 'network');
  assert.equal(st.steps, 10);
}

test('dist/ works from a sub-path: relative paths only, CSP holds, both modes train', async () => {
  const page = await openPage(browser, base);
  try {
    await trainLandscape(page);
    await page.evaluate(() => document.fonts.ready);
    await trainNetwork(page);
    await settle(page);
    assert.deepEqual(page.problems, [], 'console warnings or errors (CSP violations are errors)');
    assert.ok(server.requests.every((p) => p.startsWith(SUB)), `requests outside ${SUB}: ${server.requests}`);
    assert.ok(server.requests.some((p) => p.endsWith('/optlab.wasm')));
  } finally {
    await page.context().close();
  }
});

test('dist/optlab.html opens from file:// with no network and trains a landscape and a network', async () => {
  const file = pathToFileURL(path.join(DIST, 'optlab.html')).href;
  const page = await openPage(browser, null);
  const requests = [];
  // Nothing may leave the file: every request other than the file itself is recorded and refused.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === file || url.startsWith(`${file}#`)) return route.continue();
    requests.push(url);
    return route.abort();
  });
  try {
    await page.goto(file);
    await page.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.app, null, { timeout: 15_000 });
    await trainLandscape(page);
    // A share link still opens in the single file (the hash is read the same way).
    await page.goto(`${file}${encodeSpec({ problem: { name: 'booth' }, steps: 3, optimizers: [{ name: 'adam', lr: 0.1 }] })}`);
    await page.reload();
    await page.waitForFunction(() => window.optlab?.app?.getState().steps === 3, null, { timeout: 15_000 });
    await trainNetwork(page);
    await settle(page);
    assert.deepEqual(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')), [], 'network requests');
    assert.deepEqual(page.problems, [], 'console warnings or errors (CSP violations are errors)');
  } finally {
    await page.context().close();
  }
});

test('a map computes in dist/\'s workers and, in the single file, on the page: the same cells', async () => {
  const spec = { problem: { name: 'booth' }, start: [-3, 4], steps: 0, seed: 0, optimizers: [{ name: 'sgd', lr: 0.01, momentum: 0.5 }] };
  const map = {
    kind: 'hyper', run: 0, steps: 100, measure: 'final_loss',
    x: { param: 'lr', from: 0.001, to: 0.2, n: 8, scale: 'log' }, y: { param: 'momentum', from: 0, to: 0.95, n: 6, scale: 'linear' },
  };
  const hosted = await openPage(browser, `${base}${encodeSpec(spec)}`);
  const single = await openPage(browser, null);
  try {
    await setMap(hosted, map);
    const a = await computeMap(hosted);
    assert.equal(a.mode, 'workers');
    assert.ok(server.requests.some((p) => p === `${SUB}map_worker.js`));
    await single.goto(`${pathToFileURL(path.join(DIST, 'optlab.html')).href}${encodeSpec(spec)}`);
    await single.waitForFunction(() => window.optlab?.frames > 0 && window.optlab.app, null, { timeout: 15_000 });
    await setMap(single, map);
    const b = await computeMap(single);
    assert.equal(b.mode, 'main');
    assert.deepEqual(b.result, a.result);
    assert.deepEqual(hosted.problems, []);
    assert.deepEqual(single.problems, [], 'console warnings or errors (CSP violations are errors)');
  } finally {
    await hosted.context().close();
    await single.context().close();
  }
});

test('the single file carries a hash-based CSP and no unsafe-inline or unsafe-eval for scripts', () => {
  const html = fs.readFileSync(path.join(DIST, 'optlab.html'), 'utf8');
  const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
  const scriptSrc = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.match(scriptSrc, /'sha256-[A-Za-z0-9+/]+=*'/);
  assert.doesNotMatch(scriptSrc, /unsafe-inline|'unsafe-eval'/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet/, 'nothing is loaded from outside the file');
});
