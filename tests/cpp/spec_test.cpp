// Spec validation: every rejected field gives a message that names it.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

#include "problems/expression.h"
#include "runner/experiment.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string with_optimizer(const std::string& opt) {
  return R"J({"problem": {"name": "rosenbrock"}, "steps": 10, "optimizers": [)J" + opt + "]}";
}

// "1,1,...,1": n numbers, for arrays far larger than any problem.
std::string ones(int n) {
  std::string out = "1";
  for (int i = 1; i < n; ++i) out += ",1";
  return out;
}

struct Rejection {
  std::string spec;
  std::string message_starts;  // the field it must name, and usually more
};

class SpecRejects : public ::testing::TestWithParam<Rejection> {};

TEST_P(SpecRejects, NamesTheField) {
  const std::string msg = error_of(GetParam().spec);
  EXPECT_EQ(msg.rfind(GetParam().message_starts, 0), 0u) << "spec: " << GetParam().spec << "\nmessage: " << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Spec, SpecRejects,
    ::testing::Values(
        Rejection{"not json", "invalid JSON: parse error at line 1, column 2"},
        Rejection{"[1, 2]", "spec: expected a JSON object"},
        Rejection{R"J({"steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem: required"},
        Rejection{R"J({"problem": "rosenbrock", "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem: expected an object"},
        Rejection{R"J({"problem": {"name": "rosenbrok"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.name: unknown landscape 'rosenbrok'"},
        Rejection{R"J({"problem": {"name": 3}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.name: expected a string"},
        Rejection{R"J({"problem": {"expr": "(x+1))"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: unexpected ')' at column 6"},
        Rejection{R"J({"problem": {"expr": "x + z"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: unknown name 'z' at column 5"},
        Rejection{R"J({"problem": {"name": "booth", "expr": "x"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem: give either"},
        Rejection{R"J({"problem": {"name": "booth", "noise": -1}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.noise: must be >= 0"},
        Rejection{R"J({"problem": {"name": "booth", "nosie": 1}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.nosie: unknown field"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": -1, "optimizers": [{"name": "sgd"}]})J", "steps: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1000001, "optimizers": [{"name": "sgd"}]})J", "steps: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 2.5, "optimizers": [{"name": "sgd"}]})J", "steps: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": "10", "optimizers": [{"name": "sgd"}]})J", "steps: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "optimizers": [{"name": "sgd"}]})J", "steps: required"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "seed": -3, "optimizers": [{"name": "sgd"}]})J", "seed: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "start": [1], "optimizers": [{"name": "sgd"}]})J", "start: expected 2 numbers, got 1"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "start": [1, "a"], "optimizers": [{"name": "sgd"}]})J", "start[1]: expected a number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "start": 3, "optimizers": [{"name": "sgd"}]})J", "start: expected an array"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": []})J", "optimizers: expected a list of 1 to 8"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1})J", "optimizers: required"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"},{"name":"sgd"}]})J",
                  "optimizers: expected a list of 1 to 8 optimizers, got 9"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "colour": 1})J", "colour: unknown field"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": {"xmin": "a"}})J", "view.xmin: expected a number"},
        Rejection{with_optimizer(R"J({"name": "adamm"})J"), "optimizers[0].name: unknown optimizer 'adamm'"},
        Rejection{with_optimizer(R"J({"lr": 0.1})J"), "optimizers[0].name"},
        Rejection{with_optimizer(R"J("adam")J"), "optimizers[0]: expected an object"},
        Rejection{with_optimizer(R"J({"name": "sgd"}, {"name": "adam", "lr": -1})J"), "optimizers[1].lr: Invalid learning rate: -1"},
        Rejection{with_optimizer(R"J({"name": "adam", "betas": [0.9, 1.0]})J"), "optimizers[0].betas: Invalid beta parameter at index 1"},
        Rejection{with_optimizer(R"J({"name": "adam", "eps": -1e-8})J"), "optimizers[0].eps: Invalid epsilon value"},
        Rejection{with_optimizer(R"J({"name": "sgd", "momentum": -0.5})J"), "optimizers[0].momentum: Invalid momentum value"},
        Rejection{with_optimizer(R"J({"name": "sgd", "weight_decay": -1})J"), "optimizers[0].weight_decay: Invalid weight_decay value"},
        Rejection{with_optimizer(R"J({"name": "sgd", "nesterov": true})J"), "optimizers[0].nesterov: Nesterov momentum requires"},
        Rejection{with_optimizer(R"J({"name": "adam", "lr": "fast"})J"), "optimizers[0].lr: "},
        Rejection{with_optimizer(R"J({"name": "adam", "amsgrad": 1})J"), "optimizers[0].amsgrad: "},
        Rejection{with_optimizer(R"J({"name": "adam", "momentum": 0.9})J"), "optimizers[0].momentum: unknown hyperparameter"},
        Rejection{with_optimizer(R"J({"name": "adam", "label": 7})J"), "optimizers[0].label: expected a string"},
        Rejection{with_optimizer(R"J({"name": "adam", "color": 7})J"), "optimizers[0].color: expected a colour"},
        Rejection{with_optimizer(R"J({"name": "adam", "lr": 0.1, "lr": 0.2})J"), "optimizers[0].lr: duplicate key"},
        Rejection{with_optimizer(R"J({"name": "adam", "lr": NaN})J"), "optimizers[0].lr: invalid JSON"},
        Rejection{with_optimizer(R"J({"name": "adam", "lr": 1e999})J"), "optimizers[0].lr: number out of range"},
        Rejection{std::string(100, '[') + std::string(100, ']'), "spec: nested deeper than 64 levels"},
        // Issue 5's limits: non-JSON numbers, huge values and arrays, duplicates, deep nesting and
        // wrong types all name the field, the element of an array included.
        Rejection{R"J({"problem": {"name": "booth"}, "start": [1, NaN], "steps": 1, "optimizers": [{"name": "sgd"}]})J", "start[1]: invalid JSON"},
        Rejection{R"J({"problem": {"name": "booth"}, "start": [Infinity, 1], "steps": 1, "optimizers": [{"name": "sgd"}]})J", "start[0]: invalid JSON"},
        Rejection{R"J({"problem": {"name": "booth", "noise": -Infinity}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.noise: invalid JSON"},
        Rejection{with_optimizer(R"J({"name": "adam", "betas": [0.9, NaN]})J"), "optimizers[0].betas[1]: invalid JSON"},
        Rejection{R"J({"problem": {"name": "booth"}, "start": [1, 1e999], "steps": 1, "optimizers": [{"name": "sgd"}]})J", "start[1]: number out of range"},
        Rejection{R"J({"problem": {"name": "booth"}, "start": [-1e999, 1], "steps": 1, "optimizers": [{"name": "sgd"}]})J", "start[0]: number out of range"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1e999, "optimizers": [{"name": "sgd"}]})J", "steps: number out of range"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "seed": 18446744073709551616})J", "seed: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "steps": 2, "optimizers": [{"name": "sgd"}]})J", "steps: duplicate key"},
        Rejection{R"J({"problem": {"name": "booth", "name": "beale"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.name: duplicate key"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": {"xmin": 1, "xmin": 2}})J", "view.xmin: duplicate key"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": )J" + std::string(70, '[') +
                      std::string(70, ']') + "}", "spec: nested deeper than 64 levels"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "seed": "7"})J", "seed: expected a whole number"},
        Rejection{R"J({"problem": {"name": "booth", "noise": "big"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.noise: expected a number, got string"},
        Rejection{R"J({"problem": {"expr": 3}, "steps": 1, "optimizers": [{"name": "sgd"}]})J", "problem.expr: expected a formula string"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": {"name": "sgd"}})J", "optimizers: expected a list of 1 to 8 optimizers, got object"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": [0, 1]})J", "view: expected an object"},
        // The page's rules for a view are the core's: all four numbers, a box that is not empty.
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": {"xmin": 0, "xmax": 1, "ymin": 0}})J", "view.ymax: required"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": {"xmin": 1, "xmax": 0, "ymin": 0, "ymax": 1}})J", "view: needs xmin < xmax and ymin < ymax"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "view": {"xmin": 0, "xmax": 1, "ymin": 2, "ymax": 2}})J", "view: needs xmin < xmax and ymin < ymax"},
        Rejection{with_optimizer(R"J({"name": "adam", "__proto__": {"lr": 9}})J"), "optimizers[0].__proto__: unknown hyperparameter"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "optimizers": [{"name": "sgd"}], "__proto__": {}})J", "__proto__: unknown field"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "start": [1, null], "optimizers": [{"name": "sgd"}]})J", "start[1]: expected a number, got null"},
        Rejection{with_optimizer(R"J({"name": "adam", "betas": 0.9})J"), "optimizers[0].betas: must be an array of 2 numbers"},
        Rejection{with_optimizer(R"J({"name": "adam", "betas": [0.9, 0.99, 0.999]})J"), "optimizers[0].betas: must be an array of 2 numbers"},
        Rejection{R"J({"problem": {"name": "booth"}, "steps": 1, "start": [)J" + ones(400000) + R"J(], "optimizers": [{"name": "sgd"}]})J",
                  "start: 400000 numbers"},
        Rejection{R"J({"problem": {"expr": ")J" + std::string(100000, 'x') + R"J("}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: formula too long: 100000 characters (limit 10000)"},
        Rejection{R"J({"problem": {"expr": ")J" + std::string(100000, '(') + "x" + std::string(100000, ')') +
                      R"J("}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: formula too long"},
        Rejection{R"J({"problem": {"expr": ")J" + std::string(300, '(') + "x" + std::string(300, ')') +
                      R"J("}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: formula nested too deeply at column 257 (limit 256)"},
        Rejection{R"J({"problem": {"expr": "x + 1e999"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J",
                  "problem.expr: number out of range at column 5"}),
    [](const ::testing::TestParamInfo<Rejection>& info) { return "Case" + std::to_string(info.index); });

