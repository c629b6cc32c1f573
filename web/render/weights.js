// One layer's weight matrix W [out][in] as a grid of cells (blue positive, orange negative, white
// zero; scaled to the layer's largest magnitude), with the picked weight outlined. Pure.
import { interpolateRdBu } from 'd3-scale-chromatic';

// data: {weights: Float64Array (flat), offset, rows, cols, cell (css px), picked: flat index | null}
export function drawWeightMap(ctx, data, dpr) {
  const { rows, cols, cell, offset, weights } = data;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  let max = 0;
  for (let k = 0; k < rows * cols; k++) max = Math.max(max, Math.abs(weights[offset + k]));
  for (let o = 0; o < rows; o++) {
    for (let i = 0; i < cols; i++) {
      const w = weights[offset + o * cols + i];
      ctx.fillStyle = interpolateRdBu(0.5 + (max > 0 ? w / max : 0) * 0.5);
      ctx.fillRect(i * cell, o * cell, cell, cell);
    }
  }
  const p = data.picked;
  if (p !== null && p >= offset && p < offset + rows * cols) {
    const o = Math.floor((p - offset) / cols);
    const i = (p - offset) % cols;
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2;
    ctx.strokeRect(i * cell + 1, o * cell + 1, cell - 2, cell - 2);
  }
}
