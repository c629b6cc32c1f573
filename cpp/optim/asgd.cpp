// ASGD's step in the operation order of torch's _single_tensor_asgd; the rule is in asgd.h.
#include "optim/asgd.h"

#include <algorithm>

#include "math/portable.h"

namespace optlab {

void validate(const AsgdOptions& o) {
  if (!(0.0 <= o.lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (!(0.0 <= o.weight_decay))
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", o.weight_decay);
}

void asgd_step(const AsgdOptions& o, AsgdState& state, Eigen::VectorXd& params, const Eigen::VectorXd& grad,
               StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  if (ensure_state(state.ax, n)) {  // torch's state init: eta = lr, mu = 1
    state.eta = o.lr;
    state.mu = 1;
  }
  state.step += 1;
  const double eta = state.eta;
  const double mu = state.mu;
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    const double before = params[i];
    double p = before * (1 - o.lambd * eta);
    p = p + g * -eta;
    params[i] = p;
    double& ax = state.ax[i];
    ax = mu != 1 ? ax + (p - ax) * mu : p;
    report.grad[i] = g;
    report.update[i] = p - before;
    report.step_size[i] = eta;
  }
  state.eta = o.lr / pm::pow(1 + o.lambd * o.lr * state.step, o.alpha);
  state.mu = 1 / std::max(1.0, state.step - o.t0);
  set_scalars(report, {{"eta", state.eta}, {"mu", state.mu}});
}

}  // namespace optlab
