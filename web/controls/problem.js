// The Problem panel: the built-in landscapes (with the one-line note on what each teaches), a formula
// box checked by the core as you type (errors shown under the character they point at; the old
// landscape stays until a formula is valid), seeded gradient noise, the seed and the start point.
import * as S from '../state.js';
import { h, uid } from './dom.js';
import { numberControl } from './slider.js';

const CUSTOM = '__formula__';

// ctx: {landscapes: engine.landscapes, checkFormula(text), getState(), setState(patch),
//       info(): the current landscape's {formula, note, ...}}
export function mountProblem(root, ctx) {
  const selectId = uid('landscape');
  const select = h('select', { id: selectId },
    ctx.landscapes.map((l) => h('option', { value: l.name }, pretty(l.name))),
    h('option', { value: CUSTOM }, 'Your formula'));
  const note = h('p', { class: 'hint', id: uid('note') });
  const formulaText = h('p', { class: 'formula-text' });
  select.setAttribute('aria-describedby', note.id);
  select.addEventListener('change', () => {
    if (select.value === CUSTOM) {
      input.focus();
      return;
    }
    const l = ctx.landscapes.find((x) => x.name === select.value);
    const st = ctx.getState();
    ctx.setState({
      problem: withNoise({ name: l.name }, st.problem), start: [...l.start], view: { ...l.view }, steps: 0, optimizers: S.withoutBatchSizes(st.optimizers),
    });
  });

  const inputId = uid('formula');
  const errorId = uid('formula-error');
  const input = h('input', {
    type: 'text', id: inputId, spellcheck: false, autocomplete: 'off', autocapitalize: 'off',
    placeholder: 'e.g. x^2 + 10*y^2', 'aria-describedby': errorId,
  });
  const apply = h('button', { type: 'button' }, 'Apply formula');
  const error = h('div', { class: 'formula-error', id: errorId, 'aria-live': 'polite' });

  // The caret sits under the column the core reports (columns count from 1), in the same
  // monospace font as the box.
  function showCheck(text) {
    if (text.trim() === '') {
      error.replaceChildren();
      input.removeAttribute('aria-invalid');
      return false;
    }
    const r = ctx.checkFormula(text);
    if (r.ok) {
      error.replaceChildren();
      input.removeAttribute('aria-invalid');
      return true;
    }
    input.setAttribute('aria-invalid', 'true');
    const parts = [];
    if (Number.isInteger(r.column) && r.column >= 1) {
      parts.push(h('pre', { 'aria-hidden': 'true' }, `${text}\n${' '.repeat(r.column - 1)}^`));
    }
    parts.push(h('p', { class: 'formula-error-message' }, `Formula error: ${r.message}`));
    error.replaceChildren(...parts);
    return false;
  }

  function applyFormula() {
    const text = input.value.trim();
    if (!showCheck(text)) {
      if (text === '') error.replaceChildren(h('p', {}, 'Type a formula in x and y first.'));
      return;
    }
    const st = ctx.getState();
    try {
      ctx.setState({ problem: withNoise({ expr: text }, st.problem), steps: 0, optimizers: S.withoutBatchSizes(st.optimizers) });
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      error.replaceChildren(h('p', { class: 'formula-error-message' }, `Formula error: ${e.message}`));
    }
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => showCheck(input.value), 150);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') applyFormula();
  });
  apply.addEventListener('click', applyFormula);

  const noise = numberControl({
    label: 'Gradient noise σ (simulated mini-batches)', name: 'Gradient noise', value: 0, min: 0, max: 20, log: false, mono: false,
    onCommit: (v) => {
      if (v < 0) throw new Error('noise: must be 0 or more');
      const st = ctx.getState();
      const { noise: _, ...bare } = st.problem;
      ctx.setState({ problem: v > 0 ? { ...bare, noise: v } : bare });
    },
  });

  const seed = h('input', { type: 'number', min: 0, step: 1, id: uid('seed') });
  const seedError = h('p', { class: 'run-error', hidden: true });
  seed.addEventListener('change', () => {
    try {
      ctx.setState({ seed: Number(seed.value) });
      seedError.hidden = true;
    } catch (e) {
      seedError.textContent = e.message;
      seedError.hidden = false;
    }
  });

  const startX = h('input', { type: 'number', step: 'any', 'aria-label': 'Start x' });
  const startY = h('input', { type: 'number', step: 'any', 'aria-label': 'Start y' });
  const onStart = () => {
    const x = Number(startX.value);
    const y = Number(startY.value);
    if (Number.isFinite(x) && Number.isFinite(y) && startX.value !== '' && startY.value !== '') {
      ctx.setState({ start: [x, y], steps: 0 });
    }
  };
  startX.addEventListener('change', onStart);
  startY.addEventListener('change', onStart);

  root.append(
    h('div', { class: 'field' }, h('label', { for: selectId, class: 'field-label' }, 'Landscape'), select, note, formulaText),
    h('div', { class: 'field' },
      h('label', { for: inputId, class: 'field-label' }, 'Formula f(x, y)'),
      h('div', { class: 'formula-row' }, input, apply), error,
      h('p', { class: 'hint' }, 'Operators + − * / ^, functions sin cos tan exp log sqrt abs tanh sigmoid, constants pi and e.')),
    noise.el,
    h('div', { class: 'field' }, h('label', { for: seed.id, class: 'field-label' }, 'Seed (noise replays the same)'), seed, seedError),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, 'Start (or click the landscape)'),
      h('div', { class: 'pair' }, h('label', {}, 'x', startX), h('label', {}, 'y', startY))),
  );

  return {
    update(st) {
      const info = ctx.info();
      select.value = st.problem.name ?? CUSTOM;
      note.textContent = st.problem.name ? info?.note ?? '' : 'Your own formula in x and y.';
      formulaText.textContent = `f(x, y) = ${info?.formula ?? st.problem.expr ?? ''}`;
      if (st.problem.expr && document.activeElement !== input && input.value === '') input.value = st.problem.expr;
      noise.set(st.problem.noise ?? 0);
      if (document.activeElement !== seed) seed.value = String(st.seed);
      if (document.activeElement !== startX) startX.value = String(st.start[0]);
      if (document.activeElement !== startY) startY.value = String(st.start[1]);
    },
    destroy() {
      clearTimeout(timer);
      root.replaceChildren(); // the listeners sit on what it built
    },
  };
}

function withNoise(problem, old) {
  return old.noise ? { ...problem, noise: old.noise } : problem;
}

// "six_hump_camel" -> "Six hump camel"
function pretty(name) {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
