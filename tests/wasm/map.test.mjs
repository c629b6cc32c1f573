// Maps in the module (Module.MapJob): cells run in any order and slices assemble to the bytes
// `optlab map` prints; every cell is the single run; bad requests throw the CLI's message; deleted
// jobs give their memory back. And Module.momentumPhase.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli } from './load.mjs';

const M = await loadOptLab();
const ROW = 5;

const mapCli = (text, threads = 2) => spawnSync(nativeCli, ['map', '-', '--threads', String(threads)], { input: text, encoding: 'utf8' });

const specs = {
  adamLrBeta1: { problem: { name: 'rosenbrock' }, start: [-1.5, 2], steps: 200,
    optimizers: [{ name: 'sgd' }, { name: 'adam', lr: 0.01 }],
    map: { kind: 'hyper', run: 1, measure: 'steps', tolerance: 0.01,
      x: { param: 'lr', from: 0.001, to: 3, n: 9, scale: 'log' }, y: { param: 'betas.0', from: 0, to: 0.99, n: 6 } } },
  himmelblauBasins: { problem: { name: 'himmelblau' }, steps: 300, optimizers: [{ name: 'sgd', lr: 0.01, momentum: 0.9 }],
    map: { kind: 'start', measure: 'basin', x: { param: 'x', from: -5, to: 5, n: 11 }, y: { param: 'y', from: -5, to: 5, n: 7 } } },
  formulaBasins: { problem: { expr: '(x^2 - 1)^2 + (y^2 - 1)^2' }, steps: 200, optimizers: [{ name: 'adam', lr: 0.05 }],
    map: { kind: 'start', measure: 'basin', x: { param: 'x', from: -2, to: 2, n: 10 }, y: { param: 'y', from: -2, to: 2, n: 10 } } },
  sgdFinalLoss: { problem: { name: 'quadratic' }, start: [1, 1], steps: 100, optimizers: [{ name: 'sgd' }],
    map: { kind: 'hyper', measure: 'final_loss', x: { param: 'lr', from: 0.01, to: 0.5, n: 8 }, y: { param: 'momentum', from: 0, to: 0.95, n: 5 } } },
};

