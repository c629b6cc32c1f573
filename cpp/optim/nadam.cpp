// NAdam's step in the operation order of torch's _single_tensor_nadam (2.x); the rule is in nadam.h.
#include "optim/nadam.h"

#include <cmath>

#include "math/portable.h"
#include "optim/adam.h"

namespace optlab {

void validate(const NadamOptions& o) {
  validate_adam_like(o.lr, o.betas, o.eps, o.weight_decay);
  if (!(0.0 <= o.momentum_decay))
    throw InvalidOption("momentum_decay", -1, "Invalid momentum_decay value: ", o.momentum_decay);
}

void nadam_step(const NadamOptions& o, NadamState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.exp_avg, n);
  ensure_state(state.exp_avg_sq, n);
  const auto [beta1, beta2] = o.betas;
  state.step += 1;
  const double t = state.step;
  const double bias_correction2 = 1 - pm::pow(beta2, t);
  const double mu = beta1 * (1. - 0.5 * pm::pow(0.96, t * o.momentum_decay));
  const double mu_next = beta1 * (1. - 0.5 * pm::pow(0.96, (t + 1) * o.momentum_decay));
  state.mu_product = state.mu_product * mu;
  const double mu_product_next = state.mu_product * mu_next;
  // The two weights are scalars, computed once per step as torch does.
  const double grad_weight = o.lr * (1. - mu) / (1. - state.mu_product);
  const double exp_avg_weight = o.lr * mu_next / (1. - mu_product_next);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& m = state.exp_avg[i];
    double& v = state.exp_avg_sq[i];
    m = m * beta1 + (1 - beta1) * g;
    v = v * beta2 + (1 - beta2) * g * g;
    const double denom = std::sqrt(v / bias_correction2) + o.eps;
    const double before = params[i];
    params[i] = params[i] - grad_weight * g / denom;
    params[i] = params[i] - exp_avg_weight * m / denom;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = o.lr / denom;
  }
  set_scalars(report, {{"mu", mu}, {"mu_next", mu_next}, {"mu_product", state.mu_product}});
}

}  // namespace optlab
