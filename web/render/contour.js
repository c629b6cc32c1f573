// The landscape: filled contour bands of a value grid computed by the core, contour lines, the
// known minima and the axes. Pure: draws what it is given into ctx and keeps nothing.
import { contours } from 'd3-contour';
import { ticks } from 'd3-array';
import { landscapeColor } from '../palette.js';
import { begin, clipToPlot, toPixel } from './frame.js';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';

const LEVELS = 22;

// data: {values: Float64Array (row 0 = frame.box.ymin, samples at cell centres), nx, ny,
//        logScale: true | false | 'auto', minima: [{x, y}],
//        detail: [{i0, i1, j0, j1, values, nx, ny, margin}] (optional): finer grids of the coarse
//        cells [i0, i1) x [j0, j1) that detailCells() asked for, samples at their own cells'
//        centres, reaching `margin` samples beyond those cells on every side}
// view: a frame from frame.js whose box the grid covers exactly.
export function drawContour(ctx, data, view) {
  begin(ctx, view);
  ctx.save();
  clipToPlot(ctx, view);
  const { levels, field, map } = levelField(data);
  const p = view.plot;
  const sx = p.width / data.nx;
  const sy = p.height / data.ny;
  drawBands(ctx, field, data.nx, data.ny, levels, { left: p.left, bottom: p.top + p.height, sx, sy });
  // Where lines crowd closer than the coarse grid resolves (a narrow valley floor), the finer grids
  // are contoured at the same levels and drawn over their cells.
  for (const d of data.detail ?? []) {
    const left = p.left + d.i0 * sx;
    const bottom = p.top + p.height - d.j0 * sy;
    const w = (d.i1 - d.i0) * sx;
    const h = (d.j1 - d.j0) * sy;
    const m = d.margin ?? 0;
    const fx = w / (d.nx - 2 * m);
    const fy = h / (d.ny - 2 * m);
    // Clipped on device-pixel edges, so no half-covered pixel lets the coarse picture show through.
    const snap = (v, up) => (up ? Math.ceil(v * view.dpr) : Math.floor(v * view.dpr)) / view.dpr;
    ctx.save();
    ctx.beginPath();
    ctx.rect(snap(left), snap(bottom - h), snap(left + w, true) - snap(left), snap(bottom, true) - snap(bottom - h));
    ctx.clip();
    drawBands(ctx, mapField(d.values, map), d.nx, d.ny, levels, { left: left - m * fx, bottom: bottom + m * fy, sx: fx, sy: fy });
    ctx.restore();
  }
  const undefinedCells = drawUndefined(ctx, data, { left: p.left, bottom: p.top + p.height, sx, sy });
  for (const m of data.minima) drawMinimum(ctx, toPixel(view, m.x, m.y));
  if (undefinedCells > 0) drawUndefinedKey(ctx, view);
  ctx.restore();
  drawAxes(ctx, view, data.axes);
  return { undefinedCells };
}

