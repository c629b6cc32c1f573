// The experiment runner: loss[k] at params[k], divergence as experiment.md says, reproducibility,
// and the result JSON.
#include <gtest/gtest.h>

#include <cmath>

#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace optlab {
namespace {

ExperimentResult run(const std::string& spec) { return run_experiment(parse_spec(spec)); }

TEST(Runner, SgdOnQuadraticMatchesHandWorkedSteps) {
  // f = 0.5(x^2 + 10y^2), grad = (x, 10y). lr 0.1 from (1, 1): (1,1) -> (0.9, 0) -> (0.81, 0).
  const auto r = run(R"J({"problem": {"name": "quadratic"}, "start": [1, 1], "steps": 2,
                         "optimizers": [{"name": "sgd", "lr": 0.1}]})J");
  const History& h = r.runs[0].history;
  ASSERT_EQ(h.size(), 3);
  EXPECT_DOUBLE_EQ(h.params[2], 0.9);
  EXPECT_DOUBLE_EQ(h.params[3], 0.0);
  EXPECT_DOUBLE_EQ(h.params[4], 0.9 - 0.1 * 0.9);
  EXPECT_DOUBLE_EQ(h.loss[0], 5.5);
  EXPECT_DOUBLE_EQ(h.loss[1], 0.5 * 0.81);
  EXPECT_FALSE(r.runs[0].diverged);
}

TEST(Runner, EveryRunStartsFromTheSamePointAndHasStepsPlusOneEntries) {
  const auto r = run(R"J({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 50,
                         "optimizers": [{"name": "adam", "lr": 0.01}, {"name": "sgd", "lr": 0.0005, "momentum": 0.9},
                                        {"name": "rmsprop", "lr": 0.001}]})J");
  ASSERT_EQ(r.runs.size(), 3u);
  for (const RunResult& run : r.runs) {
    EXPECT_EQ(run.history.size(), 51);
    EXPECT_EQ(run.history.params.size(), 102u);
    EXPECT_EQ(run.history.params[0], -1.5);
    EXPECT_EQ(run.history.params[1], 2.0);
    EXPECT_DOUBLE_EQ(run.history.loss[0], 12.5);
  }
  EXPECT_NE(r.runs[0].history.params[100], r.runs[1].history.params[100]);
}

TEST(Runner, LossAboveLimitIsDivergenceAndTheRunStopsThere) {
  // SGD lr 0.3 on 0.5(x^2 + 10y^2): y is multiplied by (1 - 3) = -2 each step, so the loss
  // 5 * 4^k first exceeds 1e12 at k = 19.
  const auto r = run(R"J({"problem": {"name": "quadratic"}, "start": [0, 1], "steps": 100,
                         "optimizers": [{"name": "sgd", "lr": 0.3}, {"name": "sgd", "lr": 0.01}]})J");
  EXPECT_TRUE(r.runs[0].diverged);
  EXPECT_EQ(r.runs[0].diverged_at, 19);
  EXPECT_EQ(r.runs[0].history.size(), 20);
  EXPECT_GT(r.runs[0].history.loss[19], 1e12);
  EXPECT_LE(r.runs[0].history.loss[18], 1e12);
  // The other run goes on.
  EXPECT_FALSE(r.runs[1].diverged);
  EXPECT_EQ(r.runs[1].history.size(), 101);
}

TEST(Runner, NonFiniteLossIsDivergenceWrittenAsNull) {
  // log(x) from x = 1 with lr 10: x1 = 1 - 10 * 1 = -9, where log is NaN.
  const auto r = run(R"J({"problem": {"expr": "log(x) + y^2"}, "start": [1, 0], "steps": 5,
                         "optimizers": [{"name": "sgd", "lr": 10}]})J");
  EXPECT_TRUE(r.runs[0].diverged);
  EXPECT_EQ(r.runs[0].diverged_at, 1);
  EXPECT_TRUE(std::isnan(r.runs[0].history.loss[1]));
  const std::string json = result_to_json(r);
  EXPECT_NE(json.find(R"J("status":"diverged","diverged_at":1)J"), std::string::npos) << json;
  EXPECT_NE(json.find(R"J("loss":[0.0,null])J"), std::string::npos) << json;
}

