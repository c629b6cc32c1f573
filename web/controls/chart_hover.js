// The loss chart's pointer: the step under it, for the hover readout (both modes share the chart).
// A tap on a phone reads the chart too (touch has no hover); after a tap the reading stays.
import { stepAt } from '../render/loss_chart.js';
import { listeners } from '../panel.js';

// ctx: {steps(): the current step count, redraw()}
export function mountChartHover(chart, ctx) {
  const { on, destroy } = listeners();
  let step = null;
  const read = (e) => {
    const r = chart.getBoundingClientRect();
    step = stepAt({ width: r.width }, ctx.steps(), e.clientX - r.left);
    ctx.redraw();
  };
  on(chart, 'pointerdown', read);
  on(chart, 'pointermove', read);
  on(chart, 'pointerleave', (e) => {
    if (e.pointerType !== 'mouse') return;
    step = null;
    ctx.redraw();
  });
  return {
    step: () => step, // null when nothing is pointed at
    update() {},
    destroy,
  };
}
