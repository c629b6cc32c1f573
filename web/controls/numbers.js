// Numbers a student reads and may copy: six significant digits on screen (as the equation), every
// digit of the double on hover and in the clipboard.
import { h } from './dom.js';
import * as fmt from '../format.js';

// One number as a span that never breaks and carries its full value.
export function num(v) {
  const full = fmt.exact(v);
  return h('span', { class: 'num', title: full, 'data-exact': full }, fmt.sig(v));
}

// A vector as "[a, b]" that may wrap only between entries.
export function numVector(v) {
  if (!v || v.length === 0) return '—';
  const out = ['['];
  v.forEach((x, i) => {
    if (i > 0) out.push(', ');
    out.push(num(x));
  });
  out.push(']');
  return out;
}

// Copying from root puts the full values in the clipboard in place of the rounded ones.
export function copyFullValues(root, on) {
  on(root, 'copy', (e) => {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || !e.clipboardData) return;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.commonAncestorContainer)) return;
    const frag = range.cloneContents();
    if (!frag.querySelector('.num')) return;
    for (const n of frag.querySelectorAll('.num')) n.textContent = n.dataset.exact;
    // Table cells and rows become tabs and lines, as a spreadsheet expects.
    for (const c of frag.querySelectorAll('th, td')) c.append('\t');
    for (const r of frag.querySelectorAll('tr')) r.append('\n');
    e.clipboardData.setData('text/plain', frag.textContent.replace(/\t\n/g, '\n'));
    e.preventDefault();
  });
}
