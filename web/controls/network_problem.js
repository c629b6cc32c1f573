// The Problem panel of the network mode: the dataset (seeded; its points are drawn in every run's
// panel), the hidden layers (add, remove, widths), activation, loss, mini-batch size, held-out test
// fraction and the initial weights' seed. Every change is a new problem spec handed to setState;
// when the core refuses it, its message (which names the field) appears next to the control that
// was changed and the old network keeps training.
import { h, uid } from './dom.js';
import { mountOwnData } from './own_data_controls.js';

// The names on the menus; what exists (and which sets take a class count or are a regression) is
// the core's catalog.
const DATASET_LABELS = {
  spiral: 'Spiral', moons: 'Two moons', circles: 'Circles', xor: 'XOR', blobs: 'Blobs',
  linear: 'Linear (regression)', sine: 'Sine (regression)',
};
const LOSS_LABELS = { bce: 'bce (BCEWithLogitsLoss)', cross_entropy: 'cross_entropy (softmax)', mse: 'mse (MSELoss)' };
const MAX_HIDDEN = 6;

// The input features' names on the checkboxes (the spec's names are the core's catalog).
const FEATURE_LABELS = { 'x1^2': 'x1²', 'x2^2': 'x2²', 'x1*x2': 'x1·x2', 'sin(x1)': 'sin x1', 'sin(x2)': 'sin x2' };

