// NAdam (torch.optim.NAdam): Adam with Nesterov momentum, using Dozat's momentum schedule μ_t
// that warms up from β1/2 towards β1.
//
//   t ← t + 1;  bc2 = 1 − β2^t
//   g = ∇ + λ·θ                                  coupled weight decay
//   μ_t    = β1·(1 − ½·0.96^(t·ψ))              ψ = momentum_decay
//   μ_next = β1·(1 − ½·0.96^((t+1)·ψ))
//   Π ← Π·μ_t                                    Π = mu_product, starts at 1, kept in double
//   Π_next = Π·μ_next                            ⚠ torch 1.13 multiplied μ_t in twice here;
//                                                  torch >= 2.0 fixed it, and so do we
//   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
//   denom = √(v / bc2) + ε                       bias correction inside the root, ε outside
//   θ ← θ − [lr·(1 − μ_t)/(1 − Π)] · g / denom  the current g, not m
//   θ ← θ − [lr·μ_next/(1 − Π_next)] · m / denom
//
// StepReport: step_size = lr / denom (the bracketed weights of g and m are not in it);
// scalars "mu", "mu_next", "mu_product".
#pragma once

#include <array>

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct NadamOptions {
  double lr = 2e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum_decay = 4e-3;
};

struct NadamState {
  double step = 0;
  double mu_product = 1.0;
  Eigen::VectorXd exp_avg;
  Eigen::VectorXd exp_avg_sq;
};

// Throws InvalidOption with torch's message: Adam's checks, then momentum_decay >= 0.
void validate(const NadamOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void nadam_step(const NadamOptions& options, NadamState& state, Eigen::VectorXd& params,
                const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
