// The wasm side of issue 17: parseCsv (the core's CSV reader, errors as JS Errors naming row and
// column), networks with features and L1 in a Session, the dataset's row lists the page edits
// points with, and Session.neuronGrid against the predictions it must agree with.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab, runCli } from './load.mjs';

let M;
before(async () => { M = await loadOptLab(); });

function withSession(spec, fn) {
  const s = new M.Session(JSON.stringify(spec));
  try { return fn(s); } finally { s.delete(); }
}

test('parseCsv returns the points of a data object', () => {
  assert.deepEqual(JSON.parse(M.parseCsv('x1,x2,label\n0.5,-1,0\n2,3,1\n', 'bce')), { x: [[0.5, -1], [2, 3]], y: [0, 1] });
  assert.deepEqual(JSON.parse(M.parseCsv('x,y\r\n1,2\r\n3,4\r\n', 'line')), { x: [1, 3], y: [2, 4] });
  assert.deepEqual(JSON.parse(M.parseCsv('1,7\n', 'mse')), { x: [[1, 0]], y: [7] });
});

test('parseCsv throws an Error naming the row and column', () => {
  assert.throws(() => M.parseCsv('x1,x2,label\n1,1,0\n1,1,2\n', 'bce'),
    { message: 'row 3, column 3 (label): expected 0 or 1 for binary cross-entropy, got 2' });
  assert.throws(() => M.parseCsv('1,1,0\n1,abc,0\n', 'cross_entropy'), { message: 'row 2, column 2 (x2): expected a number, got "abc"' });
  assert.throws(() => M.parseCsv('1,1,0\n1,1\n', 'bce'), { message: 'row 2, column 3 (label): missing (expected 3 columns: x1,x2,label)' });
  assert.throws(() => M.parseCsv('', 'mse'), /^Error: the file has no data rows/);
  assert.throws(() => M.parseCsv('1,2\n', 'huber'), /unknown target 'huber'/);
  // The module keeps working after an error.
  assert.equal(JSON.parse(M.parseCsv('1,2,1\n', 'bce')).y[0], 1);
});

const net = {
  problem: {
    name: 'mlp', data: { name: 'circles', n: 60, seed: 2, test_fraction: 0.25 }, layers: [5, 6, 1],
    features: ['x1^2', 'x2^2', 'x1*x2'], l1: 0.001, init: { seed: 3 },
  },
  optimizers: [{ name: 'adam', lr: 0.05 }], steps: 20, seed: 1,
};

test('a network with features and L1 trains in a Session as the CLI runs it, bit for bit', () => {
  const cli = JSON.parse(runCli(JSON.stringify(net)).stdout);
  withSession(net, (s) => {
    assert.deepEqual(Array.from(s.losses(0)), cli.runs[0].loss);
    const d = JSON.parse(s.dataset());
    assert.deepEqual(d.features, ['x1^2', 'x2^2', 'x1*x2']);
    assert.equal(d.l1, 0.001);
    assert.equal(d.train_rows.length + d.test_rows.length, 60);
    assert.deepEqual([...d.train_rows, ...d.test_rows].sort((a, b) => a - b), Array.from({ length: 60 }, (_, k) => k));
  });
});

test('neuronGrid is every hidden neuron over the grid, consistent with the output', () => {
  withSession({ ...net, problem: { ...net.problem, l1: 0 } }, (s) => {
    const box = { xmin: -1.5, xmax: 1.5, ymin: -1, ymax: 1 };
    const g = s.neuronGrid(0, 1, box.xmin, box.xmax, box.ymin, box.ymax, 4, 3);
    assert.equal(g.length, 6 * 12);
    const w = s.weights(0);
    // Output logit at grid point (i = 3, j = 2) = W2·h + b2; its sigmoid is predictGrid's value.
    const at = 2 * 4 + 3;
    let z = w[5 * 6 + 6 + 6];
    for (let k = 0; k < 6; k++) z += w[5 * 6 + 6 + k] * g[k * 12 + at];
    const p = s.predictGrid(0, box.xmin, box.xmax, box.ymin, box.ymax, 4, 3);
    assert.ok(Math.abs(1 / (1 + Math.exp(-z)) - p[at]) < 1e-12);
    assert.throws(() => s.neuronGrid(0, 2, box.xmin, box.xmax, box.ymin, box.ymax, 4, 3), /layer must be a hidden layer from 1 to 1/);
    assert.throws(() => s.neuronGrid(0, 1, box.xmin, box.xmax, box.ymin, box.ymax, 100, 3), /nx and ny must be in \[2, 64\]/);
  });
});

test('a bad features list is refused naming the field', () => {
  assert.throws(() => withSession({ ...net, problem: { ...net.problem, layers: [2, 6, 1] } }, () => {}),
    /problem.layers\[0\]: the input width must be 5 \(x1, x2 and the 3 features\), got 2/);
});
