// The loss chart: one curve per run over a shared step axis, log y (the gap to the known minimum
// when the landscape has one), a hover line, and a cross where a run diverged. Series are columns
// of samples (one Float64Array per run) with each sample's step number; where a history was thinned
// (or has at least 4 samples per pixel column) each pixel column is drawn as a bar from the smallest
// to the largest loss it stands for, so spikes between kept samples still show and the chart costs
// the same at 100 or 1,000,000 steps. Pure.
import { ticks } from 'd3-array';
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';
import { indexAtOrBefore } from '../samples.js';

const M = { left: 58, right: 12, top: 22, bottom: 26 };

// data: {steps, series: [{losses: Float64Array, steps?: Float64Array (each sample's step; absent:
//        0, 1, 2, ...), lossMin?, lossMax? (the range each sample stands for; absent: losses),
//        color, divergedAt: n|null, alpha?, dash?, width?}]
//        (alpha, dash and width draw secondary series: faint mini-batch loss, dashed test loss),
//        offset: number|null,
//        log: bool, hoverStep: n|null, yLabel,
//        yRange?: [lo, hi] (a fixed linear axis, e.g. accuracy 0..1), yTick?: v => label,
//        yTicks?: [v] (where to label a fixed axis; the low-budget list when the plot is short),
//        legend?: [{label, dash?, alpha?, width?}] (line styles, drawn in ink beside the title),
//        xLabel?, xMax?, xFractional?, hoverAt? (an x axis of work instead of steps, e.g. epochs:
//        its name, its length, whether it has ticks between whole numbers, the hover line's place;
//        each series then gives `x`, its samples' positions on it, and divergedX)}
// view: {width, height, dpr} in css pixels.
// Returns what it labelled: {yticks: [text], legend: [label]} (for the page's tests and readers).
export function drawLossChart(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  ctx.font = font(12);
  const legend = data.legend ?? [];
  // The legend shares the title's line when it fits, else takes a line of its own above it.
  const own = legend.length > 0 && titleWidth(ctx, data.yLabel) + legendWidth(ctx, legend) + 16 > view.width - M.left - M.right;
  const top = M.top + (own ? 17 : 0);
  const plot = { left: M.left, top, width: view.width - M.left - M.right, height: view.height - top - M.bottom };
  if (plot.width < 20 || plot.height < 20) return { yticks: [], legend: [] };
  const xmax = data.xMax ?? Math.max(1, data.steps);
  const px = (k) => plot.left + (k / xmax) * plot.width;
  // Each series reduced to what is drawn, mapped to what the y axis shows (log of the gap, or
  // the loss itself).
  const ys = data.series.map((s) => prepare(s, data, px, plot.width));
  const y = data.yRange ? { lo: data.yRange[0], hi: data.yRange[1], log: false, toPx: fixedPx(data.yRange, plot) } : yMapping(ys, data.log, plot);

  const at = data.yTicks && data.yRange ? (plot.height >= 80 ? data.yTicks : data.yTicks.filter((_, k) => k % 2 === 0)) : null;
  const yticks = drawFrame(ctx, plot, y, { max: xmax, label: data.xLabel ?? 'step', fractional: Boolean(data.xFractional) }, data.yLabel, data.yTick, at);
  if (legend.length) {
    const x0 = own ? plot.left + plot.width - legendWidth(ctx, legend) - titleWidth(ctx, data.xLabel ?? 'step') - 10 : plot.left + titleWidth(ctx, data.yLabel) + 14;
    drawLegend(ctx, legend, Math.max(2, x0), plot.top - (own ? 22 : 5) - 7);
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top - 1, plot.width, plot.height + 2);
  ctx.clip();
  data.series.forEach((s, i) => drawSeries(ctx, s, ys[i], y, px, plot));
  ctx.restore();
  const hoverAt = data.hoverAt ?? data.hoverStep;
  if (hoverAt !== null && hoverAt !== undefined) drawHover(ctx, data, ys, y, px, plot);
  return { yticks, legend: legend.map((l) => l.label) };
}

const titleWidth = (ctx, text) => ctx.measureText(text).width;
const SAMPLE = 20; // a legend entry's line sample, css px
const legendWidth = (ctx, legend) => legend.reduce((w, l) => w + SAMPLE + 4 + ctx.measureText(l.label).width + 12, -12);