TEST(Spec, AcceptsTheExampleOfExperimentMd) {
  const Spec spec = parse_spec(R"J({
    "problem":    {"name": "rosenbrock"},
    "start":      [-1.5, 2.0],
    "steps":      200,
    "seed":       0,
    "optimizers": [
      {"name": "adam", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0, "amsgrad": false},
      {"name": "sgd",  "lr": 0.001, "momentum": 0.9, "nesterov": true, "label": "Nesterov"}
    ]})J");
  EXPECT_EQ(spec.steps, 200);
  ASSERT_EQ(spec.runs.size(), 2u);
  EXPECT_EQ(spec.runs[0].label, "adam");
  EXPECT_EQ(spec.runs[1].label, "Nesterov");
  EXPECT_EQ(spec.runs[1].optimizer.name(), "sgd");
  ASSERT_TRUE(spec.start.has_value());
  EXPECT_EQ((*spec.start)[0], -1.5);
}

TEST(Spec, AcceptsWholeFloatStepsAndThePageFields) {
  const Spec spec = parse_spec(R"J({"problem": {"expr": "x^2 + y^2", "noise": 0.5}, "steps": 20.0, "seed": 7,
    "view": {"xmin": -1, "xmax": 1, "ymin": -1, "ymax": 1},
    "optimizers": [{"name": "sgd", "lr": 0.1, "color": "#0072b2"}]})J");
  EXPECT_EQ(spec.steps, 20);
  EXPECT_EQ(spec.seed, 7u);
}

