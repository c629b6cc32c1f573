// The share-link format of web/state.js, without a browser: a state survives toHash/fromHash
// unchanged, and every kind of malformed or tampered link is refused with a message naming why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web/state.js';
import { loadOptLab } from '../wasm/load.mjs';

// The page takes its limits from the core's catalog at start; so does this test.
S.setLimits(JSON.parse((await loadOptLab()).catalog()).limits);

const enc = (obj) => `#exp=${Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj), 'utf8').toString('base64url')}`;
const base = S.defaultState();

test('a state round-trips through the link exactly', () => {
  const st = S.validatePatch(base, {
    problem: { expr: 'sin(x)*y^2 + 1e-3', noise: 0.25 },
    start: [0.1 + 0.2, -1 / 3],
    steps: 1234,
    seed: 2 ** 40 + 1,
    optimizers: [
      { name: 'adam', lr: 0.01, betas: [0.9, 0.999], amsgrad: true, label: 'Adam ünïcode ✓', color: '#cc79a7' },
      { name: 'sgd', lr: 1e-3, momentum: 0.9, nesterov: true },
    ],
    view: { xmin: -2.5, xmax: 1e-9, ymin: -1, ymax: 3 },
  });
  const back = S.fromHash(S.toHash(st), base);
  assert.equal(back.error, undefined);
  assert.deepEqual(S.toSpec(back.state), S.toSpec(st));
});

test('an empty link is not an error', () => {
  for (const hash of ['', '#', undefined]) assert.deepEqual(S.fromHash(hash, base), { state: null });
});

test('a link without start or view leaves them for the landscape to fill in', () => {
  const r = S.fromHash(enc({ problem: { name: 'booth' }, steps: 5, optimizers: [{ name: 'sgd' }] }), base);
  assert.equal(r.state.start, null);
  assert.equal(r.state.view, null);
  assert.equal(r.state.steps, 5);
});

const REFUSED = [
  ['#exp=', /not readable/],
  ['#exp=!!!', /not readable/],
  ['#exp=eyJwcm9ibGVtIjp7', /not readable/],
  [enc('[1, 2'), /not readable/],
  [enc('\u00ff\u00fe'.replace(/./g, '\uFFFD')), /not readable|expected/],
  ['#view=abc', /does not start with "exp="/],
  [enc([]), /expected a JSON object/],
  [enc({ steps: 0, optimizers: [{ name: 'sgd' }] }), /problem: missing/],
  [enc({ problem: { name: 'quadratic' }, steps: 0 }), /optimizers: missing/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd' }], extra: 1 }), /extra: unknown field/],
  [enc({ problem: { name: 'quadratic', expr: 'x' }, steps: 0, optimizers: [{ name: 'sgd' }] }), /either "name" or "expr"/],
  [enc({ problem: { name: 'quadratic', noise: -1 }, steps: 0, optimizers: [{ name: 'sgd' }] }), /problem.noise/],
  [enc({ problem: { name: '<script>' }, steps: 0, optimizers: [{ name: 'sgd' }] }), /problem.name/],
  [enc({ problem: { name: 'quadratic' }, steps: 1.5, optimizers: [{ name: 'sgd' }] }), /steps: expected a whole number/],
  [enc({ problem: { name: 'quadratic' }, steps: 2e6, optimizers: [{ name: 'sgd' }] }), /steps: expected a whole number/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, seed: -1, optimizers: [{ name: 'sgd' }] }), /seed/],
  [enc({ problem: { name: 'quadratic' }, start: [1], steps: 0, optimizers: [{ name: 'sgd' }] }), /start/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: Array(9).fill({ name: 'sgd' }) }), /1 to 8 optimizers/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd', lr: '1' }] }), /optimizers\[0\]\.lr/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd', color: 'red' }] }), /optimizers\[0\]\.color/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd', label: 'x'.repeat(S.limits().max_label_length + 1) }] }), /label/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd', 'lr;': 1 }] }), /not a hyperparameter name/],
  [enc({ problem: { name: 'quadratic' }, steps: 0, optimizers: [{ name: 'sgd' }], view: { xmin: 1, xmax: 0, ymin: 0, ymax: 1 } }), /view: needs xmin < xmax/],
];

for (const [hash, why] of REFUSED) {
  test(`refuses ${hash.slice(0, 60)}`, () => {
    const r = S.fromHash(hash, base);
    assert.equal(r.state, null);
    assert.match(r.error, why);
  });
}

test('the state says the step apply() reached when heavy work goes in slices, never more', () => {
  const store = S.createStore(base, { apply: (next) => Math.min(next.steps, 40), persist() {}, redraw() {} });
  assert.equal(store.setState({ steps: 100 }).steps, 40);
  assert.equal(store.setState({ steps: 30 }).steps, 30);
  const plain = S.createStore(base, { apply() {}, persist() {}, redraw() {} });
  assert.equal(plain.setState({ steps: 100 }).steps, 100, 'an apply() that returns nothing reached the step');
});

test('setState applies a patch through the table, refuses a bad one, and keeps untouched props', () => {
  const calls = [];
  const store = S.createStore(base, {
    apply: (next, prev) => { calls.push([next.steps, prev.steps]); },
    persist: (hash) => calls.push(hash),
    redraw: () => calls.push('redraw'),
  });
  const before = store.getState();
  store.setState({ steps: 3 });
  const after = store.getState();
  assert.equal(after.steps, 3);
  assert.equal(after.optimizers, before.optimizers, 'unchanged props keep their identity');
  assert.deepEqual(calls.slice(0, 1), [[3, 0]]);
  assert.equal(calls[1], S.toHash(after));
  assert.equal(calls[2], 'redraw');
  assert.throws(() => store.setState({ steps: -1 }), /steps/);
  assert.throws(() => store.setState({ nonsense: 1 }), /nonsense/);
  assert.equal(store.getState(), after, 'a refused patch changes nothing');
  // apply() may refuse too (the core rejects a value): the state stays as it was.
  const strict = S.createStore(base, { apply: () => { throw new Error('lr: Invalid learning rate: -1'); }, persist() {}, redraw() {} });
  assert.throws(() => strict.setState({ steps: 1 }), /Invalid learning rate/);
  assert.equal(strict.getState(), base);
});

test('removing runs keeps the selection on an existing run', () => {
  const st = S.validatePatch({ ...base, selected: 3 }, { optimizers: base.optimizers.slice(0, 2) });
  assert.equal(st.selected, 1);
});
