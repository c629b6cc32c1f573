// Colours: run colours from the Okabe-Ito palette (told apart by people with any common colour
// vision deficiency) and the landscape's perceptual scale (viridis: lightness rises steadily with the
// loss, so the plot also reads in greyscale and on a washed-out projector).
import { interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

// Ordered so the first four (the default lesson) are the most distinct from each other and from
// the landscape behind them. The last two are not Okabe-Ito's yellow and black: yellow vanished
// on the map's top bands and black read as the update arrow's ink; brown and wine are far (CIELAB)
// from both the map and the arrows.
export const RUN_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#8c510a', '#882255'];

export const RUN_COLOR_NAMES = {
  '#0072b2': 'blue', '#e69f00': 'orange', '#009e73': 'green', '#cc79a7': 'pink',
  '#d55e00': 'vermillion', '#56b4e9': 'sky blue', '#8c510a': 'brown', '#882255': 'wine',
};

// The first palette colour no run uses yet (a new run should not look like an old one).
export function nextRunColor(usedColors) {
  const used = new Set(usedColors.map((c) => c.toLowerCase()));
  return RUN_COLORS.find((c) => !used.has(c)) ?? RUN_COLORS[used.size % RUN_COLORS.length];
}

// Landscape fill for t in [0, 1] (0 = lowest level). Viridis mixed a little toward white, so the
// saturated run colours stay the most prominent thing on the plot.
export function landscapeColor(t) {
  const c = rgb(interpolateViridis(Math.min(1, Math.max(0, t))));
  const mix = 0.28;
  c.r += (255 - c.r) * mix;
  c.g += (255 - c.g) * mix;
  c.b += (255 - c.b) * mix;
  return c.formatHex();
}

// Text colour for a label drawn on top of a given hex colour.
export function inkOn(hex) {
  const c = rgb(hex);
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b > 150 ? '#111111' : '#ffffff';
}
