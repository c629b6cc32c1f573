// The page's weight and start-up (issue 6): builds dist/ (bundling only; the wasm module must be
// built), prints the gzip -9 size of everything the hosted page loads, then serves dist/ on
// 127.0.0.1 and times, in headless Chromium with a cold cache, navigation -> first landscape drawn.
// Usage: node tests/bench/page_bench.mjs [--runs 7]   (scripts/bench.sh calls it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, launchBrowser } from '../e2e/harness.mjs';

const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 7;
const DIST = path.join(ROOT, 'dist');

execFileSync(process.execPath, ['scripts/dist.mjs', '--no-wasm-build'], { cwd: ROOT, stdio: 'pipe' });

// Weight: every file of the hosted page (the single-file build is a separate download).
let total = 0;
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name !== 'optlab.html') total += zlib.gzipSync(fs.readFileSync(p), { level: 9 }).length;
  }
};
walk(DIST);
const wasmGz = zlib.gzipSync(fs.readFileSync(path.join(DIST, 'optlab.wasm')), { level: 9 }).length;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.woff2': 'font/woff2' };
// As a static host serves dist/: gzip when the browser asks for it (fonts are compressed already).
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.join(DIST, rel);
  if (rel.includes('..') || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
  const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && path.extname(file) !== '.woff2') {
    res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip' });
    res.end(zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
    return;
  }
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

// Navigation -> first landscape drawn, cold cache; throttle: Chromium's network emulation.
async function firstLandscape(browser, throttle) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: throttle.latencyMs, downloadThroughput: throttle.bitsPerSecond / 8, uploadThroughput: throttle.bitsPerSecond / 8,
    });
  }
  await page.goto(url);
  await page.waitForFunction(() => window.optlab?.firstLandscapeMs !== undefined, null, { timeout: 120_000 });
  const ms = await page.evaluate(() => window.optlab.firstLandscapeMs);
  await context.close();
  return ms;
}

const SLOW = { bitsPerSecond: 1.6e6, latencyMs: 150 }; // "Slow 4G"-like: 1.6 Mbit/s, 150 ms
const browser = await launchBrowser();
const times = [];
const slow = [];
try {
  for (let k = 0; k < RUNS; k++) times.push(await firstLandscape(browser, null));
  for (let k = 0; k < Math.min(3, RUNS); k++) slow.push(await firstLandscape(browser, SLOW));
} finally {
  await browser.close();
  server.close();
}
const stats = (xs) => {
  xs.sort((a, b) => a - b);
  return `median ${xs[Math.floor(xs.length / 2)].toFixed(0)} ms, best ${xs[0].toFixed(0)} ms, worst ${xs[xs.length - 1].toFixed(0)} ms`;
};
console.log(`page weight (dist/, gzip -9): ${(total / 1024).toFixed(1)} KB (wasm ${(wasmGz / 1024).toFixed(1)} KB); budget 500 KB`);
console.log(`first landscape drawn after navigation (127.0.0.1, gzip, cold cache, ${RUNS} runs): ${stats(times)}; budget 1000 ms`);
console.log(`first landscape on a throttled connection (1.6 Mbit/s, 150 ms latency, gzip, cold cache, ${slow.length} runs): ${stats(slow)}`);
