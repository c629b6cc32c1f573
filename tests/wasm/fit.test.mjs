// The fit problem through the wasm module (issue 13): the torch fixtures step by step, the same
// bytes as the native CLI, per-run batch sizes, the session's mini-batch and its own landscape,
// and errors as JavaScript Errors naming the field (exit code 2 in the CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli, root } from './load.mjs';

const M = await loadOptLab();
const fixture = JSON.parse(fs.readFileSync(`${root}/tests/fixtures/torch_fit.json`, 'utf8'));
const cli = (text) => spawnSync(nativeCli, ['run', '-'], { input: text, encoding: 'utf8' });

test('every fixture case matches torch at every step, with the native CLI\'s bytes', () => {
  assert.ok(fixture.cases.length >= 8);
  for (const c of fixture.cases) {
    const text = JSON.stringify(c.spec);
    const out = M.runExperiment(text);
    assert.equal(out, cli(text).stdout, `${c.case}: wasm and native differ`);
    const run = JSON.parse(out).runs[0];
    assert.equal(run.params.length, c.params.length);
    c.params.forEach((p, k) => {
      for (let d = 0; d < 2; d++) assert.ok(Math.abs(run.params[k][d] - p[d]) <= 1e-9 * Math.max(1, Math.abs(p[d])), `${c.case} step ${k}`);
      assert.ok(Math.abs(run.loss[k] - c.loss[k]) <= 1e-9 * Math.abs(c.loss[k]), `${c.case} loss ${k}`);
    });
  }
});

test('runs with their own batch sizes, side by side, in a session: batches and the batch landscape', () => {
  const spec = {
    problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 32, seed: 1 } }, steps: 0, seed: 2,
    optimizers: [{ name: 'sgd', lr: 0.1, batch_size: 1 }, { name: 'sgd', lr: 0.1, batch_size: 8 }, { name: 'sgd', lr: 0.1 }],
  };
  const s = new M.Session(JSON.stringify(spec));
  try {
    assert.equal(s.problemKind(), 'fit');
    s.stepBy(12);
    assert.deepEqual([0, 1, 2].map((i) => s.fitBatch(i, 11).length), [1, 8, 32]);
    const data = JSON.parse(s.fitData());
    assert.equal(data.model, 'line');
    assert.equal(data.x.length, 32);
    // The batch's own landscape at a grid point is the mean of its points' squared errors there.
    const rows = Array.from(s.fitBatch(1, 11));
    const g = s.batchGrid(1, 11, -1, 1, 0, 2, 3, 2);
    const at = (w, b) => rows.reduce((sum, r) => sum + (w * data.x[r] + b - data.y[r]) ** 2, 0) / rows.length;
    assert.ok(Math.abs(g[1 * 3 + 2] - at(1, 2)) <= 1e-12 * at(1, 2));
    const staying = JSON.parse(M.runExperiment(JSON.stringify({ ...spec, steps: 12 }))).runs;
    assert.deepEqual(staying.map((r) => r.steps_per_epoch), [32, 4, undefined]);
    assert.throws(() => s.fitBatch(5, 0), (e) => e instanceof Error && /run 5 does not exist/.test(e.message));
  } finally {
    s.delete();
  }
});

test('bad fit input is a JavaScript Error naming the field, exit code 2 in the CLI', () => {
  const bad = [
    [{ name: 'fit', model: 'line', data: { x: [1, 2, Number.NaN], y: [1, 2, 3] } }, 'problem.data.x[2]'],
    [{ name: 'fit', model: 'logistic', data: { x: [[1, 2], [3, 4]], y: [0, 3] } }, 'problem.data.y[1]'],
    [{ name: 'fit', data: { x: [1], y: [2] } }, 'problem.data.x'],
    [{ name: 'fit', data: { name: 'noisy_line', n: 8 }, batch_size: 9 }, 'problem.batch_size'],
  ];
  for (const [problem, field] of bad) {
    const text = JSON.stringify({ problem, steps: 2, optimizers: [{ name: 'sgd' }] });
    assert.throws(() => M.runExperiment(text), (e) => e instanceof Error && e.message.startsWith(`${field}`), field);
    const r = cli(text);
    assert.equal(r.status, 2, field);
    assert.ok(r.stderr.includes(field), r.stderr);
  }
  const perRun = JSON.stringify({ problem: { name: 'booth' }, steps: 2, optimizers: [{ name: 'sgd', batch_size: 2 }] });
  assert.throws(() => M.runExperiment(perRun), (e) => e.message.startsWith('optimizers[0].batch_size:'));
});

test('runStatus says each run\'s batch size and epoch length; runBatch gives a network run its own batches', () => {
  const fit = new M.Session(JSON.stringify({
    problem: { name: 'fit', data: { name: 'noisy_line', n: 10 } }, steps: 0,
    optimizers: [{ name: 'sgd', batch_size: 3 }, { name: 'sgd' }],
  }));
  try {
    assert.deepEqual(JSON.parse(fit.runStatus(0)), { status: 'ok', diverged_at: null, batch_size: 3, steps_per_epoch: 4, rows: 10 });
    assert.deepEqual(JSON.parse(fit.runStatus(1)), { status: 'ok', diverged_at: null, batch_size: null, steps_per_epoch: 1, rows: 10 });
  } finally {
    fit.delete();
  }
  const net = new M.Session(JSON.stringify({
    problem: { name: 'mlp', data: { name: 'moons', n: 20, seed: 1, test_fraction: 0 }, layers: [2, 3, 1], batch_size: 5 }, steps: 0,
    optimizers: [{ name: 'sgd', batch_size: 2 }, { name: 'sgd' }],
  }));
  try {
    assert.equal(net.runBatch(0, 3).length, 2);
    assert.deepEqual(Array.from(net.runBatch(1, 3)), Array.from(net.batch(3)));
    assert.equal(net.batch(3).length, 5);
    assert.throws(() => net.runBatch(2, 0), /run 2 does not exist/);
  } finally {
    net.delete();
  }
});
