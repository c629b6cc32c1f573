// RMSprop's step in the operation order of torch's _single_tensor_rmsprop; the rule is in rmsprop.h.
#include "optim/rmsprop.h"

#include <cmath>

namespace optlab {

void validate(const RmspropOptions& o) {
  if (!(0.0 <= o.lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (!(0.0 <= o.eps)) throw InvalidOption("eps", -1, "Invalid epsilon value: ", o.eps);
  if (!(0.0 <= o.momentum)) throw InvalidOption("momentum", -1, "Invalid momentum value: ", o.momentum);
  if (!(0.0 <= o.weight_decay))
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", o.weight_decay);
  if (!(0.0 <= o.alpha)) throw InvalidOption("alpha", -1, "Invalid alpha value: ", o.alpha);
}

void rmsprop_step(const RmspropOptions& o, RmspropState& state, Eigen::VectorXd& params,
                  const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.square_avg, n);
  if (o.momentum > 0) ensure_state(state.momentum_buffer, n);
  if (o.centered) ensure_state(state.grad_avg, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& v = state.square_avg[i];
    v = v * o.alpha + (1 - o.alpha) * g * g;
    double a;
    if (o.centered) {
      double& mean = state.grad_avg[i];
      mean = mean * o.alpha + (1 - o.alpha) * g;
      a = std::sqrt(v - mean * mean) + o.eps;
    } else {
      a = std::sqrt(v) + o.eps;
    }
    const double before = params[i];
    if (o.momentum > 0) {
      double& b = state.momentum_buffer[i];
      b = b * o.momentum + g / a;
      params[i] = before - o.lr * b;
    } else {
      params[i] = before - o.lr * g / a;
    }
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = o.lr / a;
  }
}

}  // namespace optlab
