// What a map can vary, from the core's optimizer catalog (never a list of its own): every numeric
// hyperparameter by torch's name, each member of a pair as "name.0" / "name.1" (betas.0 is β₁), with
// the catalog's range and whether its slider is logarithmic; and a run's own value of each. Pure.

const PAIR_NAMES = { 'betas.0': 'β₁', 'betas.1': 'β₂', 'etas.0': 'η₋', 'etas.1': 'η₊', 'step_sizes.0': 'step min', 'step_sizes.1': 'step max' };

// [{param, label, min, max, log, default}] for optimizer `name` of the catalog.
export function mapParams(catalog, name) {
  const opt = catalog.find((o) => o.name === name);
  if (!opt) return [];
  const out = [];
  for (const hp of opt.hyperparameters) {
    if (hp.kind === 'number') out.push({ param: hp.name, label: hp.name, min: hp.min, max: hp.max, log: Boolean(hp.log), default: hp.default });
    if (hp.kind === 'pair') {
      for (const k of [0, 1]) {
        const param = `${hp.name}.${k}`;
        out.push({ param, label: PAIR_NAMES[param] ? `${param} (${PAIR_NAMES[param]})` : param, min: hp.min, max: hp.max, log: Boolean(hp.log), default: hp.default[k], pairDefault: hp.default });
      }
    }
  }
  return out;
}

// The value a run uses for `param` (its own, else the catalog's default).
export function runValue(run, p) {
  const [name, member] = p.param.split('.');
  const v = run[name];
  if (member === undefined) return Number.isFinite(v) ? v : p.default;
  return Array.isArray(v) ? v[Number(member)] : p.default;
}

// The run with `param` set to v (a pair's other member kept).
export function withValue(run, p, v) {
  const [name, member] = p.param.split('.');
  if (member === undefined) return { ...run, [name]: v };
  const pair = Array.isArray(run[name]) ? [...run[name]] : [...defaultPair(p)];
  pair[Number(member)] = v;
  return { ...run, [name]: pair };
}

function defaultPair(p) {
  return p.pairDefault ?? [p.default, p.default];
}

// A first range for an axis: around the run's value on a log axis (1/100 to 10 times, within the
// catalog's bounds), the catalog's whole range on a linear one.
export function defaultRange(p, value) {
  if (p.log) {
    const v = value > 0 ? value : p.default > 0 ? p.default : p.min;
    return { from: Math.max(p.min, v / 100), to: Math.min(p.max, v * 10), scale: 'log' };
  }
  return { from: p.min, to: p.max, scale: 'linear' };
}

// The second axis a map starts with: momentum, β₁ or alpha when the optimizer has one, else the
// first numeric hyperparameter after lr.
export function defaultPair2(params) {
  for (const want of ['momentum', 'betas.0', 'alpha', 'rho', 'lambd']) {
    const p = params.find((q) => q.param === want);
    if (p) return p;
  }
  return params.find((q) => q.param !== 'lr') ?? params[0];
}
