// Hyperparameters changed "from here" (an optimizer entry's "changes"): the torch fixtures
// (tests/fixtures/torch_changes.json, torch editing param_groups between steps) through the wasm
// module's runExperiment, params, loss and lr at every step to 1e-9 and the very bytes the native
// CLI prints; a Session with changes equals runExperiment through Back and goTo; bad changes are a
// JS Error naming the field, exit 2 in the CLI.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadOptLab, root, runCli, close } from './load.mjs';

const fixture = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/torch_changes.json'), 'utf8'));
let M;
before(async () => { M = await loadOptLab(); });


for (const c of fixture.cases) {
  test(`wasm matches torch at every step and the CLI byte for byte: ${c.case}`, () => {
    const text = JSON.stringify(c.spec);
    const out = M.runExperiment(text);
    const native = runCli(text);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(out, native.stdout);
    const run = JSON.parse(out).runs[0];
    assert.equal(run.loss.length, c.spec.steps + 1);
    for (let k = 0; k <= c.spec.steps; k++) {
      if (run.lr) assert.ok(close(run.lr[k], c.lr[k], c.lr[k]), `lr[${k}] ${run.lr[k]}, torch ${c.lr[k]}`);
      assert.ok(close(run.loss[k], c.loss[k], c.loss[k]), `loss[${k}] ${run.loss[k]}, torch ${c.loss[k]}`);
      const scale = Math.max(Math.abs(c.params[k][0]), Math.abs(c.params[k][1]));
      for (let i = 0; i < 2; i++)
        assert.ok(close(run.params[k][i], c.params[k][i], scale), `params[${k}][${i}] ${run.params[k][i]}, torch ${c.params[k][i]}`);
    }
  });
}

test('a Session with changes equals runExperiment, also after Back and a goTo replay', () => {
  const spec = (steps) => JSON.stringify({
    problem: { name: 'rosenbrock', noise: 0.3 }, steps, seed: 2,
    optimizers: [{ name: 'adam', lr: 0.05, changes: [{ step: 30, lr: 0.01, betas: [0.8, 0.99] }, { step: 90, lr: 0.2 }] },
      { name: 'sgd', lr: 0.0008, changes: [{ step: 5, momentum: 0.9 }] }],
  });
  const want = JSON.parse(M.runExperiment(spec(120))).runs;
  const s = new M.Session(spec(0));
  try {
    s.stepBy(120);
    const check = () => { for (let i = 0; i < 2; i++) assert.deepEqual(Array.from(s.losses(i)), want[i].loss); };
    check();
    s.back(100);
    s.goTo(120);
    check();
    s.goTo(0);
    s.goTo(120);
    check();
  } finally {
    s.delete();
  }
});

const bad = [
  [[{ step: 3, lr: -1 }], 'optimizers[0].changes[0].lr: Invalid learning rate: -1'],
  [[{ step: 3, lr: 0.1 }, { step: 3, lr: 0.2 }], 'optimizers[0].changes[1].step: 3 is not after'],
  [[{ step: -2, lr: 0.1 }], 'optimizers[0].changes[0].step: '],
  [[{ step: 3, foo: 1 }], 'optimizers[0].changes[0].foo: unknown hyperparameter for sgd'],
  [[{ step: 3, nesterov: true }], 'optimizers[0].changes[0].nesterov: a flag is fixed'],
  [{ step: 3, lr: 0.1 }, 'optimizers[0].changes: expected a list'],
];
for (const [changes, message] of bad) {
  test(`bad changes: a JS Error in wasm and exit 2 in the CLI: ${message}`, () => {
    const text = JSON.stringify({ problem: { name: 'quadratic' }, steps: 10, optimizers: [{ name: 'sgd', lr: 0.1, changes }] });
    assert.throws(() => M.runExperiment(text), (e) => e instanceof Error && e.message.startsWith(message));
    assert.throws(() => M.checkSpec(text), (e) => e instanceof Error && e.message.startsWith(message));
    const native = runCli(text);
    assert.equal(native.status, 2);
    assert.ok(native.stderr.includes(message), native.stderr);
  });
}

test('a NaN in a change is an error naming the field in wasm and the CLI', () => {
  const text = '{"problem": {"name": "quadratic"}, "steps": 5, "optimizers": [{"name": "sgd", "lr": 0.1, '
    + '"changes": [{"step": 1, "lr": NaN}]}]}';
  assert.throws(() => M.runExperiment(text), (e) => e instanceof Error && e.message.startsWith('optimizers[0].changes[0].lr: '));
  const native = runCli(text);
  assert.equal(native.status, 2);
  assert.match(native.stderr, /optimizers\[0\]\.changes\[0\]\.lr: /);
});
