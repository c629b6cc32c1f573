// The lecture's sentences (web/lecture.js) against the core's numbers: each claim names the words
// it checks, which must be in its chapter, and runs that chapter's own experiment. The last test
// makes sure no sentence slips through: each holds a checked claim or is listed as a definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab } from './load.mjs';
import { CHAPTERS } from '../../web/lecture.js';

const M = await loadOptLab();
const run = (spec, steps, patch = {}) => JSON.parse(M.runExperiment(JSON.stringify({ ...spec, ...patch, steps }))).runs;
function session(spec, f) {
  const s = new M.Session(JSON.stringify(spec));
  try {
    return f(s);
  } finally {
    s.delete();
  }
}
const firstWithin = (r, min, tol) => r.loss.findIndex((l) => l - min <= tol);
const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

const claimed = new Map(); // chapter index -> fragments checked
function claim(n, fragment, check) {
  const chapter = CHAPTERS[n - 1];
  const words = [...chapter.text, chapter.answer].join(' ');
  if (!claimed.has(n)) claimed.set(n, []);
  claimed.get(n).push(fragment);
  test(`chapter ${n} (${chapter.title}): "${fragment}"`, () => {
    assert.ok(words.includes(fragment), `chapter ${n} no longer says "${fragment}"`);
    check(chapter.spec, chapter);
  });
}

// Sentences that define or explain rather than report a number of the experiment.
const DEFINITIONS = [
  [1, 'Back-propagation applies the chain rule'],
  [2, 'Each point of this plane is one line'],
  [2, 'The gradient points uphill'],
  [2, 'Not in general'],
  [4, 'Real training does not compute'],
  [5, 'Momentum keeps a velocity'],
  [6, 'Logistic regression where the feature'],
  [7, 'By |g| + ε'],
  [8, 'Adam keeps a running mean'],
  [9, 'The same 2-16-16-1 tanh network'],
  [10, 'A sound default'],
];

// ------------------------------------------------------------------------- 1. backprop
claim(1, 'has 9 weights', (spec) => {
  session({ ...spec, steps: 1 }, (s) => assert.equal(JSON.parse(s.internals(0)).params.length, 9));
});
claim(1, 'the largest here is −0.134, and nudging that weight up by 0.001 lowers the loss by 0.000134, to within 1 %', (spec) => {
  const { w0, grad, loss0 } = session({ ...spec, steps: 1 }, (s) => {
    const I = JSON.parse(s.internals(0));
    return { w0: I.params.map((p, k) => p - I.update[k]), grad: I.grad, loss0: s.losses(0)[0] };
  });
  const k = grad.reduce((best, g, i) => (Math.abs(g) > Math.abs(grad[best]) ? i : best), 0);
  near(grad[k], -0.134, 5e-4, 'largest gradient');
  const nudged = [...w0];
  nudged[k] += 0.001;
  const lossAt = (weights) => run({ ...spec, problem: { ...spec.problem, init: { weights } } }, 0)[0].loss[0];
  near(lossAt(w0), loss0, 1e-12, 'the initial weights rebuilt from the step');
  const fall = lossAt(w0) - lossAt(nudged);
  near(fall, 0.000134, 0.01 * 0.000134 + 1e-7, 'loss change');
  near(fall / (-0.001 * grad[k]), 1, 0.01, 'change over lr times gradient');
});
claim(1, '81 %', (spec) => {
  const [r] = run(spec, 300);
  assert.equal(Math.round(r.accuracy[300] * 100), 81);
});

// ------------------------------------------------------------------- 2. loss surface
claim(2, 'w ≈ 1.99 and b ≈ 1.07, where the loss is 0.206', (spec) => {
  session({ ...spec, steps: 0 }, (s) => {
    const [m] = JSON.parse(s.landscapeInfo()).minima;
    near(m.x, 1.99, 0.005, 'w*');
    near(m.y, 1.07, 0.005, 'b*');
    near(m.value, 0.206, 0.0005, 'loss at the minimum');
  });
});
claim(2, 'From the start (−1, 3.5), where the loss is 21.6, gradient descent at lr 0.05 comes within 0.01 of the bottom in 28 steps', (spec) => {
  const [r] = run(spec, 100);
  const min = session({ ...spec, steps: 0 }, (s) => JSON.parse(s.landscapeInfo()).minima[0].value);
  assert.deepEqual(r.params[0], [-1, 3.5]);
  assert.equal(spec.optimizers[0].lr, 0.05);
  near(r.loss[0], 21.6, 0.05, 'loss at the start');
  assert.equal(firstWithin(r, min, 0.01), 28);
});

