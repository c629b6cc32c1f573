// Schedulers at the spec boundary: what is rejected and how the error names the field, the lr in
// the result, and the scheduler's state surviving a session's step-back.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "optim/scheduler.h"
#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

std::string spec_with(const std::string& optimizer, const std::string& scheduler, int steps = 10) {
  return R"({"problem": {"name": "quadratic"}, "steps": )" + std::to_string(steps) + R"(, "optimizers": [)" +
         optimizer.substr(0, optimizer.size() - 1) + R"(, "scheduler": )" + scheduler + "}]}";
}

std::string rejection(const std::string& text) {
  try {
    parse_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string rejection_of(const std::string& scheduler, const std::string& optimizer = R"({"name": "sgd", "lr": 0.1})") {
  return rejection(spec_with(optimizer, scheduler));
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

TEST(Scheduler, UnknownNamesAndArgumentsNameTheField) {
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "step"})"),
                          "optimizers[0].scheduler.name: unknown scheduler 'step' (expected one of step_lr, "))
      << rejection_of(R"({"name": "step"})");
  EXPECT_EQ(rejection_of(R"({"name": "step_lr", "step_size": 3, "gama": 0.5})"),
            "optimizers[0].scheduler.gama: unknown argument for step_lr (expected one of step_size, gamma)");
  EXPECT_EQ(rejection_of(R"({"name": "cosine_annealing_lr"})"), "optimizers[0].scheduler.T_max: required");
  EXPECT_TRUE(starts_with(rejection_of(R"({"step_size": 3})"), "optimizers[0].scheduler.name: missing"));
  EXPECT_TRUE(starts_with(rejection_of(R"("step_lr")"), "optimizers[0].scheduler.name: a scheduler is a JSON object"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.1, "scale_fn": 1})"),
                          "optimizers[0].scheduler.scale_fn: unknown argument for cyclic_lr"));
}

TEST(Scheduler, ZeroOrNegativePeriodsAreRejected) {
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "step_lr", "step_size": 0})"),
                          "optimizers[0].scheduler.step_size: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cosine_annealing_lr", "T_max": -3})"),
                          "optimizers[0].scheduler.T_max: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cosine_annealing_warm_restarts", "T_0": 2.5})"),
                          "optimizers[0].scheduler.T_0: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cosine_annealing_warm_restarts", "T_0": 2, "T_mult": 0})"),
                          "optimizers[0].scheduler.T_mult: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "linear_lr", "total_iters": 0})"),
                          "optimizers[0].scheduler.total_iters: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.1, "step_size_down": 0})"),
                          "optimizers[0].scheduler.step_size_down: expected a whole number from 1"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "reduce_lr_on_plateau", "patience": -1})"),
                          "optimizers[0].scheduler.patience: expected a whole number from 0"));
}

TEST(Scheduler, MilestonesMustIncrease) {
  EXPECT_EQ(rejection_of(R"({"name": "multi_step_lr", "milestones": [5, 3]})"),
            "optimizers[0].scheduler.milestones[1]: milestones must increase, got 3 after 5");
  EXPECT_EQ(rejection_of(R"({"name": "multi_step_lr", "milestones": [4, 4]})"),
            "optimizers[0].scheduler.milestones[1]: milestones must increase, got 4 after 4");
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "multi_step_lr", "milestones": 5})"),
                          "optimizers[0].scheduler.milestones: expected a list"));
  EXPECT_TRUE(starts_with(
      rejection_of(R"({"name": "sequential_lr", "milestones": [6, 2], "schedulers": [{"name": "constant_lr"},
                      {"name": "constant_lr"}, {"name": "constant_lr"}]})"),
      "optimizers[0].scheduler.milestones[1]: milestones must increase"));
}

TEST(Scheduler, TorchRejectionsNameTheField) {
  EXPECT_EQ(rejection_of(R"({"name": "linear_lr", "start_factor": 0})"),
            "optimizers[0].scheduler.start_factor: Starting multiplicative factor expected to be greater than 0 and "
            "less or equal to 1.");
  EXPECT_EQ(rejection_of(R"({"name": "constant_lr", "factor": 1.5})"),
            "optimizers[0].scheduler.factor: Constant multiplicative factor expected to be between 0 and 1.");
  EXPECT_EQ(rejection_of(R"({"name": "reduce_lr_on_plateau", "factor": 1})"),
            "optimizers[0].scheduler.factor: Factor should be < 1.0.");
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "reduce_lr_on_plateau", "mode": "lowest"})"),
                          "optimizers[0].scheduler.mode: expected one of min, max"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "anneal_strategy": "cosine"})"),
                          "optimizers[0].scheduler.anneal_strategy: expected one of cos, linear"));
  EXPECT_EQ(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "pct_start": 1.5})"),
            "optimizers[0].scheduler.pct_start: Expected float between 0 and 1 pct_start, but got 1.5");
  // Momentum is cycled by default: Adagrad has neither momentum nor betas.
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.1})",
                                       R"({"name": "adagrad", "lr": 0.1})"),
                          "optimizers[0].scheduler.cycle_momentum: optimizer must support momentum or beta1"));
  EXPECT_EQ(rejection(spec_with(R"({"name": "adagrad", "lr": 0.1})",
                                R"({"name": "cyclic_lr", "base_lr": 0.01, "max_lr": 0.1, "cycle_momentum": false})")),
            "(accepted)");
}

