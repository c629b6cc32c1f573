// Rprop's step in the operation order of torch's _single_tensor_rprop; the rule is in rprop.h.
#include "optim/rprop.h"

#include <cmath>

namespace optlab {
namespace {

// torch.sign: NaN stays NaN, ±0 gives 0.
double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

// torch.clamp_(min, max) = min(max(x, lo), hi), NaN propagating.
double clamp(double x, double lo, double hi) {
  if (std::isnan(x)) return x;
  return x < lo ? lo : (x > hi ? hi : x);
}

}  // namespace

void validate(const RpropOptions& o) {
  if (!(0.0 <= o.lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (!(0.0 < o.etas[0] && o.etas[0] < 1.0 && 1.0 < o.etas[1]))
    throw InvalidOption("etas", "Invalid eta values: " + python_repr(o.etas[0]) + ", " + python_repr(o.etas[1]));
}

void rprop_step(const RpropOptions& o, RpropState& state, Eigen::VectorXd& params, const Eigen::VectorXd& grad,
                StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.prev, n);
  ensure_state(state.step_size, n, o.lr);  // full_like(grad, lr), at the first step
  const auto [etaminus, etaplus] = o.etas;
  const auto [step_size_min, step_size_max] = o.step_sizes;
  state.step += 1;
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    const double s = sign(g * state.prev[i]);
    // torch replaces sign values in place: >0 by etaplus, <0 by etaminus, ==0 by 1 (NaN stays).
    const double f = s > 0 ? etaplus : s < 0 ? etaminus : s == 0 ? 1.0 : s;
    double& step_size = state.step_size[i];
    step_size = clamp(step_size * f, step_size_min, step_size_max);
    if (f == etaminus) g = 0;
    const double before = params[i];
    params[i] = before + sign(g) * step_size * -1;  // addcmul_(grad.sign(), step_size, value=-1)
    state.prev[i] = g;
    report.grad[i] = grad[i];
    report.update[i] = params[i] - before;
    report.step_size[i] = step_size;
  }
}

}  // namespace optlab
