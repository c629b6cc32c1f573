// The network mode's frame: reads the session's numbers (decision-boundary grids, loss and accuracy
// series, layer norms, weight-space paths, the backprop trace) and hands them to the render
// functions. main.js calls opened() after each new session and update(state) once per animation
// frame; it follows the panel contract of panel.js.
// Nothing here trains or differentiates: every number is the core's.
import { h } from './controls/dom.js';
import { drawHeatmap, drawPoints, drawCurve, curveYRange } from './render/boundary.js';
import { drawLossChart } from './render/loss_chart.js';
import { axisPlan, workOfStatus, batchTag } from './work_axis.js';
import { chartAxis } from './controls/x_axis.js';
import { drawContour } from './render/contour.js';
import { drawPaths, drawMarkers } from './render/trajectories.js';
import { makeFrame } from './render/frame.js';
import { GridBuffers } from './grid_buffers.js';
import { cssBox, fitCanvas } from './canvas_fit.js';
import { networkCsv, networkPng } from './net_export.js';
import { mountBackprop } from './controls/backprop.js';
import { mountLayerInspector } from './controls/layer_inspector.js';
import * as fmt from './format.js';
import { lastStep, hoverValue } from './samples.js';
import { showEpochs } from './controls/epoch_counter.js';
import { showRunOptions } from './controls/run_options.js';
import { mountPlaneControls, planeAxes } from './controls/plane_controls.js';
import { drawAxisNames } from './render/axis_names.js';
import { attachPointEditor } from './controls/point_editor.js';
import { allPoints, withPoints, editor } from './own_data.js';
import { notify } from './controls/notice.js';

// The batch, heat-map and plane grids' storage, reused from frame to frame (grid_buffers.js).
const gridBuffers = new GridBuffers();

const GRID_FINE = 100; // boundary samples per side when paused
const GRID_PLAYING = 40; // ... and while playing (the core's predictGrid is the cost)
const BUDGET_MS = { paused: 40 }; // boundary recomputation per frame (while playing: one panel)
const PATHS_EVERY_MS = 200; // while playing, the weight-space paths are redrawn this often
const PLANE_N = { playing: 14, paused: 28 }; // weight-space loss grid per side
const PLANE_EVERY_MS = 2000; // while playing, the plane's contour follows at most this often
const INSPECT_EVERY_MS = 250;
const NEURON_GRID = 24; // samples per side of each hidden neuron's map in the inspector
const MAX_NEURON_MAPS = 32; // maps shown per layer (the first ones of a wider layer)
// The loss chart's line styles (its legend draws the same ones).
const STYLE = { train: { width: 2 }, test: { dash: [5, 4], width: 1.5 }, batch: { alpha: 0.22, width: 1 } };

