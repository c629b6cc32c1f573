// Projector mode (the header's button or P): thicker lines and larger text for a lecture hall.
// theme.js holds the look; this panel is its switch.
import { isProjector, setProjector } from '../theme.js';
import { isEditing } from './dom.js';
import { listeners } from '../panel.js';

export function mountProjector() {
  const { on, destroy } = listeners();
  const button = document.getElementById('projector');
  on(button, 'click', () => setProjector(!isProjector()));
  on(document, 'keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || (e.key !== 'p' && e.key !== 'P')) return;
    if (isEditing(e.target)) return;
    e.preventDefault();
    setProjector(!isProjector());
  });
  const update = () => button.setAttribute('aria-pressed', String(isProjector()));
  update();
  return { update, destroy };
}
