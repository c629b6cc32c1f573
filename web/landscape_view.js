// The landscape mode's view: the contour, the paths and markers, the arrows of the selected run's
// last step, the loss chart, the Compare legend and the Inspector, plus the plot's click, drag and
// zoom. It reads the session's numbers (grid, histories, internals) and hands them to the render
// functions; it computes no step, gradient or loss.
import { makeFrame, toData } from './render/frame.js';
import { drawContour } from './render/contour.js';
import { contourGrid } from './landscape_grid.js';
import { GridBuffers } from './grid_buffers.js';
import { drawPaths, drawTrails, drawMarkers, TRAIL, OLD_ALPHA } from './render/trajectories.js';
import { drawInternals, fitArrowScale } from './render/internals.js';
import { drawLossChart } from './render/loss_chart.js';
import { axisPlan, workOfStatus, batchTag } from './work_axis.js';
import { chartAxis } from './controls/x_axis.js';
import { mountInspector, ARROW_COLORS } from './controls/inspector.js';
import { mountLandscapeInput } from './controls/landscape_input.js';
import { mountFitView } from './fit_view.js';
import { drawBatchContour } from './render/batch_contour.js';
import { drawCurvature } from './render/curvature.js';
import { mountCurvatureInfo } from './controls/curvature_info.js';
import { mountPhaseDiagram } from './controls/phase_diagram.js';
import { drawMapOnPlot } from './render/map.js';
import { runsCsv, landscapePng } from './exports.js';
import { indexAtOrBefore, lastStep, firstWithin, hoverValue } from './samples.js';
import { cssBox, fitCanvas } from './canvas_fit.js';
import { listeners } from './panel.js';
import * as fmt from './format.js';
import { notify } from './controls/notice.js';

// The batch, heat-map and plane grids' storage, reused from frame to frame (grid_buffers.js).
const gridBuffers = new GridBuffers();

const INSPECT_EVERY_MS = 250;

