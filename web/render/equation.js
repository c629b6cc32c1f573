// The inspected run's update rule, typeset with KaTeX, with the numbers of its last step put in, so a
// student can redo the step on paper. Every number comes from the core's internals JSON (this step
// and the one before it): this file only substitutes, it never computes a result. Pure: renders into
// the element it is given.
import katex from 'katex';
import * as fmt from '../format.js';

// data: {cur: internals after step t, prev: internals after step t−1 (or null when not at hand)}
// view: {} (nothing to size: KaTeX lays itself out).
export function drawEquation(el, data, view = {}) {
  el.replaceChildren();
  const { cur } = data;
  if (!cur || cur.step === 0 || cur.grad.length === 0) {
    el.append(note('No step taken yet. Press Step to see the update with its numbers.'));
    return;
  }
  // t is the table's first row, just above.
  const rules = (RULES[cur.name] ?? generic)(context(data)).filter(Boolean);
  for (const tex of rules.map(chain)) {
    const div = document.createElement('div');
    div.className = 'eq-line';
    katex.render(tex, div, { displayMode: true, throwOnError: false, output: 'htmlAndMathml', ...view.katex });
    el.append(div);
  }
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'eq-note';
  p.textContent = text;
  return p;
}

// Numbers as LaTeX: six significant digits, as the inspector's table shows them (format.js).
function n(v) {
  const p = fmt.parts(v);
  if (p.special === 'NaN') return '\\text{NaN}';
  if (p.special) return p.sign > 0 ? '\\infty' : '-\\infty';
  return p.exponent === null ? p.mantissa : `${p.mantissa}{\\times}10^{${p.exponent}}`;
}

// A vector as the table writes it, [a, b]: one text line tall, so a whole rule fits beside the plot.
function vec(v) {
  if (!v) return '\\mathbf{0}';
  return `[${v.map(n).join(',\\ ')}]`;
}

// Lookups into this step's and the previous step's internals.
function context({ cur, prev }) {
  const o = cur.options;
  const find = (list, name) => list?.find((x) => x.name === name)?.value;
  const t = cur.step;
  return {
    o,
    t,
    name: cur.name,
    update: cur.update,
    g: cur.grad,
    theta: cur.params,
    thetaPrev: prev?.params,
    known: Boolean(prev),
    state: (name) => find(cur.state, name),
    // State before this step; torch creates most buffers at the first step, filled with zeros.
    before: (name) => (prev ? find(prev.state, name) ?? null : undefined),
    scalar: (name) => find(cur.step_scalars, name) ?? find(cur.scalars, name),
    scalarBefore: (name) => find(prev?.scalars, name),
    stepSize: cur.step_size,
  };
}

// A previous-state vector, or a placeholder when playback has not kept it.
function old(c, name, symbol) {
  const v = c.before(name);
  if (v === undefined) return symbol;
  return v === null ? '\\mathbf{0}' : vec(v);
}

function thetaPrev(c) {
  return c.thetaPrev ? vec(c.thetaPrev) : '\\theta_{t-1}';
}

// The table's row "gₜ = ∇f(θₜ₋₁)" holds the plain gradient; the equation restates it only when
// coupled weight decay changes it.
function gradLine(c) {
  if (!c.o.weight_decay) return null;
  return `g_t = \\nabla f(\\theta_{t-1}) + ${n(c.o.weight_decay)}\\,\\theta_{t-1} = ${vec(c.g)}`;
}

// The rule, then the rule with numbers, then the result on its own row (a narrow column has no
// room for all three on one line).
function aligned(symbolic, substituted) {
  const i = substituted.lastIndexOf(' = ');
  const rows = i > 0 ? [substituted.slice(0, i), substituted.slice(i + 3)] : [substituted];
  // The symbolic rule "lhs &= rhs" and the substitution break before a top-level + or − when
  // long, so a rule fits the inspector's column at a readable size.
  const eq = symbolic.indexOf('&=');
  const head = eq >= 0 ? [symbolic.slice(0, eq + 2), ...wrap(symbolic.slice(eq + 2))] : [symbolic];
  const lines = [head[0] + head[1], ...head.slice(2).map((r) => `&\\quad ${r}`)];
  const body = wrap(rows[0]).map((r, k) => (k === 0 ? `&= ${r}` : `&\\quad ${r}`));
  if (rows.length > 1) body.push(`&= ${rows[1]}`);
  return `\\begin{aligned}${[...lines, ...body].join(' \\\\ ')}\\end{aligned}`;
}

