// Adam's step in the operation order of torch's _single_tensor_adam; the rule is in adam.h.
#include "optim/adam.h"

#include <algorithm>
#include <cmath>

#include "math/portable.h"

namespace optlab {

void validate_adam_like(double lr, const std::array<double, 2>& betas, double eps, double weight_decay) {
  // torch writes `not 0.0 <= x` and `not 0.0 <= beta < 1.0`, which also reject NaN.
  if (!(0.0 <= lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", lr);
  if (!(0.0 <= eps)) throw InvalidOption("eps", -1, "Invalid epsilon value: ", eps);
  for (int i = 0; i < 2; ++i)
    if (!(0.0 <= betas[i] && betas[i] < 1.0))
      throw InvalidOption("betas", i, "Invalid beta parameter at index " + std::to_string(i) + ": ",
                          betas[i]);
  if (!(0.0 <= weight_decay))
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", weight_decay);
}

void validate(const AdamOptions& o) { validate_adam_like(o.lr, o.betas, o.eps, o.weight_decay); }

void adam_step(const AdamOptions& o, AdamState& state, Eigen::VectorXd& params,
               const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.exp_avg, n);
  ensure_state(state.exp_avg_sq, n);
  if (o.amsgrad) ensure_state(state.max_exp_avg_sq, n);
  const auto [beta1, beta2] = o.betas;
  state.step += 1;
  // Without the correction, dividing by 1 leaves every later operation exactly torch's.
  const double bias_correction1 = o.bias_correction ? 1 - pm::pow(beta1, state.step) : 1.0;
  const double bias_correction2 = o.bias_correction ? 1 - pm::pow(beta2, state.step) : 1.0;
  const double step_size = o.lr / bias_correction1;
  const double bias_correction2_sqrt = std::sqrt(bias_correction2);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& m = state.exp_avg[i];
    double& v = state.exp_avg_sq[i];
    m = m * beta1 + (1 - beta1) * g;
    v = v * beta2 + (1 - beta2) * g * g;
    double u = v;
    if (o.amsgrad) {
      double& v_max = state.max_exp_avg_sq[i];
      v_max = std::isnan(v) ? v : std::max(v_max, v);  // torch.maximum propagates NaN
      u = v_max;
    }
    const double denom = std::sqrt(u) / bias_correction2_sqrt + o.eps;
    const double before = params[i];
    params[i] = before - step_size * m / denom;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = step_size / denom;
  }
  set_scalars(report, {{"bias_correction1", bias_correction1}, {"bias_correction2", bias_correction2}});
}

}  // namespace optlab
