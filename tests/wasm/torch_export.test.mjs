// Issue 17 through the wasm module: torchScript(spec) is `optlab export-torch`'s text byte for
// byte (every kind of problem), its refusals are Errors naming the field, and a Session's
// weightsJson gives the selected run's current weights in the three forms.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli, root } from './load.mjs';

let M;
before(async () => { M = await loadOptLab(); });

const specsDir = path.join(root, 'tests/torch_scripts');

for (const file of ['landscapes_rosenbrock.json', 'formula_every_function_noise.json', 'fit_line.json',
  'network_relu_cross_entropy_minibatch.json', 'schedulers_cycles_plateau_sequence_changes.json']) {
  test(`torchScript equals optlab export-torch for ${file}`, () => {
    const text = fs.readFileSync(path.join(specsDir, file), 'utf8');
    const native = spawnSync(nativeCli, ['export-torch', '-'], { input: text, encoding: 'utf8' });
    assert.equal(native.status, 0, native.stderr);
    const script = M.torchScript(text);
    assert.equal(script, native.stdout);
    assert.match(script, /torch\.set_default_dtype\(torch\.float64\)/);
    assert.match(script, /"OPTLAB_LOSS": \[/);
  });
}

test('torchScript refuses a bad spec and OptLab-only options with the field, as the CLI does', () => {
  const bad = '{"problem": {"name": "booth"}, "steps": 5, "optimizers": [{"name": "adam", "lr": -1}]}';
  assert.throws(() => M.torchScript(bad), { message: 'optimizers[0].lr: Invalid learning rate: -1' });
  const own = '{"problem": {"name": "booth"}, "steps": 5, "optimizers": [{"name": "adam", "bias_correction": false}]}';
  assert.throws(() => M.torchScript(own), /^Error: optimizers\[0\]\.bias_correction: false is OptLab's own option/);
  const native = spawnSync(nativeCli, ['export-torch', '-'], { input: own, encoding: 'utf8' });
  assert.equal(native.status, 2);
  assert.match(native.stderr, /^optimizers\[0\]\.bias_correction: false is OptLab's own option[^\n]*\n$/);
});

test('weightsJson: flat, per-tensor and state_dict forms of the current weights; the tensors reopen the run', () => {
  const problem = {
    name: 'mlp', data: { name: 'xor', n: 40 }, layers: [2, 4, 3, 1], activation: 'relu', init: { seed: 2 },
  };
  const spec = { problem, steps: 12, record_params: true, optimizers: [{ name: 'sgd', lr: 0.1 }, { name: 'adam', lr: 0.02 }] };
  const s = new M.Session(JSON.stringify(spec));
  try {
    const w = JSON.parse(s.weightsJson(1));
    assert.equal(w.step, 12);
    assert.deepEqual(w.layers, [2, 4, 3, 1]);
    assert.deepEqual(Array.from(s.weights(1)), w.flat);
    assert.deepEqual(Object.keys(w.state_dict).sort(), ['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
    assert.deepEqual(w.state_dict['2.weight'], w.tensors[2]);
    assert.equal(w.tensors[2].length, 3);     // W2: 3 rows (out) of 4 (in)
    assert.equal(w.tensors[2][0].length, 4);
    assert.equal(w.tensors[2][1][3], w.flat[2 * 4 + 4 + 1 * 4 + 3]);  // after W1 (8) and b1 (4)
    // The per-tensor form as init.weights starts a run exactly where this one is.
    const again = { ...spec, steps: 0, problem: { ...problem, init: { weights: w.tensors } } };
    const result = JSON.parse(M.runExperiment(JSON.stringify(again)));
    assert.deepEqual(result.runs[0].params[0], w.flat);
    assert.throws(() => s.weightsJson(5), /weightsJson|run/);
  } finally {
    s.delete();
  }
  const landscape = new M.Session('{"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd", "lr": 0.01}]}');
  try {
    assert.throws(() => landscape.weightsJson(0), { message: 'weights: only a network problem has weights to export' });
  } finally {
    landscape.delete();
  }
});

test('a bad init.weights shape is an Error naming the tensor and its expected shape', () => {
  const spec = { problem: { name: 'mlp', data: { name: 'xor', n: 20 }, layers: [2, 8, 1], init: { weights: [[[1, 2]], [0], [[1]], [0]] } },
    steps: 1, optimizers: [{ name: 'sgd', lr: 0.1 }] };
  assert.throws(() => M.checkSpec(JSON.stringify(spec)), { message: 'problem.init.weights[0]: expected 8 rows of 2 (W1 as [out][in]), got 1 rows' });
});
