// The Map view (issue 16): thousands of runs at once. A grid over two hyperparameters of one run, or
// over start points in the view, each cell a run of the core's (map_pool.js computes them, coarse
// first, in workers or in slices); drawn with a colour scale and a legend, the run's own settings
// ringed. Hover reads a cell; a click loads it: a hyperparameter cell becomes a new run with those
// settings, a start cell moves the start there. Basin maps also go on the landscape (overlay()),
// with a second run's basin boundaries on top if asked.
import { h, revealWhenStacked } from './dom.js';
import { mountMapForm } from './map_form.js';
import { createMapPool } from '../map_pool.js';
import { coarseStride } from '../map_levels.js';
import { mapScale, DIVERGED, NEVER } from '../map_scale.js';
import { mapParams, runValue, withValue } from '../map_axes.js';
import { drawMap, cellAt } from '../render/map.js';
import { cssBox, fitCanvas } from '../canvas_fit.js';
import { makeFrame } from '../render/frame.js';
import { nextRunColor } from '../palette.js';
import { limits, toSpec } from '../state.js';
import { listeners } from '../panel.js';
import { download } from './share.js';
import * as fmt from '../format.js';

const ROW = 5;
// While a map computes its picture is redrawn at most this often (a 256 x 256 map costs a few ms a
// time): the frames in between are Play's.
const REDRAW_MS = 100;

