// Hyperparameters changed "from here" (an optimizer entry's "changes", docs/spec/experiment.md):
// tests/fixtures/torch_changes.json (made by tests/tools/make_changes_fixtures.py, torch editing
// param_groups between steps) replayed through parse_spec and run_experiment, EVERY step's params,
// loss and lr to a relative 1e-9; the Session honours the changes through Back, goTo and replays;
// and bad changes are errors naming the field.
#include <cmath>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;
constexpr double kRelativeTolerance = 1e-9;

json load() {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_changes.json";
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "missing " << path << " (regenerate with /usr/bin/python3 tests/tools/make_changes_fixtures.py)";
    return nullptr;
  }
  return json::parse(in);
}

bool close(double got, double want, double scale) { return std::abs(got - want) <= kRelativeTolerance * std::abs(scale); }
double scale_of(const json& point) { return std::max(std::abs(point[0].get<double>()), std::abs(point[1].get<double>())); }

json run_json(const json& spec) { return json::parse(result_to_json(run_experiment(spec_from_json(spec)))); }

bool changes_lr(const json& entry) {
  if (entry.contains("scheduler")) return true;
  for (const auto& c : entry.at("changes"))
    if (c.contains("lr")) return true;
  return false;
}

TEST(ChangesTorch, EveryCaseMatchesTorchAtEveryStep) {
  const json fixture = load();
  ASSERT_FALSE(fixture.is_null());
  ASSERT_GE(fixture.at("cases").size(), 10u);
  for (const auto& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    const json run = run_json(c.at("spec")).at("runs").at(0);
    ASSERT_EQ(run.at("status"), "ok") << label;
    const std::size_t n = c.at("spec").at("steps").get<std::size_t>() + 1;
    const auto& loss = run.at("loss");
    const auto& params = run.at("params");
    ASSERT_EQ(loss.size(), n) << label;
    // lr is in the result when it can vary: a scheduler or a change of lr.
    ASSERT_EQ(run.contains("lr"), changes_lr(c.at("spec").at("optimizers").at(0))) << label;
    for (std::size_t k = 0; k < n; ++k) {
      if (run.contains("lr"))
        ASSERT_TRUE(close(run["lr"][k], c.at("lr")[k], c.at("lr")[k])) << label << ": lr[" << k << "] " << run["lr"][k]
                                                                         << ", torch " << c.at("lr")[k];
      ASSERT_TRUE(close(loss[k], c.at("loss")[k], c.at("loss")[k]))
          << label << ": loss[" << k << "] " << loss[k] << ", torch " << c.at("loss")[k];
      for (int i = 0; i < 2; ++i)
        ASSERT_TRUE(close(params[k][i], c.at("params")[k][i], scale_of(c.at("params")[k])))
            << label << ": params[" << k << "][" << i << "] " << params[k][i] << ", torch " << c.at("params")[k][i];
    }
  }
}

// The fixture's own check: the same spec without its changes takes the same steps up to the
// first change and others after it.
TEST(ChangesTorch, TheChangesChangeTheTrajectoryFromTheirStepOnly) {
  const json fixture = load();
  ASSERT_FALSE(fixture.is_null());
  for (const auto& c : fixture.at("cases")) {
    json spec = c.at("spec");
    const json changed = run_json(spec).at("runs").at(0).at("params");
    const long first = spec["optimizers"][0]["changes"][0]["step"];
    spec["optimizers"][0].erase("changes");
    const json plain = run_json(spec).at("runs").at(0).at("params");
    for (long k = 0; k <= first; ++k) EXPECT_EQ(plain[k], changed[k]) << c.at("case") << " step " << k;
    EXPECT_NE(plain.back(), changed.back()) << c.at("case");
  }
}

