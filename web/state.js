// The page's one state object: its defaults, a typed PROPS table, the share-link encoding and the
// single setState(patch) every change goes through. No DOM and no engine here, so node can test it.
//
// Share link: the address bar's hash is "#exp=" + base64url(UTF-8 JSON of the experiment spec of
// docs/spec/experiment.md: problem, start, steps, seed, optimizers with "label" and "color", plus
// "view" {xmin, xmax, ymin, ymax}). It is exactly what "Export experiment" saves, so a link, a file
// and `optlab run` all reproduce the same lesson. base64url keeps the link free of the quotes and
// braces that chat programs and mail clients mangle.

import { WORK_AXES } from './work_axis.js';
import { nextRunColor } from './palette.js';

export const HASH_KEY = 'exp';

// Torch's class names, for runs a spec leaves unlabelled ("adam" reads as "Adam", as in torch.optim).
const TORCH_CLASS = {
  sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW', adamax: 'Adamax',
  nadam: 'NAdam', radam: 'RAdam', adadelta: 'Adadelta',
};

// The core's limits (engine.catalog.limits: max_steps, max_optimizers, max_formula_length,
// max_label_length, ...), handed in once at start by setLimits: the page keeps no copy of its own.
let core = null;
export function setLimits(limits) {
  core = limits;
  PROPS.steps.max = limits.max_steps;
  PROPS.optimizers.max = limits.max_optimizers;
  PROPS.selected.max = limits.max_optimizers - 1;
}
export function limits() {
  if (!core) throw new Error('state.js: setLimits(engine.catalog.limits) has not been called');
  return core;
}

// The core's own validator (engine.checkSpec), handed in once at start: a link or a file the core
// would refuse is refused here with the core's message, so the page and the CLI accept the same specs.
let coreCheck = null;
export function setSpecCheck(check) {
  coreCheck = check;
}

// The lesson a page opens with when its link is empty or cannot be read.
export const DEFAULT_EXPERIMENT = Object.freeze({
  problem: { name: 'rosenbrock' },
  start: [-1.5, 2],
  steps: 0,
  seed: 0,
  optimizers: [
    { name: 'sgd', lr: 0.001, label: 'SGD', color: '#0072b2' },
    { name: 'sgd', lr: 0.001, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'rmsprop', lr: 0.01, label: 'RMSprop', color: '#009e73' },
    { name: 'adam', lr: 0.1, label: 'Adam', color: '#cc79a7' },
  ],
  view: { xmin: -2, xmax: 2, ymin: -1, ymax: 3 },
});

// The network mode's first lesson: SGD and Adam training the same small network on a spiral.
export const DEFAULT_NETWORK = Object.freeze({
  problem: {
    name: 'mlp',
    data: { name: 'spiral', n: 200, classes: 2, noise: 0.1, seed: 1, test_fraction: 0.2 },
    layers: [2, 16, 16, 1],
    activation: 'tanh',
    loss: 'bce',
    batch_size: 32,
    init: { seed: 1 },
  },
  steps: 0,
  seed: 0,
  optimizers: [
    { name: 'sgd', lr: 0.1, label: 'SGD', color: '#0072b2' },
    { name: 'sgd', lr: 0.1, momentum: 0.9, label: 'Momentum', color: '#e69f00' },
    { name: 'adam', lr: 0.01, label: 'Adam', color: '#cc79a7' },
  ],
});

// The network problem's fields (issue 4): the page checks their shape so that a tampered link is
// refused with the field's name; their values (a width of 0, an unknown dataset) are the core's
// to judge, and its message is shown next to the control.
const MLP_FIELDS = ['name', 'data', 'layers', 'activation', 'loss', 'batch_size', 'init', 'features', 'l1'];
const DATA_FIELDS = ['name', 'n', 'classes', 'noise', 'seed', 'test_fraction', 'x', 'y'];

