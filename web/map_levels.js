// The order a map's cells are computed in, coarse to fine, so a picture appears at once and sharpens:
// first every s-th cell in each direction (s the smallest power of two that leaves at most COARSE
// cells per axis: a 128 x 128 map starts 32 x 32), then every s/2-th cell not done yet, ... then
// all. Until a cell is computed it is drawn in the colour of the nearest coarser cell above and to
// its left (standIn), so each level paints whole blocks. Pure: no DOM, no engine.

export const COARSE = 32;

export function coarseStride(nx, ny) {
  let s = 1;
  while (Math.ceil(Math.max(nx, ny) / s) > COARSE) s *= 2;
  return s;
}

// [{stride, cells: Int32Array}], coarsest first; every cell c = j·nx + i is in exactly one level.
export function mapLevels(nx, ny) {
  const out = [];
  const taken = new Uint8Array(nx * ny);
  for (let s = coarseStride(nx, ny); s >= 1; s = s / 2) {
    const cells = [];
    for (let j = 0; j < ny; j += s) {
      for (let i = 0; i < nx; i += s) {
        const c = j * nx + i;
        if (!taken[c]) {
          taken[c] = 1;
          cells.push(c);
        }
      }
    }
    out.push({ stride: s, cells: Int32Array.from(cells) });
  }
  return out;
}

// The computed cell whose value cell (i, j) shows (itself once done), or -1 if none is yet.
export function standIn(done, nx, i, j, coarsest) {
  for (let s = 1; s <= coarsest; s *= 2) {
    const c = (j - (j % s)) * nx + (i - (i % s));
    if (done[c]) return c;
  }
  return -1;
}
