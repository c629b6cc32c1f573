// npm run bench: the core's speed natively and in wasm (same C++ benchmark built both ways), the
// module as the page uses it (Session stepping, grid evaluation), and a hand-written JavaScript
// function of the same formula for comparison. Prints a table and writes build/bench.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOptLab, root } from '../wasm/load.mjs';

function runBench(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function bestMs(reps, fn) {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

// OPTLAB_NATIVE_DIR / OPTLAB_WASM_DIR: benchmark other build directories (default build/*).
const nativeDir = process.env.OPTLAB_NATIVE_DIR ? path.resolve(process.env.OPTLAB_NATIVE_DIR) : path.join(root, 'build/native');
const wasmDir = process.env.OPTLAB_WASM_DIR ? path.resolve(process.env.OPTLAB_WASM_DIR) : path.join(root, 'build/wasm');
const native = runBench(path.join(nativeDir, 'optlab_bench'), []);
// --no-experimental-fetch: node 20's fetch rejects file paths, which 3.1.6 would try first.
const wasmCore = runBench(process.execPath, ['--no-experimental-fetch', path.join(wasmDir, 'optlab_bench.cjs')]);

const M = await loadOptLab();
const steps = 100000;
const adamSpec = JSON.stringify({ problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0,
  optimizers: [{ name: 'adam', lr: 0.01 }] });
const sessionNs = bestMs(5, () => {
  const s = new M.Session(adamSpec);
  try { s.stepBy(steps); } finally { s.delete(); }
}) * 1e6 / steps;

const exprSpec = JSON.stringify({ problem: { expr: '(1-x)^2 + 100*(y-x^2)^2' }, steps: 0, optimizers: [{ name: 'sgd' }] });
const session = new M.Session(exprSpec);
const gridMs = bestMs(20, () => session.grid(-2, 2, -1, 3, 512, 512));
session.delete();

// The same formula written by hand in JavaScript, filling a Float64Array the same way.
const jsGrid = new Float64Array(512 * 512);
const jsMs = bestMs(20, () => {
  for (let j = 0; j < 512; j++) {
    const y = -1 + (4 * j) / 511;
    for (let i = 0; i < 512; i++) {
      const x = -2 + (4 * i) / 511;
      jsGrid[j * 512 + i] = (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    }
  }
});

const rows = [
  ['Rosenbrock + Adam, ns/step (runner, 100k steps)', native.adam_rosenbrock_ns_per_step, wasmCore.adam_rosenbrock_ns_per_step],
  ['  hand-written C++ loop, gradient by hand, ns/step', native.hand_written_ns_per_step, wasmCore.hand_written_ns_per_step],
  ['  ratio runner / hand-written (target <= 3)', native.ratio, wasmCore.ratio],
  ['Rosenbrock + Adam via Session.stepBy, ns/step', null, sessionNs],
  ['typed-in Rosenbrock on 512x512 grid, ms (core)', native.formula_grid_512_ms, wasmCore.formula_grid_512_ms],
  ['typed-in Rosenbrock on 512x512 grid, ms (Session.grid, target < 10)', null, gridMs],
  ['hand-written JavaScript, same formula and grid, ms', null, jsMs],
  ['2-64-64-1 tanh net, 512 points, full batch, Adam, steps/s (runner)', native.mlp_64_steps_per_s, wasmCore.mlp_64_steps_per_s],
];
const fmt = (v) => (v === null ? '—' : v.toFixed(v < 10 ? 2 : 1));
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}`);
console.log(['measure'.padEnd(68), 'native'.padStart(9), 'wasm'.padStart(9)].join(' '));
for (const [name, n, w] of rows) console.log([name.padEnd(68), fmt(n).padStart(9), fmt(w).padStart(9)].join(' '));
fs.mkdirSync(path.join(root, 'build'), { recursive: true });
fs.writeFileSync(path.join(root, 'build/bench.json'), JSON.stringify({ native, wasmCore, sessionNs, gridMs, jsMs }, null, 2));
