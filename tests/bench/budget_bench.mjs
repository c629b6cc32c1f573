// The cost budget's figures (issue 11), measured, not asserted:
//  1. how the core's step-cost estimate (operations, meant as ~1 ns each in wasm) compares with the
//     measured time of a step in wasm under node, for the problem kinds the budget covers;
//  2. in headless Chromium, the open time of a link at the budget's limit (8 runs, the most steps
//     max_request_cost allows), and the page's input latency while it computes: clicks every 200 ms,
//     the delay from each event's timestamp to its handler.
// Usage: node tests/bench/budget_bench.mjs   (scripts/bench.sh calls it; expects both builds)
import { loadOptLab } from '../wasm/load.mjs';
import { startServer, launchBrowser } from '../e2e/harness.mjs';

const M = await loadOptLab();
const limits = JSON.parse(M.catalog()).limits;
const sgd = (n) => Array.from({ length: n }, (_, i) => ({ name: 'sgd', lr: 0.001 * (i + 1) }));

console.log('step cost: estimate vs measured (wasm, node, one run)');
const problems = [
  ['rosenbrock', { name: 'rosenbrock' }],
  ['formula, 60 terms', { expr: Array.from({ length: 60 }, (_, i) => `sin(x*${i})*cos(y)`).join('+') }],
  ['formula, 500 terms', { expr: Array.from({ length: 500 }, (_, i) => `sin(x*${i})*cos(y)`).join('+') }],
  ['mlp [2,16,16,1], 200 points', { name: 'mlp', layers: [2, 16, 16, 1], data: { name: 'moons', n: 200 } }],
  ['mlp [2,64,64,1], 1000 points, batch 32', { name: 'mlp', layers: [2, 64, 64, 1], data: { name: 'moons', n: 1000 }, batch_size: 32 }],
  ['mlp [2,256,256,1], 200 points', { name: 'mlp', layers: [2, 256, 256, 1], data: { name: 'moons', n: 200 } }],
];
for (const [name, problem] of problems) {
  const s = new M.Session(JSON.stringify({ problem, steps: 0, optimizers: sgd(1) }));
  const estimate = s.stepCost();
  s.stepBy(5);
  const n = Math.max(20, Math.min(20000, Math.round(3e8 / estimate)));
  const t0 = performance.now();
  s.stepBy(n);
  const ns = ((performance.now() - t0) * 1e6) / n;
  s.delete();
  console.log(`  ${name.padEnd(42)} estimate ${estimate.toExponential(2)} ops, measured ${ns.toExponential(2)} ns: ${(ns / estimate).toFixed(2)} ns an operation`);
}

// A link at the limit: 8 runs of a formula, as many steps as max_request_cost allows.
const expr = Array.from({ length: 30 }, (_, i) => `sin(x*${i + 1} + y)*0.01`).join(' + ') + ' + x^2 + y^2';
const probe = new M.Session(JSON.stringify({ problem: { expr }, steps: 0, optimizers: sgd(8) }));
const steps = Math.min(limits.max_steps, Math.floor(limits.max_request_cost / probe.stepCost()));
probe.delete();
const spec = { problem: { expr }, steps, start: [1, 1], optimizers: sgd(8) };
const hash = `#exp=${Buffer.from(JSON.stringify(spec)).toString('base64url')}`;

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  const t0 = Date.now();
  await page.goto(server.url + hash);
  await page.waitForFunction(() => window.optlab?.app, null, { timeout: 30_000 });
  await page.evaluate(() => {
    window.latencies = [];
    document.addEventListener('pointerdown', (e) => window.latencies.push(performance.now() - e.timeStamp), true);
  });
  while (await page.evaluate(() => window.optlab.app.owed() !== null)) {
    await page.mouse.click(5, 700); // empty margin: nothing to trigger
    await page.waitForTimeout(200);
  }
  const openS = (Date.now() - t0) / 1000;
  const lat = (await page.evaluate(() => window.latencies)).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(0);
  console.log(`link at the budget limit (8 runs × ${steps.toLocaleString('en-US')} steps of a ${expr.length}-character formula, ` +
    `max_request_cost ${limits.max_request_cost.toExponential(0)}): open to last step ${openS.toFixed(1)} s in Chromium`);
  console.log(`input latency while computing (${lat.length} clicks): median ${q(0.5)} ms, 95th percentile ${q(0.95)} ms, worst ${q(1)} ms; target 100 ms`);
} finally {
  await browser.close();
  await server.stop();
}
