// The Lessons panel: each prepared comparison loads with one click and shows its explanation above
// the landscape.
import { h } from './dom.js';
import { LESSONS } from '../lessons.js';

// ctx: {load(spec)}: replaces the experiment (throws on failure; the caller shows the notice).
export function mountLessons(root, ctx) {
  const buttons = LESSONS.map((lesson) => h('button', {
    type: 'button', class: 'lesson', onclick: () => ctx.load(lesson.spec),
  }, h('strong', {}, lesson.title), h('span', {}, lesson.text)));
  root.append(
    h('p', { class: 'hint' }, 'Each lesson sets up a comparison. Press Play, or step through it by hand.'),
    h('div', { class: 'lesson-list' }, buttons),
  );
  return {
    // current: the lesson the experiment is, or null
    update(current) {
      LESSONS.forEach((l, i) => {
        if (l === current) buttons[i].setAttribute('aria-current', 'true');
        else buttons[i].removeAttribute('aria-current');
      });
    },
    destroy() {
      root.replaceChildren();
    },
  };
}