// A long one-line chain "a = b = c" becomes aligned rows, each wrapped.
function chain(tex) {
  if (tex.startsWith('\\begin{aligned}') || glyphs(tex) <= LONG) return tex;
  const [lhs, ...rest] = tex.split(' = ');
  if (rest.length === 0) return tex;
  const rows = rest.flatMap((part) => wrap(part).map((r, k) => (k === 0 ? `&= ${r}` : `&\\quad ${r}`)));
  return `\\begin{aligned}${lhs} ${rows.join(' \\\\ ')}\\end{aligned}`;
}

const LONG = 56; // glyphs in one row (see glyphs()): about the width of the inspector's column

// A rough count of the glyphs tex shows: a command is one glyph, braces and scripts none, and a
// fraction as wide as the wider of its two parts.
function glyphs(tex) {
  let t = tex;
  for (let k = 0; k < 8 && /\\[td]?frac\{/.test(t); k++) {
    t = t.replace(/\\[td]?frac\{([^{}]*)\}\{([^{}]*)\}/g, (m, a, b) => (a.length > b.length ? a : b));
  }
  return t.replace(/\\[a-zA-Z]+/g, 'm').replace(/\\[,;!: ]/g, ' ').replace(/[{}^_&]/g, '').length;
}

// Pieces of tex, cut before top-level " + " and " - " (outside braces, brackets and parentheses),
// packed greedily into rows of about LONG glyphs.
function wrap(tex) {
  if (glyphs(tex) <= LONG) return [tex];
  const cuts = [];
  let depth = 0;
  for (let k = 0; k < tex.length; k++) {
    const ch = tex[k];
    if (ch === '{' || ch === '[' || ch === '(') depth += 1;
    else if (ch === '}' || ch === ']' || ch === ')') depth -= 1;
    else if (depth === 0 && k > 0 && (tex.startsWith(' + ', k) || tex.startsWith(' - ', k))) cuts.push(k + 1);
  }
  const rows = [];
  let start = 0;
  let last = 0;
  for (const c of [...cuts, tex.length]) {
    if (glyphs(tex.slice(start, c)) > LONG && last > start) {
      rows.push(tex.slice(start, last).trim());
      start = last;
    }
    last = c;
  }
  rows.push(tex.slice(start).trim());
  return rows;
}

const RULES = {
  sgd(c) {
    const { o } = c;
    const lines = [gradLine(c)];
    if (o.momentum !== 0) {
      const b = vec(c.state('momentum_buffer'));
      lines.push(
        c.t === 1
          ? `b_1 = g_1 = ${b} \\quad\\text{(first step: a plain copy)}`
          : aligned(
            `b_t &= \\mu\\, b_{t-1} + (1-\\tau)\\, g_t`,
            `${n(o.momentum)}\\,${old(c, 'momentum_buffer', 'b_{t-1}')} + ${n(1 - o.dampening)}\\,${vec(c.g)} = ${b}`,
          ),
      );
      const d = o.nesterov ? `\\left(${vec(c.g)} + ${n(o.momentum)}\\,${b}\\right)` : b;
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\cdot ${o.nesterov ? '(g_t + \\mu\\, b_t)' : 'b_t'}`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,${d} = ${vec(c.theta)}`,
      ));
    } else {
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\cdot g_t`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,${vec(c.g)} = ${vec(c.theta)}`,
      ));
    }
    return lines;
  },
  adagrad(c) {
    const { o } = c;
    const s = vec(c.state('sum'));
    return [
      gradLine(c),
      aligned(`s_t &= s_{t-1} + g_t^2`, `${old(c, 'sum', 's_{t-1}')} + ${vec(c.g)}^{2} = ${s}`),
      aligned(
        `\\eta_t &= \\frac{\\text{lr}}{1 + (t-1)\\,\\text{lr\\_decay}}`,
        `\\frac{${n(o.lr)}}{1 + ${c.t - 1}\\cdot ${n(o.lr_decay)}} = ${n(c.scalar('clr'))}`,
      ),
      aligned(
        `\\theta_t &= \\theta_{t-1} - \\eta_t\\, \\frac{g_t}{\\sqrt{s_t} + \\varepsilon}`,
        `${thetaPrev(c)} - ${n(c.scalar('clr'))}\\,\\frac{${vec(c.g)}}{\\sqrt{${s}} + ${n(o.eps)}} = ${vec(c.theta)}`,
      ),
    ];
  },
  rmsprop(c) {
    const { o } = c;
    const v = vec(c.state('square_avg'));
    const lines = [
      gradLine(c),
      aligned(
        `v_t &= \\alpha\\, v_{t-1} + (1-\\alpha)\\, g_t^2`,
        `${n(o.alpha)}\\,${old(c, 'square_avg', 'v_{t-1}')} + ${n(1 - o.alpha)}\\,${vec(c.g)}^{2} = ${v}`,
      ),
    ];
    let denom = `\\sqrt{${v}} + ${n(o.eps)}`;
    let denomSym = '\\sqrt{v_t} + \\varepsilon';
    if (o.centered) {
      const ga = vec(c.state('grad_avg'));
      lines.push(aligned(
        `\\bar g_t &= \\alpha\\, \\bar g_{t-1} + (1-\\alpha)\\, g_t`,
        `${n(o.alpha)}\\,${old(c, 'grad_avg', '\\bar g_{t-1}')} + ${n(1 - o.alpha)}\\,${vec(c.g)} = ${ga}`,
      ));
      denom = `\\sqrt{${v} - ${ga}^{2}} + ${n(o.eps)}`;
      denomSym = '\\sqrt{v_t - \\bar g_t^2} + \\varepsilon';
    }
    if (o.momentum > 0) {
      const b = vec(c.state('momentum_buffer'));
      lines.push(aligned(
        `b_t &= \\mu\\, b_{t-1} + \\frac{g_t}{${denomSym}}`,
        `${n(o.momentum)}\\,${old(c, 'momentum_buffer', 'b_{t-1}')} + \\frac{${vec(c.g)}}{${denom}} = ${b}`,
      ));
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\cdot b_t`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,${b} = ${vec(c.theta)}`,
      ));
    } else {
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\,\\frac{g_t}{${denomSym}}`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,\\frac{${vec(c.g)}}{${denom}} = ${vec(c.theta)}`,
      ));
    }
    return lines;
  },
  adam: adamRules,
  adamw: adamRules,
  adamax(c) {
    const { o } = c;
    const m = vec(c.state('exp_avg'));
    const u = vec(c.state('exp_inf'));
    return [
      gradLine(c),
      moment1(c, m),
      aligned(
        `u_t &= \\max(\\beta_2\\, u_{t-1},\\ |g_t| + \\varepsilon)`,
        `\\max\\!\\left(${n(o.betas[1])}\\,${old(c, 'exp_inf', 'u_{t-1}')},\\ |${vec(c.g)}| + ${n(o.eps)}\\right) = ${u}`,
      ),
      aligned(
        o.bias_correction === false // OptLab's option, not torch: clr = lr
          ? `\\theta_t &= \\theta_{t-1} - \\text{lr}\\,\\frac{m_t}{u_t}\\quad (\\text{no bias correction; not torch})`
          : `\\theta_t &= \\theta_{t-1} - \\frac{\\text{lr}}{1-\\beta_1^{t}}\\,\\frac{m_t}{u_t}`,
        `${thetaPrev(c)} - ${n(c.scalar('clr'))}\\,\\frac{${m}}{${u}} = ${vec(c.theta)}`,
      ),
    ];
  },
  nadam(c) {
    const { o } = c;
    const m = vec(c.state('exp_avg'));
    const v = vec(c.state('exp_avg_sq'));
    const mu = c.scalar('mu');
    const muNext = c.scalar('mu_next');
    const prod = c.scalar('mu_product');
    return [
      gradLine(c),
      `\\mu_t = \\beta_1\\left(1 - \\tfrac12\\, 0.96^{t\\psi}\\right) = ${n(mu)}`,
      `\\mu_{t+1} = \\beta_1\\left(1 - \\tfrac12\\, 0.96^{(t+1)\\psi}\\right) = ${n(muNext)}`,
      `\\Pi_t = \\textstyle\\prod_{i\\le t}\\mu_i = ${n(prod)}`,
      moment1(c, m),
      moment2(c, v),
      `d_t = \\sqrt{\\tfrac{v_t}{1-\\beta_2^{t}}} + \\varepsilon = \\sqrt{\\tfrac{${v}}{1-${n(o.betas[1])}^{${c.t}}}} + ${n(o.eps)}`,
      aligned(
        `\\theta_t &= \\theta_{t-1} - \\frac{\\text{lr}(1-\\mu_t)}{1-\\Pi_t}\\,\\frac{g_t}{d_t} - \\frac{\\text{lr}\\,\\mu_{t+1}}{1-\\Pi_t\\mu_{t+1}}\\,\\frac{m_t}{d_t}`,
        `${thetaPrev(c)} - \\frac{${n(o.lr)}(1-${n(mu)})}{1-${n(prod)}}\\,\\frac{${vec(c.g)}}{d_t} - \\frac{${n(o.lr)}\\cdot ${n(muNext)}}{1-${n(prod)}\\cdot${n(muNext)}}\\,\\frac{${m}}{d_t} = ${vec(c.theta)}`,
      ),
    ];
  },
  radam(c) {
    const { o } = c;
    const m = vec(c.state('exp_avg'));
    const v = vec(c.state('exp_avg_sq'));
    const rectified = c.scalar('rectified') === 1;
    const lines = [
      gradLine(c),
      moment1(c, m),
      moment2(c, v),
      `\\rho_t = \\rho_\\infty - \\frac{2t\\beta_2^{t}}{1-\\beta_2^{t}} = ${n(c.scalar('rho_t'))}\\ ${rectified ? '> 5: \\text{rectified step}' : '\\le 5: \\text{plain momentum step}'}`,
    ];
    if (rectified) {
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\,\\frac{m_t}{1-\\beta_1^{t}}\\,\\frac{\\sqrt{1-\\beta_2^{t}}}{\\sqrt{v_t}+\\varepsilon}\\, r_t`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,\\frac{${m}}{1-${n(o.betas[0])}^{${c.t}}}\\,\\frac{\\sqrt{1-${n(o.betas[1])}^{${c.t}}}}{\\sqrt{${v}}+${n(o.eps)}}\\cdot ${n(c.scalar('rect'))} = ${vec(c.theta)}`,
      ));
    } else {
      lines.push(aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\,\\frac{m_t}{1-\\beta_1^{t}}`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,\\frac{${m}}{1-${n(o.betas[0])}^{${c.t}}} = ${vec(c.theta)}`,
      ));
    }
    return lines;
  },
  adadelta(c) {
    const { o } = c;
    const v = vec(c.state('square_avg'));
    const u = vec(c.state('acc_delta'));
    return [
      gradLine(c),
      aligned(
        `v_t &= \\rho\\, v_{t-1} + (1-\\rho)\\, g_t^2`,
        `${n(o.rho)}\\,${old(c, 'square_avg', 'v_{t-1}')} + ${n(1 - o.rho)}\\,${vec(c.g)}^{2} = ${v}`,
      ),
      aligned(
        `\\Delta_t &= \\frac{\\sqrt{u_{t-1} + \\varepsilon}}{\\sqrt{v_t + \\varepsilon}}\\, g_t`,
        `\\frac{\\sqrt{${old(c, 'acc_delta', 'u_{t-1}')} + ${n(o.eps)}}}{\\sqrt{${v} + ${n(o.eps)}}}\\,${vec(c.g)}`,
      ),
      aligned(
        `u_t &= \\rho\\, u_{t-1} + (1-\\rho)\\,\\Delta_t^2`,
        `${u}`,
      ),
      aligned(
        `\\theta_t &= \\theta_{t-1} - \\text{lr}\\cdot\\Delta_t`,
        `${thetaPrev(c)} - ${n(o.lr)}\\,\\Delta_t = ${vec(c.theta)}`,
      ),
    ];
  },
};