// app: {session(), getState(), setState(patch), isPlaying(), redraw(), compare, version(), epoch(),
//       hoverFraction()}
export function mountNetworkView(app) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    data: null, runs: [], panels: [], panelsKey: '', heat: [], next: 0, picked: null,
    plane: null, planeKey: '', planeAt: 0, planeBox: null, planeError: null, inspectAt: 0, inspectKey: '', traceKey: '',
  };

  const backprop = mountBackprop($('backprop-controls'), $('backprop-canvas'), $('chain-rule'), {
    setRow: () => app.redraw(),
    maxRow: () => ui.data?.train.x.length ?? 0,
  });
  const inspector = mountLayerInspector($('layer-inspector'), {
    pick: (k) => {
      ui.picked = k;
      ui.inspectKey = '';
      app.redraw();
    },
  });
  const planeUi = mountPlaneControls($('plane-controls'), {
    getState: app.getState, setState: app.setState, layers: () => app.session().layers(app.getState().selected),
  });

  // ---- a new session: the dataset and the plane through its initial weights ----
  function opened(session) {
    const before = ui.data?.view;
    ui.data = session.dataset();
    // While points are edited the plot keeps its box (growing only to hold a point outside it), so a
    // point stays under the pointer that put it there.
    if (editor.on && before) {
      const inside = [ui.data.train, ui.data.test].every((set) => set.x.every(([x, y]) => x >= before.xmin && x <= before.xmax && y >= before.ymin && y <= before.ymax));
      const v = ui.data.view;
      ui.data.view = inside ? before
        : { xmin: Math.min(v.xmin, before.xmin), xmax: Math.max(v.xmax, before.xmax), ymin: Math.min(v.ymin, before.ymin), ymax: Math.max(v.ymax, before.ymax) };
    }
    $('boundaries').dataset.view = JSON.stringify(ui.data.view); // the plotted box, for tests
    ui.metrics = new Set(session.metricNames());
    ui.heat = [];
    for (const p of ui.panels) p.pointsKey = ''; // new data (a CSV, an edited point): redraw the points
    ui.planeKey = '';
    ui.planeBox = null;
    ui.traceKey = '';
    ui.inspectKey = '';
    const t = ui.data.train.y;
    const range = ui.range;
    ui.range = ui.data.classes === 0 ? [Math.min(...t), Math.max(...t)] : [0, 1];
    // The same for a regression curve's y range while editing.
    if (editor.on && range && ui.range[0] >= range[0] && ui.range[1] <= range[1]) ui.range = range;
    if (ui.picked !== null && ui.picked >= session.weights(0).length) ui.picked = null;
  }

  function update(st) {
    const s = app.session();
    const version = app.version();
    const epoch = app.epoch();
    const playing = app.isPlaying();
    readRuns(st, s, version);
    buildPanels(st);
    // The selected run's mini-batch (runs may each have their own batch size).
    const work = ui.runs[st.selected]?.work;
    const batched = Boolean(work?.batch_size);
    const highlight = !playing && batched ? s.runBatch(st.selected, Math.max(0, st.steps - 1)) : null;
    drawBoundaries(st, s, { version, epoch, playing, highlight });
    // Runs with the same batch size share their batches: name the run only where they differ.
    const shared = ui.runs.every((r) => r.work?.batch_size === work?.batch_size);
    const who = shared ? 'the' : `${ui.runs[st.selected].label}'s`;
    $('batch-note').textContent = highlight
      ? `Ringed: the ${highlight.length} points of ${who} mini-batch ${st.steps === 0 ? 'the first step will use' : `step ${fmt.count(st.steps)} used`} (${work.steps_per_epoch} mini-batches per epoch).`
      : batched ? 'Pause or Step to see each step\'s mini-batch.'
        : `Full batch: every step${shared ? '' : ` of ${ui.runs[st.selected]?.label}`} uses all the training points.`;
    drawCharts(st);
    app.compare.update({
      runs: ui.runs.map((r) => ({
        label: r.label, color: r.color, loss: r.losses[r.losses.length - 1], step: lastStep(r.steps), tag: batchTag(r.work),
        divergedAt: r.divergedAt, reachedAt: undefined, note: r.note,
      })),
      selected: st.selected,
      tolerance: st.tolerance,
    });
    showRunOptions($('inspect-run'), ui.runs, st.selected);
    showEpochs($('epoch-counter'), st.steps, ui.data);
    drawInspector(st, s, version, playing);
    drawPlane(st, s, { version, epoch, playing });
    drawTrace(st, s, version, playing);
  }

  function readRuns(st, s, version) {
    const key = `${version}:${st.optimizers.map((o) => `${o.label}\u0000${o.color}`).join('\u0001')}`;
    if (key === ui.runsKey) return;
    ui.runsKey = key;
    ui.runs = st.optimizers.map((o, i) => {
      const status = s.runStatus(i);
      const acc = ui.metrics.has('accuracy') ? s.metric(i, 'accuracy') : null;
      const last = acc && acc.length ? acc[acc.length - 1] : null;
      // Every series is one value per sample, at the steps of steps(i) (thinned further back).
      return {
        label: o.label || o.name,
        color: o.color ?? '#000000',
        ...s.history(i),
        batch: ui.metrics.has('batch_loss') ? s.metric(i, 'batch_loss') : null,
        test: ui.metrics.has('test_loss') ? s.metric(i, 'test_loss') : null,
        accuracy: acc,
        divergedAt: status.status === 'diverged' ? status.diverged_at : null,
        note: last === null ? '' : `${(100 * last).toFixed(1)}%`,
        work: workOfStatus(status),
      };
    });
  }

  // One figure per run: heatmap canvas (grid-sized, scaled by CSS) under a points canvas.
  function buildPanels(st) {
    const key = `${ui.runs.map((r) => `${r.label}\u0000${r.color}`).join('\u0001')}:${ui.data.classes}`;
    if (key === ui.panelsKey) return;
    ui.panelsKey = key;
    ui.heat = [];
    ui.panels = ui.runs.map((r, i) => {
      const heat = h('canvas', { class: 'heat' });
      const points = h('canvas', {});
      const stat = h('span', {});
      const fig = h('figure', {
        class: 'boundary', style: { '--run-color': r.color }, tabindex: 0, role: 'button',
        'aria-label': `Decision boundary of ${r.label}; select to inspect`,
        onclick: () => app.setState({ selected: i }),
        onkeydown: (e) => { if (e.key === 'Enter') app.setState({ selected: i }); },
      }, h('div', { class: 'heat-box' }, heat, points), h('figcaption', {}, h('strong', {}, r.label), stat));
      attachPointEditor(fig.querySelector('.heat-box'), pointEditing());
      return { fig, heat, points, stat, pointsKey: '' };
    });
    $('boundaries').replaceChildren(...ui.panels.map((p) => p.fig));
    void st;
  }

  // What the point editor changes: (x1, x2) on a boundary plot, (x1, y) on a regression curve (a new
  // point there has x2 = 0, as the generated regression sets).
  function pointEditing() {
    const curve = () => ui.data.classes === 0;
    const commit = (change) => {
      const pts = allPoints(ui.data);
      change(pts);
      try {
        app.setState({ problem: withPoints(app.getState().problem, pts), steps: 0 });
      } catch (e) {
        notify(e.message, 'error'); // the core refused the edit: the data stay as they were
      }
    };
    return {
      box: () => {
        if (!curve()) return ui.data.view;
        const [ymin, ymax] = curveYRange(ui.range);
        return { xmin: ui.data.view.xmin, xmax: ui.data.view.xmax, ymin, ymax };
      },
      coords: () => {
        const p = allPoints(ui.data);
        return curve() ? p.x.map(([x1], k) => [x1, p.y[k]]) : p.x;
      },
      add: (u, v) => commit((p) => {
        p.x.push(curve() ? [u, 0] : [u, v]);
        p.y.push(curve() ? v : editor.cls);
      }),
      move: (i, u, v) => commit((p) => {
        if (curve()) {
          p.x[i] = [u, p.x[i][1]];
          p.y[i] = v;
        } else {
          p.x[i] = [u, v];
        }
      }),
      remove: (i) => commit((p) => {
        p.x.splice(i, 1);
        p.y.splice(i, 1);
      }),
    };
  }

  // Recomputes the stale panels, oldest first, within a time budget per frame; the rest follow in
  // the next frames (so 8 runs at 100×100 never hold a frame up).
  function drawBoundaries(st, s, { version, epoch, playing, highlight }) {
    const box = ui.data.view;
    const n = playing ? GRID_PLAYING : GRID_FINE;
    const want = `${epoch}:${version}`;
    const t0 = performance.now();
    const count = ui.panels.length;
    const first = ui.next;
    let stale = false;
    let done = 0;
    for (let k = 0; k < count; k++) {
      const i = (first + k) % count;
      const p = ui.panels[i];
      p.fig.classList.toggle('selected', i === st.selected);
      p.stat.textContent = `${fmt.short(ui.runs[i].losses[ui.runs[i].losses.length - 1], 3)}${ui.runs[i].note ? ` · ${ui.runs[i].note}` : ''}`;
      const size = sizeOf(p.points);
      const hkey = `${want}:${n}:${size.w}:${highlight ? highlight.join(',') : ''}`;
      if (ui.heat[i] === hkey) continue;
      // While playing: at most one panel per frame (the core's steps need the rest of the frame).
      if (done > 0 && (playing || performance.now() - t0 > BUDGET_MS.paused)) {
        stale = true;
        continue;
      }
      ui.heat[i] = hkey;
      ui.next = (i + 1) % count;
      done += 1;
      if (ui.data.classes === 0) {
        // Regression on the line x2 = 0: the fitted curve, sampled on that line.
        const g = s.predictGrid(i, { xmin: box.xmin, xmax: box.xmax, ymin: -1e-9, ymax: 1e-9 }, 2 * n, 2);
        const xs = Float64Array.from({ length: 2 * n }, (_, k2) => box.xmin + (k2 * (box.xmax - box.xmin)) / (2 * n - 1));
        p.heat.width = p.heat.height = 1;
        fitCanvas(p.points, size);
        drawCurve(p.points.getContext('2d'), {
          xs, ys: g.subarray(0, 2 * n), train: ui.data.train, test: ui.data.test, range: ui.range, highlight,
        }, { ...size, box });
        continue;
      }
      // Samples at cell centres, so the CSS-scaled pixels sit where the core evaluated them.
      const dx = (box.xmax - box.xmin) / n;
      const dy = (box.ymax - box.ymin) / n;
      const g = s.predictGrid(i, { xmin: box.xmin + dx / 2, xmax: box.xmax - dx / 2, ymin: box.ymin + dy / 2, ymax: box.ymax - dy / 2 }, n, n,
        gridBuffers.take('heat', 2 * n * n));
      if (p.heat.width !== n) p.heat.width = p.heat.height = n;
      drawHeatmap(p.heat.getContext('2d'), { values: g, nx: n, ny: n, classes: ui.data.classes, loss: ui.data.loss, range: ui.range });
      const pkey = `${size.w}:${highlight ? highlight.join(',') : ''}`;
      if (pkey !== p.pointsKey) {
        p.pointsKey = pkey;
        fitCanvas(p.points, size);
        drawPoints(p.points.getContext('2d'), {
          train: ui.data.train, test: ui.data.test.x.length ? ui.data.test : null, classes: ui.data.classes, range: ui.range, highlight,
        }, { ...size, box });
      }
    }
    if (stale) app.redraw();
  }

  function drawCharts(st) {
    const chart = $('loss-chart');
    const acc = $('acc-chart');
    const plan = axisPlan(chartAxis(st), ui.runs, st.steps, app.hoverFraction());
    const drawn = paintCharts(st.steps, plan, { ctx: chart.getContext('2d'), view: fit(chart) }, { ctx: acc.getContext('2d'), view: fit(acc) });
    // What each chart labelled, for readers of the page and its tests.
    chart.dataset.yticks = drawn.loss.yticks.join('|');
    chart.dataset.legend = drawn.loss.legend.join('|');
    chart.dataset.lines = String(drawn.lines);
    chart.dataset.xaxis = plan.fields.xLabel ?? 'step';
    acc.dataset.yticks = drawn.acc ? drawn.acc.yticks.join('|') : '';
    app.compare.showHover(plan.hoverSteps.length === 0 || plan.hoverSteps[0] === null ? null
      : { step: plan.hoverStep, head: plan.head, values: ui.runs.map((r, i) => hoverValue(r, plan.hoverSteps[i])) });
  }

  // The loss chart (train solid, test dashed, mini-batch faint; each line only where the core has
  // that series) and the accuracy chart (0 to 100 %) into the given contexts, on screen or export.
  // plan: the x axis (work_axis.js axisPlan).
  function paintCharts(steps, plan, loss, acc) {
    const hasTest = ui.runs.some((r) => r.test && r.test.length);
    const series = [];
    const at = (i) => ({ x: plan.x[i], divergedX: plan.divergedX[i] });
    // A full-batch run's batch loss is its training loss, so it gets no line of its own.
    const batchedRuns = ui.runs.filter((r) => r.batch && r.work?.batch_size);
    ui.runs.forEach((r, i) => { if (r.batch && r.work?.batch_size) series.push({ losses: r.batch, steps: r.steps, color: r.color, ...at(i), divergedAt: null, divergedX: null, ...STYLE.batch }); });
    if (hasTest) ui.runs.forEach((r, i) => { if (r.test && r.test.length) series.push({ losses: r.test, steps: r.steps, color: r.color, ...at(i), divergedAt: null, divergedX: null, ...STYLE.test }); });
    ui.runs.forEach((r, i) => {
      series.push({ losses: r.losses, steps: r.steps, lossMin: r.lossMin, lossMax: r.lossMax, color: r.color, divergedAt: r.divergedAt, ...at(i) });
    });
    const batched = batchedRuns.length > 0;
    const legend = [{ label: 'train', ...STYLE.train }];
    if (hasTest) legend.push({ label: 'test', ...STYLE.test });
    if (batched) legend.push({ label: 'mini-batch', ...STYLE.batch });
    const out = {
      lines: series.length,
      loss: drawLossChart(loss.ctx, { steps, series, offset: null, log: true, hoverStep: plan.hoverStep, yLabel: 'loss (log)', legend, ...plan.fields }, loss.view),
      acc: null,
    };
    if (ui.data.classes === 0) {
      acc.ctx.clearRect(0, 0, acc.ctx.canvas.width, acc.ctx.canvas.height);
      return out;
    }
    out.acc = drawLossChart(acc.ctx, {
      steps, offset: null, log: false, hoverStep: plan.hoverStep, yLabel: 'training accuracy',
      yRange: [0, 1], yTicks: [0, 0.25, 0.5, 0.75, 1], yTick: (v) => `${Math.round(100 * v)}%`, ...plan.fields,
      series: ui.runs.map((r, i) => ({ losses: r.accuracy ?? new Float64Array(0), steps: r.steps, color: r.color, divergedAt: r.divergedAt, ...at(i) })),
    }, acc.view);
    return out;
  }

  // Layer norms every frame that changed (cheap); the full internals (every weight's state) only
  // when paused or a few times a second, and only once a weight is picked.
  function drawInspector(st, s, version, playing) {
    const now = performance.now();
    const key = `${version}:${st.selected}:${ui.picked}:${playing}`;
    if (key === ui.inspectKey) return;
    if (playing && now - ui.inspectAt < INSPECT_EVERY_MS) {
      app.redraw();
      return;
    }
    ui.inspectKey = key;
    ui.inspectAt = now;
    const layers = s.layers(st.selected);
    const box = ui.data.view;
    const neurons = layers.slice(0, -1).map((l) => ({
      layer: l.layer, width: Math.min(l.rows, MAX_NEURON_MAPS), nx: NEURON_GRID, ny: NEURON_GRID,
      values: s.neuronGrid(st.selected, l.layer, box, NEURON_GRID, NEURON_GRID),
    }));
    inspector.update({
      neurons,
      layers,
      weights: s.weights(st.selected),
      internals: ui.picked !== null && !playing ? s.internals(st.selected) : null,
      picked: ui.picked,
    });
  }

  // Weight space: the plane is set when the session or the plane choice changes (PCA also when the
  // paths grew); the loss contour over it is the slow part (a full-batch loss per sample), so
  // while playing it follows the paths at most every PLANE_EVERY_MS, on a coarser grid.
  function drawPlane(st, s, { version, epoch, playing }) {
    const plot = $('plane-plot');
    const size = sizeOf(plot);
    const layers = ['plane-contour', 'plane-paths', 'plane-markers'].map((id) => $(id));
    for (const c of layers) if (fitCanvas(c, size)) ui.planeKey = '';
    const now = performance.now();
    const planeKey = JSON.stringify([st.plane, epoch, st.plane.kind === 'pca' ? version : 0]);
    if (planeKey !== ui.plane?.key && !(playing && now - ui.planeAt < PLANE_EVERY_MS && ui.plane)) {
      try {
        s.setPlane(st.plane);
        ui.planeError = null;
      } catch (e) {
        ui.planeError = e.message;
        s.setPlane({ kind: 'random', seed: 1, a: 0, b: 0 });
      }
      planeUi.showError(ui.planeError);
      ui.plane = { key: planeKey };
      ui.planeKey = '';
    }
    if (playing && ui.pathsAt && now - ui.pathsAt < PATHS_EVERY_MS && ui.plane.key === planeKey) {
      app.redraw();
      return;
    }
    ui.pathsAt = now;
    const paths = ui.runs.map((_, i) => s.planePath(i));
    const box = planeBox(paths, ui.planeBox);
    // Margins for the tick labels and, outside them, the axis names (never cut off).
    const frame = makeFrame(size.w, size.h, size.dpr, box, { left: 66, right: 10, top: 10, bottom: 48 });
    const contourKey = JSON.stringify([ui.plane.key, box, size, playing]);
    if (contourKey !== ui.planeKey && !(playing && now - ui.planeAt < PLANE_EVERY_MS && ui.planeKey)) {
      ui.planeKey = contourKey;
      ui.planeAt = now;
      ui.planeBox = box;
      const n = PLANE_N[playing ? 'playing' : 'paused'];
      const dx = (frame.box.xmax - frame.box.xmin) / n;
      const dy = (frame.box.ymax - frame.box.ymin) / n;
      const values = s.planeGrid({
        xmin: frame.box.xmin + dx / 2, xmax: frame.box.xmax - dx / 2, ymin: frame.box.ymin + dy / 2, ymax: frame.box.ymax - dy / 2,
      }, n, gridBuffers.take('plane', n * n));
      drawContour(layers[0].getContext('2d'), { values, nx: n, ny: n, logScale: 'auto', minima: [], axes: ['', ''] }, frame);
      ui.planeFrame = frame;
    }
    const f = ui.planeFrame ?? frame;
    const pctx = layers[1].getContext('2d');
    pctx.setTransform(1, 0, 0, 1, 0, 0);
    pctx.clearRect(0, 0, layers[1].width, layers[1].height);
    const runs = ui.runs.map((r, i) => ({ params: paths[i], color: r.color, selected: i === st.selected, diverged: r.divergedAt !== null }));
    drawPaths(pctx, { runs: runs.map((r) => ({ ...r, from: 0, drawn: new Set() })) }, f);
    drawMarkers(layers[2].getContext('2d'), { start: [0, 0], runs }, f);
    // The plane's coordinates are along d₁ and d₂ (or two weights), not the data's x and y.
    const names = planeAxes(ui.planeError ? { kind: 'random' } : st.plane, s.layers(st.selected));
    const taken = drawAxisNames(layers[2].getContext('2d'), names, f);
    plot.dataset.axes = names.join('|');
    plot.dataset.axisBoxes = JSON.stringify(taken.map((r) => [r.x, r.y, r.w, r.h].map((v) => Math.round(v))));
  }

  // The backprop graph: a fresh trace of the selected run's weights whenever they changed and the
  // page is still (while playing the graph would only flicker).
  function drawTrace(st, s, version, playing) {
    if (playing) return;
    const key = `${version}:${st.selected}:${backprop.row()}`;
    if (key === ui.traceKey) return;
    ui.traceKey = key;
    backprop.update(s.trace(st.selected, [Math.min(backprop.row(), ui.data.train.x.length - 1)]));
  }

  // The picture for a slide: at twice the page's resolution (at least), in the page's theme.
  function exportPng() {
    const st = app.getState();
    const s = app.session();
    const box = ui.data.view;
    const panels = ui.runs.map((r, i) => ({
      label: r.label, color: r.color, stat: ui.panels[i]?.stat.textContent ?? '',
      paint: (ctx, size) => {
        if (ui.data.classes === 0) {
          const n = 2 * GRID_FINE;
          const g = s.predictGrid(i, { xmin: box.xmin, xmax: box.xmax, ymin: -1e-9, ymax: 1e-9 }, n, 2);
          const xs = Float64Array.from({ length: n }, (_, k) => box.xmin + (k * (box.xmax - box.xmin)) / (n - 1));
          drawCurve(ctx, { xs, ys: g.subarray(0, n), train: ui.data.train, test: ui.data.test, range: ui.range, highlight: null }, { ...size, box });
          return;
        }
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(ui.panels[i].heat, 0, 0, ctx.canvas.width, ctx.canvas.height);
        const dots = document.createElement('canvas');
        dots.width = ctx.canvas.width;
        dots.height = ctx.canvas.height;
        drawPoints(dots.getContext('2d'), {
          train: ui.data.train, test: ui.data.test.x.length ? ui.data.test : null, classes: ui.data.classes, range: ui.range, highlight: null,
        }, { ...size, box });
        ctx.drawImage(dots, 0, 0);
      },
    }));
    const stage = cssBox($('boundaries'));
    const scale = 2 * Math.max(1, stage.dpr);
    const charts = [{ height: 190, paint: (ctx, view) => paintCharts(st.steps, axisPlan(chartAxis(st), ui.runs, st.steps, null), { ctx, view }, { ctx: blank(), view }) }];
    if (ui.data.classes !== 0) {
      charts.push({ height: 150, paint: (ctx, view) => paintCharts(st.steps, axisPlan(chartAxis(st), ui.runs, st.steps, null), { ctx: blank(), view }, { ctx, view }) });
    }
    const epoch = $('epoch-counter');
    const title = `${ui.data.name}, ${ui.data.layers.join('-')} ${ui.data.activation} · step ${fmt.count(st.steps)}${epoch.hidden ? '' : ` · ${epoch.textContent.toLowerCase()}`}`;
    return networkPng({ width: stage.w, title, panels, charts }, scale);
  }

  const observer = new ResizeObserver(() => app.redraw());
  observer.observe($('net-stage'));

  return {
    opened,
    update,
    // The data and colour range the boundaries are drawn with (for Predict's thumbnails).
    shown: () => ({ data: ui.data, range: ui.range }),
    destroy() {
      observer.disconnect();
      backprop.destroy();
      inspector.destroy();
      planeUi.destroy();
    },
    // The view's files: every run's series per kept step, and the boundaries with the charts.
    exports: {
      png: () => exportPng(),
      csv: () => networkCsv(ui.runs),
    },
  };
}

