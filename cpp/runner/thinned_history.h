// A run's older history, thinned so that memory stays bounded however long the run. The first
// `head` steps are kept one by one: an optimizer's path changes most at its start, and that is
// where a thinned path would turn into straight lines. After them, bucket b stands for steps
// [head + b * stride, head + (b + 1) * stride) and keeps the values at its first step together with
// the smallest and largest loss over the whole bucket (a spike stays visible on the loss chart).
// When there are more than `capacity` buckets, neighbours merge and the stride doubles, so the path
// keeps its shape at any length.
#pragma once

#include <vector>

namespace optlab {

class ThinnedHistory {
 public:
  ThinnedHistory(int dim, int metric_count, long capacity, long head = 0);

  // Folds in one step. Steps arrive in order, starting at 0, with no gaps.
  void add(long step, const double* params, double loss, const double* metrics);

  long size() const { return static_cast<long>(steps_.size()); }
  long stride() const { return stride_; }
  // Per sample (head steps, then buckets): its first step, the values there (params: dim_ per
  // sample, possibly 0) and the loss range over the steps it stands for. metrics()[m][b] is
  // metric m at sample b's first step.
  const std::vector<long>& steps() const { return steps_; }
  const std::vector<double>& params() const { return params_; }
  const std::vector<double>& loss() const { return loss_; }
  const std::vector<double>& loss_min() const { return loss_min_; }
  const std::vector<double>& loss_max() const { return loss_max_; }
  const std::vector<std::vector<double>>& metrics() const { return metrics_; }

 private:
  void merge_pairs();

  long head_count() const { return static_cast<long>(steps_.size()) < head_ ? size() : head_; }

  int dim_;
  long capacity_;
  long head_;
  long stride_ = 1;
  std::vector<long> steps_;
  std::vector<double> params_;
  std::vector<double> loss_;
  std::vector<double> loss_min_;
  std::vector<double> loss_max_;
  std::vector<std::vector<double>> metrics_;
};

}  // namespace optlab
