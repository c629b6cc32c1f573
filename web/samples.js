// Looking things up in a run's samples. A history is a list of samples, not one entry per step:
// steps[k] is the step number of sample k (strictly increasing), and older samples stand for many
// steps each. Everything here searches, so its cost follows the (bounded) sample count, never the
// step count. Pure: no DOM, no engine.

// Index of the last sample at or before `step`, or -1 when every sample is later (binary search).
export function indexAtOrBefore(steps, step) {
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0 || !(step >= steps[0])) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (steps[mid] <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// The step of the last sample: the run's current step (or where it stopped); -1 when empty.
export function lastStep(steps) {
  return steps.length ? steps[steps.length - 1] : -1;
}

// {value, step} of the sample at or just before `step` (step: the sample's own step, which differs
// from the one asked for where the history was thinned), or null when there is none.
export function valueAt(steps, values, step) {
  const k = indexAtOrBefore(steps, step);
  if (k < 0 || k >= values.length) return null;
  return { value: values[k], step: steps[k] };
}

// The first step whose loss is within `tol` of fstar: {step, exact}. A sample in the thinned part
// (a gap of more than one step next to it) stands for steps whose own losses are gone, so there the
// step is the sample's and exact is false. The sample's min and max loss are checked too, so a dip
// between kept samples is not missed. null: not reached.
export function firstWithin(h, fstar, tol) {
  const within = (v) => Math.abs(v - fstar) <= tol;
  const n = h.losses.length;
  for (let k = 0; k < n; k++) {
    if (!within(h.losses[k]) && !within(h.lossMin[k]) && !within(h.lossMax[k])) continue;
    if (k === 0 && within(h.losses[0])) return { step: h.steps[0], exact: true };
    const thinned = (k > 0 && h.steps[k] - h.steps[k - 1] > 1) || (k + 1 < n && h.steps[k + 1] - h.steps[k] > 1);
    return { step: h.steps[k], exact: !thinned };
  }
  return null;
}

// A run's loss at a hovered step, for the chart's readout: {label, color, loss, at}, from the sample
// at or just before the step (at: that sample's step, which differs where the history was thinned);
// loss undefined after the run ended. run: {label, color, steps, losses}.
export function hoverValue(run, step) {
  const at = step > lastStep(run.steps) ? null : valueAt(run.steps, run.losses, step);
  return { label: run.label, color: run.color, loss: at?.value, at: at?.step };
}
