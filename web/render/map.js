// A map on a canvas: one rectangle per cell in its scale's colour (cells not computed yet take the
// colour of the coarser cell standing in for them), the axes in the hyperparameters' own numbers
// (log or linear), a second map's basin boundaries on top, the current run's own settings ringed,
// and the hovered cell outlined. Pure: data in, pixels out; returns the geometry for hit tests.
import { ticks } from 'd3-array';
import { standIn } from '../map_levels.js';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';
import { begin, clipToPlot, toPixel } from './frame.js';

export const MAP_MARGIN = { left: 56, right: 10, top: 8, bottom: 40 };

// An axis of n values evenly spaced in its scale: where cell k sits, in [0, 1] across the plot.
export function axisGeometry(axis) {
  const log = axis.scale === 'log';
  const u = (v) => (log ? Math.log10(v) : v);
  const n = axis.values.length;
  const u0 = u(axis.values[0]);
  const u1 = u(axis.values[n - 1]);
  const du = n > 1 ? (u1 - u0) / (n - 1) : Math.abs(u0) * 0.1 || 0.1;
  const lo = u0 - du / 2;
  const span = du * n;
  return {
    log, n,
    frac: (v) => (u(v) - lo) / span, // value -> [0, 1]
    cell: (f) => Math.floor(f * n), // [0, 1] -> cell index (outside: < 0 or >= n)
    lo, span,
  };
}

// data: {plan: {nx, ny, x: {param, scale, values}, y: {...}}, color(c) -> [r,g,b,a], done (Uint8Array),
//        coarsest (stride), boundaries?: Float64Array of another map's values (same grid; NaN: none),
//        marker?: [x, y] (the current run's own), hover?: cell index | null, labels: {x, y}}
// view: {width, height, dpr}. Returns {plot, gx, gy} for the panel's hit tests.
export function drawMap(ctx, data, view) {
  const th = theme();
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const m = MAP_MARGIN;
  const plot = { left: m.left, top: m.top, width: Math.max(10, view.width - m.left - m.right), height: Math.max(10, view.height - m.top - m.bottom) };
  const { nx, ny } = data.plan;
  const gx = axisGeometry({ ...data.plan.x, scale: data.plan.x.scale });
  const gy = axisGeometry({ ...data.plan.y, scale: data.plan.y.scale });

  ctx.save();
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = th.grid;
  ctx.fillRect(plot.left, plot.top, plot.width, plot.height);
  ctx.drawImage(cellImage(data), plot.left, plot.top, plot.width, plot.height);
  ctx.restore();

  const cw = plot.width / nx;
  const ch = plot.height / ny;
  const cellX = (i) => plot.left + i * cw;
  const cellY = (j) => plot.top + (ny - 1 - j) * ch;

  if (data.boundaries) drawBoundaries(ctx, data.boundaries, nx, ny, cellX, cellY, cw, ch);

  drawAxes(ctx, plot, gx, gy, data.labels, data.plan);

  if (data.marker) {
    const fx = gx.frac(data.marker[0]);
    const fy = gy.frac(data.marker[1]);
    if (fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1) {
      const px = plot.left + fx * plot.width;
      const py = plot.top + (1 - fy) * plot.height;
      ctx.save();
      for (const [color, w] of [[th.halo, 5], [th.ink, 2]]) {
        ctx.strokeStyle = color;
        ctx.lineWidth = w * th.line;
        ctx.beginPath();
        ctx.arc(px, py, 7, 0, 2 * Math.PI);
        ctx.moveTo(px - 11, py);
        ctx.lineTo(px - 4, py);
        ctx.moveTo(px + 4, py);
        ctx.lineTo(px + 11, py);
        ctx.stroke();
      }
      ctx.restore();
    }
  }
  if (data.hover !== null && data.hover !== undefined) {
    const i = data.hover % nx;
    const j = Math.floor(data.hover / nx);
    ctx.save();
    ctx.lineWidth = 2;
    ctx.strokeStyle = th.halo;
    ctx.strokeRect(cellX(i) - 1, cellY(j) - 1, cw + 2, ch + 2);
    ctx.strokeStyle = th.ink;
    ctx.lineWidth = 1;
    ctx.strokeRect(cellX(i) - 1, cellY(j) - 1, cw + 2, ch + 2);
    ctx.restore();
  }
  return { plot, nx, ny };
}

function axisTicks(g, count) {
  const lo = g.lo;
  const hi = g.lo + g.span;
  if (g.log && hi - lo >= 1) {
    const out = [];
    for (let k = Math.ceil(lo); k <= Math.floor(hi); k++) out.push({ u: k, v: 10 ** k });
    return out;
  }
  if (g.log) return ticks(10 ** lo, 10 ** hi, count).map((v) => ({ u: Math.log10(v), v }));
  return ticks(lo, hi, count).map((v) => ({ u: v, v }));
}

