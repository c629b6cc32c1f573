// The loss chart: one curve per run over a shared step axis, log y (the gap to the known minimum
// when the landscape has one), a hover line, and a cross where a run diverged. Series are columns
// (one Float64Array per run); when a series has at least 4 points per pixel column, each column is
// drawn as its min/max so the chart costs the same at 100 or 100,000 steps. Pure.
import { ticks } from 'd3-array';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';

const M = { left: 58, right: 12, top: 22, bottom: 26 };

// data: {steps, series: [{losses: Float64Array, color, divergedAt: n|null, alpha?, dash?, width?}]
//        (alpha, dash and width draw secondary series: faint mini-batch loss, dashed test loss),
//        offset: number|null,
//        log: bool, hoverStep: n|null, yLabel}
// view: {width, height, dpr} in css pixels.
export function drawLossChart(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const plot = { left: M.left, top: M.top, width: view.width - M.left - M.right, height: view.height - M.top - M.bottom };
  if (plot.width < 20 || plot.height < 20) return;
  // Each series mapped once to what the y axis shows (log of the gap, or the loss itself).
  const ys = data.series.map((s) => transform(s.losses, data));
  const y = yMapping(ys, data.log, plot);
  const xmax = Math.max(1, data.steps);
  const px = (k) => plot.left + (k / xmax) * plot.width;

  drawFrame(ctx, plot, y, xmax, data.yLabel);
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top - 1, plot.width, plot.height + 2);
  ctx.clip();
  data.series.forEach((s, i) => drawSeries(ctx, s, ys[i], y, px, plot));
  ctx.restore();
  if (data.hoverStep !== null && data.hoverStep !== undefined) drawHover(ctx, data, ys, y, px, plot);
}

// Which step a pointer at css x is over (the caller shows the losses there).
export function stepAt(view, steps, x) {
  const width = view.width - M.left - M.right;
  const k = Math.round(((x - M.left) / width) * Math.max(1, steps));
  return Math.max(0, Math.min(steps, k));
}

// Losses as plotted: minus the known minimum, and log10 on a log axis (gaps of 0 or below, i.e.
// rounding at the minimum, become -Infinity and sit on the bottom edge). NaN stays NaN: the
// series ends there.
function transform(losses, data) {
  const out = new Float64Array(losses.length);
  const offset = data.offset ?? 0;
  for (let k = 0; k < losses.length; k++) {
    const g = losses[k] - offset;
    out[k] = data.log ? (g > 0 ? Math.log10(g) : Number.isNaN(g) ? NaN : -Infinity) : g;
  }
  return out;
}

function yMapping(ys, log, plot) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of ys) {
    for (let k = 0; k < v.length; k++) {
      if (Number.isFinite(v[k])) {
        if (v[k] < lo) lo = v[k];
        if (v[k] > hi) hi = v[k];
      }
    }
  }
  if (log) lo = Math.max(lo, hi - 20, -16); // below 1e-16 of the scale is rounding, not progress
  if (!(lo < hi)) {
    lo = Number.isFinite(lo) ? lo - 1 : 0;
    hi = lo + 2;
  }
  const pad = (hi - lo) * 0.04;
  lo -= pad;
  hi += pad;
  // +inf and huge values pin to the top edge, -inf and tiny ones to the bottom.
  const toPx = (v) => (Number.isNaN(v) ? NaN
    : plot.top + plot.height - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plot.height);
  return { toPx, lo, hi, log };
}

