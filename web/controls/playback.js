// The playback toolbar: Step, Step 10, Play/Pause, Back, Reset, speed and the step counter, plus the
// page's keyboard shortcuts (Space play/pause, Right step, Left back, R reset).
import { isEditing } from './dom.js';
import { listeners } from '../panel.js';
import * as fmt from '../format.js';

const SPEED_MIN = 1;
const SPEED_MAX = 240;

// Speed slider position 0..100 <-> steps per second, on a log scale (1, 2, 5 ... 240).
const toSpeed = (p) => Math.round(SPEED_MIN * (SPEED_MAX / SPEED_MIN) ** (p / 100));
const toPosition = (s) => Math.round((100 * Math.log(s / SPEED_MIN)) / Math.log(SPEED_MAX / SPEED_MIN));

// Controls whose Space does something else that matters: typing, opening a select, ticking a box.
function ownsSpace(el) {
  const control = el?.closest?.('input, select, textarea, [contenteditable="true"]');
  if (!control) return false;
  return !(control.tagName === 'INPUT' && control.type === 'range');
}

// actions: {step(n), back(), reset(), togglePlay(), setSpeed(stepsPerSecond)}
export function mountPlayback(actions) {
  const $ = (id) => document.getElementById(id);
  const els = {
    step: $('step'), step10: $('step10'), play: $('play'), back: $('back'), reset: $('reset'),
    speed: $('speed'), speedValue: $('speed-value'), counter: $('step-counter'), limit: $('back-limit'),
  };
  const { on, destroy } = listeners();
  on(els.step, 'click', () => actions.step(1));
  on(els.step10, 'click', () => actions.step(10));
  on(els.play, 'click', () => actions.togglePlay());
  on(els.back, 'click', () => actions.back());
  on(els.reset, 'click', () => actions.reset());
  on(els.speed, 'input', () => actions.setSpeed(toSpeed(Number(els.speed.value))));

  on(document, 'keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    // Space is Play/Pause whatever was clicked last (a lesson, Step, a slider): a lecturer's hand
    // is on the space bar, and re-pressing a lesson button would reload the lesson. Typing, a
    // select's list and a checkbox keep their own Space; Enter still presses a focused button.
    if (e.key === ' ' && !ownsSpace(t)) {
      e.preventDefault();
      actions.togglePlay();
      return;
    }
    // Arrows step unless a text box or a slider has them (or the tab strip, which moves by them).
    if (isEditing(t) || t?.getAttribute?.('role') === 'tab') return;
    const act = {
      ' ': () => actions.togglePlay(),
      ArrowRight: () => actions.step(1),
      ArrowLeft: () => actions.back(),
      r: () => actions.reset(),
      R: () => actions.reset(),
    }[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  });

  // Space on a focused button fires its click on keyup: swallow that click, Space has played.
  on(document, 'keyup', (e) => {
    if (e.key === ' ' && !ownsSpace(e.target) && e.target?.closest?.('button, summary, [role="button"]')) e.preventDefault();
  });

  return {
    // view: {steps, playing, speed, canStep, canBack, earliest (the first step Back can reach)}
    update(view) {
      els.counter.textContent = `Step ${fmt.count(view.steps)}`;
      // Only long runs have a limit: the core keeps a window of recent steps exactly.
      const limit = view.earliest > 0 ? `Back reaches step ${fmt.count(view.earliest)}` : '';
      if (els.limit.textContent !== limit) els.limit.textContent = limit;
      els.limit.hidden = !limit;
      els.limit.classList.toggle('at-limit', Boolean(limit) && !view.canBack);
      // Announce the count after a Step by hand, not sixty times a second while playing.
      els.counter.setAttribute('aria-live', view.playing ? 'off' : 'polite');
      els.play.textContent = view.playing ? 'Pause' : 'Play';
      els.play.setAttribute('aria-pressed', String(view.playing));
      // aria-disabled, not disabled: a disabled button drops keyboard focus to the page's start.
      els.back.setAttribute('aria-disabled', String(!view.canBack));
      els.reset.setAttribute('aria-disabled', String(view.steps === 0));
      els.step.setAttribute('aria-disabled', String(!view.canStep));
      els.step10.setAttribute('aria-disabled', String(!view.canStep));
      if (document.activeElement !== els.speed) els.speed.value = String(toPosition(view.speed));
      els.speedValue.textContent = `${view.speed}/s`;
      els.speed.setAttribute('aria-valuetext', `${view.speed} steps per second`);
    },
    destroy,
  };
}