// The box the weight-space view shows: the paths' extent with a margin, square (the plane's two
// directions have the same scale), kept while the paths stay inside it so the contour is reused.
function planeBox(paths, old) {
  let lo = [Infinity, Infinity];
  let hi = [-Infinity, -Infinity];
  for (const p of paths) {
    for (let k = 0; k + 1 < p.length; k += 2) {
      if (!Number.isFinite(p[k]) || !Number.isFinite(p[k + 1])) continue;
      lo = [Math.min(lo[0], p[k]), Math.min(lo[1], p[k + 1])];
      hi = [Math.max(hi[0], p[k]), Math.max(hi[1], p[k + 1])];
    }
  }
  if (!Number.isFinite(lo[0])) lo = hi = [0, 0];
  if (old && lo[0] >= old.xmin && hi[0] <= old.xmax && lo[1] >= old.ymin && hi[1] <= old.ymax) {
    // Reuse the old box unless the paths have shrunk to a small part of it (after Reset).
    const span = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
    if (span > 0.2 * (old.xmax - old.xmin)) return old;
  }
  const half = Math.max(1e-3, 0.75 * Math.max(hi[0] - lo[0], hi[1] - lo[1]));
  const c = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2];
  return { xmin: c[0] - half, xmax: c[0] + half, ymin: c[1] - half, ymax: c[1] + half };
}

// A throwaway context, for the chart paintCharts draws that an export does not want.
function blank() {
  return document.createElement('canvas').getContext('2d');
}

// A figure's css box, never empty (its frame divides by the size).
function sizeOf(el) {
  const b = cssBox(el);
  const w = Math.max(1, b.w);
  const hgt = Math.max(1, b.h);
  return { w, h: hgt, width: w, height: hgt, dpr: b.dpr };
}

// Sizes a chart canvas to its css box at the device's resolution; returns its view.
function fit(canvas) {
  const b = cssBox(canvas);
  fitCanvas(canvas, b);
  return { width: b.w, height: b.h, dpr: b.dpr };
}
