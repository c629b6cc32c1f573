// The curvature through the wasm module (issue 16, item 4): the native CLI's bytes for every
// fixture request, torch's numbers, a Session's run at its current point, errors as JS Errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli, root } from './load.mjs';

const M = await loadOptLab();
const fixture = JSON.parse(fs.readFileSync(`${root}/tests/fixtures/torch_hessian.json`, 'utf8'));
const cli = (text) => spawnSync(nativeCli, ['hessian', '-'], { input: text, encoding: 'utf8' });

const near = (a, b, scale) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(b), scale));

test('every fixture request: the native CLI\'s bytes, and torch\'s Hessian and eigenvalues to 1e-8', () => {
  assert.ok(fixture.cases.length >= 16);
  for (const c of fixture.cases) {
    const text = JSON.stringify({ problem: c.problem, points: c.points.map((p) => p.point) });
    const out = M.hessian(text);
    assert.equal(out, cli(text).stdout, `${c.formula}: wasm and native differ`);
    JSON.parse(out).points.forEach((p, i) => {
      const t = c.points[i];
      const scale = Math.max(...t.hessian.flat().filter((v) => v !== null).map(Math.abs), 0);
      for (let r = 0; r < 2; r++) for (let k = 0; k < 2; k++) assert.ok(near(p.hessian[r][k], t.hessian[r][k], scale), `${c.formula} at ${t.point}`);
      for (let k = 0; k < 2; k++) assert.ok(near(p.eigenvalues[k], t.eigenvalues[k], scale), `${c.formula} at ${t.point}: λ${k + 1}`);
    });
  }
});

test('a session gives the curvature at each run\'s current point, as the request would', () => {
  const s = new M.Session(JSON.stringify({ problem: { name: 'rosenbrock' }, steps: 7, optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 1e-3 }] }));
  try {
    for (const i of [0, 1]) {
      const here = JSON.parse(s.curvature(i));
      const p = s.params(i);
      assert.deepEqual(here.point, [p[p.length - 2], p[p.length - 1]]);
      const asked = JSON.parse(M.hessian(JSON.stringify({ problem: { name: 'rosenbrock' }, points: [here.point] }))).points[0];
      assert.deepEqual(here, asked);
    }
    assert.throws(() => s.curvature(2), /run 2 does not exist/);
  } finally {
    s.delete();
  }
});

test('bad requests: a JS Error naming the field, exit code 2 in the CLI', () => {
  for (const [text, message] of [
    ['{"problem": {"name": "rosenbrock"}, "points": [[0, 0], [1]]}', /^points\[1\]: expected \[x, y\]/],
    ['{"problem": {"expr": "x^"}, "points": [[0, 0]]}', /^problem\.expr:/],
    ['{"problem": {"name": "rosenbrock"}}', /^points: required/],
    ['[1, 2]', /hessian request: expected an object/],
  ]) {
    assert.throws(() => M.hessian(text), (e) => e instanceof Error && message.test(e.message), text);
    const run = cli(text);
    assert.equal(run.status, 2, text);
    assert.match(run.stderr, message);
  }
});
