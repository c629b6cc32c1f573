// An interactive experiment for the page: step all runs, step back exactly, change the start or one
// run's optimizer, read histories and internals. No JSON, no web: bindings.cpp adapts it.
//
// Stepping back is exact because the future of a run is decided by its RunState alone (the noise
// and mini-batches of step k depend only on the seed and k): the session keeps a RunState
// checkpoint every kCheckpointEvery steps and replays from the nearest one.
//
// Memory is bounded however long the session (up to kMaxSteps): each run keeps a window of recent
// steps at full resolution, with its checkpoints, and thins everything older into a ThinnedHistory.
// Back reaches as far as the window (earliest_step()). The window holds between window() and
// 2 * window() steps, so that dropping its oldest half costs O(1) per step.
#pragma once

#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runner/run.h"
#include "runner/thinned_history.h"
#include "runner/trail.h"
#include "runner/spec.h"

namespace optlab {

// Memory ran out while stepping; the session is left whole at the step it names.
class OutOfMemory : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Session {
 public:
  static constexpr long kCheckpointEvery = 64;
  // What the runs' full-resolution windows and their checkpoints may take together, at most.
  static constexpr double kWindowBudgetBytes = 16e6;
  static constexpr long kMaxWindow = 8192;
  // What the runs' thinned histories may take together, at most, and their buckets per run at
  // most; as many first steps again are kept one by one (ThinnedHistory's head).
  static constexpr double kThinnedBudgetBytes = 4e6;
  static constexpr long kMaxThinned = 1024;
  // Numbers the network trails may hold together.
  static constexpr long kTrailBudgetNumbers = 1000000;

  // Runs spec.steps steps straight away (a share link reopens where it was left).
  explicit Session(Spec spec);

  long step_count() const { return step_; }
  int run_count() const { return static_cast<int>(runs_.size()); }
  const Spec& spec() const { return spec_; }
  Problem& problem() { return *problem_; }
  const Problem& problem() const { return *problem_; }
  // The problem run i walks: the shared one, or its own when it has its own batch size or noise.
  Problem& problem_of(int i) const { return *run(i).problem; }
  // What one step of every run costs, in the budget's operations (runner/budget.h): the page
  // sizes the slices it steps in by it.
  double step_cost() const;

  // Steps every run n steps, in lockstep. If memory runs out (std::bad_alloc) the step being
  // taken is undone in every run and an OutOfMemory names it: the runs never disagree.
  void step_by(long n);
  // Undoes up to n steps; returns how many were undone.
  long back(long n);
  void reset();
  // Moves to exactly `target` steps (clamped to kMaxSteps): forward by stepping, back from the
  // checkpoints, and below the window by replaying from step 0 (deterministic, so exact).
  void go_to(long target);
  // Moves the shared start point; every run restarts there at step 0.
  void set_start(const Eigen::VectorXd& start);
  // Gives run i a new optimizer and recomputes it from the start to the current step.
  void set_optimizer(int i, RunSpec run);

  // The smallest step Back can reach: 0 until the runs outgrow their windows.
  long earliest_step() const;
  long window() const { return window_; }

  // Run i's recent steps, every one (from history(i).first to its current step) ...
  const History& history(int i) const { return run(i).history; }
  // ... and the steps before them, thinned.
  const ThinnedHistory& thinned(int i) const { return run(i).older; }
  const RunState& state(int i) const { return run(i).state; }
  // Run i as it was at step k, for k in [earliest_step(), step_count()], without moving the
  // session: replayed privately from the nearest checkpoint (a diverged run stays as it stopped).
  RunState state_at(int i, long k) const;
  const std::string& label(int i) const { return run(i).label; }
  // Thinned parameters of run i (network problems only; empty for landscapes, whose history
  // keeps every point).
  const Trail& trail(int i) const { return run(i).trail; }

 private:
  struct Run {
    Problem* problem;  // the shared problem, or this run's own (its batch size or noise)
    std::string label;
    RunState state;
    History history;         // every step from history.first on
    ThinnedHistory older;    // the steps before history.first
    std::deque<RunState> checkpoints;  // at history.first, history.first + kCheckpointEvery, ...
    Trail trail;
  };

  const Run& run(int i) const;
  Run make_run(std::size_t i);
  void advance_run(Run& r, long target);
  void step_once();
  void rewind_run(Run& r, long target);
  void record(Run& r);
  void slide_window(Run& r);

  Spec spec_;
  std::unique_ptr<Problem> problem_;
  std::vector<std::unique_ptr<Problem>> own_problems_;  // per run; null: the shared problem
  Eigen::VectorXd start_;
  std::vector<Run> runs_;
  long step_ = 0;
  bool track_trail_ = false;
  long trail_capacity_ = 512;
  long window_ = kMaxWindow;
  long thinned_capacity_ = kMaxThinned;
};

}  // namespace optlab