// Where the function is undefined (NaN: log or sqrt of a negative in a formula) the plot is
// hatched grey, not painted as the highest loss. Returns how many samples were NaN.
function drawUndefined(ctx, data, at) {
  const mask = new Float64Array(data.values.length);
  let count = 0;
  data.values.forEach((v, i) => {
    if (Number.isNaN(v)) {
      mask[i] = 1;
      count += 1;
    }
  });
  if (count === 0) return 0;
  const [region] = contours().size([data.nx, data.ny]).thresholds([0.5])(mask);
  ctx.beginPath();
  for (const polygon of region.coordinates) {
    for (const ring of polygon) {
      ring.forEach(([u, v], k) => {
        const x = at.left + u * at.sx;
        const y = at.bottom - v * at.sy;
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.closePath();
    }
  }
  ctx.fillStyle = hatch(ctx);
  ctx.fill('evenodd');
  ctx.strokeStyle = UNDEFINED.line;
  ctx.lineWidth = 1;
  ctx.stroke();
  return count;
}

const UNDEFINED = { fill: '#b4b4b4', line: '#6b6b6b' };

function hatch(ctx) {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const t = tile.getContext('2d');
  t.fillStyle = UNDEFINED.fill;
  t.fillRect(0, 0, 8, 8);
  t.strokeStyle = UNDEFINED.line;
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(0, 8);
  t.lineTo(8, 0);
  t.moveTo(-2, 2);
  t.lineTo(2, -2);
  t.moveTo(6, 10);
  t.lineTo(10, 6);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

// The legend entry for the hatching, in the plot's lower left corner.
function drawUndefinedKey(ctx, view) {
  const p = view.plot;
  const text = 'undefined (NaN)';
  ctx.font = font(12, { weight: '600' });
  const h = 20 * theme().font;
  const w = ctx.measureText(text).width + h + 14;
  const x = p.left + 6;
  const y = p.top + p.height - h - 6;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.92)';
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = hatch(ctx);
  ctx.fillRect(x + 4, y + 4, h - 8, h - 8);
  ctx.strokeStyle = UNDEFINED.line;
  ctx.strokeRect(x + 4.5, y + 4.5, h - 9, h - 9);
  ctx.fillStyle = '#1a1a1a';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + h + 4, y + h / 2);
}

// Filled bands and their outlines for one grid placed at `at` (its bottom-left corner in css
// pixels and the size of a cell). Only the levels within the grid's range are contoured, so a
// small detail grid costs little.
function drawBands(ctx, field, nx, ny, levels, at) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of field) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  let first = 0;
  while (first + 1 < levels.length && levels[first + 1] <= lo) first += 1;
  const used = levels.slice(first).filter((l, k) => k === 0 || l <= hi);
  const bands = contours().size([nx, ny]).thresholds(used)(field);
  const path = (geometry) => {
    ctx.beginPath();
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        ring.forEach(([u, v], k) => {
          const px = at.left + u * at.sx;
          const py = at.bottom - v * at.sy;
          if (k === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        });
        ctx.closePath();
      }
    }
  };
  const color = (k) => landscapeColor(k / (levels.length - 1));
  // Bands from low to high: each covers the region at or above its level.
  ctx.fillStyle = color(first);
  ctx.fillRect(at.left, at.bottom - ny * at.sy, nx * at.sx, ny * at.sy);
  // Each band's outline is its level's contour line: fill and stroke the one path. Higher bands lie
  // inside lower ones, so a later fill never covers an earlier line.
  ctx.strokeStyle = 'rgba(20, 20, 40, 0.28)';
  ctx.lineWidth = 0.8;
  bands.forEach((band, k) => {
    if (k === 0) return; // the band at or above the grid's lowest level: the whole grid, filled above
    path(band);
    ctx.fillStyle = color(first + k);
    ctx.fill('evenodd');
    ctx.stroke();
  });
}

// The coarse cells whose corners span two or more levels: contour lines there are closer than a
// cell, and linear interpolation between samples makes beads of a thin valley floor. Returned as
// tiles of TILE x TILE cells, [{i0, i1, j0, j1}] in cell indices, for the caller to evaluate finer.
// data: as drawContour's, without detail.
export function detailCells(data, tile = 8) {
  const { levels, field } = levelField(data);
  const { nx, ny } = data;
  const step = levels[1] - levels[0];
  const tiles = [];
  for (let tj = 0; tj < ny - 1; tj += tile) {
    for (let ti = 0; ti < nx - 1; ti += tile) {
      let needed = false;
      for (let j = tj; j < Math.min(ny - 1, tj + tile) && !needed; j++) {
        for (let i = ti; i < Math.min(nx - 1, ti + tile) && !needed; i++) {
          const a = field[j * nx + i];
          const b = field[j * nx + i + 1];
          const c = field[(j + 1) * nx + i];
          const d = field[(j + 1) * nx + i + 1];
          needed = Math.max(a, b, c, d) - Math.min(a, b, c, d) >= 2 * step;
        }
      }
      if (needed) tiles.push({ i0: ti, i1: Math.min(nx, ti + tile), j0: tj, j1: Math.min(ny, tj + tile) });
    }
  }
  return tiles;
}

