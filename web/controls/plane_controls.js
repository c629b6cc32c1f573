// The weight-space plane's controls: random directions (seeded), PCA of the paths, or two weights
// picked by layer and position (W2[3,0]: layer 2's weight from input 0 to unit 3; b2[3]: its bias),
// kept in the state as flat indices a and b (the core's setPlane takes those).
import { h } from './dom.js';
import { weightAt, flatIndex } from '../weight_names.js';

// ctx: {getState(), setState(patch), layers(): Session.layers of the network}
export function mountPlaneControls(root, ctx) {
  const kind = h('select', { 'aria-label': 'Plane' },
    h('option', { value: 'random' }, 'Random directions'),
    h('option', { value: 'pca' }, 'PCA of the paths'),
    h('option', { value: 'weights' }, 'Two weights'));
  const seed = h('input', { type: 'number', min: 0, step: 1, 'aria-label': 'Plane seed' });
  const error = h('p', { class: 'run-error', hidden: true, role: 'status' });
  const pickers = [picker('first', 'd₁'), picker('second', 'd₂')];
  let layersKey = '';
  let local = false; // a picked weight out of range: its message stays until a good pick

  // One weight: which parameter (W_l or b_l), its row and (for W) its column.
  function picker(which, axis) {
    const param = h('select', { 'aria-label': `Layer of the ${which} weight` });
    const row = h('input', { type: 'number', min: 0, step: 1, 'aria-label': `Row of the ${which} weight` });
    const col = h('input', { type: 'number', min: 0, step: 1, 'aria-label': `Column of the ${which} weight` });
    // Written as the weight's name reads: W1 [row, col], b1 [row].
    const colLabel = h('span', {}, ', ', col);
    const el = h('span', { class: 'weight-pick' }, h('span', { class: 'axis-name' }, `${axis}:`), param,
      h('span', { class: 'weight-index' }, '[', row, colLabel, ']'));
    param.addEventListener('change', () => { colLabel.hidden = param.value.startsWith('b'); });
    return { param, row, col, colLabel, el };
  }

  const read = (p) => {
    const [k, layer] = [p.param.value[0], Number(p.param.value.slice(1))];
    return flatIndex(ctx.layers(), { kind: k, layer, row: Number(p.row.value), col: k === 'b' ? 0 : Number(p.col.value) });
  };
  const commit = () => {
    const st = ctx.getState();
    try {
      const plane = { kind: kind.value, seed: Number(seed.value), a: st.plane.a, b: st.plane.b };
      if (kind.value === 'weights') [plane.a, plane.b] = pickers.map(read);
      local = false;
      error.hidden = true;
      ctx.setState({ plane });
    } catch (e) {
      local = true;
      error.textContent = e.message;
      error.hidden = false;
    }
  };
  for (const c of [kind, seed, ...pickers.flatMap((p) => [p.param, p.row, p.col])]) c.addEventListener('change', commit);
  const seedLabel = h('label', {}, 'seed ', seed);
  const weightsBox = h('span', { class: 'weight-picks' }, ...pickers.map((p) => p.el));
  root.append(kind, seedLabel, weightsBox, error);

  return {
    destroy() {
      root.replaceChildren(); // the listeners sit on what it built
    },
    // Shows the state's plane (and the core's refusal of it, if any).
    showError(message) {
      const st = ctx.getState();
      const layers = ctx.layers();
      const key = layers.map((l) => `${l.rows}x${l.cols}`).join(',');
      if (key !== layersKey) {
        layersKey = key;
        const options = () => layers.flatMap((l) => [
          h('option', { value: `W${l.layer}` }, `W${l.layer} ${l.rows}×${l.cols}`),
          h('option', { value: `b${l.layer}` }, `b${l.layer} ${l.rows}`),
        ]);
        for (const p of pickers) p.param.replaceChildren(...options());
      }
      kind.value = st.plane.kind;
      seed.value = String(st.plane.seed);
      [st.plane.a, st.plane.b].forEach((flat, k) => {
        const w = weightAt(layers, flat);
        const p = pickers[k];
        if (!w || document.activeElement === p.row || document.activeElement === p.col) return;
        p.param.value = `${w.kind}${w.layer}`;
        p.row.value = String(w.row);
        p.col.value = String(w.col);
        p.colLabel.hidden = w.kind === 'b';
      });
      seedLabel.hidden = st.plane.kind !== 'random';
      weightsBox.hidden = st.plane.kind !== 'weights';
      if (message) {
        error.textContent = `${message} (showing a random plane instead)`;
        error.hidden = false;
      } else if (!local) {
        error.hidden = true;
      }
    },
  };
}

// The plane's axis names: d₁ and d₂ for directions, the weights' names for two weights.
export function planeAxes(plane, layers) {
  if (plane.kind === 'weights') return [plane.a, plane.b].map((f) => weightAt(layers, f)?.name ?? `weight ${f}`);
  if (plane.kind === 'pca') return ['d₁ (PC 1)', 'd₂ (PC 2)'];
  return ['d₁', 'd₂'];
}