// Each entry: a short line in the series' style (in ink: the colours are the runs'), then its name.
function drawLegend(ctx, legend, x, cy) {
  const th = theme();
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let at = x;
  for (const l of legend) {
    ctx.globalAlpha = l.alpha === undefined ? 1 : Math.max(0.35, l.alpha);
    ctx.setLineDash(l.dash ?? []);
    ctx.strokeStyle = th.ink;
    ctx.lineWidth = (l.width ?? 2) * th.line;
    ctx.beginPath();
    ctx.moveTo(at, cy);
    ctx.lineTo(at + SAMPLE, cy);
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    ctx.fillStyle = th.ink;
    ctx.fillText(l.label, at + SAMPLE + 4, cy);
    at += SAMPLE + 4 + ctx.measureText(l.label).width + 12;
  }
}

// A fixed linear axis: values outside it pin to its edges.
function fixedPx([lo, hi], plot) {
  return (v) => (Number.isNaN(v) ? NaN : plot.top + plot.height - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plot.height);
}

// A chart's plot area: paper inside a one-pixel frame (the lr chart draws the same box).
export function paintPlotBox(ctx, plot, th) {
  ctx.fillStyle = th.paper;
  ctx.fillRect(plot.left, plot.top, plot.width, plot.height);
  ctx.strokeStyle = th.frame;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width - 1, plot.height - 1);
}

// How far along the x axis (0 to 1) a pointer at css x is (the caller shows the losses there: on a
// step axis at that step, on an axis of work at each run's own step).
export function fractionAt(view, x) {
  const width = view.width - M.left - M.right;
  return Math.max(0, Math.min(1, (x - M.left) / width));
}

// A series ready to draw. Few samples, none thinned: {line: true, v} with every sample mapped to
// the y axis. Otherwise one entry per pixel column: {line: false, cx, lo, hi, last}, the column's
// smallest and largest loss (from each sample's own min and max) and its last loss. The mapping is
// monotonic, so min and max are taken on the raw losses and only the columns are mapped: the cost is
// one pass over the samples, and logs only per column. Both carry x (steps) and losses, for hover.
function prepare(s, data, px, width) {
  const losses = s.losses;
  const n = losses.length;
  const steps = s.steps?.length === n ? s.steps : Float64Array.from({ length: n }, (_, k) => k);
  // Step numbers strictly increase, so they are 0..n-1 exactly when the ends say so.
  const thinned = n > 1 && steps[n - 1] - steps[0] !== n - 1;
  const x = s.x?.length === n ? s.x : steps; // where each sample sits on the x axis
  if (!thinned && n / width < 4) {
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = toAxis(losses[k], data);
    return { line: true, x, losses, v, lo: v, hi: v };
  }
  const lossMin = s.lossMin?.length === n ? s.lossMin : losses;
  const lossMax = s.lossMax?.length === n ? s.lossMax : losses;
  const cx = [];
  const lo = [];
  const hi = [];
  const last = [];
  let col = NaN;
  let min = NaN;
  let max = NaN;
  let end = NaN;
  const flush = () => {
    cx.push(col);
    lo.push(toAxis(min, data));
    hi.push(toAxis(max, data));
    last.push(toAxis(end, data));
  };
  for (let k = 0; k < n; k++) {
    const val = losses[k];
    if (Number.isNaN(val)) break; // the series ends where the run left the finite numbers
    const c = Math.round(px(x[k]));
    if (c !== col) {
      if (!Number.isNaN(col)) flush();
      col = c;
      min = lossMin[k];
      max = lossMax[k];
    } else {
      if (lossMin[k] < min) min = lossMin[k];
      if (lossMax[k] > max) max = lossMax[k];
    }
    end = val;
  }
  if (!Number.isNaN(col)) flush();
  return { line: false, x, losses, cx, lo, hi, last };
}

// A loss as plotted: minus the known minimum, and log10 on a log axis (gaps of 0 or below, i.e.
// rounding at the minimum, become -Infinity and sit on the bottom edge). NaN stays NaN.
function toAxis(loss, data) {
  const g = loss - (data.offset ?? 0);
  return data.log ? (g > 0 ? Math.log10(g) : Number.isNaN(g) ? NaN : -Infinity) : g;
}

