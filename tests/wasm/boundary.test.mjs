// The module's boundary: the one catalog call, goTo and internalsAt done by the core, and numbers
// from JavaScript checked (NaN, fractions, negatives get an error naming the argument).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab } from './load.mjs';
import { Engine } from '../../web/engine.js';

let M;
before(async () => { M = await loadOptLab(); });

const landscape = {
  problem: { name: 'rosenbrock', noise: 0.3 }, start: [-1.5, 2], steps: 0, seed: 5,
  optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.0008, momentum: 0.9 }],
};
const network = {
  problem: { name: 'mlp', data: { name: 'moons', n: 24 }, layers: [2, 4, 1], batch_size: 8 }, steps: 5, seed: 2,
  optimizers: [{ name: 'adam', lr: 0.01 }],
};

function withSession(spec, fn) {
  const s = new M.Session(JSON.stringify(spec));
  try { return fn(s); } finally { s.delete(); }
}

function accepted(spec) {
  try {
    new M.Session(JSON.stringify({ ...spec, steps: 0 })).delete();
    return true;
  } catch (e) {
    return false;
  }
}

test('catalog holds the same optimizers and landscapes as their own calls, and the limits', () => {
  const c = JSON.parse(M.catalog());
  assert.deepEqual(c.optimizers, JSON.parse(M.optimizerCatalog()));
  assert.deepEqual(c.landscapes, JSON.parse(M.landscapeCatalog()));
  assert.ok(c.datasets.some((d) => d.name === 'spiral' && d.params.some((p) => p.name === 'classes')));
  assert.ok(c.activations.includes('tanh') && c.losses.includes('cross_entropy'));
  for (const name of ['max_steps', 'max_optimizers', 'max_formula_length', 'max_formula_depth', 'max_label_length',
    'max_layers', 'max_hidden_width', 'max_points', 'max_plane_grid'])
    assert.equal(typeof c.limits[name], 'number', name);
  const engine = new Engine(M);
  assert.deepEqual(engine.catalog, c);
  assert.equal(engine.landscapes, engine.catalog.landscapes);
  assert.equal(engine.optimizers, engine.catalog.optimizers);
});

test('each published limit is where the validator draws the line', () => {
  const { limits } = JSON.parse(M.catalog());
  const steps = (n) => JSON.stringify({ ...landscape, steps: n });
  // The message names the very limit (running max_steps itself would take too long here; the
  // native catalog_test parses a spec at max_steps).
  assert.throws(() => M.runExperiment(steps(limits.max_steps + 1)), new RegExp(`^Error: steps: .*${limits.max_steps}`));
  const many = (k) => ({ ...landscape, optimizers: Array.from({ length: k }, () => ({ name: 'sgd' })) });
  assert.ok(accepted(many(limits.max_optimizers)));
  assert.ok(!accepted(many(limits.max_optimizers + 1)));
  const label = (k) => ({ ...landscape, optimizers: [{ name: 'sgd', label: 'a'.repeat(k) }] });
  assert.ok(accepted(label(limits.max_label_length)));
  assert.ok(!accepted(label(limits.max_label_length + 1)));
  assert.equal(JSON.parse(M.checkFormula('x' + ' '.repeat(limits.max_formula_length - 1))).ok, true);
  assert.equal(JSON.parse(M.checkFormula('x' + ' '.repeat(limits.max_formula_length))).ok, false);
  const width = (w) => ({ ...network, problem: { ...network.problem, layers: [2, w, 1] } });
  assert.ok(accepted(width(limits.max_hidden_width)));
  assert.ok(!accepted(width(limits.max_hidden_width + 1)));
});

test('goTo moves exactly as stepping and back do, below the window too', () => {
  withSession(landscape, (s) => {
    withSession(landscape, (ref) => {
      for (const target of [40, 12, 300, 0, 3]) {
        s.goTo(target);
        ref.reset();
        ref.stepBy(target);
        assert.equal(s.stepCount(), target);
        for (let i = 0; i < 2; i++) assert.deepEqual(Array.from(s.params(i)), Array.from(ref.params(i)));
        assert.equal(s.internals(1), ref.internals(1));
      }
    });
  });
});

test('internalsAt(i, k) equals the internals after going back to k, and does not move the session', () => {
  withSession(landscape, (s) => {
    s.stepBy(150);
    const losses = Array.from(s.losses(0));
    for (const k of [150, 149, 100, 64, 63, 1, 0]) {
      withSession(landscape, (ref) => {
        ref.stepBy(150);
        ref.back(150 - k);
        for (let i = 0; i < 2; i++) assert.equal(s.internalsAt(i, k), ref.internals(i), `run ${i} step ${k}`);
      });
    }
    assert.equal(s.stepCount(), 150);
    assert.deepEqual(Array.from(s.losses(0)), losses);
    assert.throws(() => s.internalsAt(0, 151), /outside \[0, 150\]/);
    assert.throws(() => s.internalsAt(0, 2.5), /internalsAt: n must be a whole number >= 0, got 2\.5/);
  });
});

