// The inspector's curvature lines (shown with the plot's Curvature toggle): the Hessian's
// eigenvalues and condition number at the selected run's point, and for SGD what the local
// quadratic says of its lr, with buttons that set it. Every number is the core's (curvature(i)).
import { h } from './dom.js';
import * as fmt from '../format.js';

// ctx: {setLr(run, lr)}
export function mountCurvatureInfo(root, ctx) {
  let key = '';
  return {
    // data: null (hidden), or {curv: the core's curvature JSON, run: {name, label, lr (the one
    //       its next step uses)}, index}
    update(data) {
      const next = data ? JSON.stringify([data.curv, data.run.name, data.run.lr, data.index]) : '';
      if (next === key) return;
      key = next;
      root.hidden = !data;
      if (!data) return root.replaceChildren();
      const { curv, run, index } = data;
      const [l1, l2] = curv.eigenvalues;
      const lines = [];
      if (l1 === null) {
        lines.push(h('p', {}, 'No curvature here: the Hessian is not finite at this point.'));
      } else {
        lines.push(h('p', {},
          h('strong', {}, 'Curvature here: '),
          `λ₁ = ${fmt.short(l1)}, λ₂ = ${fmt.short(l2)}`,
          curv.condition_number === null ? (l1 < 0 ? ' (a saddle or a hilltop: λ₁ < 0, dashed)' : '') : `, κ = λ₂/λ₁ = ${fmt.short(curv.condition_number)}`));
        if (run.name === 'sgd' && curv.sgd_lr_limit !== null) {
          const set = (lr, text) => h('button', { type: 'button', class: 'set-lr', onclick: () => ctx.setLr(index, lr) }, text);
          lines.push(h('p', {},
            `On this local quadratic SGD is stable while lr < 2/λ₂ = ${fmt.short(curv.sgd_lr_limit)}`,
            curv.sgd_lr_best === null ? '.' : `; the fastest fixed lr is 2/(λ₁ + λ₂) = ${fmt.short(curv.sgd_lr_best)}.`,
            ` ${run.label} has lr ${fmt.short(run.lr)}.`));
          lines.push(h('p', { class: 'set-lr-row' },
            set(curv.sgd_lr_limit, `Set lr = 2/λ₂`),
            curv.sgd_lr_best === null ? null : set(curv.sgd_lr_best, 'Set lr = 2/(λ₁ + λ₂)')));
        }
      }
      root.replaceChildren(...lines);
    },
  };
}
