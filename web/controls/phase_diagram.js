// The inspector's momentum phase diagram (shown with Curvature, for SGD with momentum, Nesterov's too):
// on the local quadratic the run behaves, along each eigenvector, like momentum on a 1-D quadratic
// with h = lr·λ, so where (lr·λ, β) falls in the h x β plane says whether that direction converges
// monotonically, oscillates or diverges. The plane and the marks are the core's (momentumPhase);
// "Map lr × momentum" opens the hyperparameter map of the same run.
import { h } from './dom.js';
import { drawPhase, PHASE_COLORS, PHASE_NAMES } from '../render/phase.js';
import { cssBox, fitCanvas } from '../canvas_fit.js';
import * as fmt from '../format.js';

const NH = 120;
const NB = 80;

// ctx: {momentumPhase(request), openMap(preset)}
export function mountPhaseDiagram(root, ctx) {
  const canvas = h('canvas', { class: 'phase-canvas', role: 'img', 'aria-label': 'Phase diagram of momentum on the local quadratic: step size h = lr·λ across, momentum β up' });
  const text = h('p', { class: 'phase-text' });
  const mapButton = h('button', { type: 'button', class: 'set-lr', onclick: () => current && ctx.openMap({ kind: 'hyper', run: current.index, x: 'lr', y: 'momentum', measure: 'steps' }) }, 'Map lr × momentum');
  root.append(
    h('p', { class: 'phase-title' }, h('strong', {}, 'Momentum on this quadratic'), ' ',
      ...PHASE_NAMES.map((n, k) => h('span', { class: 'map-key' }, h('span', { class: 'map-swatch', style: { background: PHASE_COLORS[k] } }), n))),
    canvas, text, mapButton,
  );
  let key = '';
  let current = null;

  return {
    // data: null (hidden) or {curv, index, lr, momentum, nesterov}
    update(data) {
      const ok = data && data.curv.eigenvalues.every((l) => l !== null && Number.isFinite(l));
      root.hidden = !ok;
      current = ok ? data : null;
      if (!ok) return;
      const box = cssBox(canvas);
      const next = JSON.stringify([data.curv.eigenvalues, data.lr, data.momentum, data.nesterov, data.index, box]);
      if (next === key && !fitCanvas(canvas, box)) return;
      key = next;
      fitCanvas(canvas, box);
      const [l1, l2] = data.curv.eigenvalues;
      const hs = [data.lr * l1, data.lr * l2];
      // Wide enough for the divergence edge at h = 2(1 + β) and for both marks (up to a limit).
      const range = [Math.max(-2, Math.min(0, ...hs) * 1.15), Math.min(40, Math.max(4.2, ...hs.map((v) => v * 1.15)))];
      let result;
      try {
        result = ctx.momentumPhase({
          h: { from: range[0], to: range[1], n: NH }, beta: { from: 0, to: 0.999, n: NB }, nesterov: data.nesterov,
          points: [{ lr: data.lr, momentum: data.momentum, eigenvalues: [l1, l2] }],
        });
      } catch (e) {
        text.textContent = e.message;
        return;
      }
      const marks = result.points[0];
      drawPhase(canvas.getContext('2d'), {
        h: result.h, beta: result.beta, phase: result.phase,
        marks: marks.map((m, k) => ({ h: m.h, beta: m.beta, label: k === 0 ? 'λ₁' : 'λ₂' })),
      }, { width: box.w, height: box.h, dpr: box.dpr });
      text.textContent = marks.map((m, k) => `${k === 0 ? 'λ₁' : 'λ₂'}: h = ${fmt.short(m.h)}, ${PHASE_NAMES[m.phase]}${m.rate === null || m.rate === undefined ? '' : ` (rate ${fmt.short(m.rate)} per step)`}`).join('; ');
    },
  };
}
