// Arrows for the inspected run's last step, drawn where that step began: the negated gradient, the
// actual update and, for momentum methods whose update is not the velocity's (Nesterov), the
// velocity's share of it. Each is drawn on a stated scale that stays put for the experiment (the
// caller keeps it), so AdaGrad's shrinking steps, a divergence's growing ones and a stall show as
// length. Pure: draws what it is given into ctx and returns where it put things.
import { begin, clipToPlot, toPixel } from './frame.js';
import { theme, font } from '../theme.js';
import * as fmt from '../format.js';

// A freshly scaled arrow is at most this long: −∇f shorter than the update, so the two differ
// even where they point the same way (SGD).
const TARGET_PX = { update: 64, grad: 40 };
const MAX_FACTOR = 1e4; // beyond this a step is a stall, not something to magnify
const CHIP_H = 18;

// The factors of the 1-2-5 series that draw the given arrows at most TARGET_PX long, one for the
// update (shared by the velocity, which is a share of it) and one for the gradient.
// data: as drawInternals; pxPerUnit: the frame's scale. Returns {update, grad}.
export function fitArrowScale(data, pxPerUnit) {
  const fit = (kind) => {
    const longest = Math.max(0, ...data.arrows.filter((a) => a.kind === kind).map((a) => Math.hypot(...a.vector) * pxPerUnit));
    if (!(longest > 0) || !Number.isFinite(longest)) return 1;
    return Math.min(MAX_FACTOR, series(TARGET_PX[kind] / longest));
  };
  return { update: fit('update'), grad: fit('grad') };
}

// The largest 1, 2, 5 × 10^k not above v.
function series(v) {
  const e = Math.floor(Math.log10(v));
  const m = v / 10 ** e;
  const lead = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return Number((lead * 10 ** e).toPrecision(1));
}

// "×20", "×0.005", "×2·10⁻⁶": how a scale factor reads in labels and the arrow key.
export function factorText(f) {
  if (f >= 1e-3 && f < 1e4) return `×${Number(f.toPrecision(1))}`;
  const e = Math.floor(Math.log10(f) + 1e-9);
  const m = Math.round(f / 10 ** e);
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const sup = String(e).replace('-', '⁻').split('').map((d) => (d === '⁻' ? d : digits[Number(d)])).join('');
  return `×${m === 1 ? '' : `${m}·`}10${sup}`;
}

// data: {from: [x, y], scale: {update, grad}, arrows: [{kind: 'grad' | 'update' | 'velocity', label,
// vector: [dx, dy], color}]}. view: a frame from frame.js. Returns [{kind, text, from, to, chip}]
// in css pixels (to: null when the update is below a pixel: the run is shown as stalled).
export function drawInternals(ctx, data, view) {
  begin(ctx, view);
  if (!data || data.arrows.length === 0) return [];
  ctx.save();
  clipToPlot(ctx, view);
  const [x0, y0] = toPixel(view, data.from[0], data.from[1]);
  const px = (a) => a.vector.map((v) => v * view.scale * (a.kind === 'grad' ? data.scale.grad : data.scale.update));
  const update = data.arrows.find((a) => a.kind === 'update');
  const placed = [];
  const layout = [];
  // The velocity only where it is not the update itself (plain Momentum: they coincide).
  const shown = data.arrows.filter((a) => {
    if (a.kind !== 'velocity' || !update) return true;
    const [u, v] = [px(update), px(a)];
    return Math.hypot(u[0] - v[0], u[1] - v[1]) >= 1;
  });
  const items = [];
  for (const a of shown) {
    const len = Math.hypot(a.vector[0], a.vector[1]);
    if (!Number.isFinite(len)) continue;
    const [dx, dy] = px(a);
    // The update's tip says how long the step was, in the landscape's units.
    const size = a.kind === 'update' ? ` = ${fmt.short(len)}` : '';
    if (Math.hypot(dx, dy) >= 1) {
      items.push({ a, text: `${a.label}${size}`, to: [x0 + dx, y0 - dy] }); // screen y grows downward
    } else if (a.kind === 'update') {
      // Below a pixel at the experiment's scale: say so rather than magnify it into a normal arrow.
      items.push({ a, text: `stalled: |Δθ|${size}`, to: null });
    }
  }
  // Longest first, so a shorter arrow along a longer one (SGD's −∇f and Δθ) is drawn on top of it.
  const length = (it) => Math.hypot(it.to[0] - x0, it.to[1] - y0);
  const drawn = items.filter((it) => it.to).sort((p, q) => length(q) - length(p));
  for (const it of drawn) arrow(ctx, x0, y0, it.to[0], it.to[1], it.a.color);
  // Labels in the given order (the update's first, so it gets the spot at its tip).
  const shafts = items.filter((it) => it.to).map((it) => [x0, y0, ...it.to]);
  for (const it of items) {
    const chip = placeChip(ctx, it.text, [x0, y0], it.to ?? [x0, y0 + 24], placed, view.plot, it.to ? shafts : []);
    drawChip(ctx, chip, it.text, it.a.color);
    layout.push({ kind: it.a.kind, text: it.text, from: [x0, y0], to: it.to, chip });
  }
  ctx.restore();
  return layout;
}

