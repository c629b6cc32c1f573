// Network training speed against TensorFlow.js (issue 4's bar: ours >= 3x the faster TF.js backend).
// One problem for all three: a 2-64-64-1 tanh network, BCE on 512 spiral points, full batch, Adam
// lr 0.01, 1000 steps. The points and the initial weights come from our module (s.dataset(),
// s.weights(0)), so TF.js trains the very same network; its losses are cross-checked against ours.
// TF.js computes in float32 and we in float64, so "the same" means agreeing to a few digits.
//
// Adam: tf.train.adam(lr, beta1, beta2, epsilon) bias-corrects both moments and adds epsilon to
// sqrt(v̂), as torch does, but its default epsilon is the backend's (1e-7), not torch's 1e-8: set
// explicitly here.
// Usage: node tests/bench/tfjs_bench.mjs [steps]   (prints a table; writes build/tfjs_bench.json)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { register } from 'node:module';
import { loadOptLab, root } from '../wasm/load.mjs';

// tfjs-core registers no gradients by itself (the umbrella @tensorflow/tfjs package imports
// dist/register_all_gradients.js). Those files are ES modules with extensionless relative imports,
// (and directory imports), which node resolves only with this small hook; the registry they fill is tfjs's global one.
const hook = `export async function resolve(s, c, next) {
  try { return await next(s, c); } catch (e) {
    const ours = /^\\.\\.?\\//.test(s) && c.parentURL && c.parentURL.includes('/@tensorflow/');
    if (!ours) throw e;
    try { return await next(s + '.js', c); } catch { return next(s + '/index.js', c); }
    throw e;
  }
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');

const STEPS = Number(process.argv[2] ?? 1000);
const LR = 0.01;
const BETAS = [0.9, 0.999];
const EPS = 1e-8;
const SPEC = {
  problem: {
    name: 'mlp',
    data: { name: 'spiral', n: 512, classes: 2, noise: 0.1, seed: 1 },
    layers: [2, 64, 64, 1], activation: 'tanh', loss: 'bce', batch_size: null, init: { seed: 1 },
  },
  steps: 0,
  seed: 0,
  optimizers: [{ name: 'adam', lr: LR, betas: BETAS, eps: EPS }],
};

// ---- ours: Session.stepBy, as the page drives it ----
const M = await loadOptLab();
const session = new M.Session(JSON.stringify(SPEC));
let data;
let w0;
let ours;
try {
  data = JSON.parse(session.dataset());
  w0 = Float64Array.from(session.weights(0));
  session.stepBy(1); // warm-up (first allocations), then time from a fresh start
  session.reset();
  const t0 = performance.now();
  session.stepBy(STEPS);
  const ms = performance.now() - t0;
  const losses = session.losses(0);
  ours = { backend: 'OptLab wasm (float64)', ms, loss0: losses[0], loss: losses[STEPS] };
} finally {
  session.delete();
}

// The flat nn.Linear layout (W1 [out][in], b1, W2, b2, ...) cut into TF variables, with each W
// transposed to [in][out] so that a layer is x·W + b.
function tfParams(layers, flat) {
  const vars = [];
  let at = 0;
  for (let l = 1; l < layers.length; l++) {
    const [nin, nout] = [layers[l - 1], layers[l]];
    const wt = new Float32Array(nin * nout);
    for (let o = 0; o < nout; o++) for (let i = 0; i < nin; i++) wt[i * nout + o] = flat[at + o * nin + i];
    at += nin * nout;
    const b = Float32Array.from(flat.subarray(at, at + nout));
    at += nout;
    vars.push({ w: tf.variable(tf.tensor2d(wt, [nin, nout])), b: tf.variable(tf.tensor1d(b)) });
  }
  if (at !== flat.length) throw new Error(`weights: expected ${at} numbers, got ${flat.length}`);
  return vars;
}

async function runTf(backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.tensor2d(data.train.x.flat(), [data.train.x.length, 2]);
  const y = tf.tensor2d(data.train.y, [data.train.y.length, 1]);
  const vars = tfParams(data.layers, w0);
  // BCEWithLogitsLoss, numerically stable form: mean(max(z, 0) − z·y + log(1 + exp(−|z|))).
  const loss = () => tf.tidy(() => {
    let h = x;
    vars.forEach((v, k) => {
      h = tf.add(tf.matMul(h, v.w), v.b);
      if (k < vars.length - 1) h = tf.tanh(h);
    });
    return tf.mean(tf.add(tf.sub(tf.relu(h), tf.mul(h, y)), tf.log1p(tf.exp(tf.neg(tf.abs(h))))));
  });
  const varList = vars.flatMap((v) => [v.w, v.b]);
  const opt = tf.train.adam(LR, BETAS[0], BETAS[1], EPS);
  const loss0 = (await loss().data())[0];
  const t0 = performance.now();
  for (let k = 0; k < STEPS; k++) tf.dispose(opt.minimize(loss, false, varList));
  const final = loss();
  const lossEnd = (await final.data())[0]; // waits for the last step's kernels too
  const ms = performance.now() - t0;
  tf.dispose([x, y, final, ...varList]);
  opt.dispose();
  return { backend: `TF.js ${backend} (float32)`, ms, loss0, loss: lossEnd };
}

// The wasm backend's .wasm files ship inside its npm package; node reads them by file path.
const require = createRequire(import.meta.url);
setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
const results = [ours, await runTf('cpu'), await runTf('wasm')];

const faster = Math.max(...results.slice(1).map((r) => STEPS / (r.ms / 1000)));
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}; tfjs ${tf.version_core}`);
console.log(`2-64-64-1 tanh, BCE, ${data.train.x.length} spiral points, full batch, Adam lr ${LR} eps ${EPS}, ${STEPS} steps`);
console.log(['backend'.padEnd(26), 'steps/s'.padStart(9), 'loss@0'.padStart(12), `loss@${STEPS}`.padStart(12), '|Δ loss| vs ours'.padStart(17)].join(' '));
for (const r of results) {
  r.stepsPerSecond = STEPS / (r.ms / 1000);
  r.lossDiff = Math.abs(r.loss - ours.loss);
  console.log([r.backend.padEnd(26), r.stepsPerSecond.toFixed(0).padStart(9), r.loss0.toPrecision(7).padStart(12),
    r.loss.toPrecision(7).padStart(12), (r === ours ? '—' : r.lossDiff.toExponential(2)).padStart(17)].join(' '));
}
const ratio = ours.stepsPerSecond / faster;
console.log(`ours / faster TF.js backend: ${ratio.toFixed(2)}x (target >= 3)`);
fs.mkdirSync(path.join(root, 'build'), { recursive: true });
fs.writeFileSync(path.join(root, 'build/tfjs_bench.json'), `${JSON.stringify({ steps: STEPS, results, ratio }, null, 2)}\n`);
