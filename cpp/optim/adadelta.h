// Adadelta (torch.optim.Adadelta): the step is the gradient rescaled by the ratio of two RMS
// values, that of past updates over that of past gradients, so it carries the parameters' units.
//
//   g = ∇ + λ·θ                                  coupled weight decay
//   v ← ρ·v + (1 − ρ)·g²                         ρ = rho; no step counter, no bias correction
//   Δ = √(u + ε) / √(v + ε) · g                  the previous u, the new v; ε inside both roots
//   u ← ρ·u + (1 − ρ)·Δ²                         after Δ; u stores the Δ before lr
//   θ ← θ − lr·Δ                                 ⚠ lr (default 1.0) scales only the applied step
//
// StepReport: step_size = lr·√(u + ε) / √(v + ε), with the u from before this step.
#pragma once

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0.0;
};

struct AdadeltaState {
  Eigen::VectorXd square_avg;
  Eigen::VectorXd acc_delta;
};

// Throws InvalidOption with torch's message: lr < 0, rho outside [0, 1] (1 is allowed),
// eps < 0, weight_decay < 0.
void validate(const AdadeltaOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void adadelta_step(const AdadeltaOptions& options, AdadeltaState& state, Eigen::VectorXd& params,
                   const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
