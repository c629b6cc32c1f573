// The Map view's settings: kind (the hyperparameters of a run, or start points over the view), the
// run, each axis (a hyperparameter from the core's catalog, from, to, cells, linear or log), steps,
// the measure, and for basin maps a second run whose basin boundaries are drawn on top. Builds its
// inputs once and rebuilds the axis menus when the run's optimizer changes. The values are the
// core's to judge: a bad one comes back as the core's message naming the field.
import { h } from './dom.js';
import { mapParams, runValue, defaultRange, defaultPair2 } from '../map_axes.js';

const MEASURES = [
  { value: 'steps', label: 'steps to tolerance' },
  { value: 'final_loss', label: 'final loss' },
  { value: 'basin', label: 'basin (which minimum)' },
];

// ctx: {catalog: engine.optimizers, getState(), compute(), changed()}
export function mountMapForm(root, ctx) {
  const form = { kind: 'hyper', run: 0, optimizer: '', x: null, y: null, steps: 500, measure: 'steps', overlay: -1, onPlot: true };
  const kind = h('select', { 'aria-label': 'Map of', onchange: () => { form.kind = kind.value; reset(); } },
    h('option', { value: 'hyper' }, 'hyperparameters'), h('option', { value: 'start' }, 'start points'));
  // Once a run is chosen here (or by a preset), reopening the panel keeps it and its axes.
  let runChosen = false;
  const run = h('select', { 'aria-label': 'Run', onchange: () => { form.run = Number(run.value); runChosen = true; reset(); } });
  const axes = { x: axisRow('x'), y: axisRow('y') };
  const steps = h('input', { type: 'number', min: '1', step: '1', value: '500', 'aria-label': 'Steps per cell', oninput: () => { form.steps = Number(steps.value); } });
  const measure = h('select', { 'aria-label': 'Measure', onchange: () => { form.measure = measure.value; showParts(); } },
    MEASURES.map((m) => h('option', { value: m.value }, m.label)));
  const overlay = h('select', { 'aria-label': 'Basin boundaries of', onchange: () => { form.overlay = Number(overlay.value); } });
  const onPlot = h('input', { type: 'checkbox', checked: true, onchange: () => { form.onPlot = onPlot.checked; ctx.changed(); } });
  const compute = h('button', { type: 'button', class: 'primary', id: 'map-compute', onclick: () => ctx.compute() }, 'Compute');
  const axesGrid = h('div', { class: 'map-axes', role: 'group', 'aria-label': 'Axes' },
    h('span', { class: 'map-axes-head' }, ''), h('span', { class: 'map-axes-head' }, 'varies'), h('span', { class: 'map-axes-head hyper-only' }, 'from'),
    h('span', { class: 'map-axes-head hyper-only' }, 'to'), h('span', { class: 'map-axes-head' }, 'cells'), h('span', { class: 'map-axes-head hyper-only' }, 'log'),
    ...axes.x.cells, ...axes.y.cells);
  const viewNote = h('p', { class: 'hint map-view-note' }, 'The starts tile the plot as it is on screen (zoom or pan first to choose).');
  const overlayRow = h('div', { class: 'map-row' }, h('label', {}, 'Boundaries of ', overlay),
    h('label', { class: 'map-check' }, onPlot, ' on the landscape'));
  root.append(
    h('div', { class: 'map-row' }, h('label', {}, 'Map of ', kind), h('label', {}, 'for ', run)),
    axesGrid,
    viewNote,
    h('div', { class: 'map-row' }, h('label', {}, 'Steps ', steps), h('label', {}, 'Colour by ', measure), compute),
    overlayRow,
  );

  function axisRow(name) {
    const a = {};
    a.param = h('select', { 'aria-label': `${name} axis: hyperparameter`, onchange: () => pick(name, a.param.value) });
    a.fixed = h('span', { class: 'map-fixed' }, `start ${name}`);
    a.from = h('input', { type: 'number', step: 'any', class: 'hyper-only', 'aria-label': `${name} axis: from`, oninput: () => { form[name].from = Number(a.from.value); } });
    a.to = h('input', { type: 'number', step: 'any', class: 'hyper-only', 'aria-label': `${name} axis: to`, oninput: () => { form[name].to = Number(a.to.value); } });
    a.n = h('input', { type: 'number', min: '1', step: '1', 'aria-label': `${name} axis: cells`, oninput: () => { form[name].n = Number(a.n.value); } });
    a.scale = h('input', { type: 'checkbox', 'aria-label': `${name} axis: log scale`, onchange: () => { form[name].scale = a.scale.checked ? 'log' : 'linear'; } });
    a.cells = [h('span', { class: 'map-axis-name' }, name), h('span', {}, a.param, a.fixed), a.from, a.to, a.n, h('span', { class: 'hyper-only' }, a.scale)];
    return a;
  }

  function params() {
    const st = ctx.getState();
    return mapParams(ctx.catalog, st.optimizers[form.run]?.name);
  }

  // The axis `name` now varies `param`: a first range around the run's value.
  function pick(name, param) {
    const p = params().find((q) => q.param === param);
    if (!p) return;
    const entry = ctx.getState().optimizers[form.run];
    form[name] = { param, n: form[name]?.n ?? 64, ...defaultRange(p, runValue(entry, p)) };
    fill(name);
  }

  function fill(name) {
    const a = axes[name];
    const v = form[name];
    a.param.value = v.param;
    a.from.value = String(v.from);
    a.to.value = String(v.to);
    a.n.value = String(v.n);
    a.scale.checked = v.scale === 'log';
  }

  // New kind or run: the axes start over from the catalog.
  function reset() {
    const st = ctx.getState();
    form.optimizer = st.optimizers[form.run]?.name ?? '';
    const ps = params();
    for (const a of Object.values(axes)) a.param.replaceChildren(...ps.map((p) => h('option', { value: p.param }, p.label)));
    if (form.kind === 'start') {
      const n = form.x?.n ?? 64;
      form.x = { param: 'x', from: 0, to: 0, n, scale: 'linear' };
      form.y = { param: 'y', from: 0, to: 0, n: form.y?.n ?? n, scale: 'linear' };
      if (form.measure === 'steps' && st.problem.expr) form.measure = 'basin';
    } else {
      const x = ps.find((p) => p.param === 'lr') ?? ps[0];
      const y = defaultPair2(ps.filter((p) => p !== x));
      form.x = null;
      form.y = null;
      if (x) pick('x', x.param);
      if (y) pick('y', y.param);
      if (form.measure === 'basin') form.measure = 'steps';
    }
    for (const name of ['x', 'y']) if (form[name]) axes[name].n.value = String(form[name].n);
    showParts();
  }

  function showParts() {
    const start = form.kind === 'start';
    for (const a of Object.values(axes)) {
      a.param.hidden = start;
      a.fixed.hidden = !start;
    }
    // Start maps have no range to give (the view is the range): those cells keep their place, empty.
    axesGrid.classList.toggle('start', start);
    viewNote.hidden = !start;
    kind.value = form.kind;
    measure.value = form.measure;
    for (const o of measure.options) o.disabled = o.value === 'basin' && !start;
    overlayRow.hidden = !(start && form.measure === 'basin');
    ctx.changed();
  }

  let runsKey = '';
  return {
    form,
    // The run menus follow the runs; the axes follow the chosen run's optimizer.
    update(st) {
      const key = JSON.stringify(st.optimizers.map((o) => [o.label, o.name]));
      if (key !== runsKey) {
        runsKey = key;
        if (form.run >= st.optimizers.length) {
          form.run = st.selected;
          runChosen = false;
        }
        run.replaceChildren(...st.optimizers.map((o, i) => h('option', { value: String(i) }, o.label || o.name)));
        run.value = String(form.run);
        overlay.replaceChildren(h('option', { value: '-1' }, 'none'),
          ...st.optimizers.map((o, i) => h('option', { value: String(i) }, o.label || o.name)));
        if (form.overlay >= st.optimizers.length) form.overlay = -1;
        overlay.value = String(form.overlay);
        if (st.optimizers[form.run]?.name !== form.optimizer) reset();
      }
    },
    // A preset from elsewhere (the phase diagram's "lr × momentum" button): kind, run, axes' params.
    set({ kind: k, run: r, x, y, measure: m }) {
      form.kind = k;
      form.run = r;
      runChosen = true;
      run.value = String(r);
      if (m) form.measure = m;
      reset();
      if (k === 'hyper') {
        if (x) pick('x', x);
        if (y) pick('y', y);
      }
      showParts();
    },
    // The settings as a link carries them (state.js checks their shape).
    settings() {
      const axis = (a) => ({ param: a.param, from: a.from, to: a.to, n: a.n, scale: a.scale });
      return {
        kind: form.kind, run: form.run, x: axis(form.x), y: axis(form.y), steps: form.steps,
        measure: form.measure, overlay: form.overlay, onPlot: form.onPlot,
      };
    },
    // A link's settings, as if chosen here.
    load(m) {
      form.kind = m.kind;
      form.run = m.run;
      runChosen = true;
      run.value = String(m.run);
      reset();
      form.x = { ...m.x };
      form.y = { ...m.y };
      for (const name of ['x', 'y']) fill(name);
      form.steps = m.steps;
      steps.value = String(m.steps);
      form.measure = m.measure;
      form.overlay = m.overlay;
      overlay.value = String(m.overlay);
      form.onPlot = m.onPlot;
      onPlot.checked = m.onPlot;
      showParts();
    },
    // Follow the inspector's run when the panel opens, unless the user chose one here.
    follow(i) {
      if (runChosen || i === form.run) return;
      form.run = i;
      run.value = String(i);
      reset();
    },
    setBusy(busy) {
      compute.textContent = busy ? 'Restart' : 'Compute';
    },
  };
}
