// One numeric setting as a slider (on a log scale where the catalog says so) plus an exact number
// box. The slider is for feel, the box for the exact value; both commit through onCommit(value),
// which may throw to reject the value (the box then shows the message).
import { h, uid } from './dom.js';

const STEPS = 1000;

export function numberControl({ label, name, value, min, max, log, onCommit, mono = true }) {
  const id = uid('num');
  // A log slider cannot reach 0; its left end is min (the number box still accepts 0).
  const lo = log ? Math.log10(Math.max(min, 1e-300)) : min;
  const hi = log ? Math.log10(max) : max;
  const toSlider = (v) => {
    const t = log ? Math.log10(Math.max(v, min)) : v;
    return Math.round(((Math.min(hi, Math.max(lo, t)) - lo) / (hi - lo)) * STEPS);
  };
  const fromSlider = (p) => {
    const t = lo + ((hi - lo) * p) / STEPS;
    // Round to 3 significant digits so dragging gives readable values (0.0123, not 0.01234567).
    const v = log ? 10 ** t : t;
    return Number(v.toPrecision(3));
  };

  const error = h('p', { class: 'run-error', id: `${id}-err`, hidden: true });
  const range = h('input', {
    type: 'range', min: 0, max: STEPS, step: 1, 'aria-label': `${name} (slider)`,
    'aria-describedby': `${id}-err`,
  });
  const box = h('input', {
    type: 'number', id, step: 'any', inputmode: 'decimal', 'aria-label': name,
    'aria-describedby': `${id}-err`,
  });
  let current = value;
  const show = (v) => {
    current = v;
    range.value = toSlider(v);
    range.setAttribute('aria-valuetext', String(v)); // the value, not the slider's position
    if (document.activeElement !== box) box.value = String(v);
  };
  const commit = (v) => {
    try {
      onCommit(v);
      error.hidden = true;
      box.removeAttribute('aria-invalid');
      show(v);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      box.setAttribute('aria-invalid', 'true');
    }
  };
  range.addEventListener('input', () => {
    const v = fromSlider(Number(range.value));
    box.value = String(v);
    range.setAttribute('aria-valuetext', String(v));
    commit(v);
  });
  box.addEventListener('change', () => {
    const v = Number(box.value);
    if (box.value.trim() === '' || !Number.isFinite(v)) {
      error.textContent = `${name}: enter a number`;
      error.hidden = false;
      box.setAttribute('aria-invalid', 'true');
      return;
    }
    commit(v);
  });
  box.addEventListener('blur', () => {
    if (box.getAttribute('aria-invalid') !== 'true') box.value = String(current);
  });
  show(value);
  const el = h('div', { class: 'hp' }, h('label', { for: id, class: mono ? 'mono' : 'field-label' }, label), range, box, error);
  return { el, set: show, get: () => current };
}
