// Adadelta's step in the operation order of torch's _single_tensor_adadelta; the rule is in adadelta.h.
#include "optim/adadelta.h"

#include <cmath>

namespace optlab {

void validate(const AdadeltaOptions& o) {
  if (!(0.0 <= o.lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (!(0.0 <= o.rho && o.rho <= 1.0)) throw InvalidOption("rho", -1, "Invalid rho value: ", o.rho);
  if (!(0.0 <= o.eps)) throw InvalidOption("eps", -1, "Invalid epsilon value: ", o.eps);
  if (!(0.0 <= o.weight_decay))
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", o.weight_decay);
}

void adadelta_step(const AdadeltaOptions& o, AdadeltaState& state, Eigen::VectorXd& params,
                   const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.square_avg, n);
  ensure_state(state.acc_delta, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& v = state.square_avg[i];
    double& u = state.acc_delta[i];
    v = v * o.rho + (1 - o.rho) * g * g;
    // RMS of past steps over RMS of gradients; u is still the previous step's value here.
    const double ratio = std::sqrt(u + o.eps) / std::sqrt(v + o.eps);
    const double delta = ratio * g;
    u = u * o.rho + (1 - o.rho) * delta * delta;
    const double before = params[i];
    params[i] = before - o.lr * delta;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = o.lr * ratio;
  }
}

}  // namespace optlab
