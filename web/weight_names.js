// Names for the network's parameters by their place in the flat weight vector the core uses:
// layer l's matrix W_l [out][in] at weight_offset + out·cols + in, then its bias b_l [out] at
// bias_offset + out (the layout of Session.layers). `W1[3,0]` is row 3 (the unit), column 0 (input).

// layers: Session.layers(i). Returns {kind: 'W' | 'b', layer, row, col, name} or null.
export function weightAt(layers, flat) {
  for (const l of layers) {
    const w = flat - l.weight_offset;
    if (w >= 0 && w < l.rows * l.cols) {
      const row = Math.floor(w / l.cols);
      const col = w % l.cols;
      return { kind: 'W', layer: l.layer, row, col, name: `W${l.layer}[${row},${col}]` };
    }
    const b = flat - l.bias_offset;
    if (b >= 0 && b < l.rows) return { kind: 'b', layer: l.layer, row: b, col: 0, name: `b${l.layer}[${b}]` };
  }
  return null;
}

// The flat index of W_l[row, col] or b_l[row]; throws with a message naming what is out of range.
export function flatIndex(layers, { kind, layer, row, col }) {
  const l = layers.find((q) => q.layer === layer);
  if (!l) throw new Error(`layer ${layer}: the network has layers 1 to ${layers.length}`);
  const name = `${kind}${layer}`;
  if (!Number.isInteger(row) || row < 0 || row >= l.rows) throw new Error(`${name} row: expected a whole number from 0 to ${l.rows - 1}`);
  if (kind === 'b') return l.bias_offset + row;
  if (!Number.isInteger(col) || col < 0 || col >= l.cols) throw new Error(`${name} column: expected a whole number from 0 to ${l.cols - 1}`);
  return l.weight_offset + row * l.cols + col;
}