// app: {sync (session_sync), getState(), setState(patch), player, redraw(), compare, hoverFraction(),
//       debug (timings for tests and benchmarks), parseCsv(text, target), momentumPhase(request) (the core's), openMap(preset),
//       mapOverlay(): a start map to draw under the paths, or null}
export function mountLandscapeView(app) {
  const $ = (id) => document.getElementById(id);
  const { on, also, destroy } = listeners();
  const { sync, getState, setState, player, debug } = app;
  const ui = {
    baseView: null, contourKey: '', runsKey: '', runs: [], inspectKey: '', inspectAt: 0, inspect: null,
    size: { w: 0, h: 0, dpr: 1 }, moving: false, movingTimer: 0, paths: null,
  };
  const plot = $('plot');
  const fitView = mountFitView($('data-view'), $('data-canvas'), $('data-caption'), {
    sync, getState, setState, parseCsv: app.parseCsv, csvInput: $('fit-csv'), csvError: $('fit-csv-error'),
  });
  const chart = $('loss-chart');
  const layers = {
    contour: $('contour-layer').getContext('2d'),
    map: $('map-layer').getContext('2d'),
    batch: $('batch-layer').getContext('2d'),
    paths: $('path-layer').getContext('2d'),
    markers: $('marker-layer').getContext('2d'),
    arrows: $('arrow-layer').getContext('2d'),
    curvature: $('curvature-layer').getContext('2d'),
  };
  const curvatureInfo = mountCurvatureInfo($('curvature-info'), {
    setLr: (i, lr) => setState({ optimizers: getState().optimizers.map((o, k) => (k === i ? { ...o, lr } : o)) }),
  });
  const phase = mountPhaseDiagram($('phase-info'), { momentumPhase: app.momentumPhase, openMap: app.openMap });
  const curvatureToggle = $('curvature-toggle');
  on(curvatureToggle, 'click', () => setState({ curvature: !getState().curvature }));
  const inspector = mountInspector({ select: (i) => setState({ selected: i }) });
  also(() => inspector.destroy());

  // ---- the plot: click, drag, zoom ----
  const undo = $('undo-start');
  const hint = $('focus-hint');
  let hintTimer = 0;
  on(undo, 'click', () => history.back());
  on(window, 'popstate', () => { undo.hidden = true; });
  const currentFrame = () => makeFrame(ui.size.w, ui.size.h, ui.size.dpr, getState().view);
  const input = mountLandscapeInput(plot, {
    click: (px, py) => {
      const f = currentFrame();
      const [x, y] = toData(f, px, py);
      player.pause();
      app.checkpoint(); // undoable: the browser's Back (or Undo) restores the start and the step
      setState({ start: [roundTo(x, 1 / f.scale), roundTo(y, 1 / f.scale)], steps: 0 });
      undo.hidden = false;
    },
    focused: () => {
      hint.hidden = false;
      clearTimeout(hintTimer);
      hintTimer = setTimeout(() => { hint.hidden = true; }, 2500);
    },
    panStart: () => {
      ui.baseView = currentFrame().box;
    },
    pan: (dx, dy, incremental) => {
      moving();
      const f = currentFrame();
      const b = incremental ? f.box : ui.baseView;
      const sx = dx / f.scale;
      const sy = dy / f.scale;
      setState({ view: { xmin: b.xmin - sx, xmax: b.xmax - sx, ymin: b.ymin + sy, ymax: b.ymax + sy } });
    },
    zoom: (factor, px, py) => {
      moving();
      const f = currentFrame();
      const [x, y] = toData(f, px, py);
      const k = Math.min(Math.max(factor, 0.2), 5);
      const b = f.box;
      const view = { xmin: x - (x - b.xmin) * k, xmax: x + (b.xmax - x) * k, ymin: y - (y - b.ymin) * k, ymax: y + (b.ymax - y) * k };
      // Stay within what doubles can resolve and a lesson can use.
      if (view.xmax - view.xmin < 1e-9 || view.xmax - view.xmin > 1e9) return;
      setState({ view });
    },
    hover: (px, py) => {
      const coords = $('coords');
      if (px === null) {
        coords.textContent = '';
        return;
      }
      const [x, y] = toData(currentFrame(), px, py);
      coords.textContent = `x ${fmt.short(x)}, y ${fmt.short(y)}`;
    },
  });
  also(() => input.destroy());
  // Marks the view as moving; the fine contour is drawn once it has been still for 150 ms.
  function moving() {
    ui.moving = true;
    clearTimeout(ui.movingTimer);
    ui.movingTimer = setTimeout(() => {
      ui.moving = false;
      app.redraw();
    }, 150);
  }
  also(() => clearTimeout(ui.movingTimer));
  on($('zoom-in'), 'click', () => zoomCentre(1 / 1.25));
  on($('zoom-out'), 'click', () => zoomCentre(1.25));
  on($('view-reset'), 'click', () => setState({ view: { ...sync.info().view } }));
  function zoomCentre(k) {
    const b = currentFrame().box;
    const cx = (b.xmin + b.xmax) / 2;
    const cy = (b.ymin + b.ymax) / 2;
    const hw = ((b.xmax - b.xmin) / 2) * k;
    const hh = ((b.ymax - b.ymin) / 2) * k;
    setState({ view: { xmin: cx - hw, xmax: cx + hw, ymin: cy - hh, ymax: cy + hh } });
  }
  for (const el of [plot, chart]) {
    const ro = new ResizeObserver(() => app.redraw());
    ro.observe(el);
    also(() => ro.disconnect());
  }

  // ---- one frame ----
  function update(st) {
    const session = sync.session();
    sizeCanvases();
    const frame = makeFrame(ui.size.w, ui.size.h, ui.size.dpr, st.view);
    // Zoomed in, one finger pans the plot; otherwise it scrolls the page (styles.css).
    const home = sync.info().view;
    plot.classList.toggle('zoomed', st.view.xmax - st.view.xmin < 0.999 * (home.xmax - home.xmin));
    drawLandscape(st, session, frame);
    drawMapLayer(frame);
    // Navigation to first landscape on screen, for the benchmark (tests/bench/page_bench.mjs).
    debug.firstLandscapeMs ??= performance.now();
    readRuns(st, session);
    fitView.update(st, ui.runs, ui.runsKey);
    drawBatchLandscape(st, session, frame);
    warnUndefinedStart(st);
    const selected = ui.runs[st.selected];
    drawRuns(st, frame);
    const inspect = readInspect(st, session);
    drawArrows(st, arrowsFor(selected, inspect?.cur), frame);
    drawCurvatureAt(st, session, frame, inspect?.cur);
    drawChart(st);
    app.compare.update({
      runs: ui.runs.map((r) => ({
        label: r.label, color: r.color, loss: r.losses[r.losses.length - 1], step: lastStep(r.steps), tag: batchTag(r.work),
        divergedAt: r.divergedAt, reachedAt: r.reached === undefined ? undefined : r.reached?.step ?? null,
        reachedExact: r.reached?.exact ?? true,
      })),
      selected: st.selected,
      tolerance: st.tolerance,
    });
    if (inspect?.fresh) {
      inspector.update({
        runs: ui.runs, selected: st.selected, cur: inspect.cur, prev: inspect.prev, playing: inspect.playing,
        velocity: inspect.cur?.state.some((s) => s.name === 'momentum_buffer') ?? false,
        arrowScale: st.arrowScale,
      });
    }
  }

  // The arrows keep the experiment's scale (state.arrowScale); the first step drawn sets it, and
  // so does the Rescale button, from the step on screen.
  function drawArrows(st, data, frame) {
    let scale = st.arrowScale;
    if (data && !scale) {
      scale = fitArrowScale(data, frame.scale);
      queueMicrotask(() => setState({ arrowScale: scale })); // not inside this frame's draw
    }
    const layout = drawInternals(layers.arrows, data && { ...data, scale }, frame);
    // Where each arrow and label went, for tests: in css pixels, with the plot's pixels per unit.
    debug.arrows = { layout, pxPerUnit: frame.scale, scale };
    ui.lastArrows = data;
  }
  // The local quadratic at the selected run's point, on its own layer and in the inspector; only
  // for a formula or built-in landscape (a fit problem's loss has no jets here).
  function drawCurvatureAt(st, session, frame, cur) {
    const on = st.curvature && session.problemKind() === 'landscape';
    curvatureToggle.setAttribute('aria-pressed', String(st.curvature));
    curvatureToggle.hidden = session.problemKind() !== 'landscape';
    const key = JSON.stringify([on, sync.version(), st.selected, frame.box, ui.size, cur?.options?.lr]);
    if (key === ui.curvatureKey) return;
    ui.curvatureKey = key;
    const curv = on ? session.curvature(st.selected) : null;
    debug.curvature = curv;
    debug.curvatureAxes = drawCurvature(layers.curvature, curv && { ...curv, color: ui.runs[st.selected]?.color ?? '#000000' }, frame);
    const run = st.optimizers[st.selected];
    curvatureInfo.update(curv && { curv, index: st.selected, run: { name: run.name, label: run.label || run.name, lr: cur?.options?.lr } });
    // torch's SGD with momentum (heavy ball or Nesterov) and no dampening: the core's phase diagram.
    const momentum = run.name === 'sgd' && !run.dampening;
    phase.update(curv && momentum ? {
      curv, index: st.selected, lr: cur?.options?.lr ?? run.lr, momentum: cur?.options?.momentum ?? run.momentum ?? 0, nesterov: Boolean(run.nesterov),
    } : null);
  }

  // A start map's cells under the paths (the Map view's basins), redrawn when it or the view changed.
  function drawMapLayer(frame) {
    const data = app.mapOverlay?.() ?? null;
    const key = JSON.stringify([data?.version ?? null, frame.box, ui.size]);
    if (key === ui.mapKey) return;
    ui.mapKey = key;
    drawMapOnPlot(layers.map, data, frame);
  }

  on($('arrow-rescale'), 'click', () => {
    setState({ arrowScale: ui.lastArrows ? fitArrowScale(ui.lastArrows, currentFrame().scale) : null });
  });

  function sizeCanvases() {
    const box = cssBox(plot);
    let changed = false;
    for (const c of Object.values(layers)) if (fitCanvas(c.canvas, box)) changed = true;
    if (changed || box.w !== ui.size.w || box.h !== ui.size.h || box.dpr !== ui.size.dpr) {
      ui.size = box;
      ui.contourKey = '';
    }
  }

  // A fit problem's mini-batch landscape (the toggle under its data view): the loss of the batch
  // that made the last step, over the same view; it follows Step and Back.
  const batchToggle = $('batch-landscape');
  on(batchToggle, 'change', () => app.redraw());
  function drawBatchLandscape(st, session, frame) {
    const on = batchToggle.checked && session.problemKind() === 'fit';
    const sel = Math.min(st.selected, ui.runs.length - 1);
    const step = Math.max(0, st.steps - 1);
    const key = JSON.stringify([on, sel, step, st.problem, st.optimizers[sel]?.batch_size, frame.box, ui.size]);
    if (key === ui.batchKey) return;
    ui.batchKey = key;
    if (!on) {
      drawBatchContour(layers.batch, null, frame);
      debug.batchMinimum = null;
      return;
    }
    const nx = Math.max(8, Math.round(frame.plot.width / 5));
    const ny = Math.max(8, Math.round(frame.plot.height / 5));
    const dx = (frame.box.xmax - frame.box.xmin) / nx;
    const dy = (frame.box.ymax - frame.box.ymin) / ny;
    const values = session.batchGrid(sel, step, {
      xmin: frame.box.xmin + dx / 2, xmax: frame.box.xmax - dx / 2, ymin: frame.box.ymin + dy / 2, ymax: frame.box.ymax - dy / 2,
    }, nx, ny, gridBuffers.take('batch', nx * ny));
    debug.batchMinimum = drawBatchContour(layers.batch, { values, nx, ny, color: ui.runs[sel]?.color ?? '#000000' }, frame);
  }

  // The contour layer is redrawn only when the problem, the view or the size changed; the grid
  // is computed by the core at cell centres, so the bands line up with the axes exactly.
  function drawLandscape(st, session, frame) {
    const info = sync.info();
    const key = JSON.stringify([info, st.problem, frame.box, ui.size, ui.moving]);
    if (key === ui.contourKey) return;
    ui.contourKey = key;
    const t0 = performance.now();
    const data = contourGrid(session, frame, { moving: ui.moving, ...contourLook(st, info) });
    const drawn = drawContour(layers.contour, data, frame);
    debug.contourUndefined = drawn.undefinedCells;
    debug.contourDetail = data.detail?.length ?? 0;
    const ms = performance.now() - t0;
    for (const list of ui.moving ? [debug.contourMs] : [debug.contourMs, debug.contourFineMs]) {
      list.push(ms);
      if (list.length > 200) list.shift();
    }
  }

  // Each run's history from the session, re-read only when the session's numbers changed.
  function readRuns(st, session) {
    const key = `${sync.version()}:${st.tolerance}:${st.optimizers.map((o) => `${o.label}\u0000${o.color}`).join('\u0001')}`;
    if (key === ui.runsKey) return;
    ui.runsKey = key;
    const fstar = minimumOf(sync.info());
    ui.runs = st.optimizers.map((o, i) => {
      const h = session.history(i);
      const status = session.runStatus(i);
      return {
        label: o.label || o.name,
        color: o.color ?? '#000000',
        params: session.params(i),
        ...h,
        divergedAt: status.status === 'diverged' ? status.diverged_at : null,
        reached: fstar === null ? undefined : firstWithin(h, fstar, st.tolerance),
        work: workOfStatus(status),
      };
    });
  }

  // A start where the function is undefined (every run stops at step 0): said once per start.
  function warnUndefinedStart(st) {
    const key = JSON.stringify([st.problem, st.start]);
    if (key === ui.startWarned) return;
    ui.startWarned = key;
    if (ui.runs.length > 0 && ui.runs.every((r) => r.divergedAt === 0)) {
      notify(`The start (${fmt.short(st.start[0])}, ${fmt.short(st.start[1])}) is where the function is undefined or infinite, so no run can take a step. Click a point outside the hatched region to move it.`, 'error');
    }
  }

  // While playing, the path layer keeps what it has drawn and each frame adds only the new steps'
  // segments; it is redrawn whole when histories were rewritten or the view, size or look changed,
  // and whenever playback is paused, so a still picture is always the same for the same state.
  // Under gradient noise the last TRAIL samples are the markers layer's (they fade as the run
  // moves on) and the path layer holds the older part, drawn faint.
  function drawRuns(st, frame) {
    const trail = noisy(st) ? TRAIL : 0;
    drawPathsSoFar(st, frame, trail);
    drawMarkers(layers.markers, {
      start: st.start,
      trail,
      runs: ui.runs.map((r, i) => ({ params: r.params, color: r.color, diverged: r.divergedAt !== null, selected: i === st.selected })),
    }, frame);
  }

  function drawPathsSoFar(st, frame, trail) {
    const whole = player.isPlaying() ? sync.epoch() : `${sync.epoch()}:${sync.version()}`;
    const key = JSON.stringify([whole, frame.box, ui.size, st.selected, ui.runs.map((r) => r.color), trail]);
    // All but the last `trail` samples of each run.
    const older = ui.runs.map((r) => {
      const n = Math.max(0, r.steps.length - trail);
      return { params: r.params.subarray(0, 2 * n), steps: r.steps.subarray(0, n) };
    });
    // Drawn up to which step (not sample index: older samples merge as a history is thinned).
    const lasts = older.map((r) => lastStep(r.steps));
    if (key !== ui.paths?.key || lasts.some((n, i) => n < ui.paths.to[i])) {
      layers.paths.setTransform(1, 0, 0, 1, 0, 0);
      layers.paths.clearRect(0, 0, layers.paths.canvas.width, layers.paths.canvas.height);
      ui.paths = { key, to: lasts.map(() => -1), drawn: lasts.map(() => new Set()) };
    }
    drawPaths(layers.paths, {
      runs: older.map((r, i) => ({
        params: r.params, color: ui.runs[i].color, selected: i === st.selected, alpha: trail ? OLD_ALPHA : 1,
        from: ui.paths.to[i] < 0 ? 0 : indexAtOrBefore(r.steps, ui.paths.to[i]) + 1, drawn: ui.paths.drawn[i],
      })),
    }, frame);
    ui.paths.to = lasts;
  }

  // Every layer drawn afresh at `frame` (the export's resolution), bottom first.
  function paintLayers(frame) {
    const st = getState();
    const layer = () => {
      const c = document.createElement('canvas');
      c.width = Math.round(frame.width * frame.dpr);
      c.height = Math.round(frame.height * frame.dpr);
      return c;
    };
    const [contour, paths, markers, arrows] = [layer(), layer(), layer(), layer()];
    drawContour(contour.getContext('2d'), contourGrid(sync.session(), frame, { moving: false, ...contourLook(st, sync.info()) }), frame);
    const runs = ui.runs.map((r, i) => ({
      params: r.params, color: r.color, selected: i === st.selected, diverged: r.divergedAt !== null, from: 0, drawn: new Set(),
    }));
    if (noisy(st)) drawTrails(paths.getContext('2d'), { runs }, frame);
    else drawPaths(paths.getContext('2d'), { runs }, frame);
    drawMarkers(markers.getContext('2d'), { start: st.start, runs }, frame);
    const data = ui.lastArrows;
    drawInternals(arrows.getContext('2d'), data && { ...data, scale: st.arrowScale ?? fitArrowScale(data, frame.scale) }, frame);
    return [contour, paths, markers, arrows];
  }

  // The selected run's internals, and when paused the step before too (for the equation). While
  // playing the table is refreshed 4 times a second and the equation waits for the pause: KaTeX
  // is the slowest thing on the page and would cost frames.
  function readInspect(st, session) {
    const playing = player.isPlaying();
    const key = `${sync.version()}:${st.selected}:${playing}:${JSON.stringify(st.arrowScale)}`;
    const now = performance.now();
    if (key === ui.inspectKey) return { ...ui.inspect, fresh: false };
    if (playing && now - ui.inspectAt < INSPECT_EVERY_MS) {
      app.redraw(); // come back for it
      return ui.inspect ? { ...ui.inspect, fresh: false } : null;
    }
    ui.inspectKey = key;
    ui.inspectAt = now;
    const cur = session.internals(st.selected);
    let prev = null;
    if (st.steps > 0 && !playing && st.steps - 1 >= session.earliestStep()) {
      // The state before this step, exactly, read without moving the session. Before the start of
      // the kept window there is no step to show.
      prev = session.internalsAt(st.selected, st.steps - 1);
    }
    ui.inspect = { cur, prev, playing };
    return { ...ui.inspect, fresh: true };
  }

  function drawChart(st) {
    const box = cssBox(chart);
    fitCanvas(chart, box);
    const fstar = minimumOf(sync.info());
    let allPositive = true;
    for (const run of ui.runs) for (const l of run.lossMin) if (!(l > 0)) allPositive = false;
    const log = fstar !== null || allPositive;
    const plan = axisPlan(chartAxis(st), ui.runs, st.steps, app.hoverFraction());
    drawLossChart(chart.getContext('2d'), {
      steps: st.steps,
      series: ui.runs.map((run, i) => ({
        losses: run.losses, steps: run.steps, lossMin: run.lossMin, lossMax: run.lossMax, color: run.color, divergedAt: run.divergedAt,
        x: plan.x[i], divergedX: plan.divergedX[i],
      })),
      offset: fstar,
      log,
      hoverStep: plan.hoverStep,
      yLabel: fstar !== null ? 'loss − minimum (log)' : log ? 'loss (log)' : 'loss',
      ...plan.fields,
    }, { width: box.w, height: box.h, dpr: box.dpr });
    chart.dataset.xaxis = plan.fields.xLabel ?? 'step'; // for readers of the page and its tests
    app.compare.showHover(plan.hoverSteps[0] === null || plan.hoverSteps.length === 0 ? null
      : { step: plan.hoverStep, head: plan.head, values: ui.runs.map((run, i) => hoverValue(run, plan.hoverSteps[i])) });
  }

  return {
    update,
    destroy,
    runs: () => ui.runs,
    // A new look: every layer is drawn whole again.
    invalidate() {
      ui.contourKey = '';
      ui.runsKey = '';
      ui.inspectKey = '';
      ui.curvatureKey = '';
      ui.mapKey = '';
    },
    // The view's files: the plot's layers with a legend, and the runs' histories.
    exports: {
      png: () => landscapePng(paintLayers, ui.size, getState().view, ui.runs, getState().steps),
      csv: () => runsCsv(ui.runs),
    },
  };
}

