#include "problems/minibatch.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "problems/rng.h"

namespace optlab {

long MiniBatches::batches_per_epoch() const {
  if (batch_size_ == 0) return 1;
  return (rows_ + batch_size_ - 1) / batch_size_;
}

std::vector<int> MiniBatches::rows_of(long step) const {
  if (step < 0) throw std::invalid_argument("batch_indices: step must be >= 0, got " + std::to_string(step));
  if (batch_size_ == 0) {
    std::vector<int> all(static_cast<std::size_t>(rows_));
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  const long epoch = step / batches_per_epoch();
  if (epoch != cached_epoch_) {
    cached_order_.resize(static_cast<std::size_t>(rows_));
    std::iota(cached_order_.begin(), cached_order_.end(), 0);
    Rng rng(seed_, RngStream::kMiniBatch, static_cast<std::uint64_t>(epoch));
    for (long i = rows_ - 1; i > 0; --i)
      std::swap(cached_order_[static_cast<std::size_t>(i)], cached_order_[rng.below(static_cast<std::uint64_t>(i + 1))]);
    cached_epoch_ = epoch;
  }
  const long begin = (step % batches_per_epoch()) * batch_size_;
  const long end = std::min(rows_, begin + batch_size_);
  return {cached_order_.begin() + begin, cached_order_.begin() + end};
}

}  // namespace optlab