// els: {root, form, bar, status, cancel, canvas, legend, readout, toggle, close, exportButton, plot}
// ctx: {engine, getState(), setState(patch), notify(text, kind), redraw(), workerUrl, debug}
export function mountMapPanel(els, ctx) {
  const { on, also, destroy } = listeners();
  const pool = createMapPool({ engine: ctx.engine, workerUrl: ctx.workerUrl });
  also(() => pool.destroy());
  also(() => clearTimeout(later));
  let open = false;
  let map = null; // {spec, plan, rows, done, count, values, coarsest, result, labels, overlayOf}
  let second = null; // the overlay run's basin map, the same way
  let version = 0;
  let drawnKey = '';
  let drawnAt = 0;
  let shown = 0; // the version last drawn (what the landscape's copy follows)
  let later = 0;
  let layout = null;
  let hover = null;
  let fromLink = 0; // the timer of a map a link asked for
  also(() => clearTimeout(fromLink));
  // The state's `map` (the settings of the map on screen, which the link carries) as last written
  // here or taken from a link, as JSON: other settings in the state are a link's, to open and
  // compute (a lesson or an import keeps them as they were).
  let linked = 'null';
  const linkKey = (m) => JSON.stringify(m);
  const debug = { runs: [] }; // for tests and the bench: each map's spec, plan, result, timings
  ctx.debug.map = debug;
  debug.workerHeap = () => pool.heap();

  const form = mountMapForm(els.form, {
    catalog: ctx.engine.optimizers,
    getState: ctx.getState,
    compute: () => compute(),
    changed: () => { version += 1; ctx.redraw(); },
  });

  on(els.toggle, 'click', () => setOpen(!open));
  on(els.close, 'click', () => setOpen(false));
  // The request as `optlab map` reads it: the CLI reproduces every cell from the file.
  on(els.exportButton, 'click', () => {
    if (map) download(new Blob([`${JSON.stringify(map.spec, null, 2)}\n`], { type: 'application/json' }), 'optlab-map.json');
  });
  on(els.cancel, 'click', () => cancel());
  on(els.canvas, 'pointermove', (e) => {
    const c = layout && map ? cellAt(layout, e.offsetX, e.offsetY) : null;
    if (c === hover) return;
    hover = c;
    readout();
    ctx.redraw();
  });
  on(els.canvas, 'pointerleave', () => {
    hover = null;
    readout();
    ctx.redraw();
  });
  // The keyboard: arrows move the read cell, Enter loads it.
  on(els.canvas, 'keydown', (e) => {
    if (!map) return;
    const { nx, ny } = map.plan;
    const c = hover ?? Math.floor(ny / 2) * nx + Math.floor(nx / 2);
    const i = c % nx;
    const j = Math.floor(c / nx);
    const move = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
    if (move) {
      hover = Math.min(ny - 1, Math.max(0, j + move[1])) * nx + Math.min(nx - 1, Math.max(0, i + move[0]));
      readout();
      ctx.redraw();
    } else if (e.key === 'Enter' || e.key === ' ') load(c);
    else return;
    e.preventDefault();
    e.stopPropagation(); // not the page's own shortcuts (Space plays, arrows step)
  });
  on(els.canvas, 'click', (e) => {
    const c = layout && map ? cellAt(layout, e.offsetX, e.offsetY) : null;
    if (c !== null) load(c);
  });

  function setOpen(v) {
    open = v;
    if (!open && ctx.getState().map) linked = linkKey(ctx.setState({ map: null }).map); // a closed map is not in the link
    if (open) form.follow(ctx.getState().selected);
    els.root.hidden = !open;
    els.toggle.setAttribute('aria-pressed', String(open));
    document.getElementById('app').classList.toggle('map-open', open);
    drawnKey = '';
    ctx.redraw();
    // On the stacked layout the map sits under the plot and the charts, out of sight.
    if (open) revealWhenStacked(els.root);
  }

  // The request: the page's experiment as the runs use it, plus the map section.
  function specOf(st, f, run) {
    const x = { ...f.x };
    const y = { ...f.y };
    if (f.kind === 'start') {
      // Cell centres tiling the plot's visible box, so the cells lie exactly under the landscape.
      const b = cssBox(els.plot);
      const box = makeFrame(b.w, b.h, b.dpr, st.view).box;
      // A cell count that is not a positive integer is left for the core to name (map.x.n).
      const tile = (a, lo, hi) => (Number.isInteger(a.n) && a.n > 0
        ? Object.assign(a, { from: lo + (hi - lo) / (2 * a.n), to: hi - (hi - lo) / (2 * a.n), scale: 'linear' }) : a);
      tile(x, box.xmin, box.xmax);
      tile(y, box.ymin, box.ymax);
    }
    return {
      ...toSpec({ ...st, steps: 0 }),
      map: { kind: f.kind, run, x, y, steps: f.steps, measure: f.measure, tolerance: st.tolerance },
    };
  }

  function fresh(spec, raw) {
    const plan = planOf(raw, spec);
    const labels = {};
    const ps = mapParams(ctx.engine.optimizers, spec.optimizers[spec.map.run]?.name);
    for (const k of ['x', 'y']) labels[k] = spec.map.kind === 'start' ? `start ${k}` : ps.find((p) => p.param === plan[k].param)?.label ?? plan[k].param;
    return {
      spec, plan, labels, rows: new Float64Array(ROW * plan.cells).fill(NaN), done: new Uint8Array(plan.cells), count: 0,
      values: null, coarsest: coarseStride(plan.nx, plan.ny), result: null,
    };
  }

  function compute() {
    const st = ctx.getState();
    const f = form.form;
    const options = { ...(window.optlab?.mapOptions ?? {}) };
    // A basin map may bring a second run's basins (its boundaries are drawn on top).
    const overlay = f.kind === 'start' && f.measure === 'basin' && f.overlay !== f.run ? f.overlay : -1;
    let spec;
    let handle;
    try {
      spec = specOf(st, f, f.run);
      handle = pool.start(spec, handlers(() => map, () => startSecond(overlay, options)), options);
    } catch (e) {
      // The core's message names the field; the map on screen and the page's state stay.
      ctx.notify(`The map could not be computed: ${e.message}`, 'error');
      return;
    }
    second = null;
    hover = null; // a cell of the old map's grid may not exist in the new one
    map = fresh(spec, handle.plan);
    map.handle = handle;
    map.t0 = performance.now();
    debug.runs.push({ spec, plan: map.plan, result: null, mode: handle.mode, firstLevelMs: null, ms: null });
    map.debug = debug.runs[debug.runs.length - 1];
    map.debug.rows = map.rows;
    // The record keeps every map's request, but only the last few maps' cells.
    for (const r of debug.runs.slice(0, -4)) Object.assign(r, { rows: null, result: null });
    map.overlay = overlay;
    debug.secondDone = false;
    form.setBusy(true);
    progress();
    linked = linkKey(ctx.setState({ map: form.settings() }).map);
  }

  // A link's map: the panel opens with its settings and computes it (once the panel has its size:
  // a start map tiles the plot as it is on screen).
  function openLinked(st) {
    if (st.mode !== 'landscape') {
      ctx.notify('The link\'s map is of a landscape, and this experiment is a network: the map is left out.', 'error');
      return;
    }
    if (!open) setOpen(true);
    form.load(st.map);
    clearTimeout(fromLink);
    fromLink = setTimeout(compute, 0);
  }

  // A second run's basins over the same starts, once the first map is done (overlay: its index, or -1).
  function startSecond(overlay, options) {
    if (overlay < 0) return false;
    const spec = { ...map.spec, map: { ...map.spec.map, run: overlay } };
    let handle;
    try {
      handle = pool.start(spec, handlers(() => second, () => false), options);
    } catch (e) {
      ctx.notify(`The second run's basins could not be computed: ${e.message}`, 'error');
      return false;
    }
    second = fresh(spec, handle.plan);
    second.handle = handle;
    debug.runs.push({ spec, plan: second.plan, result: null, mode: handle.mode, firstLevelMs: null, ms: null, rows: second.rows });
    second.debug = debug.runs[debug.runs.length - 1];
    return true;
  }

  function handlers(target, then) {
    return {
      rows(indices, rows) {
        const m = target();
        for (let k = 0; k < indices.length; k++) {
          const c = indices[k];
          if (!m.done[c]) m.count += 1;
          m.done[c] = 1;
          m.rows.set(rows.subarray(ROW * k, ROW * k + ROW), ROW * c);
        }
        changed();
      },
      level(k, ms) {
        const m = target();
        if (k === 0 && m.debug) m.debug.firstLevelMs = ms;
        // A formula's basins are clusters of end points, numbered by the core when the rows are
        // put together: each finished level is assembled so far (the cells to come left empty).
        if (m.spec.map.measure === 'basin' && m.plan.minima.length === 0) {
          try {
            m.values = Float64Array.from(partial(m).value, (v) => (v === null ? NaN : v));
          } catch {
            // assembled again at the end
          }
        }
        changed();
      },
      done(result, info) {
        const m = target();
        m.result = result;
        m.values = Float64Array.from(result.value, (v) => (v === null ? NaN : v));
        m.handle = null;
        if (m.debug) Object.assign(m.debug, { result, ms: info.ms, mode: info.mode });
        if (m === second) debug.secondDone = true;
        if (!then()) form.setBusy(false);
        changed();
      },
      error(message) {
        const m = target();
        m.handle = null;
        m.failed = true;
        form.setBusy(false);
        ctx.notify(`The map stopped: ${message}`, 'error');
        changed();
      },
    };
  }

  // The result so far: the computed rows with the others' left empty (NaN).
  function partial(m) {
    const job = ctx.engine.mapJob(m.spec);
    try {
      return job.assemble(m.rows);
    } finally {
      job.close();
    }
  }

  function cancel() {
    for (const m of [map, second]) {
      if (m?.handle) {
        m.handle.cancel();
        m.handle = null;
        m.cancelled = true;
      }
    }
    form.setBusy(false);
    changed();
  }

  function changed() {
    version += 1;
    progress();
    ctx.redraw();
  }

  function progress() {
    const parts = [map, second].filter(Boolean);
    // A second run's basins to come count from the start.
    const total = parts.reduce((s, m) => s + m.plan.cells, 0) + (map?.overlay >= 0 && !second && !map.result && !map.cancelled ? map.plan.cells : 0);
    const done = parts.reduce((s, m) => s + m.count, 0);
    const busy = parts.some((m) => m.handle);
    els.bar.max = Math.max(1, total);
    els.bar.value = done;
    els.cancel.disabled = !busy;
    els.exportButton.disabled = !map;
    const mode = map?.debug?.mode === 'main' ? ' on the page (no workers)' : '';
    // The second run's basins count too: cancelling or losing them is not a finished map.
    const cancelled = parts.some((m) => m.cancelled);
    const failed = parts.some((m) => m.failed);
    const of = `${done.toLocaleString('en')} of ${total.toLocaleString('en')} runs`;
    els.status.textContent = !map ? 'Choose the axes and Compute.'
      : busy ? `${of}${mode}`
        : failed ? `Stopped at ${of}`
          : cancelled ? `Cancelled at ${of}`
            : `${total.toLocaleString('en')} runs of ${map.spec.map.steps} steps${map.debug?.ms ? ` in ${(map.debug.ms / 1000).toFixed(1)} s` : ''}${mode}`;
    els.root.dataset.state = !map ? 'idle' : busy ? 'computing' : failed ? 'stopped' : cancelled ? 'cancelled' : 'done';
  }

  // A click: the cell's run into the runs list (a hyperparameter map) or its start (a start map).
  function load(c) {
    const st = ctx.getState();
    const m = map;
    if (!m || !(c >= 0 && c < m.plan.cells)) return;
    const i = c % m.plan.nx;
    const j = Math.floor(c / m.plan.nx);
    const x = m.plan.x.values[i];
    const y = m.plan.y.values[j];
    if (m.spec.map.kind === 'start') {
      ctx.setState({ start: [x, y], steps: 0 });
      return;
    }
    const max = limits().max_optimizers;
    if (st.optimizers.length >= max) {
      ctx.notify(`At most ${max} runs: remove one to load this cell's run.`, 'info');
      return;
    }
    const base = m.spec.optimizers[m.spec.map.run];
    const ps = mapParams(ctx.engine.optimizers, base.name);
    const px = ps.find((p) => p.param === m.plan.x.param);
    const py = ps.find((p) => p.param === m.plan.y.param);
    const { label: _l, color: _c, ...entry } = base;
    const run = withValue(withValue(entry, px, x), py, y);
    run.label = `${base.label || base.name} ${px.label.split(' ')[0]} ${fmt.short(x)}, ${py.label.split(' ')[0]} ${fmt.short(y)}`.slice(0, limits().max_label_length);
    run.color = nextRunColor(st.optimizers.map((o) => o.color ?? ''));
    try {
      ctx.setState({ optimizers: [...st.optimizers, run], selected: st.optimizers.length });
    } catch (e) {
      ctx.notify(`This cell's run could not be added: ${e.message}`, 'error');
    }
  }

  function cellText(m, c) {
    const i = c % m.plan.nx;
    const j = Math.floor(c / m.plan.nx);
    const x = m.plan.x.values[i];
    const y = m.plan.y.values[j];
    const where = `${m.labels.x} ${fmt.short(x)}, ${m.labels.y} ${fmt.short(y)}`;
    if (!m.done[c]) return `${where}: not computed yet`;
    const [v, div, loss, ex, ey] = m.rows.subarray(ROW * c, ROW * c + ROW);
    const lossText = `final loss ${fmt.short(loss)}`;
    let what;
    if (div >= 0) what = `diverged at step ${div}`;
    else if (m.spec.map.measure === 'steps') what = Number.isFinite(v) ? `within tolerance at step ${v}; ${lossText}` : `not within tolerance in ${m.spec.map.steps} steps; ${lossText}`;
    else if (m.spec.map.measure === 'basin') {
      const k = m.values ? m.values[c] : v;
      const centre = m.result?.minima?.[k] ?? m.plan.minima[k];
      what = `ends at (${fmt.short(ex)}, ${fmt.short(ey)})${centre ? `, the basin of (${fmt.short(centre[0])}, ${fmt.short(centre[1])})` : ''}`;
    } else what = lossText;
    const click = m.spec.map.kind === 'start' ? 'Click to start there.' : 'Click to add this run.';
    return `${where}: ${what}. ${click}`;
  }

  function readout() {
    els.readout.textContent = map && hover !== null ? cellText(map, hover) : map ? 'Point at a cell to read it.' : '';
  }

  function scaleOf(m) {
    return mapScale({ measure: m.plan.measure, steps: m.spec.map.steps, minima: m.result?.minima ?? m.plan.minima }, m.rows, m.done, m.values);
  }

  function drawLegend(scale) {
    const l = scale.legend;
    const items = [];
    if (l.kind === 'ramp') {
      const unit = map.spec.map.measure === 'steps' ? 'steps to tolerance' : 'final loss';
      items.push(h('span', { class: 'map-ramp-label' }, l.from === null ? '' : fmt.short(l.from)),
        h('span', { class: 'map-ramp', style: { background: `linear-gradient(to right, ${l.stops.join(', ')})` }, title: unit }),
        h('span', { class: 'map-ramp-label' }, l.to === null ? '' : `${fmt.short(l.to)} ${unit}${l.log ? ' (log)' : ''}`));
      if (l.never) items.push(swatch(NEVER, 'never within tolerance'));
    } else {
      const listed = l.basins.slice(0, 6);
      for (const [k, b] of listed.entries()) items.push(swatch(b.color, b.point ? `(${fmt.short(b.point[0], 3)}, ${fmt.short(b.point[1], 3)})` : `basin ${k + 1}`));
      if (l.basins.length > listed.length) items.push(h('span', { class: 'map-more' }, `+${l.basins.length - listed.length} more`));
    }
    items.push(swatch(DIVERGED, 'diverged'));
    if (second) items.push(h('span', { class: 'map-line-key' }, `— basins of ${second.spec.optimizers[second.spec.map.run].label}`));
    els.legend.replaceChildren(...items);
  }

  function swatch(color, text) {
    return h('span', { class: 'map-key' }, h('span', { class: 'map-swatch', style: { background: color } }), text);
  }

  function markerOf(st, m) {
    if (m.spec.map.kind === 'start') return st.start;
    const run = st.optimizers[m.spec.map.run];
    if (!run || run.name !== m.spec.optimizers[m.spec.map.run].name) return null;
    const ps = mapParams(ctx.engine.optimizers, run.name);
    const px = ps.find((p) => p.param === m.plan.x.param);
    const py = ps.find((p) => p.param === m.plan.y.param);
    return px && py ? [runValue(run, px), runValue(run, py)] : null;
  }

  return {
    update(st) {
      form.update(st);
      if (linkKey(st.map) !== linked) {
        linked = linkKey(st.map);
        if (st.map) openLinked(st);
        else if (open) setOpen(false); // a link without a map
      }
      els.root.hidden = !open || st.mode !== 'landscape';
      if (!open || st.mode !== 'landscape') return;
      const box = cssBox(els.canvas);
      const resized = fitCanvas(els.canvas, box);
      if (!map) {
        progress();
        const key = `empty:${box.w}x${box.h}`;
        if (key !== drawnKey) {
          drawnKey = key;
          els.canvas.getContext('2d').clearRect(0, 0, els.canvas.width, els.canvas.height);
          els.legend.replaceChildren();
          readout();
        }
        return;
      }
      const marker = markerOf(st, map);
      const key = JSON.stringify([version, box, marker, hover, resized]);
      if (key === drawnKey) return;
      const wait = drawnAt + REDRAW_MS - performance.now();
      if ([map, second].some((m) => m?.handle) && wait > 0 && !resized) {
        clearTimeout(later);
        later = setTimeout(ctx.redraw, wait);
        return;
      }
      drawnKey = key;
      drawnAt = performance.now();
      shown = version;
      const scale = scaleOf(map);
      layout = drawMap(els.canvas.getContext('2d'), {
        plan: map.plan, color: scale.color, done: map.done, coarsest: map.coarsest, labels: map.labels, marker, hover,
        boundaries: second ? boundaryValues(second) : null,
      }, { width: box.w, height: box.h, dpr: box.dpr });
      debug.layout = layout;
      drawLegend(scale);
      readout();
      // The landscape's copy of a start map is drawn from `shown`, earlier in the frame: one more.
      if (map.spec.map.kind === 'start') ctx.redraw();
    },
    // Open with a preset, e.g. {kind: 'hyper', run: 0, x: 'lr', y: 'momentum'}.
    open(preset) {
      if (!open) setOpen(true);
      form.set(preset);
    },
    // What the landscape draws of a start map: its cells in the view's coordinates.
    overlay() {
      if (!map || map.spec.map.kind !== 'start' || !form.form.onPlot || !open) return null;
      // Another landscape's basins would mislead: only over the problem they were computed on.
      if (JSON.stringify(ctx.getState().problem) !== JSON.stringify(map.spec.problem)) return null;
      return {
        version: shown, plan: map.plan, color: scaleOf(map).color, done: map.done, coarsest: map.coarsest,
        boundaries: second ? boundaryValues(second) : null,
      };
    },
    invalidate() { drawnKey = ''; version += 1; },
    destroy,
  };
}

// The core's plan with each axis as {param, scale, values} (the plan gives the values, the spec
// the rest), as the assembled result has them.
function planOf(raw, spec) {
  const axis = (k) => (Array.isArray(raw[k]) ? { param: spec.map[k].param, scale: spec.map[k].scale ?? 'linear', values: raw[k] } : raw[k]);
  return { ...raw, x: axis('x'), y: axis('y') };
}

// Each cell's basin in a second map (NaN until computed, and where its run diverged).
function boundaryValues(m) {
  const out = new Float64Array(m.plan.cells).fill(NaN);
  for (let c = 0; c < m.plan.cells; c++) {
    if (!m.done[c] || m.rows[ROW * c + 1] >= 0) continue;
    out[c] = m.values ? m.values[c] : m.rows[ROW * c];
  }
  return out;
}
