// "Your data" in the network's Problem panel (issue 17): load a CSV file (read by the core, which
// names the row and column of what is wrong; the previous data then stay), edit points on the
// decision-boundary panels (the class to add, the hint), go back to the generated set, and say
// when a data set is too big for the share link.
import { h, uid } from './dom.js';
import { editor, givenCount, withPoints, csvTarget, LINK_MAX_POINTS } from '../own_data.js';
import * as fmt from '../format.js';

const MAX_FILE_BYTES = 2_000_000; // 10,000 rows of three long numbers fit well under this

// ctx: {getState(), propose(change(problem) -> problem, errorElement), parseCsv(text, target)}
export function mountOwnData(ctx) {
  const note = h('p', { class: 'run-error', id: 'own-data-error', hidden: true, role: 'status' });
  const info = h('p', { class: 'hint', id: 'own-data-info', 'aria-live': 'polite' });
  const fileId = uid('csv');
  const file = h('input', { type: 'file', id: fileId, accept: '.csv,text/csv,text/plain', class: 'visually-hidden', 'aria-label': 'Load CSV' });
  const edit = h('button', { type: 'button', 'aria-pressed': 'false', id: 'edit-points' }, 'Edit points');
  const cls = h('select', { 'aria-label': 'Class of new points', id: 'point-class' });
  const back = h('button', { type: 'button', id: 'generated-set' }, 'Generated set');
  const hint = h('p', { class: 'hint', hidden: true }, 'On a run\'s plot: click adds a point of this class, drag moves one, Shift-click or right-click removes it.');

  // The file the data came from, named only while the data are still that file's (an edit, the
  // generated set or a lesson makes them something else).
  let loaded = null; // {name, key}
  let shownData = null;
  let fromFile = '';
  const pointsKey = (data) => JSON.stringify([data.x, data.y]);

  function fail(message) {
    note.textContent = message;
    note.hidden = false;
  }

  file.addEventListener('change', async () => {
    const f = file.files[0];
    file.value = ''; // the same file again is a new change
    if (!f) return;
    note.hidden = true;
    if (f.size > MAX_FILE_BYTES) {
      fail(`${f.name}: ${fmt.count(f.size)} bytes is more than a file of 10,000 points needs (at most ${fmt.count(MAX_FILE_BYTES)})`);
      return;
    }
    let text;
    try {
      text = await f.text();
    } catch (e) {
      // A file moved, deleted or locked since it was chosen: the data on screen stay.
      fail(`${f.name}: the file could not be read (${e.message})`);
      return;
    }
    let points;
    try {
      points = ctx.parseCsv(text, csvTarget(ctx.getState().problem));
    } catch (e) {
      fail(`${f.name}: ${e.message}`);
      return;
    }
    const previous = loaded;
    loaded = { name: f.name, key: pointsKey(points) };
    shownData = null;
    ctx.propose((p) => withPoints(p, points), note);
    if (!note.hidden) loaded = previous; // refused: what is on screen is still the old data
    show(ctx.getState().problem);
  });
  edit.addEventListener('click', () => {
    editor.on = !editor.on;
    show(ctx.getState().problem);
  });
  cls.addEventListener('change', () => { editor.cls = Number(cls.value); });
  back.addEventListener('click', () => {
    if (!editor.generated) return;
    const data = editor.generated;
    ctx.propose((p) => {
      p.data = structuredClone(data);
      return p;
    }, note);
  });

  function show(p) {
    edit.setAttribute('aria-pressed', String(editor.on));
    edit.classList.toggle('primary', editor.on);
    document.body.classList.toggle('editing-points', editor.on); // a crosshair over the plots
    hint.hidden = !editor.on;
    const regression = p.loss === 'mse';
    hint.textContent = regression
      ? 'On a run\'s plot: click adds a point (x1, y), drag moves one, Shift-click or right-click removes it.'
      : 'On a run\'s plot: click adds a point of this class, drag moves one, Shift-click or right-click removes it.';
    const count = p.loss === 'cross_entropy' ? Math.min(10, Math.max(p.layers[p.layers.length - 1], 2)) : 2;
    if (cls.options.length !== count) {
      cls.replaceChildren(...Array.from({ length: count }, (_, k) => h('option', { value: String(k) }, `class ${k}`)));
    }
    editor.cls = Math.min(editor.cls, count - 1);
    cls.value = String(editor.cls);
    cls.disabled = !editor.on || regression;
    const given = givenCount(p);
    back.disabled = !given || !editor.generated;
    if (!given) {
      info.textContent = 'CSV: x1,x2,label (x,y or x1,x2,y for mse), header optional, up to 10,000 rows.';
      info.classList.remove('warn');
    } else if (given > LINK_MAX_POINTS) {
      info.textContent = `${fmt.count(given)} points: more than the ${LINK_MAX_POINTS} a share link holds, so the link leaves this experiment out. Export → JSON saves it with its data.`;
      info.classList.add('warn');
    } else {
      if (p.data !== shownData) {
        shownData = p.data;
        fromFile = loaded && pointsKey(p.data) === loaded.key ? loaded.name : '';
      }
      info.textContent = `${fmt.count(given)} points of your own${fromFile ? ` (from ${fromFile})` : ''}; they travel in the share link.`;
      info.classList.remove('warn');
    }
  }

  const el = h('div', { class: 'field own-data' },
    h('span', { class: 'field-label' }, 'Your data'),
    h('div', { class: 'own-data-row' },
      h('label', { class: 'button', for: fileId }, 'Load CSV…', file), edit, cls, back),
    hint, info, note);
  return {
    el,
    update(p) {
      note.hidden = true;
      show(p);
    },
  };
}
