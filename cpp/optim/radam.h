// RAdam (torch.optim.RAdam): Adam whose adaptive step is switched on only once the variance
// estimate is trustworthy (ρ_t > 5), and then scaled by a rectification factor r.
//
//   t ← t + 1;  bc1 = 1 − β1^t;  bc2 = 1 − β2^t
//   g = ∇ + λ·θ                                  coupled weight decay
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//   m̂ = m / bc1
//   ρ∞ = 2/(1 − β2) − 1;  ρ_t = ρ∞ − 2·t·β2^t / bc2
//   if ρ_t > 5:
//     r = √[(ρ_t − 4)(ρ_t − 2)·ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)·ρ_t)]
//     l = √bc2 / (√v + ε)                        ⚠ what torch computes; its docstring says
//                                                  √(bc2/(v + ε)), which is not what runs
//     θ ← θ − lr · m̂ · l · r
//   else:
//     θ ← θ − lr · m̂                             ⚠ not normalised: a momentum step on the raw
//                                                  gradient scale (steps 1-5 for β2 > 2/3)
//
// StepReport: step_size = lr·l·r / bc1 when rectified, lr / bc1 otherwise (the factor on m);
// scalars "rho_t", "rectified" (1 or 0) and, when rectified, "rect" (r).
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct RadamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
};

struct RadamState {
  double step = 0;
  Eigen::VectorXd exp_avg;
  Eigen::VectorXd exp_avg_sq;
};

// Throws InvalidOption with torch's message, with Adam's checks.
void validate(const RadamOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void radam_step(const RadamOptions& options, RadamState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
