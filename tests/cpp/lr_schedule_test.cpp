// lr_schedule: the lr a schedule gives with no problem involved is the lr a run of it records; a
// schedule torch stops early says where and why; plateau is refused as loss-dependent; a Session's
// per-sample lr lines up with its samples, also past the window. And the catalog's examples build.
#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "optim/scheduler.h"
#include "runner/experiment.h"
#include "runner/lr_schedule.h"
#include "runner/network_view.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

json schedule(const json& optimizer, long steps) {
  return json::parse(lr_schedule_request_to_json(json{{"optimizer", optimizer}, {"steps", steps}}.dump()));
}

std::string rejection(const json& request) {
  try {
    lr_schedule_request_to_json(request.dump());
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

const char* kSchedules[] = {
    R"({"name": "step_lr", "step_size": 7, "gamma": 0.5})",
    R"({"name": "multi_step_lr", "milestones": [3, 11]})",
    R"({"name": "exponential_lr", "gamma": 0.9})",
    R"({"name": "cosine_annealing_lr", "T_max": 12, "eta_min": 0.001})",
    R"({"name": "cosine_annealing_warm_restarts", "T_0": 5, "T_mult": 2})",
    R"({"name": "linear_lr", "start_factor": 0.1, "total_iters": 8})",
    R"({"name": "polynomial_lr", "total_iters": 20, "power": 2})",
    R"({"name": "one_cycle_lr", "max_lr": 0.05, "total_steps": 30})",
    R"({"name": "cyclic_lr", "base_lr": 0.001, "max_lr": 0.05, "step_size_up": 4})",
    R"({"name": "sequential_lr", "milestones": [5], "schedulers": [{"name": "linear_lr", "start_factor": 0.2,
        "total_iters": 5}, {"name": "cosine_annealing_lr", "T_max": 25}]})",
};

TEST(LrSchedule, EqualsTheLrARunRecords) {
  for (const char* text : kSchedules) {
    const json optimizer = {{"name", "sgd"}, {"lr", 0.02}, {"momentum", 0.9}, {"scheduler", json::parse(text)}};
    const json spec = {{"problem", {{"name", "quadratic"}}}, {"steps", 30}, {"optimizers", {optimizer}}};
    const json result = json::parse(result_to_json(run_experiment(parse_spec(spec.dump()))));
    const json s = schedule(optimizer, 30);
    ASSERT_EQ(result["runs"][0]["status"], "ok") << text;  // a whole run to compare with
    EXPECT_EQ(s["lr"], result["runs"][0]["lr"]) << text;
    EXPECT_FALSE(s["depends_on_loss"].get<bool>());
    EXPECT_TRUE(s["stopped"].is_null()) << text;
    // Not a constant: the comparison above is of a schedule that moves.
    EXPECT_NE(s["lr"].front(), s["lr"][20]) << text;
  }
}

TEST(LrSchedule, NoSchedulerIsTheConstantLr) {
  const json s = schedule({{"name", "adam"}, {"lr", 0.03}}, 4);
  EXPECT_EQ(s["lr"], json({0.03, 0.03, 0.03, 0.03, 0.03}));
}

TEST(LrSchedule, OneCyclePastTotalStepsStopsWithTorchsMessage) {
  const json s = schedule({{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9},
                           {"scheduler", {{"name", "one_cycle_lr"}, {"max_lr", 1.0}, {"total_steps", 10}}}}, 40);
  ASSERT_FALSE(s["stopped"].is_null());
  EXPECT_EQ(s["stopped"]["step"], 11);
  EXPECT_EQ(s["lr"].size(), 11u);
  EXPECT_EQ(s["stopped"]["message"].get<std::string>().rfind("optimizer.scheduler.", 0), 0u) << s["stopped"];
}

