// One optimizer walking one problem: the loop and the recording, outside the update rules.
//
// A Run is split in two so that stepping back can be exact and cheap:
//   RunState  — everything that decides the future (optimizer state, current point, the gradient
//               already computed there, step number, divergence). Copying it is a checkpoint.
//   history   — params[k] and loss[k] for every step reached so far (experiment.md's arrays).
#pragma once

#include <memory>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "optim/optimizer.h"
#include "optim/scheduler.h"
#include "problems/problem.h"

namespace optlab {

// Above this the loss counts as diverged (experiment.md).
constexpr double kDivergedLoss = 1e12;

// One entry of an optimizer's "changes": torch's `param_groups[0][name] = value` for each of
// `values` after `step` steps (so before step + 1), the optimizer's state kept.
struct HyperparameterChange {
  long step = 0;
  nlohmann::json values;  // {"lr": 0.01, ...}, validated by the spec
};
using Changes = std::vector<HyperparameterChange>;

struct RunState {
  Optimizer optimizer;
  Scheduler scheduler;   // stepped after every optimizer step
  Eigen::VectorXd x;     // params[step]
  Eigen::VectorXd grad;  // the gradient the next step will use, computed at x
  double loss = 0.0;     // loss[step]
  std::vector<double> metrics;  // the problem's metric_names() values at this step
  long step = 0;
  bool diverged = false;  // then `step` is diverged_at and nothing moves any more
  // Where in `metrics` the mini-batch loss is (-1: none, the gradient came from `loss` itself):
  // reduce_lr_on_plateau steps on the loss whose gradient drove the step.
  int batch_loss_metric = -1;
  // The run's changes, shared by its checkpoints (null: none), and the first not yet applied:
  // a replay from a checkpoint applies the later ones again, at the same steps.
  std::shared_ptr<const Changes> changes;
  std::size_t next_change = 0;
};

// Starts a run at x: evaluates loss[0] and the first gradient. `optimizer` is as the scheduler's
// construction left it (RunSpec).
RunState start_run(const Optimizer& optimizer, const Eigen::VectorXd& x, Problem& problem,
                   const Scheduler& scheduler = Scheduler(), std::shared_ptr<const Changes> changes = nullptr);

// Takes one step (no-op once diverged). Returns false if the run is (now) diverged.
bool advance(RunState& run, Problem& problem);

// Flat history of one run: params as [x0, y0, x1, y1, ...] (dim numbers per step) and loss, for
// the steps first, first + 1, ... (a Session drops the oldest steps into a ThinnedHistory).
struct History {
  int dim = 0;
  long first = 0;
  bool keep_params = true;  // a network's weights are kept only when the spec asks (record_params)
  bool keep_lr = false;     // lr[k] after k scheduler steps, kept when the run has a scheduler
  std::vector<double> params;
  std::vector<double> loss;
  std::vector<double> lr;
  std::vector<std::vector<double>> metrics;  // one series per metric name

  long size() const { return static_cast<long>(loss.size()); }
  long last_step() const { return first + size() - 1; }
  void record(const RunState& run);
  // Room for at least `entries` entries in all (after a first record, which sets dim), so that a
  // long stretch of steps does not grow the arrays by doubling: each doubling copies them into
  // memory never touched before, which on the page's VM costs more than the steps.
  void reserve(long entries);
  void truncate(long entries);
  // Forgets the oldest `entries` entries; first moves on by as many.
  void drop_front(long entries);
};

}  // namespace optlab
