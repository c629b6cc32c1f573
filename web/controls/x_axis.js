// The loss chart's x axis choice (steps, epochs, examples seen), offered where runs see data in
// mini-batches: a fit problem or a network.
import { listeners } from '../panel.js';

// ctx: {getState(), setState(patch)}
export function mountXAxis(ctx) {
  const box = document.getElementById('x-axis-box');
  const select = document.getElementById('x-axis');
  const { on, destroy } = listeners();
  on(select, 'change', () => ctx.setState({ xAxis: select.value }));
  return {
    update(st) {
      box.hidden = !hasData(st);
      if (select.value !== st.xAxis) select.value = st.xAxis;
    },
    destroy,
  };
}

// Problems made of data points, where epochs and examples mean something.
export const hasData = (st) => st.mode === 'network' || st.problem.name === 'fit';

// The axis the chart uses for `st`: the chosen one where it means something, else steps.
export const chartAxis = (st) => (hasData(st) ? st.xAxis : 'steps');