TEST(LrSchedule, PlateauDependsOnTheLoss) {
  const json s = schedule({{"name", "sgd"}, {"lr", 0.1}, {"scheduler", {{"name", "reduce_lr_on_plateau"}}}}, 50);
  EXPECT_TRUE(s["depends_on_loss"].get<bool>());
  EXPECT_EQ(s["lr"], json({0.1}));
}

TEST(LrSchedule, BadRequestsNameTheField) {
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}, {"scheduler", {{"name", "step_lr"}, {"step_size", 0}}}}}, {"steps", 5}})
                .rfind("optimizer.scheduler.step_size: ", 0), 0u);
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}, {"scheduler", {{"name", "multi_step_lr"}, {"milestones", {5, 3}}}}}},
                       {"steps", 5}}).rfind("optimizer.scheduler.milestones[1]: milestones must increase", 0), 0u);
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}}}, {"steps", -1}}).rfind("steps: ", 0), 0u);
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}}}, {"steps", 1.5}}).rfind("steps: ", 0), 0u);
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}}}}), "steps: missing");
  EXPECT_EQ(rejection({{"steps", 3}}), "optimizer: missing");
  EXPECT_EQ(rejection({{"optimizer", {{"name", "sgd"}}}, {"steps", 3}, {"stpes", 3}}).rfind("stpes: unknown field", 0), 0u);
}

TEST(LrSchedule, SessionSampleLrLinesUpWithTheSamples) {
  const json spec = {{"problem", {{"name", "quadratic"}}}, {"steps", 0},
                     {"optimizers", {{{"name", "sgd"}, {"lr", 0.01}, {"scheduler", {{"name", "step_lr"}, {"step_size", 1000}, {"gamma", 0.5}}}},
                                     {{"name", "sgd"}, {"lr", 0.02}}}}};
  Session s(parse_spec(spec.dump()));
  const long n = 3 * Session::kMaxWindow;  // past the window: thinned samples too
  s.step_by(n);
  const std::vector<double> steps = sample_steps(s, 0);
  const std::vector<double> lr = sample_lr(s, 0);
  ASSERT_EQ(lr.size(), steps.size());
  ASSERT_GT(s.thinned(0).steps().size(), 0u);
  for (std::size_t k = 0; k < lr.size(); ++k)
    EXPECT_DOUBLE_EQ(lr[k], 0.01 * std::pow(0.5, std::floor(steps[k] / 1000))) << "sample at step " << steps[k];
  for (double v : sample_lr(s, 1)) EXPECT_EQ(v, 0.02);
}

TEST(LrSchedule, SessionPlateauHasNoLrBeforeTheWindow) {
  const json spec = {{"problem", {{"name", "quadratic"}}}, {"steps", 0},
                     {"optimizers", {{{"name", "sgd"}, {"lr", 0.01}, {"scheduler", {{"name", "reduce_lr_on_plateau"}}}}}}};
  Session s(parse_spec(spec.dump()));
  s.step_by(3 * Session::kMaxWindow);
  const std::vector<double> lr = sample_lr(s, 0);
  const std::size_t older = s.thinned(0).steps().size();
  ASSERT_GT(older, 0u);
  EXPECT_TRUE(std::isnan(lr[0]));
  for (std::size_t k = older; k < lr.size(); ++k) EXPECT_TRUE(std::isfinite(lr[k]));
}

TEST(LrSchedule, CatalogExamplesBuild) {
  for (const json& entry : scheduler_catalog()) {
    json sched = {{"name", entry["name"]}};
    for (const json& arg : entry["arguments"])
      if (arg.contains("example")) sched[arg["name"].get<std::string>()] = arg["example"];
      else EXPECT_FALSE(arg["required"].get<bool>()) << entry["name"] << "." << arg["name"] << " has no example";
    const json s = schedule({{"name", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}, {"scheduler", sched}}, 200);
    EXPECT_TRUE(s["stopped"].is_null()) << sched;
  }
}

}  // namespace
}  // namespace optlab
