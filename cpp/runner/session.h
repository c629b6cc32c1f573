// An interactive experiment for the page: step all runs, step back exactly, change the start or one
// run's optimizer, read histories and internals. No JSON, no web: bindings.cpp adapts it.
//
// Stepping back is exact because the future of a run is decided by its RunState alone (the noise
// and mini-batches of step k depend only on the seed and k): the session keeps a RunState
// checkpoint every kCheckpointEvery steps and replays from the nearest one.
#pragma once

#include <memory>
#include <vector>

#include "runner/run.h"
#include "runner/trail.h"
#include "runner/spec.h"

namespace optlab {

class Session {
 public:
  static constexpr long kCheckpointEvery = 64;

  // Runs spec.steps steps straight away (a share link reopens where it was left).
  explicit Session(Spec spec);

  long step_count() const { return step_; }
  int run_count() const { return static_cast<int>(runs_.size()); }
  const Spec& spec() const { return spec_; }
  Problem& problem() { return *problem_; }

  void step_by(long n);
  // Undoes up to n steps; returns how many were undone.
  long back(long n);
  void reset();
  // Moves the shared start point; every run restarts there at step 0.
  void set_start(const Eigen::VectorXd& start);
  // Gives run i a new optimizer and recomputes it from the start to the current step.
  void set_optimizer(int i, RunSpec run);

  const History& history(int i) const { return run(i).history; }
  const RunState& state(int i) const { return run(i).state; }
  const std::string& label(int i) const { return run(i).label; }
  // Thinned parameters of run i (network problems only; empty for landscapes, whose history
  // keeps every point).
  const Trail& trail(int i) const { return run(i).trail; }

 private:
  struct Run {
    std::string label;
    RunState state;
    History history;
    std::vector<RunState> checkpoints;  // checkpoints[c] is the state at step c * kCheckpointEvery
    Trail trail;
  };

  const Run& run(int i) const;
  Run make_run(const RunSpec& spec);
  void advance_run(Run& r, long target);
  void record(Run& r);

  Spec spec_;
  std::unique_ptr<Problem> problem_;
  Eigen::VectorXd start_;
  std::vector<Run> runs_;
  long step_ = 0;
  bool track_trail_ = false;
  long trail_capacity_ = 512;
};

}  // namespace optlab
