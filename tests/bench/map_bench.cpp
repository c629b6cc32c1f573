// Map benchmark (native only: std::thread; target optlab_map_bench, run by scripts/bench.sh):
// a map's steps per second per thread against the single-run runner's on the same landscape and
// optimizer, 2 threads against 1, the 128x128 lr x betas.0 map of 500-step Adam runs on Rosenbrock
// with 1, 2 and 4 threads, and the 32x32 coarse map. Prints a table, then one JSON line.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "runner/experiment.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/map_threads.h"
#include "runner/spec.h"

namespace {

using Clock = std::chrono::steady_clock;
volatile double g_sink;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU seconds this process has used (all its threads). On a machine other jobs share, wall time
// says how much of a core the scheduler gave; CPU time says what the work cost, so the per-thread
// comparisons use it (the thread-count rows need wall time, and are only meaningful on a quiet machine).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

template <class F>
double best_of(int n, F f) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) best = std::min(best, f());
  return best;
}

// The runner's steps per CPU second on Adam + Rosenbrock: `runs` runs of `steps` steps through
// run_experiment (500: a map cell's own single run, its setup included; 100,000: bench.cpp's run).
double runner_steps_per_s(long steps, int runs) {
  const optlab::Spec spec = optlab::parse_spec(
      R"({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": )" + std::to_string(steps) +
      R"(, "optimizers": [{"name": "adam", "lr": 0.01}]})");
  const double t0 = cpu_seconds();
  for (int r = 0; r < runs; ++r) g_sink = optlab::run_experiment(spec).runs[0].history.loss.back();
  return static_cast<double>(steps) * runs / (cpu_seconds() - t0);
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
double g_cpu = 0;  // CPU seconds of the last map_seconds call
double map_seconds(int n, int threads, bool same = false) {
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  const optlab::MapSpec map = optlab::parse_map_spec(adam_map(n, same));
  const std::vector<double> rows = optlab::run_map(map, threads);
  g_sink = optlab::assemble_map(map, rows.data()).size();
  const double s = seconds_since(t0);
  g_cpu = cpu_seconds() - c0;
  g_steps_taken = 0;
  for (long c = 0; c < map.cells(); ++c) {
    const double d = rows[static_cast<std::size_t>(c * optlab::kMapRowSize + 1)];
    g_steps_taken += d >= 0 ? d : static_cast<double>(map.steps);
  }
  return s;
}

}  // namespace

// Best times of several thread counts measured in turn (1, 2, 1, 2, ...), so a change of the
// machine's load during the benchmark does not favour one count.
std::vector<double> alternating(int reps, const std::vector<int>& threads, int n, bool same) {
  std::vector<double> best(threads.size(), 1e300);
  for (int r = 0; r < reps; ++r)
    for (std::size_t k = 0; k < threads.size(); ++k) best[k] = std::min(best[k], map_seconds(n, threads[k], same));
  return best;
}

int main() {
  // Per thread, the same settings as the runner: what a map adds or saves per step, in CPU time.
  map_seconds(64, 1, true);
  const double same_steps = g_steps_taken;
  double runner = 0, long_runner = 0, same_cpu1 = 1e300, same_cpu2 = 1e300, same1 = 1e300, same2 = 1e300;
  for (int r = 0; r < 5; ++r) {
    runner = std::max(runner, runner_steps_per_s(500, 4096));
    long_runner = std::max(long_runner, runner_steps_per_s(100000, 5));
    same1 = std::min(same1, map_seconds(64, 1, true));
    same_cpu1 = std::min(same_cpu1, g_cpu);
    same2 = std::min(same2, map_seconds(64, 2, true));
    same_cpu2 = std::min(same_cpu2, g_cpu);
  }
  const double per_thread = same_steps / same_cpu1;
  // The real lr x betas.0 map.
  double real_cpu = 1e300;
  for (int r = 0; r < 3; ++r) {
    map_seconds(64, 1);
    real_cpu = std::min(real_cpu, g_cpu);
  }
  const double real_per_thread = g_steps_taken / real_cpu;
  const std::vector<double> big = alternating(3, {1, 2, 4}, 128, false);
  const double coarse1 = best_of(3, [] { return map_seconds(32, 1); });
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const double coarse_all = best_of(3, [&] { return map_seconds(32, cores); });
  std::printf("map benchmark (native, %d hardware threads)\n", cores);
  std::printf("  single-run runner, Adam on Rosenbrock, 500-step runs, steps per CPU s %12.0f\n", runner);
  std::printf("    (one 100,000-step run: %.0f)\n", long_runner);
  std::printf("  64x64 map, 500 steps, the runner's settings in every cell, 1 thread  %12.0f\n", per_thread);
  std::printf("    ratio map per thread / runner, the same runs (target >= 0.8)       %12.2f\n", per_thread / runner);
  std::printf("    ratio 2 threads / 1 thread, wall time (target >= 1.7)              %12.2f\n", same1 / same2);
  std::printf("    CPU time 2 threads / 1 thread (1.00: no cost of sharing the work)  %12.2f\n", same_cpu2 / same_cpu1);
  std::printf("  64x64 lr x betas.0 map, 1 thread, steps taken per CPU second         %12.0f\n", real_per_thread);
  std::printf("  128x128 lr x betas.0 Adam map, 500 steps, s: 1 thread             %12.3f\n", big[0]);
  std::printf("                                                2 threads           %12.3f\n", big[1]);
  std::printf("                                                4 threads           %12.3f\n", big[2]);
  std::printf("  32x32 coarse map, s: 1 thread %.3f, %d threads %.3f (target < 0.5)\n", coarse1, cores, coarse_all);
  std::printf("{\"runner_steps_per_s\": %.0f, \"runner_100k_steps_per_s\": %.0f, \"map_steps_per_s_per_thread\": %.0f, \"map_per_thread_ratio\": %.3f, "
              "\"map_2_threads_ratio\": %.3f, \"map_2_threads_cpu_ratio\": %.3f, \"real_map_steps_per_s\": %.0f, \"map_128_s\": [%.3f, %.3f, %.3f], "
              "\"map_32_s_1_thread\": %.3f, \"map_32_s_all_threads\": %.3f, \"hardware_threads\": %d}\n",
              runner, long_runner, per_thread, per_thread / runner, same1 / same2, same_cpu2 / same_cpu1, real_per_thread, big[0], big[1], big[2], coarse1,
              coarse_all, cores);
  return 0;
}
