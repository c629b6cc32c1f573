// The thinned older history: bounded, aligned buckets, and a loss range that loses no spike.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "runner/thinned_history.h"

namespace optlab {
namespace {

// A bumpy loss with a few spikes, so that a bucket's first value is rarely its min or max.
double loss_at(long k) { return std::sin(0.37 * static_cast<double>(k)) + (k % 97 == 13 ? 50.0 : 0.0); }

TEST(ThinnedHistory, StaysWithinCapacityAndKeepsEveryBucketsRange) {
  const long capacity = 16;
  for (long head : {0L, 7L})
  for (long n : {1L, 2L, 7L, 8L, 15L, 16L, 17L, 100L, 1000L, 12345L}) {
    ThinnedHistory t(2, 1, capacity, head);
    for (long k = 0; k < n; ++k) {
      const double params[2] = {static_cast<double>(k), -static_cast<double>(k)};
      const double metric = 2.0 * static_cast<double>(k);
      t.add(k, params, loss_at(k), &metric);
    }
    const long kept_head = std::min(n, head);
    ASSERT_LE(t.size() - kept_head, capacity) << n;
    ASSERT_GE(t.size() - kept_head, std::min(n - kept_head, capacity / 2)) << n;
    for (long b = 0; b < t.size(); ++b) {
      const auto i = static_cast<std::size_t>(b);
      const long first = t.steps()[i];
      const long stride = b < kept_head ? 1 : t.stride();
      EXPECT_EQ(first, b < kept_head ? b : head + (b - kept_head) * stride) << n;
      EXPECT_EQ(t.params()[2 * i], static_cast<double>(first));
      EXPECT_EQ(t.params()[2 * i + 1], -static_cast<double>(first));
      EXPECT_EQ(t.loss()[i], loss_at(first));
      EXPECT_EQ(t.metrics()[0][i], 2.0 * static_cast<double>(first));
      double lo = loss_at(first), hi = lo;
      for (long k = first; k < std::min(n, first + stride); ++k) {
        lo = std::min(lo, loss_at(k));
        hi = std::max(hi, loss_at(k));
      }
      EXPECT_EQ(t.loss_min()[i], lo) << "n " << n << " bucket " << b;
      EXPECT_EQ(t.loss_max()[i], hi) << "n " << n << " bucket " << b;
    }
  }
}

TEST(ThinnedHistory, ANaNLossShowsInItsBucketsRange) {
  ThinnedHistory t(0, 0, 4, 3);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (long k = 0; k < 40; ++k) t.add(k, nullptr, k == 21 ? nan : 1.0, nullptr);
  bool seen = false;
  for (long b = 0; b < t.size(); ++b) {
    const auto i = static_cast<std::size_t>(b);
    const long stride = b < 3 ? 1 : t.stride();
    const bool holds = t.steps()[i] <= 21 && 21 < t.steps()[i] + stride;
    EXPECT_EQ(std::isnan(t.loss_min()[i]), holds);
    EXPECT_EQ(std::isnan(t.loss_max()[i]), holds);
    seen = seen || holds;
  }
  EXPECT_TRUE(seen);
}

TEST(ThinnedHistory, StepsOutOfOrderAreALogicError) {
  ThinnedHistory t(0, 0, 8);
  EXPECT_THROW(t.add(1, nullptr, 0.0, nullptr), std::logic_error);  // must start at 0
  t.add(0, nullptr, 0.0, nullptr);
  EXPECT_THROW(t.add(0, nullptr, 0.0, nullptr), std::logic_error);
  EXPECT_THROW(t.add(2, nullptr, 0.0, nullptr), std::logic_error);  // a gap
}

}  // namespace
}  // namespace optlab