// What a value of each type must look like. Each returns the normalised value or throws an Error
// whose message names the field, so a tampered link can say what was wrong with it.
const CHECK = {
  bool(v, f) {
    if (typeof v !== 'boolean') throw new Error(`${f}: expected true or false`);
    return v;
  },
  int(v, f, p) {
    if (!Number.isInteger(v) || v < p.min || v > p.max) {
      throw new Error(`${f}: expected a whole number from ${p.min} to ${p.max}`);
    }
    return v;
  },
  number(v, f, p) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < p.min || v > p.max) {
      throw new Error(`${f}: expected a number from ${p.min} to ${p.max}`);
    }
    return v;
  },
  enum(v, f, p) {
    if (!p.values.includes(v)) throw new Error(`${f}: expected one of ${p.values.join(', ')}`);
    return v;
  },
  // null, or {title?, text?, hide?, lock?}: plain strings (shown with textContent, never as HTML),
  // the panels to hide, whether the problem is locked. Empty ones normalise to null.
  teacher(v, f) {
    if (v === null) return null;
    if (!isPlainObject(v)) throw new Error(`${f}: expected {"title", "text", "hide", "lock"}`);
    for (const k of Object.keys(v)) {
      if (!['title', 'text', 'hide', 'lock'].includes(k)) throw new Error(`${f}.${k}: unknown field`);
    }
    const out = {};
    for (const [k, max] of [['title', TEACHER_TITLE_MAX], ['text', TEACHER_TEXT_MAX]]) {
      if (!(k in v)) continue;
      if (typeof v[k] !== 'string') throw new Error(`${f}.${k}: expected text`);
      if ([...v[k]].length > max) throw new Error(`${f}.${k}: at most ${max} characters, got ${[...v[k]].length}`);
      if (v[k].trim()) out[k] = v[k];
    }
    if ('hide' in v) {
      if (!Array.isArray(v.hide)) throw new Error(`${f}.hide: expected a list of ${TEACHER_PANELS.join(', ')}`);
      v.hide.forEach((p, i) => {
        if (!TEACHER_PANELS.includes(p)) throw new Error(`${f}.hide[${i}]: expected one of ${TEACHER_PANELS.join(', ')}`);
        if (v.hide.indexOf(p) !== i) throw new Error(`${f}.hide[${i}]: "${p}" is listed twice`);
      });
      if (v.hide.length) out.hide = TEACHER_PANELS.filter((p) => v.hide.includes(p));
    }
    if ('lock' in v) {
      if (typeof v.lock !== 'boolean') throw new Error(`${f}.lock: expected true or false`);
      if (v.lock) out.lock = true;
    }
    return Object.keys(out).length ? out : null;
  },
  // null, or the Map panel's settings (controls/map_form.js settings()): the map a link opens and
  // computes. Only their shape is checked here; the core names what it refuses when it computes.
  mapLink(v, f) {
    if (v === null) return null;
    const fields = ['kind', 'run', 'x', 'y', 'steps', 'measure', 'overlay', 'onPlot'];
    if (!isPlainObject(v)) throw new Error(`${f}: expected {${fields.map((k) => `"${k}"`).join(', ')}}`);
    for (const k of Object.keys(v)) if (!fields.includes(k)) throw new Error(`${f}.${k}: unknown field`);
    for (const k of fields) if (!(k in v)) throw new Error(`${f}.${k}: missing`);
    if (!['hyper', 'start'].includes(v.kind)) throw new Error(`${f}.kind: expected "hyper" or "start"`);
    const whole = (x, k, lo, hi) => {
      if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`${f}.${k}: expected a whole number from ${lo} to ${hi}`);
      return x;
    };
    const out = { kind: v.kind, run: whole(v.run, 'run', 0, 99), steps: whole(v.steps, 'steps', 1, 1e8), overlay: whole(v.overlay, 'overlay', -1, 99) };
    if (!MAP_MEASURES.includes(v.measure)) throw new Error(`${f}.measure: expected one of ${MAP_MEASURES.join(', ')}`);
    out.measure = v.measure;
    if (typeof v.onPlot !== 'boolean') throw new Error(`${f}.onPlot: expected true or false`);
    out.onPlot = v.onPlot;
    for (const a of ['x', 'y']) {
      const ax = v[a];
      const at = `${f}.${a}`;
      const keys = ['param', 'from', 'to', 'n', 'scale'];
      if (!isPlainObject(ax)) throw new Error(`${at}: expected {${keys.map((k) => `"${k}"`).join(', ')}}`);
      for (const k of Object.keys(ax)) if (!keys.includes(k)) throw new Error(`${at}.${k}: unknown field`);
      if (typeof ax.param !== 'string' || !/^[a-z][a-z0-9_.]{0,39}$/.test(ax.param)) throw new Error(`${at}.param: expected a hyperparameter's name like "lr"`);
      for (const k of ['from', 'to']) {
        if (typeof ax[k] !== 'number' || !Number.isFinite(ax[k])) throw new Error(`${at}.${k}: expected a number`);
      }
      if (!['linear', 'log'].includes(ax.scale)) throw new Error(`${at}.scale: expected "linear" or "log"`);
      out[a] = { param: ax.param, from: ax.from, to: ax.to, n: whole(ax.n, `${a}.n`, 1, 256), scale: ax.scale };
    }
    return out;
  },
  point(v, f) {
    if (v === null) return null; // null: the landscape's default start, filled in by main.js
    if (!Array.isArray(v) || v.length !== 2 || !v.every(Number.isFinite)) {
      throw new Error(`${f}: expected two finite numbers [x, y]`);
    }
    return [v[0], v[1]];
  },
  box(v, f) {
    if (v === null) return null; // null: the landscape's own view box, filled in by main.js
    const keys = ['xmin', 'xmax', 'ymin', 'ymax'];
    if (!isPlainObject(v) || !sameKeys(v, keys) || !keys.every((k) => Number.isFinite(v[k]))) {
      throw new Error(`${f}: expected {xmin, xmax, ymin, ymax} with finite numbers`);
    }
    if (!(v.xmin < v.xmax && v.ymin < v.ymax)) throw new Error(`${f}: needs xmin < xmax and ymin < ymax`);
    return { xmin: v.xmin, xmax: v.xmax, ymin: v.ymin, ymax: v.ymax };
  },
  problem(v, f) {
    if (!isPlainObject(v)) throw new Error(`${f}: expected {"name": ...} or {"expr": ...}`);
    if (v.name === 'mlp') return checkMlp(v, f);
    if (v.name === 'fit') return checkFit(v, f);
    for (const k of Object.keys(v)) {
      if (!['name', 'expr', 'noise'].includes(k)) throw new Error(`${f}.${k}: unknown field`);
    }
    const out = {};
    if (('name' in v) === ('expr' in v)) throw new Error(`${f}: give either "name" or "expr"`);
    if ('name' in v) {
      if (typeof v.name !== 'string' || !/^[a-z0-9_]{1,40}$/.test(v.name)) {
        throw new Error(`${f}.name: expected a landscape name like "rosenbrock"`);
      }
      out.name = v.name;
    } else {
      const max = limits().max_formula_length;
      if (typeof v.expr !== 'string' || v.expr.length === 0 || v.expr.length > max) {
        throw new Error(`${f}.expr: expected a formula of 1 to ${max} characters`);
      }
      out.expr = v.expr;
    }
    if ('noise' in v) {
      if (!Number.isFinite(v.noise) || v.noise < 0) throw new Error(`${f}.noise: expected a number >= 0`);
      if (v.noise > 0) out.noise = v.noise; // 0 and absent mean the same; keep links short
    }
    return out;
  },
  runs(v, f, p) {
    if (!Array.isArray(v) || v.length < p.min || v.length > p.max) {
      throw new Error(`${f}: expected a list of ${p.min} to ${p.max} optimizers`);
    }
    return withRunDefaults(v.map((run, i) => checkRun(run, `${f}[${i}]`)));
  },
  plane: checkPlane,
  // The arrows' scale factors (render/internals.js), or null: set from the first step drawn.
  arrowScale(v, f) {
    if (v === null) return null;
    const ok = (x) => typeof x === 'number' && Number.isFinite(x) && x > 0;
    if (!isPlainObject(v) || !sameKeys(v, ['update', 'grad']) || !ok(v.update) || !ok(v.grad)) {
      throw new Error(`${f}: expected {update, grad} with positive numbers, or null`);
    }
    return { update: v.update, grad: v.grad };
  },
};

