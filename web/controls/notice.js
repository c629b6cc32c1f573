// The notice bar under the header: a link that could not be opened, an import that failed, the
// playback limit. Shown until dismissed or replaced; errors in red.
const $ = (id) => document.getElementById(id);

export function notify(message, kind = 'info') {
  $('notice-text').textContent = message;
  $('notice').classList.toggle('error', kind === 'error');
  $('notice').hidden = false;
}

export function hideNotice() {
  $('notice').hidden = true;
}

export function mountNotice() {
  $('notice-close').addEventListener('click', hideNotice);
}
