// Each run's path over the landscape, its current point, where it diverged, and the shared start.
// Pure: draws what it is given into ctx. Paths can be drawn in pieces (the caller keeps a canvas with
// the paths so far and adds each new step's segment), because re-stroking thousands of segments
// every frame is what a software canvas cannot do at 60 frames per second.
import { begin, clipToPlot, toPixel } from './frame.js';
import { theme } from '../theme.js';

// Draws the paths from point runs[i].from on (0: the whole path) onto ctx, which already holds
// the earlier part. data: {runs: [{params: Float64Array [x0, y0, x1, y1, ...], color, selected,
// from, drawn: Set, alpha (default 1)}]}, where `drawn` is the caller's record of segments already on ctx (this
// function adds to it; a fresh Set with from = 0). view: a frame from frame.js.
export function drawPaths(ctx, data, view) {
  ctx.save();
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  clipToPlot(ctx, view);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  // Unselected runs first, so the run being inspected is never hidden under another.
  for (const i of order(data.runs)) {
    const run = data.runs[i];
    ctx.globalAlpha = run.alpha ?? 1;
    tracePath(ctx, run, pathPoints(run.params, Math.max(0, run.from - 1), view, run.drawn));
  }
  ctx.restore();
}

// A noisy path (gradient noise) is a fading trail: its last TRAIL samples ramp from faint to full
// strength (drawMarkers draws them, as they change every step) and everything older is drawn
// faint (OLD_ALPHA: drawPaths with run.alpha), so the recent walk reads and the past does not
// become a scribble.
export const TRAIL = 60;
export const OLD_ALPHA = 0.18;
const RAMP = 6; // pieces of the trail, each a step brighter

// The last `trail` samples of a run's path in RAMP pieces of rising strength.
function drawRecent(ctx, run, view, trail) {
  const n = run.params.length / 2;
  const start = Math.max(0, n - trail);
  for (let k = 0; k < RAMP; k++) {
    const from = start + Math.floor(((n - start) * k) / RAMP);
    const to = start + Math.floor(((n - start) * (k + 1)) / RAMP);
    if (to <= from) continue;
    // Each piece starts at the point before it, so the trail has no gaps.
    ctx.globalAlpha = OLD_ALPHA + ((1 - OLD_ALPHA) * (k + 1)) / RAMP;
    tracePath(ctx, run, pathPoints(run.params.subarray(0, 2 * to), Math.max(0, from - 1), view, new Set()));
  }
  ctx.globalAlpha = 1;
}

// Whole fading trails onto a cleared ctx (for an export). data: {runs: [{params, color, selected}]}.
export function drawTrails(ctx, data, view) {
  begin(ctx, view);
  drawPaths(ctx, {
    runs: data.runs.map((r) => ({
      ...r, params: r.params.subarray(0, 2 * Math.max(0, r.params.length / 2 - TRAIL)), alpha: OLD_ALPHA, from: 0, drawn: new Set(),
    })),
  }, view);
  ctx.save();
  clipToPlot(ctx, view);
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  for (const i of order(data.runs)) drawRecent(ctx, data.runs[i], view, TRAIL);
  ctx.restore();
}

// Clears ctx and draws what moves every step on top of the paths: the fading trails' recent
// samples when data.trail (TRAIL) is set, each run's current point (a cross where it diverged)
// and the shared start. data: {start: [x, y], trail: 0 | TRAIL, runs: [{params, color, diverged,
// selected}]}.
export function drawMarkers(ctx, data, view) {
  begin(ctx, view);
  ctx.save();
  clipToPlot(ctx, view);
  if (data.trail) {
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    for (const i of order(data.runs)) drawRecent(ctx, data.runs[i], view, data.trail);
  }
  for (const i of order(data.runs)) {
    const run = data.runs[i];
    const last = lastPoint(run.params);
    if (last) drawHead(ctx, run, toPixel(view, last[0], last[1]));
  }
  drawStart(ctx, toPixel(view, data.start[0], data.start[1]));
  ctx.restore();
}

