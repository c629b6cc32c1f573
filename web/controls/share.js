// The header's share and keep actions: copy the link, export PNG / CSV / JSON / the PyTorch script,
// import JSON; and the network inspector's Export weights.
import { listeners } from '../panel.js';
// Building the files is main.js's job (it has the numbers); this panel wires buttons and downloads.

// ctx: {link(): string, png(): Promise<Blob>, pngName?(): its file name, csv(): string, json(): string,
//       torchScript(): string (the core's PyTorch script; throws with the core's message),
//       weights(): string (the selected run's weights JSON, network mode), importFile(file) (async: may refuse it unread),
//       notify(message, kind)}
export function mountShare(ctx) {
  const $ = (id) => document.getElementById(id);
  const { on, destroy } = listeners();
  const copy = $('share-link');
  on(copy, 'click', async () => {
    const url = ctx.link();
    try {
      await navigator.clipboard.writeText(url);
      flash(copy, 'Link copied');
    } catch {
      // No clipboard permission (some browsers, some embeds): the address bar holds the same link.
      ctx.notify('Copy the address from the address bar: it holds the whole experiment.', 'info');
    }
  });
  on($('export-png'), 'click', async () => download(await ctx.png(), ctx.pngName?.() ?? 'optlab-landscape.png'));
  on($('export-csv'), 'click', () => download(new Blob([ctx.csv()], { type: 'text/csv' }), 'optlab-runs.csv'));
  on($('export-json'), 'click', () => download(new Blob([ctx.json()], { type: 'application/json' }), 'optlab-experiment.json'));
  // Both are built by the core; a refusal (an OptLab-only option, a script too big) is a notice.
  const save = (what, build, type, name) => {
    let text;
    try {
      text = build();
    } catch (e) {
      ctx.notify(`Could not export ${what}: ${e.message}`, 'error');
      return;
    }
    download(new Blob([text], { type }), name);
  };
  on($('export-torch'), 'click', () => save('the PyTorch script', ctx.torchScript, 'text/x-python', 'optlab-experiment.py'));
  on($('export-weights'), 'click', () => save('the weights', ctx.weights, 'application/json', 'optlab-weights.json'));
  const file = $('import-json');
  on(file, 'change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    try {
      await ctx.importFile(f);
    } finally {
      file.value = ''; // importing the same file again should work too
    }
  });
  // Nothing to show: the files are built on demand from ctx.
  return { update() {}, destroy };
}

// Saves blob as a file named `name` (the Map view's export uses it too).
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function flash(button, text) {
  const old = button.textContent;
  button.textContent = text;
  setTimeout(() => { button.textContent = old; }, 1800);
}
