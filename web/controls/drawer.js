// The settings drawer on wide screens: the toolbar's Settings button shows or hides the Runs,
// Problem and Lessons column, so the plot and the inspector get the room. Closed by default in
// projector mode (a lecture needs the picture, not the form), open otherwise; the user's choice
// holds until projector mode is switched. A view preference, so not part of the share link.
import { isProjector } from '../theme.js';
import { listeners } from '../panel.js';

export function mountDrawer(layout, button) {
  const { on, destroy } = listeners();
  let chosen = null; // null: follow projector mode
  let projector = null;
  let locked = false; // a lesson link hid every settings tab: closed, and no button to open it
  const apply = () => {
    const open = !locked && (chosen ?? !projector);
    layout.classList.toggle('settings-closed', !open);
    layout.classList.toggle('settings-gone', locked);
    button.setAttribute('aria-expanded', String(open));
    button.hidden = locked;
  };
  on(button, 'click', () => {
    chosen = layout.classList.contains('settings-closed');
    apply();
  });
  return {
    // Called when the look changes (projector mode on or off).
    update() {
      if (projector !== isProjector()) chosen = null;
      projector = isProjector();
      apply();
    },
    lockClosed(on) {
      locked = on;
      apply();
    },
    // Open it (a lesson or a tab asked for the settings).
    open() {
      chosen = true;
      apply();
    },
    destroy,
  };
}
