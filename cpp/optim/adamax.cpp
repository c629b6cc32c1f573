// Adamax's step in the operation order of torch's _single_tensor_adamax; the rule is in adamax.h.
#include "optim/adamax.h"

#include <algorithm>
#include <cmath>

#include "math/portable.h"
#include "optim/adam.h"

namespace optlab {

void validate(const AdamaxOptions& o) { validate_adam_like(o.lr, o.betas, o.eps, o.weight_decay); }

void adamax_step(const AdamaxOptions& o, AdamaxState& state, Eigen::VectorXd& params,
                 const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.exp_avg, n);
  ensure_state(state.exp_inf, n);
  const auto [beta1, beta2] = o.betas;
  state.step += 1;
  const double clr = o.bias_correction ? o.lr / (1 - pm::pow(beta1, state.step)) : o.lr;
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& m = state.exp_avg[i];
    double& u = state.exp_inf[i];
    m = m * beta1 + (1 - beta1) * g;
    const double decayed = u * beta2;
    const double fresh = std::abs(g) + o.eps;
    // torch.amax propagates NaN, std::max would drop it.
    u = std::isnan(decayed) || std::isnan(fresh) ? NAN : std::max(decayed, fresh);
    const double before = params[i];
    params[i] = before - clr * m / u;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = clr / u;
  }
  set_scalars(report, {{"clr", clr}});
}

}  // namespace optlab
