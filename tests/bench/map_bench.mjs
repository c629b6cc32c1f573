// Map benchmark in the wasm module, as a page's Web Worker computes (one MapJob per worker, so one
// job here is one worker): a map's steps per second against a single run's (Session.stepBy) on the
// same landscape and optimizer, and the 32x32 coarse map's seconds. Part of npm run bench;
// the native figures (threads) come from optlab_map_bench.
import { loadOptLab } from '../wasm/load.mjs';

const M = await loadOptLab();

function best(reps, fn) {
  let b = Infinity;
  for (let i = 0; i < reps; i++) b = Math.min(b, fn());
  return b;
}

// The page's single run: a Session stepping 100,000 steps (runExperiment would add the result
// JSON's printing, which a map does not do).
const runnerSpec = JSON.stringify({ problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 0,
  optimizers: [{ name: 'adam', lr: 0.01 }] });
// same: every cell with the single run's settings (axes of zero width), as in optlab_map_bench.
const adamMap = (n, same) => JSON.stringify({ problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 500,
  optimizers: [{ name: 'adam', lr: 0.01 }],
  map: { kind: 'hyper', measure: 'steps', tolerance: 1e-4,
    x: { param: 'lr', from: same ? 0.01 : 1e-4, to: same ? 0.01 : 1, n, scale: 'log' },
    y: { param: 'betas.0', from: same ? 0.9 : 0, to: same ? 0.9 : 0.99, n } } });

// One job computing every cell in slices of 64, as a worker would, then assembling. Returns
// [seconds, steps the cells took].
function mapRun(n, same = false) {
  const t0 = performance.now();
  const job = new M.MapJob(adamMap(n, same));
  const cells = JSON.parse(job.plan()).cells;
  const rows = new Float64Array(5 * cells);
  for (let c = 0; c < cells; c += 64) {
    const slice = [];
    for (let k = c; k < Math.min(cells, c + 64); k++) slice.push(k);
    rows.set(job.run(slice), 5 * c);
  }
  job.assemble(rows);
  job.delete();
  const s = (performance.now() - t0) / 1000;
  let steps = 0;
  for (let c = 0; c < cells; c++) steps += rows[5 * c + 1] >= 0 ? rows[5 * c + 1] : 500;
  return [s, steps];
}

// V8 compiles wasm in tiers: warm both paths up before timing anything.
mapRun(32, true);
mapRun(32);
// CPU seconds of this process: on a machine other jobs share, wall time says how much of a core
// the scheduler gave, CPU time what the work cost.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
// The single runs as the page makes them (a Session each, stepped 500 steps; and one of 100,000
// steps) and the map, measured in turn, best of 5 each.
const sessionSeconds = (steps, runs) => {
  const t0 = cpu();
  for (let r = 0; r < runs; r++) {
    const s = new M.Session(runnerSpec);
    try { s.stepBy(steps); } finally { s.delete(); }
  }
  return cpu() - t0;
};
let runnerS = Infinity, longS = Infinity, sameS = Infinity, taken = 0;
for (let r = 0; r < 5; r++) {
  runnerS = Math.min(runnerS, sessionSeconds(500, 1024));
  longS = Math.min(longS, sessionSeconds(100000, 1));
  const t0 = cpu();
  const [, steps] = mapRun(64, true);
  sameS = Math.min(sameS, cpu() - t0);
  taken = steps;
}
const runnerStepsPerS = 500 * 1024 / runnerS;
const longStepsPerS = 100000 / longS;
const perWorker = taken / sameS;
const realS = best(3, () => { const [s, steps] = mapRun(64); taken = steps; return s; });
const realPerWorker = taken / realS;
const coarseS = best(3, () => mapRun(32)[0]);
console.log('map benchmark (wasm, one MapJob = one worker)');
console.log(`  single runs (a Session each, 500 steps), Adam on Rosenbrock, steps per CPU s ${runnerStepsPerS.toFixed(0).padStart(10)}`);
console.log(`    (one 100,000-step Session: ${longStepsPerS.toFixed(0)})`);
console.log(`  64x64 map, 500 steps, the run's settings in every cell, steps per CPU s   ${perWorker.toFixed(0).padStart(10)}`);
console.log(`    ratio map per worker / runner (target >= 0.8)                ${(perWorker / runnerStepsPerS).toFixed(2).padStart(10)}`);
console.log(`  64x64 lr x betas.0 map, one job, steps taken/s                 ${realPerWorker.toFixed(0).padStart(10)}`);
console.log(`  32x32 coarse map, one job, s (target < 0.5)                    ${coarseS.toFixed(3).padStart(10)}`);
console.log(JSON.stringify({ wasm_runner_steps_per_s: Math.round(runnerStepsPerS), wasm_session_100k_steps_per_s: Math.round(longStepsPerS), wasm_map_steps_per_s: Math.round(perWorker),
  wasm_map_ratio: +(perWorker / runnerStepsPerS).toFixed(3), wasm_real_map_steps_per_s: Math.round(realPerWorker), wasm_map_32_s: +coarseS.toFixed(3) }));
