// "This mini-batch's landscape": the loss of one step's mini-batch alone, as faint dashed contour
// lines over the full landscape, with that batch's own lowest point marked, so a student sees that
// a step goes downhill on its batch's landscape, not on the full one. Pure: draws what it is given.
import { contours } from 'd3-contour';
import { begin, clipToPlot } from './frame.js';
import { theme } from '../theme.js';

const LEVELS = 9;

// data: {values (row 0 = frame.box.ymin, samples at cell centres), nx, ny, color} or null (clears).
// view: a frame from frame.js whose box the grid covers. Returns the minimum's cell {i, j} or null.
export function drawBatchContour(ctx, data, view) {
  begin(ctx, view);
  if (!data) return null;
  const { values, nx, ny } = data;
  let lo = Infinity;
  let hi = -Infinity;
  let at = -1;
  values.forEach((v, k) => {
    if (!Number.isFinite(v)) return;
    if (v < lo) { lo = v; at = k; }
    if (v > hi) hi = v;
  });
  if (at < 0 || !(hi > lo)) return null;
  // Levels even in log(value − lo): a bowl's rings are spaced like the full landscape's.
  const span = Math.log1p(hi - lo);
  const levels = Array.from({ length: LEVELS }, (_, k) => lo + Math.expm1((span * (k + 1)) / (LEVELS + 1)));
  const p = view.plot;
  const sx = p.width / nx;
  const sy = p.height / ny;
  ctx.save();
  clipToPlot(ctx, view);
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 1.6 * theme().line;
  ctx.strokeStyle = data.color;
  ctx.globalAlpha = 0.85;
  for (const band of contours().size([nx, ny]).thresholds(levels)(values)) {
    ctx.beginPath();
    for (const polygon of band.coordinates) {
      for (const ring of polygon) {
        ring.forEach(([u, v], k) => {
          const x = p.left + u * sx;
          const y = p.top + p.height - v * sy;
          if (k === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        });
      }
    }
    ctx.stroke();
  }
  // The batch's lowest sample: a ring with a cross.
  const i = at % nx;
  const j = Math.floor(at / nx);
  const x = p.left + (i + 0.5) * sx;
  const y = p.top + p.height - (j + 0.5) * sy;
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = data.color;
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, 2 * Math.PI);
  ctx.moveTo(x - 4, y - 4);
  ctx.lineTo(x + 4, y + 4);
  ctx.moveTo(x + 4, y - 4);
  ctx.lineTo(x - 4, y + 4);
  ctx.stroke();
  ctx.restore();
  return { i, j };
}