TEST(Spec, StartDefaultsToTheProblemsDefault) {
  const Spec spec = parse_spec(R"J({"problem": {"name": "rosenbrock"}, "steps": 0, "optimizers": [{"name": "sgd"}]})J");
  const auto problem = make_problem(spec);
  EXPECT_EQ(start_point(spec, *problem), problem->default_start());
}

// A label's limit counts characters, not bytes: 200 two-byte letters are fine, 201 are not.
TEST(Spec, LabelLimitCountsCharactersNotBytes) {
  std::string e200, e201;
  for (int i = 0; i < 200; ++i) e200 += "\xc3\xa9";  // U+00E9, two bytes in UTF-8
  e201 = e200 + "\xc3\xa9";
  EXPECT_EQ(error_of(with_optimizer(R"J({"name": "adam", "label": ")J" + e200 + "\"}")), "(accepted)");
  EXPECT_EQ(error_of(with_optimizer(R"J({"name": "adam", "label": ")J" + e201 + "\"}")),
            "optimizers[0].label: longer than 200 characters");
}

// The spec reader builds the problem to validate it and hands that one on: a formula is parsed
// once for parse_spec + a session or a run, not once per check.
TEST(Spec, FormulaIsParsedOncePerSpec) {
  const std::string text =
      R"J({"problem": {"expr": "(1-x)^2 + 100*(y-x^2)^2"}, "steps": 5, "optimizers": [{"name": "adam"}]})J";
  long before = Expression::parse_count();
  Session session(parse_spec(text));
  EXPECT_EQ(Expression::parse_count() - before, 1);
  EXPECT_EQ(session.step_count(), 5);

  before = Expression::parse_count();
  const Spec spec = parse_spec(text);
  const ExperimentResult result = run_experiment(spec);
  EXPECT_EQ(Expression::parse_count() - before, 1);
  ASSERT_EQ(result.runs.size(), 1u);
  // A second run of the same spec builds its own problem: the built one is handed on only once.
  run_experiment(spec);
  EXPECT_EQ(Expression::parse_count() - before, 2);
}

