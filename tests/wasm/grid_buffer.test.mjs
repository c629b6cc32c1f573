// The grids written into a buffer the page keeps (engine.js's grid/batchGrid/predictGrid/planeGrid
// with `out`, the module's *Into entry points): the values are a fresh computation's, bit for bit,
// on every call of a long pan/zoom sequence and after the wasm memory has grown (which detaches
// every view on it: the module makes and consumes its view inside one call).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOptLab } from './load.mjs';
import { Session } from '../../web/engine.js';
import { GridBuffers } from '../../web/grid_buffers.js';

const M = await loadOptLab();

function assertSameValues(got, want, what) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) {
    if (!Object.is(got[k], want[k])) assert.fail(`${what}: value ${k} is ${got[k]}, a fresh grid has ${want[k]}`);
  }
}

// Grows the module's memory (a result bigger than any before it, and its history) and says by how
// much.
let growSteps = 25000;
function growMemory() {
  const before = M.HEAP8.buffer.byteLength;
  growSteps *= 2;
  const spec = { problem: { name: 'booth' }, steps: growSteps, optimizers: Array.from({ length: 8 }, () => ({ name: 'sgd', lr: 0.001 })) };
  M.runExperiment(JSON.stringify(spec));
  return M.HEAP8.buffer.byteLength - before;
}

const landscapes = [{ name: 'rosenbrock' }, { expr: 'sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2) + abs(x)^1.5' }];

for (const problem of landscapes) {
  test(`grid into a kept buffer equals a fresh grid over 120 pans and zooms (${JSON.stringify(problem)})`, () => {
    const s = new Session(M, { problem, steps: 0, optimizers: [{ name: 'sgd' }] });
    try {
      const buffers = new GridBuffers();
      let kept = null;
      for (let k = 0; k < 120; k++) {
        const zoom = 1 + (k % 7) * 0.3;
        const view = { xmin: -2 / zoom + k * 0.01, xmax: 2 / zoom + k * 0.01, ymin: -1 / zoom - k * 0.005, ymax: 3 / zoom };
        const nx = 96 + (k % 3) * 8;
        const ny = 80;
        const out = buffers.take('view', nx * ny);
        const got = s.grid(view, nx, ny, out);
        assert.equal(got, out, 'the caller\'s buffer is the one filled');
        // Once the largest size has been asked for, every size reuses its storage.
        if (k === 2) kept = out.buffer;
        if (k > 2) assert.equal(out.buffer, kept, `call ${k}: the same storage is reused`);
        assertSameValues(got, s.use((h) => h.grid(view.xmin, view.xmax, view.ymin, view.ymax, nx, ny)), `call ${k}`);
      }
    } finally {
      s.close();
    }
  });
}

test('grid into a kept buffer is right after the wasm memory grows, before and after the kept call', () => {
  const s = new Session(M, { problem: { name: 'himmelblau' }, steps: 0, optimizers: [{ name: 'adam' }] });
  try {
    const view = { xmin: -5, xmax: 5, ymin: -5, ymax: 5 };
    const out = new Float64Array(512 * 512);
    s.grid(view, 512, 512, out);
    const first = Float64Array.from(out);
    assert.ok(growMemory() > 0, 'the memory grew');
    out.fill(NaN);
    assertSameValues(s.grid(view, 512, 512, out), first, 'after growth');
    assert.ok(growMemory() > 0, 'the memory grew again');
    assertSameValues(out, first, 'a filled buffer is the page\'s own: growth does not touch it');
  } finally {
    s.close();
  }
});

test('batchGrid, predictGrid and planeGrid into kept buffers equal fresh grids', () => {
  const fit = new Session(M, {
    problem: { name: 'fit', model: 'line', data: { name: 'noisy_line', n: 32, seed: 1 } }, steps: 0, seed: 2,
    optimizers: [{ name: 'sgd', lr: 0.1, batch_size: 8 }],
  });
  const net = new Session(M, {
    problem: { name: 'mlp', data: { name: 'moons', n: 24 }, layers: [2, 4, 1], batch_size: 8 }, steps: 0, seed: 2,
    optimizers: [{ name: 'adam', lr: 0.01 }],
  });
  try {
    const buffers = new GridBuffers();
    for (let k = 0; k < 20; k++) {
      fit.stepBy(1);
      net.stepBy(1);
      const box = { xmin: -1 - k * 0.05, xmax: 1 + k * 0.02, ymin: -0.5, ymax: 2 };
      assertSameValues(fit.batchGrid(0, k, box, 40, 30, buffers.take('batch', 40 * 30)),
        fit.use((h) => h.batchGrid(0, k, box.xmin, box.xmax, box.ymin, box.ymax, 40, 30)), `batchGrid ${k}`);
      assertSameValues(net.predictGrid(0, box, 24, 24, buffers.take('heat', 2 * 24 * 24)),
        net.use((h) => h.predictGrid(0, box.xmin, box.xmax, box.ymin, box.ymax, 24, 24)), `predictGrid ${k}`);
      net.setPlane({ kind: 'random', seed: 3 });
      assertSameValues(net.planeGrid(box, 16, buffers.take('plane', 16 * 16)),
        net.use((h) => h.planeGrid(box.xmin, box.xmax, box.ymin, box.ymax, 16)), `planeGrid ${k}`);
    }
    assert.ok(growMemory() > 0, 'the memory grew');
    const box = { xmin: -1, xmax: 1, ymin: -1, ymax: 1 };
    assertSameValues(net.predictGrid(0, box, 24, 24, buffers.take('heat', 2 * 24 * 24)),
      net.use((h) => h.predictGrid(0, box.xmin, box.xmax, box.ymin, box.ymax, 24, 24)), 'predictGrid after growth');
  } finally {
    fit.close();
    net.close();
  }
});

test('without a buffer of the right length the engine makes a new one; the module checks what it is given', () => {
  const s = new Session(M, { problem: { name: 'booth' }, steps: 0, optimizers: [{ name: 'sgd' }] });
  try {
    const view = { xmin: -1, xmax: 1, ymin: -1, ymax: 1 };
    const wrong = new Float64Array(5);
    const got = s.grid(view, 4, 3, wrong);
    assert.notEqual(got, wrong);
    assert.equal(got.length, 12);
    assert.ok(wrong.every((v) => v === 0), 'a buffer of another length is left alone');
    assertSameValues(got, s.grid(view, 4, 3), 'a new array');
    assert.throws(() => s.use((h) => h.gridInto([0, 0], -1, 1, -1, 1, 2, 2)), /grid: out must be a Float64Array/);
    assert.throws(() => s.use((h) => h.gridInto(new Float64Array(3), -1, 1, -1, 1, 2, 2)), /grid: out holds 3 numbers, the grid has 4/);
    assert.throws(() => s.grid(view, NaN, 3, wrong), /grid: nx must be a whole number, got NaN/);
  } finally {
    s.close();
  }
});
