// The scheduler fixtures (tests/fixtures/torch_schedulers.json, from torch) through the wasm
// module's runExperiment: params, loss and lr at every step to 1e-9, and the very bytes the native
// CLI prints for the same spec. Bad schedulers: a JS Error naming the field, exit 2 in the CLI.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadOptLab, root, runCli, close } from './load.mjs';

const fixture = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/torch_schedulers.json'), 'utf8'));
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
    assert.equal(run.lr.length, c.spec.steps + 1);
    for (let k = 0; k <= c.spec.steps; k++) {
      assert.ok(close(run.lr[k], c.lr[k], c.lr[k]), `lr[${k}] ${run.lr[k]}, torch ${c.lr[k]}`);
      assert.ok(close(run.loss[k], c.loss[k], c.loss[k]), `loss[${k}] ${run.loss[k]}, torch ${c.loss[k]}`);
      const scale = Math.max(Math.abs(c.params[k][0]), Math.abs(c.params[k][1]));
      for (let i = 0; i < 2; i++)
        assert.ok(close(run.params[k][i], c.params[k][i], scale), `params[${k}][${i}] ${run.params[k][i]}, torch ${c.params[k][i]}`);
    }
  });
}

const bad = [
  [{ name: 'steplr' }, "optimizers[0].scheduler.name: unknown scheduler 'steplr'"],
  [{ name: 'step_lr', step_size: 3, foo: 1 }, 'optimizers[0].scheduler.foo: unknown argument for step_lr'],
  [{ name: 'step_lr', step_size: 0 }, 'optimizers[0].scheduler.step_size: expected a whole number from 1'],
  [{ name: 'cosine_annealing_lr', T_max: -5 }, 'optimizers[0].scheduler.T_max: expected a whole number from 1'],
  [{ name: 'multi_step_lr', milestones: [8, 2] }, 'optimizers[0].scheduler.milestones[1]: milestones must increase'],
  [{ name: 'one_cycle_lr', max_lr: 0.1, total_steps: 4 }, "optimizers[0].scheduler.total_steps: 4 is below the experiment's steps (10)"],
];
for (const [scheduler, message] of bad) {
  test(`bad scheduler: a JS Error in wasm and exit 2 in the CLI: ${message}`, () => {
    const text = JSON.stringify({ problem: { name: 'quadratic' }, steps: 10,
      optimizers: [{ name: 'sgd', lr: 0.1, scheduler }] });
    assert.throws(() => M.runExperiment(text), (e) => e instanceof Error && e.message.startsWith(message));
    const native = runCli(text);
    assert.equal(native.status, 2);
    assert.ok(native.stderr.includes(message), native.stderr);
  });
}

test('a NaN argument is an error naming the field in wasm and the CLI', () => {
  const text = '{"problem": {"name": "quadratic"}, "steps": 5, "optimizers": [{"name": "sgd", "lr": 0.1, '
    + '"scheduler": {"name": "exponential_lr", "gamma": NaN}}]}';
  assert.throws(() => M.runExperiment(text), (e) => e instanceof Error && e.message.startsWith('optimizers[0].scheduler.gamma: '));
  const native = runCli(text);
  assert.equal(native.status, 2);
  assert.match(native.stderr, /optimizers\[0\]\.scheduler\.gamma: /);
});