// A spec changed after it was read never gets the problem built for what it said before.
TEST(Spec, ChangedProblemIsBuiltAnew) {
  Spec spec = parse_spec(R"J({"problem": {"expr": "x^2 + y^2"}, "steps": 0, "optimizers": [{"name": "sgd"}]})J");
  spec.problem = nlohmann::json{{"expr", "x^2 + 2*y^2"}};
  const auto problem = make_problem(spec);
  EXPECT_EQ(problem->loss(Eigen::Vector2d(1.0, 1.0)), 3.0);
}

// A spec over the size limit is refused before it is parsed, naming the limit.
TEST(Spec, OversizedTextIsRefusedNamingTheLimit) {
  std::string huge = "[";
  huge.reserve(10 * 1024 * 1024 + 8);
  while (huge.size() < 10u * 1024 * 1024) huge += "{},";
  huge += "{}]";
  EXPECT_EQ(error_of(huge), "spec: " + std::to_string(huge.size()) + " bytes, more than the limit of 1000000 bytes");
  EXPECT_EQ(kMaxSpecBytes, 1000000);
}

// Parsing is linear in the text: 300,000 objects (900 KB, under the limit) are read at once. With
// nlohmann's callback parser this took minutes (each object rescanned its parent); the watchdog
// only catches such a gross hang, it does not time the parse.
TEST(Spec, ManySmallObjectsParseInLinearTime) {
  std::string text = "[";
  for (int i = 0; i < 300000; ++i) text += i ? ",{}" : "{}";
  text += "]";
  ASSERT_LT(text.size(), static_cast<std::size_t>(kMaxSpecBytes));
  auto parsed = std::async(std::launch::async, [&] { return parse_json(text).size(); });
  ASSERT_EQ(parsed.wait_for(std::chrono::seconds(60)), std::future_status::ready) << "parse_json hung";
  EXPECT_EQ(parsed.get(), 300000u);
  // Still one pass of checks: a duplicate key deep inside is found and named.
  EXPECT_EQ(error_of(R"J({"problem": {"name": "booth", "name": "beale"}, "steps": 1, "optimizers": [{"name": "sgd"}]})J"),
            "problem.name: duplicate key");
}

}  // namespace
}  // namespace optlab
