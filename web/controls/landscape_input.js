// Pointer input on the landscape: a click or tap moves the start, a drag pans, the wheel or a pinch
// zooms, and arrow keys / +/- pan and zoom when the plot has keyboard focus. Reports in css pixels
// relative to the plot; main.js maps them to (x, y).

import { listeners } from '../panel.js';

const CLICK_SLOP = 5; // a press that moves less than this is a click, not a drag

// handlers: {click(px, py), focused(px, py) (a click that only focused the plot), panStart(), pan(dx, dy), zoom(factor, px, py), hover(px, py | null)}
export function mountLandscapeInput(el, handlers) {
  const pointers = new Map(); // pointerId -> {x, y}
  let press = null; // {x, y, moved}
  let pinch = null; // {dist, mx, my}
  const { on, destroy } = listeners();

  const local = (e) => {
    const r = el.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  on(el, 'pointerdown', (e) => {
    if (e.button !== 0) return;
    try {
      el.setPointerCapture(e.pointerId); // keep the drag when the pointer leaves the plot
    } catch {
      // A pointer the browser no longer tracks: the drag just ends at the plot's edge.
    }
    const p = local(e);
    pointers.set(e.pointerId, p);
    if (pointers.size === 1) {
      // A click that brings focus to the plot (coming from the toolbar, say) only focuses it.
      press = { ...p, moved: false, focusOnly: document.activeElement !== el };
      handlers.panStart();
    } else if (pointers.size === 2) {
      press = null; // two fingers: a pinch, never a tap
      pinch = pinchState();
      handlers.panStart();
    }
  });

  on(el, 'pointermove', (e) => {
    const p = local(e);
    if (!pointers.has(e.pointerId)) {
      if (e.pointerType === 'mouse') handlers.hover(p.x, p.y);
      return;
    }
    pointers.set(e.pointerId, p);
    if (pointers.size === 2 && pinch) {
      const now = pinchState();
      handlers.zoom(pinch.dist / now.dist, now.mx, now.my);
      handlers.pan(now.mx - pinch.mx, now.my - pinch.my, true);
      pinch = now;
      return;
    }
    if (press) {
      const dx = p.x - press.x;
      const dy = p.y - press.y;
      if (!press.moved && Math.hypot(dx, dy) > CLICK_SLOP) {
        press.moved = true;
        el.classList.add('dragging');
      }
      if (press.moved) handlers.pan(dx, dy, false);
    }
  });

  const end = (e) => {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (e.type === 'pointerup' && press && !press.moved && pointers.size === 0) {
      if (press.focusOnly) handlers.focused(press.x, press.y);
      else handlers.click(press.x, press.y);
    }
    if (pointers.size === 0) {
      press = null;
      pinch = null;
      el.classList.remove('dragging');
    } else if (pointers.size === 1) {
      pinch = null;
      press = null; // lifting one finger of a pinch does not start a drag or a tap
    }
  };
  on(el, 'pointerup', end);
  on(el, 'pointercancel', end);
  on(el, 'pointerleave', (e) => {
    if (e.pointerType === 'mouse' && !pointers.size) handlers.hover(null, null);
  });

  on(el, 'wheel', (e) => {
    e.preventDefault();
    const p = local(e);
    // Pixel deltas from a trackpad are small and many, mouse notches large and few: exp() makes
    // both feel the same and keeps zoom in and out symmetric.
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    handlers.zoom(Math.exp(delta * 0.0015), p.x, p.y);
  }, { passive: false });

  on(el, 'keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const r = el.getBoundingClientRect();
    const step = Math.min(r.width, r.height) * 0.1;
    const act = {
      '+': () => handlers.zoom(1 / 1.25, r.width / 2, r.height / 2),
      '=': () => handlers.zoom(1 / 1.25, r.width / 2, r.height / 2),
      '-': () => handlers.zoom(1.25, r.width / 2, r.height / 2),
      // Shift+arrows pan; plain arrows stay the page's step / back shortcuts.
      ArrowUp: () => { handlers.panStart(); handlers.pan(0, step, false); },
      ArrowDown: () => { handlers.panStart(); handlers.pan(0, -step, false); },
      ArrowLeft: () => { handlers.panStart(); handlers.pan(step, 0, false); },
      ArrowRight: () => { handlers.panStart(); handlers.pan(-step, 0, false); },
      Enter: () => handlers.click(r.width / 2, r.height / 2),
    }[e.key];
    if (!act) return;
    if (e.key.startsWith('Arrow') && !e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    act();
  });

  function pinchState() {
    const [a, b] = [...pointers.values()];
    return { dist: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), mx: (a.x + b.x) / 2, my: (a.y + b.y) / 2 };
  }

  // Input only: nothing to show.
  return { update() {}, destroy };
}
