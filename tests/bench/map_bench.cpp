// Map benchmark (native only: std::thread; target optlab_map_bench, run by scripts/bench.sh):
// a map's steps per second per thread against the single-run runner's on the same landscape and
// optimizer, 2 threads against 1, the 128x128 lr x betas.0 map of 500-step Adam runs on Rosenbrock
// with 1, 2 and 4 threads, and the 32x32 coarse map. Prints a table, then one JSON line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "runner/experiment.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/map_threads.h"
#include "runner/spec.h"

namespace {

using Clock = std::chrono::steady_clock;
volatile double g_sink;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

template <class F>
double best_of(int n, F f) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) best = std::min(best, f());
  return best;
}

// The runner's steps per second: one 100,000-step Adam run on Rosenbrock (tests/bench/bench.cpp's).
double runner_steps_per_s() {
  const optlab::Spec spec = optlab::parse_spec(
      R"({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 100000,
          "optimizers": [{"name": "adam", "lr": 0.01}]})");
  const auto t0 = Clock::now();
  const optlab::ExperimentResult r = optlab::run_experiment(spec);
  g_sink = r.runs[0].history.loss.back();
  return 100000.0 / seconds_since(t0);
}

// The lr x betas.0 map of 500-step Adam runs on Rosenbrock. `same`: every cell with the runner's own
// settings (lr 0.01, betas.0 0.9: axes of zero width), so the per-step comparison with the runner is
// of the same arithmetic; a real map's cells cost more or less per step with their values (Adam
// with beta1 near 0 meets subnormal powers, say).
std::string adam_map(int n, bool same = false) {
  const std::string x = same ? R"("from": 0.01, "to": 0.01)" : R"("from": 1e-4, "to": 1)";
  const std::string y = same ? R"("from": 0.9, "to": 0.9)" : R"("from": 0, "to": 0.99)";
  return R"({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 500,
             "optimizers": [{"name": "adam", "lr": 0.01}],
             "map": {"kind": "hyper", "measure": "steps", "tolerance": 1e-4,
                     "x": {"param": "lr", )" + x + R"(, "n": )" + std::to_string(n) + R"(, "scale": "log"},
                     "y": {"param": "betas.0", )" + y + R"(, "n": )" + std::to_string(n) + "}}}";
}

// Seconds for a whole map (parsing included: a page's job pays it too), and the steps its cells
// took (a diverged cell stops at its diverged_at).
double g_steps_taken = 0;
double map_seconds(int n, int threads, bool same = false) {
  const auto t0 = Clock::now();
  const optlab::MapSpec map = optlab::parse_map_spec(adam_map(n, same));
  const std::vector<double> rows = optlab::run_map(map, threads);
  g_sink = optlab::assemble_map(map, rows.data()).size();
  const double s = seconds_since(t0);
  g_steps_taken = 0;
  for (long c = 0; c < map.cells(); ++c) {
    const double d = rows[static_cast<std::size_t>(c * optlab::kMapRowSize + 1)];
    g_steps_taken += d >= 0 ? d : static_cast<double>(map.steps);
  }
  return s;
}

}  // namespace

int main() {
  const double runner = best_of(3, runner_steps_per_s);
  // Per thread, the same settings as the runner: what a map adds or saves per step.
  const double same1 = best_of(3, [] { return map_seconds(64, 1, true); });
  const double same_steps = g_steps_taken;
  const double same2 = best_of(3, [] { return map_seconds(64, 2, true); });
  const double per_thread = same_steps / same1;
  // The real lr x betas.0 map.
  const double real1 = best_of(3, [] { return map_seconds(64, 1); });
  const double real_per_thread = g_steps_taken / real1;
  double big[3];
  const int counts[3] = {1, 2, 4};
  for (int k = 0; k < 3; ++k) big[k] = best_of(2, [&] { return map_seconds(128, counts[k]); });
  const double coarse1 = best_of(3, [] { return map_seconds(32, 1); });
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const double coarse_all = best_of(3, [&] { return map_seconds(32, cores); });
  std::printf("map benchmark (native, %d hardware threads)\n", cores);
  std::printf("  single-run runner, Adam on Rosenbrock, steps/s                    %12.0f\n", runner);
  std::printf("  64x64 map, 500 steps, the runner's settings in every cell, 1 thread  %9.0f\n", per_thread);
  std::printf("    ratio map per thread / runner (target >= 0.8)                   %12.2f\n", per_thread / runner);
  std::printf("    ratio 2 threads / 1 thread (target >= 1.7)                      %12.2f\n", same1 / same2);
  std::printf("  64x64 lr x betas.0 map, 1 thread, steps taken/s                   %12.0f\n", real_per_thread);
  std::printf("  128x128 lr x betas.0 Adam map, 500 steps, s: 1 thread             %12.3f\n", big[0]);
  std::printf("                                                2 threads           %12.3f\n", big[1]);
  std::printf("                                                4 threads           %12.3f\n", big[2]);
  std::printf("  32x32 coarse map, s: 1 thread %.3f, %d threads %.3f (target < 0.5)\n", coarse1, cores, coarse_all);
  std::printf("{\"runner_steps_per_s\": %.0f, \"map_steps_per_s_per_thread\": %.0f, \"map_per_thread_ratio\": %.3f, "
              "\"map_2_threads_ratio\": %.3f, \"real_map_steps_per_s\": %.0f, \"map_128_s\": [%.3f, %.3f, %.3f], "
              "\"map_32_s_1_thread\": %.3f, \"map_32_s_all_threads\": %.3f, \"hardware_threads\": %d}\n",
              runner, per_thread, per_thread / runner, same1 / same2, real_per_thread, big[0], big[1], big[2], coarse1,
              coarse_all, cores);
  return 0;
}
