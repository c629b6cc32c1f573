// The network problem through the wasm module: same bytes as the CLI, the page's network API,
// exact step-back, and the weight-space plane.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli } from './load.mjs';

let M;
before(async () => { M = await loadOptLab(); });

const problem = {
  name: 'mlp', data: { name: 'spiral', n: 60, classes: 2, noise: 0.1, seed: 2, test_fraction: 0.25 },
  layers: [2, 6, 6, 1], activation: 'tanh', loss: 'bce', batch_size: 16, init: { seed: 3 },
};
const spec = (extra = {}) => JSON.stringify({ problem, steps: 0, seed: 4,
  optimizers: [{ name: 'adam', lr: 0.02 }, { name: 'sgd', lr: 0.2, momentum: 0.9 }], ...extra });

function withSession(text, fn) {
  const s = new M.Session(text);
  try { return fn(s); } finally { s.delete(); }
}

test('runExperiment on a network equals the native CLI and carries the network series', () => {
  const text = spec({ steps: 25, record_params: true });
  const native = spawnSync(nativeCli, ['run', '-'], { input: text, encoding: 'utf8' });
  assert.equal(native.status, 0, native.stderr);
  const wasm = M.runExperiment(text);
  assert.equal(wasm, native.stdout);
  const run = JSON.parse(wasm).runs[0];
  for (const key of ['params', 'loss', 'batch_loss', 'accuracy', 'test_loss']) assert.equal(run[key].length, 26, key);
  assert.equal(run.params[0].length, 2 * 6 + 6 + 6 * 6 + 6 + 6 + 1);
  assert.equal(JSON.parse(M.runExperiment(spec({ steps: 5 }))).runs[0].params, undefined, 'params only on request');
});

test('the session exposes data, batches, predictions, layers and a trace', () => {
  withSession(spec(), (s) => {
    assert.equal(s.problemKind(), 'mlp');
    const data = JSON.parse(s.dataset());
    assert.equal(data.train.x.length, 45);
    assert.equal(data.test.x.length, 15);
    assert.equal(data.batches_per_epoch, 3);
    const epoch = [...s.batch(0), ...s.batch(1), ...s.batch(2)].sort((a, b) => a - b);
    assert.deepEqual(epoch, Array.from({ length: 45 }, (_, i) => i), 'an epoch covers every point once');
    const before = s.predictGrid(0, -1, 1, -1, 1, 10, 10);
    assert.equal(before.length, 200);
    s.stepBy(20);
    assert.notDeepEqual(Array.from(s.predictGrid(0, -1, 1, -1, 1, 10, 10)), Array.from(before));
    assert.deepEqual(JSON.parse(s.metricNames()), ['batch_loss', 'accuracy', 'test_loss']);
    assert.equal(s.metric(0, 'accuracy').length, 21);
    const layers = JSON.parse(s.layers(1));
    assert.equal(layers.length, 3);
    assert.ok(layers[0].grad_norm > 0 && layers[0].update_norm > 0);
    assert.ok(Math.abs(layers[0].step_size - layers[0].update_norm / layers[0].grad_norm) < 1e-15);
    assert.equal(s.weights(0).length, 67);
    const trace = JSON.parse(s.trace(0, '[0, 1]'));
    assert.equal(trace.rows.length, 2);
    assert.equal(trace.nodes.at(-1).name, 'loss');
    assert.throws(() => s.trace(0, '[1000]'), Error);
  });
});

test('back on a network is exact, trail and metrics included', () => {
  const expected = withSession(spec(), (s) => { s.stepBy(70); return [s.internals(0), Array.from(s.metric(1, 'batch_loss')), Array.from(s.trailSteps(0))]; });
  withSession(spec(), (s) => {
    s.stepBy(130);
    s.back(60);
    assert.deepEqual([s.internals(0), Array.from(s.metric(1, 'batch_loss')), Array.from(s.trailSteps(0))], expected);
  });
});

test('weight-space plane: grid centre is the initial loss, paths start at the origin', () => {
  withSession(spec(), (s) => {
    s.stepBy(40);
    for (const [kind, a, b] of [['random', 0, 0], ['pca', 0, 0], ['weights', 0, 5]]) {
      s.setPlane(kind, 7, a, b);
      const grid = s.planeGrid(-1, 1, -1, 1, 3);
      assert.ok(Math.abs(grid[4] - s.losses(0)[0]) < 1e-12, kind);
      const p = s.planePath(0);
      assert.equal(p.length, 2 * s.trailSteps(0).length);
      assert.ok(Math.abs(p[0]) < 1e-12 && Math.abs(p[1]) < 1e-12);
    }
    assert.throws(() => s.setPlane('nope', 0, 0, 0), /unknown kind 'nope'/);
  });
});

test('network spec errors name the field', () => {
  const bad = JSON.stringify({ problem: { ...problem, layers: [2, 0, 1] }, steps: 1, optimizers: [{ name: 'sgd' }] });
  assert.throws(() => new M.Session(bad), /problem\.layers\[1\]/);
  withSession(JSON.stringify({ problem: { name: 'booth' }, steps: 1, optimizers: [{ name: 'sgd' }] }), (s) => {
    assert.throws(() => s.dataset(), /not a neural network/);
  });
});
