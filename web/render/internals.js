// Arrows for the inspected run's last step, drawn where that step began: the negated gradient
// (its direction), the actual update and, for momentum methods, the velocity's share of it. They
// show why Momentum overshoots, why AdaGrad's steps shrink and why Adam's first steps have the same
// size in every direction. Pure: draws what it is given into ctx and keeps nothing.
import { begin, clipToPlot, toPixel } from './frame.js';
import { theme, font } from '../theme.js';

const DIRECTION_PX = 56; // length of a direction-only arrow
const MIN_PX = 30; // shorter displacements are magnified (×2, ×5, ×10, ×20 ...), and labelled so

// data: {from: [x, y], arrows: [{label, vector: [dx, dy], color, directionOnly: bool}]}
// view: a frame from frame.js.
export function drawInternals(ctx, data, view) {
  begin(ctx, view);
  if (!data || data.arrows.length === 0) return;
  ctx.save();
  clipToPlot(ctx, view);
  const [x0, y0] = toPixel(view, data.from[0], data.from[1]);
  const scaled = data.arrows.filter((a) => !a.directionOnly);
  const longest = Math.max(0, ...scaled.map((a) => Math.hypot(a.vector[0], a.vector[1]) * view.scale));
  // The smallest factor of the 1-2-5 series that makes the longest arrow readable.
  let factor = 1;
  for (let k = 0; longest > 0 && longest * factor < MIN_PX && k < 40; k++) factor = [2, 5, 10][k % 3] * 10 ** Math.floor(k / 3);
  const placed = []; // label chips already drawn, so a later one moves aside instead of covering it
  for (const a of data.arrows) {
    const len = Math.hypot(a.vector[0], a.vector[1]);
    if (!(len > 0) || !Number.isFinite(len)) continue;
    const k = a.directionOnly ? DIRECTION_PX / len : view.scale * factor;
    // Screen y grows downward.
    const x1 = x0 + a.vector[0] * k;
    const y1 = y0 - a.vector[1] * k;
    const label = !a.directionOnly && factor > 1 ? `${a.label} ×${magnification(factor)}` : a.label;
    arrow(ctx, x0, y0, x1, y1, a.color);
    tag(ctx, x1, y1, x1 - x0, y1 - y0, label, a.color, placed, view.plot);
  }
  ctx.restore();
}

function arrow(ctx, x0, y0, x1, y1, color) {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  const head = 10;
  const shape = () => {
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.moveTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
    ctx.lineTo(x1, y1);
    ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
  };
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  shape();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 6;
  ctx.stroke();
  shape();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2.5 * theme().line;
  ctx.stroke();
}

// A small label just beyond the arrow's tip, on a white chip so it reads on any band.
function tag(ctx, x, y, dx, dy, text, color, placed, plot) {
  const len = Math.hypot(dx, dy) || 1;
  ctx.font = font(13, { weight: '600' });
  const w = ctx.measureText(text).width + 8;
  let cx = x + (dx / len) * (w / 2 + 6);
  let cy = y + (dy / len) * 14;
  const hits = (r) => Math.abs(r.cx - cx) < (r.w + w) / 2 && Math.abs(r.cy - cy) < 19;
  for (let k = 0; k < 6 && placed.some(hits); k++) cy += dy > 0 ? 19 : -19;
  // Keep the chip inside the plot, where it is not clipped.
  cx = Math.min(Math.max(cx, plot.left + w / 2 + 2), plot.left + plot.width - w / 2 - 2);
  cy = Math.min(Math.max(cy, plot.top + 11), plot.top + plot.height - 11);
  placed.push({ cx, cy, w });
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(cx - w / 2, cy - 9, w, 18);
  ctx.fillStyle = color;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, cx, cy);
}

// 2, 50, 1000 as they are; 2×10⁴ and beyond in powers of ten.
function magnification(f) {
  if (f < 1e4) return String(f);
  const e = Math.floor(Math.log10(f) + 1e-9);
  const m = Math.round(f / 10 ** e);
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const sup = String(e).split('').map((d) => digits[Number(d)]).join('');
  return `${m === 1 ? '' : `${m}·`}10${sup}`;
}