function drawAxes(ctx, plot, gx, gy, labels, plan) {
  const th = theme();
  ctx.save();
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = th.line;
  ctx.strokeRect(plot.left, plot.top, plot.width, plot.height);
  ctx.fillStyle = th.ink;
  ctx.font = font(11);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of axisTicks(gx, Math.max(2, Math.floor(plot.width / 70)))) {
    const px = plot.left + ((t.u - gx.lo) / gx.span) * plot.width;
    ctx.beginPath();
    ctx.moveTo(px, plot.top + plot.height);
    ctx.lineTo(px, plot.top + plot.height + 4);
    ctx.stroke();
    ctx.fillText(fmt.short(t.v, 3), px, plot.top + plot.height + 5);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of axisTicks(gy, Math.max(2, Math.floor(plot.height / 50)))) {
    const py = plot.top + (1 - (t.u - gy.lo) / gy.span) * plot.height;
    ctx.beginPath();
    ctx.moveTo(plot.left - 4, py);
    ctx.lineTo(plot.left, py);
    ctx.stroke();
    ctx.fillText(fmt.short(t.v, 3), plot.left - 6, py);
  }
  ctx.font = font(12, { weight: '600' });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(`${labels?.x ?? plan.x.param}${gx.log ? ' (log)' : ''}`, plot.left + plot.width / 2, plot.top + plot.height + 38);
  ctx.translate(14, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(`${labels?.y ?? plan.y.param}${gy.log ? ' (log)' : ''}`, 0, 0);
  ctx.restore();
}

// The cell under css pixel (px, py), or null.
export function cellAt(layout, px, py) {
  const { plot, nx, ny } = layout;
  const fx = (px - plot.left) / plot.width;
  const fy = (py - plot.top) / plot.height;
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return null;
  const i = Math.floor(fx * nx);
  const j = ny - 1 - Math.floor(fy * ny);
  return j * nx + i;
}

// The cells as an nx x ny image, row 0 at the bottom (cells not computed yet: their stand-in's colour).
function cellImage(data) {
  const { nx, ny } = data.plan;
  const img = new ImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const s = standIn(data.done, nx, i, j, data.coarsest);
      if (s < 0) continue;
      const [r, g, b, a] = data.color(s);
      const p = 4 * ((ny - 1 - j) * nx + i);
      img.data[p] = r;
      img.data[p + 1] = g;
      img.data[p + 2] = b;
      img.data[p + 3] = a;
    }
  }
  const off = new OffscreenCanvas(nx, ny);
  off.getContext('2d').putImageData(img, 0, 0);
  return off;
}

// Lines between neighbouring cells of another map that end in different basins.
function drawBoundaries(ctx, b, nx, ny, cellX, cellY, cw, ch) {
  const th = theme();
  const differs = (a, c) => (Number.isFinite(b[a]) || Number.isFinite(b[c])) && b[a] !== b[c];
  ctx.save();
  ctx.beginPath();
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const c = j * nx + i;
      if (i + 1 < nx && differs(c, c + 1)) {
        ctx.moveTo(cellX(i + 1), cellY(j));
        ctx.lineTo(cellX(i + 1), cellY(j) + ch);
      }
      if (j + 1 < ny && differs(c, c + nx)) {
        ctx.moveTo(cellX(i), cellY(j));
        ctx.lineTo(cellX(i) + cw, cellY(j));
      }
    }
  }
  ctx.lineWidth = 3.5 * th.line;
  ctx.strokeStyle = th.halo;
  ctx.stroke();
  ctx.lineWidth = 1.8 * th.line;
  ctx.strokeStyle = th.ink;
  ctx.stroke();
  ctx.restore();
}

// A start map on the landscape itself (its cells are start points in the view's coordinates),
// translucent under the paths. data: as drawMap's, frame: the landscape's (render/frame.js).
export function drawMapOnPlot(ctx, data, frame) {
  begin(ctx, frame);
  if (!data) return;
  const { nx, ny, x, y } = data.plan;
  const dx = nx > 1 ? (x.values[nx - 1] - x.values[0]) / (nx - 1) : 1;
  const dy = ny > 1 ? (y.values[ny - 1] - y.values[0]) / (ny - 1) : 1;
  const [left, top] = toPixel(frame, x.values[0] - dx / 2, y.values[ny - 1] + dy / 2);
  const [right, bottom] = toPixel(frame, x.values[nx - 1] + dx / 2, y.values[0] - dy / 2);
  const cw = (right - left) / nx;
  const ch = (bottom - top) / ny;
  ctx.save();
  clipToPlot(ctx, frame);
  ctx.imageSmoothingEnabled = false;
  ctx.globalAlpha = 0.55;
  ctx.drawImage(cellImage(data), left, top, right - left, bottom - top);
  ctx.globalAlpha = 1;
  if (data.boundaries) drawBoundaries(ctx, data.boundaries, nx, ny, (i) => left + i * cw, (j) => top + (ny - 1 - j) * ch, cw, ch);
  ctx.restore();
}
