// The files the page exports, built from numbers it already holds (the core's histories): the runs
// as CSV and the landscape as a PNG with a legend. No DOM beyond an offscreen canvas.
import { makeFrame } from './render/frame.js';
import * as fmt from './format.js';
import { theme } from './theme.js';

// runs: [{label, steps: Float64Array, params: Float64Array [x0, y0, ...], losses: Float64Array}],
// one sample per entry of steps. One row per step that some run kept (every step of a short run;
// a long one is thinned further back), its step number in the first column; numbers in
// JavaScript's shortest round-trip form, so they read back to the same doubles. A run without a
// sample at that step (it stopped early, or diverged) has empty cells there.
export function runsCsv(runs) {
  return stepCsv(runs, () => ['x', 'y', 'loss'],
    (r, k) => [String(r.params[2 * k]), String(r.params[2 * k + 1]), String(r.losses[k])]);
}

// One row per step some run kept, its step number first, then each run's columns (names(i), their
// cells from cells(run, k) for the run's k-th sample), empty where a run has no sample at that
// step. runs: [{label, steps (strictly increasing)}]. Shared by both modes' CSV.
export function stepCsv(runs, names, cells) {
  const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const head = ['step'];
  runs.forEach((r, i) => { for (const n of names(i)) head.push(`${r.label} ${n}`); });
  const lines = [head.map(quote).join(',')];
  // Merge the runs' step lists with one cursor per run.
  const at = runs.map(() => 0);
  for (;;) {
    let step = Infinity;
    runs.forEach((r, i) => { if (at[i] < r.steps.length && r.steps[at[i]] < step) step = r.steps[at[i]]; });
    if (step === Infinity) break;
    const row = [String(step)];
    runs.forEach((r, i) => {
      const k = at[i];
      if (k < r.steps.length && r.steps[k] === step) {
        row.push(...cells(r, k, i));
        at[i] += 1;
      } else {
        row.push(...names(i).map(() => ''));
      }
    });
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

// The landscape drawn again for a slide: at EXPORT_SCALE times its css size (at least twice
// what the screen shows), on the theme's own paper so the dark theme's light ink stays readable,
// with a legend (step, each run's loss) so the picture explains itself. paint(frame) returns the
// layers drawn at that frame, bottom first; size: {w, h, dpr} in css pixels; view: the state's box.
export function landscapePng(paint, size, view, runs, steps) {
  const { w, h, dpr } = size;
  const scale = Math.min(4, Math.max(2, 2 * dpr));
  const f = makeFrame(w, h, scale, view);
  const out = document.createElement('canvas');
  out.width = Math.round(w * scale);
  out.height = Math.round(h * scale);
  const c = out.getContext('2d');
  const th = theme();
  c.fillStyle = th.paper;
  c.fillRect(0, 0, out.width, out.height);
  for (const canvas of paint(f)) c.drawImage(canvas, 0, 0);
  c.setTransform(scale, 0, 0, scale, 0, 0);
  c.font = '600 13px system-ui, sans-serif';
  const lines = runs.map((r) => `${r.label}: loss ${fmt.short(r.losses[r.losses.length - 1])}${r.divergedAt !== null ? ' (diverged)' : ''}`);
  const title = `step ${fmt.count(steps)}`;
  const bw = Math.max(...[title, ...lines].map((t) => c.measureText(t).width)) + 34;
  const bh = 22 + lines.length * 18;
  const x0 = f.plot.left + f.plot.width - bw - 8;
  const y0 = f.plot.top + 8;
  c.globalAlpha = 0.9;
  c.fillStyle = th.paper;
  c.fillRect(x0, y0, bw, bh);
  c.globalAlpha = 1;
  c.fillStyle = th.ink;
  c.textBaseline = 'middle';
  c.fillText(title, x0 + 8, y0 + 11);
  runs.forEach((r, i) => {
    const y = y0 + 29 + i * 18;
    c.fillStyle = r.color;
    c.fillRect(x0 + 8, y - 5, 16, 10);
    c.fillStyle = th.ink;
    c.fillText(lines[i], x0 + 28, y);
  });
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}
