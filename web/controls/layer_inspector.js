// The network inspector: per layer, the weight and bias norms and, for the selected run's last
// step, the gradient norm, the update norm and the effective step size |Δθ| / |g| (all from
// Session.layers); under it each weight matrix as a grid to click, and every number the core holds
// for the clicked weight (value, gradient, update, step size and each optimizer state buffer), and
// per hidden neuron its activation over the input plane (Session.neuronGrid, a coarse grid).
import { h } from './dom.js';
import { fitCanvas, pixelRatio } from '../canvas_fit.js';
import { drawWeightMap } from '../render/weights.js';
import { drawNeuronMap } from '../render/neurons.js';
import * as fmt from '../format.js';

// ctx: {pick(flatIndex)}
export function mountLayerInspector(root, ctx) {
  const table = h('table', { 'aria-label': 'Per-layer norms of the last step' });
  const maps = h('div', { class: 'weight-maps' });
  const detail = h('table', { class: 'weight-detail', 'aria-live': 'polite' });
  const neurons = h('div', { class: 'neuron-maps' });
  root.append(h('h3', {}, 'Layers'), table, h('p', { class: 'hint' }, 'Click a weight to read its numbers.'), maps, detail,
    h('h3', {}, 'What each hidden neuron sees'),
    h('p', { class: 'hint' }, 'Its activation over the input plane (blue > 0 > red, each on its own scale).'), neurons);
  let neuronKey = '';
  let neuronCanvases = [];
  let mapKey = '';
  let canvases = [];

  function drawNeurons(layers) {
    const key = layers.map((l) => `${l.layer}:${l.width}:${l.nx}`).join(',');
    if (key !== neuronKey) {
      neuronKey = key;
      neuronCanvases = layers.map((l) => Array.from({ length: l.width }, (_, k) => {
        const c = h('canvas', { class: 'neuron', width: l.nx, height: l.ny, 'aria-label': `Hidden layer ${l.layer}, neuron ${k + 1}` });
        return c;
      }));
      neurons.replaceChildren(...layers.map((l, i) => h('figure', { class: 'neuron-layer' },
        h('figcaption', {}, `h${l.layer}`), h('div', { class: 'neuron-row' }, neuronCanvases[i]))));
    }
    layers.forEach((l, i) => neuronCanvases[i].forEach((c, k) => {
      c.dataset.max = String(drawNeuronMap(c.getContext('2d'), { values: l.values, offset: k * l.nx * l.ny, nx: l.nx, ny: l.ny }));
    }));
  }

  return {
    // data: {layers: Session.layers(i), weights: Float64Array, internals (or null while playing),
    //        picked: flat index | null, neurons: [{layer, width, nx, ny, values}] (hidden layers)}
    update(data) {
      drawNeurons(data.neurons ?? []);
      const head = h('tr', {}, ['layer', 'shape', '|W|', '|∇|', '|Δθ|', '|Δθ|/|∇|'].map((t) => h('th', { scope: 'col' }, t)));
      const num = (v) => (v === null || v === undefined ? '—' : fmt.short(v, 3));
      table.replaceChildren(head, ...data.layers.map((l) => h('tr', {},
        h('td', {}, String(l.layer)), h('td', {}, `${l.rows}×${l.cols}`), h('td', {}, num(l.weight_norm)),
        h('td', {}, num(l.grad_norm)), h('td', {}, num(l.update_norm)), h('td', {}, num(l.step_size)))));

      const key = data.layers.map((l) => `${l.rows}x${l.cols}`).join(',');
      const dpr = pixelRatio();
      if (key !== mapKey) {
        mapKey = key;
        canvases = data.layers.map((l) => {
          const cell = Math.max(3, Math.min(12, Math.floor(150 / Math.max(l.rows, l.cols))));
          const c = h('canvas', { 'aria-label': `Layer ${l.layer} weights, ${l.rows} by ${l.cols}` });
          fitCanvas(c, { w: l.cols * cell, h: l.rows * cell, dpr });
          c.style.width = `${l.cols * cell}px`;
          c.style.height = `${l.rows * cell}px`;
          c.addEventListener('click', (e) => {
            const r = c.getBoundingClientRect();
            const i = Math.min(l.cols - 1, Math.floor((e.clientX - r.left) / cell));
            const o = Math.min(l.rows - 1, Math.floor((e.clientY - r.top) / cell));
            ctx.pick(l.weight_offset + o * l.cols + i);
          });
          return { c, cell, l };
        });
        maps.replaceChildren(...canvases.map(({ c, l }) => h('figure', {}, c, h('figcaption', {}, `W${l.layer}`))));
      }
      for (const { c, cell, l } of canvases) {
        drawWeightMap(c.getContext('2d'), { weights: data.weights, offset: l.weight_offset, rows: l.rows, cols: l.cols, cell, picked: data.picked }, dpr);
      }

      const p = data.picked;
      const rows = [];
      const layer = p === null ? null : data.layers.find((l) => p >= l.weight_offset && p < l.weight_offset + l.rows * l.cols);
      if (layer) {
        const o = Math.floor((p - layer.weight_offset) / layer.cols);
        const i = (p - layer.weight_offset) % layer.cols;
        const row = (name, v) => rows.push(h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, v === undefined ? '—' : fmt.exact(v))));
        rows.push(h('tr', {}, h('th', { scope: 'row' }, 'weight'), h('td', {}, `W${layer.layer}[${o},${i}] (flat index ${p})`)));
        row('value', data.weights[p]);
        const c = data.internals;
        if (c) {
          row('grad', c.grad[p]);
          row('update Δθ', c.update[p]);
          row('step size', c.step_size[p]);
          for (const s of c.state) row(s.name, s.value[p]);
        } else {
          rows.push(h('tr', {}, h('td', { colspan: 2 }, 'Pause to read the optimizer state of this weight.')));
        }
      }
      detail.replaceChildren(...rows);
    },
    destroy() {
      root.replaceChildren(); // the listeners sit on what it built
    },
  };
}
