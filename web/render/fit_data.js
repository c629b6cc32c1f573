// The data behind a fit problem's landscape: the points, each run's current model (a line
// w·x + b, or the logistic model's decision line w1·x1 + w2·x2 = 0) and the selected run's
// mini-batch of the last step ringed, so a student sees which points that step learned from.
// Pure: draws what it is given into ctx and keeps nothing.
import { begin, clipToPlot, toPixel } from './frame.js';
import { theme, font } from '../theme.js';

// data: {model: 'line' | 'logistic', x: [number] | [[x1, x2]], y: [number],
//        runs: [{color, params: [p0, p1]}], batch: [row] (ringed), batchColor}
// view: a frame from frame.js over the data's box.
export function drawFitData(ctx, data, view) {
  begin(ctx, view);
  const th = theme();
  ctx.save();
  clipToPlot(ctx, view);
  const logistic = data.model === 'logistic';
  const at = (i) => (logistic ? data.x[i] : [data.x[i], data.y[i]]);
  const { box } = view;
  // Models first, points over them.
  ctx.lineWidth = 2 * th.line;
  for (const r of data.runs) {
    const [p0, p1] = r.params;
    if (!Number.isFinite(p0) || !Number.isFinite(p1)) continue;
    ctx.strokeStyle = r.color;
    ctx.beginPath();
    if (!logistic) {
      ctx.moveTo(...toPixel(view, box.xmin, p0 * box.xmin + p1));
      ctx.lineTo(...toPixel(view, box.xmax, p0 * box.xmax + p1));
    } else {
      // w1·x1 + w2·x2 = 0: through the origin, perpendicular to (w1, w2).
      const n = Math.hypot(p0, p1);
      if (n === 0) continue;
      const far = 4 * Math.max(box.xmax - box.xmin, box.ymax - box.ymin);
      ctx.moveTo(...toPixel(view, (-p1 / n) * far, (p0 / n) * far));
      ctx.lineTo(...toPixel(view, (p1 / n) * far, (-p0 / n) * far));
    }
    ctx.stroke();
  }
  const radius = 3.2 * th.line;
  for (let i = 0; i < data.y.length; i++) {
    const [px, py] = toPixel(view, ...at(i));
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fillStyle = logistic ? (data.y[i] === 1 ? '#e66100' : '#5d3a9b') : th.ink;
    ctx.globalAlpha = 0.75;
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  ctx.lineWidth = 2;
  ctx.strokeStyle = data.batchColor ?? th.ink;
  for (const i of data.batch ?? []) {
    const [px, py] = toPixel(view, ...at(i));
    ctx.beginPath();
    ctx.arc(px, py, radius + 4, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
  drawAxes(ctx, view, logistic ? ['x₁', 'x₂'] : ['x', 'y']);
}

function drawAxes(ctx, view, [ax, ay]) {
  const p = view.plot;
  const th = theme();
  ctx.save();
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(p.left + 0.5, p.top + 0.5, p.width - 1, p.height - 1);
  ctx.fillStyle = th.ink;
  ctx.font = font(14, { weight: 'italic', family: 'Georgia, serif' });
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(ax, p.left + p.width - 4, p.top + p.height + 4);
  ctx.textAlign = 'left';
  ctx.fillText(ay, p.left + 4, p.top + 4);
  ctx.restore();
}
