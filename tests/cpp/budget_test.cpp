// The cost budget (runner/budget.h): specs inside every other limit that would take minutes or
// all of memory are refused before anything runs, with an error naming the field and the budget.
// These are the issue's own cases; each of them was accepted, and then froze or ran out, before.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "problems/expression.h"
#include "problems/landscapes.h"
#include "runner/budget.h"
#include "runner/catalog.h"
#include "runner/experiment.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

json network(const json& layers, int n, long steps, int runs) {
  json opts = json::array();
  for (int i = 0; i < runs; ++i) opts.push_back({{"name", "adam"}, {"lr", 0.01}});
  return {{"problem", {{"name", "mlp"}, {"layers", layers}, {"data", {{"name", "moons"}, {"n", n}}}}},
          {"steps", steps}, {"optimizers", opts}};
}

json formula(const std::string& expr, long steps, int runs) {
  json opts = json::array();
  for (int i = 0; i < runs; ++i) opts.push_back({{"name", "sgd"}, {"lr", 1e-6}});
  return {{"problem", {{"expr", expr}}}, {"steps", steps}, {"optimizers", opts}};
}

// The message of the SpecError spec_from_json throws, or "" if it accepts the spec.
std::string refusal(const json& spec) {
  try {
    spec_from_json(spec);
    return "";
  } catch (const SpecError& e) {
    return e.what();
  }
}

// A formula of about `chars` characters.
std::string long_formula(std::size_t chars) {
  std::string f = "x^2";
  while (f.size() + 16 < chars) f += " + sin(x*y)*0.5";
  return f;
}

TEST(Budget, WideNetworksOnManyPointsAreRefusedNamingTheWeightBudget) {
  // 8 × [2, 1024, 970, 1] on 2,000 points: a 523-character link, not ready after 300 s.
  const std::string m = refusal(network({2, 1024, 970, 1}, 2000, 0, 8));
  EXPECT_EQ(m.rfind("problem: 8 runs × 998,293 weights = 7,986,344, more than the budget of 1,000,000", 0), 0u) << m;
  EXPECT_NE(m.find("max_total_weights"), std::string::npos) << m;
  // On 4 points it filled the 2 GB wasm memory by step 62.
  EXPECT_NE(refusal(network({2, 1024, 970, 1}, 4, 100, 8)).find("max_total_weights"), std::string::npos);
}

TEST(Budget, AStepCostingMoreThanTheBudgetIsRefusedNamingTheProblem) {
  // One run of [2, 1024, 512, 1] fits the weight budget, but a step on 2,000 points costs ~1e9.
  const std::string m = refusal(network({2, 1024, 512, 1}, 2000, 0, 1));
  EXPECT_EQ(m.rfind("problem: one step of 1 run costs about", 0), 0u) << m;
  EXPECT_NE(m.find("max_step_cost"), std::string::npos) << m;
  // The classroom's networks are far inside it.
  EXPECT_EQ(refusal(network({2, 16, 16, 1}, 200, 2000, 8)), "");
}

TEST(Budget, ARequestOverTheBudgetNamesStepsAndTheMostThatFit) {
  // A 10,000-character formula × 8 runs × 1e6 steps: some 18 minutes before.
  const std::string f = long_formula(Expression::kMaxLength);
  const std::string m = refusal(formula(f, kMaxSteps, 8));
  EXPECT_EQ(m.rfind("steps: 1,000,000 steps × ", 0), 0u) << m;
  EXPECT_NE(m.find("max_request_cost"), std::string::npos) << m;
  // The step count it offers is the largest that is accepted.
  const Spec probe = spec_from_json(formula(f, 0, 8));
  const double step = request_step_cost(probe, *make_problem(probe));
  const long most = static_cast<long>(kMaxRequestCost / step);
  EXPECT_NE(m.find("ask for at most " + std::to_string(most / 1000) + ","), std::string::npos) << m;
  EXPECT_EQ(refusal(formula(f, most, 8)), "");
  EXPECT_NE(refusal(formula(f, most + 1, 8)), "");
}

TEST(Budget, EveryBuiltInLandscapeAffordsTheStepLimitWithEveryRun) {
  for (const std::string& name : landscape_names()) {
    json opts = json::array();
    for (int i = 0; i < kMaxOptimizers; ++i) opts.push_back({{"name", "adam"}});
    EXPECT_EQ(refusal({{"problem", {{"name", name}}}, {"steps", kMaxSteps}, {"optimizers", opts}}), "") << name;
  }
}

TEST(Budget, StepCostGrowsWithTheFormulaAndTheNetwork) {
  const auto cost = [](const json& j) {
    const Spec s = spec_from_json(j);
    return request_step_cost(s, *make_problem(s));
  };
  EXPECT_LT(cost(formula("x^2 + y^2", 0, 1)), cost(formula(long_formula(2000), 0, 1)));
  EXPECT_LT(cost(formula(long_formula(2000), 0, 1)), cost(formula(long_formula(4000), 0, 1)));
  EXPECT_DOUBLE_EQ(cost(formula("x^2", 0, 8)), 8 * cost(formula("x^2", 0, 1)));
  EXPECT_LT(cost(network({2, 16, 1}, 200, 0, 1)), cost(network({2, 64, 1}, 200, 0, 1)));
  EXPECT_LT(cost(network({2, 16, 1}, 200, 0, 1)), cost(network({2, 16, 1}, 400, 0, 1)));
  json batched = network({2, 16, 1}, 400, 0, 1);
  batched["problem"]["batch_size"] = 8;
  EXPECT_LT(cost(batched), cost(network({2, 16, 1}, 400, 0, 1)));
}

TEST(Budget, AResultThatWouldNotFitIsRefusedBeforeAnythingRuns) {
  // 8 runs × 1e6 steps on a landscape: ~570 MB of result text before.
  json spec = formula("x^2 + y^2", kMaxSteps, 8);
  const Spec s = spec_from_json(spec);  // affordable to run ...
  try {
    run_experiment(s);  // ... but its params would not fit in a result
    FAIL() << "accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("record_params: 8 runs × 1,000,001 steps × 3 numbers = 24,000,024", 0), 0u)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("max_result_numbers"), std::string::npos);
  }
  spec["record_params"] = false;  // the losses alone, 8e6 numbers, fit
  const Spec bare = spec_from_json(spec);
  EXPECT_LE(result_numbers(bare, *make_problem(bare)), kMaxResultNumbers);
  // A network's weights at every step, asked for with record_params.
  json network_spec = network({2, 16, 1}, 20, 200000, 1);
  network_spec["record_params"] = true;  // 65 weights a step
  const Spec n = spec_from_json(network_spec);
  try {
    run_experiment(n);
    FAIL() << "accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("record_params: 1 run × 200,001 steps × 68 numbers = 13,600,068", 0), 0u) << e.what();
  }
}

TEST(Budget, TheCatalogPublishesTheBudgets) {
  const json limits = catalog()["limits"];
  EXPECT_EQ(limits.at("max_step_cost").get<double>(), kMaxStepCost);
  EXPECT_EQ(limits.at("max_request_cost").get<double>(), kMaxRequestCost);
  EXPECT_EQ(limits.at("max_total_weights").get<double>(), kMaxTotalWeights);
  EXPECT_EQ(limits.at("max_result_numbers").get<double>(), kMaxResultNumbers);
}

}  // namespace
}  // namespace optlab
