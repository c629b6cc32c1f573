// The step-size x momentum phase diagram of heavy-ball momentum on a quadratic: the h = lr·λ x β
// plane coloured by what the iteration does there (the core's momentumPhase: monotone,
// oscillating, diverging), with the current run's (lr·λ, β) marked for each eigenvalue. Pure.
import { ticks } from 'd3-array';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';

export const PHASE_COLORS = ['#a6dba0', '#fee08b', '#f4a582']; // monotone, oscillates, diverges
export const PHASE_NAMES = ['converges monotonically', 'oscillates', 'diverges'];
const M = { left: 40, right: 8, top: 6, bottom: 30 };

// data: {h: [values], beta: [values], phase: [row-major j·nh + i], marks: [{h, beta, label}]}
// view: {width, height, dpr}. Returns where each mark went: [{x, y, inside}] in css px.
export function drawPhase(ctx, data, view) {
  const th = theme();
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const plot = { left: M.left, top: M.top, width: view.width - M.left - M.right, height: view.height - M.top - M.bottom };
  if (plot.width < 20 || plot.height < 20 || !data) return [];
  const nh = data.h.length;
  const nb = data.beta.length;
  const dh = (data.h[nh - 1] - data.h[0]) / Math.max(1, nh - 1);
  const db = (data.beta[nb - 1] - data.beta[0]) / Math.max(1, nb - 1);
  const h0 = data.h[0] - dh / 2;
  const h1 = data.h[nh - 1] + dh / 2;
  const b0 = data.beta[0] - db / 2;
  const b1 = data.beta[nb - 1] + db / 2;
  const px = (h) => plot.left + ((h - h0) / (h1 - h0)) * plot.width;
  const py = (b) => plot.top + (1 - (b - b0) / (b1 - b0)) * plot.height;
  const cw = plot.width / nh;
  const ch = plot.height / nb;
  for (let j = 0; j < nb; j++) {
    for (let i = 0; i < nh; i++) {
      ctx.fillStyle = PHASE_COLORS[data.phase[j * nh + i]] ?? th.grid;
      // A hair wider than the cell, so no seams show between neighbours.
      ctx.fillRect(plot.left + i * cw, plot.top + (nb - 1 - j) * ch, cw + 0.6, ch + 0.6);
    }
  }
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = th.line;
  ctx.strokeRect(plot.left, plot.top, plot.width, plot.height);
  ctx.fillStyle = th.ink;
  ctx.font = font(11);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(h0, h1, Math.max(2, Math.floor(plot.width / 60)))) ctx.fillText(fmt.short(t, 3), px(t), plot.top + plot.height + 3);
  ctx.fillText('h = lr·λ', plot.left + plot.width / 2, plot.top + plot.height + 16);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(Math.max(0, b0), Math.min(1, b1), 4)) ctx.fillText(fmt.short(t, 2), plot.left - 4, py(t));
  ctx.save();
  ctx.translate(10, plot.top + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText('β (momentum)', 0, 0);
  ctx.restore();
  // The marks: clamped to the frame's edge (with the label saying so) when outside.
  return data.marks.map((m) => {
    const x = Math.min(plot.left + plot.width, Math.max(plot.left, px(m.h)));
    const y = Math.min(plot.top + plot.height, Math.max(plot.top, py(m.beta)));
    const inside = x === px(m.h) && y === py(m.beta);
    ctx.beginPath();
    ctx.arc(x, y, 5, 0, 2 * Math.PI);
    ctx.fillStyle = th.ink;
    ctx.fill();
    ctx.strokeStyle = th.halo;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.font = font(12, { weight: '600' });
    ctx.textAlign = x > plot.left + plot.width - 40 ? 'right' : 'left';
    ctx.textBaseline = 'bottom';
    ctx.fillStyle = th.ink;
    ctx.fillText(`${m.label}${inside ? '' : ' →'}`, x + (ctx.textAlign === 'left' ? 7 : -7), y - 3);
    return { x, y, inside };
  });
}
