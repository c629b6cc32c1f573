// Replays tests/fixtures/torch_schedulers.json (made by tests/tools/make_scheduler_fixtures.py):
// each case is an experiment spec run through parse_spec and run_experiment, and EVERY step's
// params, loss and lr must equal torch's to a relative 1e-9.
#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "optim/scheduler.h"
#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace optlab {
namespace {

constexpr double kRelativeTolerance = 1e-9;

nlohmann::json load() {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_schedulers.json";
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "missing " << path << " (regenerate with /usr/bin/python3 tests/tools/make_scheduler_fixtures.py)";
    return nullptr;
  }
  return nlohmann::json::parse(in);
}

// |got - want| <= 1e-9 |scale|: scale is the value itself for lr and loss, and the point's largest
// component for params (a component torch leaves at 1e-17 instead of 0 is rounding, not a mistake).
bool close(double got, double want, double scale) { return std::abs(got - want) <= kRelativeTolerance * std::abs(scale); }
bool close(double got, double want) { return close(got, want, want); }
double scale_of(const nlohmann::json& point) {
  return std::max(std::abs(point[0].get<double>()), std::abs(point[1].get<double>()));
}

TEST(SchedulerTorch, EveryCaseMatchesTorchAtEveryStep) {
  const nlohmann::json fixture = load();
  ASSERT_FALSE(fixture.is_null());
  for (const auto& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    const nlohmann::json result = nlohmann::json::parse(result_to_json(run_experiment(spec_from_json(c.at("spec")))));
    const auto& run = result.at("runs").at(0);
    ASSERT_EQ(run.at("status"), "ok") << label;
    const auto& lr = run.at("lr");
    const auto& loss = run.at("loss");
    const auto& params = run.at("params");
    const std::size_t n = c.at("spec").at("steps").get<std::size_t>() + 1;
    ASSERT_EQ(lr.size(), n) << label;
    ASSERT_EQ(c.at("lr").size(), n) << label;
    for (std::size_t k = 0; k < n; ++k) {
      ASSERT_TRUE(close(lr[k], c.at("lr")[k])) << label << ": lr[" << k << "] " << lr[k] << ", torch " << c.at("lr")[k];
      ASSERT_TRUE(close(loss[k], c.at("loss")[k])) << label << ": loss[" << k << "] " << loss[k] << ", torch "
                                                   << c.at("loss")[k];
      for (int i = 0; i < 2; ++i)
        ASSERT_TRUE(close(params[k][i], c.at("params")[k][i], scale_of(c.at("params")[k])))
            << label << ": params[" << k << "][" << i << "] " << params[k][i] << ", torch " << c.at("params")[k][i];
    }
  }
}

// Every scheduler has a case, and every argument is set somewhere (or left to its default in a
// "-defaults" case), so a wrong default or a wrong rule cannot hide.
TEST(SchedulerTorch, FixturesCoverEverySchedulerAndArgument) {
  const nlohmann::json fixture = load();
  ASSERT_FALSE(fixture.is_null());
  std::set<std::string> seen;
  std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& s) {
    for (const auto& [key, value] : s.items()) seen.insert(s.at("name").get<std::string>() + "." + key);
    if (s.contains("schedulers"))
      for (const auto& child : s.at("schedulers")) visit(child);
  };
  for (const auto& c : fixture.at("cases")) visit(c.at("spec").at("optimizers").at(0).at("scheduler"));
  for (const auto& entry : scheduler_catalog()) {
    const std::string name = entry.at("name");
    EXPECT_TRUE(seen.count(name + ".name")) << name << " has no fixture";
    for (const auto& arg : entry.at("arguments")) {
      const std::string key = name + "." + arg.at("name").get<std::string>();
      // total_steps and step_size_down are also checked through their defaults (steps, step_size_up).
      EXPECT_TRUE(seen.count(key) || key == "cyclic_lr.step_size_down" || key == "one_cycle_lr.total_steps" ||
                  key == "sequential_lr.milestones")
          << key << " is never set by a fixture";
    }
  }
}

// The fixture's own check: a run without the scheduler takes other steps, so the lr matters.
TEST(SchedulerTorch, TheScheduleChangesTheTrajectory) {
  const nlohmann::json fixture = load();
  ASSERT_FALSE(fixture.is_null());
  nlohmann::json spec = fixture.at("cases").at(0).at("spec");
  spec["optimizers"][0].erase("scheduler");
  const nlohmann::json result = nlohmann::json::parse(result_to_json(run_experiment(spec_from_json(spec))));
  EXPECT_FALSE(result.at("runs").at(0).contains("lr"));  // no scheduler: no lr field
  const double last = result.at("runs").at(0).at("loss").back();
  EXPECT_FALSE(close(last, fixture.at("cases").at(0).at("loss").back()));
}

}  // namespace
}  // namespace optlab
