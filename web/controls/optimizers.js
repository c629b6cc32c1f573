// The Runs panel: one card per run (name, colour, remove, and every hyperparameter with torch's name,
// a slider and an exact box, built from the core's optimizer catalog) and "Add run" from presets.
import { h, uid } from './dom.js';
import { numberControl } from './slider.js';
import { batchSizeControl } from './batch_size.js';
import { scheduleControl } from './schedule.js';
import { limits } from '../state.js';
import { nextRunColor } from '../palette.js';
import { fromHereOffer, changesList, withoutChange } from './from_here.js';

// Presets are torch optimizers with a few settings; the catalog stays the one list of names.
// Adaptive methods get lr 0.05 instead of torch's 1e-3..2e-3 so that their path is visible on a
// landscape within a hundred steps; everything else is torch's default. RAdam keeps torch's 1e-3:
// its first five steps are plain momentum steps on the raw gradient, which blow up at 0.05 on
// steep landscapes (update-rules.md, case diverge-radam-warmup).
const PRESETS = [
  { label: 'SGD', name: 'sgd' },
  { label: 'Momentum', name: 'sgd', options: { momentum: 0.9 } },
  { label: 'Nesterov', name: 'sgd', options: { momentum: 0.9, nesterov: true } },
  { label: 'AdaGrad', name: 'adagrad', options: { lr: 0.5 } },
  { label: 'RMSprop', name: 'rmsprop' },
  { label: 'Adam', name: 'adam', options: { lr: 0.05 } },
  { label: 'AdamW', name: 'adamw', options: { lr: 0.05 } },
  { label: 'AMSGrad', name: 'adam', options: { lr: 0.05, amsgrad: true } },
  { label: 'Adamax', name: 'adamax', options: { lr: 0.05 } },
  { label: 'NAdam', name: 'nadam', options: { lr: 0.05 } },
  { label: 'RAdam', name: 'radam' },
  { label: 'Adadelta', name: 'adadelta' },
];

// torch's class names, for the settings' heading (the catalog has the module-level names).
const TORCH_CLASS = {
  sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW', adamax: 'Adamax',
  nadam: 'NAdam', radam: 'RAdam', adadelta: 'Adadelta',
};

