// One hidden neuron's activation over the input plane (issue 17), as the layer inspector shows it:
// an nx × ny grid from Session.neuronGrid (row 0 at ymin, drawn at the bottom), one canvas pixel
// per sample, scaled by CSS. Colours are symmetric about 0 with the neuron's own largest |value|
// as the end of the scale (red negative, blue positive, white 0), so a relu's dead region is white.
import { interpolateRdBu } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

// The colour scale in 256 steps, parsed once (a map redraws several times a second while playing).
const STEPS = 256;
let table = null;
function colors() {
  if (!table) {
    table = new Uint8ClampedArray(3 * STEPS);
    for (let k = 0; k < STEPS; k++) {
      const c = rgb(interpolateRdBu(k / (STEPS - 1)));
      table.set([c.r, c.g, c.b], 3 * k);
    }
  }
  return table;
}

// data: {values: Float64Array, offset (this neuron's first sample), nx, ny}; returns the largest |value|.
export function drawNeuronMap(ctx, data) {
  const { values, offset, nx, ny } = data;
  let top = 0;
  for (let k = 0; k < nx * ny; k++) {
    const a = Math.abs(values[offset + k]);
    if (Number.isFinite(a)) top = Math.max(top, a); // a diverged net's NaN leaves its cells white
  }
  const lut = colors();
  const img = ctx.createImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = values[offset + j * nx + i];
      const t = Number.isFinite(v) ? (top > 0 ? 0.5 + v / (2 * top) : 0.5) : 0.5;
      const c = 3 * Math.round(t * (STEPS - 1));
      const at = 4 * ((ny - 1 - j) * nx + i);
      img.data[at] = lut[c];
      img.data[at + 1] = lut[c + 1];
      img.data[at + 2] = lut[c + 2];
      img.data[at + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return top;
}
