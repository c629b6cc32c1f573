// The backprop panel: a training point, Forward / Backward / Next node / Clear, the graph, and the
// chain-rule product for the node under the pointer (or the last one filled). Every number is the
// C++ tape's (Session.trace); this panel only decides how many nodes are shown filled.
import { h } from './dom.js';
import { fitCanvas, pixelRatio } from '../canvas_fit.js';
import { listeners } from '../panel.js';
import { layoutGraph, graphHeight, graphWidth, drawGraph, boxAt } from '../render/backprop.js';
import * as fmt from '../format.js';

const NODE_MS = 220; // one node per this many ms when a pass is played

// ctx: {setRow(row), maxRow()}; the caller hands each new trace to update(trace).
export function mountBackprop(controls, canvas, chain, ctx) {
  const off = listeners();
  const ui = { trace: null, boxes: [], forward: 0, backward: 0, hover: null, timer: 0, row: 0 };
  const row = h('input', { type: 'number', min: 0, step: 1, value: '0', 'aria-label': 'Training point to trace' });
  row.addEventListener('change', () => {
    const v = Number(row.value);
    if (Number.isInteger(v) && v >= 0 && v < ctx.maxRow()) {
      row.removeAttribute('aria-invalid');
      ui.row = v;
      ctx.setRow(v);
    } else {
      row.setAttribute('aria-invalid', 'true');
      chain.replaceChildren(h('p', { class: 'run-error' }, `training point: expected a whole number from 0 to ${ctx.maxRow() - 1}`));
    }
  });
  const n = () => ui.boxes.length;
  const play = (fn) => {
    clearInterval(ui.timer);
    ui.timer = setInterval(() => {
      if (!fn()) clearInterval(ui.timer);
      paint();
    }, NODE_MS);
  };
  const forwardOne = () => (ui.forward < n() ? (ui.forward += 1, true) : false);
  const backwardOne = () => (ui.forward >= n() && ui.backward < n() ? (ui.backward += 1, true) : false);
  controls.append(
    h('label', {}, 'Point ', row),
    h('button', { type: 'button', onclick: () => { ui.backward = 0; ui.forward = 0; play(forwardOne); } }, 'Forward'),
    h('button', { type: 'button', onclick: () => { ui.forward = n(); ui.backward = 0; play(backwardOne); } }, 'Backward'),
    h('button', { type: 'button', onclick: () => { clearInterval(ui.timer); if (!forwardOne()) backwardOne(); paint(); } }, 'Next node'),
    h('button', { type: 'button', onclick: () => { clearInterval(ui.timer); ui.forward = ui.backward = 0; paint(); } }, 'Clear'),
  );

  off.on(canvas, 'pointermove', (e) => {
    const r = canvas.getBoundingClientRect();
    const hit = boxAt(ui.boxes, e.clientX - r.left, e.clientY - r.top);
    if (hit !== ui.hover) {
      ui.hover = hit;
      paint();
    }
  });
  off.on(canvas, 'pointerleave', () => {
    ui.hover = null;
    paint();
  });

  function paint() {
    if (!ui.trace) return;
    const room = Math.max(300, Math.round(canvas.parentElement.getBoundingClientRect().width));
    ui.boxes = layoutGraph(ui.trace.nodes, room);
    const width = Math.max(room, graphWidth(ui.boxes));
    const height = graphHeight(ui.boxes);
    const dpr = pixelRatio();
    if (fitCanvas(canvas, { w: width, h: height, dpr })) {
      canvas.style.height = `${height}px`;
      canvas.style.width = `${width}px`;
    }
    const focus = ui.hover ?? lastFilled();
    drawGraph(canvas.getContext('2d'), { boxes: ui.boxes, forward: ui.forward, backward: ui.backward, focus }, { width, height, dpr });
    explain(focus);
  }

  function lastFilled() {
    if (ui.backward > 0) return n() - ui.backward;
    if (ui.forward > 0) return ui.forward - 1;
    return null;
  }

  // The chain rule for node i: ∂L/∂i as the sum over the nodes that use i, each term the user's
  // gradient times the local derivative of that op. All numbers are read from the trace.
  function explain(i) {
    const nodes = ui.trace.nodes;
    if (i === null || i === undefined) {
      chain.replaceChildren(h('p', { class: 'hint' },
        `Loss on point ${ui.trace.rows.join(', ')}: ${fmt.exact(ui.trace.loss)}. Press Forward, then Backward, or point at a node.`));
      return;
    }
    const node = nodes[i];
    const name = node.name || node.op;
    const vals = (m) => h('code', {}, `[${m.flat().map((v) => fmt.short(v, 5)).join(', ')}]`);
    const parts = [h('p', {}, h('strong', {}, name), ` (${node.op}, ${node.shape[0]}×${node.shape[1]})`,
      node.param ? ` — layer ${node.param.layer} ${node.param.kind}s` : '')];
    const n1 = nodes.length;
    if (i < ui.forward) parts.push(h('p', {}, 'value ', vals(node.value)));
    if (i >= n1 - ui.backward) {
      const users = nodes.filter((m) => m.parents.includes(i));
      if (users.length === 0) {
        parts.push(h('p', {}, '∂L/∂L = 1: the backward pass starts here.'));
      } else {
        const terms = users.map((u) => term(u, node));
        parts.push(h('p', {}, `∂L/∂${name} = `, terms.map((t) => t.text).join(' + ')));
        for (const t of terms) parts.push(h('p', {}, `with ∂L/∂${t.user.name || t.user.op} = `, vals(t.user.grad)));
      }
      parts.push(h('p', {}, '= ', vals(node.grad)));
    }
    chain.replaceChildren(...parts);
  }

  return {
    // A new trace (the selected run's current weights, or another point): the fill stays.
    update(trace) {
      ui.trace = trace;
      if (ui.forward > trace.nodes.length) ui.forward = ui.backward = 0;
      paint();
    },
    row: () => ui.row,
    resize: paint,
    destroy() {
      clearInterval(ui.timer);
      off.destroy();
      controls.replaceChildren();
      chain.replaceChildren();
    },
  };
}

// One term of the chain rule, in words a student can check against the numbers shown.
function term(user, node) {
  const u = `∂L/∂${user.name || user.op}`;
  const other = user.parents.find((p) => p !== node.index);
  const first = user.parents[0] === node.index;
  const text = {
    matmul: first ? `${u} · (the other factor)ᵀ` : `(the other factor)ᵀ · ${u}`,
    add_bias: first ? u : `Σ over rows of ${u}`,
    add: u,
    sub: first ? u : `−${u}`,
    mul: `${u} ⊙ (the other factor)`,
    scale: `${u} × scale`,
    tanh: `${u} ⊙ (1 − ${user.name || 'tanh'}²)`,
    sigmoid: `${u} ⊙ σ(1 − σ)`,
    relu: `${u} ⊙ [${node.name} > 0]`,
    leaky_relu: `${u} ⊙ (1 if ${node.name} > 0 else 0.01)`,
    identity: u,
    mean: `${u} / count`,
    sum: u,
    bce_with_logits: first ? `${u} · (σ(${node.name}) − y) / rows` : '(not needed: a target)',
    mse_loss: first ? `${u} · 2(${node.name} − y) / count` : '(not needed: a target)',
    softmax_cross_entropy: `${u} · (softmax(${node.name}) − one-hot(y)) / rows`,
  }[user.op] ?? `${u} · ∂(${user.op})/∂${node.name}`;
  return { user, text, other };
}
