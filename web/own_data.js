// The user's own points for a network (issue 17): a CSV file read by the core, or points added,
// dragged and removed on a decision-boundary panel. Every edit is a new problem whose data are
// given points ({x, y}, with the generated set's seed and test_fraction kept so the split stays
// seeded); the generated set it replaced is remembered, page-only, to go back to.
// A data set travels in the share link up to LINK_MAX_POINTS points; bigger, the link leaves the
// experiment out (state.js toHash) and only an exported experiment file holds it.

export { LINK_MAX_POINTS } from './state.js';

// Page-only: the points editor's mode and class, and the generated set to go back to.
export const editor = { on: false, cls: 0, generated: null };

// Points a problem's data holds as given points, or 0 for a generated set.
export function givenCount(problem) {
  return Array.isArray(problem?.data?.x) ? problem.data.x.length : 0;
}

// Every point of a session's dataset (Session.dataset()) in its list order, training and test.
export function allPoints(dataset) {
  const n = dataset.train_rows.length + dataset.test_rows.length;
  const x = new Array(n);
  const y = new Array(n);
  dataset.train_rows.forEach((r, k) => { x[r] = [...dataset.train.x[k]]; y[r] = dataset.train.y[k]; });
  dataset.test_rows.forEach((r, k) => { x[r] = [...dataset.test.x[k]]; y[r] = dataset.test.y[k]; });
  return { x, y };
}

// The problem with `points` as its data (seed and test_fraction kept) and, for class labels, an
// output layer that fits the classes.
export function withPoints(problem, points) {
  if (!Array.isArray(problem.data.x)) editor.generated = structuredClone(problem.data);
  const data = { x: points.x, y: points.y };
  if (problem.data.seed !== undefined) data.seed = problem.data.seed;
  if (problem.data.test_fraction !== undefined) data.test_fraction = problem.data.test_fraction;
  const p = { ...structuredClone(problem), data };
  if (p.loss === 'cross_entropy') {
    const classes = Math.max(2, ...points.y.map((v) => v + 1));
    p.layers[p.layers.length - 1] = Math.max(p.layers[p.layers.length - 1], classes);
  }
  return p;
}

// The CSV reader's target for a problem: its loss (the label rule follows it).
export function csvTarget(problem) {
  return problem.loss ?? 'bce';
}
