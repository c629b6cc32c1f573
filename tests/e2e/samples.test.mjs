// The page's sample lookups (web/samples.js) and the CSV export, without a browser: histories are
// samples with step numbers (thinned further back), so every lookup is by step, never by index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexAtOrBefore, lastStep, valueAt, firstWithin, hoverValue } from '../../web/samples.js';
import { runsCsv } from '../../web/exports.js';

const f64 = (a) => Float64Array.from(a);
// A thinned history: buckets of 4 steps (0, 4, 8), then every step 12..15.
const steps = f64([0, 4, 8, 12, 13, 14, 15]);

test('indexAtOrBefore finds the sample at or just before a step, by binary search', () => {
  assert.equal(indexAtOrBefore(steps, -1), -1);
  assert.equal(indexAtOrBefore(steps, 0), 0);
  assert.equal(indexAtOrBefore(steps, 3), 0);
  assert.equal(indexAtOrBefore(steps, 4), 1);
  assert.equal(indexAtOrBefore(steps, 11), 2);
  assert.equal(indexAtOrBefore(steps, 13), 4);
  assert.equal(indexAtOrBefore(steps, 1e9), 6);
  assert.equal(indexAtOrBefore(f64([]), 3), -1);
  assert.equal(indexAtOrBefore(steps, NaN), -1);
  // Against a linear scan over a long list.
  const long = f64(Array.from({ length: 5000 }, (_, k) => k * 3 + (k > 4000 ? 7 : 0)));
  for (const s of [0, 1, 2999, 12000, 12003, 12010, 14999, 15010, 99999]) {
    let want = -1;
    for (let k = 0; k < long.length; k++) if (long[k] <= s) want = k;
    assert.equal(indexAtOrBefore(long, s), want, `step ${s}`);
  }
});

test('lastStep and valueAt read by step number', () => {
  assert.equal(lastStep(steps), 15);
  assert.equal(lastStep(f64([])), -1);
  const losses = f64([7, 6, 5, 4, 3, 2, 1]);
  assert.deepEqual(valueAt(steps, losses, 6), { value: 6, step: 4 });
  assert.deepEqual(valueAt(steps, losses, 14), { value: 2, step: 14 });
  assert.equal(valueAt(steps, losses, -2), null);
  assert.equal(valueAt(steps, f64([7]), 14), null, 'a short value list is not read past its end');
});

test('firstWithin reports a step, exact at full resolution and approximate in the thinned part', () => {
  const h = { steps, losses: f64([9, 8, 7, 6, 0.5, 0.1, 0]), lossMin: f64([9, 8, 7, 6, 0.5, 0.1, 0]), lossMax: f64([9, 9, 8, 6, 0.5, 0.1, 0]) };
  assert.deepEqual(firstWithin(h, 0, 0.2), { step: 14, exact: true });
  assert.equal(firstWithin(h, -5, 1), null);
  // A dip inside a thinned bucket shows in its min, though the kept loss there is not within.
  const dip = { ...h, lossMin: f64([9, 0.05, 7, 6, 0.5, 0.1, 0]) };
  assert.deepEqual(firstWithin(dip, 0, 0.2), { step: 4, exact: false });
  // Unthinned, step 0 within: exact.
  assert.deepEqual(firstWithin({ steps: f64([0, 1]), losses: f64([0, 1]), lossMin: f64([0, 1]), lossMax: f64([0, 1]) }, 0, 0), { step: 0, exact: true });
});

test('hoverValue gives the loss of the kept step at or before, nothing after the run ended', () => {
  const run = { label: 'A', color: '#000000', steps, losses: f64([7, 6, 5, 4, 3, 2, 1]) };
  assert.deepEqual(hoverValue(run, 10), { label: 'A', color: '#000000', loss: 5, at: 8 });
  assert.deepEqual(hoverValue(run, 15), { label: 'A', color: '#000000', loss: 1, at: 15 });
  assert.equal(hoverValue(run, 16).loss, undefined);
});

test('the CSV export has one row per kept step, with its step number, and blanks where a run has none', () => {
  const a = { label: 'A', steps, params: f64(Array.from({ length: 14 }, (_, k) => k / 8)), losses: f64([7, 6, 5, 4, 3, 2, 1]) };
  // B stopped (diverged) at step 13.
  const b = { label: 'B, "quoted"', steps: f64([0, 4, 8, 12, 13]), params: f64(Array(10).fill(0.1)), losses: f64([1, 2, 3, 4, NaN]) };
  const lines = runsCsv([a, b]).trim().split('\n');
  assert.equal(lines[0], 'step,A x,A y,A loss,"B, ""quoted"" x","B, ""quoted"" y","B, ""quoted"" loss"');
  assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), Array.from(steps));
  assert.equal(lines[2], '4,0.25,0.375,6,0.1,0.1,2');
  assert.equal(lines[5], '13,1,1.125,3,0.1,0.1,NaN');
  assert.equal(lines[7], '15,1.5,1.625,1,,,');
  // Every number reads back to the same double.
  assert.equal(Number(lines[3].split(',')[1]), a.params[4]);
});
