// A small chart of the learning rate over steps: one line per run, each sample at its step. Used
// by a run's Schedule drawer (the schedule before anything runs) and by the panel under the loss
// chart (every run's lr as it ran). The y axis is linear from 0, or log where the lr spans more
// than a factor of 50 (a step decay by 0.1 twice would otherwise sit on the axis). NaN samples
// (an lr the core does not know) leave gaps. A note (plateau: the lr depends on the loss) is
// written across the plot. Pure: no state, no engine.
import { ticks } from 'd3-array';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';
import { paintPlotBox } from './loss_chart.js';

const M = { left: 50, right: 10, top: 16, bottom: 18 };

// data: {series: [{steps: ArrayLike, lr: ArrayLike, color}], xMax, note?, stopAt?: step (a dashed
//        line where torch stops stepping), hoverStep?: n|null}
// view: {width, height, dpr} in css pixels.
// Returns {log, lo, hi, yticks: [text]} (what it drew, for tests and readers).
export function drawLrChart(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const plot = { left: M.left, top: M.top, width: view.width - M.left - M.right, height: view.height - M.top - M.bottom };
  if (plot.width < 20 || plot.height < 10) return { log: false, lo: 0, hi: 0, yticks: [] };
  const th = theme();
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of data.series) {
    for (const v of s.lr) {
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      } else if (v === 0) lo = Math.min(lo, 0);
    }
  }
  if (!(hi > 0)) { lo = 0; hi = 1; }
  const log = lo > 0 && hi / lo > 50;
  const yLo = log ? Math.log10(lo) : 0;
  const yHi = log ? Math.log10(hi) : hi * 1.08;
  const span = yHi - yLo || 1;
  const toY = (v) => {
    const t = log ? Math.log10(v) : v;
    return plot.top + plot.height - ((t - yLo) / span) * plot.height;
  };
  const xMax = Math.max(1, data.xMax);
  const toX = (k) => plot.left + (k / xMax) * plot.width;

  paintPlotBox(ctx, plot, th);
  ctx.font = font(11);
  ctx.fillStyle = th.ink;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yt = log
    ? [yLo, yHi].map((e) => ({ v: 10 ** e, text: fmt.short(10 ** e, 2) }))
    : ticks(0, hi, plot.height >= 60 ? 3 : 2).map((v) => ({ v, text: fmt.short(v, 3) }));
  for (const t of yt) {
    const py = toY(t.v);
    ctx.strokeStyle = th.grid;
    ctx.beginPath();
    ctx.moveTo(plot.left + 1, py);
    ctx.lineTo(plot.left + plot.width - 1, py);
    ctx.stroke();
    ctx.fillText(t.text, plot.left - 4, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const k of ticks(0, xMax, Math.max(2, Math.floor(plot.width / 70))).filter(Number.isInteger)) {
    ctx.fillText(fmt.compactCount(k), Math.min(toX(k), plot.left + plot.width - 8), plot.top + plot.height + 3);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(log ? 'lr (log)' : 'lr', plot.left, plot.top - 2);
  ctx.textAlign = 'right';
  ctx.fillText('step', plot.left + plot.width, plot.top - 2);

  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();
  for (const s of data.series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2 * th.line;
    ctx.beginPath();
    let pen = false;
    for (let k = 0; k < s.lr.length; k++) {
      const v = s.lr[k];
      const ok = Number.isFinite(v) && (!log || v > 0);
      if (!ok) { pen = false; continue; }
      const x = toX(s.steps ? s.steps[k] : k);
      const y = toY(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  }
  const marks = [data.stopAt, data.hoverStep].filter((v) => v !== null && v !== undefined);
  for (const at of marks) {
    ctx.strokeStyle = th.muted;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(toX(at), plot.top);
    ctx.lineTo(toX(at), plot.top + plot.height);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.restore();
  if (data.note) {
    ctx.font = font(12);
    ctx.fillStyle = th.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(data.note, plot.left + plot.width / 2, plot.top + plot.height / 2, plot.width - 8);
  }
  return { log, lo: log ? 10 ** yLo : 0, hi: log ? 10 ** yHi : hi, yticks: yt.map((t) => t.text) };
}