// A network problem: the shape of each field, copied so the state never shares objects with a link.
function checkMlp(v, f) {
  for (const k of Object.keys(v)) if (!MLP_FIELDS.includes(k)) throw new Error(`${f}.${k}: unknown field`);
  const out = { name: 'mlp' };
  if (!isPlainObject(v.data)) throw new Error(`${f}.data: expected {"name": "spiral", ...} or {"x": [...], "y": [...]}`);
  for (const [k, d] of Object.entries(v.data)) {
    if (!DATA_FIELDS.includes(k)) throw new Error(`${f}.data.${k}: unknown field`);
    const ok = k === 'name' ? typeof d === 'string' && /^[a-z0-9_]{1,40}$/.test(d)
      : k === 'x' || k === 'y' ? Array.isArray(d) && d.length <= 100_000 : Number.isFinite(d);
    if (!ok) throw new Error(`${f}.data.${k}: expected ${k === 'name' ? 'a dataset name' : k === 'x' || k === 'y' ? 'a list' : 'a number'}`);
  }
  out.data = structuredClone(v.data);
  if (!Array.isArray(v.layers) || v.layers.length < 2 || v.layers.length > 12 || !v.layers.every(Number.isInteger)) {
    throw new Error(`${f}.layers: expected a list of 2 to 12 whole numbers, like [2, 16, 1]`);
  }
  out.layers = [...v.layers];
  for (const k of ['activation', 'loss']) {
    if (k in v) {
      if (typeof v[k] !== 'string' || !/^[a-z_]{1,40}$/.test(v[k])) throw new Error(`${f}.${k}: expected a name like "tanh"`);
      out[k] = v[k];
    }
  }
  if ('batch_size' in v) {
    if (v.batch_size !== null && !Number.isInteger(v.batch_size)) throw new Error(`${f}.batch_size: expected a whole number or null (full batch)`);
    out.batch_size = v.batch_size;
  }
  if ('init' in v) {
    if (!isPlainObject(v.init)) throw new Error(`${f}.init: expected {"seed": S} or {"weights": [...]}`);
    out.init = structuredClone(v.init);
  }
  if ('features' in v) {
    if (!Array.isArray(v.features) || v.features.length > 5 || !v.features.every((x) => typeof x === 'string' && x.length <= 10)) {
      throw new Error(`${f}.features: expected a list such as ["x1^2", "sin(x1)"]`);
    }
    out.features = [...v.features];
  }
  if ('l1' in v) {
    if (!Number.isFinite(v.l1)) throw new Error(`${f}.l1: expected a number`);
    out.l1 = v.l1;
  }
  return out;
}