// The levels, evenly spaced in the value or in its logarithm. Log levels resolve both the steep
// walls and the flat valley floor of functions like Rosenbrock. Non-finite samples (log or sqrt of a
// negative in a formula, a pole) are drawn as the highest band (−∞: the lowest) rather than
// breaking the plot; drawUndefined then hatches the NaN ones over it. Returns {levels, field, map} (map: a value grid to a field at these levels).
function levelField(data) {
  const v = data.values;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) continue;
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  if (!(lo < hi)) {
    lo = Number.isFinite(lo) ? lo : 0;
    hi = lo + 1;
  }
  const useLog = data.logScale === 'auto' ? skewed(v, lo, hi) : data.logScale;
  const floor = Math.max((hi - lo) * 1e-7, 1e-300);
  // Clamped to the coarse grid's range, so a finer grid's deeper samples stay in the lowest band.
  const f = useLog ? (x) => Math.log10(Math.max(x - lo, 0) + floor) : (x) => Math.max(lo, Math.min(hi, x));
  const top = f(hi);
  const bottom = f(lo);
  const map = { f, top, bottom };
  const levels = [];
  for (let k = 0; k < LEVELS; k++) levels.push(bottom + ((top - bottom) * k) / LEVELS);
  return { levels, field: mapField(v, map), map };
}

function mapField(v, { f, top, bottom }) {
  const field = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    field[i] = Number.isFinite(v[i]) ? Math.min(top, f(v[i])) : v[i] === -Infinity ? bottom : top;
  }
  return field;
}

// A formula whose values pile up near the bottom of their range (a deep narrow valley) reads
// better with log levels.
function skewed(v, lo, hi) {
  const sample = [];
  const stride = Math.max(1, Math.floor(v.length / 2000));
  for (let i = 0; i < v.length; i += stride) if (Number.isFinite(v[i])) sample.push(v[i]);
  sample.sort((a, b) => a - b);
  const median = sample[Math.floor(sample.length / 2)] ?? lo;
  return median - lo < (hi - lo) / 40;
}

// A white star with a dark outline: visible on every band of the colour scale.
function drawMinimum(ctx, [x, y]) {
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? 9 : 4;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    ctx.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
  }
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#1a1a1a';
  ctx.lineWidth = 1.5;
  ctx.fill();
  ctx.stroke();
}

function drawAxes(ctx, view, axes) {
  const p = view.plot;
  const { box } = view;
  ctx.save();
  const th = theme();
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(p.left + 0.5, p.top + 0.5, p.width - 1, p.height - 1);
  ctx.fillStyle = th.ink;
  ctx.font = font(13);

  const xs = ticks(box.xmin, box.xmax, Math.max(2, Math.floor(p.width / 90)));
  const xstep = xs.length > 1 ? xs[1] - xs[0] : 1;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const x of xs) {
    const [px] = toPixel(view, x, 0);
    ctx.beginPath();
    ctx.moveTo(px, p.top + p.height);
    ctx.lineTo(px, p.top + p.height + 5);
    ctx.stroke();
    ctx.fillText(fmt.tick(x, xstep), px, p.top + p.height + 7);
  }
  const ys = ticks(box.ymin, box.ymax, Math.max(2, Math.floor(p.height / 60)));
  const ystep = ys.length > 1 ? ys[1] - ys[0] : 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const y of ys) {
    const [, py] = toPixel(view, 0, y);
    ctx.beginPath();
    ctx.moveTo(p.left - 5, py);
    ctx.lineTo(p.left, py);
    ctx.stroke();
    ctx.fillText(fmt.tick(y, ystep), p.left - 7, py);
  }
  ctx.font = font(14, { weight: 'italic', family: 'Georgia, serif' });
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  // Other names (the weight-space view draws its own, so it passes empty ones).
  const [ax, ay] = axes ?? ['x', 'y'];
  ctx.fillText(ax, p.left + p.width, p.top + p.height + 20);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(ay, 6, p.top);
  ctx.restore();
}
