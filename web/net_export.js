// The network mode's files: the runs' loss, mini-batch loss, test loss and accuracy per kept step as
// CSV, and a picture for a slide (each run's decision boundary with its name and numbers, then the
// loss and accuracy charts) at twice the page's resolution or more. Built from numbers the view
// already holds (the core's series); the drawing is the render functions', called at a larger scale.
import { theme, font } from './theme.js';
import { stepCsv } from './exports.js';

// runs: [{label, steps: Float64Array, losses, batch?, test?, accuracy?}]: every series one value
// per entry of steps. One row per step some run kept, its step number first; numbers in
// JavaScript's shortest round-trip form; empty cells where a run has no sample at that step.
export function networkCsv(runs) {
  const cols = runs.map((r) => [['loss', r.losses], ['batch_loss', r.batch], ['test_loss', r.test], ['accuracy', r.accuracy]]
    .filter(([, v]) => v && v.length === r.steps.length && v.length > 0));
  return stepCsv(runs, (i) => cols[i].map(([name]) => name), (r, k, i) => cols[i].map(([, v]) => String(v[k])));
}

const GAP = 8;
const CAPTION = 20;
const TITLE = 26;

// layout: {width (css px of the panels on screen), title, panels: [{label, color, stat,
//   paint(ctx, size)}] (size: {width, height, dpr}; paints the run's boundary into a fresh canvas
//   of that size), charts: [{height, paint(ctx, view)}]}, scale: output pixels per css pixel
// (at least 2, the page's ratio times 2). Resolves to a PNG blob.
export function networkPng(layout, scale) {
  const th = theme();
  const W = Math.max(320, Math.round(layout.width));
  const n = layout.panels.length;
  const cols = Math.max(1, Math.min(n, Math.floor((W + GAP) / (150 + GAP)), 4));
  const cell = (W - (cols - 1) * GAP) / cols;
  const rows = Math.ceil(n / cols);
  const chartsH = layout.charts.reduce((s, c) => s + c.height + GAP, 0);
  const H = TITLE + rows * (cell + CAPTION + GAP) + chartsH;
  const out = document.createElement('canvas');
  out.width = Math.round((W + 2 * GAP) * scale);
  out.height = Math.round((H + GAP) * scale);
  const c = out.getContext('2d');
  // The theme's own paper and ink, so a dark page exports a dark, readable picture.
  c.fillStyle = th.paper;
  c.fillRect(0, 0, out.width, out.height);
  c.setTransform(scale, 0, 0, scale, GAP * scale, 0);
  c.fillStyle = th.ink;
  c.font = font(15, { weight: 600 });
  c.textBaseline = 'middle';
  c.fillText(layout.title, 0, TITLE / 2 + 2);
  layout.panels.forEach((p, k) => {
    const x = (k % cols) * (cell + GAP);
    const y = TITLE + Math.floor(k / cols) * (cell + CAPTION + GAP);
    c.drawImage(offscreen(cell, cell, scale, (ctx, size) => p.paint(ctx, size)), x, y, cell, cell);
    c.strokeStyle = p.color;
    c.lineWidth = 3;
    c.strokeRect(x + 1.5, y + 1.5, cell - 3, cell - 3);
    c.fillStyle = p.color;
    c.fillRect(x, y + cell + 5, 12, 10);
    c.fillStyle = th.ink;
    c.font = font(12, { weight: 600 });
    c.textAlign = 'left';
    c.fillText(p.label, x + 16, y + cell + 10, cell * 0.55);
    c.font = font(12);
    c.textAlign = 'right';
    c.fillText(p.stat, x + cell, y + cell + 10, cell * 0.45);
    c.textAlign = 'left';
  });
  let y = TITLE + rows * (cell + CAPTION + GAP);
  for (const chart of layout.charts) {
    c.drawImage(offscreen(W, chart.height, scale, (ctx, view) => chart.paint(ctx, view)), 0, y, W, chart.height);
    y += chart.height + GAP;
  }
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

// A canvas of css size w × h at `scale`, painted by fn(ctx, {width, height, dpr}).
function offscreen(w, h, scale, fn) {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  fn(canvas.getContext('2d'), { width: w, height: h, w, h, dpr: scale });
  return canvas;
}
