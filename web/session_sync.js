// Keeps the engine's Session in line with the state: open() for a new experiment, apply() for a
// change of the current one (rewriting only what changed). version bumps whenever the session's
// numbers change, epoch when histories are rewritten (not just extended): the views key their
// caches on the two. Nothing here computes a step; the core does.
//
// Heavy work is done in slices (issue 11): a move forward that would take longer than SLICE_MS
// goes only as far as one slice reaches, open() and apply() return the step reached, and owed()
// names the step still to be reached; catch_up.js takes it there slice by slice between frames,
// so the page answers clicks while a link at the budget's limit computes.
import { withSession } from './engine.js';
import * as S from './state.js';

// opened(session, state): called after each new session (the network view reads its dataset).
const SLICE_MS = 30;
// A slice is never smaller than this many of the core's operations (~30 ms at its nominal ~1 ns
// each), whatever the measured speed: a small move (Step 10, a frame of Play) is made in one go on
// a busy machine too, so the state always says what was asked for unless the work is large.
const SLICE_OPS = 3e7;

export function createSessionSync(engine, { opened }) {
  let session = null;
  let owed = null; // the step a slice-limited move still has to reach, or null
  let msPerOp = 1e-6; // measured: the budget's operations are calibrated to about 1 ns in wasm
  let info = null; // the current landscape's {formula, note, view, start, minima, log_scale}
  let version = 0;
  let epoch = 0;
  const bare = ({ color, ...run }) => run; // the colour is the page's alone; the label is in the internals
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  // Steps as many steps toward target as fit in one slice, sized by the measured speed of the
  // last ones (at least SLICE_OPS); returns the step reached. Never fewer than one step: the core's
  // step budget keeps a single step of every run within the slice's order of magnitude.
  function stepToward(target) {
    const here = session.stepCount();
    if (target <= here) return here;
    const perStep = Math.max(1, session.stepCost());
    const fits = Math.max(1, Math.floor(SLICE_OPS / perStep), Math.floor(SLICE_MS / (perStep * msPerOp)));
    const to = Math.min(target, here + fits);
    const t0 = performance.now();
    session.goTo(to);
    const ms = performance.now() - t0;
    // Only slices long enough to time well teach the speed (a timer tick or a pause would not).
    if (ms >= 5) msPerOp = Math.max(1e-8, 0.5 * msPerOp + 0.5 * (ms / ((to - here) * perStep)));
    return session.stepCount();
  }

  // Moves the session to `target` steps, or as far toward it as one slice goes (then owed() holds
  // it); returns the step reached.
  function seek(target) {
    if (target < session.stepCount()) {
      if (target >= session.earliestStep()) {
        session.goTo(target); // within the exact window: at most one checkpoint interval of replay
        return finish(target, target);
      }
      session.goTo(0); // below the window the core would replay from 0 in one go: slice it instead
    }
    return finish(target, stepToward(target));
  }

  function finish(target, reached) {
    owed = reached < target ? target : null;
    return reached;
  }

  // Opens a session for `st`, stepped toward st.steps in slices; returns the step reached.
  function open(st) {
    const s = engine.openSession(S.toSpec({ ...st, steps: 0 }));
    session?.close();
    session = s;
    info = st.mode === 'network' ? null : session.landscapeInfo();
    opened(session, st);
    version += 1;
    epoch += 1;
    return seek(st.steps);
  }

  // Makes the session match `next` (prev is what it matches now). Throws, with the session left
  // matching prev, if the core rejects the new state.
  function apply(next, prev) {
    const rebuild = next.problem !== prev.problem && !same(next.problem, prev.problem)
      || next.seed !== prev.seed || next.optimizers.length !== prev.optimizers.length;
    if (rebuild) return open(next);
    const owing = owed;
    try {
      let changed = false;
      let rewritten = false;
      // Going down first: a rewrite below then recomputes only up to the new step.
      if (next.steps < session.stepCount()) {
        session.goTo(next.steps);
        changed = rewritten = true;
      }
      if (next.start && !same(next.start, prev.start)) {
        session.setStart(next.start[0], next.start[1]);
        changed = rewritten = true;
      }
      next.optimizers.forEach((run, i) => {
        if (!same(bare(run), bare(prev.optimizers[i]))) {
          // The core would recompute the run up to here in one go: when that is more than a
          // slice, go back to 0 (cheap) and let the steps be redone in slices.
          const work = session.stepCount() * (session.stepCost() / session.runCount());
          if (work > Math.max(SLICE_OPS, SLICE_MS / msPerOp)) session.goTo(0);
          session.setOptimizer(i, run);
          changed = rewritten = true;
        }
      });
      let reached = next.steps;
      if (session.stepCount() !== next.steps) {
        reached = seek(next.steps);
        changed = true;
      }
      // A change that does not move the steps (a colour, a rewrite) keeps a catch-up going.
      if (next.steps === prev.steps && owing !== null) owed = owing;
      if (changed) version += 1;
      if (rewritten) epoch += 1;
      return reached;
    } catch (e) {
      open(prev); // a half-applied change must not linger
      throw e;
    }
  }

  // Fills a missing start or view with the landscape's own.
  function withDefaults(st) {
    if (st.mode === 'network' || (st.start && st.view)) return st;
    const known = st.problem.name ? engine.landscape(st.problem.name) : null;
    const li = known ?? withSession(engine, S.toSpec({ ...st, start: null, view: null, steps: 0 }), (s) => s.landscapeInfo());
    return { ...st, start: st.start ?? [...li.start], view: st.view ?? { ...li.view } };
  }

  return {
    open, apply, withDefaults,
    owed: () => owed,
    // Stops a catch-up where it is (Cancel).
    forgetOwed() { owed = null; },
    session: () => session,
    info: () => info,
    version: () => version,
    epoch: () => epoch,
    // Every picture is to be redrawn whole (a new look): as if every history had been rewritten.
    repaint() {
      version += 1;
      epoch += 1;
    },
  };
}
