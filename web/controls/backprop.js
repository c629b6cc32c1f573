// The backprop panel: a training point, Forward / Backward / Next node / Clear, the graph, and the
// chain-rule product for the node under the pointer (or the last one filled). Every number is the
// C++ tape's (Session.trace); this panel only decides how many nodes are shown filled.
import { h } from './dom.js';
import { fitCanvas, pixelRatio } from '../canvas_fit.js';
import { listeners } from '../panel.js';
import { layoutGraph, graphHeight, graphWidth, drawGraph, boxAt } from '../render/backprop.js';
import * as fmt from '../format.js';
import { theme } from '../theme.js';

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
    // The box's own width (its scrollbar aside): the layout fits it, top to bottom if need be.
    const room = Math.max(200, Math.floor(canvas.parentElement.clientWidth));
    ui.boxes = layoutGraph(ui.trace.nodes, room, theme().font);
    const width = Math.max(room, graphWidth(ui.boxes));
    const height = graphHeight(ui.boxes);
    const dpr = pixelRatio();
    if (fitCanvas(canvas, { w: width, h: height, dpr })) {
      canvas.style.height = `${height}px`;
      canvas.style.width = `${width}px`;
    }
    const focus = ui.hover ?? lastFilled();
    drawGraph(canvas.getContext('2d'), { boxes: ui.boxes, forward: ui.forward, backward: ui.backward, focus }, { width, height, dpr });
    // Where each node is drawn, for readers of the page and its tests: [index, x, y, w, h].
    canvas.dataset.boxes = JSON.stringify(ui.boxes.map((b) => [b.node.index, b.x, b.y, b.w, b.h]));
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
      node.param ? ` — layer ${node.param.layer} ${node.param.kind === 'bias' ? 'biases' : 'weights'}` : '')];
    const n1 = nodes.length;
    if (i < ui.forward) parts.push(h('p', {}, 'value ', vals(node.value)));
    if (i >= n1 - ui.backward) {
      const users = nodes.filter((m) => m.parents.includes(i));
      if (users.length === 0) {
        parts.push(h('p', {}, '∂L/∂L = 1: the backward pass starts here.'));
      } else {
        const terms = users.map((u) => term(u, node, nodes));
        parts.push(h('p', { class: 'chain-product' }, `${grad(node)} = `, terms.map((t) => t.text).join(' + ')));
        for (const t of terms) parts.push(h('p', {}, `with ${grad(t.user)} = `, vals(t.user.grad)));
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

// A node's short name in formulas: "z1" for "z1 = x·W1ᵀ + b1", "z3" for "z3 = … (output)".
export function shortName(node) {
  return (node.name || node.op).split(' = ')[0].replace(/ \(output\)$/, '');
}

// ∂L/∂name, with the name in parentheses when it is itself a product (∂L/∂(x·W1ᵀ)).
function grad(node) {
  const n = shortName(node);
  return /[·+−]/.test(n) ? `∂L/∂(${n})` : `∂L/∂${n}`;
}

// A name transposed: W1ᵀ's transpose is W1.
const transpose = (n) => (n.endsWith('ᵀ') ? n.slice(0, -1) : /[·+−]/.test(n) ? `(${n})ᵀ` : `${n}ᵀ`);

// One term of the chain rule, named by the tape's own nodes, so a student can check each factor
// against the numbers in the graph.
function term(user, node, nodes) {
  const u = grad(user);
  const first = user.parents[0] === node.index;
  const otherIndex = user.parents.find((p) => p !== node.index) ?? node.index;
  const other = shortName(nodes[otherIndex]);
  const me = shortName(node);
  const out = shortName(user);
  const count = node.shape[0] * node.shape[1];
  const text = {
    matmul: first ? `${u} · ${transpose(other)}` : `${transpose(other)} · ${u}`,
    add_bias: first ? u : `Σ over rows of ${u}`,
    add: u,
    sub: first ? u : `−${u}`,
    mul: `${u} ⊙ ${other}`,
    scale: `${u} × (the scale of ${out})`,
    tanh: `${u} ⊙ (1 − ${out}²)`,
    sigmoid: `${u} ⊙ ${out}(1 − ${out})`,
    relu: `${u} ⊙ [${me} > 0]`,
    leaky_relu: `${u} ⊙ (1 if ${me} > 0 else 0.01)`,
    identity: u,
    mean: `${u} / ${count}`,
    sum: u,
    bce_with_logits: first ? `${u} · (σ(${me}) − ${other}) / ${node.shape[0]}` : `(not needed: ${me} is the target)`,
    mse_loss: first ? `${u} · 2(${me} − ${other}) / ${count}` : `(not needed: ${me} is the target)`,
    softmax_cross_entropy: first ? `${u} · (softmax(${me}) − one-hot(${other})) / ${node.shape[0]}` : `(not needed: ${me} is the target)`,
  }[user.op] ?? `${u} · ∂${out}/∂${me}`;
  return { user, text };
}
