#include "runner/session.h"

#include <algorithm>
#include <stdexcept>

namespace optlab {

Session::Session(Spec spec) : spec_(std::move(spec)), problem_(make_problem(spec_)) {
  start_ = start_point(spec_, *problem_);
  // Landscapes keep every point in their history; a network's weights are sampled into a trail
  // holding at most about 4 million numbers across all runs (and 16 to 1024 samples per run).
  track_trail_ = spec_.is_network();
  const long per_run = 4000000L / (static_cast<long>(start_.size()) * static_cast<long>(spec_.runs.size()));
  trail_capacity_ = std::max(16L, std::min(1024L, per_run));
  for (const RunSpec& r : spec_.runs) runs_.push_back(make_run(r));
  step_by(spec_.steps);
}

const Session::Run& Session::run(int i) const {
  if (i < 0 || i >= run_count())
    throw std::out_of_range("run " + std::to_string(i) + " does not exist (the session has " +
                            std::to_string(run_count()) + " runs)");
  return runs_[static_cast<std::size_t>(i)];
}

Session::Run Session::make_run(const RunSpec& spec) {
  Run r{spec.label, start_run(spec.optimizer, start_, *problem_), {}, {}, Trail(trail_capacity_)};
  r.history.keep_params = spec_.keeps_params();
  record(r);
  return r;
}

void Session::record(Run& r) {
  r.history.record(r.state);
  if (track_trail_) r.trail.record(r.state.step, r.state.x);
  if (r.state.step % kCheckpointEvery == 0 && !r.state.diverged) r.checkpoints.push_back(r.state);
}

// Steps run r until its step count reaches target (or it diverges), recording as it goes.
void Session::advance_run(Run& r, long target) {
  while (!r.state.diverged && r.state.step < target) {
    advance(r.state, *problem_);
    record(r);
  }
}

void Session::step_by(long n) {
  if (n < 0) throw std::invalid_argument("step_by: n must be >= 0");
  // Compared before adding: step_ + n overflows for n near LONG_MAX (wasm's long is 32 bits).
  step_ = n >= kMaxSteps - step_ ? kMaxSteps : step_ + n;
  for (Run& r : runs_) advance_run(r, step_);
}

long Session::back(long n) {
  if (n < 0) throw std::invalid_argument("back: n must be >= 0");
  const long target = std::max(0L, step_ - n);
  const long undone = step_ - target;
  step_ = target;
  for (Run& r : runs_) {
    if (r.history.size() - 1 <= target) continue;  // stopped (diverged) at or before target
    // Replay from the last checkpoint at or before target; history up to target is kept as is.
    const std::size_t c = static_cast<std::size_t>(target / kCheckpointEvery);
    r.checkpoints.resize(c + 1);
    r.state = r.checkpoints[c];
    while (r.state.step < target) advance(r.state, *problem_);
    r.history.truncate(target + 1);
    r.trail.truncate(target);
  }
  return undone;
}

void Session::reset() { set_start(start_); }

void Session::set_start(const Eigen::VectorXd& start) {
  if (start.size() != problem_->dim() || !start.allFinite())
    throw std::invalid_argument("start: expected " + std::to_string(problem_->dim()) + " finite numbers");
  start_ = start;
  spec_.start = start;
  step_ = 0;
  for (std::size_t i = 0; i < runs_.size(); ++i) runs_[i] = make_run(spec_.runs[i]);
}

void Session::set_optimizer(int i, RunSpec spec) {
  run(i);  // range check
  spec_.runs[static_cast<std::size_t>(i)] = std::move(spec);
  Run& r = runs_[static_cast<std::size_t>(i)];
  r = make_run(spec_.runs[static_cast<std::size_t>(i)]);
  advance_run(r, step_);
}

}  // namespace optlab
