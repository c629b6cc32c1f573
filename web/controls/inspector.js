// The Inspector: for the selected run's last step, the gradient, the update, the per-parameter step
// size, every state buffer and scalar with all their digits, a key to the arrows on the landscape,
// and the update equation with the numbers put in.
import { h } from './dom.js';
import { drawEquation } from '../render/equation.js';
import * as fmt from '../format.js';
import { listeners } from '../panel.js';
import { factorText } from '../render/internals.js';

export const ARROW_COLORS = { grad: '#c4001a', update: '#1a1a1a', velocity: '#6a3d9a' };

// ctx: {select(i)}
export function mountInspector(ctx) {
  const select = document.getElementById('inspect-run');
  const table = document.getElementById('internals-table');
  const key = document.getElementById('arrow-key');
  const equation = document.getElementById('equation');
  const { on, destroy } = listeners();
  on(select, 'change', () => ctx.select(Number(select.value)));
  let optionsKey = '';

  return {
    // data: {runs: [{label}], selected, cur: internals JSON, prev: internals JSON | null, playing,
    //        velocity: bool}
    update(data) {
      const ok = data.runs.map((r) => r.label).join('\u0000');
      if (ok !== optionsKey) {
        optionsKey = ok;
        select.replaceChildren(...data.runs.map((r, i) => h('option', { value: String(i) }, r.label)));
      }
      select.value = String(data.selected);
      const c = data.cur;
      const rows = [];
      const row = (name, value, title) => rows.push(h('tr', {}, h('th', { scope: 'row', title }, name), h('td', {}, value)));
      const vec = (v) => (v.length ? `[${v.map(fmt.exact).join(', ')}]` : '—');
      if (c) {
        row('step t', String(c.step));
        row('θ', vec(c.params), 'parameters after this step');
        row('loss', fmt.exact(c.loss));
        row('g', vec(c.grad), 'the gradient this step used (after coupled weight decay)');
        row('update Δθ', vec(c.update), 'parameters after minus parameters before');
        row('step size', vec(c.step_size), 'the factor this optimizer applied to its direction, per parameter');
        for (const s of c.state) row(s.name, vec(s.value));
        const seen = new Set();
        for (const s of [...c.scalars, ...c.step_scalars]) {
          if (!seen.has(s.name)) row(s.name, fmt.exact(s.value));
          seen.add(s.name);
        }
        if (c.status === 'diverged') row('status', 'diverged');
      }
      table.replaceChildren(...rows);
      // The scales the arrows are drawn at (one per experiment), so their lengths can be read.
      const sc = data.arrowScale;
      const times = (f) => (sc ? ` ${factorText(f)}` : '');
      key.replaceChildren(...[
        h('span', { style: { '--c': ARROW_COLORS.update } }, `update Δθ${times(sc?.update)}`),
        h('span', { style: { '--c': ARROW_COLORS.grad } }, `−∇f${times(sc?.grad)}`),
        data.velocity ? h('span', { style: { '--c': ARROW_COLORS.velocity } }, `velocity −lr·b${times(sc?.update)}, where it differs from Δθ`) : null,
      ].filter(Boolean));
      if (data.playing) {
        equation.replaceChildren(h('p', { class: 'eq-note' }, 'Pause to see the update equation with the numbers of this step.'));
      } else {
        drawEquation(equation, { cur: c, prev: data.prev });
      }
    },
    destroy,
  };
}
