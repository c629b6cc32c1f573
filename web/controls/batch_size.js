// A run's mini-batch size on a problem made of data points (fit, network): a slider from 1 to n
// whose right end is "full", and an exact box (a whole number, or empty for full batch). The slider
// is spaced evenly in log(size), so 1, 2, 4, 8 are as easy to reach as 100 and 200. Commits a whole
// number or null (full batch) through onCommit(value), which may throw to reject it.
import { h, uid } from './dom.js';

// The sizes the slider stops at: 1 .. n-1 log-spaced (every size while there are few), then full.
export function sliderSizes(n) {
  const sizes = new Set();
  const stops = Math.min(n - 1, 60);
  for (let k = 0; k < stops; k++) sizes.add(Math.min(n - 1, Math.round((n - 1) ** (stops > 1 ? k / (stops - 1) : 0))));
  return [...[...sizes].sort((a, b) => a - b), null];
}

// What a batch size reads as: "8", or "full" for null.
export const batchText = (b) => (b === null ? 'full' : String(b));

// value: the run's batch size (null: full batch); n: the number of training points.
export function batchSizeControl({ name, value, n, onCommit }) {
  const id = uid('batch');
  const sizes = sliderSizes(Math.max(2, n));
  const position = (b) => {
    if (b === null || b >= n) return sizes.length - 1;
    let best = 0;
    sizes.forEach((s, k) => { if (s !== null && Math.abs(Math.log(s) - Math.log(b)) < Math.abs(Math.log(sizes[best]) - Math.log(b))) best = k; });
    return best;
  };
  const error = h('p', { class: 'run-error', id: `${id}-err`, hidden: true });
  const range = h('input', {
    type: 'range', min: 0, max: sizes.length - 1, step: 1, 'aria-label': `${name} (slider)`, 'aria-describedby': `${id}-err`,
  });
  const box = h('input', {
    type: 'text', id, inputmode: 'numeric', placeholder: 'full', 'aria-label': name, 'aria-describedby': `${id}-err`,
    size: 5,
  });
  const of = h('span', { class: 'batch-of' }, `of ${n}`);
  let current = value;
  const show = (b) => {
    current = b;
    range.value = String(position(b));
    range.setAttribute('aria-valuetext', b === null ? `full batch (${n})` : String(b));
    if (document.activeElement !== box) box.value = b === null ? '' : String(b);
  };
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    box.setAttribute('aria-invalid', 'true');
  };
  const commit = (b) => {
    try {
      onCommit(b);
      error.hidden = true;
      box.removeAttribute('aria-invalid');
      show(b);
    } catch (e) {
      fail(e.message);
    }
  };
  range.addEventListener('input', () => {
    const b = sizes[Number(range.value)];
    box.value = b === null ? '' : String(b);
    commit(b);
  });
  box.addEventListener('change', () => {
    const text = box.value.trim().toLowerCase();
    if (text === '' || text === 'full') return commit(null);
    const b = Number(text);
    // The core judges the range (1..n); the box only needs a whole number to pass on.
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(b)) return fail(`${name}: enter a whole number from 1 to ${n}, or leave it empty for full batch`);
    return commit(b);
  });
  box.addEventListener('blur', () => {
    if (box.getAttribute('aria-invalid') !== 'true') box.value = current === null ? '' : String(current);
  });
  show(value);
  const el = h('div', { class: 'hp batch-size' }, h('label', { for: id, class: 'mono' }, 'batch_size'), range, h('span', { class: 'batch-box' }, box, of), error);
  return { el, set: show };
}
