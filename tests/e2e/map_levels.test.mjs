// The Map view's computing order (web/map_levels.js), without a browser: every cell is computed
// exactly once, the first level is the coarse picture (at most 32 cells a side), and until a cell
// is done it shows the nearest coarser cell's value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLevels, coarseStride, standIn } from '../../web/map_levels.js';

test('every cell is in exactly one level, coarse first', () => {
  for (const [nx, ny] of [[1, 1], [3, 7], [32, 32], [33, 5], [128, 128], [256, 200]]) {
    const levels = mapLevels(nx, ny);
    const seen = new Uint8Array(nx * ny);
    for (const l of levels) for (const c of l.cells) seen[c] += 1;
    assert.ok(seen.every((k) => k === 1), `${nx}x${ny}: a cell missing or twice`);
    assert.deepEqual(levels.map((l) => l.stride), levels.map((_, k) => coarseStride(nx, ny) / 2 ** k));
    assert.equal(levels.at(-1).stride, 1);
    const first = levels[0];
    const cols = new Set(Array.from(first.cells, (c) => c % nx));
    assert.ok(cols.size <= 32, `${nx}x${ny}: ${cols.size} columns in the first picture`);
  }
  assert.equal(coarseStride(128, 128), 4); // 32 x 32 first
  assert.equal(coarseStride(256, 256), 8);
  assert.equal(mapLevels(128, 128)[0].cells.length, 32 * 32);
});

test('a cell not computed yet shows its coarse ancestor, then itself', () => {
  const nx = 16;
  const ny = 16;
  const done = new Uint8Array(nx * ny);
  const [coarse] = mapLevels(nx, ny);
  assert.equal(standIn(done, nx, 5, 7, 1), -1);
  for (const c of coarse.cells) done[c] = 1; // 16 x 16 is one level: all done
  assert.equal(standIn(done, nx, 5, 7, 1), 7 * nx + 5);
  const big = mapLevels(64, 64);
  const d2 = new Uint8Array(64 * 64);
  for (const c of big[0].cells) d2[c] = 1; // stride 2
  assert.equal(standIn(d2, 64, 5, 7, 2), 6 * 64 + 4);
  d2[7 * 64 + 5] = 1;
  assert.equal(standIn(d2, 64, 5, 7, 2), 7 * 64 + 5);
});
