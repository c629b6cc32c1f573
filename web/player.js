// Play / pause on requestAnimationFrame: turns "N steps per second" into whole steps per frame and
// hands them to one onStep(n). Steps due but not taken carry over, so a slow frame does not slow the
// lesson down and speed 1 really is one step a second.
export function createPlayer({ onStep, onChange, getSpeed }) {
  let playing = false;
  let frame = 0;
  let last = 0;
  let due = 0;

  function tick(now) {
    if (!playing) return;
    // At most a quarter second of catch-up: a tab in the background should not jump ahead.
    due += (Math.min(now - last, 250) / 1000) * getSpeed();
    last = now;
    const n = Math.floor(due);
    if (n > 0) {
      due -= n;
      // onStep returns false when there is nothing more to play (every run stopped, or the limit).
      if (onStep(n) === false) return pause();
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