function arrow(ctx, x0, y0, x1, y1, color) {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  const head = Math.min(10, Math.hypot(x1 - x0, y1 - y0));
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

// A label at its own arrow's tip: just beyond it on the arrow's line, or beside it, preferably
// where it covers no arrow's shaft, never over another label; only when nothing near the tip is
// free, further out beside it or along the line.
// shafts: [[x0, y0, x1, y1]] of every arrow drawn.
function placeChip(ctx, text, [x0, y0], [x1, y1], placed, plot, shafts) {
  ctx.font = font(13, { weight: '600' });
  const w = ctx.measureText(text).width + 8;
  const h = CHIP_H * theme().font;
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const ux = (x1 - x0) / len;
  const uy = (y1 - y0) / len;
  // How far from its centre a chip's edge is, along the arrow and across it.
  const along = Math.abs(ux) * (w / 2) + Math.abs(uy) * (h / 2) + 4;
  const across = Math.abs(uy) * (w / 2) + Math.abs(ux) * (h / 2) + 4;
  const at = (a, c) => ({ cx: x1 + ux * a - uy * c, cy: y1 + uy * a + ux * c, w, h });
  const near = [at(along, 0), at(0, across), at(0, -across), at(0, across + h + 2), at(0, -across - h - 2)];
  // Near a plot edge: the same spots slid inside the plot, as long as they leave the tip uncovered.
  const slid = near.map((c) => ({
    ...c,
    cx: Math.min(Math.max(c.cx, plot.left + w / 2), plot.left + plot.width - w / 2),
    cy: Math.min(Math.max(c.cy, plot.top + h / 2), plot.top + plot.height - h / 2),
  })).filter((c) => !(Math.abs(x1 - c.cx) < c.w / 2 + 2 && Math.abs(y1 - c.cy) < c.h / 2 + 2));
  near.push(...slid);
  const far = [];
  for (let k = 2; k < 4; k++) far.push(at(0, across + k * (h + 2)), at(0, -across - k * (h + 2)));
  for (let k = 1; k < 8; k++) far.push(at(along + k * (h + 2), 0));
  const fits = (c) => c.cx - w / 2 >= plot.left && c.cx + w / 2 <= plot.left + plot.width
    && c.cy - h / 2 >= plot.top && c.cy + h / 2 <= plot.top + plot.height;
  const free = (c) => !placed.some((r) => Math.abs(r.cx - c.cx) < (r.w + c.w) / 2 && Math.abs(r.cy - c.cy) < (r.h + c.h) / 2);
  const inside = (c, x, y) => Math.abs(x - c.cx) < c.w / 2 + 2 && Math.abs(y - c.cy) < c.h / 2 + 2;
  const clear = (c) => shafts.every(([ax, ay, bx, by]) => {
    const n = Math.ceil(Math.hypot(bx - ax, by - ay) / 2);
    for (let k = 0; k <= n; k++) if (inside(c, ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n)) return false;
    return true;
  });
  // Near the tip over a shaft beats far from it: a label must be read as its own arrow's.
  const chip = near.find((c) => fits(c) && free(c) && clear(c)) ?? near.find((c) => fits(c) && free(c))
    ?? far.find((c) => fits(c) && free(c) && clear(c)) ?? far.find((c) => fits(c) && free(c)) ?? near[0];
  placed.push(chip);
  return chip;
}

// On a white chip so it reads on any band.
function drawChip(ctx, chip, text, color) {
  ctx.font = font(13, { weight: '600' });
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(chip.cx - chip.w / 2, chip.cy - chip.h / 2, chip.w, chip.h);
  ctx.fillStyle = color;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, chip.cx, chip.cy);
}
