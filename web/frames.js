// At most one frame per animation frame: redraw() asks for one, however often it is called. A
// frame that throws is shown as a notice, not thrown: the page stays usable, and the next good
// frame clears the notice. debug.drawMs keeps the last frames' timings for tests and benchmarks.
import { notify, hideNotice } from './controls/notice.js';

// draw(): one frame; failed(): called after a frame threw (caches to drop before the next one).
export function createFrames(draw, { debug, failed }) {
  let requested = false;
  let drawFailed = false;
  return function redraw() {
    if (requested) return;
    requested = true;
    requestAnimationFrame(() => {
      requested = false;
      const t0 = performance.now();
      try {
        draw();
        debug.drawMs.push(performance.now() - t0);
        if (debug.drawMs.length > 600) debug.drawMs.shift();
        if (drawFailed) hideNotice();
        drawFailed = false;
      } catch (e) {
        drawFailed = true;
        failed();
        notify(`Drawing failed: ${e.message}`, 'error');
      }
    });
  };
}
