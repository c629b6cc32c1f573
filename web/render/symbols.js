// The update equation's symbol for each of torch's state and scalar names, per optimizer, so the
// inspector's table can print "m_t  exp_avg" and a student can match a row to a term. Kept beside
// render/equation.js, whose LaTeX uses the same letters.
const SHARED = { step: 't' };

const BY_OPTIMIZER = {
  sgd: { momentum_buffer: 'bₜ' },
  adagrad: { sum: 'sₜ', clr: 'ηₜ' },
  rmsprop: { square_avg: 'vₜ', grad_avg: 'ḡₜ', momentum_buffer: 'bₜ' },
  adam: { exp_avg: 'mₜ', exp_avg_sq: 'vₜ', max_exp_avg_sq: 'v̂ₜᵐᵃˣ', bias_correction1: '1−β₁ᵗ', bias_correction2: '1−β₂ᵗ' },
  adamax: { exp_avg: 'mₜ', exp_inf: 'uₜ', clr: 'lr/(1−β₁ᵗ)' },
  nadam: { exp_avg: 'mₜ', exp_avg_sq: 'vₜ', mu_product: 'Πₜ', mu: 'μₜ', mu_next: 'μₜ₊₁' },
  radam: { exp_avg: 'mₜ', exp_avg_sq: 'vₜ', rho_t: 'ρₜ', rect: 'rₜ' },
  adadelta: { square_avg: 'vₜ', acc_delta: 'uₜ' },
  rprop: { prev: 'gₜ₋₁', step_size: 'ηₜ' },
  asgd: { ax: 'θ̄ₜ', eta: 'ηₜ', mu: 'μₜ' },
};
BY_OPTIMIZER.adamw = { ...BY_OPTIMIZER.adam, decay_factor: '1−lr·λ' };

// The symbol for torch's name in this optimizer, or null when the equation has none for it.
export function symbolFor(optimizer, name) {
  return BY_OPTIMIZER[optimizer]?.[name] ?? SHARED[name] ?? null;
}
