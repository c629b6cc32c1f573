// Startup and wiring: the state, the engine session and the drawing. The only file that knows all
// three. The state (state.js) is the truth; apply() brings the wasm Session in line with each new
// state, and one frame per change reads the session's numbers and hands them to the render
// functions. Nothing here computes an optimizer step, a gradient or a loss.
import { loadEngine, withSession } from './engine.js';
import * as S from './state.js';
import { LESSONS, lessonOf } from './lessons.js';
import { createPlayer } from './player.js';
import { makeFrame, toData } from './render/frame.js';
import { drawContour } from './render/contour.js';
import { drawPaths, drawMarkers } from './render/trajectories.js';
import { drawInternals } from './render/internals.js';
import { drawLossChart, stepAt } from './render/loss_chart.js';
import { mountPlayback } from './controls/playback.js';
import { mountOptimizers } from './controls/optimizers.js';
import { mountProblem } from './controls/problem.js';
import { mountLessons } from './controls/lessons.js';
import { mountCompare } from './controls/compare.js';
import { mountInspector, ARROW_COLORS } from './controls/inspector.js';
import { mountShare } from './controls/share.js';
import { mountLandscapeInput } from './controls/landscape_input.js';
import { mountNetworkProblem } from './controls/network_problem.js';
import { mountNetworkView } from './network_view.js';
import { mountTabs } from './controls/tabs.js';
import { notify, hideNotice, mountNotice } from './controls/notice.js';
import { runsCsv, landscapePng } from './exports.js';
import { indexAtOrBefore, lastStep, firstWithin, hoverValue } from './samples.js';
import * as fmt from './format.js';
import { initTheme, isProjector, setProjector, onThemeChange } from './theme.js';

const $ = (id) => document.getElementById(id);
// Contour grid resolution in css pixels per sample. d3-contour is the cost, so while the view is
// moving the grid is coarser, and the fine one follows 150 ms after the last move.
const CELL_PX = 4;
const CELL_PX_MOVING = 6;

// For tests and benchmarks: the live app, and timings of the last frames and contour recomputations.
const debug = { contourMs: [], contourFineMs: [], drawMs: [], frames: 0 };
window.optlab = debug;

main();

async function main() {
  initTheme(); // before the first frame, so it is drawn in the chosen look
  let engine;
  try {
    engine = await loadEngine();
  } catch (e) {
    $('loading').textContent = `The core could not be loaded: ${e.message}. Run \`npm start\` to build it.`;
    return;
  }
  startApp(engine);
}

