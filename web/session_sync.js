// Keeps the engine's Session in line with the state: open() for a new experiment, apply() for a
// change of the current one (rewriting only what changed). version bumps whenever the session's
// numbers change, epoch when histories are rewritten (not just extended): the views key their
// caches on the two. Nothing here computes a step; the core does.
import { withSession } from './engine.js';
import * as S from './state.js';

// opened(session, state): called after each new session (the network view reads its dataset).
export function createSessionSync(engine, { opened }) {
  let session = null;
  let info = null; // the current landscape's {formula, note, view, start, minima, log_scale}
  let version = 0;
  let epoch = 0;
  const bare = ({ color, ...run }) => run; // the colour is the page's alone; the label is in the internals
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function open(st) {
    const s = engine.openSession(S.toSpec(st));
    session?.close();
    session = s;
    info = st.mode === 'network' ? null : session.landscapeInfo();
    opened(session, st);
    version += 1;
    epoch += 1;
  }

  // Makes the session match `next` (prev is what it matches now). Throws, with the session left
  // matching prev, if the core rejects the new state.
  function apply(next, prev) {
    const rebuild = next.problem !== prev.problem && !same(next.problem, prev.problem)
      || next.seed !== prev.seed || next.optimizers.length !== prev.optimizers.length;
    if (rebuild) {
      open(next);
      return;
    }
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
          session.setOptimizer(i, run);
          changed = rewritten = true;
        }
      });
      if (session.stepCount() !== next.steps) {
        session.goTo(next.steps);
        changed = true;
      }
      if (changed) version += 1;
      if (rewritten) epoch += 1;
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