function drawSeries(ctx, s, v, y, px, plot) {
  const n = v.length;
  if (n === 0) return;
  ctx.globalAlpha = s.alpha ?? 1;
  ctx.setLineDash(s.dash ?? []);
  if (n / plot.width < 4) {
    ctx.beginPath();
    for (let k = 0; k < n; k++) {
      const yy = y.toPx(v[k]);
      if (Number.isNaN(yy)) break;
      if (k === 0) ctx.moveTo(px(k), yy);
      else ctx.lineTo(px(k), yy);
    }
    ctx.strokeStyle = s.color;
    ctx.lineWidth = (s.width ?? 2) * theme().line;
    ctx.lineJoin = 'round';
    ctx.stroke();
  } else {
    // Min/max per pixel column, found in value space, drawn as one 2-pixel-wide bar per column
    // that also reaches the previous column's last value (so the curve stays connected). Bars
    // instead of a zig-zag stroke: the same picture, a fraction of the rasterising.
    ctx.fillStyle = s.color;
    let col = Math.round(px(0));
    let min = v[0];
    let max = v[0];
    let last = v[0];
    let prevLast = NaN;
    const flush = () => {
      let top = y.toPx(max);
      let bottom = y.toPx(min);
      if (!Number.isNaN(prevLast)) {
        const p = y.toPx(prevLast);
        top = Math.min(top, p);
        bottom = Math.max(bottom, p);
      }
      ctx.fillRect(col - 1, top - 1, 2, bottom - top + 2);
      prevLast = last;
    };
    for (let k = 1; k < n; k++) {
      const val = v[k];
      if (Number.isNaN(val)) break;
      const c = Math.round(px(k));
      if (c !== col) {
        flush();
        col = c;
        min = max = last = val;
      } else {
        if (val < min) min = val;
        if (val > max) max = val;
        last = val;
      }
    }
    if (!Number.isNaN(min)) flush();
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  if (s.divergedAt !== null && s.divergedAt !== undefined) {
    const x = px(s.divergedAt);
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(x - 5, plot.top + 2);
    ctx.lineTo(x + 5, plot.top + 12);
    ctx.moveTo(x + 5, plot.top + 2);
    ctx.lineTo(x - 5, plot.top + 12);
    ctx.stroke();
  }
}

function drawFrame(ctx, plot, y, xmax, yLabel) {
  const th = theme();
  ctx.fillStyle = th.paper;
  ctx.fillRect(plot.left, plot.top, plot.width, plot.height);
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width - 1, plot.height - 1);
  ctx.font = font(12);
  ctx.fillStyle = th.ink;

  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yticks = y.log ? logTicks(y.lo, y.hi) : ticks(y.lo, y.hi, 4).map((v) => ({ v, text: fmt.short(v, 3) }));
  for (const t of yticks) {
    const py = plot.top + plot.height - ((t.v - y.lo) / (y.hi - y.lo)) * plot.height;
    ctx.strokeStyle = th.grid;
    ctx.beginPath();
    ctx.moveTo(plot.left + 1, py);
    ctx.lineTo(plot.left + plot.width - 1, py);
    ctx.stroke();
    ctx.fillText(t.text, plot.left - 5, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xt = ticks(0, xmax, Math.max(2, Math.floor(plot.width / 70))).filter(Number.isInteger);
  for (const k of xt) {
    const px = plot.left + (k / xmax) * plot.width;
    ctx.fillText(fmt.count(k), px, plot.top + plot.height + 5);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(yLabel, plot.left, plot.top - 5);
  ctx.textAlign = 'right';
  ctx.fillText('step', plot.left + plot.width, plot.top - 5);
}

// Powers of ten inside the range, thinned to at most five labels; in a range narrower than two
// decades, 1-2-5 steps so the axis still has numbers on it.
function logTicks(lo, hi) {
  const out = [];
  const a = Math.ceil(lo);
  const b = Math.floor(hi);
  if (b - a >= 1) {
    const every = Math.max(1, Math.ceil((b - a + 1) / 5));
    for (let e = a; e <= b; e += every) out.push({ v: e, text: e === 0 ? '1' : `10${sup(e)}` });
    return out;
  }
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const v = e + Math.log10(m);
      if (v >= lo && v <= hi) out.push({ v, text: fmt.short(m * 10 ** e, 3) });
    }
  }
  return out;
}

function sup(n) {
  const map = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  return String(n).split('').map((c) => map[c]).join('');
}

function drawHover(ctx, data, ys, y, px, plot) {
  const x = px(data.hoverStep);
  ctx.strokeStyle = theme().muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x, plot.top);
  ctx.lineTo(x, plot.top + plot.height);
  ctx.stroke();
  ctx.setLineDash([]);
  data.series.forEach((s, i) => {
    if (data.hoverStep >= ys[i].length) return;
    const yy = y.toPx(ys[i][data.hoverStep]);
    if (Number.isNaN(yy)) return;
    ctx.beginPath();
    ctx.arc(x, yy, 4, 0, 2 * Math.PI);
    ctx.fillStyle = s.color;
    ctx.fill();
    ctx.strokeStyle = theme().paper;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  });
}
