// The module's lrSchedule(request) and Session.lr(i): the lr of torch's schedulers before anything
// runs (against torch's own numbers in tests/fixtures/torch_schedulers.json), the lr a session's run
// records, and errors as JS Errors naming the field.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadOptLab, root } from './load.mjs';

const fixture = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/torch_schedulers.json'), 'utf8'));
let M;
before(async () => { M = await loadOptLab(); });

const schedule = (optimizer, steps) => JSON.parse(M.lrSchedule(JSON.stringify({ optimizer, steps })));
const close = (got, want) => Math.abs(got - want) <= 1e-9 * Math.abs(want);

for (const c of fixture.cases) {
  const optimizer = c.spec.optimizers[0];
  const { scheduler } = optimizer;
  // one_cycle_lr's total_steps defaults to the spec's steps, which a page's run does not have.
  if (scheduler.name === 'one_cycle_lr' && !('total_steps' in scheduler)) continue;
  test(`lrSchedule gives torch's lr before anything runs: ${c.case}`, () => {
    const s = schedule(optimizer, c.spec.steps);
    if (scheduler.name === 'reduce_lr_on_plateau') {
      assert.equal(s.depends_on_loss, true);
      assert.deepEqual(s.lr, [c.lr[0]]);
      return;
    }
    assert.equal(s.depends_on_loss, false);
    assert.equal(s.stopped, null);
    assert.equal(s.lr.length, c.spec.steps + 1);
    s.lr.forEach((v, k) => assert.ok(close(v, c.lr[k]), `lr[${k}] ${v}, torch ${c.lr[k]}`));
  });
}

test('lrSchedule says where torch stops stepping one_cycle_lr', () => {
  const s = schedule({ name: 'sgd', lr: 0.1, momentum: 0.9, scheduler: { name: 'one_cycle_lr', max_lr: 1, total_steps: 25 } }, 60);
  assert.equal(s.stopped.step, 26);
  assert.equal(s.lr.length, 26);
  assert.match(s.stopped.message, /^optimizer\.scheduler\./);
});

test('lrSchedule errors are Errors naming the field', () => {
  assert.throws(() => schedule({ name: 'sgd', scheduler: { name: 'cosine_annealing_lr', T_max: 0 } }, 5), /^Error: optimizer\.scheduler\.T_max: /);
  assert.throws(() => schedule({ name: 'sgd', scheduler: { name: 'multi_step_lr', milestones: [9, 4] } }, 5),
    /optimizer\.scheduler\.milestones\[1\]: milestones must increase/);
  assert.throws(() => schedule({ name: 'sgd', scheduler: { name: 'one_cycle_lr', max_lr: 1 } }, 5), /optimizer\.scheduler\.total_steps: /);
  assert.throws(() => M.lrSchedule('{"optimizer": {"name": "sgd"}, "steps": 1e9}'), /^Error: steps: /);
  // After an error the module answers again.
  assert.equal(schedule({ name: 'sgd', lr: 0.5 }, 2).lr.length, 3);
});

test('Session.lr lines up with the samples and equals the recorded lr', () => {
  const spec = {
    problem: { name: 'rosenbrock' }, start: [-1, 1], steps: 0,
    optimizers: [
      { name: 'adam', lr: 0.05, scheduler: { name: 'step_lr', step_size: 5, gamma: 0.5 } },
      { name: 'sgd', lr: 0.001 },
      { name: 'sgd', lr: 0.001, scheduler: { name: 'reduce_lr_on_plateau', patience: 2, factor: 0.5, threshold: 0.5 } },
    ],
  };
  const s = new M.Session(JSON.stringify(spec));
  try {
    s.stepBy(30);
    const result = JSON.parse(M.runExperiment(JSON.stringify({ ...spec, steps: 30 })));
    assert.deepEqual(Array.from(s.steps(0)), Array.from({ length: 31 }, (_, k) => k));
    assert.deepEqual(Array.from(s.lr(0)), result.runs[0].lr);
    assert.deepEqual(Array.from(s.lr(1)), new Array(31).fill(0.001));
    assert.deepEqual(Array.from(s.lr(2)), result.runs[2].lr);
    assert.ok(result.runs[2].lr.at(-1) < 0.001, 'the plateau schedule cut the lr');
    assert.throws(() => s.lr(7), /run 7 does not exist/);
  } finally {
    s.delete();
  }
});
