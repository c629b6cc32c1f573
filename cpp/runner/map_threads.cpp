// Native maps on every core: std::thread, so this file is not in the WebAssembly build (the page
// spreads cells over Web Workers instead, each calling MapRunner through the bindings).
#include "runner/map_threads.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace optlab {

std::vector<double> run_map(const MapSpec& map, int threads) {
  std::vector<double> rows(static_cast<std::size_t>(map.cells()) * kMapRowSize,
                           std::numeric_limits<double>::quiet_NaN());
  std::atomic<long> next{0};
  std::exception_ptr failure;
  std::mutex failure_lock;
  auto work = [&] {
    try {
      MapRunner runner(map);
      for (long c = next++; c < map.cells(); c = next++) runner.run_cell(c, rows.data() + c * kMapRowSize);
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_lock);
      if (!failure) failure = std::current_exception();
      next = map.cells();  // the others stop at their next cell
    }
  };
  const int n = static_cast<int>(std::max(1L, std::min<long>(threads, map.cells())));
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return rows;
}

}  // namespace optlab
