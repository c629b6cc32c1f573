// Play / pause on requestAnimationFrame: turns "N steps per second" into whole steps per frame and
// hands them to one onStep(n). Steps due but not taken carry over, so a slow frame does not slow the
// lesson down and speed 1 really is one step a second. But stepping gets at most BUDGET_MS of each
// frame (from the measured cost of a step): where steps are dear (8 networks) playback runs slower
// than asked rather than the page freezing.
const BUDGET_MS = 12;

export function createPlayer({ onStep, onChange, getSpeed }) {
  let playing = false;
  let frame = 0;
  let last = 0;
  let due = 0;
  let msPerStep = 0; // smoothed cost of one step, measured

  function tick(now) {
    if (!playing) return;
    // At most a quarter second of catch-up: a tab in the background should not jump ahead.
    due += (Math.min(now - last, 250) / 1000) * getSpeed();
    last = now;
    const cap = msPerStep > 0 ? Math.max(1, Math.floor(BUDGET_MS / msPerStep)) : Infinity;
    const n = Math.min(Math.floor(due), cap);
    if (n > 0) {
      due = Math.min(due - n, cap); // what the budget refused does not pile up
      const t0 = performance.now();
      // onStep returns false when there is nothing more to play (every run stopped, or the limit).
      if (onStep(n) === false) return pause();
      const cost = (performance.now() - t0) / n;
      msPerStep = msPerStep ? 0.8 * msPerStep + 0.2 * cost : cost;
    }
    frame = requestAnimationFrame(tick);
  }

  function play() {
    if (playing) return;
    playing = true;
    last = performance.now();
    due = 1; // the first step shows at once, so Play never looks unresponsive
    frame = requestAnimationFrame(tick);
    onChange(true);
  }

  function pause() {
    if (!playing) return;
    playing = false;
    cancelAnimationFrame(frame);
    onChange(false);
  }

  return {
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    isPlaying: () => playing,
  };
}
