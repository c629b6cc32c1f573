// "Backprop you can watch": the computational graph of one forward and backward pass (the C++ tape's
// nodes from Session.trace), laid out left to right in tape order. Each node shows its name and
// shape and, once the pass has reached it, its value (forward) and its gradient ∂L/∂node (backward).
// Pure: layoutGraph() places the nodes (the caller uses the boxes for pointing too) and drawGraph()
// draws them.
import * as fmt from '../format.js';
import { theme, font } from '../theme.js';

const BOX_H = 74;
const BOX_W = 92;
const MIN_BOX_W = 84; // the narrowest box that still shows two numbers a line at 10 px
const GAP_X = 10;
const GAP_Y = 22; // room for the edges between rows
const SHOW = 4; // numbers shown per box; bigger matrices show their first few and a count

// Column of each node: inputs and parameters just left of their first use, every other node one
// column right of its rightmost parent. Left to right when the columns fit `width` at full box
// width; otherwise top to bottom (a column becomes a row, its nodes side by side), so a deep
// network fits a narrow box at a readable size instead of running off its right edge.
// Returns [{node, x, y, w, h, vertical}] in tape order.
// k: the size of type and boxes (theme().font: 1, larger in projector mode).
export function layoutGraph(nodes, width, k = 1) {
  const col = new Array(nodes.length).fill(0);
  nodes.forEach((n, i) => {
    if (n.parents.length) col[i] = 1 + Math.max(...n.parents.map((p) => col[p]));
  });
  nodes.forEach((n, i) => {
    if (n.parents.length) return;
    const users = nodes.filter((m) => m.parents.includes(i)).map((m) => col[m.index]);
    if (users.length) col[i] = Math.max(0, Math.min(...users) - 1);
  });
  const ncols = Math.max(...col) + 1;
  const rows = new Array(ncols).fill(0);
  const slot = nodes.map((_, i) => rows[col[i]]++);
  // Boxes wide enough for two numbers a line.
  const w = Math.round(BOX_W * k);
  const h = BOX_H * k;
  const top = Math.round(24 * k);
  if (ncols * (w + 14) - 14 <= width) {
    const stepX = Math.max(w + 14, (width - w) / Math.max(1, ncols - 1));
    return nodes.map((node, i) => ({
      node, x: Math.round(col[i] * stepX), y: top + slot[i] * (h + 14), w, h, k, vertical: false,
    }));
  }
  const most = Math.max(...rows);
  const room = width - 2; // graphWidth() adds 2 px for the outlines
  const bw = Math.max(Math.round(MIN_BOX_W * k), Math.min(Math.round((BOX_W + 28) * k), Math.floor((room - (most - 1) * GAP_X) / most)));
  return nodes.map((node, i) => {
    const across = rows[col[i]] * bw + (rows[col[i]] - 1) * GAP_X;
    const left = Math.max(0, Math.floor((room - across) / 2));
    return { node, x: Math.round(left + slot[i] * (bw + GAP_X)), y: top + col[i] * (h + GAP_Y), w: bw, h, k, vertical: true };
  });
}

export function graphHeight(boxes) {
  return Math.max(...boxes.map((b) => b.y + b.h)) + 8;
}

export function graphWidth(boxes) {
  return Math.max(...boxes.map((b) => b.x + b.w)) + 2;
}

