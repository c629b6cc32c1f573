// How numbers read on the page: short forms for labels, full forms where a student checks a step.

// A label-sized number: 4 significant digits, scientific only when very large or small.
export function short(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e5 || a < 1e-3 ? v.toExponential(digits - 1).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(digits)));
  return text.replace('-', '−');
}

// The inspector's numbers: six significant digits, scientific below 1e-3 and from 1e5, so the
// table reads as the equation does. parts() is shared with the equation's LaTeX.
export function parts(v, digits = 6) {
  if (v === null || v === undefined || Number.isNaN(v)) return { special: 'NaN' };
  if (!Number.isFinite(v)) return { special: v > 0 ? '∞' : '−∞', sign: Math.sign(v) };
  if (v === 0) return { mantissa: '0', exponent: null };
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential(digits - 1).split('e');
    return { mantissa: String(Number(m)), exponent: Number(e) };
  }
  return { mantissa: String(Number(v.toPrecision(digits))), exponent: null };
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

export function sig(v, digits = 6) {
  const p = parts(v, digits);
  if (p.special) return p.special;
  const m = p.mantissa.replace('-', '−');
  if (p.exponent === null) return m;
  return `${m}×10${String(p.exponent).split('').map((c) => SUPERSCRIPT[c]).join('')}`;
}

// Every digit the double holds (JavaScript prints the shortest text that reads back exactly).
export function exact(v) {
  if (v === null || v === undefined) return 'NaN';
  return String(v).replace('-', '−');
}

// Tick labels: as many decimals as the tick spacing needs, no more.
export function tick(v, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const t = Math.abs(v) < step / 2 ? 0 : v;
  return t.toFixed(Math.min(decimals, 12)).replace('-', '−');
}

// "1,234" for counters.
export function count(n) {
  return n.toLocaleString('en-US');
}

// A counter for narrow table cells: "98,304", then "991.2k", "1M" (the toolbar shows the exact step).
export function compactCount(n) {
  if (n < 100000) return count(n);
  if (n < 999950) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return `${(n / 1e6).toFixed(2).replace(/\.?0+$/, '')}M`;
}
