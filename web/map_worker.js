// One map worker: its own wasm module (through engine.js, the one door to the core) and at most one
// MapJob, computing the cells the page's pool (map_pool.js) hands it. Messages, all with the map's id:
//   in:  {type: 'open', id, spec} · {type: 'run', id, indices: Int32Array} · {type: 'close', id}
//        · {type: 'heap'} (for tests: the bytes its module's malloc holds)
//   out: {type: 'rows', id, indices, rows: Float64Array, ms} · {type: 'error', id, message}
//        · {type: 'heap', bytes}
//        · {type: 'ready'} (the module has loaded) · {type: 'failed', message} (it could not load:
//        the pool computes elsewhere)
import { loadEngine } from './engine.js';

const ready = loadEngine().then((engine) => {
  self.postMessage({ type: 'ready' });
  return engine;
}, (e) => {
  self.postMessage({ type: 'failed', message: e.message });
  return null;
});
let job = null; // {id, map: MapJob}

function closeJob() {
  job?.map.close();
  job = null;
}

self.onmessage = async (event) => {
  const engine = await ready; // every message waits on the same promise: their order is kept
  if (!engine) return;
  const msg = event.data;
  try {
    if (msg.type === 'open') {
      closeJob();
      job = { id: msg.id, map: engine.mapJob(msg.spec) };
    } else if (msg.type === 'heap') {
      self.postMessage({ type: 'heap', bytes: engine.heapBytes() });
    } else if (msg.type === 'close') {
      if (job?.id === msg.id) closeJob();
    } else if (msg.type === 'run') {
      // A map cancelled since: its cells are not wanted, but the pool hears that they are done.
      if (job?.id !== msg.id) return self.postMessage({ type: 'rows', id: msg.id, indices: msg.indices, rows: null, ms: 0 });
      const t0 = performance.now();
      const rows = job.map.run(msg.indices);
      self.postMessage({ type: 'rows', id: msg.id, indices: msg.indices, rows, ms: performance.now() - t0 }, [rows.buffer]);
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, message: e.message });
  }
};
