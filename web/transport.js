// Playback: the player's clock and the toolbar (Step, Back, Reset, Play, speed), within the
// core's limits: Play stops at the step limit, and Back where the core's exact window begins.
import { createPlayer } from './player.js';
import { mountPlayback } from './controls/playback.js';
import { notify } from './controls/notice.js';
import * as S from './state.js';
import * as fmt from './format.js';

// ctx: {getState(), setState(patch), session(), allStopped(), onPause(), redraw()}
export function mountTransport(ctx) {
  const { getState, setState } = ctx;
  const player = createPlayer({
    getSpeed: () => getState().speed,
    onChange: () => {
      if (!player?.isPlaying()) ctx.onPause();
      ctx.redraw();
    },
    onStep: (n) => {
      const st = getState();
      if (ctx.allStopped()) return false;
      // The core hands out a bounded number of samples whatever the step, so Play goes to the end.
      if (st.steps >= S.limits().max_steps) {
        notify(`Playback stops at ${fmt.count(S.limits().max_steps)} steps, the most a run can have.`, 'info');
        return false;
      }
      setState({ steps: Math.min(S.limits().max_steps, st.steps + n) });
      return true;
    },
  });
  const playback = mountPlayback({
    step: (n) => {
      player.pause();
      // Runs that have stopped (diverged, or started where the function is undefined) stay put.
      if (ctx.allStopped()) {
        notify('Every run has stopped (diverged, or started where the function is undefined): there is no step to take. Move the start or change the runs.', 'info');
        return;
      }
      setState({ steps: Math.min(S.limits().max_steps, getState().steps + n) });
    },
    back: () => {
      player.pause();
      const st = getState();
      const earliest = ctx.session().earliestStep();
      if (st.steps > earliest) setState({ steps: st.steps - 1 });
      else if (st.steps > 0) {
        notify(`Back reaches step ${fmt.count(earliest)}: older steps are kept only as a summary. Reset goes to step 0.`, 'info');
      }
    },
    reset: () => {
      player.pause();
      setState({ steps: 0 });
    },
    togglePlay: () => player.toggle(),
    setSpeed: (v) => setState({ speed: v }),
  });
  return {
    player,
    update(st) {
      const earliest = ctx.session().earliestStep();
      playback.update({
        steps: st.steps, playing: player.isPlaying(), speed: st.speed, earliest,
        canStep: st.steps < S.limits().max_steps, canBack: st.steps > earliest,
      });
    },
    destroy() {
      player.pause();
      playback.destroy();
    },
  };
}
