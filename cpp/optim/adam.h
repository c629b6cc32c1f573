// Adam (torch.optim.Adam): momentum on the gradient (m) divided by a running RMS of it (v),
// both bias-corrected for their zero start; optionally AMSGrad.
//
//   t ← t + 1
//   g = ∇ + λ·θ                                  ⚠ coupled (L2) weight decay; AdamW decouples it
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   bc1 = 1 − β1^t,  bc2 = 1 − β2^t
//   u = v;  amsgrad: v_max ← max(v_max, v), u = v_max
//                                                ⚠ the max is over the raw v, not over v/bc2
//   denom = √u / √bc2 + ε                        ⚠ ε after the bias correction, outside the root
//   θ ← θ − (lr / bc1) · m / denom
//
// bias_correction = false (OptLab only, not part of torch): bc1 = bc2 = 1, so the first steps
// use m and v as they are, still pulled towards their zero start; for the lecture's comparison.
// StepReport: step_size = (lr / bc1) / denom; scalars "bias_correction1", "bias_correction2".
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct AdamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
  bool bias_correction = true;  // not part of torch; true is torch's rule
};

struct AdamState {
  double step = 0;
  Eigen::VectorXd exp_avg;
  Eigen::VectorXd exp_avg_sq;
  Eigen::VectorXd max_exp_avg_sq;  // only with amsgrad
};

// The checks every Adam-like torch optimizer makes, in torch's order: lr >= 0, eps >= 0,
// 0 <= betas[0] < 1, 0 <= betas[1] < 1, weight_decay >= 0. Throws InvalidOption.
void validate_adam_like(double lr, const std::array<double, 2>& betas, double eps, double weight_decay);

void validate(const AdamOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void adam_step(const AdamOptions& options, AdamState& state, Eigen::VectorXd& params,
               const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