// ctx: {catalog: engine.optimizers, getState(), setState(patch), dataSize() (the number of training
//       points of a problem made of data, where each run can have its own batch size; else null),
//       isPlaying(), schedulers: engine.catalog.schedulers, lrSchedule(entry, steps): the core's lr schedule}
export function mountOptimizers(root, ctx) {
  const known = new Set(ctx.catalog.map((o) => o.name));
  const presets = PRESETS.filter((p) => known.has(p.name));
  // Optimizers the core has that no preset covers (added later) still get an entry.
  for (const o of ctx.catalog) {
    if (!presets.some((p) => p.name === o.name)) presets.push({ label: o.name, name: o.name });
  }

  const list = h('div', { class: 'run-list', role: 'list' });
  const presetSelect = h('select', { 'aria-label': 'Optimizer to add' },
    presets.map((p, i) => h('option', { value: String(i) }, p.label)));
  const addButton = h('button', { type: 'button', onclick: () => add(presets[Number(presetSelect.value)]) }, 'Add run');
  const addError = h('p', { class: 'run-error', hidden: true, role: 'status' });
  root.append(
    h('p', { class: 'hint' }, 'Every run starts from the same point. Changing a setting restarts that run only.'),
    list,
    h('div', { class: 'add-run' }, presetSelect, addButton),
    addError,
  );

  let shown = null; // the optimizers array the cards were built for (or last committed)
  let cards = [];

  function add(preset) {
    const st = ctx.getState();
    if (st.optimizers.length >= limits().max_optimizers) return;
    const color = nextRunColor(st.optimizers.map((o) => o.color ?? ''));
    const run = { name: preset.name, ...preset.options, label: uniqueLabel(preset.label, st.optimizers), color };
    try {
      ctx.setState({ optimizers: [...st.optimizers, run], selected: st.optimizers.length });
      addError.hidden = true;
    } catch (e) {
      addError.textContent = e.message;
      addError.hidden = false;
    }
  }

  // Replaces run i by fn(run); throws what the core says about a bad value.
  function change(i, fn) {
    const st = ctx.getState();
    const optimizers = st.optimizers.map((o, k) => (k === i ? fn({ ...o }) : o));
    const next = ctx.setState({ optimizers });
    shown = next.optimizers;
    cards[i]?.schedule?.refresh(); // its chart follows the run's lr
  }

  function card(run, i) {
    const entry = ctx.catalog.find((o) => o.name === run.name);
    const label = run.label || run.name;
    const error = h('p', { class: 'run-error', hidden: true, role: 'status' });
    const fail = (e) => {
      error.textContent = e.message;
      error.hidden = false;
    };
    const name = h('input', {
      type: 'text', value: label, maxlength: limits().max_label_length, 'aria-label': `Name of run ${i + 1}`,
      oninput: () => change(i, (o) => ({ ...o, label: name.value })),
      // The other controls are named after the run ("Remove Adam"): rename them once typing ends.
      onchange: () => {
        const focused = document.activeElement === name;
        rebuild(ctx.getState());
        if (focused) cards[i].name.focus();
      },
    });
    const color = h('input', {
      type: 'color', value: run.color ?? '#000000', 'aria-label': `Colour of ${label}`,
      oninput: () => {
        change(i, (o) => ({ ...o, color: color.value }));
        el.style.setProperty('--run-color', color.value);
      },
    });
    const remove = h('button', {
      type: 'button', 'aria-label': `Remove ${label}`, disabled: ctx.getState().optimizers.length <= 1,
      onclick: () => {
        const st = ctx.getState();
        try {
          ctx.setState({ optimizers: st.optimizers.filter((_, k) => k !== i), selected: Math.max(0, Math.min(st.selected, st.optimizers.length - 2)) });
        } catch (e) {
          fail(e);
        }
      },
    }, '✕');

    // Applying from here puts the edited values back as they were and adds them as a change.
    const offer = fromHereOffer(label, (fn) => {
      try {
        replace(i, fn(ctx.getState().optimizers[i]));
      } catch (e) {
        fail(e);
      }
    });
    const edited = (before, name) => {
      const k = before.steps;
      if (k > 0 && !ctx.isPlaying?.()) offer.note(k, before.optimizers[i], name, ctx.getState().optimizers[i][name]);
    };
    const params = (entry?.hyperparameters ?? []).map((hp) => hyperparameter(hp, run, label, i, fail, error, edited));
    const changes = changesList(run, label, (k) => {
      try {
        replace(i, withoutChange(ctx.getState().optimizers[i], k));
      } catch (e) {
        fail(e);
      }
    });
    const batch = batchControl(run, label, i);
    const schedule = ctx.schedulers ? scheduleControl({
      label, catalog: ctx.schedulers, run: () => ctx.getState().optimizers[i], lrSchedule: ctx.lrSchedule,
      horizon: (sched) => chartSteps(ctx.getState().steps, sched),
      onCommit: (sched) => change(i, ({ scheduler: _, ...o }) => (sched ? { ...o, scheduler: sched } : o)),
    }) : null;
    const details = h('details', { open: i === ctx.getState().selected },
      h('summary', {}, `${run.name} settings (torch.optim.${TORCH_CLASS[run.name] ?? run.name})`), ...params.map((p) => p.el));
    const el = h('div', { class: 'run-card', role: 'listitem', style: { '--run-color': run.color ?? '#888' } },
      h('div', { class: 'run-head' }, color, name, remove),
      batch?.el, schedule?.el, details, changes, offer.el, error);
    return { el, details, name, schedule };
  }

  // Run i replaced whole (a change applied or removed): the card is rebuilt to list its changes.
  function replace(i, run) {
    const st = ctx.getState();
    ctx.setState({ optimizers: st.optimizers.map((o, k) => (k === i ? run : o)) });
    rebuild(ctx.getState());
  }

  function rebuild(st) {
    const open = cards.map((c) => [c.details.open, c.schedule?.details.open]);
    const sameCount = cards.length === st.optimizers.length;
    cards = st.optimizers.map((run, i) => card(run, i));
    if (sameCount) {
      cards.forEach((c, i) => {
        c.details.open = open[i][0];
        if (c.schedule) c.schedule.details.open = Boolean(open[i][1]);
      });
    }
    list.replaceChildren(...cards.map((c) => c.el));
    shown = st.optimizers;
  }

  // Shown outside the settings: the batch size is what a batch-size comparison is about. A run
  // without its own batch size uses the problem's.
  function batchControl(run, label, i) {
    const n = ctx.dataSize?.();
    if (!n) return null;
    const problem = ctx.getState().problem.batch_size ?? null;
    return batchSizeControl({
      name: `batch size of ${label}`, n, value: 'batch_size' in run ? run.batch_size : problem,
      onCommit: (b) => change(i, (o) => ({ ...o, batch_size: b })),
    });
  }

  // edited(before, name): after a number or pair was changed (the run restarted), with the state
  // from before, so the card can offer to apply the value from the current step instead.
  function hyperparameter(hp, run, label, i, fail, error, edited) {
    const ok = () => { error.hidden = true; };
    if (hp.kind === 'bool') {
      const id = uid('hp');
      const box = h('input', {
        type: 'checkbox', id, checked: Boolean(run[hp.name] ?? hp.default), 'aria-label': `${hp.name} of ${label}`,
        onchange: () => {
          try {
            change(i, (o) => ({ ...o, [hp.name]: box.checked }));
            ok();
          } catch (e) {
            box.checked = !box.checked;
            fail(e);
          }
        },
      });
      return { el: h('div', { class: 'hp bool' }, box, h('label', { for: id }, hp.name)) };
    }
    if (hp.kind === 'pair') {
      const value = run[hp.name] ?? hp.default;
      const parts = [0, 1].map((k) => numberControl({
        label: `${hp.name}[${k}]`, name: `${hp.name}[${k}] of ${label}`, value: value[k],
        min: hp.min, max: hp.max, log: hp.log,
        onCommit: (v) => {
          const before = ctx.getState();
          change(i, (o) => {
            const pair = [...(o[hp.name] ?? hp.default)];
            pair[k] = v;
            return { ...o, [hp.name]: pair };
          });
          edited(before, hp.name);
        },
      }));
      return { el: h('div', {}, parts.map((p) => p.el)) };
    }
    return numberControl({
      label: hp.name, name: `${hp.name} of ${label}`, value: run[hp.name] ?? hp.default,
      min: hp.min, max: hp.max, log: hp.log,
      onCommit: (v) => {
        const before = ctx.getState();
        change(i, (o) => ({ ...o, [hp.name]: v }));
        edited(before, hp.name);
      },
    });
  }

  let size = null; // the data size the cards were built for
  return {
    update(st) {
      const n = ctx.dataSize?.() ?? null;
      if (n !== size) {
        size = n;
        shown = null; // a new problem: the batch controls come or go, or their range changed
      }
      // Rebuild only when something other than this panel changed the runs (a lesson, an
      // import, add/remove): rebuilding under a slider being dragged would drop it.
      if (shown !== st.optimizers) {
        if (sameRuns(shown, st.optimizers)) shown = st.optimizers;
        else rebuild(st);
      }
      cards.forEach((c, i) => c.el.classList.toggle('selected', i === st.selected));
      addButton.disabled = st.optimizers.length >= limits().max_optimizers;
      addButton.title = addButton.disabled ? `At most ${limits().max_optimizers} runs` : '';
    },
    destroy() {
      root.replaceChildren(); // the listeners sit on what it built
    },
  };
}

// How many steps a schedule is charted over before it runs: 200, or the steps already taken, or a
// one_cycle_lr's total_steps, whichever is most (past total_steps the chart shows torch stop).
const CHART_STEPS = 200;
function chartSteps(steps, sched) {
  return Math.max(CHART_STEPS, steps, Number.isInteger(sched?.total_steps) ? sched.total_steps : 0);
}

function sameRuns(a, b) {
  return Boolean(a) && a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}

function uniqueLabel(base, runs) {
  const used = new Set(runs.map((r) => r.label));
  if (!used.has(base)) return base;
  for (let k = 2; ; k++) if (!used.has(`${base} ${k}`)) return `${base} ${k}`;
}
