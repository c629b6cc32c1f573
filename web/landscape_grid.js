// The landscape's values for the contour, from the core: a grid at CELL_PX css pixels per sample
// over the frame's box, and where contour lines crowd closer than a cell (a narrow valley floor),
// finer grids of those tiles at DETAIL_PX. The page computes none of the values itself.
import { detailCells } from './render/contour.js';
import { GridBuffers } from './grid_buffers.js';

// d3-contour is the cost, so while the view is moving the grid is coarser and has no detail.
const CELL_PX = 4;
const CELL_PX_MOVING = 6;
const DETAIL_PX = 1;
// A detail grid reaches this many samples past its tile, so the outlines its border would draw
// fall outside the tile, where drawContour clips them away.
const DETAIL_MARGIN = 2;
// The grids' storage, reused from one contour to the next (each is drawn before the next is made).
const buffers = new GridBuffers();

// session: engine.js's Session; frame: from frame.js; look: {logScale, minima, axes}. Returns
// drawContour's data (samples at cell centres, so the bands line up with the axes exactly).
export function contourGrid(session, frame, { moving, logScale, minima, axes }) {
  const cell = moving ? CELL_PX_MOVING : CELL_PX;
  const nx = Math.max(8, Math.round(frame.plot.width / cell));
  const ny = Math.max(8, Math.round(frame.plot.height / cell));
  const dx = (frame.box.xmax - frame.box.xmin) / nx;
  const dy = (frame.box.ymax - frame.box.ymin) / ny;
  const values = session.grid({
    xmin: frame.box.xmin + dx / 2, xmax: frame.box.xmax - dx / 2,
    ymin: frame.box.ymin + dy / 2, ymax: frame.box.ymax - dy / 2,
  }, nx, ny, buffers.take('view', nx * ny));
  const data = { values, nx, ny, logScale, minima, axes };
  if (moving) return data;
  data.detail = detailCells(data).map((t, k) => {
    const mx = Math.max(2, Math.round(((t.i1 - t.i0) * frame.plot.width) / nx / DETAIL_PX));
    const my = Math.max(2, Math.round(((t.j1 - t.j0) * frame.plot.height) / ny / DETAIL_PX));
    const ex = ((t.i1 - t.i0) * dx) / mx;
    const ey = ((t.j1 - t.j0) * dy) / my;
    const x0 = frame.box.xmin + t.i0 * dx - DETAIL_MARGIN * ex;
    const y0 = frame.box.ymin + t.j0 * dy - DETAIL_MARGIN * ey;
    const gx = mx + 2 * DETAIL_MARGIN;
    const gy = my + 2 * DETAIL_MARGIN;
    const box = { xmin: x0 + ex / 2, xmax: x0 + (gx - 0.5) * ex, ymin: y0 + ey / 2, ymax: y0 + (gy - 0.5) * ey };
    return { ...t, values: session.grid(box, gx, gy, buffers.take(`detail ${k}`, gx * gy)), nx: gx, ny: gy, margin: DETAIL_MARGIN };
  });
  return data;
}
