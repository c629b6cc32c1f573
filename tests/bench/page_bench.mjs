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
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.join(DIST, rel);
  if (rel.includes('..') || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launchBrowser();
const times = [];
try {
  for (let k = 0; k < RUNS; k++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.optlab?.firstLandscapeMs !== undefined, null, { timeout: 15_000 });
    times.push(await page.evaluate(() => window.optlab.firstLandscapeMs));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`page weight (dist/, gzip -9): ${(total / 1024).toFixed(1)} KB (wasm ${(wasmGz / 1024).toFixed(1)} KB); budget 500 KB`);
console.log(`first landscape drawn after navigation (127.0.0.1, cold cache, ${RUNS} runs): median ${median.toFixed(0)} ms, best ${times[0].toFixed(0)} ms, worst ${times[times.length - 1].toFixed(0)} ms; budget 1000 ms`);
