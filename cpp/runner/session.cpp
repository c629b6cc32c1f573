#include "runner/session.h"

#include <algorithm>
#include <stdexcept>

#include "runner/budget.h"

namespace optlab {

namespace {

long clamp_long(double v, long lo, long hi) { return v < lo ? lo : v > hi ? hi : static_cast<long>(v); }

}  // namespace

Session::Session(Spec spec) : spec_(std::move(spec)), problem_(make_problem(spec_)) {
  start_ = start_point(spec_, *problem_);
  const double runs = static_cast<double>(std::max<std::size_t>(1, spec_.runs.size()));
  const double dim = static_cast<double>(start_.size());
  const double metrics = static_cast<double>(problem_->metric_names().size());
  const double kept = spec_.keeps_params() ? dim : 0.0;

  // The window is as long as the budget allows when it is at its longest (2 * window steps):
  // per step, the history's numbers plus a share of a checkpoint (x, the gradient, up to four
  // optimizer buffers, and some allocation overhead).
  const double checkpoint_bytes = 8.0 * (6.0 * dim + metrics) + 512.0;
  const double step_bytes = 8.0 * (1.0 + metrics + kept) + checkpoint_bytes / kCheckpointEvery;
  const double fit = kWindowBudgetBytes / (2.0 * runs * step_bytes);
  window_ = clamp_long(fit, kCheckpointEvery, kMaxWindow) / kCheckpointEvery * kCheckpointEvery;
  // Half the thinned budget for the buckets, half for the head.
  thinned_capacity_ = clamp_long(kThinnedBudgetBytes / (2.0 * runs * 8.0 * (4.0 + metrics + kept)), 64, kMaxThinned);

  // A network's weights are also sampled into a trail (for the weight-space view): 4 to 1024
  // samples per run, within kTrailBudgetNumbers across runs (at the weight budget, 4 samples of
  // every weight of every run are 32 MB).
  track_trail_ = spec_.is_network();
  trail_capacity_ = clamp_long(kTrailBudgetNumbers / (dim * runs), 4, 1024);
  own_problems_.resize(spec_.runs.size());
  for (std::size_t i = 0; i < spec_.runs.size(); ++i) {
    own_problems_[i] = make_run_problem(spec_, i);
    runs_.push_back(make_run(i));
  }
  step_by(spec_.steps);
}

const Session::Run& Session::run(int i) const {
  if (i < 0 || i >= run_count())
    throw std::out_of_range("run " + std::to_string(i) + " does not exist (the session has " +
                            std::to_string(run_count()) + " runs)");
  return runs_[static_cast<std::size_t>(i)];
}

Session::Run Session::make_run(std::size_t i) {
  const RunSpec& spec = spec_.runs[i];
  Problem* problem = own_problems_[i] ? own_problems_[i].get() : problem_.get();
  const int kept = spec_.keeps_params() ? static_cast<int>(start_.size()) : 0;
  const int metrics = static_cast<int>(problem->metric_names().size());
  Run r{problem, spec.label, start_run(spec.optimizer, start_, *problem, spec.scheduler, spec.changes), {},
        ThinnedHistory(kept, metrics, thinned_capacity_, thinned_capacity_), {}, Trail(trail_capacity_)};
  r.history.keep_params = spec_.keeps_params();
  r.history.keep_lr = spec.varies_lr();
  record(r);
  return r;
}

void Session::record(Run& r) {
  r.history.record(r.state);
  if (track_trail_) r.trail.record(r.state.step, r.state.x);
  if (r.state.step % kCheckpointEvery == 0 && !r.state.diverged) r.checkpoints.push_back(r.state);
  if (r.history.size() > 2 * window_) slide_window(r);
}

// Moves the window's oldest `window_` steps into the thinned history. The new first step is a
// multiple of kCheckpointEvery (window_ is one), so a checkpoint stands at the window's start.
// The thinned history is filled in a copy, so that running out of memory half way changes nothing.
void Session::slide_window(Run& r) {
  const History& h = r.history;
  ThinnedHistory older = r.older;
  const std::size_t dim = static_cast<std::size_t>(h.dim);
  std::vector<double> metrics(h.metrics.size());
  for (long k = 0; k < window_; ++k) {
    const auto i = static_cast<std::size_t>(k);
    for (std::size_t m = 0; m < metrics.size(); ++m) metrics[m] = h.metrics[m][i];
    older.add(h.first + k, h.keep_params ? h.params.data() + i * dim : nullptr, h.loss[i], metrics.data());
  }
  r.older = std::move(older);
  r.history.drop_front(window_);
  while (!r.checkpoints.empty() && r.checkpoints.front().step < r.history.first) r.checkpoints.pop_front();
}

long Session::earliest_step() const {
  long earliest = 0;
  for (const Run& r : runs_) earliest = std::max(earliest, r.history.first);
  return std::min(earliest, step_);
}

// Steps run r until its step count reaches target (or it diverges), recording as it goes.
void Session::advance_run(Run& r, long target) {
  while (!r.state.diverged && r.state.step < target) {
    advance(r.state, *r.problem);
    record(r);
  }
}

void Session::step_by(long n) {
  if (n < 0) throw std::invalid_argument("step_by: n must be >= 0");
  // Compared before adding: step_ + n overflows for n near LONG_MAX (wasm's long is 32 bits).
  const long target = n >= kMaxSteps - step_ ? kMaxSteps : step_ + n;
  // The history's room for these steps at once, up to the window's limit (slide_window keeps at
  // most 2 window_ entries).
  // Only an optimisation: without the memory, stepping goes on and reports running out itself.
  try {
    for (Run& r : runs_)
      if (!r.state.diverged) r.history.reserve(std::min(r.history.size() + (target - step_), 2 * window_ + 1));
  } catch (const std::bad_alloc&) {
  }
  while (step_ < target) step_once();
}

// One step of every run. Lockstep (rather than run after run) so that a failure can only ever
// concern one step: on std::bad_alloc every run that moved, or half moved, is put back.
void Session::step_once() {
  std::size_t i = 0;
  try {
    for (; i < runs_.size(); ++i) {
      Run& r = runs_[i];
      if (r.state.diverged) continue;
      advance(r.state, *r.problem);
      record(r);
    }
  } catch (const std::bad_alloc&) {
    const std::size_t failed = i;
    for (std::size_t j = 0; j <= failed && j < runs_.size(); ++j)
      if (j == failed || runs_[j].history.last_step() > step_) rewind_run(runs_[j], step_);
    throw OutOfMemory("out of memory: step " + std::to_string(step_ + 1) + " of run " + std::to_string(failed) +
                      " (" + runs_[failed].label + ") needed more memory than is left; every run stays at step " +
                      std::to_string(step_));
  } catch (const std::invalid_argument& e) {
    // A scheduler torch would stop too (one_cycle_lr stepped past total_steps, when the page steps
    // beyond the spec's steps): every run stays where it was, and the error names the field.
    const std::size_t failed = i;
    for (std::size_t j = 0; j <= failed && j < runs_.size(); ++j)
      if (j == failed || runs_[j].history.last_step() > step_) rewind_run(runs_[j], step_);
    throw std::invalid_argument("optimizers[" + std::to_string(failed) + "].scheduler." + e.what());
  }
  ++step_;
}

// Puts run r back at `target` (within its window) from its last checkpoint at or before it; the
// history after target is dropped, whatever a half-taken step left in it.
void Session::rewind_run(Run& r, long target) {
  while (r.checkpoints.size() > 1 && r.checkpoints.back().step > target) r.checkpoints.pop_back();
  r.state = r.checkpoints.back();
  while (r.state.step < target) advance(r.state, *r.problem);
  History& h = r.history;
  const auto entries = static_cast<std::size_t>(std::max(0L, target - h.first + 1));
  h.loss.resize(std::min(entries, h.loss.size()));
  if (h.keep_lr) h.lr.resize(std::min(entries, h.lr.size()));
  if (h.keep_params) h.params.resize(std::min(entries * static_cast<std::size_t>(h.dim), h.params.size()));
  for (auto& series : h.metrics) series.resize(std::min(entries, series.size()));
  r.trail.truncate(target);
}

long Session::back(long n) {
  if (n < 0) throw std::invalid_argument("back: n must be >= 0");
  const long target = std::max(earliest_step(), step_ - std::min(n, step_));
  const long undone = step_ - target;
  step_ = target;
  for (Run& r : runs_) {
    if (r.history.last_step() <= target) continue;  // stopped (diverged) at or before target
    rewind_run(r, target);  // history up to target is kept as is
  }
  return undone;
}

void Session::go_to(long target) {
  if (target < 0) throw std::invalid_argument("go_to: the step must be >= 0");
  target = std::min(target, kMaxSteps);
  if (target > step_) {
    step_by(target - step_);
  } else if (target < step_) {
    if (target >= earliest_step()) {
      back(step_ - target);
    } else {
      reset();
      step_by(target);
    }
  }
}

RunState Session::state_at(int i, long k) const {
  const Run& r = run(i);
  if (k < earliest_step() || k > step_)
    throw std::out_of_range("step " + std::to_string(k) + " is outside [" + std::to_string(earliest_step()) + ", " +
                            std::to_string(step_) + "], the steps the session can show exactly");
  if (r.history.last_step() <= k) return r.state;  // at k already, or stopped (diverged) before it
  auto c = r.checkpoints.rbegin();
  while (c + 1 != r.checkpoints.rend() && c->step > k) ++c;
  RunState s = *c;
  while (s.step < k) advance(s, *r.problem);
  return s;
}

double Session::step_cost() const {
  double cost = 0.0;
  for (const Run& r : runs_) cost += r.problem->step_cost();
  return cost;
}

void Session::reset() { set_start(start_); }

void Session::set_start(const Eigen::VectorXd& start) {
  if (start.size() != problem_->dim() || !start.allFinite())
    throw std::invalid_argument("start: expected " + std::to_string(problem_->dim()) + " finite numbers");
  start_ = start;
  spec_.start = start;
  step_ = 0;
  for (std::size_t i = 0; i < runs_.size(); ++i) runs_[i] = make_run(i);
}

void Session::set_optimizer(int i, RunSpec spec) {
  run(i);  // range check
  const auto k = static_cast<std::size_t>(i);
  auto own = [&] {
    Spec with = spec_;
    with.runs[k] = spec;
    return make_run_problem(with, k);  // checked before anything changes
  }();
  spec_.runs[k] = std::move(spec);
  own_problems_[k] = std::move(own);
  Run& r = runs_[k];
  r = make_run(k);
  advance_run(r, step_);
}

}  // namespace optlab
