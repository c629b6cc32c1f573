// A map's colours: what each cell's row (the core's numbers) looks like. Steps to tolerance and
// final losses on viridis (low = dark, as the landscape's own colours), the loss on a log scale;
// basins by minimum, from a qualitative scheme; diverged cells and runs that never reached the
// tolerance in colours of their own, outside both. Pure: no DOM.
import { interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export const DIVERGED = '#d62728';
export const NEVER = '#bdbdbd';

const toRgb = (hex) => {
  const c = rgb(hex);
  return [c.r, c.g, c.b, 255];
};
const DIVERGED_RGB = toRgb(DIVERGED);
const NEVER_RGB = toRgb(NEVER);

// The colour of basin k (k-th minimum or cluster).
export function basinColor(k) {
  return schemeTableau10[k % schemeTableau10.length];
}

// rows: Float64Array, 5 per cell (value, diverged_at, final_loss, end x, end y); done: which cells
// are computed. values: optional override of each cell's value (a formula's basins, clustered by
// the core once the rows are put together). Returns {measure, color(c) -> [r, g, b, a], legend}.
export function mapScale({ measure, steps, minima }, rows, done, values = null) {
  const value = (c) => (values ? values[c] : rows[5 * c]);
  if (measure === 'basin') {
    let most = -1;
    for (let c = 0; c < done.length; c++) if (done[c] && Number.isFinite(value(c))) most = Math.max(most, value(c));
    const cache = new Map();
    const colorOf = (k) => {
      if (!cache.has(k)) cache.set(k, toRgb(basinColor(k)));
      return cache.get(k);
    };
    return {
      measure,
      color(c) {
        if (rows[5 * c + 1] >= 0) return DIVERGED_RGB;
        const v = value(c);
        return Number.isFinite(v) ? colorOf(v) : NEVER_RGB;
      },
      legend: {
        kind: 'basin',
        basins: Array.from({ length: most + 1 }, (_, k) => ({ color: basinColor(k), point: minima?.[k] ?? null })),
      },
    };
  }
  const log = measure === 'final_loss';
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < done.length; c++) {
    const v = value(c);
    if (!done[c] || !Number.isFinite(v) || (log && !(v > 0))) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (measure === 'steps') {
    lo = 0;
    hi = steps;
  }
  const f = (v) => (log ? Math.log10(v) : v);
  const t = (v) => {
    if (!(hi > lo)) return 0.5;
    return Math.min(1, Math.max(0, (f(v) - f(lo)) / (f(hi) - f(lo))));
  };
  return {
    measure,
    color(c) {
      if (rows[5 * c + 1] >= 0) return DIVERGED_RGB;
      const v = value(c);
      if (!Number.isFinite(v)) return NEVER_RGB;
      if (log && !(v > 0)) return toRgb(interpolateViridis(0));
      const k = rgb(interpolateViridis(t(v)));
      return [k.r, k.g, k.b, 255];
    },
    legend: {
      kind: 'ramp',
      log,
      from: Number.isFinite(lo) ? lo : null,
      to: Number.isFinite(hi) ? hi : null,
      stops: Array.from({ length: 11 }, (_, k) => interpolateViridis(k / 10)),
      never: measure === 'steps',
    },
  };
}
