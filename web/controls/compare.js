// The Compare panel's text: the legend (each run's loss, step, "reached the tolerance at step N" or
// "diverged at step N"; a click selects the run to inspect), the loss chart's hover readout and the
// tolerance box.
import { h } from './dom.js';
import * as fmt from '../format.js';
import { copyFullValues } from './numbers.js';
import { listeners } from '../panel.js';

// ctx: {select(i), setTolerance(v)}
export function mountCompare(ctx) {
  const body = document.getElementById('legend-body');
  const readout = document.getElementById('loss-readout');
  const tolerance = document.getElementById('tolerance');
  const { on, destroy } = listeners();
  copyFullValues(document.getElementById('legend'), on);
  on(tolerance, 'change', () => {
    const v = Number(tolerance.value);
    if (tolerance.value.trim() !== '' && Number.isFinite(v) && v >= 0) {
      tolerance.removeAttribute('aria-invalid');
      ctx.setTolerance(v);
    } else {
      tolerance.setAttribute('aria-invalid', 'true');
    }
  });
  let rows = [];
  let shapeKey = '';

  return {
    // runs: [{label, color, loss, step, divergedAt, reachedAt (n|null|undefined: no known minimum),
    //         reachedExact (false: somewhere in the thinned part, at about that step),
    //         tag? ("batch 8", "full batch": a run's batch size on a problem made of data)}]
    // data: {runs, selected, tolerance}
    update({ runs, selected, tolerance: tol }) {
      const key = runs.map((r) => `${r.label}\u0000${r.color}\u0000${r.tag ?? ''}`).join('\u0001');
      if (key !== shapeKey) {
        shapeKey = key;
        rows = runs.map((r, i) => {
          const cells = { loss: h('td'), step: h('td'), status: h('td') };
          const button = h('button', {
            type: 'button', class: 'run-name', 'aria-label': `Inspect ${r.label}`, onclick: () => ctx.select(i),
          }, h('span', { class: 'swatch', style: { background: r.color } }), r.label,
          // Where runs differ in batch size, each says its own (unless its name already does).
          r.tag && !r.label.toLowerCase().includes(r.tag) ? h('span', { class: 'run-tag' }, r.tag) : null);
          const tr = h('tr', {}, h('td', {}, button), cells.loss, cells.step, cells.status);
          return { tr, button, ...cells };
        });
        body.replaceChildren(...rows.map((r) => r.tr));
      }
      runs.forEach((r, i) => {
        const row = rows[i];
        row.tr.classList.toggle('selected', i === selected);
        row.button.setAttribute('aria-pressed', String(i === selected));
        // Four digits to compare at a glance; every digit on hover and in the clipboard.
        row.loss.textContent = fmt.short(r.loss);
        row.loss.className = 'num';
        row.loss.title = fmt.exact(r.loss);
        row.loss.dataset.exact = fmt.exact(r.loss);
        row.step.textContent = fmt.compactCount(r.step);
        if (typeof r.note === 'string') {
          // The network mode puts each run's training accuracy here.
          row.status.textContent = r.divergedAt !== null ? `diverged at step ${fmt.count(r.divergedAt)}` : r.note;
          row.status.className = r.divergedAt !== null ? 'status-diverged' : '';
        } else if (r.divergedAt !== null) {
          row.status.textContent = `diverged at step ${fmt.count(r.divergedAt)}`;
          row.status.className = 'status-diverged';
        } else if (r.reachedAt === undefined) {
          row.status.textContent = '';
          row.status.className = '';
        } else if (r.reachedAt === null) {
          row.status.textContent = 'not yet';
          row.status.className = '';
        } else {
          // Reached inside a thinned sample: the step is known only to that sample's stretch.
          row.status.textContent = `${r.reachedExact === false ? '≈' : 'step'}\u00a0${fmt.compactCount(r.reachedAt)}`;
          row.status.className = 'status-reached';
          if (r.reachedExact === false) row.status.title = `about step ${fmt.count(r.reachedAt)}: older steps are kept as a summary`;
          else row.status.removeAttribute('title');
        }
      });
      if (document.activeElement !== tolerance) tolerance.value = String(tol);
    },

    // hover: null, or {step, values: [{label, color, loss (undefined: run ended before), at (the
    // step the loss is from: before `step` where the history was thinned)}],
    // head?: {at, unit} (an x axis of work: where the pointer is; each run is at its own step)}
    showHover(hover) {
      if (!hover) {
        readout.textContent = "Point at the chart to read every run's loss at a step.";
        return;
      }
      if (hover.head) {
        readout.replaceChildren(
          h('strong', {}, `${fmt.short(hover.head.at, 3)} ${hover.head.unit}: `),
          ...hover.values.map((v, i) => runReading(v, i, v.at !== undefined)),
        );
        return;
      }
      // In the thinned part the losses are those of the kept step before; say which, once when
      // every run kept the same one.
      const ats = new Set(hover.values.filter((v) => v.at !== undefined).map((v) => v.at));
      const shared = ats.size === 1 ? [...ats][0] : null;
      const head = shared === null || shared === hover.step
        ? `Step ${fmt.count(hover.step)}: ` : `Step ${fmt.count(hover.step)} (kept: step ${fmt.count(shared)}): `;
      readout.replaceChildren(
        h('strong', {}, head),
        ...hover.values.map((v, i) => runReading(v, i, shared === null && v.at !== undefined && v.at !== hover.step)),
      );
    },
    destroy,
  };
}

// One run's part of the hover readout: its swatch, name and loss, and its own step when asked.
function runReading(v, i, withStep) {
  return h('span', {},
    i ? ' · ' : '',
    h('span', { class: 'swatch-inline', style: { background: v.color } }),
    `${v.label} ${v.loss === undefined ? '—' : fmt.short(v.loss)}`,
    withStep ? ` (step ${fmt.count(v.at)})` : '');
}
