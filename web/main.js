// The assembly: loads the core, makes the state store, the session sync, the address bar and the
// panels and views (each follows the contract of panel.js), and runs one frame per change. The
// state (state.js) is the truth; session_sync.js brings the wasm Session in line with it; each
// view reads the session's numbers and draws them. Nothing here computes a step, a gradient or a loss.
import { loadEngine } from './engine.js';
import * as S from './state.js';
import { LESSONS } from './lessons.js';
import { createSessionSync } from './session_sync.js';
import { mountAddressBar } from './address_bar.js';
import { mountTransport } from './transport.js';
import { mountSettings } from './settings.js';
import { mountModeSwitch } from './mode_switch.js';
import { mountLandscapeView } from './landscape_view.js';
import { mountNetworkView } from './network_view.js';
import { mountCompare } from './controls/compare.js';
import { mountChartHover } from './controls/chart_hover.js';
import { mountXAxis } from './controls/x_axis.js';
import { mountLrPanel } from './controls/lr_panel.js';
import { mountShare } from './controls/share.js';
import { mountTabs } from './controls/tabs.js';
import { mountProjector } from './controls/projector.js';
import { notify, hideNotice, mountNotice } from './controls/notice.js';
import { oversize } from './spec_size.js';
import { initTheme, onThemeChange } from './theme.js';
import { createFrames } from './frames.js';
import { mountCatchUp } from './catch_up.js';
import { mountDrawer } from './controls/drawer.js';
import { mountLecture } from './controls/lecture.js';
import { CHAPTERS } from './lecture.js';
import { applyEmbed, embedSnippet } from './embed.js';
import { mountPredict } from './controls/predict.js';
import { mountPredictNetwork } from './controls/predict_network.js';
import { mountTeacher } from './controls/teacher.js';
import { mountMapPanel } from './controls/map_panel.js';
import { revealWhenStacked } from './controls/dom.js';

const $ = (id) => document.getElementById(id);

// For tests and benchmarks: the live app, and timings of the last frames and contour recomputations.
const debug = { contourMs: [], contourFineMs: [], drawMs: [], frames: 0 };
window.optlab = debug;

main();

async function main() {
  initTheme(); // before the first frame, so it is drawn in the chosen look
  applyEmbed(); // likewise: an embed's first frame is sized to its frame
  let engine;
  try {
    engine = await loadEngine();
  } catch (e) {
    $('loading').textContent = `The core could not be loaded: ${e.message}. Run \`npm start\` to build it.`;
    return;
  }
  startApp(engine);
}

// The map workers' script, or null where none can start: the single file (dist/optlab.html) carries
// the core inline and its policy allows no other script, so it computes maps on the page itself.
function mapWorkerUrl() {
  if (document.getElementById('optlab-wasm')) return null;
  return new URL('./map_worker.js', import.meta.url);
}

// The number of training points where each run can have its own mini-batch size; else null.
function dataSize(session) {
  if (!session) return null;
  const kind = session.problemKind();
  if (kind === 'fit') return session.fitData().y.length;
  if (kind === 'mlp') return session.dataset().train.y.length;
  return null;
}

