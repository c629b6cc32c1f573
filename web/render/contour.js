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
//        logScale: true | false | 'auto', minima: [{x, y}]}
// view: a frame from frame.js whose box the grid covers exactly.
export function drawContour(ctx, data, view) {
  begin(ctx, view);
  ctx.save();
  clipToPlot(ctx, view);
  const { levels, field } = levelField(data);
  const bands = contours().size([data.nx, data.ny]).thresholds(levels)(field);
  const p = view.plot;
  const sx = p.width / data.nx;
  const sy = p.height / data.ny;
  const path = (geometry) => {
    ctx.beginPath();
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) {
        ring.forEach(([u, v], k) => {
          const px = p.left + u * sx;
          const py = p.top + p.height - v * sy;
          if (k === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        });
        ctx.closePath();
      }
    }
  };
  // Bands from low to high: each covers the region at or above its level.
  ctx.fillStyle = landscapeColor(0);
  ctx.fillRect(p.left, p.top, p.width, p.height);
  // Each band's outline is its level's contour line: fill and stroke the one path. Higher bands lie
  // inside lower ones, so a later fill never covers an earlier line.
  ctx.strokeStyle = 'rgba(20, 20, 40, 0.28)';
  ctx.lineWidth = 0.8;
  bands.forEach((band, k) => {
    path(band);
    ctx.fillStyle = landscapeColor(k / (levels.length - 1));
    ctx.fill('evenodd');
    if (k > 0) ctx.stroke(); // band 0 is the whole plot: its outline is the frame
  });
  for (const m of data.minima) drawMinimum(ctx, toPixel(view, m.x, m.y));
  ctx.restore();
  drawAxes(ctx, view, data.axes);
}

// The levels, evenly spaced in the value or in its logarithm. Log levels resolve both the steep
// walls and the flat valley floor of functions like Rosenbrock. Non-finite samples (log or sqrt of a
// negative in a formula, a pole) are drawn as the highest band (−∞: the lowest) rather than
// breaking the plot.
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
  const map = useLog ? (x) => Math.log10(x - lo + floor) : (x) => x;
  const field = new Float64Array(v.length);
  const top = map(hi);
  const bottom = map(lo);
  for (let i = 0; i < v.length; i++) {
    field[i] = Number.isFinite(v[i]) ? map(v[i]) : v[i] === -Infinity ? bottom : top;
  }
  const levels = [];
  for (let k = 0; k < LEVELS; k++) levels.push(bottom + ((top - bottom) * k) / LEVELS);
  return { levels, field };
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
