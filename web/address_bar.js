// The share link, in and out: the first state from the address bar's link, the link rewritten as
// the state changes (at most ~3 times a second while playing, with replaceState so Back leaves the
// page rather than stepping through every state), and a link pasted or edited by hand.
import * as S from './state.js';
import { notify, hideNotice } from './controls/notice.js';
import { oversize, linkSpecBytes } from './spec_size.js';
import { listeners } from './panel.js';
import { CHAPTERS } from './lecture.js';

const WRITE_EVERY_MS = 300;

// ctx: {open(state) -> the step reached (throws if the core refuses it), withDefaults(state), getState(),
//       setState(patch), limits()}
export function mountAddressBar(ctx) {
  const { on, destroy } = listeners();
  let pending = null;
  let timer = 0;
  let lastWrite = 0;
  let written = '';
  let pushNext = false; // the next write makes a new history entry (an undoable change)

  // The state the link holds, checked before it is decoded; null and a reason if it has none.
  function read(hash, base) {
    const tooBig = hash ? oversize(linkSpecBytes(hash), ctx.limits(), 'link') : null;
    if (tooBig) return { state: null, error: tooBig };
    let lecture;
    let teacher;
    let map;
    try {
      lecture = S.lectureOf(hash);
      teacher = S.teacherOf(lecture ? lecture.rest : hash);
      map = S.mapOf(teacher.rest);
    } catch (e) {
      return { state: null, error: e.message };
    }
    const page = { lecture: lecture?.chapter ?? 0, teacher: teacher.teacher, map: map.map };
    if (!lecture) {
      const r = S.fromHash(`#${map.rest}`, base);
      return r.state ? { state: { ...r.state, ...page } } : r;
    }
    // "#lecture=N" alone opens chapter N's experiment; with "&exp=..." the experiment as it was
    // shared (a step, a changed lr), beside chapter N's text.
    const chapter = CHAPTERS[lecture.chapter - 1];
    if (!chapter) return { state: null, error: `lecture: expected a chapter from 1 to ${CHAPTERS.length}` };
    if (!map.rest) {
      try {
        return { state: { ...S.fromSpec(chapter.spec, base), ...page } };
      } catch (e) {
        return { state: null, error: e.message };
      }
    }
    const r = S.fromHash(`#${map.rest}`, base);
    return r.state ? { state: { ...r.state, ...page } } : r;
  }

  // The page's first state: the link's, else the default lesson (with a notice if a link failed).
  // The session is opened for it; the address bar then holds its link.
  function first() {
    const link = read(location.hash, S.defaultState());
    let initial = null;
    if (link.state) {
      try {
        initial = ctx.withDefaults(link.state);
        initial = { ...initial, steps: ctx.open(initial) }; // the step reached; the rest is owed
      } catch (e) {
        initial = null;
        link.error = e.message;
      }
    }
    if (!initial) {
      initial = S.defaultState();
      ctx.open(initial);
      if (link.error) failed(link.error);
    }
    written = S.toHash(initial);
    history.replaceState(null, '', written);
    return initial;
  }

  function failed(reason) {
    notify(`This link could not be opened (${reason}), so the default lesson is shown instead.`, 'error');
  }

  function persist(hash) {
    pending = hash;
    if (pushNext) return flush(); // the undoable change's entry exists at once, for Back

    if (!timer) timer = setTimeout(flush, Math.max(0, WRITE_EVERY_MS - (performance.now() - lastWrite)));
  }

  function flush() {
    clearTimeout(timer);
    timer = 0;
    lastWrite = performance.now();
    if (pending && pending !== location.hash) {
      if (pushNext) history.pushState(null, '', pending);
      else history.replaceState(null, '', pending);
      pushNext = false;
      written = pending;
    }
  }

  // Before an undoable change (moving the start): the link of the state on screen is written now
  // and the change gets its own history entry, so the browser's Back restores start and step.
  function checkpoint() {
    pending = S.toHash(ctx.getState());
    flush();
    pushNext = true;
  }

  // A link typed or pasted into the address bar of the open page.
  function load(hash) {
    const tooBig = oversize(linkSpecBytes(hash), ctx.limits(), 'link');
    if (tooBig) {
      // Refused unread; the experiment on screen stays, and so does its link.
      notify(`${tooBig}, so the experiment on screen is kept.`, 'error');
      written = S.toHash(ctx.getState());
      history.replaceState(null, '', written);
      return;
    }
    const r = read(hash, ctx.getState());
    try {
      if (!r.state) throw new Error(r.error ?? 'the link is empty');
      ctx.setState(ctx.withDefaults(r.state));
      hideNotice();
    } catch (e) {
      failed(e.message);
      ctx.setState(S.defaultState());
    }
  }

  on(window, 'pagehide', flush);
  on(window, 'hashchange', () => {
    if (location.hash === written) return;
    load(location.hash);
  });

  return {
    first, persist, flush, checkpoint,
    // The link of the state on screen, written now (the Copy link button).
    link() {
      flush();
      return location.href;
    },
    update() {}, // the store calls persist() with each new state's link
    destroy() {
      clearTimeout(timer);
      destroy();
    },
  };
}