// A fit problem (two parameters fitted to data): the shape of each field; the core checks the rest.
function checkFit(v, f) {
  for (const k of Object.keys(v)) if (!['name', 'model', 'data', 'batch_size'].includes(k)) throw new Error(`${f}.${k}: unknown field`);
  const out = { name: 'fit' };
  if ('model' in v) {
    if (v.model !== 'line' && v.model !== 'logistic') throw new Error(`${f}.model: expected "line" or "logistic"`);
    out.model = v.model;
  }
  if (!isPlainObject(v.data)) throw new Error(`${f}.data: expected {"name": "noisy_line", ...} or {"x": [...], "y": [...]}`);
  for (const [k, d] of Object.entries(v.data)) {
    const ok = k === 'name' ? typeof d === 'string' && /^[a-z0-9_]{1,40}$/.test(d)
      : k === 'x' || k === 'y' ? Array.isArray(d) && d.length <= 100_000 : Number.isFinite(d);
    if (!ok) throw new Error(`${f}.data.${k}: expected ${k === 'name' ? 'a generator name' : k === 'x' || k === 'y' ? 'a list' : 'a number'}`);
  }
  out.data = structuredClone(v.data);
  if ('batch_size' in v) {
    if (v.batch_size !== null && !Number.isInteger(v.batch_size)) throw new Error(`${f}.batch_size: expected a whole number or null (full batch)`);
    out.batch_size = v.batch_size;
  }
  return out;
}

