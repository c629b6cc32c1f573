// The loss chart's pointer: the step under it, for the hover readout (both modes share the chart).
// A tap on a phone reads the chart too (touch has no hover); after a tap the reading stays.
import { fractionAt } from '../render/loss_chart.js';
import { listeners } from '../panel.js';

// ctx: {redraw()}
export function mountChartHover(chart, ctx) {
  const { on, destroy } = listeners();
  let fraction = null; // how far along the x axis the pointer is, 0 to 1
  const read = (e) => {
    const r = chart.getBoundingClientRect();
    fraction = fractionAt({ width: r.width }, e.clientX - r.left);
    ctx.redraw();
  };
  on(chart, 'pointerdown', read);
  on(chart, 'pointermove', read);
  on(chart, 'pointerleave', (e) => {
    if (e.pointerType !== 'mouse') return;
    fraction = null;
    ctx.redraw();
  });
  return {
    // Where along the x axis (0 to 1; null when nothing is pointed at): the views turn it into a
    // step, or on an axis of work (epochs, examples) into each run's own step.
    fraction: () => fraction,
    update() {},
    destroy,
  };
}
