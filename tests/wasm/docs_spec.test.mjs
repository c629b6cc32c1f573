// docs/spec/*.md against the core: the tables a reader trusts (landscapes with their formulas and
// starts, optimizers with their hyperparameters and defaults, the spec's limits) say what
// runExperiment does. Everything goes through runExperiment, the contract the docs describe.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadOptLab, root } from './load.mjs';

const experimentMd = fs.readFileSync(path.join(root, 'docs/spec/experiment.md'), 'utf8');
const updateRulesMd = fs.readFileSync(path.join(root, 'docs/spec/update-rules.md'), 'utf8');
const minus = (text) => text.replace(/\u2212/g, '-');

let M;
before(async () => { M = await loadOptLab(); });

const run = (spec) => M.runExperiment(JSON.stringify(spec));
function errorOf(spec) {
  try {
    run(spec);
  } catch (e) {
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(spec).slice(0, 80)} to be rejected`);
}
// "... (expected one of a, b, c)" -> [a, b, c]
function expectedList(message) {
  const m = /expected one of ([^)]*)\)/.exec(message);
  assert.ok(m, message);
  return m[1].split(', ');
}

// | `rosenbrock` | `(1-x)^2 + 100*(y-x^2)^2` | (−1.5, 2) |
const landscapes = [...experimentMd.matchAll(/^\s*\| `(\w+)` \| `([^`]+)` \| \(([^)]+)\) \|$/gm)]
  .map(([, name, formula, start]) => ({ name, formula, start: minus(start).split(', ').map(Number) }));

test('docs/spec/experiment.md lists every built-in landscape, and only those', () => {
  const names = expectedList(errorOf({ problem: { name: 'no_such' }, steps: 0, optimizers: [{ name: 'sgd' }] }));
  assert.deepEqual(landscapes.map((l) => l.name), names);
});