// The weight-space plane (page-only): random filter-normalised directions (seeded), the first two
// principal components of the trajectories, or the axes of two weights (flat indices a and b).
function checkPlane(v, f) {
  if (!isPlainObject(v) || !['random', 'pca', 'weights'].includes(v.kind)) {
    throw new Error(`${f}: expected {"kind": "random" | "pca" | "weights", ...}`);
  }
  for (const k of ['seed', 'a', 'b']) {
    if (!Number.isInteger(v[k]) || v[k] < 0) throw new Error(`${f}.${k}: expected a whole number >= 0`);
  }
  return { kind: v.kind, seed: v.seed, a: v.a, b: v.b };
}

// One optimizer entry: torch's name and hyperparameters (their ranges are the core's to judge),
// plus the page's label and colour.
function checkRun(run, f) {
  if (!isPlainObject(run)) throw new Error(`${f}: expected an object like {"name": "adam"}`);
  if (typeof run.name !== 'string' || !/^[a-z0-9_]{1,40}$/.test(run.name)) {
    throw new Error(`${f}.name: expected an optimizer name like "adam"`);
  }
  const out = { name: run.name };
  for (const [k, v] of Object.entries(run)) {
    if (k === 'name') continue;
    if (k === 'label') {
      const max = limits().max_label_length;
      if (typeof v !== 'string' || [...v].length > max) throw new Error(`${f}.label: expected text of at most ${max} characters`);
      out.label = v;
    } else if (k === 'color') {
      if (typeof v !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(v)) throw new Error(`${f}.color: expected a colour like "#0072b2"`);
      out.color = v.toLowerCase();
    } else if (k === 'batch_size' && v === null) {
      out.batch_size = null; // this run: full batch
    } else if (k === 'scheduler') {
      // torch's learning-rate schedule; the core checks every argument (checkSpec).
      if (!isPlainObject(v)) throw new Error(`${f}.scheduler: expected {"name": "step_lr", ...}`);
      out.scheduler = structuredClone(v);
    } else if (k === 'changes') {
      // Hyperparameters changed from a step on (param_groups edited between steps); the core
      // checks the steps, names and values (checkSpec, or setOptimizer on a change).
      if (!Array.isArray(v) || !v.every(isPlainObject)) throw new Error(`${f}.changes: expected a list like [{"step": 50, "lr": 0.01}]`);
      out.changes = structuredClone(v);
    } else if (!/^[a-z_][a-z0-9_]{0,40}$/.test(k)) {
      throw new Error(`${f}: "${k}" is not a hyperparameter name`);
    } else if (typeof v === 'boolean' || Number.isFinite(v)) {
      out[k] = v;
    } else if (Array.isArray(v) && v.length === 2 && v.every(Number.isFinite)) {
      out[k] = [v[0], v[1]];
    } else {
      throw new Error(`${f}.${k}: expected a number, true/false or a pair of numbers`);
    }
  }
  return out;
}

// The runs for a formula landscape, which has no data to batch: a fit problem's per-run batch
// sizes dropped (the same runs otherwise). The same array when none had one.
export function withoutBatchSizes(optimizers) {
  if (!optimizers.some((o) => 'batch_size' in o)) return optimizers;
  return optimizers.map(({ batch_size: _, ...o }) => o);
}

