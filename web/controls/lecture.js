// The lecture panel: one chapter of web/lecture.js at a time (title, sentences, the update rule
// typeset, "try this", a prediction question with its answer behind a click), Previous / Next,
// and PageUp / PageDown as slide clickers send them. The chapter's experiment is loaded by the
// caller exactly as a lesson is; the chapter number lives in the state (and so in the link).
import { h, isEditing } from './dom.js';
import { listeners } from '../panel.js';
import { CHAPTERS } from '../lecture.js';

// els: {root: the panel, toggle: the header's Lecture button, layout: the page grid, whose
// classes put the chapter in the inspector's column}
// ctx: {go(n): open chapter n (1-based) with its experiment, close()}
export function mountLecture({ root, toggle, layout }, ctx) {
  const { on, destroy } = listeners();
  const title = h('h2', { id: 'lecture-title' });
  const count = h('span', { class: 'lecture-count', 'aria-live': 'polite' });
  const text = h('p', { class: 'lecture-text' });
  const rule = h('div', { class: 'lecture-rule', role: 'math' });
  const tryThis = h('p', { class: 'lecture-try' });
  const answer = h('p', { class: 'lecture-answer' });
  const question = h('details', { class: 'lecture-question' });
  const prev = h('button', { type: 'button', onclick: () => step(-1) }, '← Previous');
  const next = h('button', { type: 'button', class: 'primary', onclick: () => step(1) }, 'Next →');
  const inspector = h('button', {
    type: 'button', 'aria-pressed': 'false', title: 'Show the inspector in place of the chapter, and back',
    onclick: () => {
      layout.classList.toggle('lecture-inspector');
      inspector.setAttribute('aria-pressed', String(layout.classList.contains('lecture-inspector')));
    },
  }, 'Inspector');
  const close = h('button', { type: 'button', 'aria-label': 'Close the lecture', onclick: () => ctx.close() }, '✕');
  root.setAttribute('aria-labelledby', 'lecture-title');
  root.append(
    h('div', { class: 'lecture-head' }, title, h('span', { class: 'lecture-head-buttons' }, inspector, close)),
    text, rule, tryThis, question,
    h('nav', { class: 'lecture-nav', 'aria-label': 'Chapters' }, prev, count, next),
  );
  on(toggle, 'click', () => (current ? ctx.close() : ctx.go(1)));

  let current = 0;
  let katex = null; // loaded on first use, as the inspector's equation is
  function step(d) {
    const n = current + d;
    if (current && n >= 1 && n <= CHAPTERS.length) ctx.go(n);
  }
  // Slide clickers send PageDown / PageUp; Space and the arrows keep driving playback.
  on(document, 'keydown', (e) => {
    if (!current || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isEditing(e.target)) return;
    const d = { PageDown: 1, PageUp: -1 }[e.key];
    if (!d) return;
    e.preventDefault();
    step(d);
  });

  function show(n) {
    const c = CHAPTERS[n - 1];
    title.textContent = `${n}. ${c.title}`;
    count.textContent = `Chapter ${n} of ${CHAPTERS.length}`;
    text.textContent = c.text.join(' ');
    tryThis.replaceChildren(h('strong', {}, 'Try this: '), c.tryThis);
    answer.textContent = c.answer;
    question.open = false;
    question.replaceChildren(h('summary', {}, h('strong', {}, 'Predict: '), c.question, h('span', { class: 'reveal' }, ' (answer)')), answer);
    prev.disabled = n === 1;
    next.disabled = n === CHAPTERS.length;
    rule.setAttribute('aria-label', `Update rule of chapter ${n}`);
    rule.dataset.pending = 'true'; // tests wait for it to go
    katex ??= import('katex');
    katex.then((k) => {
      if (current !== n) return;
      k.default.render(c.rule, rule, { displayMode: true, throwOnError: false, output: 'htmlAndMathml' });
      delete rule.dataset.pending;
    }, () => {
      rule.textContent = c.rule; // KaTeX failed to load: the TeX source still says the rule
      delete rule.dataset.pending;
    });
  }

  return {
    // st.lecture: the chapter on screen, 0 when closed
    update(st) {
      const n = CHAPTERS[st.lecture - 1] ? st.lecture : 0;
      if (n === current) return;
      current = n;
      root.hidden = !current;
      layout.classList.toggle('lecture-open', current > 0);
      if (!current) { // closed: the next opening shows the chapter, not the inspector
        layout.classList.remove('lecture-inspector');
        inspector.setAttribute('aria-pressed', 'false');
      }
      toggle.setAttribute('aria-pressed', String(current > 0));
      if (current) show(current);
    },
    destroy() {
      destroy();
      root.replaceChildren();
    },
  };
}