function order(runs) {
  return runs.map((r, i) => i).sort((a, b) => runs[a].selected - runs[b].selected);
}

function lastPoint(params) {
  for (let k = params.length / 2 - 1; k >= 0; k--) {
    const x = params[2 * k];
    const y = params[2 * k + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) return [x, y];
  }
  return null;
}

// Long paths are thinned before drawing: points closer than half a pixel to the last one kept are
// dropped, and so is a segment whose ends round to the same pixels as one already drawn (a run
// oscillating about a minimum retraces the same few segments thousands of times). The picture is
// the same to the pixel. Returns [x0, y0, x1, y1, ...] with NaN, NaN where the line lifts.
function pathPoints(params, from, view, drawn) {
  const out = [];
  let lx = NaN;
  let ly = NaN;
  let lifted = true;
  const n = params.length / 2;
  for (let k = from; k < n; k++) {
    const x = params[2 * k];
    const y = params[2 * k + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) break;
    const [px, py] = toPixel(view, x, y);
    // Points far off screen are clamped so the canvas never sees huge coordinates.
    const cx = Math.max(-1e5, Math.min(1e5, px));
    const cy = Math.max(-1e5, Math.min(1e5, py));
    if (Number.isNaN(lx)) {
      lx = cx;
      ly = cy;
      continue;
    }
    if (k !== n - 1 && Math.abs(cx - lx) + Math.abs(cy - ly) < 0.5) continue;
    const key = segmentKey(lx, ly, cx, cy);
    if (key !== null && drawn.has(key)) {
      lifted = true; // already on the canvas: skip it, and start the next segment afresh
    } else {
      if (key !== null) drawn.add(key);
      if (lifted) out.push(NaN, NaN, lx, ly);
      out.push(cx, cy);
      lifted = false;
    }
    lx = cx;
    ly = cy;
  }
  return out;
}

// One number per unordered pair of pixel-rounded end points inside the canvas area; null outside.
function segmentKey(ax, ay, bx, by) {
  const r = [Math.round(ax), Math.round(ay), Math.round(bx), Math.round(by)];
  if (r.some((v) => v < 0 || v > 4095)) return null;
  const a = r[0] * 4096 + r[1];
  const b = r[2] * 4096 + r[3];
  return a < b ? a * 16777216 + b : b * 16777216 + a;
}

function tracePath(ctx, run, pts) {
  if (pts.length < 4) return;
  const line = () => {
    ctx.beginPath();
    for (let k = 0; k < pts.length; k += 2) {
      if (Number.isNaN(pts[k])) {
        k += 2;
        ctx.moveTo(pts[k], pts[k + 1]);
      } else {
        ctx.lineTo(pts[k], pts[k + 1]);
      }
    }
  };
  // A light casing under the colour keeps every path readable on dark and light bands alike.
  line();
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.lineWidth = (run.selected ? 6.5 : 5) * theme().line;
  ctx.stroke();
  line();
  ctx.strokeStyle = run.color;
  ctx.lineWidth = (run.selected ? 3.5 : 2.5) * theme().line;
  ctx.stroke();
}

function drawHead(ctx, run, [x, y]) {
  if (run.diverged) {
    // A cross where the run left the finite numbers: its path stops here.
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 6;
    cross(ctx, x, y, 8);
    ctx.strokeStyle = run.color;
    ctx.lineWidth = 3;
    cross(ctx, x, y, 8);
    return;
  }
  ctx.beginPath();
  ctx.arc(x, y, run.selected ? 7.5 : 6, 0, 2 * Math.PI);
  ctx.fillStyle = run.color;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
}

function cross(ctx, x, y, r) {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
}

// The shared start: a ring, so it stays visible under the first steps of every path.
function drawStart(ctx, [x, y]) {
  ctx.beginPath();
  ctx.arc(x, y, 8, 0, 2 * Math.PI);
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#1a1a1a';
  ctx.stroke();
}
