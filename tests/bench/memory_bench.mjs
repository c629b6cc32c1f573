// npm run bench: how much memory long sessions hold (issue 5: under 64 MB of wasm memory for
// 8 runs x 1,000,000 steps). Steps 8 landscape runs to 1,000,000 and 8 runs of a 2-16-16-1 network
// to NET_STEPS (default 30,000: their memory is flat once the windows slide; 1,000,000 takes ~13
// minutes), printing heap in use and wasm memory as they go.
import { loadOptLab } from '../wasm/load.mjs';
import { longLandscape, longNetwork } from '../wasm/specs.mjs';

const MB = 2 ** 20;
const M = await loadOptLab();

function measure(name, spec, steps, chunk) {
  const s = new M.Session(JSON.stringify(spec));
  const t0 = performance.now();
  let maxInUse = 0;
  try {
    for (let done = 0; done < steps; done += chunk) {
      s.stepBy(Math.min(chunk, steps - done));
      maxInUse = Math.max(maxInUse, M.heapBytesInUse());
      const at = s.stepCount();
      if (at % (steps / 10) < chunk || at === steps) {
        console.log(`${name.padEnd(9)} step ${String(at).padStart(9)}  heap in use ${(M.heapBytesInUse() / MB).toFixed(1).padStart(5)} MB`
          + `  wasm memory ${(M.HEAPU8.buffer.byteLength / MB).toFixed(0).padStart(3)} MB  samples/run ${s.steps(0).length}`
          + `  Back reaches ${s.earliestStep()}  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    s.delete();
  }
  return maxInUse;
}

const netSteps = Number(process.env.NET_STEPS ?? 30000);
const land = measure('landscape', longLandscape, 1000000, 10000);
const net = measure('network', longNetwork, netSteps, 1000);
console.log(`max heap in use: landscape ${(land / MB).toFixed(1)} MB, network ${(net / MB).toFixed(1)} MB; `
  + `wasm memory ${(M.HEAPU8.buffer.byteLength / MB).toFixed(0)} MB (target < 64)`);