// The typed table of everything in the state. `shared` props are the experiment (the link, the
// JSON export); the others are how this one page is looking at it.
export const PROPS = {
  problem: { type: 'problem', shared: true },
  start: { type: 'point', shared: true },
  steps: { type: 'int', min: 0, max: NaN, shared: true }, // max: setLimits
  seed: { type: 'int', min: 0, max: Number.MAX_SAFE_INTEGER, shared: true },
  optimizers: { type: 'runs', min: 1, max: NaN, shared: true }, // max: setLimits
  view: { type: 'box', shared: true },
  // Which page: follows the problem (an mlp problem is the network mode), so a link needs no mode.
  mode: { type: 'enum', values: ['landscape', 'network'], shared: false },
  plane: { type: 'plane', shared: false },
  selected: { type: 'int', min: 0, max: NaN, shared: false }, // max: setLimits
  speed: { type: 'number', min: 1, max: 240, shared: false }, // steps per second while playing
  tolerance: { type: 'number', min: 0, max: 1e6, shared: false }, // for "steps to tolerance"
  // One scale for the step arrows per experiment, so their lengths compare across steps. Not in
  // the link: it is a magnification of this screen's plot, and a link opens at its own first step.
  arrowScale: { type: 'arrowScale', shared: false },
  // What the loss chart's x axis counts where runs see data in mini-batches (work_axis.js).
  xAxis: { type: 'enum', values: WORK_AXES, shared: false },
  // The local quadratic at the selected run's point drawn on the landscape (render/curvature.js).
  curvature: { type: 'bool', shared: false },
  // The lr panel under the loss chart (controls/lr_panel.js): each run's lr over the steps.
  lrPanel: { type: 'bool', shared: false },
  // The lecture's chapter on screen (1, 2, ...), or 0 when the lecture is closed. Page-only, but
  // written into the link before the experiment ("#lecture=3&exp=..."), so a link opens the chapter.
  lecture: { type: 'int', min: 0, max: 99, shared: false },
  // A teacher's lesson link (controls/teacher.js): a title and text over the plot, panels hidden,
  // the problem locked. Page-only like the lecture, written into the link before the experiment.
  teacher: { type: 'teacher', shared: false },
  // The Map panel's settings while it is open (controls/map_panel.js): page-only, written into the
  // link before the experiment ("#map=...&exp=..."), so a link opens the map and computes it.
  map: { type: 'mapLink', shared: false },
};

// What a map can colour its cells by (controls/map_form.js has their labels).
export const MAP_MEASURES = ['steps', 'final_loss', 'basin'];

// What a lesson link may hide (controls/teacher.js), and how long its words may be.
export const TEACHER_PANELS = ['runs', 'problem', 'lessons', 'inspector', 'exports'];
export const TEACHER_TITLE_MAX = 100;
export const TEACHER_TEXT_MAX = 600;

export function defaultState() {
  return validate({
    ...structuredClone(DEFAULT_EXPERIMENT),
    mode: 'landscape',
    plane: { kind: 'random', seed: 1, a: 0, b: 1 },
    selected: 0,
    speed: 30,
    tolerance: 1e-4,
    arrowScale: null,
    xAxis: 'steps',
    curvature: false,
    lrPanel: false,
    lecture: 0,
    teacher: null,
    map: null,
  });
}

// Checks every prop through the table and returns a fresh, normalised state. Throws on the first
// bad field.
export function validate(state) {
  const out = {};
  for (const [name, prop] of Object.entries(PROPS)) {
    if (!(name in state)) throw new Error(`${name}: missing`);
    out[name] = CHECK[prop.type](state[name], name, prop);
  }
  if (out.selected >= out.optimizers.length) out.selected = out.optimizers.length - 1;
  out.mode = modeOf(out.problem);
  if (out.mode === 'network') out.start = out.view = null; // a network starts from its weights
  return out;
}

