// Sizes the typeset equation to its box: the preferred size when it fits, smaller (never below a
// readable floor) when the rule is long, so no line is cut off and, on wide screens, the whole rule
// stays beside the plot without a scroll. A line still too wide at the floor scrolls sideways.
// sizes: {preferred, floor} in px of the equation's font (KaTeX sets its text at 1.21 times it).
export function fitEquation(el, { preferred, floor, room }) {
  el.style.fontSize = `${preferred}px`;
  if (!el.firstChild) return;
  let size = preferred;
  // Height: the rows left in the column (room, px) bound the whole equation.
  if (room > 0 && el.scrollHeight > room) size = Math.max(floor, Math.floor(size * (room / el.scrollHeight) * 10) / 10);
  // Width: the widest line bounds it too.
  const widest = Math.max(...[...el.children].map((line) => line.scrollWidth / Math.max(1, line.clientWidth)));
  if (widest > 1) size = Math.max(floor, Math.floor((size / widest) * 10) / 10);
  el.style.fontSize = `${size}px`;
  // Rounding can leave a line a pixel over: shrink in small steps, down to the floor.
  for (let k = 0; k < 8 && size > floor && overflows(el, room); k++) {
    size = Math.max(floor, size - 0.5);
    el.style.fontSize = `${size}px`;
  }
  for (const line of el.children) line.classList.toggle('eq-scroll', line.scrollWidth > line.clientWidth + 1);
}

function overflows(el, room) {
  if (room > 0 && el.scrollHeight > room + 1) return true;
  return [...el.children].some((line) => line.scrollWidth > line.clientWidth + 1);
}
