// SGD (torch.optim.SGD): plain gradient descent, heavy-ball momentum and Nesterov momentum.
//
//   g = ∇ + λ·θ                                  coupled weight decay (λ = weight_decay)
//   if μ ≠ 0 (μ = momentum, τ = dampening):
//     first step:   b ← g                         ⚠ a plain copy: dampening is not applied
//     later steps:  b ← μ·b + (1 − τ)·g
//     d = g + μ·b if nesterov (the b just updated), else d = b
//   else d = g
//   θ ← θ − lr·d                                  ⚠ lr scales the whole velocity; Sutskever et al.
//                                                   fold lr into it instead (v ← μ·v + lr·g)
//
// StepReport: step_size = lr for every component (the factor applied to the direction d).
#pragma once

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct SgdOptions {
  double lr = 1e-3;  // torch >= 2.2's default; older torch had no default at all
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};

struct SgdState {
  Eigen::VectorXd momentum_buffer;  // only with momentum != 0; created at the first step
};

// Throws InvalidOption with torch's message: lr < 0, momentum < 0, weight_decay < 0, or nesterov
// without a positive momentum and zero dampening. dampening itself has no range check in torch.
void validate(const SgdOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void sgd_step(const SgdOptions& options, SgdState& state, Eigen::VectorXd& params,
              const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