const char* kSession = R"J({"problem": {"name": "rosenbrock", "noise": 0.3}, "steps": 0, "seed": 4,
  "optimizers": [{"name": "adam", "lr": 0.05, "changes": [{"step": 70, "lr": 0.01, "betas": [0.8, 0.99]},
                                                           {"step": 150, "lr": 0.2}]},
                 {"name": "sgd", "lr": 0.0008, "changes": [{"step": 3, "momentum": 0.9}],
                  "scheduler": {"name": "step_lr", "step_size": 40, "gamma": 0.5}}]})J";

json with_steps(long steps) {
  json spec = json::parse(kSession);
  spec["steps"] = steps;
  return spec;
}

void expect_same_run(const Session& s, int i, const json& batch_run, long steps) {
  const History& h = s.history(i);
  ASSERT_EQ(h.first, 0);
  ASSERT_EQ(h.size(), steps + 1);
  for (long k = 0; k <= steps; ++k) {
    EXPECT_EQ(h.loss[static_cast<std::size_t>(k)], batch_run["loss"][k].get<double>()) << "run " << i << " step " << k;
    EXPECT_EQ(h.lr[static_cast<std::size_t>(k)], batch_run["lr"][k].get<double>()) << "run " << i << " step " << k;
  }
}

TEST(ChangesSession, StepsBackAndGoToReplayTheChangesExactly) {
  const json batch = run_json(with_steps(200));
  Session s(spec_from_json(with_steps(0)));
  s.step_by(200);
  for (int i = 0; i < 2; ++i) expect_same_run(s, i, batch["runs"][i], 200);
  // Back below both changes (past several checkpoints), then forward again.
  s.back(160);
  EXPECT_EQ(s.step_count(), 40);
  s.go_to(200);
  for (int i = 0; i < 2; ++i) expect_same_run(s, i, batch["runs"][i], 200);
  // A replay from step 0 (what goTo does below the window) and state_at agree too.
  s.reset();
  s.go_to(120);
  const RunState at = s.state_at(0, 100);
  EXPECT_EQ(at.loss, batch["runs"][0]["loss"][100].get<double>());
  EXPECT_EQ(at.optimizer.lr(), 0.01);  // the change at 70 is in force at 100
  s.go_to(70);
  EXPECT_EQ(s.state(0).optimizer.lr(), 0.01);  // applied on arriving at 70, before step 71
  s.go_to(69);
  EXPECT_EQ(s.state(0).optimizer.lr(), 0.05);
}

// The page's "Apply from here": set_optimizer with a change at the current step keeps the steps
// before it and continues as a fresh run of the same spec.
TEST(ChangesSession, SetOptimizerWithAChangeAtTheCurrentStepKeepsTheStepsBeforeIt) {
  json spec = with_steps(0);
  spec["optimizers"][0].erase("changes");
  Session s(spec_from_json(spec));
  s.step_by(90);
  const std::vector<double> before = s.history(0).loss;
  json entry = spec["optimizers"][0];
  entry["changes"] = json::array({{{"step", 90}, {"lr", 0.3}}});
  s.set_optimizer(0, parse_run(entry, "optimizers[0]", s.spec().steps));
  EXPECT_EQ(s.history(0).loss, before);
  s.step_by(30);
  spec["optimizers"][0] = entry;
  spec["steps"] = 120;
  const json batch = run_json(spec);
  for (long k = 0; k <= 120; ++k)
    EXPECT_EQ(s.history(0).loss[static_cast<std::size_t>(k)], batch["runs"][0]["loss"][k].get<double>()) << k;
  EXPECT_NE(batch["runs"][0]["loss"][120].get<double>(), s.history(1).loss.back());
}

