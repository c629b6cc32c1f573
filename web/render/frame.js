// The one mapping between the landscape's (x, y) and canvas pixels, shared by every landscape layer
// and by main.js for clicks, drags and zooms. x and y get the same scale, so circles stay round and
// the gradient looks perpendicular to the contour lines, as it is.

export const MARGIN = { left: 52, right: 10, top: 10, bottom: 34 };

// A frame for a canvas of css size width x height showing at least the view box `view`; the box
// is widened in x or y (about its centre) to fill the plot area at equal scale.
export function makeFrame(width, height, dpr, view, margin = MARGIN) {
  const plot = {
    left: margin.left,
    top: margin.top,
    width: Math.max(10, width - margin.left - margin.right),
    height: Math.max(10, height - margin.top - margin.bottom),
  };
  const cx = (view.xmin + view.xmax) / 2;
  const cy = (view.ymin + view.ymax) / 2;
  const scale = Math.min(plot.width / (view.xmax - view.xmin), plot.height / (view.ymax - view.ymin));
  const hw = plot.width / scale / 2;
  const hh = plot.height / scale / 2;
  const box = { xmin: cx - hw, xmax: cx + hw, ymin: cy - hh, ymax: cy + hh };
  return { width, height, dpr, plot, box, scale };
}

export function toPixel(frame, x, y) {
  return [
    frame.plot.left + (x - frame.box.xmin) * frame.scale,
    frame.plot.top + (frame.box.ymax - y) * frame.scale,
  ];
}

export function toData(frame, px, py) {
  return [
    frame.box.xmin + (px - frame.plot.left) / frame.scale,
    frame.box.ymax - (py - frame.plot.top) / frame.scale,
  ];
}

export function inPlot(frame, px, py) {
  const p = frame.plot;
  return px >= p.left && px <= p.left + p.width && py >= p.top && py <= p.top + p.height;
}

// Prepares a canvas context for drawing in css pixels at the device's resolution.
export function begin(ctx, frame) {
  ctx.setTransform(frame.dpr, 0, 0, frame.dpr, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);
}

export function clipToPlot(ctx, frame) {
  const p = frame.plot;
  ctx.beginPath();
  ctx.rect(p.left, p.top, p.width, p.height);
  ctx.clip();
}