// All cells through a job, in a shuffled order and uneven slices (as workers would), then put in
// cell order and assembled.
function computeInSlices(text) {
  const job = new M.MapJob(text);
  try {
    const plan = JSON.parse(job.plan());
    const order = [...Array(plan.cells).keys()];
    for (let i = order.length - 1; i > 0; i--) {  // a fixed shuffle
      const j = (i * 7919) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const rows = new Float64Array(ROW * plan.cells);
    for (let start = 0, k = 0; start < order.length; k++) {
      const slice = order.slice(start, start + 1 + (k % 13));
      const out = job.run(k % 2 ? Int32Array.from(slice) : slice);
      assert.ok(out instanceof Float64Array);
      assert.equal(out.length, ROW * slice.length);
      slice.forEach((c, s) => rows.set(out.subarray(ROW * s, ROW * s + ROW), ROW * c));
      start += slice.length;
    }
    return { plan, text: job.assemble(rows), rows };
  } finally {
    job.delete();
  }
}

for (const [name, spec] of Object.entries(specs)) {
  test(`${name}: slices in any order assemble to the bytes optlab map prints`, () => {
    const text = JSON.stringify(spec);
    const cli = mapCli(text);
    assert.equal(cli.status, 0, cli.stderr);
    const { plan, text: got } = computeInSlices(text);
    assert.equal(got, cli.stdout);
    const out = JSON.parse(got);
    assert.equal(plan.nx, spec.map.x.n);
    assert.equal(plan.ny, spec.map.y.n);
    assert.equal(plan.cells, plan.nx * plan.ny);
    assert.deepEqual(plan.x, out.x.values);
    assert.deepEqual(plan.y, out.y.values);
    assert.equal(plan.kind, spec.map.kind);
    assert.equal(plan.measure, spec.map.measure);
  });
}

test('optlab map prints the same bytes on 1 and 3 threads', () => {
  for (const spec of [specs.adamLrBeta1, specs.formulaBasins]) {
    const one = mapCli(JSON.stringify(spec), 1), three = mapCli(JSON.stringify(spec), 3);
    assert.equal(one.status, 0, one.stderr);
    assert.equal(three.stdout, one.stdout);
  }
});

test('a cell is the single run: its row matches runExperiment of the same settings', () => {
  const spec = specs.sgdFinalLoss;
  const { plan, rows } = computeInSlices(JSON.stringify(spec));
  let diverged = 0;
  for (const c of [0, 7, 13, 22, 39]) {
    const i = c % plan.nx, j = Math.floor(c / plan.nx);
    const single = { ...spec, optimizers: [{ ...spec.optimizers[0], lr: plan.x[i], momentum: plan.y[j] }] };
    delete single.map;
    const run = JSON.parse(M.runExperiment(JSON.stringify(single))).runs[0];
    const row = rows.subarray(ROW * c, ROW * c + ROW);
    assert.equal(row[1], run.diverged_at === null ? -1 : run.diverged_at, `cell ${c}`);
    const end = run.params[run.params.length - 1];
    if (run.diverged_at === null) {
      assert.equal(row[0], run.loss[run.loss.length - 1]);
      assert.equal(row[3], end[0]);
      assert.equal(row[4], end[1]);
    } else {
      diverged++;
      assert.ok(Number.isNaN(row[0]));
    }
  }
  assert.ok(diverged > 0 && diverged < 5, 'the samples cover both outcomes');
});

test('bad requests throw the CLI\'s message, naming the field', () => {
  const bad = [
    { ...specs.adamLrBeta1, map: { ...specs.adamLrBeta1.map, x: { param: 'lr', from: 0, to: 1, n: 4, scale: 'log' } } },
    { ...specs.adamLrBeta1, map: { ...specs.adamLrBeta1.map, x: { param: 'lr', from: 0.1, to: 1, n: 300 } } },
    { ...specs.adamLrBeta1, map: { ...specs.adamLrBeta1.map, y: { param: 'gamma', from: 0.1, to: 1, n: 3 } } },
    { ...specs.adamLrBeta1, map: { ...specs.adamLrBeta1.map, steps: 100000, x: { param: 'lr', from: 0.1, to: 1, n: 256 }, y: { param: 'betas.1', from: 0.5, to: 0.9, n: 256 } } },
    { ...specs.adamLrBeta1, map: { ...specs.adamLrBeta1.map, kind: 'sweep' } },
    { ...specs.formulaBasins, map: { ...specs.formulaBasins.map, measure: 'steps' } },
  ];
  for (const spec of bad) {
    const text = JSON.stringify(spec);
    const cli = mapCli(text);
    assert.equal(cli.status, 2);
    assert.equal(cli.stdout, '');
    const message = cli.stderr.trimEnd();
    assert.ok(/^map\.[a-z.]+: /.test(message), message);
    assert.throws(() => new M.MapJob(text), (e) => e instanceof Error && e.message === message);
  }
  assert.throws(() => new M.MapJob('{"problem": {"name": "booth"}'), /^Error: invalid JSON/);
});

test('run and assemble check what JavaScript hands them', () => {
  const job = new M.MapJob(JSON.stringify(specs.sgdFinalLoss));
  try {
    assert.throws(() => job.run([0, 40]), /^Error: MapJob\.run: a cell index is a whole number from 0 to 39, got 40/);
    assert.throws(() => job.run([1.5]), /^Error: MapJob\.run: a cell index is a whole number from 0 to 39, got 1\.5/);
    assert.throws(() => job.run(undefined), /^Error: MapJob\.run: expected an array or a typed array of numbers/);
    assert.throws(() => job.run(5), /^Error: MapJob\.run: expected an array/);
    assert.throws(() => job.assemble(new Float64Array(3)), /^Error: MapJob\.assemble: expected 200 numbers \(5 per cell\), got 3/);
    assert.equal(job.run([]).length, 0);
    // The job still works after the errors.
    assert.equal(job.run([3, 3]).length, 10);
  } finally {
    job.delete();
  }
});

test('20 map jobs created, run and deleted give their memory back', () => {
  const text = JSON.stringify(specs.adamLrBeta1);
  // Warm-up: what the first use allocates once and keeps (the registry's and the catalog's
  // tables built on first use, Embind's type records) is not a leak.
  const warm = new M.MapJob(text);
  warm.run([0, 1, 2]);
  warm.assemble(new Float64Array(ROW * 54));
  warm.delete();
  const before = M.heapBytesInUse();
  for (let k = 0; k < 20; k++) {
    const job = new M.MapJob(text);
    job.plan();
    job.run([k, k + 1, 53 - k]);
    job.delete();  // as a cancelled map does, before it finished
  }
  // No allowance for growth beyond malloc's own rounding: a job's spec, runner and problem are
  // several kilobytes, so even one kept job would exceed this.
  const grown = M.heapBytesInUse() - before;
  assert.ok(grown <= 256, `heap grew by ${grown} bytes`);
});

test('momentumPhase: the grid and the run\'s points, classified by the iteration\'s eigenvalues', () => {
  const out = JSON.parse(M.momentumPhase(JSON.stringify({ h: { from: 0, to: 4, n: 200 }, beta: { from: 0, to: 0.99, n: 100 },
    points: [{ lr: 0.1, momentum: 0.9, eigenvalues: [1, 10] }] })));
  assert.equal(out.h.length, 200);
  assert.equal(out.beta.length, 100);
  assert.equal(out.phase.length, 20000);
  assert.equal(out.rate.length, 20000);
  assert.deepEqual(out.phases, ['monotone', 'oscillates', 'diverges']);
  // Without momentum (row 0): x' = (1 - h)x, monotone below h = 1, oscillating to 2, then diverging
  // (h = 0 never moves: radius 1, which counts as not converging).
  out.h.forEach((h, i) => {
    const want = h === 0 ? 2 : h < 1 ? 0 : h < 2 ? 1 : 2;
    if (Math.abs(h - 1) > 1e-9 && Math.abs(h - 2) > 1e-9) assert.equal(out.phase[i], want, `h ${h}`);
    if (h < 2) assert.ok(Math.abs(out.rate[i] - Math.abs(1 - h)) < 1e-12);
  });
  // Momentum 0.9 with h = 0.1 and 1: complex pairs of modulus sqrt(0.9).
  assert.equal(out.points[0].length, 2);
  for (const p of out.points[0]) {
    assert.equal(p.phase, 1);
    assert.ok(Math.abs(p.rate - Math.sqrt(0.9)) < 1e-12);
  }
  assert.throws(() => M.momentumPhase('{"h": {"from": 0, "to": 4, "n": 2000}, "beta": {"from": 0, "to": 1, "n": 2}}'), /^Error: h\.n: /);
});