function yMapping(ys, log, plot) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of ys) {
    for (const v of c.lo === c.hi ? [c.lo] : [c.lo, c.hi]) {
      for (let k = 0; k < v.length; k++) {
        if (Number.isFinite(v[k])) {
          if (v[k] < lo) lo = v[k];
          if (v[k] > hi) hi = v[k];
        }
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

function drawSeries(ctx, s, c, y, px, plot) {
  if (c.losses.length === 0) return;
  ctx.globalAlpha = s.alpha ?? 1;
  ctx.setLineDash(s.dash ?? []);
  if (c.line) {
    ctx.beginPath();
    for (let k = 0; k < c.v.length; k++) {
      const yy = y.toPx(c.v[k]);
      if (Number.isNaN(yy)) break;
      if (k === 0) ctx.moveTo(px(c.x[k]), yy);
      else ctx.lineTo(px(c.x[k]), yy);
    }
    ctx.strokeStyle = s.color;
    ctx.lineWidth = (s.width ?? 2) * theme().line;
    ctx.lineJoin = 'round';
    ctx.stroke();
  } else {
    // One 2-pixel-wide bar per column from its min to its max that also reaches the previous
    // column's last value (so the curve stays connected). Bars instead of a zig-zag stroke: the
    // same picture, a fraction of the rasterising.
    ctx.fillStyle = s.color;
    let prevLast = NaN;
    for (let j = 0; j < c.cx.length; j++) {
      let top = y.toPx(c.hi[j]);
      let bottom = y.toPx(c.lo[j]);
      if (!Number.isNaN(prevLast)) {
        const p = y.toPx(prevLast);
        top = Math.min(top, p);
        bottom = Math.max(bottom, p);
      }
      // A tall bar is a band of many losses (noise, or a thinned stretch): translucent, so the
      // runs drawn before it still show through.
      ctx.globalAlpha = (s.alpha ?? 1) * (bottom - top > 6 ? 0.45 : 1);
      ctx.fillRect(c.cx[j] - 1, top - 1, 2, bottom - top + 2);
      prevLast = c.last[j];
    }
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  if (s.divergedAt !== null && s.divergedAt !== undefined) {
    const x = px(s.divergedX ?? s.divergedAt);
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

function drawFrame(ctx, plot, y, xAxis, yLabel, yTick, at) {
  const xmax = xAxis.max;
  const th = theme();
  paintPlotBox(ctx, plot, th);
  ctx.font = font(12);
  ctx.fillStyle = th.ink;

  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yticks = y.log ? logTicks(y.lo, y.hi)
    : (at ?? ticks(y.lo, y.hi, 4)).map((v) => ({ v, text: yTick ? yTick(v) : fmt.short(v, 3) }));
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
  const xt = ticks(0, xmax, Math.max(2, Math.floor(plot.width / 70))).filter((k) => xAxis.fractional || Number.isInteger(k));
  for (const k of xt) {
    const px = plot.left + (k / xmax) * plot.width;
    const text = Number.isInteger(k) ? fmt.compactCount(k) : fmt.short(k, 3);
    // The last label may not fit past the plot's right edge: end it there instead.
    const overhang = px + ctx.measureText(text).width / 2 - (plot.left + plot.width + M.right - 2);
    ctx.fillText(text, overhang > 0 ? px - overhang : px, plot.top + plot.height + 5);
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(yLabel, plot.left, plot.top - 5);
  // The x axis's name, where it does not run into the title (a narrow chart goes without it).
  if (titleWidth(ctx, yLabel) + titleWidth(ctx, xAxis.label) + 12 <= plot.width) {
    ctx.textAlign = 'right';
    ctx.fillText(xAxis.label, plot.left + plot.width, plot.top - 5);
  }
  return yticks.map((t) => t.text);
}

// Powers of ten inside the range, thinned to at most five labels; in a range narrower than two
// decades, 1-2-5 steps; and where even those give fewer than two labels (a loss that stays within
// a decade, 0.62 to 0.69), evenly spaced values, so the axis always has numbers on it.
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
  if (out.length >= 2) return out;
  return ticks(10 ** lo, 10 ** hi, 4).filter((v) => v > 0).map((v) => ({ v: Math.log10(v), text: fmt.short(v, 3) }));
}

function sup(n) {
  const map = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  return String(n).split('').map((c) => map[c]).join('');
}

function drawHover(ctx, data, ys, y, px, plot) {
  const at = data.hoverAt ?? data.hoverStep;
  const x = px(at);
  ctx.strokeStyle = theme().muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x, plot.top);
  ctx.lineTo(x, plot.top + plot.height);
  ctx.stroke();
  ctx.setLineDash([]);
  data.series.forEach((s, i) => {
    const k = indexAtOrBefore(ys[i].x, at);
    if (k < 0 || at > ys[i].x[ys[i].x.length - 1]) return; // the run ended before
    const yy = y.toPx(toAxis(ys[i].losses[k], data));
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
