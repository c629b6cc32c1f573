// RMSprop (torch.optim.RMSprop): divide the gradient by a running root-mean-square of recent
// gradients, optionally centred (subtract the running mean first) and with momentum.
//
//   g = ∇ + λ·θ                                  coupled weight decay
//   v ← α·v + (1 − α)·g²                         α = alpha; no bias correction, no step counter
//   centered:  ḡ ← α·ḡ + (1 − α)·g,  a = √(v − ḡ²) + ε
//   otherwise: a = √v + ε                        ⚠ ε outside the root, added after centring
//   μ > 0:  b ← μ·b + g/a,  θ ← θ − lr·b         ⚠ b starts at 0: no first-step copy as in SGD
//   μ = 0:  θ ← θ − lr·g/a
//
// StepReport: step_size = lr / a (with momentum, the rate at which this g enters the velocity).
#pragma once

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct RmspropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
};

struct RmspropState {
  Eigen::VectorXd square_avg;
  Eigen::VectorXd momentum_buffer;  // only with momentum > 0
  Eigen::VectorXd grad_avg;         // only when centered
};

// Throws InvalidOption with torch's message when lr, eps, momentum, weight_decay or alpha is
// negative (in that order). alpha > 1 is accepted, as in torch.
void validate(const RmspropOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void rmsprop_step(const RmspropOptions& options, RmspropState& state, Eigen::VectorXd& params,
                  const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
