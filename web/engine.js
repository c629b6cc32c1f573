// The page's only door to the C++ core (web/wasm/optlab.mjs): loads the module, turns its JSON
// strings into objects, turns whatever it throws into an Error with a message, and owns the native
// Session handle so that it is deleted exactly once. Everything numeric the page shows comes
// through here; nothing in the page recomputes it.

// Errors from embind arrive as Error objects; a C++ exception that escaped the bindings would
// arrive as a bare number (a pointer), which is useless to show, so it gets a plain message.
function toError(e) {
  if (e instanceof Error) return e;
  if (typeof e === 'number') return new Error('the core failed without a message (internal error)');
  return new Error(String(e));
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    throw toError(e);
  }
}

// `out` if it is a Float64Array of n numbers, else a new one. A size the core would refuse makes
// no array at all (the core's message follows): n is only trusted once it is a sane whole number.
function sized(out, n) {
  if (out instanceof Float64Array && out.length === n) return out;
  return new Float64Array(Number.isSafeInteger(n) && n > 0 && n <= 2 ** 26 ? n : 0);
}

export async function loadEngine(moduleOptions = {}) {
  const { default: createOptLab } = await import('./wasm/optlab.mjs');
  const wasmBinary = moduleOptions.wasmBinary ?? embeddedWasm();
  const M = await createOptLab(wasmBinary ? { ...moduleOptions, wasmBinary } : moduleOptions);
  return new Engine(M);
}

