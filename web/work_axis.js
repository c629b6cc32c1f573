// The loss chart's x axis as work done, so batch 1 and full batch compare at equal cost: steps,
// epochs (passes over the training data) or examples seen. Each run has its own conversion, from
// what the core says of it (runStatus: batch_size, steps_per_epoch, rows). Pure: no DOM, no engine.

export const WORK_AXES = ['steps', 'epochs', 'examples'];

export const AXIS_LABEL = { steps: 'step', epochs: 'epoch', examples: 'examples seen' };

// work: {batch_size (null: full batch), steps_per_epoch, rows} or undefined (not a data problem).
// Returns k => the axis position after k steps. Within an epoch every batch but the last is full
// size, so k steps have seen floor(k / spe) whole epochs and (k mod spe) full batches.
export function workOf(axis, work) {
  if (axis === 'steps' || !work) return (k) => k;
  const spe = work.steps_per_epoch;
  if (axis === 'epochs') return (k) => k / spe;
  const b = work.batch_size ?? work.rows;
  return (k) => Math.floor(k / spe) * work.rows + (k % spe) * b;
}

// Positions of a run's samples (steps: Float64Array of step numbers) on the axis.
export function positions(axis, work, steps) {
  if (axis === 'steps' || !work) return steps;
  const f = workOf(axis, work);
  return Float64Array.from(steps, f);
}

// The chart's extra fields for a non-step axis ({} for steps): its label, its length (the longest
// run's work at `steps`), and the hover line's place at `fraction` of it (null: no hover).
export function axisFields(axis, works, steps, fraction) {
  if (axis === 'steps') return {};
  const xMax = Math.max(1e-9, ...works.map((w) => workOf(axis, w)(steps)));
  return { xLabel: AXIS_LABEL[axis], xMax, xFractional: axis === 'epochs', hoverAt: fraction === null ? null : fraction * xMax };
}

// The step a run had reached when its work was `at` on the axis; Infinity past the run's end (so
// the readout shows it has no value there).
export function stepAtWork(axis, work, steps, at) {
  if (axis === 'steps' || !work) return Math.round(at);
  const f = workOf(axis, work);
  const last = steps.length ? steps[steps.length - 1] : 0;
  if (at > f(last) * (1 + 1e-12)) return Infinity;
  // f is increasing in k: the largest k with f(k) <= at, by bisection over 0..last.
  let lo = 0;
  let hi = last;
  if (f(0) > at) return 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (f(mid) <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// What the loss chart and its hover readout need for runs ({steps, work, divergedAt}) on `axis`,
// with the pointer at `fraction` of the axis (null: nowhere) after `steps` steps:
// {fields (the chart's axis fields), x[i] and divergedX[i] (run i's positions; undefined on a step
// axis), hoverStep (the chart's, on a step axis), hoverSteps[i] (each run's step under the pointer),
// head (the readout's lead, on an axis of work)}.
export function axisPlan(axis, runs, steps, fraction) {
  if (axis === 'steps') {
    const hoverStep = fraction === null ? null : Math.min(steps, Math.round(fraction * Math.max(1, steps)));
    return { fields: {}, x: [], divergedX: [], hoverStep, hoverSteps: runs.map(() => hoverStep), head: null };
  }
  const fields = axisFields(axis, runs.map((r) => r.work), steps, fraction);
  return {
    fields,
    x: runs.map((r) => positions(axis, r.work, r.steps)),
    divergedX: runs.map((r) => (r.divergedAt === null ? null : workOf(axis, r.work)(r.divergedAt))),
    hoverStep: null,
    hoverSteps: runs.map((r) => (fraction === null ? null : stepAtWork(axis, r.work, r.steps, fields.hoverAt))),
    head: fraction === null ? null : { at: fields.hoverAt, unit: axis === 'epochs' ? 'epochs' : 'examples seen' },
  };
}

// A run's work figures from the core's runStatus(i); undefined for a landscape.
export const workOfStatus = (status) => (status.rows ? { batch_size: status.batch_size, steps_per_epoch: status.steps_per_epoch, rows: status.rows } : undefined);

// A run's batch size as the legend says it: "batch 8", "full batch"; undefined for a landscape.
export const batchTag = (work) => (work ? (work.batch_size === null ? 'full batch' : `batch ${work.batch_size}`) : undefined);
