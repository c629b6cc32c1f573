// AdamW (torch.optim.AdamW): Adam with decoupled weight decay. The decay shrinks θ directly
// instead of entering the gradient, so it is not rescaled by Adam's denominator.
//
//   t ← t + 1
//   θ ← θ·(1 − lr·λ)                             ⚠ first, every step (λ = 0 multiplies by 1)
//   g = ∇                                        ∇ was taken at θ before the decay
//   m, v, v_max, bc1, bc2, denom exactly as Adam (adam.h), then
//   θ ← θ − (lr / bc1) · m / denom               applied to the decayed θ
//
// ⚠ The default weight_decay is 1e-2, not 0. bias_correction = false as for Adam (not torch).
// StepReport: step_size = (lr / bc1) / denom as for Adam; update includes the decay;
// scalars as Adam's plus "decay_factor" = 1 − lr·λ.
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/adam.h"
#include "optim/step_report.h"

namespace optlab {

struct AdamWOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool bias_correction = true;  // not part of torch; see adam.h
};

// torch's AdamW keeps exactly Adam's state: step, exp_avg, exp_avg_sq, max_exp_avg_sq.
using AdamWState = AdamState;

// Throws InvalidOption with torch's message, as Adam's validate does.
void validate(const AdamWOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void adamw_step(const AdamWOptions& options, AdamWState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
