// Teacher links: the header's "Teach" dialog writes a lesson link (a title and a short text over the
// plot, some panels hidden, the problem optionally locked) or an embed snippet for the experiment
// on screen; a page opened from such a link shows the tailored view until "Show everything".
// The link's fields are the state's `teacher` prop (checked in state.js); showing them is here.
import * as S from '../state.js';
import { h, uid } from './dom.js';
import { listeners } from '../panel.js';

const PANEL_LABELS = { runs: 'Runs', problem: 'Problem', lessons: 'Lessons', inspector: 'Inspector', exports: 'Exports and import' };
const SETTINGS_TABS = ['runs', 'problem', 'lessons'];

// ctx: {getState(), link(state): the page's address for a state, embed(link, {inspector}): the
//       iframe snippet, drawer: {lockClosed(bool)}, notify(message, kind)}
export function mountTeacher(ctx) {
  const $ = (id) => document.getElementById(id);
  const { on, destroy } = listeners();
  const root = document.documentElement;
  const dialog = $('teach-dialog');
  const reveal = $('teach-reveal');
  let revealed = false; // "Show everything" holds for this visit; the link keeps its view
  let shown; // the teacher fields on screen (undefined: none drawn yet)

  // ---- the dialog ----
  const field = (label, input, ...after) => h('label', { class: 'teach-field' }, h('span', {}, label), input, ...after);
  const title = h('input', { type: 'text', maxlength: String(S.TEACHER_TITLE_MAX), autocomplete: 'off' });
  const textId = uid('teach-count');
  const text = h('textarea', { rows: '4', maxlength: String(S.TEACHER_TEXT_MAX), 'aria-describedby': textId });
  const count = h('output', { id: textId, class: 'teach-count' });
  const hides = Object.fromEntries(S.TEACHER_PANELS.map((p) => [p, h('input', { type: 'checkbox', value: p })]));
  const lock = h('input', { type: 'checkbox' });
  const withInspector = h('input', { type: 'checkbox' });
  const out = h('textarea', { rows: '3', readonly: true, class: 'teach-out', 'aria-label': 'The link or snippet, to copy by hand' });
  const preview = h('a', { target: '_blank', rel: 'noopener', class: 'button' }, 'Open as a student');
  const copyLink = h('button', { type: 'button', class: 'primary' }, 'Copy lesson link');
  const copyEmbed = h('button', { type: 'button' }, 'Copy embed code');
  const close = h('button', { type: 'button', class: 'teach-close' }, 'Close');
  dialog.replaceChildren(
    h('h2', { id: 'teach-title' }, 'Share with a class'),
    h('section', { 'aria-labelledby': 'teach-link-title' },
      h('h3', { id: 'teach-link-title' }, 'A lesson link'),
      h('p', { class: 'hint' }, 'Students who open it see this experiment with your title and text, only the panels you leave, and a "Show everything" button.'),
      field('Title', title),
      field('Text for the students (plain text)', text, count),
      h('fieldset', { class: 'teach-hide' }, h('legend', {}, 'Hide'),
        ...S.TEACHER_PANELS.map((p) => h('label', {}, hides[p], ` ${PANEL_LABELS[p]}`))),
      h('label', {}, lock, ' Lock the problem (landscape or data, and the mode)'),
      h('div', { class: 'teach-actions' }, copyLink, preview)),
    h('section', { 'aria-labelledby': 'teach-embed-title' },
      h('h3', { id: 'teach-embed-title' }, 'An embed for slides or a course page'),
      h('p', { class: 'hint' }, 'An iframe showing the plot and Step / Play / Back of this experiment (reveal.js, Moodle, Canvas, Jupyter: see the README).'),
      h('label', {}, withInspector, ' With the inspector beside the plot'),
      h('div', { class: 'teach-actions' }, copyEmbed)),
    out,
    h('div', { class: 'teach-actions' }, close),
  );

  // The form's lesson-link fields, checked as a link's would be.
  function form() {
    return S.validatePatch(ctx.getState(), {
      teacher: { title: title.value, text: text.value, hide: S.TEACHER_PANELS.filter((p) => hides[p].checked), lock: lock.checked },
    }).teacher;
  }
  function refresh() {
    count.value = `${[...text.value].length} / ${S.TEACHER_TEXT_MAX}`;
    try {
      preview.href = ctx.link({ ...ctx.getState(), teacher: form() });
    } catch {
      preview.removeAttribute('href');
    }
  }
  async function give(button, value, done) {
    out.value = value;
    try {
      await navigator.clipboard.writeText(value);
      const old = button.textContent;
      button.textContent = done;
      setTimeout(() => { button.textContent = old; }, 1800);
    } catch {
      out.select(); // no clipboard permission: the text is selected for Ctrl+C
    }
  }
  on($('teach-open'), 'click', () => {
    const t = ctx.getState().teacher ?? {};
    title.value = t.title ?? '';
    text.value = t.text ?? '';
    for (const p of S.TEACHER_PANELS) hides[p].checked = (t.hide ?? []).includes(p);
    lock.checked = Boolean(t.lock);
    out.value = '';
    refresh();
    dialog.showModal();
  });
  on(dialog, 'input', refresh);
  on(copyLink, 'click', () => {
    try {
      give(copyLink, ctx.link({ ...ctx.getState(), teacher: form() }), 'Lesson link copied');
    } catch (e) {
      ctx.notify(`The lesson link could not be made: ${e.message}`, 'error');
    }
  });
  on(copyEmbed, 'click', () => give(copyEmbed, ctx.embed(ctx.link(ctx.getState()), { inspector: withInspector.checked }), 'Embed code copied'));
  on(close, 'click', () => dialog.close());

  // ---- a page opened from a lesson link ----
  on(reveal, 'click', () => {
    revealed = true;
    shown = undefined;
    update(ctx.getState());
    $('plot')?.focus?.();
  });

  function update(st) {
    const teacher = revealed ? null : st.teacher;
    if (teacher === shown) return;
    shown = teacher;
    const hidden = teacher?.hide ?? [];
    for (const p of S.TEACHER_PANELS) root.classList.toggle(`teach-hide-${p}`, hidden.includes(p));
    const noSettings = SETTINGS_TABS.every((p) => hidden.includes(p));
    ctx.drawer.lockClosed(noSettings);
    // A hidden tab that was open gives way to the first one left.
    const open = document.querySelector('.tabs [role="tab"][aria-selected="true"]');
    const first = SETTINGS_TABS.find((p) => !hidden.includes(p));
    if (open && first && hidden.includes(open.id.replace('tab-', ''))) $(`tab-${first}`).click();
    const locked = Boolean(teacher?.lock);
    root.classList.toggle('teach-locked', locked);
    for (const id of ['panel-problem', 'panel-lessons']) $(id).inert = locked;
    for (const id of ['mode-landscape', 'mode-network', 'lecture-open', 'import-json', 'fit-csv']) $(id).disabled = locked;
    $('teach-lock-note').hidden = !locked;
    reveal.hidden = !(hidden.length || locked);
  }

  return { update, destroy };
}