test('numbers from JavaScript are checked and named', () => {
  withSession(landscape, (s) => {
    s.stepBy(3);
    assert.throws(() => s.params(NaN), /params: the run index must be a whole number >= 0, got NaN/);
    assert.throws(() => s.losses(1.5), /losses: the run index must be a whole number >= 0, got 1\.5/);
    assert.throws(() => s.internals(-1), /internals: the run index must be a whole number >= 0, got -1/);
    assert.throws(() => s.runStatus(7), /run 7 does not exist/);
    assert.throws(() => s.stepBy(-2), /stepBy: n must be a whole number >= 0, got -2/);
    assert.throws(() => s.goTo(NaN), /goTo: n must be a whole number >= 0, got NaN/);
    assert.throws(() => s.grid(-1, 1, -1, 1, NaN, 4), /grid: nx must be a whole number, got NaN/);
    assert.throws(() => s.grid(-1, 1, -1, 1, 4, 1e12), /grid: ny must be a whole number, got 1000000000000/);
    assert.throws(() => s.setOptimizer(0.5, '{"name": "sgd"}'), /setOptimizer: the run index/);
    assert.equal(s.stepCount(), 3);
  });
  withSession(network, (s) => {
    assert.throws(() => s.layers(NaN), /layers: the run index must be a whole number >= 0, got NaN/);
    assert.throws(() => s.predictGrid(0, -1, 1, -1, 1, 2.5, 4), /predictGrid: nx must be a whole number, got 2\.5/);
    assert.throws(() => s.setPlane('random', -1, 0, 0), /setPlane: seed must be a whole number/);
    assert.throws(() => s.setPlane('weights', 0, 0.5, 1), /setPlane: a must be a whole number, got 0\.5/);
    s.setPlane('pca', NaN, NaN, NaN);  // pca reads no numbers
    assert.throws(() => s.planeGrid(-1, 1, -1, 1, -2), /planeGrid: n must be a whole number from 2 to 256, got -2/);
    assert.throws(() => s.batch(-1), /batch: n must be a whole number >= 0, got -1/);
  });
});

test('planeGrid refuses a huge n before allocating anything', () => {
  withSession(network, (s) => {
    s.setPlane('random', 1, 0, 0);
    s.planeGrid(-1, 1, -1, 1, 8);  // warm up what a grid allocates once
    const before = M.heapBytesInUse();
    const memory = M.HEAP8.buffer.byteLength;
    assert.throws(() => s.planeGrid(-1, 1, -1, 1, 15000), /planeGrid: n must be a whole number from 2 to 256, got 15000/);
    assert.ok(M.heapBytesInUse() <= before + 1024, `heap grew by ${M.heapBytesInUse() - before} bytes`);
    assert.equal(M.HEAP8.buffer.byteLength, memory, 'the wasm memory grew');
  });
});

test('checkSpec is the core validator alone: the CLI\'s message for a bad spec, nothing run for a good one', () => {
  const good = JSON.stringify({ problem: { name: 'booth' }, steps: 3, optimizers: [{ name: 'sgd' }] });
  assert.equal(M.checkSpec(good), true);
  assert.throws(() => M.checkSpec(JSON.stringify({ problem: { name: 'booth' }, steps: 3, optimizers: [{ name: 'sgd', ['__proto__']: 1 }] })),
    /^Error: optimizers\[0\]\.__proto__: unknown hyperparameter/);
  assert.throws(() => M.checkSpec('{"problem": {"name": "booth"}, "steps": 3, "optimizers": [{"name": "sgd"}], "view": {"xmin": 1, "xmax": 0, "ymin": 0, "ymax": 1}}'),
    /view: needs xmin < xmax and ymin < ymax/);
});

test('a lone surrogate in text passed straight to the module is refused, not merged with the next character', () => {
  const spec = (label) => `{"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd", "label": "${label}"}]}`;
  assert.throws(() => M.checkSpec(spec('a\uD800b')), /not well-formed Unicode: it holds a lone surrogate \(\\ud800\)/);
  assert.throws(() => new M.Session(spec('\uDC00x')), /not well-formed Unicode: it holds a lone surrogate \(\\udc00\)/);
  assert.equal(M.checkSpec(spec('pair \uD83D\uDE00 ok')), true);
  const s = new M.Session(spec('\uD83D\uDE00'));
  try {
    assert.equal(JSON.parse(s.internals(0)).label, '\uD83D\uDE00');
  } finally {
    s.delete();
  }
});
