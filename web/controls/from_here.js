// Changes "from here" (issue 15, item 8): a hyperparameter edited while paused at step k > 0
// restarts the run, as before (the default); the card then offers to apply the new value from
// step k instead, keeping the run's first k steps, as editing param_groups between steps does in
// torch. Applied values go to the run's "changes" list (docs/spec/experiment.md), so the share
// link reproduces them. No maths here: the core replays the changes.
import { h } from './dom.js';

// run with {step, ...values} merged into its changes: into the change at that step if there is
// one, else inserted in step order (the core wants strictly increasing steps).
export function withChange(run, step, values) {
  const changes = (run.changes ?? []).map((c) => ({ ...c }));
  const at = changes.find((c) => c.step === step);
  if (at) Object.assign(at, values);
  else changes.push({ step, ...values });
  changes.sort((a, b) => a.step - b.step);
  return { ...run, changes };
}

// run without its changes[index] (the "changes" key goes when the list empties).
export function withoutChange(run, index) {
  const { changes = [], ...rest } = run;
  const left = changes.filter((_, k) => k !== index);
  return left.length ? { ...rest, changes: left } : rest;
}

const shown = (v) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
const describe = (values) => Object.entries(values).map(([k, v]) => `${k} = ${shown(v)}`).join(', ');

// The offer under a card's settings. note(step, before, name, value) after a restart by an edit,
// with the run as it was before: dragging a slider edits many times, so the offer gathers the
// edits at one step and remembers each name's value from before the first. Its button calls
// apply(fn), fn turning the run as it is then (its colour or label may have changed since) into
// the run with those names as they were and the new values from `step` on.
export function fromHereOffer(label, apply) {
  let pending = null; // {step, was: {name: value before, or undefined}, values: {name: new value}}
  const text = h('span', {});
  const applyButton = h('button', { type: 'button', class: 'from-here-apply', onclick: () => {
    const p = pending;
    hide();
    if (p) apply((run) => withChange(restored(run, p.was), p.step, p.values));
  } }, 'Apply from here');
  const keep = h('button', { type: 'button', onclick: () => hide() }, 'Keep restart');
  const el = h('div', { class: 'from-here', role: 'status', hidden: true }, text, h('div', { class: 'from-here-buttons' }, keep, applyButton));
  function hide() {
    pending = null;
    el.hidden = true;
  }
  return {
    el,
    hide,
    note(step, before, name, value) {
      if (!pending || pending.step !== step) pending = { step, was: {}, values: {} };
      if (!(name in pending.was)) pending.was[name] = before[name];
      pending.values[name] = value;
      text.textContent = `${label} restarted with ${describe(pending.values)}. Or keep its first ${step} steps and change it from step ${step} on:`;
      applyButton.textContent = `Apply from step ${step}`;
      applyButton.setAttribute('aria-label', `Apply ${describe(pending.values)} to ${label} from step ${step}`);
      el.hidden = false;
    },
  };
}

// run with each name of `was` back to its value (absent where it was absent: torch's default).
export function restored(run, was) {
  const out = { ...run };
  for (const [name, value] of Object.entries(was)) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

// The run's changes as a list, each with a remove button; null without changes.
export function changesList(run, label, remove) {
  if (!run.changes?.length) return null;
  return h('ul', { class: 'run-changes', 'aria-label': `Changes of ${label}` },
    run.changes.map(({ step, ...values }, k) => h('li', {},
      h('span', {}, `from step ${step}: ${describe(values)}`),
      h('button', { type: 'button', 'aria-label': `Remove the change at step ${step} of ${label}`, onclick: () => remove(k) }, '✕'))));
}