// data: {boxes (layoutGraph), forward: how many nodes have their value (tape order from the
// start), backward: how many have their gradient (from the end), focus: index | null}
// view: {width, height, dpr}
export function drawGraph(ctx, data, view) {
  ctx.setTransform(view.dpr, 0, 0, view.dpr, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  const n = data.boxes.length;
  const hasValue = (i) => i < data.forward;
  const hasGrad = (i) => i >= n - data.backward;
  ctx.font = font(11);
  ctx.fillStyle = theme().muted;
  ctx.textBaseline = 'top';
  const vertical = data.boxes[0]?.vertical;
  ctx.fillText(vertical ? 'forward: values ↓' : 'forward: values →', 0, 2);
  ctx.textAlign = 'right';
  ctx.fillText(vertical ? '↑ backward: ∂L/∂node' : '← backward: ∂L/∂node', view.width, 2);
  ctx.textAlign = 'left';
  // Edges first, each from a parent's right edge to its child's left edge.
  for (const b of data.boxes) {
    for (const p of b.node.parents) {
      const a = data.boxes[p];
      const lit = hasGrad(b.node.index) && data.backward > 0;
      ctx.strokeStyle = lit ? '#c4001a' : hasValue(b.node.index) ? '#0b57d0' : '#b8b8c4';
      ctx.lineWidth = 1.3;
      ctx.beginPath();
      if (vertical) {
        // From the parent's bottom edge to the child's top edge (a child is always rows below).
        const x0 = a.x + a.w / 2;
        const y0 = a.y + a.h;
        const x1 = b.x + b.w / 2;
        const y1 = b.y;
        ctx.moveTo(x0, y0);
        ctx.bezierCurveTo(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2, x1, y1);
      } else {
        const x0 = a.x + a.w;
        const y0 = a.y + a.h / 2;
        const x1 = b.x;
        const y1 = b.y + b.h / 2;
        ctx.moveTo(x0, y0);
        ctx.bezierCurveTo((x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
      }
      ctx.stroke();
    }
  }
  for (const b of data.boxes) {
    const i = b.node.index;
    const focus = data.focus === i;
    // The box's contents at their base size, scaled with it (projector mode lays out bigger boxes).
    const k = b.k ?? 1;
    const w = b.w / k;
    ctx.save();
    ctx.translate(b.x, b.y);
    ctx.scale(k, k);
    ctx.fillStyle = b.node.param ? '#fff8e6' : '#ffffff';
    ctx.fillRect(0, 0, w, BOX_H);
    ctx.strokeStyle = focus ? '#111' : b.node.param ? '#c98d00' : '#8a8a95';
    ctx.lineWidth = focus ? 2.5 : 1;
    ctx.strokeRect(0.5, 0.5, w - 1, BOX_H - 1);
    ctx.fillStyle = '#1a1a1a';
    ctx.font = '600 11px system-ui, sans-serif';
    clipText(ctx, `${b.node.name || b.node.op}`, 4, 3, w - 8);
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = '#555';
    clipText(ctx, `${b.node.op} ${b.node.shape[0]}×${b.node.shape[1]}`, 4, 16, w - 8);
    ctx.font = '10px ui-monospace, "DejaVu Sans Mono", monospace';
    ctx.fillStyle = '#0b57d0';
    const v = hasValue(i) ? lines(b.node.value) : ['·', ''];
    clipText(ctx, v[0], 4, 29, w - 8);
    clipText(ctx, v[1], 4, 40, w - 8);
    ctx.fillStyle = '#c4001a';
    const g = hasGrad(i) ? lines(b.node.grad) : ['', ''];
    clipText(ctx, g[0], 4, 52, w - 8);
    clipText(ctx, g[1], 4, 62, w - 8);
    ctx.restore();
  }
}

// The first few entries of a matrix (row by row) on two lines, and how many more there are.
function lines(m) {
  const flat = m.flat().map((v) => fmt.short(v, 3));
  const more = flat.length > SHOW ? ` +${flat.length - SHOW}` : '';
  return [flat.slice(0, 2).join(' '), flat.slice(2, SHOW).join(' ') + more];
}

function clipText(ctx, text, x, y, w) {
  let t = text;
  while (t.length > 1 && ctx.measureText(t).width > w) t = t.slice(0, -1);
  if (t !== text) t = `${t.slice(0, -1)}…`;
  ctx.fillText(t, x, y);
}

// Which box a css point is in (null: none).
export function boxAt(boxes, x, y) {
  const b = boxes.find((q) => x >= q.x && x <= q.x + q.w && y >= q.y && y <= q.y + q.h);
  return b ? b.node.index : null;
}
