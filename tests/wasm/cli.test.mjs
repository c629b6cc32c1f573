// The optlab CLI's own input and output failures: each gets one clear line on stderr and a
// non-zero exit, never an abort or a silent exit (issue 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeCli } from './load.mjs';

const SPEC = '{"problem": {"name": "booth"}, "steps": 3, "optimizers": [{"name": "sgd"}]}';
const run = (args, opts = {}) => spawnSync(nativeCli, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });

test('a directory is named as a directory, not as invalid JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optlab-cli-'));
  try {
    const r = run(['run', dir]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `cannot read ${dir}: it is a directory, not a spec file\n`);
    assert.equal(r.stdout, '');
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('a missing file says so', () => {
  const r = run(['run', '/nonexistent/spec.json']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^cannot read \/nonexistent\/spec\.json: no such file/);
});

test('input over the size limit is refused naming the limit, without reading it all', () => {
  const r = run(['run', '-'], { input: ' '.repeat(12 * 1024 * 1024) + SPEC });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'spec: more than the limit of 1000000 bytes\n');
});

test('input just under the limit is read', () => {
  const padded = SPEC + ' '.repeat(1000000 - SPEC.length);
  const r = run(['run', '-'], { input: padded });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).runs[0].params.length, 4);
});

test('a full standard output is an error with a message, not a silent exit', () => {
  const full = fs.openSync('/dev/full', 'w');
  try {
    const r = spawnSync(nativeCli, ['run', '-'], { input: SPEC, stdio: ['pipe', full, 'pipe'], encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'optlab: could not write the result to standard output (disk full or output closed)\n');
  } finally {
    fs.closeSync(full);
  }
});
