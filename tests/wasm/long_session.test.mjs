// Issue 5: a session of 1,000,000 steps keeps the wasm heap bounded. Each run keeps a window of
// recent steps at full resolution and a thinned summary of the older ones; Back reaches the window.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab } from './load.mjs';
import { longLandscape as landscape, longNetwork as network } from './specs.mjs';

const M = await loadOptLab();
const MB = 1024 * 1024;

function withSession(spec, fn) {
  const s = new M.Session(JSON.stringify(spec));
  try { return fn(s); } finally { s.delete(); }
}

// What a page frame reads of every run: all bounded by the window and the thinned capacity.
function readAll(s) {
  let samples = 0;
  for (let i = 0; i < s.runCount(); i++) {
    const steps = s.steps(i);
    assert.equal(s.losses(i).length, steps.length);
    assert.equal(s.lossMin(i).length, steps.length);
    assert.equal(s.lossMax(i).length, steps.length);
    for (let k = 1; k < steps.length; k++) if (!(steps[k] > steps[k - 1])) assert.fail(`run ${i}: steps not increasing at ${k}`);
    samples = Math.max(samples, steps.length);
  }
  return samples;
}

test('1,000,000 steps of 8 landscape runs stay under 64 MB of wasm memory', () => {
  withSession(landscape, (s) => {
    for (let k = 0; k < 100; k++) {
      s.stepBy(10000);
      if (k % 10 === 0) readAll(s);
    }
    assert.equal(s.stepCount(), 1000000);
    const samples = readAll(s);
    assert.ok(samples < 20000, `a run returned ${samples} samples`);
    assert.ok(M.HEAPU8.buffer.byteLength < 64 * MB, `wasm memory is ${M.HEAPU8.buffer.byteLength / MB} MB`);
    assert.ok(M.heapBytesInUse() < 32 * MB, `heap in use is ${M.heapBytesInUse() / MB} MB`);

    const steps = s.steps(0);
    assert.equal(steps[steps.length - 1], 1000000);
    assert.equal(s.steps(7)[s.steps(7).length - 1], JSON.parse(s.runStatus(7)).diverged_at);

    // Back is exact inside the window (stepping back one step shows the previous step's values)
    // and stops at earliestStep().
    const earliest = s.earliestStep();
    assert.ok(earliest > 990000 && earliest < 1000000, `earliest step ${earliest}`);
    const before = s.losses(0);
    assert.equal(s.back(1), 1);
    const after = s.losses(0);
    assert.equal(after.length, before.length - 1);
    assert.equal(after[after.length - 1], before[before.length - 2]);
    assert.equal(s.back(10000000), 999999 - earliest);
    assert.equal(s.stepCount(), earliest);
    assert.equal(s.back(1), 0);
    const atEarliest = s.steps(0);
    assert.equal(atEarliest[atEarliest.length - 1], earliest);
  });
});

test('8 runs of a 2-16-16-1 network reach a steady heap once their windows are full', () => {
  withSession(network, (s) => {
    const window = () => s.steps(0).length;
    s.stepBy(2000);
    const full = window();
    let grew = 0;
    // Step until the window has slid twice (its length drops each time), then check the heap
    // stays put while the session goes on.
    let slides = 0;
    let last = window();
    let heapAfterSecondSlide = 0;
    while (slides < 3 && s.stepCount() < 60000) {
      s.stepBy(500);
      readAll(s);
      const now = window();
      if (now < last) {
        slides += 1;
        if (slides === 2) heapAfterSecondSlide = M.heapBytesInUse();
        if (slides === 3) grew = M.heapBytesInUse() - heapAfterSecondSlide;
      }
      last = now;
    }
    assert.equal(slides, 3, `the window never slid three times (${full} samples at 2000 steps)`);
    assert.ok(s.earliestStep() > 0);
    assert.ok(grew < 256 * 1024, `heap grew ${grew} bytes between the second and third slide`);
    assert.ok(M.HEAPU8.buffer.byteLength < 64 * MB, `wasm memory is ${M.HEAPU8.buffer.byteLength / MB} MB`);
    assert.ok(M.heapBytesInUse() < 48 * MB, `heap in use is ${M.heapBytesInUse() / MB} MB`);
  });
});