TEST(Runner, DivergenceAtTheStartIsStepZero) {
  const auto r = run(R"J({"problem": {"expr": "sqrt(x)"}, "start": [-1, 0], "steps": 5,
                         "optimizers": [{"name": "adam"}]})J");
  EXPECT_TRUE(r.runs[0].diverged);
  EXPECT_EQ(r.runs[0].diverged_at, 0);
  EXPECT_EQ(r.runs[0].history.size(), 1);
}

// Issue 5: each domain error of the formula grammar is a defined non-finite value, which the
// runner reports as divergence at the step that reached it (here the start) and writes as null.
TEST(Runner, DomainErrorsAtTheStartAreDivergenceAtStepZero) {
  const char* formulas[] = {"0/0 + x", "log(-1) + x", "sqrt(-1) + y", "x^-0.5 + y^2", "log(x)", "1/x", "x^-1"};
  for (const char* formula : formulas) {
    const auto r = run(std::string(R"J({"problem": {"expr": ")J") + formula +
                       R"J("}, "start": [0, 1], "steps": 5, "optimizers": [{"name": "adam"}, {"name": "sgd"}]})J");
    for (const RunResult& run : r.runs) {
      EXPECT_TRUE(run.diverged) << formula;
      EXPECT_EQ(run.diverged_at, 0) << formula;
      EXPECT_EQ(run.history.size(), 1) << formula;
    }
    EXPECT_NE(result_to_json(r).find(R"J("diverged_at":0,"params":[[0.0,1.0]],"loss":[null]})J"), std::string::npos)
        << formula << ": " << result_to_json(r);
  }
}

TEST(Runner, ZeroStepsRecordsTheStartOnly) {
  const auto r = run(R"J({"problem": {"name": "booth"}, "start": [0, 0], "steps": 0, "optimizers": [{"name": "adam"}]})J");
  EXPECT_EQ(r.runs[0].history.size(), 1);
  EXPECT_DOUBLE_EQ(r.runs[0].history.loss[0], 49.0 + 25.0);
}

TEST(Runner, SameSeedGivesTheSameNoisyResultAndAnotherSeedDoesNot) {
  const std::string spec = R"J({"problem": {"name": "rosenbrock", "noise": 2}, "steps": 100, "seed": SEED,
                               "optimizers": [{"name": "adam", "lr": 0.02}, {"name": "sgd", "lr": 0.0005}]})J";
  auto with_seed = [&](int seed) {
    std::string s = spec;
    s.replace(s.find("SEED"), 4, std::to_string(seed));
    return result_to_json(run(s));
  };
  EXPECT_EQ(with_seed(1), with_seed(1));
  EXPECT_NE(with_seed(1), with_seed(2));
  const auto exact = run(R"J({"problem": {"name": "rosenbrock"}, "steps": 100, "seed": 1,
                             "optimizers": [{"name": "adam", "lr": 0.02}]})J");
  EXPECT_NE(result_to_json(exact), with_seed(1));
}

TEST(Runner, ResultJsonRoundTripsEveryDouble) {
  const auto r = run(R"J({"problem": {"name": "rosenbrock"}, "steps": 30, "optimizers": [{"name": "adam", "lr": 0.01}]})J");
  const auto doc = nlohmann::json::parse(result_to_json(r));
  const auto& run0 = doc["runs"][0];
  EXPECT_EQ(run0["name"], "adam");
  EXPECT_EQ(run0["label"], "adam");
  EXPECT_EQ(run0["status"], "ok");
  EXPECT_TRUE(run0["diverged_at"].is_null());
  ASSERT_EQ(run0["params"].size(), 31u);
  for (int k = 0; k <= 30; ++k) {
    EXPECT_EQ(run0["params"][k][0].get<double>(), r.runs[0].history.params[2 * k]);
    EXPECT_EQ(run0["params"][k][1].get<double>(), r.runs[0].history.params[2 * k + 1]);
    EXPECT_EQ(run0["loss"][k].get<double>(), r.runs[0].history.loss[k]);
  }
}

}  // namespace
}  // namespace optlab
