// A tiny element builder for the panels: h('button', {type: 'button', onclick}, 'Step').
// Attributes starting with "on" become listeners; the others become attributes (false/null: none).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') for (const [p, x] of Object.entries(v)) el.style.setProperty(p, x);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) el.append(c);
  }
  return el;
}

let counter = 0;
// A fresh id for label-for / aria wiring.
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// True while the user is typing or adjusting a control, so page shortcuts and panel refreshes
// leave it alone.
export function isEditing(el) {
  return Boolean(el && el.closest && el.closest('input, select, textarea, [contenteditable="true"]'));
}

// Below 1200 px the layout is one stacked column (styles.css): what a control opens may lie far
// below it. Scrolls el to the top of the view there (under the sticky toolbar); a no-op when wide.
export function revealWhenStacked(el) {
  if (matchMedia('(max-width: 1199px)').matches) {
    requestAnimationFrame(() => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  }
}
