// The settings column: the Runs, Problem (landscape or network) and Lessons panels, and the lesson
// note above the plot. They depend on everything but the step count: while playing, only `steps`
// changes and they are left alone.
import * as S from './state.js';
import { lessonOf } from './lessons.js';
import { mountOptimizers } from './controls/optimizers.js';
import { mountProblem } from './controls/problem.js';
import { mountNetworkProblem } from './controls/network_problem.js';
import { mountLessons } from './controls/lessons.js';
import { h } from './controls/dom.js';

// ctx: {getState(), setState(patch), engine, info(), dataSize(), isPlaying(), loadLesson(spec)}
export function mountSettings(ctx) {
  const $ = (id) => document.getElementById(id);
  const { engine } = ctx;
  const base = { getState: ctx.getState, setState: ctx.setState };
  const panels = {
    runs: mountOptimizers($('panel-runs'), { ...base, catalog: engine.optimizers, dataSize: ctx.dataSize, isPlaying: ctx.isPlaying,
      schedulers: engine.catalog.schedulers, lrSchedule: (entry, steps) => engine.lrSchedule(entry, steps) }),
    problem: mountProblem($('problem-landscape'), {
      ...base, landscapes: engine.landscapes, checkFormula: (t) => engine.checkFormula(t), info: ctx.info,
    }),
    network: mountNetworkProblem($('problem-network'), { ...base, catalog: engine.catalog, parseCsv: (t, target) => engine.parseCsv(t, target) }),
    lessons: mountLessons($('panel-lessons'), { load: ctx.loadLesson }),
  };
  let key = null;
  return {
    update(st) {
      const next = [st.problem, st.start, st.seed, st.optimizers, st.selected, ctx.info(), st.teacher];
      if (key && next.every((v, i) => v === key[i])) return;
      key = next;
      panels.runs.update(st);
      if (st.mode === 'network') panels.network.update(st);
      else panels.problem.update(st);
      const lesson = lessonOf(S.toSpec(st));
      panels.lessons.update(lesson);
      // A lesson link's own title and text (controls/teacher.js) take the lesson's place.
      const teacher = st.teacher?.title || st.teacher?.text ? st.teacher : null;
      for (const id of ['lesson-note', 'net-lesson-note']) {
        const note = $(id);
        note.hidden = !lesson && !teacher;
        if (teacher) note.replaceChildren(teacher.title ? h('strong', {}, teacher.title) : '', teacher.text ?? '');
        else if (lesson) note.replaceChildren(h('strong', {}, `${lesson.title}.`), lesson.text);
      }
    },
    // A new look: everything is shown again.
    invalidate() {
      key = null;
    },
    destroy() {
      for (const p of Object.values(panels)) p.destroy();
    },
  };
}
