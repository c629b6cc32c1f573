// An optimizer entry's "changes" in the page's state (web/state.js) and the run card's helpers
// (web/controls/from_here.js), without a browser: a link with changes round-trips, a malformed
// list is refused naming the field, and applying from here merges into the list in step order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as S from '../../web/state.js';
import { withChange, withoutChange, restored } from '../../web/controls/from_here.js';
import { loadOptLab } from '../wasm/load.mjs';

const M = await loadOptLab();
S.setLimits(JSON.parse(M.catalog()).limits);
S.setSpecCheck((spec) => M.checkSpec(JSON.stringify(spec)));
const base = S.defaultState();
const enc = (obj) => `#exp=${Buffer.from(JSON.stringify(obj), 'utf8').toString('base64url')}`;
const spec = (changes) => ({ problem: { name: 'quadratic' }, steps: 20, optimizers: [{ name: 'adam', lr: 0.1, changes }] });

test('a link with changes round-trips exactly', () => {
  const changes = [{ step: 5, lr: 0.05, betas: [0.8, 0.99] }, { step: 12, eps: 1e-6 }];
  const r = S.fromHash(enc(spec(changes)), base);
  assert.equal(r.error, undefined);
  assert.deepEqual(r.state.optimizers[0].changes, changes);
  assert.deepEqual(S.fromHash(S.toHash(r.state), base).state.optimizers[0].changes, changes);
});

test('malformed changes are refused naming the field', () => {
  for (const [changes, message] of [
    [{ step: 5, lr: 0.1 }, /optimizers\[0\]\.changes: expected a list/],
    [[5], /optimizers\[0\]\.changes/],
    [[{ step: 5, lr: -1 }], /optimizers\[0\]\.changes\[0\]\.lr: Invalid learning rate: -1/],
    [[{ step: 5, lr: 0.1 }, { step: 2, lr: 0.2 }], /optimizers\[0\]\.changes\[1\]\.step: 2 is not after/],
  ]) {
    const r = S.fromHash(enc(spec(changes)), base);
    assert.equal(r.state, null);
    assert.match(r.error, message);
  }
  // A patch is checked for shape too (the core judges the values when the session takes it).
  assert.throws(() => S.validatePatch(base, { optimizers: [{ name: 'sgd', changes: 'lr' }] }), /optimizers\[0\]\.changes: expected a list/);
});

test('applying from here merges into the change at that step or inserts in step order', () => {
  const run = { name: 'sgd', lr: 0.1, changes: [{ step: 10, lr: 0.05 }, { step: 30, momentum: 0.5 }] };
  assert.deepEqual(withChange(run, 20, { lr: 0.2 }).changes, [{ step: 10, lr: 0.05 }, { step: 20, lr: 0.2 }, { step: 30, momentum: 0.5 }]);
  assert.deepEqual(withChange(run, 10, { momentum: 0.9 }).changes, [{ step: 10, lr: 0.05, momentum: 0.9 }, { step: 30, momentum: 0.5 }]);
  assert.deepEqual(withChange({ name: 'sgd' }, 4, { lr: 1 }), { name: 'sgd', changes: [{ step: 4, lr: 1 }] });
  assert.deepEqual(run.changes[0], { step: 10, lr: 0.05 }, 'the run itself is left as it was');
  assert.deepEqual(withoutChange(run, 0), { name: 'sgd', lr: 0.1, changes: [{ step: 30, momentum: 0.5 }] });
  assert.deepEqual(withoutChange(withoutChange(run, 0), 0), { name: 'sgd', lr: 0.1 });
  // The edited names go back to their values from before the edit (absent: torch's default).
  assert.deepEqual(restored({ name: 'adam', lr: 0.2, betas: [0.5, 0.9], color: '#000000' }, { lr: 0.1, betas: undefined }),
    { name: 'adam', lr: 0.1, color: '#000000' });
  // What it builds is what the core accepts.
  M.checkSpec(JSON.stringify({ problem: { name: 'quadratic' }, steps: 40, optimizers: [withChange(run, 20, { lr: 0.2 })] }));
});
