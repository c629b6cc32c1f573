// Every result is byte-identical to what the core printed before a change that must not alter
// bytes (issue 18's speed work): tests/golden/specs.json (tests/tools/make_golden_specs.py: the
// fixture cases, the fuzz corpus, the docs' examples, every landscape with every optimizer,
// formulas, a 100k-step run, a divergence) run through runExperiment and `optlab run`, each
// output's SHA-256 (or error message) compared with tests/golden/results.json.
// Regenerate results.json only from a build whose bytes are known right (a change meant to alter
// results regenerates it in the same commit, and says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadOptLab, nativeCli, root } from './load.mjs';

const specs = JSON.parse(fs.readFileSync(path.join(root, 'tests/golden/specs.json'), 'utf8'));
const want = JSON.parse(fs.readFileSync(path.join(root, 'tests/golden/results.json'), 'utf8'));
const sha = (text) => crypto.createHash('sha256').update(text).digest('hex');
const M = await loadOptLab();

test('the golden set covers every spec once', () => {
  assert.equal(specs.length, Object.keys(want).length);
  assert.ok(specs.length > 200);
});

test('runExperiment prints the golden bytes for every spec', () => {
  for (const { name, spec } of specs) {
    const w = want[name];
    let got;
    try {
      got = { sha256: sha(M.runExperiment(spec)) };
    } catch (e) {
      got = { error: e.message };
    }
    if (w.error) assert.equal(got.error, w.error, name);
    else assert.equal(got.sha256, w.sha256, name);
  }
});

test('optlab run prints the golden bytes for every spec', () => {
  for (const { name, spec } of specs) {
    const w = want[name];
    const r = spawnSync(nativeCli, ['run', '-'], { input: spec, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (w.error) {
      assert.equal(r.stderr, `${w.error}\n`, name);
      assert.equal(r.status, w.status, name);
    } else {
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.equal(sha(r.stdout), w.sha256, name);
    }
  }
});