for (const { name, formula, start } of landscapes) {
  test(`docs/spec/experiment.md: ${name} has the documented formula and default start`, () => {
    const builtin = JSON.parse(run({ problem: { name }, steps: 0, optimizers: [{ name: 'sgd' }] })).runs[0];
    assert.deepEqual(builtin.params[0], start);
    // The formula, typed in, gives the built-in's value at the start and at another point.
    for (const at of [start, [0.3, -0.7]]) {
      const spec = (problem) => ({ problem, start: at, steps: 0, optimizers: [{ name: 'sgd' }] });
      const want = JSON.parse(run(spec({ name }))).runs[0].loss[0];
      const got = JSON.parse(run(spec({ expr: formula }))).runs[0].loss[0];
      assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${name} at ${at}: ${got} vs ${want}`);
    }
  });
}

test('docs/spec/experiment.md: a formula with no name has the documented default start (-2, 2)', () => {
  assert.match(experimentMd, /`\{"expr": "FORMULA"\}`[^\n]*default start \(−2, 2\)/);
  const r = JSON.parse(run({ problem: { expr: 'x^2 + y^2' }, steps: 0, optimizers: [{ name: 'sgd' }] })).runs[0];
  assert.deepEqual(r.params[0], [-2, 2]);
});

// | `sgd` | lr 1e-3 (torch ≥ 2.2; ...), momentum 0, ... | ... |   and   | `adamw` | as adam, but **weight_decay 1e-2** | ...
function parseDefaults(text, table) {
  const plain = text.replace(/\*\*/g, '').replace(/ \([^)]*torch[^)]*\)/g, '')
    .replace(/(betas|etas|step_sizes) \(([^)]+)\)/g, (_, key, pair) => `${key} [${pair}]`);
  const base = /^as (\w+), but (.*)$/.exec(plain);
  const out = base ? { ...table[base[1]] } : {};
  for (const item of (base ? base[2] : plain).split(/, (?![^[]*\])/)) {
    const [, key, value] = /^(\w+) (.+)$/.exec(item);
    out[key] = JSON.parse(value);
  }
  return out;
}
const defaults = {};
const section = updateRulesMd.slice(updateRulesMd.indexOf('## Names, defaults'), updateRulesMd.indexOf('### At a glance'));
for (const [, name, text] of section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)) defaults[name] = parseDefaults(text.trim(), defaults);

// A hyperparameter shows in the result only where it acts: these runs make each one act.
const PROBE = { problem: { name: 'rosenbrock', noise: 0.5 }, start: [-1.2, 1.1], steps: 30, seed: 3 };
const CONTEXT = {
  'sgd.dampening': { momentum: 0.5 }, 'sgd.nesterov': { momentum: 0.5 },
  'adam.amsgrad': { betas: [0.9, 0.5] }, 'adamw.amsgrad': { betas: [0.9, 0.5] },
};
// Another valid value the probe must notice (Rprop's etas must keep 0 < etas[0] < 1 < etas[1];
// a narrow step_sizes makes its clamp bite within the probe's steps).
const OTHER = { 'rprop.etas': [0.4, 1.5], 'rprop.step_sizes': [1e-3, 0.02] };
// ASGD's t0 only decides when `ax` starts averaging; ax is state and never feeds back into the
// parameters, so no result can show it (its fixture checks it through the state: optim_torch_test).
const INVISIBLE = new Set(['asgd.t0']);
const other = (key, v) => (typeof v === 'boolean' ? !v : Array.isArray(v) ? [v[0] / 2, v[1] / 2] : v / 2 + 0.01);

test('docs/spec/update-rules.md lists every optimizer and each one\'s hyperparameters, and only those', () => {
  const names = expectedList(errorOf({ ...PROBE, optimizers: [{ name: 'no_such' }] }));
  assert.deepEqual(Object.keys(defaults), names);
  for (const name of names) {
    const listed = expectedList(errorOf({ ...PROBE, optimizers: [{ name, no_such: 1 }] }));
    assert.deepEqual(Object.keys(defaults[name]).sort(), [...listed].sort(), name);
  }
});

for (const [name, table] of Object.entries(defaults)) {
  test(`docs/spec/update-rules.md: ${name}'s documented defaults are the core's`, () => {
    for (const [key, value] of Object.entries(table)) {
      const context = CONTEXT[`${name}.${key}`] ?? {};
      const result = (options) => run({ ...PROBE, optimizers: [{ name, ...context, ...options }] });
      const implicit = result({});
      assert.equal(result({ [key]: value }), implicit, `${name}.${key}: ${JSON.stringify(value)} is not the default`);
      // ... and the probe would have noticed a different value.
      if (INVISIBLE.has(`${name}.${key}`)) continue;
      const changed = OTHER[`${name}.${key}`] ?? other(key, value);
      assert.notEqual(result({ [key]: changed }), implicit, `${name}.${key}: the probe cannot see it`);
    }
  });
}

test('docs/spec/experiment.md: the step, optimizer and formula limits are the core\'s', () => {
  assert.match(experimentMd, /a whole number from 0 to 1,000,000/);
  assert.match(errorOf({ ...PROBE, steps: 1000001, optimizers: [{ name: 'sgd' }] }), /^steps: .*0 to 1000000/);
  assert.match(experimentMd, /a list of 1 to 8 entries/);
  const sgd = { name: 'sgd' };
  run({ ...PROBE, steps: 1, optimizers: Array(8).fill(sgd) });
  assert.match(errorOf({ ...PROBE, steps: 1, optimizers: Array(9).fill(sgd) }), /^optimizers: .*1 to 8/);
  assert.match(experimentMd, /A formula is at most\s+10,000 characters and 256 levels deep/);
  const formula = (n) => `x${' + 0'.repeat(2499)}`.padEnd(n); // 9,997 characters, then spaces
  run({ problem: { expr: formula(10000) }, steps: 0, optimizers: [sgd] });
  assert.match(errorOf({ problem: { expr: formula(10001) }, steps: 0, optimizers: [sgd] }), /^problem\.expr: /);
  const nested = (depth) => `${'('.repeat(depth)}x${')'.repeat(depth)}`;
  run({ problem: { expr: nested(256) }, steps: 0, optimizers: [sgd] });
  assert.match(errorOf({ problem: { expr: nested(257) }, steps: 0, optimizers: [sgd] }), /^problem\.expr: /);
});

test('docs/spec/experiment.md: the budgets table gives the core\'s budgets', () => {
  const limits = JSON.parse(M.catalog()).limits;
  const table = experimentMd.slice(experimentMd.indexOf('## Budgets'), experimentMd.indexOf('## Errors'));
  const value = (key) => {
    const m = new RegExp(`\\| \`${key}\` \\| ([^ |]+)`).exec(table);
    assert.ok(m, `${key} is in the table`);
    return Number(m[1].replace(/,/g, ''));
  };
  for (const key of ['max_step_cost', 'max_request_cost', 'max_total_weights', 'max_result_numbers'])
    assert.equal(value(key), limits[key], key);
});

// | `step_lr` | step_size —, gamma 0.1 |  ...  in experiment.md's scheduler table, against the catalog.
test('docs/spec/experiment.md lists every scheduler with its arguments and defaults, in the catalog\'s order', () => {
  const catalog = JSON.parse(M.catalog()).schedulers;
  const table = experimentMd.slice(experimentMd.indexOf('### Schedulers'), experimentMd.indexOf('## Result'));
  const rows = [...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|$/gm)];
  assert.deepEqual(rows.map((r) => r[1]), catalog.map((s) => s.name));
  for (const [, name, text] of rows) {
    const entry = catalog.find((s) => s.name === name);
    const items = text.split(/\. (?=`)/)[0].trim().split(/, (?![^(]*\))/);
    assert.deepEqual(items.map((i) => i.split(' ')[0]), entry.arguments.map((a) => a.name), name);
    for (const item of items) {
      const [key, token] = item.split(' ');
      const arg = entry.arguments.find((a) => a.name === key);
      if (token === '—') { assert.equal(arg.required, true, `${name}.${key}`); continue; }
      assert.equal(arg.required, false, `${name}.${key}`);
      if (token === '(default:') { assert.equal(arg.default, null, `${name}.${key}`); continue; }
      const value = token === '1/3' ? 1 / 3 : JSON.parse(token);
      assert.equal(arg.default, value, `${name}.${key}`);
    }
  }
});

test('docs/spec/experiment.md: the scheduler names are the core\'s (an unknown one lists them)', () => {
  const names = expectedList(errorOf({ ...PROBE, optimizers: [{ name: 'sgd', scheduler: { name: 'no_such' } }] }));
  assert.deepEqual(names, JSON.parse(M.catalog()).schedulers.map((s) => s.name));
});
