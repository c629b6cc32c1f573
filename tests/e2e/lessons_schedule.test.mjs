// The schedule lessons (issue 15) say what their data do: each claim is checked against the
// session's numbers (losses, params and the recorded lr) after the lesson's own steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, lessonAt } from './harness.mjs';

const env = useServerAndBrowser();

const lesson = (title, steps, read, arg) => lessonAt(env.browser, env.server.url, title, steps, read, arg);

const readRuns = () => {
  const s = window.optlab.app.session();
  return [0, 1].map((i) => ({ loss: Array.from(s.losses(i)), params: Array.from(s.params(i)), lr: Array.from(s.lr(i)) }));
};

test('Step decay rescues a too-large lr: growing bounces to step 20, settled five steps after the halving', async () => {
  const [fixed, step] = await lesson('Step decay rescues a too-large lr', 60, readRuns);
  // Above the limit 2/10: each bounce across the ravine (y) bigger than the last, both runs alike.
  const y = (r, k) => r.params[2 * k + 1];
  for (let k = 2; k <= 20; k++) {
    assert.ok(Math.sign(y(fixed, k)) !== Math.sign(y(fixed, k - 1)), `crosses the ravine at step ${k}`);
    assert.ok(Math.abs(y(fixed, k)) > Math.abs(y(fixed, k - 1)), `bigger bounce at step ${k}`);
  }
  assert.ok(fixed.loss[0] > 14 && fixed.loss[0] < 15, `starts at 14: ${fixed.loss[0]}`);
  assert.ok(fixed.loss[20] > 500 && step.loss[20] === fixed.loss[20], `over 500 by step 20: ${fixed.loss[20]}`);
  // The halving at step 20, to 0.105, below 2/10.
  assert.equal(step.lr[19], 0.21);
  assert.equal(step.lr[20], 0.105);
  assert.ok(step.loss[25] < 1e-3, `below 0.001 five steps later: ${step.loss[25]}`);
  assert.ok(fixed.lr.every((v) => v === 0.21));
  for (let k = 21; k <= 60; k++) assert.ok(fixed.loss[k] > fixed.loss[k - 1], `the fixed run keeps growing at step ${k}`);
});

test('One-cycle: warm-up to max_lr around step 90, annealed to almost 0; behind at 30, ahead at 90, lower at 300', async () => {
  const [fixed, oc] = await lesson('One-cycle', 300, readRuns);
  assert.ok(Math.abs(oc.lr[0] - 0.001 / 25) < 1e-12, `starts at max_lr/25: ${oc.lr[0]}`);
  const peak = oc.lr.indexOf(Math.max(...oc.lr));
  assert.ok(Math.abs(peak - 90) <= 1, `peak at step ${peak}`);
  assert.ok(Math.abs(oc.lr[peak] - 0.001) < 1e-12);
  assert.ok(oc.lr[300] < 1e-6, `almost 0 at the end: ${oc.lr[300]}`);
  assert.ok(fixed.lr.every((v) => v === 0.0004));
  assert.ok(oc.loss[30] > fixed.loss[30], `slower start: ${oc.loss[30]} vs ${fixed.loss[30]}`);
  assert.ok(oc.loss[90] < fixed.loss[90], `ahead by step 90: ${oc.loss[90]} vs ${fixed.loss[90]}`);
  assert.equal(oc.loss[300].toFixed(1), '1.2');
  assert.equal(fixed.loss[300].toFixed(1), '1.9');
});

test('Warm-up then cosine: overshoot without warm-up, none with it; the run without still ends lower', async () => {
  const [plain, warm] = await lesson('Warm-up then cosine', 200, readRuns);
  assert.equal(plain.loss[0], 12.5);
  assert.ok(plain.loss[1] > 200, `jumps to over 200: ${plain.loss[1]}`);
  assert.ok([2, 3, 4].every((k) => plain.loss[k] > 30), 'keeps leaping above 30');
  assert.ok(Math.abs(warm.lr[0] - 0.01) < 1e-12, `first step lr 0.01: ${warm.lr[0]}`);
  assert.ok(Math.abs(warm.lr[20] - 0.5) < 1e-12, `0.5 after 20 steps: ${warm.lr[20]}`);
  assert.ok(warm.lr[200] < warm.lr[100] && warm.lr[100] < warm.lr[20], 'then annealed');
  assert.ok(warm.loss[1] < warm.loss[0], 'the first step lowers the loss');
  assert.ok(Math.max(...warm.loss.slice(0, 31)) < 15, 'never above 15 in the first 30 steps');
  assert.ok(plain.loss[200] < warm.loss[200], 'the run without warm-up ends lower');
});