// The state with `patch` applied: only the patched props are checked, so the others keep their
// identity and the page can tell cheaply what changed (a step changes only `steps`).
export function validatePatch(state, patch) {
  const next = { ...state };
  for (const [name, value] of Object.entries(patch)) {
    const prop = PROPS[name];
    if (!prop) throw new Error(`${name}: not a setting of the page`);
    next[name] = CHECK[prop.type](value, name, prop);
  }
  if (next.selected >= next.optimizers.length) next.selected = next.optimizers.length - 1;
  // A new landscape is a new experiment: its arrows get a scale of their own at its first step.
  if ('problem' in patch && !('arrowScale' in patch) && JSON.stringify(patch.problem) !== JSON.stringify(state.problem)) {
    next.arrowScale = null;
  }
  if ('problem' in patch) {
    next.mode = modeOf(next.problem);
    if (next.mode === 'network') next.start = next.view = null; // a network starts from its weights
  }
  return next;
}

export function modeOf(problem) {
  return problem.name === 'mlp' ? 'network' : 'landscape';
}

// The experiment spec (experiment.md + view) of a state: what links, exports and the core read.
export function toSpec(state) {
  const spec = {};
  for (const [name, prop] of Object.entries(PROPS)) {
    if (prop.shared && state[name] !== null) spec[name] = structuredClone(state[name]);
  }
  return spec;
}

// Reads a spec (from a link or an imported file) into a full state, keeping the page-only props
// of `base`. Throws an Error naming the first bad field.
export function fromSpec(spec, base) {
  if (!isPlainObject(spec)) throw new Error('experiment: expected a JSON object');
  coreCheck?.({ steps: 0, ...spec }); // steps: the page's default; spread keeps a "__proto__" key
  for (const k of Object.keys(spec)) {
    if (!PROPS[k]?.shared) throw new Error(`${k}: unknown field`);
  }
  for (const k of ['problem', 'optimizers']) {
    if (!(k in spec)) throw new Error(`${k}: missing`);
  }
  // A missing start or view means the landscape's own, which main.js fills in from the catalog.
  return validate({ ...base, steps: 0, seed: 0, start: null, view: null, ...spec, selected: 0, arrowScale: null });
}

// Runs a spec leaves without a colour get the palette's next unused one, and runs without a label a
// distinct name ("Adam", "Adam 2"), so two unlabelled runs never look or read alike.
function withRunDefaults(runs) {
  const colors = runs.map((r) => r.color).filter(Boolean);
  const labels = new Set(runs.map((r) => r.label).filter(Boolean));
  return runs.map((r) => {
    const out = { ...r };
    if (!out.color) {
      out.color = nextRunColor(colors);
      colors.push(out.color);
    }
    if (!out.label) {
      const base = TORCH_CLASS[out.name] ?? out.name;
      let label = base;
      for (let k = 2; labels.has(label); k++) label = `${base} ${k}`;
      out.label = label;
      labels.add(label);
    }
    return out;
  });
}

export const LECTURE_KEY = 'lecture';
export const TEACHER_KEY = 'teacher';
export const MAP_KEY = 'map';

// "#[lecture=N&][teacher=...&][map=...&]exp=...": the page-only parts first, so the experiment is the same
// "exp=" value with or without them.
// Given points travel in the link up to this many (issue 17); a bigger data set would make a link
// too long to paste, so its link is "#" (the default experiment) and only an exported experiment
// file holds it (the Problem panel says so).
export const LINK_MAX_POINTS = 500;

export function linkHoldsData(state) {
  const x = state.problem?.data?.x;
  return !Array.isArray(x) || x.length <= LINK_MAX_POINTS;
}

export function toHash(state) {
  if (!linkHoldsData(state)) return '#';
  const chapter = state.lecture ? `${LECTURE_KEY}=${state.lecture}&` : '';
  const teacher = state.teacher ? `${TEACHER_KEY}=${base64urlEncode(JSON.stringify(state.teacher))}&` : '';
  const map = state.map ? `${MAP_KEY}=${base64urlEncode(JSON.stringify(state.map))}&` : '';
  return `#${chapter}${teacher}${map}${HASH_KEY}=${base64urlEncode(JSON.stringify(toSpec(state)))}`;
}