// Paths that wander: gradient noise, or a fit problem's mini-batches (the problem's or a run's own).
function noisy(st) {
  const batched = (b) => Number.isInteger(b);
  return Boolean(st.problem.noise) || st.optimizers.some((o) => o.noise > 0 || batched(o.batch_size))
    || (st.problem.name === 'fit' && batched(st.problem.batch_size));
}

function contourLook(st, info) {
  return { logScale: st.problem.expr ? 'auto' : info.log_scale, minima: info.minima, axes: info.axes };
}

function minimumOf(info) {
  return info.minima.length ? Math.min(...info.minima.map((m) => m.value)) : null;
}

function arrowsFor(run, cur) {
  if (!run || !cur || cur.step === 0 || run.divergedAt !== null || cur.grad.length !== 2) return null;
  // The step began at step cur.step - 1's point, kept at full resolution in the recent window.
  const k = indexAtOrBefore(run.steps, cur.step - 1);
  if (k < 0 || run.steps[k] !== cur.step - 1 || 2 * k + 1 >= run.params.length) return null;
  const from = [run.params[2 * k], run.params[2 * k + 1]];
  // The update first: its label gets the spot at its tip.
  const arrows = [
    { kind: 'update', label: '|Δθ|', vector: cur.update, color: ARROW_COLORS.update },
    { kind: 'grad', label: '−∇f', vector: [-cur.grad[0], -cur.grad[1]], color: ARROW_COLORS.grad },
  ];
  const b = cur.state.find((s) => s.name === 'momentum_buffer');
  if (b && cur.options.lr !== undefined) {
    // θ moves by −lr·b from the velocity alone (torch's form), on the update's scale.
    arrows.push({ kind: 'velocity', label: 'lr·b', vector: [-cur.options.lr * b.value[0], -cur.options.lr * b.value[1]], color: ARROW_COLORS.velocity });
  }
  return { from, arrows };
}

// A clicked start is rounded to the decimal just below one pixel: as precise as a click can be,
// and readable in the start boxes and the link. The runs then use exactly that number.
function roundTo(v, pixel) {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(pixel))));
  return Number(v.toFixed(decimals));
}
