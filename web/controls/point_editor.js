// Click-to-add on a decision-boundary panel (issue 17), while "Edit points" is on: a click adds a
// point of the chosen class, a drag moves the point under the pointer, Shift-click or right-click
// removes it. Each change is handed to commit(points), which makes it a new problem (so the runs
// restart from step 0); a drag commits at most once per animation frame.
import { editor, nearestPoint } from '../own_data.js';

// ctx: {box() -> the panel's data box {xmin, xmax, ymin, ymax}, points() -> {x, y} in list order,
//       commit(points)}
export function attachPointEditor(el, ctx) {
  let drag = null; // {index, box, points}
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

  el.addEventListener('contextmenu', (e) => { if (editor.on) e.preventDefault(); });
  el.addEventListener('pointerdown', (e) => {
    if (!editor.on) return;
    e.preventDefault();
    e.stopPropagation();
    const box = ctx.box();
    const g = geometry(box);
    const points = structuredClone(ctx.points());
    const [px, py] = g.at(e);
    const hit = nearestPoint(points, px, py, g.toPx);
    if (e.shiftKey || e.button === 2) {
      if (hit < 0 || points.x.length <= 1) return;
      points.x.splice(hit, 1);
      points.y.splice(hit, 1);
      ctx.commit(points);
      return;
    }
    if (hit >= 0) {
      drag = { index: hit, box, points };
      el.setPointerCapture?.(e.pointerId);
      return;
    }
    points.x.push(g.toData(e).map(round));
    points.y.push(editor.cls);
    ctx.commit(points);
  });
  el.addEventListener('pointermove', (e) => {
    if (!drag) return;
    drag.points.x[drag.index] = geometry(drag.box).toData(e).map(round);
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (drag) ctx.commit(structuredClone(drag.points));
      });
    }
  });
  const end = () => {
    if (!drag) return;
    const last = drag.points;
    drag = null;
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    ctx.commit(last);
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', end);
  // Clicks that edit points do not also select the run.
  el.addEventListener('click', (e) => { if (editor.on) e.stopPropagation(); }, true);
}

// Four decimals: a pixel of a panel is about 0.01 of the data's box; a short link.
function round(v) {
  return Math.round(v * 1e4) / 1e4;
}