TEST(Scheduler, ErrorsTorchRaisesOnlyWhileSteppingAreReportedBeforeRunning) {
  // one_cycle_lr's total_steps below the run's steps: torch fails at step total_steps + 1.
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "total_steps": 5})"),
                          "optimizers[0].scheduler.total_steps: 5 is below the experiment's steps (10)"));
  EXPECT_EQ(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "total_steps": 10})"), "(accepted)");
  // pct_start * total_steps = 1: torch's first phase has no steps (ZeroDivisionError in torch).
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "pct_start": 0.1})"),
                          "optimizers[0].scheduler.pct_start: float division by zero"));
  // Inside sequential_lr, one_cycle_lr stepped past its total_steps.
  EXPECT_TRUE(starts_with(
      rejection_of(R"({"name": "sequential_lr", "milestones": [8], "schedulers": [
                      {"name": "one_cycle_lr", "max_lr": 0.1, "total_steps": 6}, {"name": "constant_lr"}]})"),
      "optimizers[0].scheduler.total_steps: Tried to step 7 times. The specified number of total steps is 6"));
}

TEST(Scheduler, SequentialRejectionsNameTheChild) {
  EXPECT_EQ(rejection_of(R"({"name": "sequential_lr", "milestones": [3], "schedulers": [
                            {"name": "constant_lr"}, {"name": "exponential_lr"}]})"),
            "optimizers[0].scheduler.schedulers[1].gamma: required");
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "sequential_lr", "milestones": [3, 5], "schedulers": [
                                           {"name": "constant_lr"}, {"name": "constant_lr"}]})"),
                          "optimizers[0].scheduler.milestones: Sequential Schedulers expects number of schedulers"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "sequential_lr", "milestones": [3], "schedulers": [
                                           {"name": "constant_lr"}, {"name": "reduce_lr_on_plateau"}]})"),
                          "optimizers[0].scheduler.schedulers[1].name: SequentialLR does not support"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "sequential_lr", "milestones": [], "schedulers": [
                                           {"name": "sequential_lr", "milestones": [], "schedulers": [{"name": "constant_lr"}]}]})"),
                          "optimizers[0].scheduler.schedulers[0].name: sequential_lr cannot be nested"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "sequential_lr", "milestones": [], "schedulers": []})"),
                          "optimizers[0].scheduler.schedulers: SequentialLR expects at least one scheduler"));
}

TEST(Scheduler, NanAndNonNumbersAreRejectedNamingTheField) {
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "exponential_lr", "gamma": NaN})"),
                          "optimizers[0].scheduler.gamma: invalid JSON"))
      << rejection_of(R"({"name": "exponential_lr", "gamma": NaN})");
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "exponential_lr", "gamma": "0.9"})"),
                          "optimizers[0].scheduler.gamma: "));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "exponential_lr", "gamma": 1e999})"),
                          "optimizers[0].scheduler.gamma: number out of range"));
  EXPECT_TRUE(starts_with(rejection_of(R"({"name": "one_cycle_lr", "max_lr": 0.1, "three_phase": 1})"),
                          "optimizers[0].scheduler.three_phase: must be true or false"));
}

TEST(Scheduler, ResultCarriesStepsPlusOneLrsOnlyForScheduledRuns) {
  const std::string text = R"({"problem": {"name": "quadratic"}, "steps": 6, "optimizers": [
      {"name": "sgd", "lr": 0.1, "scheduler": {"name": "step_lr", "step_size": 2, "gamma": 0.5}},
      {"name": "sgd", "lr": 0.1}]})";
  const json result = json::parse(result_to_json(run_experiment(parse_spec(text))));
  const json want = {0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125};
  EXPECT_EQ(result["runs"][0]["lr"], want);
  EXPECT_FALSE(result["runs"][1].contains("lr"));
}

