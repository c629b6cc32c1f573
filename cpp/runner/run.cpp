#include "runner/run.h"

#include <algorithm>
#include <cmath>

namespace optlab {
namespace {

bool is_diverged(const Eigen::VectorXd& x, double loss) {
  return !std::isfinite(loss) || loss > kDivergedLoss || !x.allFinite();
}

void arrive(RunState& run, Problem& problem) {
  run.loss = problem.loss_and_grad(run.x, run.step, run.grad);
  // run.metrics was sized once by start_run(): no per-step call building the names.
  if (!run.metrics.empty()) problem.metrics(run.x, run.step, run.metrics.data());
  run.diverged = is_diverged(run.x, run.loss);
}

// The changes due at this step: written between this step's sched.step() and the next opt.step(),
// as a torch loop edits param_groups, so the next step and the scheduler's next step see them.
void apply_changes(RunState& run) {
  if (!run.changes) return;
  const Changes& all = *run.changes;
  while (run.next_change < all.size() && all[run.next_change].step <= run.step)
    run.optimizer.change(all[run.next_change++].values);
}

}  // namespace

RunState start_run(const Optimizer& optimizer, const Eigen::VectorXd& x, Problem& problem,
                   const Scheduler& scheduler, std::shared_ptr<const Changes> changes) {
  RunState run{optimizer, scheduler, x, Eigen::VectorXd::Zero(x.size()), 0.0, {}, 0, false, -1, std::move(changes), 0};
  const std::vector<std::string> names = problem.metric_names();
  run.metrics.resize(names.size());
  for (std::size_t m = 0; m < names.size(); ++m)
    if (names[m] == "batch_loss") run.batch_loss_metric = static_cast<int>(m);
  arrive(run, problem);
  apply_changes(run);
  return run;
}

bool advance(RunState& run, Problem& problem) {
  if (run.diverged) return false;
  // The loss whose gradient drives this step: reduce_lr_on_plateau's metric.
  const double loss = run.batch_loss_metric < 0 ? run.loss : run.metrics[static_cast<std::size_t>(run.batch_loss_metric)];
  run.optimizer.step(run.x, run.grad);
  run.scheduler.step(run.optimizer, loss);
  ++run.step;
  arrive(run, problem);
  apply_changes(run);
  return !run.diverged;
}

void History::record(const RunState& run) {
  dim = static_cast<int>(run.x.size());
  // A landscape's two numbers one push_back each: a range insert calls memmove, which cost more
  // than the rest of the recording; a network's weights in one insert.
  if (keep_params && run.x.size() <= 4)
    for (Eigen::Index i = 0; i < run.x.size(); ++i) params.push_back(run.x[i]);
  else if (keep_params)
    params.insert(params.end(), run.x.data(), run.x.data() + run.x.size());
  loss.push_back(run.loss);
  if (keep_lr) lr.push_back(run.optimizer.lr());
  metrics.resize(run.metrics.size());
  for (std::size_t m = 0; m < run.metrics.size(); ++m) metrics[m].push_back(run.metrics[m]);
}

void History::reserve(long entries) {
  auto n = static_cast<std::size_t>(std::max(0L, entries));
  if (n <= loss.capacity()) return;
  // Geometric, as push_back grows: many small calls (a frame's few steps each) reallocate rarely.
  n = std::max(n, 2 * loss.capacity());
  loss.reserve(n);
  if (keep_params) params.reserve(n * static_cast<std::size_t>(dim));
  if (keep_lr) lr.reserve(n);
  for (auto& series : metrics) series.reserve(n);
}

void History::truncate(long entries) {
  if (entries >= size()) return;
  loss.resize(static_cast<std::size_t>(entries));
  if (keep_lr) lr.resize(static_cast<std::size_t>(entries));
  if (keep_params) params.resize(static_cast<std::size_t>(entries) * static_cast<std::size_t>(dim));
  for (auto& series : metrics) series.resize(static_cast<std::size_t>(entries));
}

void History::drop_front(long entries) {
  entries = std::min(entries, size());
  const auto n = static_cast<std::ptrdiff_t>(entries);
  loss.erase(loss.begin(), loss.begin() + n);
  if (keep_lr) lr.erase(lr.begin(), lr.begin() + n);
  if (keep_params) params.erase(params.begin(), params.begin() + n * dim);
  for (auto& series : metrics) series.erase(series.begin(), series.begin() + n);
  first += entries;
}

}  // namespace optlab
