// The settings column's tabs (Runs, Problem, Lessons), as the ARIA tabs pattern wants them: one tab
// in the Tab order, Left and Right move between tabs.
import { listeners } from '../panel.js';

export function mountTabs(root) {
  const { on, destroy } = listeners();
  const tabs = [...root.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
    }
  };
  tabs.forEach((t, i) => {
    on(t, 'click', () => select(t));
    on(t, 'keydown', (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!d) return;
      e.preventDefault();
      const next = tabs[(i + d + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
  // The tabs hold their own state (which one is open): nothing to update from the app's.
  return { update() {}, destroy };
}
