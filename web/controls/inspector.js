// The Inspector: for the selected run's last step, the gradient, the update, the per-parameter step
// size, every state buffer and scalar with all their digits, a key to the arrows on the landscape,
// and the update equation with the numbers put in.
import { h } from './dom.js';
import { num, numVector, copyFullValues } from './numbers.js';
import { symbolFor } from '../render/symbols.js';
import { fitEquation } from './fit_equation.js';
import { isProjector } from '../theme.js';
import { listeners } from '../panel.js';
import { factorText } from '../render/internals.js';

export const ARROW_COLORS = { grad: '#c4001a', update: '#1a1a1a', velocity: '#6a3d9a' };

// ctx: {select(i)}
export function mountInspector(ctx) {
  const select = document.getElementById('inspect-run');
  const table = document.getElementById('internals-table');
  const key = document.getElementById('arrow-key');
  const equation = document.getElementById('equation');
  const stepOut = document.getElementById('inspect-step');
  const { on, destroy } = listeners();
  on(select, 'change', () => ctx.select(Number(select.value)));
  copyFullValues(table, on);
  let typeset = null; // the equation module, imported on first use
  let latest = null;
  const panel = document.getElementById('inspector');
  // KaTeX text 24 px in projector mode, never below 20 px (a line at least 24 px tall); 18 px
  // otherwise, never below 13 px. On wide screens the column's remaining height bounds it.
  const fit = () => {
    const projector = isProjector();
    const fixedHeight = getComputedStyle(panel).overflowY === 'auto';
    const room = fixedHeight ? panel.clientHeight - (equation.offsetTop - panel.offsetTop) - 10 : 0;
    fitEquation(equation, { preferred: (projector ? 24 : 18) / 1.21, floor: (projector ? 20 : 13) / 1.21, room });
  };
  on(window, 'resize', fit);

  return {
    // data: {runs: [{label}], selected, cur: internals JSON, prev: internals JSON | null, playing,
    //        velocity: bool}
    update(data) {
      // Compared with the options shown, not a cached key: the network view fills this select too.
      const ok = data.runs.map((r) => r.label).join('\u0000');
      if (ok !== Array.from(select.options, (o) => o.textContent).join('\u0000')) {
        select.replaceChildren(...data.runs.map((r, i) => h('option', { value: String(i) }, r.label)));
      }
      select.value = String(data.selected);
      const c = data.cur;
      const rows = [];
      // Each row: the equation's symbol, then torch's name for the same number, then its value.
      const row = (symbol, name, value, title) => rows.push(h('tr', {},
        h('th', { scope: 'row', title }, symbol ?? name, symbol && name ? h('span', { class: 'torch' }, name) : null),
        h('td', {}, value)));
      if (c) {
        const sym = (name) => symbolFor(c.name, name);
        row('θₜ', 'params', numVector(c.params), 'parameters after this step');
        row('f(θₜ)', 'loss', num(c.loss), 'the loss at the parameters after this step');
        row(c.options.weight_decay && c.name !== 'adamw' ? 'gₜ' : 'gₜ = ∇f(θₜ₋₁)', 'grad', numVector(c.grad), 'the gradient this step used, from back-propagation (after coupled weight decay)');
        row('Δθ', 'update', numVector(c.update), 'parameters after minus parameters before');
        row('step size', null, numVector(c.step_size), 'the factor this optimizer applied to its direction, per parameter');
        for (const s of c.state) row(sym(s.name), s.name, numVector(s.value));
        const seen = new Set(['step']);
        for (const s of [...c.scalars, ...c.step_scalars]) {
          if (!seen.has(s.name)) row(sym(s.name), s.name, num(s.value));
          seen.add(s.name);
        }
        // A scheduled run: the lr the next step uses and the scheduler's own state, torch's names
        // (plateau's best and num_bad_epochs, one-cycle's phase, ...), as the core keeps them.
        if (c.scheduler) {
          row('lr', 'lr now', num(c.lr), `param_groups[0]['lr'] the next step uses (${c.scheduler.name})`);
          for (const [k, v] of Object.entries(c.scheduler_state ?? {})) {
            if (typeof v === 'number') row(null, `${c.scheduler.name}.${k}`, num(v));
            else if (v === null) row(null, `${c.scheduler.name}.${k}`, '—');
          }
        }
        if (c.status === 'diverged') row('status', null, 'diverged');
      }
      table.replaceChildren(...rows);
      stepOut.textContent = c ? `t = ${c.step}` : '';
      // The scales the arrows are drawn at (one per experiment), so their lengths can be read.
      const sc = data.arrowScale;
      const times = (f) => (sc ? ` ${factorText(f)}` : '');
      key.replaceChildren(...[
        h('span', { style: { '--c': ARROW_COLORS.update } }, `update Δθ${times(sc?.update)}`),
        h('span', { style: { '--c': ARROW_COLORS.grad } }, `−∇f${times(sc?.grad)}`),
        data.velocity ? h('span', { style: { '--c': ARROW_COLORS.velocity } }, `velocity −lr·b${times(sc?.update)}, where it differs from Δθ`) : null,
      ].filter(Boolean));
      if (data.playing) {
        latest = null;
        delete equation.dataset.pending;
        equation.replaceChildren(h('p', { class: 'eq-note' }, 'Pause to see the update equation with the numbers of this step.'));
      } else {
        const args = { cur: c, prev: data.prev };
        latest = args;
        // KaTeX loads when the first equation is needed, not before the first landscape.
        typeset ??= import('../render/equation.js');
        equation.dataset.pending = 'true'; // tests wait for it to go
        typeset.then((m) => {
          if (latest !== args) return; // a newer step is on its way
          delete equation.dataset.pending;
          m.drawEquation(equation, args);
          fit();
        }, (e) => {
          delete equation.dataset.pending;
          equation.replaceChildren(h('p', { class: 'eq-note' }, `The equation could not be typeset: ${e.message}`));
        });
      }
    },
    destroy,
  };
}