TEST(Scheduler, StepBackInASessionReplaysTheScheduleExactly) {
  const std::string text = R"({"problem": {"name": "quadratic"}, "steps": 30, "optimizers": [
      {"name": "sgd", "lr": 0.2, "scheduler": {"name": "reduce_lr_on_plateau", "patience": 2, "factor": 0.5}},
      {"name": "adam", "lr": 0.1, "scheduler": {"name": "one_cycle_lr", "max_lr": 0.2, "total_steps": 40}}]})";
  const json result = json::parse(result_to_json(run_experiment(parse_spec(text))));
  Session s(parse_spec(text));
  s.back(13);
  s.step_by(13);
  for (int i = 0; i < 2; ++i) {
    const auto& lr = s.history(i).lr;
    ASSERT_EQ(lr.size(), 31u);
    for (std::size_t k = 0; k < lr.size(); ++k) EXPECT_EQ(lr[k], result["runs"][i]["lr"][k].get<double>()) << i << " " << k;
    EXPECT_EQ(s.state(i).optimizer.lr(), lr.back());
  }
}

TEST(Scheduler, CatalogListsEverySchedulerWithItsArguments) {
  const json catalog = scheduler_catalog();
  ASSERT_EQ(catalog.size(), scheduler_names().size());
  EXPECT_EQ(catalog.size(), 12u);
  for (const auto& entry : catalog) {
    EXPECT_FALSE(entry["description"].get<std::string>().empty());
    for (const auto& arg : entry["arguments"]) {
      // A default the page can put in its form must be accepted as written.
      if (arg["default"].is_null() || arg["kind"] == "schedulers") continue;
      json scheduler = {{"name", entry["name"]}, {arg["name"].get<std::string>(), arg["default"]}};
      for (const auto& other : entry["arguments"])
        if (other["required"].get<bool>() && other["name"] != arg["name"])
          scheduler[other["name"].get<std::string>()] = other["kind"] == "milestones" ? json::array({5}) : json(0.1);
      if (entry["name"] == "sequential_lr") continue;
      if (scheduler.contains("T_max")) scheduler["T_max"] = 5;
      if (scheduler.contains("T_0")) scheduler["T_0"] = 5;
      if (scheduler.contains("step_size")) scheduler["step_size"] = 5;
      json optimizer = {{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}, {"scheduler", scheduler}};
      json spec = {{"problem", {{"name", "quadratic"}}}, {"steps", 10}, {"optimizers", {optimizer}}};
      EXPECT_NO_THROW(spec_from_json(spec)) << spec.dump();
    }
  }
}


// A session may step beyond the spec's steps; one_cycle_lr then fails as torch does, and every
// run stays at the last step it reached.
TEST(Scheduler, SessionSteppingPastOneCycleTotalStepsFailsAndKeepsEveryRun) {
  Session s(parse_spec(R"({"problem": {"name": "quadratic"}, "steps": 5, "optimizers": [
      {"name": "sgd", "lr": 0.1},
      {"name": "sgd", "lr": 0.1, "momentum": 0.9, "scheduler": {"name": "one_cycle_lr", "max_lr": 0.2}}]})"));
  try {
    s.step_by(1);
    ADD_FAILURE() << "stepped past total_steps";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "optimizers[1].scheduler.total_steps: Tried to step 6 times. The specified number of total steps is 5");
  }
  EXPECT_EQ(s.step_count(), 5);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(s.state(i).step, 5) << i;
    EXPECT_EQ(s.history(i).size(), 6) << i;
  }
}

}  // namespace
}  // namespace optlab


namespace optlab {
namespace {

TEST(Scheduler, InternalsShowTheLrAndTheSchedulersState) {
  Session s(parse_spec(R"({"problem": {"name": "quadratic"}, "start": [-1.5, 0.5], "steps": 12, "optimizers": [
      {"name": "sgd", "lr": 0.2, "scheduler": {"name": "reduce_lr_on_plateau", "patience": 2, "factor": 0.5,
                                               "threshold": 0.01}},
      {"name": "adam", "lr": 0.1, "scheduler": {"name": "one_cycle_lr", "max_lr": 0.2, "total_steps": 20}},
      {"name": "adam", "lr": 0.1}]})"));
  const json plateau = run_internals(s, 0);
  EXPECT_EQ(plateau["lr"].get<double>(), s.history(0).lr.back());
  EXPECT_EQ(plateau["scheduler"]["name"], "reduce_lr_on_plateau");
  EXPECT_EQ(plateau["scheduler"]["cooldown"], 0);  // defaults filled in
  EXPECT_EQ(plateau["scheduler_state"]["last_epoch"], 12);
  EXPECT_TRUE(plateau["scheduler_state"]["best"].is_number());
  EXPECT_LE(plateau["scheduler_state"]["num_bad_epochs"].get<long>(), 2);
  const json cycle = run_internals(s, 1);
  EXPECT_EQ(cycle["scheduler_state"]["phase"], 1);  // step 13 of 20 is past the warm-up (6 steps)
  EXPECT_EQ(cycle["scheduler"]["total_steps"], 20);
  EXPECT_FALSE(run_internals(s, 2).contains("scheduler"));
}

}  // namespace
}  // namespace optlab