// "teacher=...&rest" (with or without "#"): {teacher: the checked lesson-link fields or null, rest}.
// Throws an Error naming the field for an unreadable or bad one.
export function teacherOf(hash) {
  const text = (hash ?? '').replace(/^#/, '');
  const m = new RegExp(`^${TEACHER_KEY}=([^&]*)(?:&(.*))?$`).exec(text);
  if (!m) return { teacher: null, rest: text };
  let v;
  try {
    v = JSON.parse(base64urlDecode(m[1]));
  } catch {
    throw new Error(`${TEACHER_KEY}: the lesson link's text is not readable (it was cut short or changed)`);
  }
  return { teacher: CHECK.teacher(v, TEACHER_KEY), rest: m[2] ?? '' };
}

// "map=...&rest": {map: the checked Map settings or null, rest}. Throws an Error naming the field.
export function mapOf(hash) {
  const text = (hash ?? '').replace(/^#/, '');
  const m = new RegExp(`^${MAP_KEY}=([^&]*)(?:&(.*))?$`).exec(text);
  if (!m) return { map: null, rest: text };
  let v;
  try {
    v = JSON.parse(base64urlDecode(m[1]));
  } catch {
    throw new Error(`${MAP_KEY}: the map's settings in the link are not readable (they were cut short or changed)`);
  }
  return { map: CHECK.mapLink(v, MAP_KEY), rest: m[2] ?? '' };
}

// "#lecture=N" or "#lecture=N&exp=...": {chapter: N, rest: "exp=..." or ""}; null for other links.
// The chapter's range is the lecture's to judge (address_bar.js), the shape is checked here.
export function lectureOf(hash) {
  const m = new RegExp(`^#?${LECTURE_KEY}=([^&]*)(?:&(.*))?$`).exec(hash ?? '');
  if (!m) return null;
  if (!/^[1-9][0-9]?$/.test(m[1])) throw new Error(`${LECTURE_KEY}: expected a chapter number like 3, got "${m[1].slice(0, 20)}"`);
  return { chapter: Number(m[1]), rest: m[2] ?? '' };
}

// Returns {state} for a readable link, {state: null} for an empty one, or {state: null, error}
// for a malformed or tampered one (the caller opens the default and shows the error).
export function fromHash(hash, base) {
  const text = (hash ?? '').replace(/^#/, '');
  if (text === '') return { state: null };
  const prefix = `${HASH_KEY}=`;
  try {
    if (!text.startsWith(prefix)) throw new Error(`the link's "#" part does not start with "${prefix}"`);
    let spec;
    try {
      spec = JSON.parse(base64urlDecode(text.slice(prefix.length)));
    } catch {
      throw new Error('the experiment in the link is not readable (it was cut short or changed)');
    }
    return { state: fromSpec(spec, base) };
  } catch (e) {
    return { state: null, error: e.message };
  }
}

// One store: `apply(next, prev)` brings the engine in line and may throw to refuse the change;
// then `persist(hash)` writes the address bar and `redraw()` schedules a frame.
// apply(next, prev) brings the session in line and may return the step it reached, when heavy
// work goes in slices: the state then says that step, so it never claims more than is computed.
export function createStore(initial, { apply, persist, redraw }) {
  let state = initial;
  return {
    getState: () => state,
    setState(patch) {
      let next = validatePatch(state, patch);
      const reached = apply(next, state);
      if (Number.isInteger(reached) && reached !== next.steps) next = { ...next, steps: reached };
      state = next;
      persist(toHash(state));
      redraw();
      return state;
    },
  };
}

function base64urlEncode(text) {
  let bin = '';
  for (const byte of new TextEncoder().encode(text)) bin += String.fromCharCode(byte);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlDecode(b64) {
  if (!/^[A-Za-z0-9_-]*$/.test(b64)) throw new Error('not base64url');
  const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameKeys(obj, keys) {
  const k = Object.keys(obj);
  return k.length === keys.length && keys.every((x) => x in obj);
}