function moment1(c, m) {
  return aligned(
    `m_t &= \\beta_1\\, m_{t-1} + (1-\\beta_1)\\, g_t`,
    `${n(c.o.betas[0])}\\,${old(c, 'exp_avg', 'm_{t-1}')} + ${n(1 - c.o.betas[0])}\\,${vec(c.g)} = ${m}`,
  );
}

function moment2(c, v) {
  return aligned(
    `v_t &= \\beta_2\\, v_{t-1} + (1-\\beta_2)\\, g_t^2`,
    `${n(c.o.betas[1])}\\,${old(c, 'exp_avg_sq', 'v_{t-1}')} + ${n(1 - c.o.betas[1])}\\,${vec(c.g)}^{2} = ${v}`,
  );
}

function adamRules(c) {
  const { o } = c;
  const m = vec(c.state('exp_avg'));
  const v = vec(c.state('exp_avg_sq'));
  const lines = [];
  if (c.name === 'adamw') {
    lines.push(`\\theta' = \\theta_{t-1}\\,(1 - \\text{lr}\\,\\lambda) = \\theta_{t-1}\\cdot ${n(c.scalar('decay_factor'))}`);
  } else {
    lines.push(gradLine(c));
  }
  lines.push(moment1(c, m), moment2(c, v));
  let u = v;
  let uSym = 'v_t';
  if (o.amsgrad) {
    u = vec(c.state('max_exp_avg_sq'));
    uSym = '\\hat v^{\\max}_t';
    lines.push(aligned(
      `\\hat v^{\\max}_t &= \\max(\\hat v^{\\max}_{t-1},\\ v_t)`,
      `\\max\\!\\left(${old(c, 'max_exp_avg_sq', '\\hat v^{\\max}_{t-1}')},\\ ${v}\\right) = ${u}`,
    ));
  }
  const decoupled = c.name === 'adamw';
  const decayed = decoupled ? "\\theta'" : '\\theta_{t-1}';
  const start = decoupled ? `${thetaPrev(c)}\\cdot ${n(c.scalar('decay_factor'))}` : thetaPrev(c);
  // OptLab's bias_correction: false (not torch): the rule without the two corrections.
  if (o.bias_correction === false) {
    lines.push(aligned(
      `\\theta_t &= ${decayed} - \\text{lr}\\,\\frac{m_t}{\\sqrt{${uSym}} + \\varepsilon}\\quad (\\text{no bias correction; not torch})`,
      `${start} - ${n(o.lr)}\\,\\frac{${m}}{\\sqrt{${u}} + ${n(o.eps)}} = ${vec(c.theta)}`,
    ));
    return lines;
  }
  lines.push(aligned(
    `\\theta_t &= ${decayed} - \\frac{\\text{lr}}{1-\\beta_1^{t}}\\,\\frac{m_t}{\\sqrt{${uSym}}\\,/\\sqrt{1-\\beta_2^{t}} + \\varepsilon}\\quad (\\varepsilon = ${n(o.eps)})`,
    `${start} - \\frac{${n(o.lr)}}{${n(c.scalar('bias_correction1'))}}\\,\\frac{${m}}{\\sqrt{${u}}\\,/\\sqrt{${n(c.scalar('bias_correction2'))}} + \\varepsilon} = ${vec(c.theta)}`,
  ));
  return lines;
}

// An optimizer this file does not know yet (a later addition to the catalog): the step itself.
function generic(c) {
  return [
    gradLine(c),
    `\\theta_t = \\theta_{t-1} + \\Delta\\theta = ${thetaPrev(c)} + ${vec(c.update)} = ${vec(c.theta)}`,
  ];
}
