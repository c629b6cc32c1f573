// Finishes, slice by slice, a move the session could not make in one go (opening a link at a
// million steps, a rewrite deep into a run): between slices the page draws and answers clicks.
// After a moment a progress bar with Cancel shows; Cancel (or any move of the steps by the user)
// leaves the experiment at the step reached. session_sync.js sizes the slices.
import { listeners } from './panel.js';
import * as fmt from './format.js';

const SHOW_AFTER_MS = 250; // short catch-ups (a heavy frame of Play) pass without a flash

// elements: {root, bar, text, cancel}; ctx: {owed() -> step|null, forgetOwed(), getState(), setState(patch)}
export function mountCatchUp(elements, ctx) {
  const { on, also, destroy } = listeners();
  let timer = 0;
  let since = 0; // when the current catch-up began

  function slice() {
    timer = 0;
    const target = ctx.owed();
    if (target === null) return;
    ctx.setState({ steps: target }); // goes as far as one slice reaches; redraws
  }

  on(elements.cancel, 'click', () => {
    ctx.forgetOwed();
    clearTimeout(timer);
    timer = 0;
    update(ctx.getState());
  });
  also(() => clearTimeout(timer));

  function update(st) {
    const target = ctx.owed();
    if (target === null) {
      since = 0;
      elements.root.hidden = true;
      return;
    }
    if (!since) since = performance.now();
    if (!timer) timer = setTimeout(slice, 0);
    const show = performance.now() - since >= SHOW_AFTER_MS;
    if (show) {
      elements.root.hidden = false;
      elements.bar.max = target;
      elements.bar.value = st.steps;
      elements.text.textContent = `Computing step ${fmt.count(st.steps)} of ${fmt.count(target)}`;
    } else if (!elements.root.hidden) {
      elements.root.hidden = true;
    }
  }

  return { update, destroy };
}
