// Driving the Map view the way a user does (its menus and boxes), and reading what it computed
// through the debug handle (window.optlab.map.runs: each map's spec, plan, rows and result).
import { settle } from './harness.mjs';

// m: {kind, run, x: {param, from, to, n, scale}, y: {...}, steps, measure, overlay}
export async function setMap(page, m) {
  const v = page.locator('#map-view');
  if (!(await v.isVisible())) await page.locator('#map-toggle').click();
  if (m.kind) await v.getByLabel('Map of', { exact: true }).selectOption(m.kind);
  if (m.run !== undefined) await v.getByLabel('Run', { exact: true }).selectOption(String(m.run));
  for (const a of ['x', 'y']) {
    const ax = m[a];
    if (!ax) continue;
    if (ax.param) await v.getByLabel(`${a} axis: hyperparameter`).selectOption(ax.param);
    if (ax.from !== undefined) await v.getByLabel(`${a} axis: from`).fill(String(ax.from));
    if (ax.to !== undefined) await v.getByLabel(`${a} axis: to`).fill(String(ax.to));
    if (ax.n !== undefined) await v.getByLabel(`${a} axis: cells`).fill(String(ax.n));
    if (ax.scale) await v.getByLabel(`${a} axis: log scale`).setChecked(ax.scale === 'log');
  }
  if (m.steps !== undefined) await v.getByLabel('Steps per cell').fill(String(m.steps));
  if (m.measure) await v.getByLabel('Measure', { exact: true }).selectOption(m.measure);
  if (m.overlay !== undefined) await v.getByLabel('Basin boundaries of').selectOption(String(m.overlay));
}

export const mapCount = (page) => page.evaluate(() => window.optlab.map?.runs.length ?? 0);

// Clicks Compute and waits until the map (and a second run's basins, if asked) is assembled.
export async function computeMap(page, { maps = 1 } = {}) {
  const before = await mapCount(page);
  await page.locator('#map-compute').click();
  await page.waitForFunction(({ n, maps: k }) => {
    const runs = window.optlab.map.runs;
    return runs.length >= n + 1 && document.getElementById('map-view').dataset.state === 'done'
      && window.optlab.map.runs.slice(n).filter((r) => r.result).length >= 1 && (k === 1 || window.optlab.map.secondDone);
  }, { n: before, maps }, { timeout: 120_000 });
  await settle(page);
  return page.evaluate(() => {
    const r = window.optlab.map.runs.at(-1);
    return { spec: r.spec, plan: r.plan, result: r.result, mode: r.mode, rows: Array.from(r.rows) };
  });
}

// The css pixel of cell c's centre on the map canvas (the layout drawMap returned).
export function cellPixel(page, c) {
  return page.evaluate((cell) => {
    const { plot, nx, ny } = window.optlab.map.layout;
    const i = cell % nx;
    const j = Math.floor(cell / nx);
    return { x: plot.left + (i + 0.5) * (plot.width / nx), y: plot.top + (ny - 1 - j + 0.5) * (plot.height / ny) };
  }, c);
}
