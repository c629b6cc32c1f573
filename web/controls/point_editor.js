// Click-to-add on a decision-boundary panel (issue 17), while "Edit points" is on: a click adds a
// point of the chosen class, a drag moves the point under the pointer, Shift-click or right-click
// removes it. Each change goes to the ctx, which makes it a new problem (so the runs restart from
// step 0); a drag moves at most once per animation frame. Coordinates are the plot's (u, v): a
// point's (x1, x2) on a boundary, (x1, y) on a regression curve.
import { editor } from '../own_data.js';

// ctx: {box() -> the plot's box {xmin, xmax, ymin, ymax} in (u, v), coords() -> [[u, v], ...] of
//       every point in list order, add(u, v), move(index, u, v), remove(index)}
export function attachPointEditor(el, ctx) {
  let drag = null; // {index, box, at: [u, v]}
  let frame = 0;

  const geometry = (box) => {
    const r = el.getBoundingClientRect();
    return {
      toData: (e) => [box.xmin + ((e.clientX - r.left) / r.width) * (box.xmax - box.xmin),
        box.ymax - ((e.clientY - r.top) / r.height) * (box.ymax - box.ymin)],
      toPx: ([x, y]) => [((x - box.xmin) / (box.xmax - box.xmin)) * r.width, ((box.ymax - y) / (box.ymax - box.ymin)) * r.height],
      at: (e) => [e.clientX - r.left, e.clientY - r.top],
    };
  };

  // A lesson link that locks the problem locks its data too.
  const active = () => editor.on && !el.closest('.teach-locked');
  el.addEventListener('contextmenu', (e) => { if (active()) e.preventDefault(); });
  el.addEventListener('pointerdown', (e) => {
    if (!active()) return;
    e.preventDefault();
    e.stopPropagation();
    const box = ctx.box();
    const g = geometry(box);
    const coords = ctx.coords();
    const [px, py] = g.at(e);
    const hit = nearest(coords, px, py, g.toPx);
    if (e.shiftKey || e.button === 2) {
      if (hit >= 0 && coords.length > 1) ctx.remove(hit);
      return;
    }
    if (hit >= 0) {
      drag = { index: hit, box, at: coords[hit], moved: false };
      el.setPointerCapture?.(e.pointerId);
      return;
    }
    ctx.add(...g.toData(e).map(round));
  });
  el.addEventListener('pointermove', (e) => {
    if (!drag) return;
    drag.at = geometry(drag.box).toData(e).map(round);
    drag.moved = true;
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (drag) ctx.move(drag.index, ...drag.at);
      });
    }
  });
  const end = () => {
    if (!drag) return;
    const { index, at, moved } = drag;
    drag = null;
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    // A press and release without moving leaves the data (and the runs) as they are.
    if (moved) ctx.move(index, ...at);
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', end);
  // Clicks that edit points do not also select the run.
  el.addEventListener('click', (e) => { if (active()) e.stopPropagation(); }, true);
}

// The index of the point nearest (px, py) within `radius` pixels, or -1.
function nearest(coords, px, py, toPx, radius = 8) {
  let best = -1;
  let bestD = radius * radius;
  coords.forEach((c, k) => {
    const [qx, qy] = toPx(c);
    const d = (qx - px) ** 2 + (qy - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = k;
    }
  });
  return best;
}

// Four decimals: a pixel of a panel is about 0.01 of the data's box; a short link.
function round(v) {
  return Math.round(v * 1e4) / 1e4;
}