function startApp(engine) {
  S.setLimits(engine.catalog.limits); // the core's limits, before any state is read
  S.setSpecCheck((spec) => engine.checkSpec(spec)); // and its validator
  const limits = () => engine.catalog.limits;
  let store = null;
  const redraw = createFrames(draw, { debug, failed: () => views.landscape?.invalidate() });
  const getState = () => store.getState();
  const setState = (patch) => store.setState(patch);
  const sync = createSessionSync(engine, { opened: (s, st) => { if (st.mode === 'network') network.opened(s); } });
  const bar = mountAddressBar({ open: sync.open, withDefaults: sync.withDefaults, getState, setState, limits });

  // Lessons and imports: a whole experiment spec at once.
  function loadSpec(spec) {
    transport.player.pause();
    setState(sync.withDefaults(S.fromSpec(spec, getState())));
    hideNotice();
  }

  const hover = mountChartHover($('loss-chart'), { redraw });
  const xAxis = mountXAxis({ getState, setState });
  const lrPanel = mountLrPanel({ getState, setState, session: sync.session, version: sync.version });
  const compare = mountCompare({ select: (i) => setState({ selected: i }), setTolerance: (v) => setState({ tolerance: v }) });
  const views = {
    landscape: null,
    network: mountNetworkView({
      session: sync.session, getState, setState, isPlaying: () => transport.player.isPlaying(), redraw, compare,
      version: sync.version, epoch: sync.epoch, hoverFraction: hover.fraction,
    }),
  };
  const network = views.network;
  const initial = bar.first(); // opens the session: the network view must exist for it
  store = S.createStore(initial, { apply: sync.apply, persist: bar.persist, redraw });

  const transport = mountTransport({
    getState, setState, session: sync.session, redraw, onPause: bar.flush,
    allStopped: () => getState().mode === 'landscape' && views.landscape.runs().length > 0
      && views.landscape.runs().every((r) => r.divergedAt !== null),
  });
  let mapPanel = null;
  views.landscape = mountLandscapeView({
    sync, getState, setState, player: transport.player, redraw, compare, hoverFraction: hover.fraction, debug, checkpoint: bar.checkpoint,
    parseCsv: (text, target) => engine.parseCsv(text, target),
    momentumPhase: (request) => engine.momentumPhase(request),
    openMap: (preset) => mapPanel.open(preset),
    mapOverlay: () => mapPanel?.overlay() ?? null,
  });
  mapPanel = mountMapPanel({
    root: $('map-view'), form: $('map-form'), bar: $('map-bar'), status: $('map-status'), cancel: $('map-cancel'),
    canvas: $('map-canvas'), legend: $('map-legend'), readout: $('map-readout'), toggle: $('map-toggle'), close: $('map-close'), exportButton: $('map-export'), plot: $('plot'),
  }, { engine, getState, setState, notify, redraw, workerUrl: mapWorkerUrl(), debug });
  const settings = mountSettings({
    getState, setState, engine, info: sync.info, dataSize: () => dataSize(sync.session()),
    isPlaying: () => transport.player.isPlaying(),
    loadLesson: (spec) => {
      try {
        loadSpec(spec);
        // On a phone or tablet the lessons sit below the plot: bring the lesson's picture into view.
        revealWhenStacked(document.querySelector(getState().mode === 'network' ? '#net-stage' : '.stage'));
      } catch (e) {
        notify(`The lesson could not be loaded: ${e.message}`, 'error');
      }
    },
  });
  const modes = mountModeSwitch({ getState, setState, pause: () => transport.player.pause(), withDefaults: sync.withDefaults });
  mountTabs($('app'));
  mountNotice();
  const view = () => views[getState().mode];
  mountShare({
    link: bar.link,
    png: () => view().exports.png(),
    pngName: () => `optlab-${getState().mode}.png`, // optlab-landscape.png, optlab-network.png
    csv: () => view().exports.csv(),
    json: () => `${JSON.stringify(S.toSpec(getState()), null, 2)}\n`,
    torchScript: () => engine.torchScript(S.toSpec(getState())),
    weights: () => `${sync.session().weightsJson(getState().selected)}\n`,
    importFile: async (file) => {
      // Refused unread: the experiment on screen stays.
      const tooBig = oversize(file.size, limits(), 'file');
      if (tooBig) return notify(`Could not import ${file.name}: ${tooBig}.`, 'error');
      try {
        loadSpec(JSON.parse(await file.text()));
      } catch (e) {
        notify(`Could not import ${file.name}: ${e.message}`, 'error');
      }
    },
    notify,
  });
  const catchUp = mountCatchUp(
    { root: $('catch-up'), bar: $('catch-up-bar'), text: $('catch-up-text'), cancel: $('catch-up-cancel') },
    { owed: sync.owed, forgetOwed: sync.forgetOwed, getState, setState },
  );
  // A chapter's experiment loads as a lesson does, with the chapter number beside it in the state.
  const lecture = mountLecture({ root: $('lecture'), toggle: $('lecture-open'), layout: $('app') }, {
    go(n) {
      try {
        transport.player.pause();
        setState(sync.withDefaults({ ...S.fromSpec(CHAPTERS[n - 1].spec, getState()), lecture: n }));
        hideNotice();
      } catch (e) {
        notify(`Chapter ${n} could not be loaded: ${e.message}`, 'error');
      }
    },
    close: () => setState({ lecture: 0 }),
  });
  const predictNetwork = mountPredictNetwork({
    getState, openSession: (spec) => engine.openSession(spec), shown: () => views.network.shown(),
  });
  const predict = mountPredict({
    getState, session: sync.session, step: () => $('step').click(), runs: () => views.landscape.runs(), network: predictNetwork,
  });
  const projector = mountProjector();
  const drawer = mountDrawer($('app'), $('drawer'));
  drawer.update();
  const teacher = mountTeacher({
    getState,
    link: (st) => {
      const url = new URL(location.href);
      url.hash = S.toHash(st);
      return url.href;
    },
    embed: embedSnippet,
    drawer,
    notify,
  });
  onThemeChange(() => {
    projector.update();
    drawer.update();
    // Every canvas is redrawn whole in the new colours and widths.
    sync.repaint();
    views.landscape.invalidate();
    mapPanel.invalidate();
    settings.invalidate();
    lrPanel.invalidate();
    redraw();
  });

  function draw() {
    debug.frames += 1;
    const st = getState();
    $('loading').hidden = true;
    $('app').setAttribute('aria-busy', 'false');
    modes.update(st);
    xAxis.update(st);
    view().update(st);
    mapPanel.update(st);
    lrPanel.update(st);
    transport.update(st);
    settings.update(st);
    catchUp.update(st);
    lecture.update(st);
    predict.update(st);
    teacher.update(st);
  }

  debug.engine = engine;
  debug.app = {
    getState, setState, session: sync.session, version: sync.version, lessons: LESSONS, flushHash: bar.flush, owed: sync.owed,
  };
  redraw();
}