// ------------------------------------------------------------------- 3. learning rate
claim(3, '½(x² + 10y²)', (spec) => {
  session({ ...spec, steps: 0 }, (s) => assert.equal(JSON.parse(s.landscapeInfo()).formula, '0.5*(x^2 + 10*y^2)'));
});
claim(3, 'after 100 steps the loss is still 0.42', (spec) => {
  const r = run(spec, 100)[0];
  assert.equal(r.options?.lr ?? spec.optimizers[0].lr, 0.01);
  near(r.loss[100], 0.42, 0.005, 'lr 0.01 at step 100');
});
claim(3, 'At lr 0.1 the run comes within 1e-4 of the minimum in 50 steps', (spec) => {
  assert.equal(firstWithin(run(spec, 300)[1], 0, 1e-4), 50);
});
claim(3, 'every bounce across the ravine is 1.5 times the last, and the run diverges at step 32', (spec) => {
  const r = run(spec, 300)[2];
  assert.equal(r.status, 'diverged');
  assert.equal(r.diverged_at, 32);
  for (let k = 1; k < 10; k++) near(r.params[k + 1][1] / r.params[k][1], -1.5, 1e-12, `bounce ${k}`);
});
claim(3, 'stable here only for lr below 2/10 = 0.2', (spec) => {
  const [below, above] = run(spec, 2000, { optimizers: [{ name: 'sgd', lr: 0.199 }, { name: 'sgd', lr: 0.201 }] });
  assert.equal(below.status, 'ok');
  assert.ok(below.loss[2000] < 1e-6, `lr 0.199 converges: ${below.loss[2000]}`);
  assert.equal(above.status, 'diverged');
});
claim(3, 'y flips between 1.5 and −1.5 for ever while x still converges', (spec) => {
  const [r] = run(spec, 501, { optimizers: [{ name: 'sgd', lr: 0.2 }] });
  assert.equal(r.status, 'ok');
  assert.equal(r.params[500][1], 1.5);
  assert.equal(r.params[501][1], -1.5);
  assert.ok(Math.abs(r.params[501][0]) < 1e-12, `x converges: ${r.params[501][0]}`);
});

// ------------------------------------------------------------------- 4. mini-batches
const pathRatio = (p) => {
  let path = 0;
  for (let k = 1; k < p.length; k++) path += Math.hypot(p[k][0] - p[k - 1][0], p[k][1] - p[k - 1][1]);
  return path / Math.hypot(p.at(-1)[0] - p[0][0], p.at(-1)[1] - p[0][1]);
};
const fitMin = (spec) => session({ ...spec, steps: 0 }, (s) => JSON.parse(s.landscapeInfo()).minima[0].value);
claim(4, 'batch 1 wanders, while full batch walks straight downhill', (spec) => {
  const [one, , full] = run(spec, 200);
  session({ ...spec, steps: 1 }, (s) => assert.deepEqual([0, 1, 2].map((i) => s.fitBatch(i, 0).length), [1, 8, 64]));
  assert.ok(pathRatio(one.params) > 1.5 * pathRatio(full.params), `${pathRatio(one.params)} vs ${pathRatio(full.params)}`);
});
claim(4, 'After 200 steps all three are within 0.03 of the least-squares loss', (spec) => {
  const min = fitMin(spec);
  for (const r of run(spec, 200)) assert.ok(r.loss[200] - min < 0.03, `${r.label}: ${r.loss[200] - min}`);
});
claim(4, 'after 64 steps batch 1 is within 0.01, while full batch has taken one step', (spec) => {
  const min = fitMin(spec);
  const [one, , full] = run(spec, 64);
  assert.ok(one.loss[64] - min < 0.01, `batch 1: ${one.loss[64] - min}`);
  assert.equal(one.steps_per_epoch, 64);
  // Full batch: its one step of that pass saw all 64 points.
  session({ ...spec, steps: 1 }, (s) => assert.equal(s.fitBatch(2, 0).length, 64));
  assert.ok(full.loss[1] - min > 1, `full batch after one step: ${full.loss[1] - min}`);
});
claim(4, 'Full batch, but only just: every run is within 0.03 of the minimum', (spec) => {
  const min = fitMin(spec);
  const losses = run(spec, 200).map((r) => r.loss[200]);
  assert.equal(losses.indexOf(Math.min(...losses)), 2, `lowest: ${losses}`);
  for (const l of losses) assert.ok(l - min < 0.03);
});

