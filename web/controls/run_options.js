// The inspector's run select (#inspect-run) lists the runs of the mode on screen. Its change
// listener (controls/inspector.js) selects by option index, so the options must be this mode's.
import { h } from './dom.js';

// runs: [{label}]; selected: index into runs.
export function showRunOptions(select, runs, selected) {
  const want = runs.map((r) => r.label);
  if (want.join('\u0000') !== Array.from(select.options, (o) => o.textContent).join('\u0000')) {
    select.replaceChildren(...want.map((label, i) => h('option', { value: String(i) }, label)));
  }
  if (select.value !== String(selected)) select.value = String(selected);
}
