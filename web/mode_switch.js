// The two modes (a 2-D landscape, a small network): the header's switch, and the page's look for
// the mode on screen. Each mode remembers its own experiment, so switching back and forth loses
// nothing.
import * as S from './state.js';
import { hideNotice } from './controls/notice.js';
import { listeners } from './panel.js';

// ctx: {getState(), setState(patch), pause(), withDefaults(state)}
export function mountModeSwitch(ctx) {
  const $ = (id) => document.getElementById(id);
  const { on, destroy } = listeners();
  const saved = { landscape: null, network: null };
  function switchTo(mode) {
    const st = ctx.getState();
    if (st.mode === mode) return;
    ctx.pause();
    saved[st.mode] = S.toSpec(st);
    const spec = saved[mode] ?? (mode === 'network' ? S.DEFAULT_NETWORK : S.DEFAULT_EXPERIMENT);
    ctx.setState(ctx.withDefaults(S.fromSpec(spec, ctx.getState())));
    hideNotice();
  }
  on($('mode-landscape'), 'click', () => switchTo('landscape'));
  on($('mode-network'), 'click', () => switchTo('network'));
  return {
    update(st) {
      const network = st.mode === 'network';
      document.body.classList.toggle('mode-network', network);
      $('mode-landscape').setAttribute('aria-pressed', String(!network));
      $('mode-network').setAttribute('aria-pressed', String(network));
      $('legend-status').textContent = network ? 'Accuracy' : 'Within tolerance';
    },
    destroy,
  };
}