// ------------------------------------------------------------------- 5. momentum
claim(5, 'needs an lr near its limit (0.19) to move along the floor, zig-zags across it, and takes 56 steps to come within 1e-4', (spec) => {
  assert.equal(spec.optimizers[0].lr, 0.19);
  const r = run(spec, 300)[0];
  assert.equal(firstWithin(r, 0, 1e-4), 56);
  const signs = r.params.slice(1, 20).map((p) => Math.sign(p[1]));
  assert.ok(signs.every((sg, k) => k === 0 || sg !== signs[k - 1]), 'y changes sign every step');
});
claim(5, 'With half the lr (0.1) and μ = 0.5 it comes within 1e-4 in 17 steps, three times sooner', (spec) => {
  assert.deepEqual([spec.optimizers[1].lr, spec.optimizers[1].momentum], [0.1, 0.5]);
  const [sgd, mom] = run(spec, 300);
  assert.equal(firstWithin(mom, 0, 1e-4), 17);
  near(firstWithin(sgd, 0, 1e-4) / 17, 3, 0.4, 'three times');
});
claim(5, 'at μ = 0.9 it overshoots along the floor and needs 74 steps', (spec) => {
  const [r] = run(spec, 300, { optimizers: [{ ...spec.optimizers[1], momentum: 0.9 }] });
  assert.equal(firstWithin(r, 0, 1e-4), 74);
  assert.ok(r.params.some((p) => p[0] > 0.1), 'x goes past the minimum at 0');
});

// ------------------------------------------------------------------- 6. AdaGrad
const internalsAt = (spec, steps) => session({ ...spec, steps }, (s) => [0, 1].map((i) => JSON.parse(s.internals(i))));
claim(6, 'SGD, with one lr for every weight, moves w₂ slowly', (spec) => {
  const [sgd] = internalsAt(spec, 200);
  assert.equal(sgd.name, 'sgd');
  assert.equal(sgd.step_size[0], sgd.step_size[1]);
});
claim(6, 'so the rare w₂ gets larger steps than w₁', (spec) => {
  const [, ada] = internalsAt(spec, 200);
  assert.equal(ada.name, 'adagrad');
  assert.ok(ada.step_size[1] > 2 * ada.step_size[0], `${ada.step_size}`);
});
claim(6, 'After 200 steps AdaGrad’s w₂ is about twice SGD’s, while w₁ ends about the same', (spec) => {
  const [sgd, ada] = internalsAt(spec, 200);
  const ratio = ada.params[1] / sgd.params[1];
  assert.ok(ratio > 1.6 && ratio < 2.4, `w2 ratio ${ratio}`);
  assert.ok(Math.abs(ada.params[0] - sgd.params[0]) < 0.05, `w1 ${sgd.params[0]} vs ${ada.params[0]}`);
});
claim(6, 'after 2000 steps both weights’ step sizes are smaller than after 200', (spec) => {
  const [, at200] = internalsAt(spec, 200);
  const [, at2000] = internalsAt(spec, 2000);
  for (const k of [0, 1]) assert.ok(at2000.step_size[k] < at200.step_size[k], `w${k + 1}`);
});

// ------------------------------------------------------------------- 7. RMSprop
claim(7, 'take the same first step, 0.1 in x and in y', (spec) => {
  for (const r of run(spec, 1)) {
    near(r.params[1][0] - r.params[0][0], -0.1, 1e-9, `${r.label} x`);
    near(r.params[1][1] - r.params[0][1], -0.1, 1e-9, `${r.label} y`);
  }
});
claim(7, 'after 1000 steps it is still at loss 0.07, short of the minimum at (3, 0.5)', (spec) => {
  const [ada] = run(spec, 1000);
  near(ada.loss[1000], 0.07, 0.005, 'AdaGrad at 1000');
  assert.ok(Math.hypot(ada.params[1000][0] - 3, ada.params[1000][1] - 0.5) > 0.3);
  const step = (k) => Math.hypot(ada.params[k][0] - ada.params[k - 1][0], ada.params[k][1] - ada.params[k - 1][1]);
  assert.ok(step(1000) < step(1) / 10, 'its steps shrank');
});
claim(7, 'comes within 1e-4 of the minimum at step 791', (spec) => {
  const [, rms] = run(spec, 1000);
  assert.equal(firstWithin(rms, 0, 1e-4), 791);
});

