// The contract every problem follows, so the runner can drive any of them the same way.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

namespace optlab {

class Problem {
 public:
  virtual ~Problem() = default;

  // Number of parameters (2 for a landscape, every weight for a network).
  virtual int dim() const = 0;
  // Where a run starts when the spec gives no "start".
  virtual Eigen::VectorXd default_start() const = 0;

  // The loss recorded at x (for a network: the full training-set loss).
  virtual double loss(const Eigen::VectorXd& x) = 0;

  // The loss at x, as loss(x) would return it, and in `grad` the gradient the optimizer uses for
  // step `step` (0-based: the step from params[step] to params[step + 1]). That gradient is exact
  // unless the problem adds seeded noise or draws a mini-batch; either is a function of the seed
  // and `step` alone, so any step can be replayed and every run sees the same draws.
  virtual double loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) = 0;

  // Further per-step series the result carries besides params and loss (a network's
  // "batch_loss", "accuracy", "test_loss"); none for a landscape.
  virtual std::vector<std::string> metric_names() const { return {}; }
  // Fills one value per metric_names() entry for the point of the last loss_and_grad(x, step)
  // call, which the runner makes just before (so a network can reuse that pass's batch loss).
  virtual void metrics(const Eigen::VectorXd& /*x*/, long /*step*/, double* /*out*/) {}
  // Steps in one pass over the data when the problem draws mini-batches (an epoch ends after
  // every this many steps); 0 when it does not.
  virtual long steps_per_epoch() const { return 0; }
  // The training rows a problem made of data has, and its mini-batch size (0: full batch); both 0
  // for a landscape. With steps_per_epoch they say how many examples k steps have seen.
  virtual long data_rows() const { return 0; }
  virtual long batch_rows() const { return 0; }

  // What one step costs (loss_and_grad, then metrics), in operations: the unit of the budgets in
  // runner/budget.h, calibrated so that one operation takes about a nanosecond in the wasm build
  // (tests/bench/step_cost_bench.mjs measures the ratio). An estimate from the problem's shape,
  // known before anything runs.
  virtual double step_cost() const = 0;
};

}  // namespace optlab
