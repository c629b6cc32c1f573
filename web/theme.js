// The look: light or dark (the system's prefers-color-scheme) and projector mode (large type, thick
// lines, high contrast, advanced controls tucked away). CSS does the page; this file gives the
// canvas renderers the same colours, read from the CSS custom properties so there is one source.
// Projector mode is a preference of the room, not of the experiment: it is kept in localStorage
// (never in the share link, so a link sent to students does not force their laptops into it).
const KEY = 'optlab.projector';
const listeners = new Set();
let cached = null;

export function isProjector() {
  return document.documentElement.classList.contains('projector');
}

// Reads the saved preference and follows the system theme; call once at startup.
export function initTheme() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    // file:// in some browsers, or storage disabled: projector mode simply is not remembered.
  }
  document.documentElement.classList.toggle('projector', saved === '1');
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', changed);
}

export function setProjector(on) {
  document.documentElement.classList.toggle('projector', on);
  try {
    localStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    // see initTheme
  }
  changed();
}

// fn() runs after every change of look (the caller redraws its canvases).
export function onThemeChange(fn) {
  listeners.add(fn);
}

function changed() {
  cached = null;
  for (const fn of listeners) fn();
}

// Canvas colours and scales: {paper, ink, muted, grid, frame, halo, dark, line, font}. `line` scales
// stroke widths and `font` scales canvas type (both 1 except in projector mode).
export function theme() {
  if (cached) return cached;
  const css = globalThis.getComputedStyle?.(document.documentElement);
  const v = (name, fallback) => css?.getPropertyValue(name).trim() || fallback;
  const projector = isProjector();
  cached = {
    paper: v('--paper', '#ffffff'),
    ink: v('--ink', '#1a1a1a'),
    muted: v('--muted', '#555555'),
    grid: v('--chart-grid', '#e4e4e4'),
    frame: v('--chart-frame', '#555555'),
    halo: v('--halo', '#ffffff'),
    dark: v('--scheme', 'light') === 'dark',
    line: projector ? 1.7 : 1,
    font: projector ? 1.35 : 1,
  };
  return cached;
}

// A canvas font with its size scaled for projector mode: font(12) -> '16.2px system-ui, sans-serif'.
export function font(px, { weight = '', family = 'system-ui, sans-serif' } = {}) {
  return `${weight ? `${weight} ` : ''}${(px * theme().font).toFixed(1)}px ${family}`;
}
