// Long sessions: each run keeps a bounded window of recent steps (exact Back within it) and a
// thinned summary of everything older, both equal to what run_experiment computes.
#include <gtest/gtest.h>

#include <algorithm>

#include "runner/experiment.h"
#include "runner/session.h"

namespace optlab {
namespace {

const char* kLandscape = R"J({"problem": {"name": "rosenbrock", "noise": 0.5}, "steps": 0, "seed": 3,
  "optimizers": [{"name": "adam", "lr": 0.05}, {"name": "sgd", "lr": 0.0008, "momentum": 0.9},
                 {"name": "sgd", "lr": 0.002}, {"name": "rmsprop", "lr": 0.001}]})J";

// Eight runs of a 2-16-16-1 network on mini-batches.
const char* kNetwork = R"J({"problem": {"name": "mlp", "data": {"name": "spiral", "n": 24, "noise": 0.1,
  "seed": 1, "test_fraction": 0.25}, "layers": [2, 16, 16, 1], "activation": "tanh", "loss": "bce",
  "batch_size": 8, "init": {"seed": 1}}, "steps": 0, "seed": 2, "optimizers": [
  {"name": "sgd", "lr": 0.1}, {"name": "sgd", "lr": 0.05, "momentum": 0.9},
  {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true}, {"name": "adagrad", "lr": 0.05},
  {"name": "rmsprop", "lr": 0.005}, {"name": "adam", "lr": 0.01}, {"name": "adamw", "lr": 0.01},
  {"name": "nadam", "lr": 0.01}]})J";

void expect_bounded(const Session& s) {
  for (int i = 0; i < s.run_count(); ++i) {
    EXPECT_LE(s.history(i).size(), 2 * s.window() + 1) << "run " << i;
    EXPECT_LE(s.thinned(i).size(), 2 * Session::kMaxThinned) << "run " << i;  // head + buckets
    const ThinnedHistory& older = s.thinned(i);
    if (s.history(i).first == 0) {
      EXPECT_EQ(older.size(), 0);
    } else {
      // The thinned buckets cover exactly the steps before the window.
      ASSERT_GT(older.size(), 0);
      EXPECT_LT(older.steps().back(), s.history(i).first);
      EXPECT_GE(older.steps().back() + older.stride(), s.history(i).first);
    }
  }
}

TEST(LongSession, WindowAndThinnedHistoryMatchRunExperiment) {
  Spec spec = parse_spec(kLandscape);
  Session s(spec);
  const long steps = 5 * s.window() + 321;
  s.step_by(steps);
  expect_bounded(s);
  EXPECT_GT(s.earliest_step(), 0);
  spec.steps = steps;
  const ExperimentResult full = run_experiment(spec);
  for (int i = 0; i < s.run_count(); ++i) {
    const History& f = full.runs[static_cast<std::size_t>(i)].history;
    const History& w = s.history(i);
    ASSERT_EQ(w.last_step(), steps);
    for (long k = 0; k < w.size(); ++k) {
      const auto at = static_cast<std::size_t>(w.first + k);
      ASSERT_EQ(w.loss[static_cast<std::size_t>(k)], f.loss[at]);
      ASSERT_EQ(w.params[static_cast<std::size_t>(2 * k)], f.params[2 * at]);
    }
    const ThinnedHistory& t = s.thinned(i);
    ASSERT_GT(t.size(), Session::kMaxThinned);
    for (long b = 0; b < Session::kMaxThinned; ++b) ASSERT_EQ(t.steps()[static_cast<std::size_t>(b)], b);  // the head
    for (long b = 0; b < t.size(); ++b) {
      const auto j = static_cast<std::size_t>(b);
      const auto at = static_cast<std::size_t>(t.steps()[j]);
      ASSERT_EQ(t.loss()[j], f.loss[at]);
      ASSERT_EQ(t.params()[2 * j + 1], f.params[2 * at + 1]);
      // Until the first bucket, samples are single steps (the head).
      const long stride = j + 1 < t.steps().size() ? t.steps()[j + 1] - t.steps()[j] : t.stride();
      const auto end = std::min(static_cast<std::size_t>(w.first), at + static_cast<std::size_t>(stride));
      const auto begin = f.loss.begin();
      EXPECT_EQ(t.loss_min()[j], *std::min_element(begin + static_cast<long>(at), begin + static_cast<long>(end)));
      EXPECT_EQ(t.loss_max()[j], *std::max_element(begin + static_cast<long>(at), begin + static_cast<long>(end)));
    }
  }
}

TEST(LongSession, BackStopsAtTheWindowAndIsExactThere) {
  Session s(parse_spec(kLandscape));
  const long steps = 3 * s.window() + 100;
  s.step_by(steps);
  const long earliest = s.earliest_step();
  ASSERT_GT(earliest, 0);
  ASSERT_LE(steps - earliest, 2 * s.window());
  EXPECT_EQ(s.back(1000000), steps - earliest);
  EXPECT_EQ(s.step_count(), earliest);
  EXPECT_EQ(s.back(1), 0);  // already at the limit

  Session reference(parse_spec(kLandscape));
  reference.step_by(earliest);
  for (int i = 0; i < s.run_count(); ++i) {
    EXPECT_EQ(s.state(i).x, reference.state(i).x);
    EXPECT_EQ(s.state(i).grad, reference.state(i).grad);
    const auto a = s.state(i).optimizer.state(), b = reference.state(i).optimizer.state();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(a[k].value, b[k].value) << a[k].name;
  }
  // And forward again retraces the same path.
  s.step_by(steps - earliest);
  reference.step_by(steps - earliest);
  for (int i = 0; i < s.run_count(); ++i) EXPECT_EQ(s.state(i).x, reference.state(i).x);
}

TEST(LongSession, NetworkRunsStayBoundedAndStepBackExactly) {
  Session s(parse_spec(kNetwork));
  ASSERT_LT(s.window(), Session::kMaxWindow);  // the budget, not the cap, sets a network's window
  const long steps = 2 * s.window() + 200;
  s.step_by(steps);
  expect_bounded(s);
  EXPECT_GT(s.earliest_step(), 0);
  for (int i = 0; i < s.run_count(); ++i) EXPECT_EQ(s.history(i).metrics.size(), 3u);  // batch_loss, accuracy, test_loss
  EXPECT_EQ(s.back(150), 150);
  Session reference(parse_spec(kNetwork));
  reference.step_by(steps - 150);
  for (int i = 0; i < s.run_count(); ++i) {
    EXPECT_EQ(s.state(i).x, reference.state(i).x) << "run " << i;
    EXPECT_EQ(s.history(i).loss.back(), reference.history(i).loss.back());
  }
}

}  // namespace
}  // namespace optlab