function startApp(engine) {
  let session = null;
  let info = null; // the current landscape's {formula, note, view, start, minima, log_scale}
  let version = 0; // bumps whenever the session's numbers change
  let epoch = 0; // bumps when histories are rewritten (not just extended): paths are redrawn
  let store;
  const ui = {
    hoverStep: null, baseView: null, frameBox: null, contourKey: '', runsKey: '', runs: [],
    inspectKey: '', inspectAt: 0, inspect: null, size: { w: 0, h: 0, dpr: 1 },
  };

  // ---- engine <-> state ----
  const bare = ({ color, ...run }) => run; // the colour is the page's alone; the label is in the internals
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function open(st) {
    const s = engine.openSession(S.toSpec(st));
    session?.close();
    session = s;
    info = st.mode === 'network' ? null : session.landscapeInfo();
    if (st.mode === 'network') net.opened(session);
    version += 1;
    epoch += 1;
  }

  // Makes the session match `next` (prev is what it matches now). Throws, with the session left
  // matching prev, if the core rejects the new state.
  function apply(next, prev) {
    const rebuild = next.problem !== prev.problem && !same(next.problem, prev.problem)
      || next.seed !== prev.seed || next.optimizers.length !== prev.optimizers.length;
    if (rebuild) {
      open(next);
      return;
    }
    try {
      let changed = false;
      let rewritten = false;
      // Going down first: a rewrite below then recomputes only up to the new step.
      if (next.steps < session.stepCount()) {
        session.goTo(next.steps);
        changed = rewritten = true;
      }
      if (next.start && !same(next.start, prev.start)) {
        session.setStart(next.start[0], next.start[1]);
        changed = rewritten = true;
      }
      next.optimizers.forEach((run, i) => {
        if (!same(bare(run), bare(prev.optimizers[i]))) {
          session.setOptimizer(i, run);
          changed = rewritten = true;
        }
      });
      if (session.stepCount() !== next.steps) {
        session.goTo(next.steps);
        changed = true;
      }
      if (changed) version += 1;
      if (rewritten) epoch += 1;
    } catch (e) {
      open(prev); // a half-applied change must not linger
      throw e;
    }
  }

  // Fills a missing start or view with the landscape's own.
  function withDefaults(st) {
    if (st.mode === 'network' || (st.start && st.view)) return st;
    const known = st.problem.name ? engine.landscape(st.problem.name) : null;
    const li = known ?? withSession(engine, S.toSpec({ ...st, start: null, view: null, steps: 0 }), (s) => s.landscapeInfo());
    return { ...st, start: st.start ?? [...li.start], view: st.view ?? { ...li.view } };
  }

  // The network mode's panels (issue 4); it reads the session through these.
  let compare = null;
  const net = mountNetworkView({
    session: () => session,
    getState: () => store.getState(),
    setState: (patch) => store.setState(patch),
    isPlaying: () => player.isPlaying(),
    redraw: () => redraw(),
    get compare() { return compare; },
  });
  // Each mode remembers its own experiment, so switching back and forth loses nothing.
  const saved = { landscape: null, network: null };
  function switchMode(mode) {
    const st = getState();
    if (st.mode === mode) return;
    player.pause();
    saved[st.mode] = S.toSpec(st);
    const spec = saved[mode] ?? (mode === 'network' ? S.DEFAULT_NETWORK : S.DEFAULT_EXPERIMENT);
    setState(withDefaults(S.fromSpec(spec, getState())));
    hideNotice();
  }

  // ---- the first state: the link, or the default lesson with a notice ----
  let initial = null;
  const fromLink = S.fromHash(location.hash, S.defaultState());
  if (fromLink.state) {
    try {
      initial = withDefaults(fromLink.state);
      open(initial);
    } catch (e) {
      initial = null;
      fromLink.error = e.message;
    }
  }
  if (!initial) {
    initial = S.defaultState();
    open(initial);
    if (fromLink.error) {
      notify(`This link could not be opened (${fromLink.error}), so the default lesson is shown instead.`, 'error');
    }
  }

  // ---- the address bar: written at most ~3 times a second while playing ----
  let pendingHash = null;
  let hashTimer = 0;
  let lastWrite = 0;
  let written = '';
  function persist(hash) {
    pendingHash = hash;
    if (!hashTimer) hashTimer = setTimeout(flushHash, Math.max(0, 300 - (performance.now() - lastWrite)));
  }
  function flushHash() {
    clearTimeout(hashTimer);
    hashTimer = 0;
    lastWrite = performance.now();
    if (pendingHash && pendingHash !== location.hash) {
      history.replaceState(null, '', pendingHash);
      written = pendingHash;
    }
  }
  window.addEventListener('pagehide', flushHash);
  window.addEventListener('hashchange', () => {
    if (location.hash === written) return;
    loadHash(location.hash);
  });

  store = S.createStore(initial, { apply, persist, redraw });
  const getState = store.getState;
  const setState = (patch) => store.setState(patch);
  written = S.toHash(initial);
  history.replaceState(null, '', written);

  function loadHash(hash) {
    const r = S.fromHash(hash, getState());
    try {
      if (!r.state) throw new Error(r.error ?? 'the link is empty');
      setState(withDefaults(r.state));
      hideNotice();
    } catch (e) {
      notify(`This link could not be opened (${e.message}), so the default lesson is shown instead.`, 'error');
      setState(S.defaultState());
    }
  }

  // Lessons and imports: a whole experiment spec at once.
  function loadSpec(spec) {
    player.pause();
    const st = withDefaults(S.fromSpec(spec, getState()));
    setState(st);
    hideNotice();
  }

  // ---- controls ----
  const player = createPlayer({
    getSpeed: () => getState().speed,
    onChange: () => {
      if (!player?.isPlaying()) flushHash();
      redraw();
    },
    onStep: (n) => {
      const st = getState();
      if (allStopped()) return false;
      // The core hands out a bounded number of samples whatever the step, so Play goes to the end.
      if (st.steps >= S.MAX_STEPS) {
        notify(`Playback stops at ${fmt.count(S.MAX_STEPS)} steps, the most a run can have.`, 'info');
        return false;
      }
      setState({ steps: Math.min(S.MAX_STEPS, st.steps + n) });
      return true;
    },
  });

  function allStopped() {
    return ui.runs.length > 0 && ui.runs.every((r) => r.divergedAt !== null);
  }

  const playback = mountPlayback({
    step: (n) => {
      player.pause();
      const st = getState();
      setState({ steps: Math.min(S.MAX_STEPS, st.steps + n) });
    },
    back: () => {
      player.pause();
      const st = getState();
      const earliest = session.earliestStep();
      if (st.steps > earliest) setState({ steps: st.steps - 1 });
      else if (st.steps > 0) {
        notify(`Back reaches step ${fmt.count(earliest)}: older steps are kept only as a summary. Reset goes to step 0.`, 'info');
      }
    },
    reset: () => {
      player.pause();
      setState({ steps: 0 });
    },
    togglePlay: () => player.toggle(),
    setSpeed: (v) => setState({ speed: v }),
  });

  const ctx = { getState, setState };
  const panels = {
    runs: mountOptimizers($('panel-runs'), { ...ctx, catalog: engine.optimizers }),
    problem: mountProblem($('problem-landscape'), {
      ...ctx, landscapes: engine.landscapes, checkFormula: (t) => engine.checkFormula(t), info: () => info,
    }),
    network: mountNetworkProblem($('problem-network'), ctx),
    lessons: mountLessons($('panel-lessons'), {
      load: (spec) => {
        try {
          loadSpec(spec);
        } catch (e) {
          notify(`The lesson could not be loaded: ${e.message}`, 'error');
        }
      },
    }),
  };
  compare = mountCompare({
    select: (i) => setState({ selected: i }),
    setTolerance: (v) => setState({ tolerance: v }),
  });
  const inspector = mountInspector({ select: (i) => setState({ selected: i }) });
  mountTabs($('app'));
  $('mode-landscape').addEventListener('click', () => switchMode('landscape'));
  $('mode-network').addEventListener('click', () => switchMode('network'));
  mountNotice();
  mountShare({
    link: () => {
      flushHash();
      return location.href;
    },
    png: () => landscapePng(Object.values(layers).map((l) => l.canvas), ui.size, getState().view, ui.runs, getState().steps),
    csv: () => runsCsv(ui.runs),
    json: () => `${JSON.stringify(S.toSpec(getState()), null, 2)}\n`,
    importText: (text, name) => {
      try {
        loadSpec(JSON.parse(text));
      } catch (e) {
        notify(`Could not import ${name}: ${e.message}`, 'error');
      }
    },
    notify,
  });

  // ---- the look: projector mode (button or P) and the system's light/dark theme ----
  const projectorButton = $('projector');
  const showProjector = () => projectorButton.setAttribute('aria-pressed', String(isProjector()));
  showProjector();
  projectorButton.addEventListener('click', () => setProjector(!isProjector()));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || (e.key !== 'p' && e.key !== 'P')) return;
    if (e.target?.closest?.('input, select, textarea, [contenteditable="true"]')) return;
    e.preventDefault();
    setProjector(!isProjector());
  });
  onThemeChange(() => {
    showProjector();
    // Every canvas is redrawn whole in the new colours and widths.
    version += 1;
    epoch += 1;
    ui.contourKey = '';
    ui.runsKey = '';
    ui.inspectKey = '';
    ui.panelKey = null;
    redraw();
  });

  // ---- the landscape: click, drag, zoom ----
  const plot = $('plot');
  const layers = {
    contour: $('contour-layer').getContext('2d'),
    paths: $('path-layer').getContext('2d'),
    markers: $('marker-layer').getContext('2d'),
    arrows: $('arrow-layer').getContext('2d'),
  };
  const currentFrame = () => makeFrame(ui.size.w, ui.size.h, ui.size.dpr, getState().view);
  mountLandscapeInput(plot, {
    click: (px, py) => {
      const f = currentFrame();
      const [x, y] = toData(f, px, py);
      player.pause();
      setState({ start: [roundTo(x, 1 / f.scale), roundTo(y, 1 / f.scale)], steps: 0 });
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
  // Marks the view as moving; the fine contour is drawn once it has been still for 150 ms.
  function moving() {
    ui.moving = true;
    clearTimeout(ui.movingTimer);
    ui.movingTimer = setTimeout(() => {
      ui.moving = false;
      redraw();
    }, 150);
  }
  $('zoom-in').addEventListener('click', () => zoomCentre(1 / 1.25));
  $('zoom-out').addEventListener('click', () => zoomCentre(1.25));
  $('view-reset').addEventListener('click', () => setState({ view: { ...info.view } }));
  function zoomCentre(k) {
    const b = currentFrame().box;
    const cx = (b.xmin + b.xmax) / 2;
    const cy = (b.ymin + b.ymax) / 2;
    const hw = ((b.xmax - b.xmin) / 2) * k;
    const hh = ((b.ymax - b.ymin) / 2) * k;
    setState({ view: { xmin: cx - hw, xmax: cx + hw, ymin: cy - hh, ymax: cy + hh } });
  }

  // The loss chart's hover readout.
  const chart = $('loss-chart');
  // A tap on a phone reads the chart too (touch has no hover).
  chart.addEventListener('pointerdown', (e) => {
    const r = chart.getBoundingClientRect();
    ui.hoverStep = stepAt({ width: r.width }, getState().steps, e.clientX - r.left);
    redraw();
  });
  chart.addEventListener('pointermove', (e) => {
    const r = chart.getBoundingClientRect();
    ui.hoverStep = stepAt({ width: r.width }, getState().steps, e.clientX - r.left);
    redraw();
  });
  chart.addEventListener('pointerleave', (e) => {
    if (e.pointerType !== 'mouse') return; // after a tap the reading stays until the next one
    ui.hoverStep = null;
    redraw();
  });

  new ResizeObserver(() => redraw()).observe(plot);
  new ResizeObserver(() => redraw()).observe(chart);
  new ResizeObserver(() => redraw()).observe($('net-stage'));

  // ---- drawing: at most one frame per animation frame ----
  let frameRequested = false;
  function redraw() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      const t0 = performance.now();
      try {
        draw();
        debug.drawMs.push(performance.now() - t0);
        if (debug.drawMs.length > 600) debug.drawMs.shift();
        if (ui.drawFailed) hideNotice();
        ui.drawFailed = false;
      } catch (e) {
        // Shown, not thrown: the page stays usable and the next good frame clears the notice.
        ui.drawFailed = true;
        ui.contourKey = '';
        notify(`Drawing failed: ${e.message}`, 'error');
      }
    });
  }

  function draw() {
    debug.frames += 1;
    const st = getState();
    $('loading').hidden = true;
    $('app').setAttribute('aria-busy', 'false');
    const network = st.mode === 'network';
    document.body.classList.toggle('mode-network', network);
    $('mode-landscape').setAttribute('aria-pressed', String(!network));
    $('mode-network').setAttribute('aria-pressed', String(network));
    $('legend-status').textContent = network ? 'Accuracy' : 'Within tolerance';
    if (network) {
      net.draw(st, { version, epoch, hoverStep: ui.hoverStep });
      ui.runs = [];
      drawPanels(st);
      updatePlayback(st);
      return;
    }
    sizeCanvases();
    const frame = makeFrame(ui.size.w, ui.size.h, ui.size.dpr, st.view);
    drawLandscape(st, frame);
    // Navigation to first landscape on screen, for the benchmark (tests/bench/page_bench.mjs).
    debug.firstLandscapeMs ??= performance.now();
    readRuns(st);
    const selected = ui.runs[st.selected];
    drawRuns(st, frame);
    const inspect = readInspect(st);
    drawInternals(layers.arrows, arrowsFor(st, selected, inspect?.cur), frame);
    drawChart(st);
    compare.update(ui.runs.map((r) => ({
      label: r.label, color: r.color, loss: r.losses[r.losses.length - 1], step: lastStep(r.steps),
      divergedAt: r.divergedAt, reachedAt: r.reached === undefined ? undefined : r.reached?.step ?? null,
      reachedExact: r.reached?.exact ?? true,
    })), st.selected, st.tolerance);
    if (inspect?.fresh) {
      inspector.update({
        runs: ui.runs, selected: st.selected, cur: inspect.cur, prev: inspect.prev, playing: inspect.playing,
        velocity: inspect.cur?.state.some((s) => s.name === 'momentum_buffer') ?? false,
      });
    }
    updatePlayback(st);
    drawPanels(st);
  }

  // Back stops where the core's exact window begins; the toolbar says where that is.
  function updatePlayback(st) {
    const earliest = session.earliestStep();
    playback.update({
      steps: st.steps, playing: player.isPlaying(), speed: st.speed, earliest,
      canStep: st.steps < S.MAX_STEPS, canBack: st.steps > earliest,
    });
  }

  // The panels and the lesson note depend on everything but the step count: while playing, only
  // `steps` changes and they are left alone.
  function drawPanels(st) {
    const panelKey = [st.problem, st.start, st.seed, st.optimizers, st.selected, info];
    if (!ui.panelKey || panelKey.some((v, i) => v !== ui.panelKey[i])) {
      ui.panelKey = panelKey;
      panels.runs.update(st);
      if (st.mode === 'network') panels.network.update(st);
      else panels.problem.update(st);
      const lesson = lessonOf(S.toSpec(st));
      panels.lessons.update(lesson);
      for (const id of ['lesson-note', 'net-lesson-note']) {
        const note = $(id);
        note.hidden = !lesson;
        if (lesson) note.replaceChildren(el('strong', `${lesson.title}.`), lesson.text);
      }
    }
  }

  // While playing, the path layer keeps what it has drawn and each frame adds only the new steps'
  // segments; it is redrawn whole when histories were rewritten or the view, size or look changed,
  // and whenever playback is paused, so a still picture is always the same for the same state.
  function drawRuns(st, frame) {
    const whole = player.isPlaying() ? epoch : `${epoch}:${version}`;
    const key = JSON.stringify([whole, frame.box, ui.size, st.selected, ui.runs.map((r) => r.color)]);
    // Drawn up to which step (not sample index: older samples merge as a history is thinned).
    const lasts = ui.runs.map((r) => lastStep(r.steps));
    if (key !== ui.paths?.key || lasts.some((n, i) => n < ui.paths.to[i])) {
      layers.paths.setTransform(1, 0, 0, 1, 0, 0);
      layers.paths.clearRect(0, 0, layers.paths.canvas.width, layers.paths.canvas.height);
      ui.paths = { key, to: lasts.map(() => -1), drawn: lasts.map(() => new Set()) };
    }
    drawPaths(layers.paths, {
      runs: ui.runs.map((r, i) => ({
        params: r.params, color: r.color, selected: i === st.selected,
        from: ui.paths.to[i] < 0 ? 0 : indexAtOrBefore(r.steps, ui.paths.to[i]) + 1, drawn: ui.paths.drawn[i],
      })),
    }, frame);
    ui.paths.to = lasts;
    drawMarkers(layers.markers, {
      start: st.start,
      runs: ui.runs.map((r, i) => ({ params: r.params, color: r.color, diverged: r.divergedAt !== null, selected: i === st.selected })),
    }, frame);
  }

  function sizeCanvases() {
    const r = plot.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(r.width);
    const h = Math.round(r.height);
    if (w !== ui.size.w || h !== ui.size.h || dpr !== ui.size.dpr) {
      ui.size = { w, h, dpr };
      for (const c of Object.values(layers)) {
        c.canvas.width = Math.max(1, Math.round(w * dpr));
        c.canvas.height = Math.max(1, Math.round(h * dpr));
      }
      ui.contourKey = '';
    }
  }

  // The contour layer is redrawn only when the problem, the view or the size changed; the grid
  // is computed by the core at cell centres, so the bands line up with the axes exactly.
  function drawLandscape(st, frame) {
    const key = JSON.stringify([info, st.problem, frame.box, ui.size, ui.moving]);
    if (key === ui.contourKey) return;
    ui.contourKey = key;
    const t0 = performance.now();
    const cell = ui.moving ? CELL_PX_MOVING : CELL_PX;
    const nx = Math.max(8, Math.round(frame.plot.width / cell));
    const ny = Math.max(8, Math.round(frame.plot.height / cell));
    const dx = (frame.box.xmax - frame.box.xmin) / nx;
    const dy = (frame.box.ymax - frame.box.ymin) / ny;
    const values = session.grid({
      xmin: frame.box.xmin + dx / 2, xmax: frame.box.xmax - dx / 2,
      ymin: frame.box.ymin + dy / 2, ymax: frame.box.ymax - dy / 2,
    }, nx, ny);
    drawContour(layers.contour, { values, nx, ny, logScale: st.problem.expr ? 'auto' : info.log_scale, minima: info.minima }, frame);
    const ms = performance.now() - t0;
    for (const list of ui.moving ? [debug.contourMs] : [debug.contourMs, debug.contourFineMs]) {
      list.push(ms);
      if (list.length > 200) list.shift();
    }
  }

  // Each run's history from the session, re-read only when the session's numbers changed.
  function readRuns(st) {
    const key = `${version}:${st.tolerance}:${st.optimizers.map((o) => `${o.label}\u0000${o.color}`).join('\u0001')}`;
    if (key === ui.runsKey) return;
    ui.runsKey = key;
    const fstar = info.minima.length ? Math.min(...info.minima.map((m) => m.value)) : null;
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
      };
    });
  }

  // The selected run's internals, and when paused the step before too (for the equation). While
  // playing the table is refreshed 4 times a second and the equation waits for the pause: KaTeX
  // is the slowest thing on the page and would cost frames.
  function readInspect(st) {
    const playing = player.isPlaying();
    const key = `${version}:${st.selected}:${playing}`;
    const now = performance.now();
    if (key === ui.inspectKey) return { ...ui.inspect, fresh: false };
    if (playing && now - ui.inspectAt < 250) {
      redraw(); // come back for it
      return ui.inspect ? { ...ui.inspect, fresh: false } : null;
    }
    ui.inspectKey = key;
    ui.inspectAt = now;
    const cur = session.internals(st.selected);
    let prev = null;
    if (st.steps > 0 && !playing && session.back(1) === 1) {
      // The state before this step, exactly: step back (from the core's checkpoints) and forth.
      // At the start of the kept window there is no step before to show.
      prev = session.internals(st.selected);
      session.stepBy(1);
    }
    ui.inspect = { cur, prev, playing };
    return { ...ui.inspect, fresh: true };
  }

  function arrowsFor(st, run, cur) {
    if (!run || !cur || cur.step === 0 || run.divergedAt !== null || cur.grad.length !== 2) return null;
    // The step began at step cur.step - 1's point, kept at full resolution in the recent window.
    const k = indexAtOrBefore(run.steps, cur.step - 1);
    if (k < 0 || run.steps[k] !== cur.step - 1 || 2 * k + 1 >= run.params.length) return null;
    const from = [run.params[2 * k], run.params[2 * k + 1]];
    const arrows = [
      { label: '−∇f', vector: [-cur.grad[0], -cur.grad[1]], color: ARROW_COLORS.grad, directionOnly: true },
      { label: 'update', vector: cur.update, color: ARROW_COLORS.update },
    ];
    const b = cur.state.find((s) => s.name === 'momentum_buffer');
    if (b && cur.options.lr !== undefined) {
      // θ moves by lr·b from the velocity alone (torch's form): scaled for display only.
      arrows.push({ label: 'velocity', vector: [-cur.options.lr * b.value[0], -cur.options.lr * b.value[1]], color: ARROW_COLORS.velocity });
    }
    return { from, arrows };
  }

  function drawChart(st) {
    const r = chart.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(r.width);
    const h = Math.round(r.height);
    if (chart.width !== Math.round(w * dpr) || chart.height !== Math.round(h * dpr)) {
      chart.width = Math.round(w * dpr);
      chart.height = Math.round(h * dpr);
    }
    const fstar = info.minima.length ? Math.min(...info.minima.map((m) => m.value)) : null;
    let allPositive = true;
    for (const run of ui.runs) for (const l of run.lossMin) if (!(l > 0)) allPositive = false;
    const log = fstar !== null || allPositive;
    const hover = ui.hoverStep === null ? null : Math.min(ui.hoverStep, st.steps);
    drawLossChart(chart.getContext('2d'), {
      steps: st.steps,
      series: ui.runs.map((run) => ({
        losses: run.losses, steps: run.steps, lossMin: run.lossMin, lossMax: run.lossMax, color: run.color, divergedAt: run.divergedAt,
      })),
      offset: fstar,
      log,
      hoverStep: hover,
      yLabel: fstar !== null ? 'loss − minimum (log)' : log ? 'loss (log)' : 'loss',
    }, { width: w, height: h, dpr });
    compare.showHover(hover === null ? null : { step: hover, values: ui.runs.map((run) => hoverValue(run, hover)) });
  }

  debug.engine = engine;
  debug.app = { getState, setState, session: () => session, version: () => version, lessons: LESSONS, flushHash };
  redraw();
}

// A clicked start is rounded to the decimal just below one pixel: as precise as a click can be,
// and readable in the start boxes and the link. The runs then use exactly that number.
function roundTo(v, pixel) {
  const decimals = Math.max(0, Math.min(15, -Math.floor(Math.log10(pixel))));
  return Number(v.toFixed(decimals));
}

function el(tag, text) {
  const e = document.createElement(tag);
  e.textContent = text;
  return e;
}
