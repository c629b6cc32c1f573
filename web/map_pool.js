// Computes maps: the cells go, coarse level first (map_levels.js), in chunks to Web Workers
// (map_worker.js, one wasm module each), or, where no worker can start (the single file from
// file://, a browser that refuses), to the page's own module in slices of at most SLICE_MS between
// frames, so Step and Play stay responsive. Starting a map cancels the one before; cancel() tells
// the workers to drop their MapJobs and deletes the page's. The rows are the core's; this file only
// decides who computes which cells when.
import { MapJob } from './engine.js';
import { mapLevels } from './map_levels.js';

const ROW = MapJob.ROW;
const CHUNK_MS = 40; // a worker's chunk: long enough to be cheap to send, short enough to cancel
const SLICE_MS = 8; // the main thread's slice between frames
const FIRST_CHUNK_STEPS = 2e5; // before any cell has been timed
// A worker that has not loaded its module by then (a wasm fetch that stalls, a script that never
// arrives) is given up: its cells go to the others or to the page, instead of the map waiting at 0.
const READY_MS = 10000;

export function defaultWorkerCount() {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4));
}

// engine: the page's Engine; workerUrl: the worker script's URL (null: never use workers).
export function createMapPool({ engine, workerUrl }) {
  let workers = []; // {w, alive}
  let current = null; // the map being computed
  let nextId = 1;
  let noWorkers = !workerUrl || typeof Worker === 'undefined';

  // The first n workers, started if need be; more stay idle (their modules stay compiled).
  // readyMs: how long a new worker may take to load its module.
  function spawn(n, readyMs = READY_MS) {
    while (!noWorkers && workers.length < n) {
      let w;
      try {
        w = new Worker(workerUrl, { type: 'module' });
      } catch {
        noWorkers = true; // e.g. file://: a worker from there is refused outright
        break;
      }
      const slot = { w, alive: true, busy: null, ready: setTimeout(() => lose(slot), readyMs) };
      w.onmessage = (e) => {
        if (e.data.type === 'ready') clearTimeout(slot.ready);
        else if (e.data.type === 'failed') lose(slot);
        else if (e.data.type === 'heap') slot.heap?.(e.data.bytes);
        else current?.message(slot, e.data);
      };
      w.onerror = (e) => {
        e.preventDefault?.();
        lose(slot);
      };
      workers.push(slot);
    }
    return workers.slice(0, n).filter((s) => s.alive);
  }

  // A worker that could not load (or crashed): its cells go to the others or to the page.
  function lose(slot) {
    if (!slot.alive) return;
    slot.alive = false;
    clearTimeout(slot.ready);
    slot.w.terminate();
    current?.lost(slot);
    if (!workers.some((s) => s.alive)) noWorkers = true;
  }

  // spec: the map request; on: {rows(indices, rows), progress(done, cells), level(k, ms), done(result),
  // error(message)}; options: {workers: how many (default min(cores, 4)), mainThread: force the page's,
  // readyMs: how long workers started now may take to load (default READY_MS)}.
  // Throws an Error naming the field if the core refuses the spec (nothing starts then).
  function start(spec, on, options = {}) {
    const job = engine.mapJob(spec); // validates: a bad spec throws here, and the map on screen goes on
    let plan;
    try {
      plan = job.plan();
    } catch (e) {
      job.close();
      throw e;
    }
    current?.cancel();
    const id = nextId++;
    const levels = mapLevels(plan.nx, plan.ny);
    const rows = new Float64Array(ROW * plan.cells).fill(NaN);
    const done = new Uint8Array(plan.cells);
    const t0 = performance.now();
    let level = 0;
    let offset = 0;
    let count = 0;
    let msPerCell = null;
    let ended = false;
    let timer = 0;
    const retry = []; // chunks a lost worker had
    const pool = options.mainThread ? [] : spawn(options.workers ?? defaultWorkerCount(), options.readyMs);
    const mode = () => (pool.some((s) => s.alive) ? 'workers' : 'main');

    // Up to n cells of the current level (a later level only once this one is handed out).
    function take(n) {
      if (retry.length) return retry.shift();
      while (level < levels.length && offset >= levels[level].cells.length) {
        level += 1;
        offset = 0;
      }
      if (level >= levels.length) return null;
      const cells = levels[level].cells;
      const chunk = cells.slice(offset, offset + n);
      offset += chunk.length;
      return chunk;
    }

    function chunkSize(budgetMs, spread) {
      const guess = msPerCell === null ? Math.floor(FIRST_CHUNK_STEPS / Math.max(1, spec.map.steps)) : Math.floor(budgetMs / msPerCell);
      // A coarse level is shared out among the workers, not given whole to the first.
      const share = level < levels.length ? Math.ceil(levels[level].cells.length / (2 * spread)) : Infinity;
      return Math.max(1, Math.min(guess, share, 4096));
    }

    function accept(indices, got, ms) {
      if (ended) return;
      if (ms > 2 && indices.length) msPerCell = msPerCell === null ? ms / indices.length : 0.5 * msPerCell + 0.5 * (ms / indices.length);
      const finished = [];
      for (let k = 0; k < indices.length; k++) {
        const c = indices[k];
        if (done[c]) continue;
        rows.set(got.subarray(ROW * k, ROW * k + ROW), ROW * c);
        done[c] = 1;
        count += 1;
        const lv = levelOf[c];
        if (--left[lv] === 0) finished.push(lv);
      }
      on.rows?.(indices, got);
      // A level's last cells are in the caller's rows before it hears the level is complete.
      for (const lv of finished) on.level?.(lv, performance.now() - t0);
      on.progress?.(count, plan.cells);
      if (count === plan.cells) finish();
    }

    // Which level each cell is in, and how many of each level are still to come.
    const levelOf = new Uint8Array(plan.cells);
    const left = levels.map((l, k) => {
      for (const c of l.cells) levelOf[c] = k;
      return l.cells.length;
    });

    function finish() {
      ended = true;
      let result;
      try {
        result = job.assemble(rows);
      } catch (e) {
        on.error?.(e.message);
        return cleanup();
      }
      cleanup();
      on.done?.(result, { ms: performance.now() - t0, mode: handle.mode });
    }

    function cleanup() {
      ended = true;
      clearTimeout(timer);
      for (const s of pool) if (s.alive) s.w.postMessage({ type: 'close', id });
      for (const s of pool) s.busy = null;
      job.close();
      if (current === handle) current = null;
    }

    // ---- workers ----
    function feed() {
      if (ended) return;
      const alive = pool.filter((s) => s.alive);
      if (!alive.length) return mainSlice();
      for (const s of alive) {
        if (s.busy) continue;
        const chunk = take(chunkSize(CHUNK_MS, alive.length));
        if (!chunk) break;
        s.busy = chunk;
        s.w.postMessage({ type: 'run', id, indices: chunk });
      }
    }

    // ---- the page's own module, between frames ----
    function mainSlice() {
      if (ended) return;
      handle.mode = 'main';
      const t = performance.now();
      try {
        while (performance.now() - t < SLICE_MS) {
          const spent = performance.now() - t;
          const chunk = take(msPerCell === null ? 1 : Math.max(1, Math.min(4096, Math.floor((SLICE_MS - spent) / msPerCell))));
          if (!chunk) break;
          const c0 = performance.now();
          const got = job.run(chunk);
          const ms = performance.now() - c0;
          msPerCell = msPerCell === null ? ms / chunk.length : 0.5 * msPerCell + 0.5 * (ms / chunk.length);
          accept(chunk, got, 0);
          if (ended) return;
        }
      } catch (e) {
        on.error?.(e.message);
        return cleanup();
      }
      timer = setTimeout(mainSlice, 0);
    }

    const handle = {
      id,
      plan,
      mode: mode(),
      cancel() {
        if (!ended) cleanup();
      },
      message(slot, msg) {
        if (msg.id !== id) return; // an earlier map's answer
        if (msg.type === 'error') {
          on.error?.(msg.message);
          return cleanup();
        }
        if (msg.type === 'rows') {
          slot.busy = null;
          if (msg.rows) accept(msg.indices, msg.rows, msg.ms);
          feed();
        }
      },
      lost(slot) {
        if (slot.busy) retry.push(slot.busy);
        slot.busy = null;
        if (!pool.some((s) => s.alive)) {
          handle.mode = 'main';
          clearTimeout(timer);
          timer = setTimeout(mainSlice, 0);
        } else feed();
      },
    };
    current = handle;
    for (const s of pool) if (s.alive) s.w.postMessage({ type: 'open', id, spec });
    if (handle.mode === 'workers') feed();
    else timer = setTimeout(mainSlice, 0);
    return handle;
  }

  return {
    start,
    // For tests: the bytes each live worker's module holds (after the messages before this one).
    heap: () => Promise.all(workers.filter((s) => s.alive).map((s) => new Promise((resolve) => {
      s.heap = resolve;
      s.w.postMessage({ type: 'heap' });
    }))),
    cancel: () => current?.cancel(),
    busy: () => current !== null,
    destroy() {
      current?.cancel();
      for (const s of workers) {
        clearTimeout(s.ready);
        s.w.terminate();
      }
      workers = [];
    },
  };
}