// ------------------------------------------------------------------- 8. Adam
claim(8, 'its first step is lr = 0.1 in each coordinate', (spec) => {
  const [adam] = run(spec, 1);
  near(adam.params[1][0] - adam.params[0][0], 0.1, 1e-9, 'x');
  near(adam.params[1][1] - adam.params[0][1], -0.1, 1e-9, 'y');
});
claim(8, 'the first step is 0.316 instead', (spec) => {
  const [, raw] = run(spec, 1);
  assert.equal(spec.optimizers[1].bias_correction, false);
  near(raw.params[1][0] - raw.params[0][0], 0.316, 0.0005, 'x');
  near(raw.params[1][1] - raw.params[0][1], -0.316, 0.0005, 'y');
});
claim(8, 'within 1e-4 at step 80 instead of 66', (spec) => {
  const [adam, raw] = run(spec, 300);
  assert.equal(firstWithin(adam, 0, 1e-4), 66);
  assert.equal(firstWithin(raw, 0, 1e-4), 80);
});
claim(8, 'm/√v is 3.16 times the corrected ratio', (spec) => {
  const [adam, raw] = run(spec, 1);
  near((raw.params[1][0] - raw.params[0][0]) / (adam.params[1][0] - adam.params[0][0]), 3.16, 0.005, 'ratio');
});

// ------------------------------------------------------------------- 9. network
let network = null;
const net = (spec) => (network ??= run(spec, 1000));
claim(9, 'its training loss fell from 0.70 to 0.66', (spec) => {
  const [sgd] = net(spec);
  near(sgd.loss[0], 0.70, 0.005, 'start');
  near(sgd.loss[1000], 0.66, 0.005, 'after 1000');
});
claim(9, 'RMSprop and Adam classify more than 85 % of the training points, Momentum and AdaGrad more than 75 %', (spec) => {
  const [, mom, ada, rms, adam] = net(spec);
  assert.ok(rms.accuracy[1000] > 0.85 && adam.accuracy[1000] > 0.85, `${rms.accuracy[1000]} ${adam.accuracy[1000]}`);
  assert.ok(mom.accuracy[1000] > 0.75 && ada.accuracy[1000] > 0.75, `${mom.accuracy[1000]} ${ada.accuracy[1000]}`);
});
claim(9, 'RMSprop (0.24), ahead of Adam (0.42)', (spec) => {
  const test = net(spec).map((r) => r.test_loss.at(-1));
  assert.equal(test.indexOf(Math.min(...test)), 3, `${test}`);
  near(test[3], 0.24, 0.005, 'RMSprop');
  near(test[4], 0.42, 0.005, 'Adam');
});

// ------------------------------------------------------------------- 10. what to use
claim(10, 'Adam comes within 1e-4 of the minimum first, at step 765, and Momentum next, at step 934', (spec) => {
  const firsts = run(spec, 2000).map((r) => firstWithin(r, 0, 1e-4));
  assert.deepEqual(firsts, [-1, 934, -1, 765]);
});
claim(10, 'Plain SGD and RMSprop, at these learning rates, have not arrived after 2000 steps', (spec) => {
  const [sgd, , rms] = run(spec, 2000);
  assert.ok(sgd.loss[2000] > 1e-4 && rms.loss[2000] > 1e-4);
});
claim(10, 'No: there RMSprop was ahead of Adam', () => {
  const test = net(CHAPTERS[8].spec).map((r) => r.test_loss.at(-1));
  assert.ok(test[3] < test[4]);
});

test('every sentence of the lecture is either checked above or a definition', () => {
  assert.ok(CHAPTERS.length >= 8 && CHAPTERS.length <= 10);
  const definitions = new Map();
  for (const [n, f] of DEFINITIONS) definitions.set(n, [...(definitions.get(n) ?? []), f]);
  CHAPTERS.forEach((chapter, i) => {
    const covered = [...(claimed.get(i + 1) ?? []), ...(definitions.get(i + 1) ?? [])];
    for (const sentence of [...chapter.text, chapter.answer]) {
      assert.ok(covered.some((f) => sentence.includes(f)), `chapter ${i + 1}: nothing checks "${sentence}"`);
    }
    for (const f of definitions.get(i + 1) ?? []) assert.ok([...chapter.text, chapter.answer].some((s) => s.includes(f)), f);
  });
});
