// Float64Arrays the page keeps for the core's grids (engine.js's grid, batchGrid, predictGrid and
// planeGrid fill them), one per use, so panning and zooming reuse warm memory: a fresh 2 MB
// array costs more to first touch than the core takes to compute it. A use draws its grid before
// it asks for the next one, so a buffer is never overwritten while something still reads it.
export class GridBuffers {
  constructor() {
    this.kept = new Map();
  }

  // A Float64Array of n numbers for `key`, over storage kept from earlier calls when it is big
  // enough (a view on it: making one allocates no numbers).
  take(key, n) {
    let kept = this.kept.get(key);
    if (!kept || kept.length < n) {
      kept = new Float64Array(n);
      this.kept.set(key, kept);
    }
    return kept.length === n ? kept : kept.subarray(0, n);
  }
}
