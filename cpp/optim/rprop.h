// Rprop (torch.optim.Rprop): only the sign of the gradient is used. Each component has its own
// step size, which grows by etaplus while the gradient keeps its sign and shrinks by etaminus when
// it flips (and then that component skips the step).
//
//   t ← t + 1
//   s = g·prev                                   g = ∇ (Rprop has no weight decay)
//   f = etaplus if s > 0, etaminus if s < 0, 1 if s = 0
//   step_size ← clamp(step_size·f, step_size_min, step_size_max)   ⚠ step_size starts at lr
//   g ← 0 where f = etaminus                     ⚠ a flip skips that component this step
//   θ ← θ − sign(g)·step_size
//   prev ← g                                     ⚠ the zeroed g, so the next step treats it as s = 0
//
// lr is read only when the state is created (the first step); a scheduler's later lr has no effect,
// as in torch. StepReport: step_size = the per-component step_size; grad = ∇.
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct RpropOptions {
  double lr = 1e-2;
  std::array<double, 2> etas = {0.5, 1.2};          // (etaminus, etaplus)
  std::array<double, 2> step_sizes = {1e-6, 50.0};  // (min, max); torch checks neither
};

struct RpropState {
  double step = 0;
  Eigen::VectorXd prev;
  Eigen::VectorXd step_size;
};

// torch's checks: lr >= 0 ("Invalid learning rate"), 0 < etaminus < 1 < etaplus ("Invalid eta values").
void validate(const RpropOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void rprop_step(const RpropOptions& options, RpropState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
