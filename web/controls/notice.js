// The notice bar under the header: a link that could not be opened, an import that failed, the
// playback limit. Shown until dismissed or replaced; errors in red.
import { listeners } from '../panel.js';

const $ = (id) => document.getElementById(id);

export function notify(message, kind = 'info') {
  $('notice-text').textContent = message;
  $('notice').classList.toggle('error', kind === 'error');
  $('notice').hidden = false;
}

export function hideNotice() {
  $('notice').hidden = true;
}

// The bar itself is shown by notify() from anywhere; the panel only wires its close button.
export function mountNotice() {
  const { on, destroy } = listeners();
  on($('notice-close'), 'click', hideNotice);
  return { update() {}, destroy };
}
