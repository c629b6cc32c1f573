// The page's session API: steps, steps back exactly, restarts what it should, frees its memory.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab } from './load.mjs';

let M;
before(async () => { M = await loadOptLab(); });

const spec = JSON.stringify({
  problem: { name: 'rosenbrock', noise: 0.3 }, start: [-1.5, 2], steps: 0, seed: 5,
  optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.0008, momentum: 0.9 }, { name: 'rmsprop', lr: 0.01 }],
});

function withSession(text, fn) {
  const s = new M.Session(text);
  try { return fn(s); } finally { s.delete(); }
}

function snapshot(s) {
  const out = { step: s.stepCount(), runs: [] };
  for (let i = 0; i < s.runCount(); i++)
    out.runs.push({ params: Array.from(s.params(i)), losses: Array.from(s.losses(i)), internals: s.internals(i) });
  return out;
}

test('stepBy advances every run and the arrays are typed', () => {
  withSession(spec, (s) => {
    assert.equal(s.stepCount(), 0);
    s.stepBy(25);
    assert.equal(s.stepCount(), 25);
    for (let i = 0; i < 3; i++) {
      assert.ok(s.params(i) instanceof Float64Array);
      assert.equal(s.params(i).length, 2 * 26);
      assert.equal(s.losses(i).length, 26);
    }
    const internals = JSON.parse(s.internals(0));
    assert.equal(internals.name, 'adam');
    assert.equal(internals.step, 25);
    assert.deepEqual(internals.state.map((b) => b.name).slice(0, 2), ['exp_avg', 'exp_avg_sq']);
    assert.equal(internals.grad.length, 2);
  });
});

test('the session reproduces runExperiment', () => {
  const full = JSON.parse(M.runExperiment(spec.replace('"steps":0', '"steps":40')));
  withSession(spec, (s) => {
    s.stepBy(40);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(Array.from(s.losses(i)), full.runs[i].loss);
      assert.deepEqual(Array.from(s.params(i)), full.runs[i].params.flat());
    }
  });
});

test('back(k) gives exactly the state of k steps earlier, internals included', () => {
  const expected = withSession(spec, (s) => { s.stepBy(123); return snapshot(s); });
  withSession(spec, (s) => {
    s.stepBy(200);
    assert.equal(s.back(77), 77);
    assert.deepEqual(snapshot(s), expected);
    s.stepBy(1);
    s.back(1);
    assert.deepEqual(snapshot(s), expected);
  });
});

test('setOptimizer restarts that run only; setStart restarts all', () => {
  withSession(spec, (s) => {
    s.stepBy(30);
    const adam = Array.from(s.params(0));
    s.setOptimizer(1, JSON.stringify({ name: 'adagrad', lr: 0.5 }));
    assert.deepEqual(Array.from(s.params(0)), adam);
    assert.equal(JSON.parse(s.internals(1)).name, 'adagrad');
    assert.equal(s.losses(1).length, 31);
    assert.throws(() => s.setOptimizer(1, '{"name": "adagrad", "lr": -2}'), /optimizers\[1\]\.lr: Invalid learning rate/);
    assert.equal(JSON.parse(s.internals(1)).name, 'adagrad', 'a rejected change keeps the old run');
    s.setStart(0.25, 0.5);
    assert.equal(s.stepCount(), 0);
    assert.deepEqual(Array.from(s.params(2)), [0.25, 0.5]);
  });
});

test('grid evaluates the landscape over the view, row 0 at ymin', () => {
  withSession(spec, (s) => {
    const g = s.grid(-2, 2, -1, 3, 5, 3);
    assert.equal(g.length, 15);
    const f = (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    assert.ok(Math.abs(g[0] - f(-2, -1)) < 1e-12);
    assert.ok(Math.abs(g[14] - f(2, 3)) < 1e-12);
    assert.ok(Math.abs(g[5 + 2] - f(0, 1)) < 1e-12);
    assert.throws(() => s.grid(1, -1, 0, 1, 10, 10), /xmin < xmax/);
  });
});

test('constructor and method errors are JS Errors with the message', () => {
  assert.throws(() => new M.Session('{"problem": {"name": "nope"}, "steps": 1, "optimizers": [{"name": "sgd"}]}'),
    (e) => e instanceof Error && /problem\.name: unknown landscape 'nope'/.test(e.message));
  withSession(spec, (s) => {
    assert.throws(() => s.params(7), /run 7 does not exist/);
  });
});

test('creating and deleting 10,000 sessions does not grow the heap', () => {
  const cycle = () => withSession(spec, (s) => { s.stepBy(3); s.params(0); s.internals(1); });
  for (let i = 0; i < 200; i++) cycle();  // warm up allocator pools
  const before = M.heapBytesInUse();
  const memBefore = M.HEAPU8.buffer.byteLength;
  for (let i = 0; i < 10000; i++) cycle();
  const after = M.heapBytesInUse();
  assert.ok(after <= before + 1024, `heap grew from ${before} to ${after} bytes`);
  assert.equal(M.HEAPU8.buffer.byteLength, memBefore);
});

test('failed constructions do not leak either', () => {
  const bad = '{"problem": {"name": "rosenbrock"}, "steps": 1, "optimizers": [{"name": "sgd", "lr": -1}]}';
  for (let i = 0; i < 100; i++) assert.throws(() => new M.Session(bad));
  const before = M.heapBytesInUse();
  for (let i = 0; i < 2000; i++) assert.throws(() => new M.Session(bad));
  assert.ok(M.heapBytesInUse() <= before + 1024);
});

test('stepBy and back reject counts that are not whole numbers >= 0', () => {
  withSession(spec, (s) => {
    for (const bad of [NaN, -1, 2.5]) {
      assert.throws(() => s.stepBy(bad), /stepBy: n must be a whole number >= 0/);
      assert.throws(() => s.back(bad), /back: n must be a whole number >= 0/);
    }
    assert.equal(s.stepCount(), 0, 'a rejected call changes nothing');
    s.stepBy(3);
    assert.equal(s.back(1e300), 3);
  });
});
