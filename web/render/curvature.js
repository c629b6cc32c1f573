// The local quadratic at a point of the landscape: the Hessian's principal axes through it, each
// eigenvector scaled by 1/sqrt(|λ|) (so the axes are those of a level set of the quadratic: long
// where the surface is flat, short where it is steep), solid where λ > 0 and dashed where λ < 0,
// and that ellipse itself where both are positive. Pure: data in, pixels out.
import { begin, clipToPlot, toPixel } from './frame.js';
import { theme, font } from '../theme.js';

const LONGEST = 70; // css px: the longer semi-axis, whatever the curvature's size

// data: null, or {point: [x, y], eigenvalues: [λ1, λ2], eigenvectors: [[v1x, v1y], [v2x, v2y]],
//       color}. Returns the semi-axes drawn, in css px, as {axes: [{dx, dy, dashed}]} (or null).
export function drawCurvature(ctx, data, frame) {
  begin(ctx, frame);
  if (!data || data.eigenvalues.some((l) => l === null || !Number.isFinite(l))) return null;
  const lens = data.eigenvalues.map((l) => (l === 0 ? Infinity : 1 / Math.sqrt(Math.abs(l))));
  const finite = lens.filter(Number.isFinite);
  if (finite.length === 0) return null;
  const px = LONGEST / Math.max(...finite); // css px per unit of 1/sqrt(|λ|)
  const [cx, cy] = toPixel(frame, data.point[0], data.point[1]);
  const th = theme();
  ctx.save();
  clipToPlot(ctx, frame);
  ctx.lineWidth = 2 * th.line;
  ctx.strokeStyle = th.ink;
  const axes = data.eigenvectors.map((v, k) => {
    // A zero eigenvalue: flat along v, drawn at the longest length.
    const r = Number.isFinite(lens[k]) ? lens[k] * px : LONGEST;
    return { dx: v[0] * r, dy: -v[1] * r, dashed: data.eigenvalues[k] < 0, k };
  });
  for (const a of axes) {
    ctx.setLineDash(a.dashed ? [6, 4] : []);
    ctx.beginPath();
    ctx.moveTo(cx - a.dx, cy - a.dy);
    ctx.lineTo(cx + a.dx, cy + a.dy);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (data.eigenvalues.every((l) => l > 0)) {
    ctx.strokeStyle = data.color;
    ctx.globalAlpha = 0.8;
    ctx.beginPath();
    ctx.ellipse(cx, cy, Math.hypot(axes[0].dx, axes[0].dy), Math.hypot(axes[1].dx, axes[1].dy), Math.atan2(axes[0].dy, axes[0].dx), 0, 2 * Math.PI);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  ctx.font = font(12);
  ctx.fillStyle = th.ink;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const a of axes) ctx.fillText(`λ${a.k === 0 ? '₁' : '₂'}`, cx + a.dx + 4, cy + a.dy);
  ctx.restore();
  return { axes: axes.map(({ dx, dy, dashed }) => ({ dx, dy, dashed })) };
}
