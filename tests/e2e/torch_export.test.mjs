// Issue 17 on the page: "Export PyTorch script" saves the core's script for the experiment on screen
// (the bytes `optlab export-torch` writes for the exported experiment, and, with torch here, a
// script that matches OptLab when run), "Export weights" the selected run's current weights in the
// three forms (from the network's layer inspector); PyTorch sits in the header's one-row Export
// group; a refusal is a notice, not a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { useServerAndBrowser, settle, screenshot, encodeSpec, withCleanPage } from './harness.mjs';
import { nativeCli } from '../wasm/load.mjs';

const env = useServerAndBrowser();

const NETWORK = {
  problem: {
    name: 'mlp', data: { name: 'moons', n: 60, noise: 0.1, seed: 1 },
    layers: [2, 6, 1], activation: 'tanh', loss: 'bce', batch_size: 12, init: { seed: 2 },
  },
  steps: 0,
  seed: 3,
  optimizers: [
    { name: 'sgd', lr: 0.2, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'adam', lr: 0.02, label: 'Adam', color: '#cc79a7' },
  ],
};

const withPage = (spec, size, fn) => withCleanPage(env, env.server.url + encodeSpec(spec), size, fn);

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const chunks = [];
  for await (const c of await file.createReadStream()) chunks.push(c);
  return Object.assign(Buffer.concat(chunks), { fileName: file.suggestedFilename() });
}

const torchPython = ['/usr/bin/python3', 'python3'].find((py) => spawnSync(py, ['-c', 'import torch']).status === 0);

test('network: Export PyTorch script and Export weights save the core\'s files for the experiment on screen', async (t) => {
  await withPage(NETWORK, { width: 1280, height: 720 }, async (page) => {
    // The header stays one row at 1280 px with PyTorch in its Export group; Export weights sits in
    // the network's layer inspector.
    const top = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top);
    for (const sel of ['#export-torch', '#import-label', '#share-link'])
      assert.ok(Math.abs(await top(sel) - await top('#mode-network')) < 4, `${sel} on the header's row`);
    assert.equal(await page.getByRole('button', { name: 'Export weights' }).isVisible(), true);
    assert.equal(await page.$eval('#export-weights', (e) => !!e.closest('#layer-inspector')), true);
    await page.getByRole('button', { name: 'Step 10' }).click();
    await settle(page);
    await screenshot(page, 'torch-export-network-1280');

    const script = await download(page, 'Export PyTorch script');
    assert.equal(script.fileName, 'optlab-experiment.py');
    const text = script.toString('utf8');
    assert.match(text, /nn\.Sequential\(nn\.Linear\(2, 6\), nn\.Tanh\(\), nn\.Linear\(6, 1\)\)/);
    assert.match(text, /"steps": 10,/);
    // The same bytes as the CLI writes for the experiment the page exports.
    const spec = (await download(page, 'Export JSON')).toString('utf8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'optlab-torch-'));
    fs.writeFileSync(path.join(dir, 'spec.json'), spec);
    const cli = spawnSync(nativeCli, ['export-torch', path.join(dir, 'spec.json')], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(text, cli.stdout);
    fs.writeFileSync(path.join(dir, 'experiment.py'), text);

    // Select Adam, then export its weights.
    await page.evaluate(() => window.optlab.app.setState({ selected: 1 }));
    await settle(page);
    const file = await download(page, 'Export weights');
    assert.equal(file.fileName, 'optlab-weights.json');
    const w = JSON.parse(file.toString('utf8'));
    const core = await page.evaluate(() => Array.from(window.optlab.app.session().weights(1)));
    assert.deepEqual(w.flat, core);
    assert.equal(w.step, 10);
    assert.equal(w.label, 'Adam');
    assert.deepEqual(Object.keys(w.state_dict).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
    assert.deepEqual(w.state_dict['0.weight'], w.tensors[0]);
    assert.deepEqual(w.tensors[0][5], core.slice(10, 12));  // W1's last row (out 5, in 0..1)
    assert.deepEqual(w.tensors[3], core.slice(24, 25));     // b2, the last number

    await t.test('the downloaded script matches OptLab when python3 + torch runs it', { skip: torchPython ? false : 'no python3 with torch here (apt-get install python3-torch)' }, () => {
      const run = spawnSync(torchPython, ['-W', 'ignore', path.join(dir, 'experiment.py')], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^all 2 runs match OptLab to 1e-09$/m);
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test('landscape: no Export weights; a spec torch cannot replay gets a notice and no file', async () => {
  const spec = {
    problem: { name: 'rosenbrock' }, steps: 0,
    optimizers: [{ name: 'adam', lr: 0.05, bias_correction: false, label: 'Adam, no correction', color: '#0072b2' }],
  };
  await withPage(spec, { width: 390, height: 844 }, async (page) => {
    assert.equal(await page.getByRole('button', { name: 'Export weights' }).isVisible(), false);
    await screenshot(page, 'torch-export-landscape-390');
    let downloads = 0;
    page.on('download', () => { downloads += 1; });
    await page.getByRole('button', { name: 'Export PyTorch script' }).click();
    await settle(page);
    assert.match(await page.locator('#notice-text').textContent(),
      /^Could not export the PyTorch script: optimizers\[0\]\.bias_correction: false is OptLab's own option/);
    assert.equal(downloads, 0);
  });
});
