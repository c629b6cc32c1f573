// Core benchmark, built the same way natively and to wasm (target optlab_bench): ns per step for
// Rosenbrock with Adam through the runner vs a hand-written loop with the gradient coded by hand,
// and ms to evaluate a typed-in Rosenbrock formula on a 512x512 grid. Prints one JSON object.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

#include "math/portable.h"
#include "problems/landscapes.h"
#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace {

constexpr long kSteps = 100000;

// CPU time (other processes on a shared machine do not count): the thread's natively; in wasm,
// where Emscripten offers no CPU clock, node's process.cpuUsage() (user + system).
#ifdef __EMSCRIPTEN__
EM_JS(double, process_cpu_seconds, (), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
});
struct Clock {
  using time_point = double;
  static time_point now() { return process_cpu_seconds(); }
};
double seconds_since(Clock::time_point t0) { return Clock::now() - t0; }
#else
struct Clock {
  using time_point = double;
  static time_point now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
};
double seconds_since(Clock::time_point t0) { return Clock::now() - t0; }
#endif

// The reference: torch's Adam on Rosenbrock, gradient by hand, recording params and loss as the
// runner does, with β^t from `pow`: the C library's (glibc natively, musl in wasm: the fastest
// honest loop) or the core's portable one (pm::pow, which the core must use: the C libraries
// differ in the last bit, and the CLI and the page print the same bytes).
// volatile sink keeps the compiler from dropping the work.
volatile double g_sink;
template <double (*Pow)(double, double)>
double hand_written_ns_per_step() {
  const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double x = -1.5, y = 2.0, m0 = 0, m1 = 0, v0 = 0, v1 = 0;
  std::vector<double> params, loss;
  params.reserve(2 * (kSteps + 1));
  loss.reserve(kSteps + 1);
  const auto t0 = Clock::now();
  for (long t = 1; t <= kSteps + 1; ++t) {
    const double a = 1 - x, b = y - x * x;
    const double f = a * a + 100 * b * b;
    params.push_back(x);
    params.push_back(y);
    loss.push_back(f);
    if (t > kSteps) break;
    const double gx = -2 * a - 400 * x * b, gy = 200 * b;
    m0 = b1 * m0 + (1 - b1) * gx;
    m1 = b1 * m1 + (1 - b1) * gy;
    v0 = b2 * v0 + (1 - b2) * gx * gx;
    v1 = b2 * v1 + (1 - b2) * gy * gy;
    const double bc1 = 1 - Pow(b1, double(t)), bc2 = 1 - Pow(b2, double(t));
    const double step = lr / bc1, sq = std::sqrt(bc2);
    x -= step * m0 / (std::sqrt(v0) / sq + eps);
    y -= step * m1 / (std::sqrt(v1) / sq + eps);
  }
  const double s = seconds_since(t0);
  g_sink = params.back() + loss.back();
  return s * 1e9 / kSteps;
}
double c_pow(double x, double y) { return std::pow(x, y); }

const char* kAdamSpec = R"({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 100000,
                             "optimizers": [{"name": "adam", "lr": 0.01}]})";

double runner_ns_per_step() {
  const optlab::Spec spec = optlab::parse_spec(kAdamSpec);
  const auto t0 = Clock::now();
  const optlab::ExperimentResult r = optlab::run_experiment(spec);
  const double s = seconds_since(t0);
  g_sink = r.runs[0].history.loss.back();
  return s * 1e9 / kSteps;
}

// Writing that run's result JSON (result_to_json), ns per step: what `optlab run` and
// runExperiment add to the stepping.
double result_json_ns_per_step() {
  const optlab::ExperimentResult r = optlab::run_experiment(optlab::parse_spec(kAdamSpec));
  const auto t0 = Clock::now();
  const std::string text = optlab::result_to_json(r);
  const double s = seconds_since(t0);
  g_sink = static_cast<double>(text.size());
  return s * 1e9 / kSteps;
}

// Issue 4's network (tests/bench/tfjs_bench.mjs): 2-64-64-1 tanh, BCE on 512 spiral points, full
// batch, Adam, through the runner; seconds per step.
double mlp_seconds_per_step() {
  constexpr int kMlpSteps = 200;
  const optlab::Spec spec = optlab::parse_spec(
      R"({"problem": {"name": "mlp", "data": {"name": "spiral", "n": 512, "classes": 2, "noise": 0.1, "seed": 1},
                      "layers": [2, 64, 64, 1], "activation": "tanh", "loss": "bce", "init": {"seed": 1}},
          "steps": 200, "optimizers": [{"name": "adam", "lr": 0.01}]})");
  const auto t0 = Clock::now();
  const optlab::ExperimentResult r = optlab::run_experiment(spec);
  const double s = seconds_since(t0);
  g_sink = r.runs[0].history.loss.back();
  return s / kMlpSteps;
}

double grid_ms() {
  const auto landscape = optlab::make_formula_landscape("(1-x)^2 + 100*(y-x^2)^2");
  std::vector<double> out(512 * 512);
  double best = 1e300;
  for (int rep = 0; rep < 20; ++rep) {
    const auto t0 = Clock::now();
    landscape->evaluate_grid(optlab::ViewBox{-2, 2, -1, 3}, 512, 512, out.data());
    best = std::min(best, seconds_since(t0) * 1e3);
  }
  g_sink = out[1234];
  return best;
}

template <class F>
double best_of(int n, F f) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) best = std::min(best, f());
  return best;
}

}  // namespace

int main() {
  const double hand = best_of(15, hand_written_ns_per_step<c_pow>);
  const double hand_portable = best_of(15, hand_written_ns_per_step<optlab::pm::pow>);
  const double runner = best_of(15, runner_ns_per_step);
  const double json = best_of(15, result_json_ns_per_step);
  const double grid = grid_ms();
  const double mlp = 1.0 / best_of(3, mlp_seconds_per_step);
  std::printf("{\"adam_rosenbrock_ns_per_step\": %.1f, \"hand_written_ns_per_step\": %.1f, "
              "\"hand_written_portable_pow_ns_per_step\": %.1f, \"ratio\": %.2f, \"ratio_portable_pow\": %.2f, "
              "\"result_json_ns_per_step\": %.1f, \"json_over_stepping\": %.2f, "
              "\"formula_grid_512_ms\": %.3f, \"mlp_64_steps_per_s\": %.1f}\n",
              runner, hand, hand_portable, runner / hand, runner / hand_portable, json, json / runner, grid, mlp);
  return 0;
}
