// ASGD (torch.optim.ASGD): SGD with a decaying step size eta and, from step t0 on, a running
// average `ax` of the iterates (torch keeps ax in the state; the parameters themselves are the
// plain SGD iterates).
//
//   t ← t + 1
//   g = ∇ + λ·θ                                  coupled weight decay (λ = weight_decay)
//   θ ← θ·(1 − lambd·eta)                        ⚠ eta from the previous step (lr at the first)
//   θ ← θ − eta·g
//   ax ← ax + mu·(θ − ax) if mu ≠ 1, else ax ← θ
//   eta ← lr / (1 + lambd·lr·t)^alpha            uses the current lr (a scheduler's)
//   mu ← 1 / max(1, t − t0)
//
// StepReport: step_size = eta (the one used); scalars "eta", "mu" (both after the step).
#pragma once

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct AsgdOptions {
  double lr = 1e-2;
  double lambd = 1e-4;
  double alpha = 0.75;
  double t0 = 1e6;
  double weight_decay = 0.0;
};

struct AsgdState {
  double step = 0;
  double eta = 0;  // set to lr at the first step, as torch creates it
  double mu = 1;
  Eigen::VectorXd ax;
};

// torch's checks: lr >= 0, weight_decay >= 0.
void validate(const AsgdOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void asgd_step(const AsgdOptions& options, AsgdState& state, Eigen::VectorXd& params,
               const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
