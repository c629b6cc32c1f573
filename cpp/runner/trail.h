// A thinned record of a run's parameters, for problems whose parameters are too many to keep at
// every step (a network's weights, for the weight-space view). It keeps every s-th step, and when
// it holds more than `capacity` samples it drops every other one and doubles s: memory stays
// bounded however long the run, and the path keeps its shape.
#pragma once

#include <vector>

#include <Eigen/Core>

namespace optlab {

class Trail {
 public:
  explicit Trail(long capacity = 512) : capacity_(capacity < 4 ? 4 : capacity) {}

  void record(long step, const Eigen::VectorXd& x) {
    if (step % stride_ != 0) return;
    // All or nothing if memory runs out (Session then puts the run back a step).
    points_.push_back(x);
    try {
      steps_.push_back(step);
    } catch (...) {
      points_.pop_back();
      throw;
    }
    if (static_cast<long>(steps_.size()) > capacity_) thin();
  }

  // Forgets the samples after `step` (stepping back).
  void truncate(long step) {
    while (!steps_.empty() && steps_.back() > step) {
      steps_.pop_back();
      points_.pop_back();
    }
  }

  const std::vector<long>& steps() const { return steps_; }
  const std::vector<Eigen::VectorXd>& points() const { return points_; }
  long stride() const { return stride_; }

 private:
  void thin() {
    stride_ *= 2;
    std::size_t kept = 0;
    for (std::size_t k = 0; k < steps_.size(); ++k) {
      if (steps_[k] % stride_ != 0) continue;
      steps_[kept] = steps_[k];
      points_[kept] = std::move(points_[k]);
      ++kept;
    }
    steps_.resize(kept);
    points_.resize(kept);
  }

  long capacity_;
  long stride_ = 1;
  std::vector<long> steps_;
  std::vector<Eigen::VectorXd> points_;
};

}  // namespace optlab