std::string error_of(const std::string& changes, const std::string& entry = R"("name": "sgd", "lr": 0.1)") {
  const std::string text = R"({"problem": {"name": "quadratic"}, "steps": 50, "optimizers": [{"name": "adam", "lr": 0.1}, {)" +
                           entry + R"(, "changes": )" + changes + "}]}";
  try {
    parse_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

void expect_error(const std::string& changes, const std::string& start, const std::string& entry = R"("name": "sgd", "lr": 0.1)") {
  const std::string message = error_of(changes, entry);
  EXPECT_EQ(message.rfind(start, 0), 0u) << changes << " gave: " << message;
}

TEST(ChangesSpec, BadChangesAreErrorsNamingTheField) {
  expect_error(R"({"step": 1})", "optimizers[1].changes: expected a list");
  expect_error(R"([3])", "optimizers[1].changes[0]: expected an object");
  expect_error(R"([{"lr": 0.1}])", "optimizers[1].changes[0].step: required");
  expect_error(R"([{"step": -1, "lr": 0.1}])", "optimizers[1].changes[0].step: ");
  expect_error(R"([{"step": 2.5, "lr": 0.1}])", "optimizers[1].changes[0].step: ");
  expect_error(R"([{"step": 1000000, "lr": 0.1}])", "optimizers[1].changes[0].step: ");
  expect_error(R"([{"step": 5, "lr": 0.1}, {"step": 5, "lr": 0.2}])", "optimizers[1].changes[1].step: 5 is not after");
  expect_error(R"([{"step": 5, "lr": 0.1}, {"step": 3, "lr": 0.2}])", "optimizers[1].changes[1].step: 3 is not after");
  expect_error(R"([{"step": 5}])", "optimizers[1].changes[0]: names no hyperparameter");
  expect_error(R"([{"step": 5, "lr": -1}])", "optimizers[1].changes[0].lr: Invalid learning rate: -1");
  expect_error(R"([{"step": 1, "lr": 0.1}, {"step": 5, "lr": NaN}])", "optimizers[1].changes[1].lr: ");
  expect_error(R"([{"step": 5, "lr": "fast"}])", "optimizers[1].changes[0].lr: ");
  expect_error(R"([{"step": 5, "betas": [0.9, 0.9]}])", "optimizers[1].changes[0].betas: unknown hyperparameter for sgd");
  expect_error(R"([{"step": 5, "label": "x"}])", "optimizers[1].changes[0].label: not a hyperparameter");
  expect_error(R"([{"step": 5, "name": "adam"}])", "optimizers[1].changes[0].name: not a hyperparameter");
  expect_error(R"([{"step": 5, "nesterov": true}])", "optimizers[1].changes[0].nesterov: a flag is fixed");
  // The group as a whole must stay valid: nesterov needs momentum.
  expect_error(R"([{"step": 5, "momentum": 0}])", "optimizers[1].changes[0].nesterov: Nesterov momentum requires",
               R"("name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true)");
  expect_error(R"([{"step": 5, "betas": [0.9, 1.5]}])", "optimizers[1].changes[0].betas: Invalid beta parameter at index 1",
               R"("name": "adam")");
  expect_error(R"([{"step": 0, "initial_accumulator_value": 1}])", "optimizers[1].changes[0].initial_accumulator_value: ",
               R"("name": "adagrad")");
  // RMSprop's buffer exists only if the first step had momentum (torch: KeyError otherwise).
  expect_error(R"([{"step": 4, "momentum": 0.5}])", "optimizers[1].changes[0].momentum: this run took its first step with momentum 0",
               R"("name": "rmsprop")");
  EXPECT_EQ(error_of(R"([{"step": 0, "momentum": 0.5}, {"step": 4, "momentum": 0}, {"step": 8, "momentum": 0.9}])",
                     R"("name": "rmsprop")"),
            "(accepted)");
}

TEST(ChangesSpec, AChangeAtOrAfterTheStepsIsKeptButLeavesTheResult) {
  json spec = json::parse(R"({"problem": {"name": "quadratic"}, "steps": 20, "optimizers": [{"name": "sgd", "lr": 0.1}]})");
  const json plain = run_json(spec).at("runs").at(0);
  spec["optimizers"][0]["changes"] = json::array({{{"step", 20}, {"momentum", 0.9}}, {{"step", 500}, {"momentum", 0.5}}});
  const json changed = run_json(spec).at("runs").at(0);
  EXPECT_EQ(changed.at("params"), plain.at("params"));
}

}  // namespace
}  // namespace optlab
