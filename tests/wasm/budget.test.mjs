// The cost budget through the wasm module and the CLI (issue 11): what would take minutes or all
// of memory is refused up front, with the field and the budget named, and nothing is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli } from './load.mjs';

const M = await loadOptLab();
const limits = JSON.parse(M.catalog()).limits;
const adam = (n) => Array.from({ length: n }, () => ({ name: 'adam', lr: 0.01 }));

test('the catalog publishes the budgets', () => {
  for (const key of ['max_step_cost', 'max_request_cost', 'max_total_weights', 'max_result_numbers'])
    assert.ok(Number.isFinite(limits[key]) && limits[key] > 0, key);
});

test('a result too large for a string is refused before it is built, and the heap is as it was', () => {
  // 8 runs × 1e6 steps: ~570 MB of text before, which threw in JSON.parse and kept 544 MB.
  const spec = JSON.stringify({ problem: { name: 'rosenbrock' }, steps: limits.max_steps, optimizers: adam(8) });
  const before = M.heapBytesInUse();
  assert.throws(() => M.runExperiment(spec), (e) => e instanceof Error
    && e.message.startsWith('record_params: 8 runs × 1,000,001 steps × 3 numbers') && e.message.includes('max_result_numbers'));
  assert.ok(M.heapBytesInUse() <= before + 4096, `heap grew by ${M.heapBytesInUse() - before} bytes`);
  // The module still works, and the losses alone of that experiment are within the bound.
  const small = JSON.parse(M.runExperiment(JSON.stringify({ problem: { name: 'booth' }, steps: 3, optimizers: adam(1) })));
  assert.equal(small.runs[0].loss.length, 4);
});

test('a session over the weight budget is refused, not run out of memory', () => {
  // 8 × [2, 1024, 970, 1] on 4 points filled the 2 GB wasm memory by step 62.
  const spec = { problem: { name: 'mlp', layers: [2, 1024, 970, 1], data: { name: 'moons', n: 4 } }, steps: 100, optimizers: adam(8) };
  const before = M.heapBytesInUse();
  assert.throws(() => new M.Session(JSON.stringify(spec)), /^Error: problem: 8 runs × 998,293 weights .*max_total_weights/);
  assert.throws(() => M.checkSpec(JSON.stringify(spec)), /max_total_weights/);
  assert.ok(M.heapBytesInUse() <= before + 4096, `heap grew by ${M.heapBytesInUse() - before} bytes`);
});

test('the CLI exits 2 naming the field: record_params, not an internal bad_alloc', () => {
  // A 177-byte spec like this one ran 430 s and reached 23 GB before the kernel killed the CLI.
  const spec = JSON.stringify({ problem: { name: 'mlp', layers: [2, 16, 1], data: { name: 'moons', n: 20 } },
    steps: 200000, record_params: true, optimizers: [{ name: 'sgd' }] });
  const r = spawnSync(nativeCli, ['run', '-'], { input: spec, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^record_params: 1 run × 200,001 steps × 68 numbers = 13,600,068 numbers, more than a result may hold/);
  assert.equal(r.stdout, '');
});

test('the CLI refuses an unaffordable request naming steps and what would fit', () => {
  const expr = Array.from({ length: 400 }, (_, i) => `sin(x*${i})`).join('+');
  const spec = JSON.stringify({ problem: { expr }, steps: limits.max_steps, optimizers: adam(8) });
  const r = spawnSync(nativeCli, ['run', '-'], { input: spec, encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^steps: 1,000,000 steps × [\d,]+ operations a step \(8 runs\) = .* \(max_request_cost\); ask for at most [\d,]+ steps/);
});
