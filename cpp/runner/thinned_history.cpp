#include "runner/thinned_history.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace optlab {
namespace {

// NaN-aware: a diverged step must show on the chart, so NaN wins over any number.
double lower(double a, double b) { return std::isnan(a) || a < b ? a : b; }
double upper(double a, double b) { return std::isnan(a) || a > b ? a : b; }

}  // namespace

ThinnedHistory::ThinnedHistory(int dim, int metric_count, long capacity, long head)
    : dim_(dim),
      capacity_(std::max(2L, capacity)),
      head_(std::max(0L, head)),
      metrics_(static_cast<std::size_t>(metric_count)) {
  // Reserved once: merging halves the buckets, so the vectors never grow past head + capacity + 1.
  const auto n = static_cast<std::size_t>(head_ + capacity_ + 1);
  steps_.reserve(n);
  params_.reserve(n * static_cast<std::size_t>(dim_));
  loss_.reserve(n);
  loss_min_.reserve(n);
  loss_max_.reserve(n);
  for (auto& series : metrics_) series.reserve(n);
}

void ThinnedHistory::add(long step, const double* params, double loss, const double* metrics) {
  if (size() > head_ && step < steps_.back() + stride_) {
    // Inside the last bucket: only its loss range changes.
    if (step <= steps_.back()) throw std::logic_error("ThinnedHistory: steps must arrive in order");
    loss_min_.back() = lower(loss_min_.back(), loss);
    loss_max_.back() = upper(loss_max_.back(), loss);
    return;
  }
  const long next = steps_.empty() ? 0 : steps_.back() + (size() > head_ ? stride_ : 1);
  if (step != next)
    throw std::logic_error("ThinnedHistory: steps must arrive in order from 0, with no gaps");
  steps_.push_back(step);
  params_.insert(params_.end(), params, params + dim_);
  loss_.push_back(loss);
  loss_min_.push_back(loss);
  loss_max_.push_back(loss);
  for (std::size_t m = 0; m < metrics_.size(); ++m) metrics_[m].push_back(metrics[m]);
  if (size() - head_count() > capacity_) merge_pairs();
}

// Bucket 2k absorbs bucket 2k+1: it keeps its own first-step values and the union of the ranges.
// The head is left as it is.
void ThinnedHistory::merge_pairs() {
  stride_ *= 2;
  const std::size_t n = steps_.size();
  const auto dim = static_cast<std::size_t>(dim_);
  std::size_t kept = static_cast<std::size_t>(head_count());
  for (std::size_t b = kept; b < n; b += 2) {
    steps_[kept] = steps_[b];
    std::copy_n(params_.begin() + static_cast<std::ptrdiff_t>(b * dim), dim,
                params_.begin() + static_cast<std::ptrdiff_t>(kept * dim));
    loss_[kept] = loss_[b];
    loss_min_[kept] = b + 1 < n ? lower(loss_min_[b], loss_min_[b + 1]) : loss_min_[b];
    loss_max_[kept] = b + 1 < n ? upper(loss_max_[b], loss_max_[b + 1]) : loss_max_[b];
    for (auto& series : metrics_) series[kept] = series[b];
    ++kept;
  }
  steps_.resize(kept);
  params_.resize(kept * dim);
  loss_.resize(kept);
  loss_min_.resize(kept);
  loss_max_.resize(kept);
  for (auto& series : metrics_) series.resize(kept);
}

}  // namespace optlab
