// A run's Schedule drawer: a torch.optim.lr_scheduler chosen from the core's catalog, its
// arguments with torch's names, and a small chart of the lr over the run's steps that the core
// computes as the arguments change, before anything runs. Every edit commits the run's "scheduler"
// through onCommit, which throws the core's message (naming the field) for a bad argument: the
// message shows here and the run stays as it was. "none" removes the scheduler.
import { h, uid } from './dom.js';
import { drawLrChart } from '../render/lr_chart.js';
import { cssBox, fitCanvas } from '../canvas_fit.js';

// catalog: engine.catalog.schedulers ([{name, description, arguments: [{name, kind, default,
//          required, min?, choices?, note?, example?}]}])
// run(): the run's optimizer entry as it stands; horizon(): how many steps to chart;
// lrSchedule(entry, steps): the core's {lr, depends_on_loss, stopped};
// onCommit(scheduler | null): commits, or throws the core's message.
export function scheduleControl({ label, catalog, run, horizon, lrSchedule, onCommit }) {
  const current = run().scheduler;
  let name = current?.name ?? 'none';
  let args = current ? withoutName(current) : {};
  const error = h('p', { class: 'run-error', role: 'status', hidden: true });
  const summary = h('summary', {});
  const select = h('select', { 'aria-label': `Scheduler of ${label}` },
    h('option', { value: 'none' }, 'none'), catalog.map((s) => h('option', { value: s.name }, s.name)));
  select.value = name;
  const about = h('p', { class: 'hint schedule-about' });
  const form = h('div', { class: 'schedule-args' });
  const canvas = h('canvas', { class: 'schedule-chart', role: 'img', 'aria-label': `lr of ${label} over the steps` });
  const note = h('p', { class: 'hint schedule-note' });
  const details = h('details', { class: 'schedule' }, summary,
    h('label', { class: 'schedule-pick' }, 'lr_scheduler ', select), about, form, canvas, note, error);

  const entry = () => catalog.find((s) => s.name === name);
  const scheduler = () => (name === 'none' ? null : { name, ...args });

  function commit() {
    try {
      onCommit(scheduler());
      error.hidden = true;
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
    refresh();
  }

  select.addEventListener('change', () => {
    name = select.value;
    // A new scheduler starts from the catalog's examples for what torch requires.
    args = {};
    for (const a of entry()?.arguments ?? []) if ('example' in a) args[a.name] = structuredClone(a.example);
    buildForm();
    commit();
  });

  function buildForm() {
    const e = entry();
    about.textContent = e ? e.description : 'The lr stays as set.';
    form.replaceChildren(...(e?.arguments ?? []).map((a) => argControl(a)));
  }

  // One argument: a box (and a slider for a period), a checkbox, a menu, or a text box for lists.
  function argControl(a) {
    const id = uid('sched');
    const named = `${a.name} of ${label}'s schedule`;
    const value = a.name in args ? args[a.name] : a.default;
    const set = (v) => {
      if (v === undefined) delete args[a.name];
      else args[a.name] = v;
      commit();
    };
    const head = h('label', { for: id, class: 'mono', title: a.note ?? '' }, a.name, a.required ? ' *' : '');
    if (a.kind === 'bool') {
      const box = h('input', { type: 'checkbox', id, checked: Boolean(value), 'aria-label': named, onchange: () => set(box.checked) });
      return h('div', { class: 'hp bool' }, box, head);
    }
    if (a.kind === 'choice') {
      const menu = h('select', { id, 'aria-label': named, onchange: () => set(menu.value) }, a.choices.map((c) => h('option', { value: c }, c)));
      menu.value = value;
      return h('div', { class: 'hp' }, head, menu);
    }
    if (a.kind === 'milestones' || a.kind === 'schedulers') {
      const text = value === null || value === undefined ? '' : a.kind === 'milestones' ? value.join(', ') : JSON.stringify(value);
      const box = h('input', { type: 'text', id, value: text, 'aria-label': named, class: 'mono', spellcheck: false });
      box.addEventListener('change', () => {
        const t = box.value.trim();
        if (t === '') return set(undefined); // the core says it is required
        if (a.kind === 'milestones') return set(t.split(/[\s,]+/).filter(Boolean).map(Number)); // the core checks each
        try {
          return set(JSON.parse(t));
        } catch {
          error.textContent = `${a.name}: not readable as JSON, e.g. [{"name": "linear_lr", "total_iters": 10}]`;
          error.hidden = false;
          return undefined;
        }
      });
      return h('div', { class: 'hp schedule-list' }, head, box);
    }
    // number or integer: a box; empty means the default (or, when required, the core's "required").
    const box = h('input', {
      type: 'number', id, step: a.kind === 'integer' ? 1 : 'any', inputmode: 'decimal', 'aria-label': named,
      value: value === null || value === undefined ? '' : String(value), placeholder: a.note ? 'default' : '',
    });
    box.addEventListener('change', () => set(box.value.trim() === '' ? undefined : Number(box.value)));
    if (a.kind !== 'integer') return h('div', { class: 'hp' }, head, box);
    // A period gets a slider over the charted steps.
    const range = h('input', {
      type: 'range', min: a.min ?? 1, max: Math.max((a.min ?? 1) + 1, horizon()), step: 1, 'aria-label': `${named} (slider)`,
      value: Number.isFinite(value) ? String(value) : String(a.min ?? 1),
    });
    range.addEventListener('input', () => {
      box.value = range.value;
      set(Number(range.value));
    });
    return h('div', { class: 'hp' }, head, range, box);
  }

  // The summary and the chart of what is committed (the run, not the form: a rejected edit leaves
  // the run's schedule on the chart).
  function refresh() {
    const entryNow = run();
    const sched = entryNow.scheduler;
    summary.textContent = `Schedule: ${sched ? sched.name : 'none'}`;
    if (!details.open) return;
    const steps = horizon(sched);
    let s;
    try {
      s = lrSchedule(entryNow, steps);
    } catch (e) {
      note.textContent = e.message;
      return;
    }
    const box = cssBox(canvas);
    fitCanvas(canvas, box);
    const plateau = s.depends_on_loss;
    const drawn = drawLrChart(canvas.getContext('2d'), {
      series: [{ lr: s.lr, color: getComputedStyle(details).getPropertyValue('--run-color').trim() || '#888' }],
      xMax: steps,
      note: plateau ? 'depends on the loss: see the lr panel as it runs' : null,
      stopAt: s.stopped ? s.stopped.step - 1 : null,
    }, { width: box.w, height: box.h, dpr: box.dpr });
    canvas.dataset.lr = plateau ? '' : JSON.stringify(s.lr); // what is drawn, for tests and readers
    canvas.dataset.log = String(drawn.log);
    note.textContent = plateau
      ? `${sched.name} lowers the lr when the loss stops improving, so its lr is known only as the run goes.`
      : s.stopped ? `torch stops at step ${s.stopped.step}: ${s.stopped.message}`
        : `lr over ${steps} steps, computed by the core${sched ? '' : ' (no scheduler: constant)'}.`;
  }

  details.addEventListener('toggle', refresh);
  buildForm();
  refresh();
  return { el: details, details, refresh };
}

function withoutName({ name: _, ...rest }) {
  return structuredClone(rest);
}
