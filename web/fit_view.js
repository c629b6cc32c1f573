// A fit problem's second view, linked to the landscape: the data with each run's current model
// and the selected run's last mini-batch ringed (render/fit_data.js draws it). Hidden for every
// other problem. Reads the session's numbers only; computes nothing.
import { drawFitData } from './render/fit_data.js';
import { makeFrame } from './render/frame.js';
import { cssBox, fitCanvas } from './canvas_fit.js';

const MARGIN = { left: 10, right: 10, top: 10, bottom: 22 };

// ctx: {sync, getState(), setState(patch), parseCsv(text, target), csvInput, csvError}: a CSV file
// (read by the core: x,y for a line, x1,x2,label for logistic) replaces the data; a bad one is
// refused with its row and column and the data stay.
export function mountFitView(root, canvas, caption, ctx) {
  let data = null; // fitData() of the open problem, and its box
  let dataKey = '';
  let drawnKey = '';
  ctx.csvInput?.addEventListener('change', async () => {
    const f = ctx.csvInput.files[0];
    ctx.csvInput.value = '';
    if (!f) return;
    const st = ctx.getState();
    const model = st.problem.model ?? ctx.sync.session().fitData().model;
    try {
      const points = ctx.parseCsv(await f.text(), model);
      const problem = { ...structuredClone(st.problem), model, data: points };
      if (problem.batch_size && problem.batch_size > points.y.length) delete problem.batch_size;
      ctx.setState({ problem, steps: 0 });
      ctx.csvError.hidden = true;
    } catch (e) {
      ctx.csvError.textContent = `${f.name}: ${e.message}`;
      ctx.csvError.hidden = false;
    }
  });
  return {
    // runs: the landscape view's runs ({color, params: the path, flat}); runsKey changes with them.
    update(st, runs, runsKey) {
      const session = ctx.sync.session();
      const fit = session.problemKind() === 'fit';
      root.hidden = !fit;
      if (!fit) {
        data = null;
        return;
      }
      const key = JSON.stringify(st.problem) + st.seed;
      if (key !== dataKey) {
        dataKey = key;
        data = session.fitData();
        data.box = boxOf(data);
      }
      const box = cssBox(canvas);
      const sizeChanged = fitCanvas(canvas, box);
      const k = `${runsKey}:${st.selected}:${st.steps}:${box.w}x${box.h}:${sizeChanged}`;
      if (k === drawnKey) return;
      drawnKey = k;
      const sel = Math.min(st.selected, runs.length - 1);
      // The batch that made the last step (the first one before any step).
      const batch = Array.from(session.fitBatch(sel, Math.max(0, st.steps - 1)));
      const frame = makeFrame(box.w, box.h, box.dpr, data.box, MARGIN);
      drawFitData(canvas.getContext('2d'), {
        model: data.model, x: data.x, y: data.y, batch, batchColor: runs[sel]?.color,
        runs: runs.map((r) => ({ color: r.color, params: [r.params[r.params.length - 2], r.params[r.params.length - 1]] })),
      }, frame);
      const all = batch.length === data.y.length;
      caption.textContent = `${data.y.length} points${all ? '' : `; ringed: the ${batch.length} of ${runs[sel]?.label ?? 'this run'}'s last mini-batch`}`;
    },
  };
}

function boxOf(d) {
  const xs = d.model === 'logistic' ? d.x.map((p) => p[0]) : d.x;
  const ys = d.model === 'logistic' ? d.x.map((p) => p[1]) : d.y;
  const span = (v) => {
    const lo = Math.min(...v, d.model === 'logistic' ? 0 : Infinity);
    const hi = Math.max(...v, d.model === 'logistic' ? 0 : -Infinity);
    const m = Math.max(0.1 * (hi - lo), 0.5);
    return [lo - m, hi + m];
  };
  const [xmin, xmax] = span(xs);
  const [ymin, ymax] = span(ys);
  return { xmin, xmax, ymin, ymax };
}
