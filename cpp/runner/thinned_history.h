// A run's older history, thinned so that memory stays bounded however long the run: bucket b stands
// for steps [b * stride, (b + 1) * stride) and keeps the values at its first step together with the
// smallest and largest loss over the whole bucket (a spike stays visible on the loss chart). When
// there are more than `capacity` buckets, neighbours merge and the stride doubles, so the path keeps
// its shape at any length.
#pragma once

#include <vector>

namespace optlab {

class ThinnedHistory {
 public:
  ThinnedHistory(int dim, int metric_count, long capacity);

  // Folds in one step. Steps arrive in order, starting at 0, with no gaps.
  void add(long step, const double* params, double loss, const double* metrics);

  long size() const { return static_cast<long>(steps_.size()); }
  long stride() const { return stride_; }
  int dim() const { return dim_; }
  // Per bucket: its first step, the values there (params: dim_ per bucket, possibly 0) and the
  // loss range over the bucket. metrics()[m][b] is metric m at bucket b's first step.
  const std::vector<long>& steps() const { return steps_; }
  const std::vector<double>& params() const { return params_; }
  const std::vector<double>& loss() const { return loss_; }
  const std::vector<double>& loss_min() const { return loss_min_; }
  const std::vector<double>& loss_max() const { return loss_max_; }
  const std::vector<std::vector<double>>& metrics() const { return metrics_; }

 private:
  void merge_pairs();

  int dim_;
  long capacity_;
  long stride_ = 1;
  std::vector<long> steps_;
  std::vector<double> params_;
  std::vector<double> loss_;
  std::vector<double> loss_min_;
  std::vector<double> loss_max_;
  std::vector<std::vector<double>> metrics_;
};

}  // namespace optlab
