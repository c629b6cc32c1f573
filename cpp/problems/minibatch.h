// Mini-batches as torch's DataLoader(shuffle=True, drop_last=False) draws them, but seeded so that
// the batch of step k is a function of (seed, k) alone: epoch k / batches_per_epoch is a
// Fisher-Yates shuffle of the n rows from Rng(seed, kMiniBatch, epoch), cut into batches of
// batch_size, the last one smaller when batch_size does not divide n. Any step can be replayed
// without replaying the ones before it. Shared by the network and the fit problems.
#pragma once

#include <cstdint>
#include <vector>

namespace optlab {

class MiniBatches {
 public:
  // batch_size 0: full batch (every row, in order, every step).
  MiniBatches(long rows, long batch_size, std::uint64_t seed) : rows_(rows), batch_size_(batch_size), seed_(seed) {}

  long rows() const { return rows_; }
  long batch_size() const { return batch_size_; }  // 0: full batch
  bool full_batch() const { return batch_size_ == 0; }
  long batches_per_epoch() const;
  // Rows of step `step`'s batch (0-based step), in the order drawn.
  std::vector<int> rows_of(long step) const;

 private:
  long rows_;
  long batch_size_;
  std::uint64_t seed_;
  mutable long cached_epoch_ = -1;
  mutable std::vector<int> cached_order_;
};

}  // namespace optlab
