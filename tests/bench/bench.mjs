// npm run bench: the core's speed natively and in wasm (same C++ benchmark built both ways), the
// module as the page uses it (Session stepping, grid evaluation), and a hand-written JavaScript
// function of the same formula for comparison. Prints a table and writes build/bench.json.
// Times are CPU time (native: the thread's; under node: the process's user + system), so other
// work on a shared machine does not count; best of several runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOptLab, root } from '../wasm/load.mjs';
import { Session } from '../../web/engine.js';

function runBench(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// CPU time of this process (user + system, so first-touched pages count), ms. Wall time on a
// shared 2-core machine measures the other processes too; a process's CPU time does not.
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function bestMs(reps, fn) {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = cpuMs();
    fn();
    best = Math.min(best, cpuMs() - t0);
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
const sessionNs = bestMs(9, () => {
  const s = new M.Session(adamSpec);
  try { s.stepBy(steps); } finally { s.delete(); }
}) * 1e6 / steps;
// runExperiment as the page calls it: parse, step, result JSON, the string handed to JavaScript.
const runSpec = JSON.stringify({ ...JSON.parse(adamSpec), steps });
const runExperimentNs = bestMs(9, () => M.runExperiment(runSpec)) * 1e6 / steps;

// Issue 18: 100 consecutive pan/zoom recomputations of a 512x512 grid, as the page makes them
// (engine.js's grid into a buffer the page keeps), against the old path (a fresh Float64Array
// copied out of wasm memory every call). p95 of the 100, ms.
function p95(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}
function panZoomP95(problem, fresh) {
  const s = new Session(M, { problem, steps: 0, optimizers: [{ name: 'sgd' }] });
  const out = new Float64Array(512 * 512);
  const times = [];
  let sink = 0;
  try {
    for (let k = 0; k < 110; k++) {
      const zoom = 1 + 0.02 * (k % 10);
      const view = { xmin: -2 / zoom + 0.01 * k, xmax: 2 / zoom + 0.01 * k, ymin: -1 / zoom, ymax: 3 / zoom - 0.005 * k };
      const t0 = cpuMs();
      const values = fresh ? s.use((h) => h.grid(view.xmin, view.xmax, view.ymin, view.ymax, 512, 512))
        : s.grid(view, 512, 512, out);
      if (k >= 10) times.push(cpuMs() - t0);  // the first 10 warm up the JIT
      sink += values[1234];
    }
  } finally {
    s.close();
  }
  return sink === 0.5 ? -1 : p95(times);
}
const gridRosenbrock = panZoomP95({ name: 'rosenbrock' }, false);
const gridRosenbrockFresh = panZoomP95({ name: 'rosenbrock' }, true);
const gridFormula = panZoomP95({ expr: '(1-x)^2 + 100*(y-x^2)^2' }, false);
const gridFormulaFresh = panZoomP95({ expr: '(1-x)^2 + 100*(y-x^2)^2' }, true);

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
  ['  hand-written loop, C library pow (glibc / musl), ns/step', native.hand_written_ns_per_step, wasmCore.hand_written_ns_per_step],
  ['  hand-written loop, portable pow (pm::pow), ns/step', native.hand_written_portable_pow_ns_per_step, wasmCore.hand_written_portable_pow_ns_per_step],
  ['  ratio runner / hand loop with C pow (target <= 2.5)', native.ratio, wasmCore.ratio],
  ['  ratio runner / hand loop with portable pow', native.ratio_portable_pow, wasmCore.ratio_portable_pow],
  ['Rosenbrock + Adam via Session.stepBy, ns/step', null, sessionNs],
  ['  ratio Session.stepBy / wasm hand loop with C pow (target <= 2.5)', null, sessionNs / wasmCore.hand_written_ns_per_step],
  ['result JSON of that run (result_to_json), ns/step', native.result_json_ns_per_step, wasmCore.result_json_ns_per_step],
  ['  ratio JSON / stepping (target <= 1)', native.json_over_stepping, wasmCore.json_over_stepping],
  ['runExperiment whole (parse, step, JSON, string to JS), ns/step', null, runExperimentNs],
  ['Session.grid 512x512 Rosenbrock, pan/zoom p95 of 100, kept buffer, ms (target <= 1)', null, gridRosenbrock],
  ['  the same, fresh Float64Array each call (the old path), ms', null, gridRosenbrockFresh],
  ['Session.grid 512x512 typed formula, pan/zoom p95 of 100, kept buffer, ms', null, gridFormula],
  ['  the same, fresh Float64Array each call (the old path), ms', null, gridFormulaFresh],
  ['typed-in Rosenbrock on 512x512 grid, ms (core, best of 20)', native.formula_grid_512_ms, wasmCore.formula_grid_512_ms],
  ['typed-in Rosenbrock on 512x512 grid, ms (Session.grid fresh, best of 20)', null, gridMs],
  ['hand-written JavaScript, same formula and grid, ms', null, jsMs],
  ['2-64-64-1 tanh net, 512 points, full batch, Adam, steps/s (runner)', native.mlp_64_steps_per_s, wasmCore.mlp_64_steps_per_s],
];
const fmt = (v) => (v === null ? '—' : v.toFixed(v < 10 ? 2 : 1));
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}`);
console.log(['measure'.padEnd(84), 'native'.padStart(9), 'wasm'.padStart(9)].join(' '));
for (const [name, n, w] of rows) console.log([name.padEnd(84), fmt(n).padStart(9), fmt(w).padStart(9)].join(' '));
fs.mkdirSync(path.join(root, 'build'), { recursive: true });
fs.writeFileSync(path.join(root, 'build/bench.json'), JSON.stringify({ native, wasmCore, sessionNs, runExperimentNs, gridRosenbrock, gridRosenbrockFresh, gridFormula, gridFormulaFresh, gridMs, jsMs }, null, 2));
