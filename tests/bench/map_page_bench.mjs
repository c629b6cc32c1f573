// The page's map figures (issue 16), in headless Chromium on scripts/serve.mjs: seconds for the
// 128 x 128 lr x betas.0 map of 500-step Adam on Rosenbrock (8.2 million steps) with 1, 2 and 4
// workers and on the page itself, the time to its first 32 x 32 coarse picture, steps per second
// per worker against a single run's (a Session on the page's own module), and the frames per second
// of Play while a map computes. Prints figures only: speeds are not asserted anywhere.
// Usage: node tests/bench/map_page_bench.mjs   (scripts/bench.sh calls it)
import { startServer, launchBrowser, openPage, encodeSpec } from '../e2e/harness.mjs';
import { setMap } from '../e2e/map_helpers.mjs';

const SPEC = {
  problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0,
  optimizers: [{ name: 'adam', lr: 0.05, label: 'Adam', color: '#cc79a7' }],
};
const MAP = {
  kind: 'hyper', run: 0, steps: 500, measure: 'steps',
  x: { param: 'lr', from: 0.001, to: 1, n: 128, scale: 'log' }, y: { param: 'betas.0', from: 0, to: 0.99, n: 128, scale: 'linear' },
};
const CELLS = 128 * 128;

async function timeMap(page, options) {
  await page.evaluate((o) => { window.optlab.mapOptions = o; }, options);
  const n = await page.evaluate(() => window.optlab.map.runs.length);
  await page.locator('#map-compute').click();
  await page.waitForFunction((k) => window.optlab.map.runs.length > k && window.optlab.map.runs.at(-1).result, n, { timeout: 600_000, polling: 200 });
  return page.evaluate(() => {
    const r = window.optlab.map.runs.at(-1);
    return { ms: r.ms, firstMs: r.firstLevelMs, mode: r.mode };
  });
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, `${server.url}${encodeSpec(SPEC)}`);
  await setMap(page, MAP);
  // A single run's speed on the page's module: the same optimizer, landscape and start.
  const single = await page.evaluate(() => {
    const s = window.optlab.engine.openSession({ problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0, seed: 0, optimizers: [{ name: 'adam', lr: 0.05 }] });
    const t0 = performance.now();
    s.goTo(200_000);
    const ms = performance.now() - t0;
    s.close();
    return 200_000 / (ms / 1000);
  });
  await timeMap(page, { workers: 4 }); // warm-up: all four workers' modules compiled and tiered up
  const rows = [];
  for (const workers of [1, 2, 4]) rows.push({ label: `${workers} worker${workers > 1 ? 's' : ''}`, workers, ...(await timeMap(page, { workers })) });
  rows.push({ label: 'on the page (no workers)', workers: 1, ...(await timeMap(page, { mainThread: true })) });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`map: 128 x 128 lr x betas.0, Adam on Rosenbrock, 500 steps per cell (${(CELLS * 500 / 1e6).toFixed(1)} M steps), headless Chromium, ${cores} cores`);
  for (const r of rows) {
    const perWorker = (CELLS * 500) / (r.ms / 1000) / r.workers;
    console.log(`  ${r.label.padEnd(26)} ${(r.ms / 1000).toFixed(2)} s, first 32 x 32 picture after ${r.firstMs.toFixed(0)} ms, ${(perWorker / 1e6).toFixed(2)} M steps/s per worker${single ? ` (${(perWorker / single).toFixed(2)}x a single run's ${(single / 1e6).toFixed(2)} M steps/s)` : ''}`);
  }
  console.log(`  2 workers / 1 worker: ${(rows[0].ms / rows[1].ms).toFixed(2)}x`);
  // Play while a map computes: frames drawn per second over 3 s (workers, then on the page).
  for (const [label, options] of [['workers', {}], ['on the page', { mainThread: true }]]) {
    await page.evaluate((o) => { window.optlab.mapOptions = o; window.optlab.app.setState({ steps: 0 }); }, options);
    await page.locator('#map-compute').click();
    await page.locator('#play').click();
    const fps = await page.evaluate(() => new Promise((resolve) => {
      const f0 = window.optlab.frames;
      const t0 = performance.now();
      setTimeout(() => resolve((window.optlab.frames - f0) / ((performance.now() - t0) / 1000)), 3000);
    }));
    await page.locator('#play').click();
    await page.evaluate(() => document.getElementById('map-cancel').click()); // if it has not finished
    console.log(`  Play while a map computes (${label}): ${fps.toFixed(0)} frames/s`);
  }
  await page.context().close();
} finally {
  await browser.close();
  await server.stop();
}