// ctx: {getState(), setState(patch), catalog: engine.catalog ({datasets, activations, losses,
//       features}), parseCsv(text, target)}
export function mountNetworkProblem(root, ctx) {
  const DATASETS = ctx.catalog.datasets.map((d) => ({
    name: d.name, label: DATASET_LABELS[d.name] ?? d.name, regression: d.regression,
    classes: d.params.some((q) => q.name === 'classes'),
  }));
  const ACTIVATIONS = ctx.catalog.activations;
  const LOSSES = ctx.catalog.losses.map((name) => ({ name, label: LOSS_LABELS[name] ?? name }));
  const fields = [];
  // A labelled control with its own error line; `read(problem, value)` returns the new problem.
  function field(label, input, read, hint) {
    const id = input.id || uid('np');
    input.id = id;
    const error = h('p', { class: 'run-error', id: `${id}-err`, hidden: true, role: 'status' });
    input.setAttribute('aria-describedby', error.id);
    const commit = () => propose((p) => read(p, input), error, input);
    input.addEventListener('change', commit);
    const el = h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), input,
      hint ? h('p', { class: 'hint' }, hint) : null, error);
    fields.push({ input, error });
    return el;
  }

  // Hands the changed problem to the state; shows the refusal next to the control.
  function propose(change, error, input) {
    const st = ctx.getState();
    try {
      const problem = change(structuredClone(st.problem));
      ctx.setState({ problem, steps: 0 });
      for (const f of fields) {
        f.error.hidden = true;
        f.input.removeAttribute('aria-invalid');
      }
      layerError.hidden = true;
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      input?.setAttribute('aria-invalid', 'true');
    }
  }

  const num = (attrs) => h('input', { type: 'number', step: 1, inputmode: 'numeric', ...attrs });
  const dataset = h('select', {}, h('option', { value: '', disabled: true }, 'Your points'),
    DATASETS.map((d) => h('option', { value: d.name }, d.label)));
  const n = num({ min: 4 });
  const classes = num({ min: 2 });
  const noise = h('input', { type: 'number', step: 'any', min: 0, inputmode: 'decimal' });
  const dataSeed = num({ min: 0 });
  const testFraction = h('input', { type: 'number', step: 'any', min: 0, max: 0.9, inputmode: 'decimal' });
  const activation = h('select', {}, ACTIVATIONS.map((a) => h('option', { value: a }, a)));
  const loss = h('select', {}, LOSSES.map((l) => h('option', { value: l.name }, l.label)));
  const batch = num({ min: 1, placeholder: 'full batch' });
  const initSeed = num({ min: 0 });
  const l1 = h('input', { type: 'number', step: 'any', min: 0, inputmode: 'decimal', 'aria-label': 'L1 penalty' });
  const FEATURES = ctx.catalog.features ?? [];
  const featureError = h('p', { class: 'run-error', hidden: true, role: 'status' });
  // A feature widens the input layer: layers[0] is 2 + the features listed, in catalog order.
  const featureBoxes = FEATURES.map((name) => {
    const box = h('input', { type: 'checkbox', value: name });
    box.addEventListener('change', () => propose((p) => {
      const on = FEATURES.filter((f) => (f === name ? box.checked : (p.features ?? []).includes(f)));
      if (on.length) p.features = on;
      else delete p.features;
      p.layers[0] = 2 + on.length;
      return p;
    }, featureError, box));
    return { name, box, el: h('label', { class: 'feature-box' }, box, FEATURE_LABELS[name] ?? name) };
  });
  const ownData = mountOwnData({ getState: ctx.getState, propose, parseCsv: ctx.parseCsv });

  // The output layer follows the loss: one unit for bce and mse, one per class for cross_entropy.
  const withOutput = (p) => {
    p.layers[p.layers.length - 1] = p.loss === 'cross_entropy' ? p.data.classes ?? 2 : 1;
    return p;
  };
  const number = (input) => {
    if (input.value.trim() === '') throw new Error(`${input.getAttribute('aria-label') ?? 'value'}: enter a number`);
    return Number(input.value);
  };

  const layerList = h('div', { class: 'layer-list' });
  const layerError = h('p', { class: 'run-error', hidden: true, role: 'status' });
  const addLayer = h('button', {
    type: 'button',
    onclick: () => propose((p) => {
      p.layers.splice(p.layers.length - 1, 0, p.layers[p.layers.length - 2] > 2 ? p.layers[p.layers.length - 2] : 8);
      return p;
    }, layerError),
  }, 'Add layer');

  root.append(
    field('Dataset', dataset, (p) => {
      const d = DATASETS.find((x) => x.name === dataset.value);
      const { x: _x, y: _y, ...rest } = p.data; // a generated set replaces given points
      p.data = { ...rest, name: d.name };
      if (!d.classes) delete p.data.classes;
      else p.data.classes = p.data.classes ?? 2;
      if (d.regression) p.loss = 'mse';
      else if (p.loss === 'mse') p.loss = 'bce';
      if (p.loss === 'bce' && (p.data.classes ?? 2) > 2) p.loss = 'cross_entropy';
      return withOutput(p);
    }),
    h('div', { class: 'pair-fields' },
      field('Points', n, (p) => ({ ...p, data: { ...p.data, n: number(n) } })),
      field('Classes', classes, (p) => {
        p.data.classes = number(classes);
        if (p.data.classes > 2 && p.loss === 'bce') p.loss = 'cross_entropy';
        return withOutput(p);
      })),
    h('div', { class: 'pair-fields' },
      field('Noise', noise, (p) => ({ ...p, data: { ...p.data, noise: number(noise) } })),
      field('Data seed', dataSeed, (p) => ({ ...p, data: { ...p.data, seed: number(dataSeed) } }))),
    ownData.el,
    field('Test fraction (held out)', testFraction, (p) => {
      const v = number(testFraction);
      const data = { ...p.data, test_fraction: v };
      if (v === 0) delete data.test_fraction;
      return { ...p, data };
    }),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, 'Input features (added to x1, x2)'),
      h('div', { class: 'feature-boxes', role: 'group', 'aria-label': 'Input features' }, featureBoxes.map((f) => f.el)), featureError),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, 'Layers (input → hidden → output)'),
      layerList, h('div', { class: 'add-run' }, addLayer), layerError),
    field('Activation', activation, (p) => ({ ...p, activation: activation.value })),
    field('Loss', loss, (p) => withOutput({ ...p, loss: loss.value })),
    h('div', { class: 'pair-fields' },
      field('Batch size', batch, (p) => ({ ...p, batch_size: batch.value.trim() === '' ? null : number(batch) }),
        'Empty: full batch'),
      field('Init seed', initSeed, (p) => ({ ...p, init: { seed: number(initSeed) } }))),
    field('L1 penalty (loss + l1·Σ|w|)', l1, (p) => {
      const v = number(l1);
      if (v === 0) delete p.l1;
      else p.l1 = v;
      return p;
    }, 'Over every weight and bias. L2: an optimizer\'s weight_decay.'),
  );
  for (const [input, name] of [[n, 'points'], [classes, 'classes'], [noise, 'noise'], [dataSeed, 'data seed'],
    [testFraction, 'test fraction'], [batch, 'batch size'], [initSeed, 'init seed']]) input.setAttribute('aria-label', name);

  function drawLayers(p) {
    const hidden = p.layers.slice(1, -1);
    const rows = hidden.map((width, k) => {
      const id = uid('width');
      const box = num({ id, min: 1, value: String(width), 'aria-label': `Width of hidden layer ${k + 1}` });
      box.addEventListener('change', () => propose((q) => {
        q.layers[k + 1] = number(box);
        return q;
      }, layerError, box));
      const remove = h('button', {
        type: 'button', 'aria-label': `Remove hidden layer ${k + 1}`,
        onclick: () => propose((q) => {
          q.layers.splice(k + 1, 1);
          return q;
        }, layerError),
      }, '✕');
      return h('div', { class: 'layer-row' }, h('label', { for: id }, `hidden ${k + 1}`), box, remove);
    });
    layerList.replaceChildren(
      h('div', { class: 'layer-row fixed' }, h('span', {}, 'input'), h('span', {}, String(p.layers[0]))),
      ...rows,
      h('div', { class: 'layer-row fixed' }, h('span', {}, 'output'), h('span', {}, String(p.layers[p.layers.length - 1]))),
    );
    addLayer.disabled = hidden.length >= MAX_HIDDEN;
  }

  let shown = null;
  return {
    update(st) {
      const p = st.problem;
      if (p.name !== 'mlp' || shown === p) return;
      shown = p;
      const d = DATASETS.find((x) => x.name === p.data.name);
      const set = (input, v) => {
        if (document.activeElement !== input && input.getAttribute('aria-invalid') !== 'true') input.value = v;
      };
      set(dataset, p.data.name ?? '');
      set(n, String(p.data.n ?? p.data.x?.length ?? '')); // given points: their count (not editable)
      set(classes, String(p.data.classes ?? 2));
      classes.disabled = !d?.classes;
      n.disabled = noise.disabled = !d;
      set(noise, String(p.data.noise ?? 0));
      set(dataSeed, String(p.data.seed ?? 0));
      set(testFraction, String(p.data.test_fraction ?? 0));
      set(activation, p.activation ?? 'tanh');
      set(loss, p.loss ?? 'bce');
      set(batch, p.batch_size === null || p.batch_size === undefined ? '' : String(p.batch_size));
      set(initSeed, String(p.init?.seed ?? 0));
      set(l1, String(p.l1 ?? 0));
      for (const f of featureBoxes) f.box.checked = (p.features ?? []).includes(f.name);
      ownData.update(p);
      drawLayers(p);
    },
    destroy() {
      root.replaceChildren(); // the listeners sit on what it built
    },
  };
}
