// The lr panel under the loss chart (toggle "lr"): each run's learning rate at each step as the
// core recorded it (Session.lr: param_groups[0]['lr'] after each scheduler step), so a schedule
// and the losses it drove can be read one above the other. On or off is the state's `lrPanel`.
import { drawLrChart } from '../render/lr_chart.js';
import { cssBox, fitCanvas } from '../canvas_fit.js';
import { listeners } from '../panel.js';

const $ = (id) => document.getElementById(id);

// ctx: {getState(), setState(patch), session(), version()}
export function mountLrPanel(ctx) {
  const { on, destroy } = listeners();
  const toggle = $('lr-toggle');
  const canvas = $('lr-chart');
  const box = canvas.closest('.chart-box');
  on(toggle, 'click', () => ctx.setState({ lrPanel: !ctx.getState().lrPanel }));
  let key = '';
  return {
    update(st) {
      toggle.setAttribute('aria-pressed', String(st.lrPanel));
      box.classList.toggle('with-lr', st.lrPanel);
      canvas.hidden = !st.lrPanel;
      if (!st.lrPanel) {
        key = '';
        return;
      }
      const size = cssBox(canvas);
      const k = `${ctx.version()}:${st.steps}:${size.w}x${size.h}@${size.dpr}:${st.optimizers.map((o) => o.color).join(',')}`;
      if (k === key) return;
      key = k;
      fitCanvas(canvas, size);
      const session = ctx.session();
      const series = st.optimizers.map((o, i) => ({ steps: session.steps(i), lr: session.lr(i), color: o.color }));
      const drawn = drawLrChart(canvas.getContext('2d'), { series, xMax: st.steps }, { width: size.w, height: size.h, dpr: size.dpr });
      // What is drawn, for readers of the page and its tests: each run's last lr.
      canvas.dataset.last = series.map((s) => s.lr[s.lr.length - 1]).join('|');
      canvas.dataset.log = String(drawn.log);
    },
    // A new look: draw it whole again.
    invalidate() { key = ''; },
    destroy,
  };
}
