// SGD's step in the operation order of torch's _single_tensor_sgd; the rule is in sgd.h.
#include "optim/sgd.h"

namespace optlab {

void validate(const SgdOptions& o) {
  // torch writes these as `x < 0.0` (not `not 0.0 <= x`), so a NaN passes, as in torch.
  if (o.lr < 0.0) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (o.momentum < 0.0) throw InvalidOption("momentum", -1, "Invalid momentum value: ", o.momentum);
  if (o.weight_decay < 0.0)
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", o.weight_decay);
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
    throw InvalidOption("nesterov", "Nesterov momentum requires a momentum and zero dampening");
}

void sgd_step(const SgdOptions& o, SgdState& state, Eigen::VectorXd& params,
              const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  const bool use_momentum = o.momentum != 0;
  // torch keeps no momentum buffer until the first step; its absence marks that step.
  const bool first = use_momentum && ensure_state(state.momentum_buffer, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double d = g;
    if (use_momentum) {
      double& b = state.momentum_buffer[i];
      b = first ? g : b * o.momentum + (1 - o.dampening) * g;
      d = o.nesterov ? g + o.momentum * b : b;
    }
    const double before = params[i];
    params[i] = before - o.lr * d;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = o.lr;
  }
}

}  // namespace optlab