// The single-file build (dist/optlab.html, opened from file:// where nothing can be fetched) carries
// the module as base64 in a <script type="application/octet-stream" id="optlab-wasm"> data block:
// not executed, so the Content-Security-Policy has nothing to allow for it.
function embeddedWasm() {
  const block = globalThis.document?.getElementById('optlab-wasm');
  if (!block) return undefined;
  const text = atob(block.textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export class Engine {
  constructor(M) {
    this.M = M;
    // The catalog: the core is the one list of optimizers, landscapes, datasets, activations,
    // losses and limits ({max_steps, max_optimizers, max_formula_length, ...}); the page builds its
    // menus, sliders and checks from it. landscapes and optimizers are the same data.
    this.catalog = call(() => JSON.parse(M.catalog()));
    this.landscapes = this.catalog.landscapes;
    this.optimizers = this.catalog.optimizers;
  }

  // Bytes malloc has handed out, and the wasm memory's whole size (it grows, never shrinks).
  heapBytes() { return call(() => this.M.heapBytesInUse()); }
  memoryBytes() { return this.M.HEAP8?.buffer.byteLength ?? 0; }

  landscape(name) {
    return this.landscapes.find((l) => l.name === name) ?? null;
  }

  optimizer(name) {
    return this.optimizers.find((o) => o.name === name) ?? null;
  }

  // {ok: true} or {ok: false, message, column} (column counts from 1).
  checkFormula(text) {
    return call(() => JSON.parse(this.M.checkFormula(text)));
  }

  // A CSV file's text as the points of a "data" object ({x, y}); target: the loss ("bce",
  // "cross_entropy", "mse") or fit model ("line", "logistic"). Throws an Error naming row and column.
  parseCsv(text, target) {
    return call(() => JSON.parse(this.M.parseCsv(text, target)));
  }

  // Throws an Error with the core's message if the core would refuse `spec`; runs nothing.
  checkSpec(spec) {
    call(() => this.M.checkSpec(JSON.stringify(spec)));
  }

  runExperiment(spec) {
    return call(() => JSON.parse(this.M.runExperiment(JSON.stringify(spec))));
  }

  // `optlab hessian`: {points: [{point, loss, gradient, hessian, eigenvalues, eigenvectors}]}.
  hessian(request) {
    return call(() => JSON.parse(this.M.hessian(JSON.stringify(request))));
  }

  // A run's lr over `steps` scheduler steps, before anything runs: optimizer is an experiment's
  // optimizer entry (with its "scheduler"). {lr: [steps + 1 numbers], depends_on_loss (plateau:
  // lr holds lr[0] only), stopped: null | {step, message} (torch stops stepping there)}.
  lrSchedule(optimizer, steps) {
    return call(() => JSON.parse(this.M.lrSchedule(JSON.stringify({ optimizer, steps }))));
  }

  // `optlab export-torch`: the experiment as a self-contained PyTorch script (text).
  torchScript(spec) {
    return call(() => this.M.torchScript(JSON.stringify(spec)));
  }

  // A live session at spec.steps; throws an Error naming the bad field of a bad spec.
  openSession(spec) {
    return new Session(this.M, spec);
  }

  // A map (`optlab map`: the experiment spec plus its "map" section) to compute cell by cell;
  // throws an Error naming the bad field. The caller deletes it with close().
  mapJob(spec) {
    return new MapJob(this.M, spec);
  }

  // Heavy-ball momentum on a quadratic: {h, beta, phase (0 monotone, 1 oscillates, 2 diverges;
  // row-major j·nh + i), rate, points: [[{h, beta, phase, rate} per eigenvalue] per point]}.
  momentumPhase(request) {
    return call(() => JSON.parse(this.M.momentumPhase(JSON.stringify(request))));
  }
}

// A C++ object held through Embind: every call goes through use(), and close() deletes it once.
// A call on a closed handle is a bug in the page, so it says so clearly.
class Handle {
  constructor(make, what) {
    this.what = what;
    this.handle = call(make);
  }

  use(fn) {
    if (!this.handle) throw new Error(`${this.what} already closed`);
    return call(() => fn(this.handle));
  }

  close() {
    if (!this.handle) return;
    try {
      this.handle.delete();
    } finally {
      this.handle = null;
    }
  }
}

// One map's cells, computed wherever it is held (a worker's module or the page's own): plan()
// says the grid, run(indices) computes those cells, assemble(rows) makes the whole result.
export class MapJob extends Handle {
  constructor(M, spec) {
    super(() => new M.MapJob(JSON.stringify(spec)), 'map job');
  }

  // {nx, ny, cells, kind, measure, x: [values], y: [values], minima: [[x, y], ...]}
  plan() { return this.use((j) => JSON.parse(j.plan())); }
  // Float64Array, ROW numbers per index in the order given: value (NaN: none), diverged_at
  // (-1: none), final_loss (NaN: none), end x, end y. Cell c is column c % nx of row c / nx.
  run(indices) { return this.use((j) => j.run(indices)); }
  // rows: ROW · cells numbers in cell order -> the JSON `optlab map` prints, as an object.
  assemble(rows) { return this.use((j) => JSON.parse(j.assemble(rows))); }
}
MapJob.ROW = 5;

// Histories come as SAMPLES: a thinned summary of the older steps, then every step of the recent
// window. steps(i) gives each sample's step number; lossMin/lossMax(i) the range of the losses each
// sample stands for.
export class Session extends Handle {
  constructor(M, spec) {
    super(() => new M.Session(JSON.stringify(spec)), 'session');
  }

  stepBy(n) { this.use((s) => s.stepBy(n)); }
  back(n) { return this.use((s) => s.back(n)); }
  reset() { this.use((s) => s.reset()); }
  stepCount() { return this.use((s) => s.stepCount()); }
  runCount() { return this.use((s) => s.runCount()); }
  setStart(x, y) { this.use((s) => s.setStart(x, y)); }
  setOptimizer(i, run) { this.use((s) => s.setOptimizer(i, JSON.stringify(run))); }
  params(i) { return this.use((s) => s.params(i)); }
  losses(i) { return this.use((s) => s.losses(i)); }
  steps(i) { return this.use((s) => s.steps(i)); }
  // Each sample's lr (NaN where a plateau schedule's is no longer known).
  lr(i) { return this.use((s) => s.lr(i)); }
  lossMin(i) { return this.use((s) => s.lossMin(i)); }
  lossMax(i) { return this.use((s) => s.lossMax(i)); }
  // The smallest step Back can reach exactly (the core keeps a bounded window of checkpoints).
  earliestStep() { return this.use((s) => s.earliestStep()); }
  // One step of every run, in the core's budget operations (about a nanosecond each): sizes slices.
  stepCost() { return this.use((s) => s.stepCost()); }
  // One run's loss history in one go: {steps, losses, lossMin, lossMax}, all the same length.
  history(i) {
    return { steps: this.steps(i), losses: this.losses(i), lossMin: this.lossMin(i), lossMax: this.lossMax(i) };
  }
  runStatus(i) { return this.use((s) => JSON.parse(s.runStatus(i))); }
  internals(i) { return this.use((s) => JSON.parse(s.internals(i))); }
  // The same as it was at step k (earliestStep() to stepCount()), without moving the session.
  internalsAt(i, k) { return this.use((s) => JSON.parse(s.internalsAt(i, k))); }
  // The session's landscape: {name, formula, note, view, start, minima, log_scale}.
  landscapeInfo() { return this.use((s) => JSON.parse(s.landscapeInfo())); }
  // Run i's curvature at its current point: {point, loss, gradient, hessian, eigenvalues, eigenvectors}.
  curvature(i) { return this.use((s) => JSON.parse(s.curvature(i))); }
  // The grids fill `out` when it is a Float64Array of the grid's length (a buffer the caller keeps
  // and reuses: first-touching a fresh 2 MB array costs more than computing it), else a new array.
  grid(view, nx, ny, out) {
    const values = sized(out, nx * ny);
    this.use((s) => s.gridInto(values, view.xmin, view.xmax, view.ymin, view.ymax, nx, ny));
    return values;
  }

  // ---- network problems (issue 4) ----
  problemKind() { return this.use((s) => s.problemKind()); }
  // Fit problems: the data, a run's mini-batch of a step, and that batch's own loss over a view.
  fitData() { return this.use((s) => JSON.parse(s.fitData())); }
  fitBatch(i, step) { return this.use((s) => s.fitBatch(i, step)); }
  batchGrid(i, step, box, nx, ny, out) {
    const values = sized(out, nx * ny);
    this.use((s) => s.batchGridInto(values, i, step, box.xmin, box.xmax, box.ymin, box.ymax, nx, ny));
    return values;
  }
  // {name, classes (0: regression), loss, layers, activation, train: {x, y}, test: {x, y},
  //  batch_size, batches_per_epoch, view}
  dataset() { return this.use((s) => JSON.parse(s.dataset())); }
  metricNames() { return this.use((s) => JSON.parse(s.metricNames())); }
  metric(i, name) { return this.use((s) => s.metric(i, name)); }
  // Training-row indices of the mini-batch that step `step` uses (0-based).
  batch(step) { return this.use((s) => s.batch(step)); }
  // The same for run i, which may have its own batch size.
  runBatch(i, step) { return this.use((s) => s.runBatch(i, step)); }
  weights(i) { return this.use((s) => s.weights(i)); }
  layers(i) { return this.use((s) => JSON.parse(s.layers(i))); }
  // Run i's current weights as JSON text: {layers, activation, step, label, flat, tensors, state_dict}.
  weightsJson(i) { return this.use((s) => s.weightsJson(i)); }
  // Float64Array 2·nx·ny: values, then predicted classes; entry j·nx + i, samples at the box's edges.
  predictGrid(i, box, nx, ny, out) {
    const values = sized(out, 2 * nx * ny);
    this.use((s) => s.predictGridInto(values, i, box.xmin, box.xmax, box.ymin, box.ymax, nx, ny));
    return values;
  }
  // Hidden layer `layer` (from 1) of run i over an nx × ny grid: Float64Array width·nx·ny, neuron
  // by neuron, each laid out as predictGrid.
  neuronGrid(i, layer, box, nx, ny) {
    return this.use((s) => s.neuronGrid(i, layer, box.xmin, box.xmax, box.ymin, box.ymax, nx, ny));
  }
  // One forward and backward pass on the given training rows: {rows, loss, nodes: [...]}.
  trace(i, rows) { return this.use((s) => JSON.parse(s.trace(i, JSON.stringify(rows)))); }
  setPlane(plane) { this.use((s) => s.setPlane(plane.kind, plane.seed, plane.a, plane.b)); }
  planeGrid(box, n, out) {
    const values = sized(out, n * n);
    this.use((s) => s.planeGridInto(values, box.xmin, box.xmax, box.ymin, box.ymax, n));
    return values;
  }
  planePath(i) { return this.use((s) => s.planePath(i)); }
  trailSteps(i) { return this.use((s) => s.trailSteps(i)); }

  // Moves to exactly `target` steps: forward by stepping, backward from the core's checkpoints, and
  // further back than they reach by replaying from step 0 (the runs are deterministic, so exact).
  goTo(target) { this.use((s) => s.goTo(target)); }
}

// Opens a session, lets fn use it, and deletes it whatever happens (for one-off questions).
export function withSession(engine, spec, fn) {
  const session = engine.openSession(spec);
  try {
    return fn(session);
  } finally {
    session.close();
  }
}
