// Predict mode (the toolbar's Predict toggle): before a Step the student puts a marker where the
// selected run's next point will be (drag or tap on the plot, or arrow keys), then Enter or Step
// reveals the core's point and how far the guess was. The score lives for this visit only.
// The true point is the session's (the core's); the only sum here is the distance of two points.
// The race ("which run reaches the tolerance first?") is picked before Play and answered from the
// step at which each run first came within the tolerance (the Compare legend's own numbers).
import { makeFrame, toData, toPixel, begin } from '../render/frame.js';
import { listeners } from '../panel.js';

// ctx: {getState(), session(), step(): takes one step, network: predict_network.js's panel, runs(): the landscape view's runs, each with
//       label and reached: {step} or null/undefined (no known minimum)}
export function mountPredict(ctx) {
  const $ = (id) => document.getElementById(id);
  const { on, destroy } = listeners();
  const button = $('predict');
  const layer = $('predict-layer');
  const out = $('predict-result');
  const plot = $('plot');
  const race = $('predict-race');
  const pick = $('predict-race-pick');
  const raceOut = $('predict-race-result');
  let raceKey = '';
  // guess: [x, y] in landscape coordinates; pending: the guess committed for the step after `at`.
  const ui = { on: false, guess: null, pending: null, shown: null, tries: 0, total: 0 };

  const frame = () => makeFrame(plot.clientWidth, plot.clientHeight, devicePixelRatio, ctx.getState().view);
  // The selected run's last point, from the core's history.
  function current() {
    const st = ctx.getState();
    const p = ctx.session().params(st.selected);
    return p.length >= 2 ? [p[p.length - 2], p[p.length - 1]] : null;
  }

  on(button, 'click', () => {
    ui.on = !ui.on;
    button.setAttribute('aria-pressed', String(ui.on));
    plot.classList.toggle('predicting', ui.on);
    ui.guess = ui.on && ctx.getState().mode === 'landscape' ? current() : null;
    ui.pending = null;
    ui.shown = null;
    out.hidden = !ui.on;
    race.hidden = !ui.on;
    ui.race = null;
    raceKey = '';
    out.textContent = ui.on ? 'Drag the marker to where the selected run will be after the next step, then press Enter or Step.' : '';
    draw();
    update(ctx.getState());
  });
  const place = (e) => {
    const r = layer.getBoundingClientRect();
    ui.guess = toData(frame(), e.clientX - r.left, e.clientY - r.top);
    ui.shown = null;
    draw();
  };
  on(layer, 'pointerdown', (e) => { if (!ui.on) return; layer.setPointerCapture(e.pointerId); place(e); e.preventDefault(); });
  on(layer, 'pointermove', (e) => { if (ui.on && e.buttons) place(e); });
  // Capture phase: while Predict is on the arrow keys move the marker instead of stepping.
  on(document, 'keydown', (e) => {
    if (!ui.on || ctx.getState().mode !== 'landscape' || e.ctrlKey || e.metaKey || e.altKey || e.target.closest?.('input, select, textarea')) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (moves[e.key]) {
      const f = frame();
      const g = ui.guess ?? current();
      const px = (e.shiftKey ? 20 : 4) / f.scale; // a few pixels a press, more with Shift
      ui.guess = [g[0] + moves[e.key][0] * px, g[1] + moves[e.key][1] * px];
      ui.shown = null;
      draw();
    } else if (e.key === 'Enter') {
      commit();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }, { capture: true });
  // Step while predicting commits the guess first (the button's own handler then takes the step).
  on($('step'), 'click', () => { if (ui.on && !ui.pending && ctx.getState().mode === 'landscape') remember(); }, { capture: true });

  function remember() {
    if (!ui.guess) ui.guess = current();
    ui.pending = { guess: ui.guess, from: ctx.getState().steps, run: ctx.getState().selected };
  }
  function commit() {
    remember();
    ctx.step();
  }

  on(pick, 'change', () => {
    ui.race = pick.value === '' ? null : { run: Number(pick.value) };
    raceKey = '';
    update(ctx.getState());
  });

  // The race: the choices while no run has arrived, then who got there first.
  function updateRace(st) {
    const runs = ctx.runs() ?? [];
    const reached = runs.map((r) => r.reached?.step ?? null);
    const key = JSON.stringify([st.optimizers.map((o) => o.label), st.tolerance, reached, ui.race]);
    if (key === raceKey) return;
    raceKey = key;
    if (runs.some((r) => r.reached === undefined)) {
      race.hidden = true; // a formula with no known minimum: no tolerance to reach
      return;
    }
    race.hidden = false;
    const first = Math.min(...reached.filter((s) => s !== null));
    const arrived = Number.isFinite(first);
    const chosen = ui.race?.run;
    pick.replaceChildren(new Option('Pick a run…', ''), ...runs.map((r, i) => new Option(r.label, String(i), false, i === chosen)));
    pick.disabled = arrived;
    if (!arrived) {
      raceOut.textContent = chosen === undefined ? '' : `You picked ${runs[chosen].label}. Press Play and see.`;
      delete raceOut.dataset.winners;
      return;
    }
    const winners = runs.filter((_, i) => reached[i] === first).map((r) => r.label);
    raceOut.dataset.winners = winners.join('\n');
    const who = `${winners.join(' and ')} reached the tolerance first, at step ${first}.`;
    raceOut.textContent = chosen === undefined ? who
      : `${who} You picked ${runs[chosen].label}: ${reached[chosen] === first ? 'right!' : 'not this time.'}`;
  }

  // After the step: the core's point, the distance, the running score.
  function update(st) {
    ctx.network?.update(st, ui.on);
    if (st.mode !== 'landscape') return;
    if (ui.on) updateRace(st);
    if (!ui.on || !ui.pending || st.steps !== ui.pending.from + 1) return;
    const truth = current();
    const { guess } = ui.pending;
    const distance = Math.hypot(truth[0] - guess[0], truth[1] - guess[1]);
    ui.tries += 1;
    ui.total += distance;
    ui.shown = { guess, truth, distance };
    ui.pending = null;
    ui.guess = truth;
    out.dataset.distance = String(distance);
    out.dataset.guess = JSON.stringify(guess); // for readers of the page and its tests
    out.textContent = `Step ${st.steps}: the run went to (${truth[0].toPrecision(4)}, ${truth[1].toPrecision(4)}); your guess was ${distance.toPrecision(3)} away. `
      + `${ui.tries} prediction${ui.tries === 1 ? '' : 's'}, mean distance ${(ui.total / ui.tries).toPrecision(3)}. The update with its numbers is above.`;
    draw();
  }

  function draw() {
    if (ctx.getState().mode !== 'landscape') return; // the network's question is predict_network.js's
    const f = frame();
    layer.width = Math.round(f.width * f.dpr);
    layer.height = Math.round(f.height * f.dpr);
    const g = layer.getContext('2d');
    begin(g, f);
    if (!ui.on) return;
    const cross = ([x, y], color) => {
      const [px, py] = toPixel(f, x, y);
      g.strokeStyle = color;
      g.lineWidth = 3;
      g.beginPath();
      g.moveTo(px - 8, py - 8); g.lineTo(px + 8, py + 8); g.moveTo(px + 8, py - 8); g.lineTo(px - 8, py + 8);
      g.stroke();
    };
    if (ui.shown) {
      const [ax, ay] = toPixel(f, ...ui.shown.guess);
      const [bx, by] = toPixel(f, ...ui.shown.truth);
      g.setLineDash([5, 4]);
      g.strokeStyle = '#000';
      g.lineWidth = 1.5;
      g.beginPath(); g.moveTo(ax, ay); g.lineTo(bx, by); g.stroke();
      g.setLineDash([]);
      cross(ui.shown.guess, '#d55e00');
      return;
    }
    if (ui.guess) cross(ui.guess, '#d55e00');
  }

  return { update, destroy, active: () => ui.on };
}
