// The one contract every panel and view of the page follows:
//
//   const panel = mountSomething(elements, ctx);  // create: builds its DOM, wires its input
//   panel.update(model);                          // show this (the state, or the numbers a view read)
//   panel.destroy();                              // unwire every listener, undo what it built
//
// ctx holds the callbacks a panel may use (setState, select, redraw ...): a panel never reaches
// for another panel. update() may run every frame, so a panel re-renders only what changed.
// listeners() keeps destroy() honest: every listener and clean-up a panel adds goes through it.

export function listeners() {
  const ac = new AbortController();
  const cleanups = [];
  return {
    // A listener removed by destroy().
    on(target, type, fn, options = {}) {
      target.addEventListener(type, fn, { ...options, signal: ac.signal });
    },
    // Any other clean-up for destroy(): an observer to disconnect, a timer, a child panel.
    also(fn) {
      cleanups.push(fn);
    },
    destroy() {
      ac.abort();
      while (cleanups.length) cleanups.pop()();
    },
  };
}
