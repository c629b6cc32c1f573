// One run's decision boundary (or fitted surface, for regression) as a heatmap under the data points.
// The heatmap is painted at the grid's own resolution into a small canvas that CSS scales up (the
// core's predictGrid is the cost; pixels are cheap); the points go on a second, full-resolution
// canvas above it. Pure: draws what it is given and keeps nothing.
import { interpolateRdBu } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

// Class colours (orange / blue first, as in TensorFlow Playground), then Okabe-Ito's others.
export const CLASS_COLORS = ['#f59322', '#0877bd', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000'];
const CLASS_RGB = CLASS_COLORS.map((c) => rgb(c));

// data: {values: Float64Array 2·nx·ny from predictGrid (values, then classes; row j = y ascending),
//        nx, ny, classes (0 = regression), loss, range: [lo, hi] of the regression targets}
// ctx: a context whose canvas is nx × ny pixels.
export function drawHeatmap(ctx, data) {
  const { nx, ny, values } = data;
  const img = ctx.createImageData(nx, ny);
  const n = nx * ny;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const [r, g, b] = cellColor(values[k], values[n + k], data);
      const o = ((ny - 1 - j) * nx + i) * 4; // image rows go down, grid rows go up
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

// The colour of one sample: for bce the blend from class 0 to class 1 by P(class 1); for softmax
// the predicted class, paler where the network is less sure; for regression a diverging scale.
function cellColor(value, label, data) {
  if (!Number.isFinite(value)) return [200, 200, 200];
  if (data.classes === 0) {
    const [lo, hi] = data.range;
    const t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
    const c = rgb(interpolateRdBu(1 - Math.min(1, Math.max(0, t))));
    return pale([c.r, c.g, c.b], 0.35);
  }
  if (data.loss === 'bce' || data.loss === 'mse') {
    const p = Math.min(1, Math.max(0, value));
    const a = CLASS_RGB[0];
    const b = CLASS_RGB[1];
    // Through white at p = 0.5, so the boundary is the palest line.
    const w = Math.abs(p - 0.5) * 2;
    const c = p < 0.5 ? a : b;
    return pale([c.r, c.g, c.b], 1 - 0.75 * w);
  }
  const c = CLASS_RGB[label % CLASS_RGB.length];
  const k = Math.max(2, data.classes);
  const sure = Math.min(1, Math.max(0, (value - 1 / k) / (1 - 1 / k)));
  return pale([c.r, c.g, c.b], 1 - 0.75 * sure);
}

function pale([r, g, b], mix) {
  return [r + (255 - r) * mix, g + (255 - g) * mix, b + (255 - b) * mix];
}

// The data points over the heatmap. data: {train: {x, y}, test: {x, y} | null, classes, range,
// highlight: Int32Array | null (training rows of the current mini-batch)}; view: {width, height, dpr,
// box}: the css size and the (x, y) box the heatmap covers.
export function drawPoints(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const { box } = view;
  const px = (x) => ((x - box.xmin) / (box.xmax - box.xmin)) * view.width;
  const py = (y) => view.height - ((y - box.ymin) / (box.ymax - box.ymin)) * view.height;
  const r = view.width < 140 ? 2.2 : 3;
  const fill = (y) => {
    if (data.classes !== 0) return CLASS_COLORS[y % CLASS_COLORS.length];
    const [lo, hi] = data.range;
    return interpolateRdBu(1 - (hi > lo ? (y - lo) / (hi - lo) : 0.5));
  };
  const dim = data.highlight && data.highlight.length > 0;
  ctx.lineWidth = 1;
  // Test points hollow: held out, never trained on.
  if (data.test) {
    data.test.x.forEach(([x, y], k) => {
      ctx.beginPath();
      ctx.arc(px(x), py(y), r, 0, 2 * Math.PI);
      ctx.strokeStyle = fill(data.test.y[k]);
      ctx.globalAlpha = dim ? 0.35 : 0.9;
      ctx.stroke();
    });
  }
  data.train.x.forEach(([x, y], k) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), r, 0, 2 * Math.PI);
    ctx.fillStyle = fill(data.train.y[k]);
    ctx.globalAlpha = dim ? 0.3 : 1;
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  });
  ctx.globalAlpha = 1;
  if (dim) {
    // The mini-batch: full colour, ringed in black, drawn last so nothing covers it.
    for (const k of data.highlight) {
      const [x, y] = data.train.x[k];
      ctx.beginPath();
      ctx.arc(px(x), py(y), r + 1, 0, 2 * Math.PI);
      ctx.fillStyle = fill(data.train.y[k]);
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#111111';
      ctx.stroke();
    }
  }
}

// Regression on the line x2 = 0 (the linear and sine sets): the fitted curve y = f(x1) over the
// points. data: {xs: Float64Array (x1 samples), ys: Float64Array (the network's output there),
// train: {x, y}, test, range: [lo, hi] of the targets}; view: {width, height, dpr, box}.
// The y extent a regression curve is drawn over: the targets' range with 15% of it either side.
export function curveYRange([lo, hi]) {
  const pad = (hi - lo) * 0.15 || 1;
  return [lo - pad, hi + pad];
}

export function drawCurve(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, view.width, view.height);
  const [ylo, yhi] = curveYRange(data.range);
  const px = (x) => ((x - view.box.xmin) / (view.box.xmax - view.box.xmin)) * view.width;
  const py = (y) => view.height - ((Math.min(yhi, Math.max(ylo, y)) - ylo) / (yhi - ylo)) * view.height;
  ctx.strokeStyle = '#ccc';
  ctx.beginPath();
  ctx.moveTo(0, py(0));
  ctx.lineTo(view.width, py(0));
  ctx.stroke();
  const dot = (x, y, fill) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), 2.5, 0, 2 * Math.PI);
    if (fill) {
      ctx.fillStyle = '#0877bd';
      ctx.fill();
    } else {
      ctx.strokeStyle = '#0877bd';
      ctx.stroke();
    }
  };
  data.train.x.forEach(([x], k) => dot(x, data.train.y[k], true));
  data.test?.x.forEach(([x], k) => dot(x, data.test.y[k], false));
  if (data.highlight) {
    ctx.strokeStyle = '#111';
    for (const k of data.highlight) {
      ctx.beginPath();
      ctx.arc(px(data.train.x[k][0]), py(data.train.y[k]), 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  ctx.strokeStyle = '#f59322';
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  data.xs.forEach((x, k) => (k ? ctx.lineTo(px(x), py(data.ys[k])) : ctx.moveTo(px(x), py(data.ys[k]))));
  ctx.stroke();
  ctx.lineWidth = 1;
}
