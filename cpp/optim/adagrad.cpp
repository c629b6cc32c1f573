// Adagrad's step in the operation order of torch's _single_tensor_adagrad; the rule is in adagrad.h.
#include "optim/adagrad.h"

#include <cmath>

namespace optlab {

void validate(const AdagradOptions& o) {
  // torch writes `not 0.0 <= x`, which also rejects NaN.
  if (!(0.0 <= o.lr)) throw InvalidOption("lr", -1, "Invalid learning rate: ", o.lr);
  if (!(0.0 <= o.lr_decay)) throw InvalidOption("lr_decay", -1, "Invalid lr_decay value: ", o.lr_decay);
  if (!(0.0 <= o.weight_decay))
    throw InvalidOption("weight_decay", -1, "Invalid weight_decay value: ", o.weight_decay);
  if (!(0.0 <= o.initial_accumulator_value))
    throw InvalidOption("initial_accumulator_value", -1, "Invalid initial_accumulator_value value: ",
                        o.initial_accumulator_value);
  if (!(0.0 <= o.eps)) throw InvalidOption("eps", -1, "Invalid epsilon value: ", o.eps);
}

void adagrad_step(const AdagradOptions& o, AdagradState& state, Eigen::VectorXd& params,
                  const Eigen::VectorXd& grad, StepReport& report) {
  const Eigen::Index n = begin_step(report, params, grad);
  ensure_state(state.sum, n, o.initial_accumulator_value);
  state.step += 1;
  const double clr = o.lr / (1 + (state.step - 1) * o.lr_decay);
  for (Eigen::Index i = 0; i < n; ++i) {
    double g = grad[i];
    if (o.weight_decay != 0) g = g + o.weight_decay * params[i];
    double& s = state.sum[i];
    s = s + g * g;
    const double denom = std::sqrt(s) + o.eps;
    const double before = params[i];
    params[i] = before - clr * g / denom;
    report.grad[i] = g;
    report.update[i] = params[i] - before;
    report.step_size[i] = clr / denom;
  }
  set_scalars(report, {{"clr", clr}});
}

}  // namespace optlab
