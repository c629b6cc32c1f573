// Adagrad (torch.optim.Adagrad): each component's step shrinks with its own summed squared
// gradients, so steep directions slow down and flat ones keep moving.
//
//   t ← t + 1
//   g = ∇ + λ·θ                                  coupled weight decay
//   clr = lr / (1 + (t − 1)·lr_decay)            ⚠ so the first step uses clr = lr
//   s ← s + g²                                   s starts at initial_accumulator_value, not 0
//   θ ← θ − clr·g / (√s + ε)                     ε outside the square root
//
// StepReport: step_size = clr / (√s + ε); scalar "clr".
#pragma once

#include <Eigen/Core>

#include "optim/step_report.h"

namespace optlab {

struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0.0;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;
  double eps = 1e-10;
};

struct AdagradState {
  double step = 0;
  // torch fills it with initial_accumulator_value at construction; we size it at the first
  // step, when the parameter count is known, which gives the same numbers.
  Eigen::VectorXd sum;
};

// Throws InvalidOption with torch's message when lr, lr_decay, weight_decay,
// initial_accumulator_value or eps is negative (checked in that order, as torch does).
void validate(const AdagradOptions& options);

// One torch step, in place. Precondition: validate(options) passed.
void adagrad_step(const AdagradOptions& options, AdagradState& state, Eigen::VectorXd& params,
                  const Eigen::VectorXd& grad, StepReport& report);

}  // namespace optlab
