// The one place a canvas is sized: its backing store is its css box times the device's pixel
// ratio, so lines stay sharp on every screen. Resizing clears a canvas, so callers redraw on change.

export function pixelRatio() {
  return window.devicePixelRatio || 1;
}

// An element's css box in whole pixels, with the ratio to draw it at: {w, h, dpr}.
export function cssBox(el) {
  const r = el.getBoundingClientRect();
  return { w: Math.round(r.width), h: Math.round(r.height), dpr: pixelRatio() };
}

// Sizes `canvas` to box (default: its own css box) at box.dpr; true if its size changed.
export function fitCanvas(canvas, box = cssBox(canvas)) {
  const width = Math.max(1, Math.round(box.w * box.dpr));
  const height = Math.max(1, Math.round(box.h * box.dpr));
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}
