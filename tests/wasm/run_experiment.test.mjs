// runExperiment in wasm returns, byte for byte, what the native CLI prints for the same spec;
// bad specs arrive as JavaScript Errors with the CLI's message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli } from './load.mjs';
import { specs, badSpecs } from './specs.mjs';

const cli = nativeCli;
let M;
before(async () => { M = await loadOptLab(); });

function runCli(specText) {
  return spawnSync(cli, ['run', '-'], { input: specText, encoding: 'utf8', maxBuffer: 1 << 28 });
}

for (const [name, spec] of Object.entries(specs)) {
  test(`runExperiment equals the native CLI byte for byte: ${name}`, () => {
    const text = JSON.stringify(spec);
    const native = runCli(text);
    assert.equal(native.status, 0, native.stderr);
    const wasm = M.runExperiment(text);
    assert.equal(wasm, native.stdout);
    const result = JSON.parse(wasm);
    assert.equal(result.runs.length, spec.optimizers.length);
  });
}

test('a diverged run stops with its step and nulls; the others go on', () => {
  const result = JSON.parse(M.runExperiment(JSON.stringify(specs.diverging)));
  assert.equal(result.runs[0].status, 'diverged');
  assert.equal(result.runs[0].diverged_at, result.runs[0].loss.length - 1);
  assert.equal(result.runs[1].status, 'ok');
  assert.equal(result.runs[1].loss.length, 101);
  const nan = JSON.parse(M.runExperiment(JSON.stringify(specs['nan-divergence'])));
  assert.deepEqual(nan.runs[0].loss, [0, null]);
});

for (const [text, message] of badSpecs) {
  test(`bad spec throws a JS Error with the CLI's message: ${message}`, () => {
    const native = runCli(text);
    assert.equal(native.status, 2);
    assert.equal(native.stdout, '');
    assert.ok(native.stderr.startsWith(message), native.stderr);
    assert.throws(() => M.runExperiment(text), (e) => {
      assert.ok(e instanceof Error, 'a real Error, not a number');
      assert.equal(e.message, native.stderr.trimEnd());
      return true;
    });
  });
}

test('the module keeps working after errors', () => {
  for (let i = 0; i < 50; i++) assert.throws(() => M.runExperiment('{'), Error);
  const ok = JSON.parse(M.runExperiment(JSON.stringify(specs.ackley)));
  assert.equal(ok.runs.length, 2);
});

test('catalogs list every optimizer and landscape', () => {
  const optimizers = JSON.parse(M.optimizerCatalog()).map((o) => o.name);
  for (const name of ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'adadelta', 'rprop',
    'asgd'])
    assert.ok(optimizers.includes(name), name);
  const schedulers = JSON.parse(M.catalog()).schedulers.map((s) => s.name);
  assert.deepEqual(schedulers, ['step_lr', 'multi_step_lr', 'exponential_lr', 'cosine_annealing_lr',
    'cosine_annealing_warm_restarts', 'linear_lr', 'constant_lr', 'polynomial_lr', 'one_cycle_lr', 'cyclic_lr',
    'reduce_lr_on_plateau', 'sequential_lr']);
  const landscapes = JSON.parse(M.landscapeCatalog()).map((l) => l.name);
  for (const name of ['quadratic', 'rosenbrock', 'beale', 'himmelblau', 'booth', 'saddle', 'rastrigin', 'ackley',
    'styblinski_tang', 'six_hump_camel'])
    assert.ok(landscapes.includes(name), name);
});

test('checkFormula reports the column of the mistake', () => {
  assert.deepEqual(JSON.parse(M.checkFormula('x^2 + y^2')), { ok: true });
  const bad = JSON.parse(M.checkFormula('(x + 1))'));
  assert.equal(bad.ok, false);
  assert.equal(bad.column, 8);
  assert.match(bad.message, /unexpected '\)' at column 8/);
});
