// Predict mode on a network: before a Step the student picks which of three decision-boundary
// thumbnails is the selected run's after one more step. The three are the core's: the run after
// 1, 5 and 25 more steps, computed in a scratch session opened from the same spec (so the page's
// own session is not moved), shown in an order that changes with the step. Step reveals the answer.
import * as S from '../state.js';
import { drawHeatmap, drawPoints } from '../render/boundary.js';
import { h } from './dom.js';
import { listeners } from '../panel.js';

const AHEAD = [1, 5, 25]; // the answer, then two decoys further on
const GRID = 48; // samples per side of a thumbnail
const MAX_STEP = 5000; // a scratch session replays every step: beyond this the question is skipped

// ctx: {getState(), openSession(spec), shown(): {data, range} of the network view}
export function mountPredictNetwork(ctx) {
  const $ = (id) => document.getElementById(id);
  const { on, destroy } = listeners();
  const root = $('predict-net');
  const question = h('p', { class: 'predict-net-question' });
  const choices = h('div', { class: 'predict-net-choices', role: 'group', 'aria-label': 'Which boundary comes next?' });
  const result = h('p', { class: 'predict-net-result', role: 'status' });
  root.replaceChildren(question, choices, result);
  const ui = { on: false, key: '', options: [], picked: null, pending: null, right: 0, tries: 0, hold: null };
  const next = h('button', { type: 'button', class: 'predict-net-next', hidden: true }, 'Next question');
  root.append(next);

  // The three boundaries for the state on screen, in an order that depends on the step.
  function build(st) {
    const key = JSON.stringify([S.toSpec(st), st.selected]);
    if (key === ui.key) return;
    ui.key = key;
    ui.picked = null;
    const view = ctx.shown();
    if (!view?.data || st.steps + AHEAD[AHEAD.length - 1] > Math.min(MAX_STEP, S.limits().max_steps)) {
      ui.options = [];
      choices.replaceChildren();
      question.textContent = `Predict asks about the first ${MAX_STEP} steps; Back or Reset to try it.`;
      return;
    }
    const grids = thumbnails(st, view.data);
    const shift = st.steps % AHEAD.length;
    ui.options = AHEAD.map((ahead, k) => ({ ahead, grid: grids[k] }));
    ui.options = ui.options.map((_, k) => ui.options[(k + shift) % AHEAD.length]);
    const run = st.optimizers[st.selected];
    question.textContent = `Which is ${run.label || run.name}'s boundary after the next step? Pick one, then Step.`;
    choices.replaceChildren(...ui.options.map((o, k) => {
      const heat = h('canvas', { class: 'heat', width: String(GRID), height: String(GRID) });
      const points = h('canvas', {});
      const letter = 'ABC'[k];
      const button = h('button', {
        type: 'button', class: 'predict-net-choice', 'aria-pressed': 'false', 'data-ahead': String(o.ahead),
        'aria-label': `Boundary ${letter}`,
        onclick: () => pick(k),
      }, h('span', { class: 'heat-box' }, heat, points), h('span', {}, letter));
      o.button = button;
      o.heat = heat;
      o.points = points;
      return button;
    }));
    requestAnimationFrame(() => paint(view));
  }

  function thumbnails(st, data) {
    const box = data.view;
    const dx = (box.xmax - box.xmin) / GRID;
    const dy = (box.ymax - box.ymin) / GRID;
    const cells = { xmin: box.xmin + dx / 2, xmax: box.xmax - dx / 2, ymin: box.ymin + dy / 2, ymax: box.ymax - dy / 2 };
    const scratch = ctx.openSession({ ...S.toSpec(st), steps: st.steps + AHEAD[0] });
    try {
      return AHEAD.map((ahead, k) => {
        if (k > 0) scratch.stepBy(ahead - AHEAD[k - 1]);
        return scratch.predictGrid(st.selected, cells, GRID, GRID);
      });
    } finally {
      scratch.close();
    }
  }

  function paint({ data, range }) {
    for (const o of ui.options) {
      drawHeatmap(o.heat.getContext('2d'), { values: o.grid, nx: GRID, ny: GRID, classes: data.classes, loss: data.loss, range });
      const r = o.points.getBoundingClientRect();
      const dpr = devicePixelRatio || 1;
      o.points.width = Math.max(1, Math.round(r.width * dpr));
      o.points.height = Math.max(1, Math.round(r.height * dpr));
      drawPoints(o.points.getContext('2d'), { train: data.train, test: null, classes: data.classes, range, highlight: null },
        { width: r.width, height: r.height, dpr, box: data.view });
    }
  }

  function pick(k) {
    ui.picked = k;
    ui.options.forEach((o, j) => o.button.setAttribute('aria-pressed', String(j === k)));
    result.textContent = `You picked ${'ABC'[k]}. Press Step (or →) to see.`;
    // However the next step is taken (button, key, Play), the answer shows when the page reaches it.
    ui.pending = { from: ctx.getState().steps, options: ui.options, picked: k };
  }

  function update(st, on) {
    ui.on = on && st.mode === 'network';
    root.hidden = !ui.on;
    if (!ui.on) return;
    if (ui.pending && st.steps !== ui.pending.from && st.steps !== ui.pending.from + 1) ui.pending = null; // moved on
    if (ui.pending && st.steps === ui.pending.from + 1) {
      const { options, picked } = ui.pending;
      ui.pending = null;
      const answer = options.findIndex((o) => o.ahead === 1);
      ui.tries += 1;
      if (picked === answer) ui.right += 1;
      const others = options.map((o, j) => (j === answer ? null : `${'ABC'[j]} is ${o.ahead} steps on`)).filter(Boolean).join(', ');
      result.dataset.answer = 'ABC'[answer];
      result.dataset.picked = 'ABC'[picked];
      // The answer is shown on the thumbnails asked about, until "Next question" or another step.
      options.forEach((o, j) => o.button.classList.toggle('answer', j === answer));
      options.forEach((o) => { o.button.disabled = true; });
      ui.hold = st.steps;
      next.hidden = false;
      result.textContent = `${picked === answer ? 'Right' : 'Not this time'}: ${'ABC'[answer]} was the boundary after one step (${others}). `
        + `${ui.right} of ${ui.tries} right.`;
      return;
    }
    if (ui.hold === st.steps) return;
    ui.hold = null;
    next.hidden = true;
    build(st);
  }
  on(next, 'click', () => {
    ui.hold = null;
    ui.key = '';
    result.textContent = '';
    update(ctx.getState(), true);
    ui.options[0]?.button.focus();
  });

  return { update, destroy };
}
