// Adamax (torch.optim.Adamax): Adam with the RMS denominator replaced by a decaying maximum of
// |g| (the infinity norm), which needs no bias correction.
//
//   t ← t + 1
//   g = ∇ + λ·θ                                  coupled weight decay
//   m ← β1·m + (1 − β1)·g
//   u ← max(β2·u, |g| + ε)                       ⚠ ε is added to |g| inside the max
//   clr = lr / (1 − β1^t)                        only m is bias-corrected
//   θ ← θ − clr · m / u                          no further ε here
//
// bias_correction = false (OptLab only, not part of torch): clr = lr, as for Adam (adam.h).
//
// StepReport: step_size = clr / u; scalar "clr".
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct AdamaxOptions {
  double lr = 2e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool bias_correction = true;  // not part of torch; true is torch's rule
};

struct AdamaxState {
  double step = 0;
  Eigen::VectorXd exp_avg;
  Eigen::VectorXd exp_inf;
};

// Throws InvalidOption with torch's message, with Adam's checks.
void validate(const AdamaxOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void adamax_step(const AdamaxOptions& options, AdamaxState& state, Eigen::VectorXd& params,
                 const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
