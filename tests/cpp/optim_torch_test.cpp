// Replays the torch.optim trajectories in tests/fixtures/torch_<name>.json (made by
// tests/tools/make_fixtures.py) and checks EVERY step's parameters to a relative 1e-9.
#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "optim/optimizer.h"
#include "optim/registry.h"

namespace optlab {
namespace {

constexpr double kRelativeTolerance = 1e-9;

// The gradients make_fixtures.py feeds torch, in the same operation order, so both sides
// give the optimizer the same bits.
Eigen::VectorXd rosenbrock_grad(double x, double y) {
  const double r = y - x * x;
  return Eigen::Vector2d(-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r);
}

Eigen::VectorXd beale_grad(double x, double y) {
  const double y2 = y * y;
  const double y3 = y2 * y;
  const double a = 1.5 - x + x * y;
  const double b = 2.25 - x + x * y2;
  const double c = 2.625 - x + x * y3;
  return Eigen::Vector2d(2.0 * a * (y - 1.0) + 2.0 * b * (y2 - 1.0) + 2.0 * c * (y3 - 1.0),
                         2.0 * a * x + 2.0 * b * (2.0 * x * y) + 2.0 * c * (3.0 * x * y2));
}

Eigen::VectorXd gradient(const std::string& function, const Eigen::VectorXd& p) {
  if (function == "rosenbrock") return rosenbrock_grad(p[0], p[1]);
  if (function == "beale") return beale_grad(p[0], p[1]);
  ADD_FAILURE() << "fixture names an unknown function " << function;
  return Eigen::VectorXd::Zero(p.size());
}

nlohmann::json load_fixture(const std::string& name) {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_" + name + ".json";
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "missing " << path << " (regenerate with /usr/bin/python3 tests/tools/make_fixtures.py)";
    return nullptr;
  }
  return nlohmann::json::parse(in);
}

Eigen::VectorXd point(const nlohmann::json& p) { return Eigen::Vector2d(p.at(0), p.at(1)); }

// Runs every case of one optimizer's fixture, stopping a case at its first step off torch.
void replay(const std::string& name) {
  const nlohmann::json fixture = load_fixture(name);
  if (fixture.is_null()) return;
  EXPECT_GE(fixture.at("cases").size(), 2u);
  double worst = 0;
  for (const auto& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    Optimizer optimizer = Optimizer::from_json(c.at("options"));
    const auto& expected = c.at("params");
    EXPECT_EQ(expected.size(), c.at("steps").get<std::size_t>() + 1) << label;
    Eigen::VectorXd params = point(c.at("start"));
    for (std::size_t k = 1; k < expected.size(); ++k) {
      optimizer.step(params, gradient(c.at("function"), params));
      const Eigen::VectorXd want = point(expected[k]);
      for (int i = 0; i < 2; ++i) {
        const double relative = std::abs(params[i] - want[i]) / std::abs(want[i]);
        worst = std::max(worst, relative);
        if (!(relative <= kRelativeTolerance)) {
          ADD_FAILURE() << name << " " << label << ": step " << k << " component " << i << ": got "
                        << params[i] << ", torch " << want[i];
          return;
        }
      }
      if (c.contains("ax")) {  // ASGD's averaged parameters, from its state
        Eigen::VectorXd ax;
        for (const auto& b : optimizer.state())
          if (b.name == "ax") ax = b.value;
        const Eigen::VectorXd want_ax = point(c.at("ax")[k]);
        for (int i = 0; i < 2; ++i)
          if (!(ax.size() == 2 && std::abs(ax[i] - want_ax[i]) <= kRelativeTolerance * std::abs(want_ax[i]))) {
            ADD_FAILURE() << name << " " << label << ": step " << k << " ax[" << i << "]: torch " << want_ax[i];
            return;
          }
      }
    }
  }
  std::printf("%s: largest relative difference from torch %.3g\n", name.c_str(), worst);
}

TEST(OptimTorch, Sgd_MatchesTorchEveryStep) { replay("sgd"); }
TEST(OptimTorch, Adagrad_MatchesTorchEveryStep) { replay("adagrad"); }
TEST(OptimTorch, Rmsprop_MatchesTorchEveryStep) { replay("rmsprop"); }
TEST(OptimTorch, Adam_MatchesTorchEveryStep) { replay("adam"); }
TEST(OptimTorch, Adamw_MatchesTorchEveryStep) { replay("adamw"); }
TEST(OptimTorch, Adamax_MatchesTorchEveryStep) { replay("adamax"); }
TEST(OptimTorch, Nadam_MatchesTorch2xEveryStep) { replay("nadam"); }
TEST(OptimTorch, Radam_MatchesTorchEveryStep) { replay("radam"); }
TEST(OptimTorch, Adadelta_MatchesTorchEveryStep) { replay("adadelta"); }
TEST(OptimTorch, Rprop_MatchesTorchEveryStep) { replay("rprop"); }
TEST(OptimTorch, Asgd_MatchesTorchEveryStep) { replay("asgd"); }

// A new optimizer in the registry needs its own fixture, and each fixture must exercise every
// torch hyperparameter at least once, or a wrong option would go unnoticed. (OptLab's own
// bias_correction is checked by hand computations in optim_test.cpp.)
TEST(OptimTorch, EveryRegisteredOptimizerHasFixturesCoveringEveryHyperparameter) {
  for (const auto& entry : optimizer_catalog()) {
    const std::string name = entry.at("name");
    const nlohmann::json fixture = load_fixture(name);
    if (fixture.is_null()) continue;
    EXPECT_EQ(fixture.at("header").at("generator"), "tests/tools/make_fixtures.py") << name;
    std::set<std::string> used;
    std::set<std::string> functions;
    for (const auto& c : fixture.at("cases")) {
      for (const auto& [key, value] : c.at("options").items()) used.insert(key);
      functions.insert(c.at("function").get<std::string>());
    }
    for (const auto& h : entry.at("hyperparameters")) {
      if (!h.value("torch", true)) continue;  // OptLab's own option: torch cannot make its fixture
      EXPECT_TRUE(used.count(h.at("name"))) << name << " fixture never sets " << h.at("name");
    }
    EXPECT_EQ(functions.size(), 2u) << name;
  }
}

// The check above is worth something only if the tolerance can catch a real mistake: torch
// 1.13's own NAdam (mu_t twice in mu_product_next) must fall outside it.
TEST(OptimTorch, ToleranceCatchesTorch113NadamMistake) {
  const nlohmann::json fixture = load_fixture("nadam");
  ASSERT_FALSE(fixture.is_null());
  const auto& c = fixture.at("cases").at(0);
  const Eigen::VectorXd want = point(c.at("params").at(2));
  // Two steps of the 1.13 rule by hand, from the fixture's start, with default options.
  const auto options = Optimizer::from_json(c.at("options")).options_json();
  const double lr = options.at("lr"), beta1 = options.at("betas")[0], beta2 = options.at("betas")[1];
  const double eps = options.at("eps"), psi = options.at("momentum_decay");
  Eigen::VectorXd p = point(c.at("start"));
  Eigen::VectorXd m = Eigen::VectorXd::Zero(2), v = Eigen::VectorXd::Zero(2);
  double product = 1;
  for (int t = 1; t <= 2; ++t) {
    const Eigen::VectorXd g = gradient(c.at("function"), p);
    const double mu = beta1 * (1 - 0.5 * std::pow(0.96, t * psi));
    const double mu_next = beta1 * (1 - 0.5 * std::pow(0.96, (t + 1) * psi));
    product *= mu;
    const double product_next_113 = product * mu * mu_next;  // the 1.13 mistake
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const double denom = std::sqrt(v[i] / (1 - std::pow(beta2, t))) + eps;
      p[i] -= lr * (1 - mu) / (1 - product) * g[i] / denom;
      p[i] -= lr * mu_next / (1 - product_next_113) * m[i] / denom;
    }
  }
  EXPECT_GT(std::abs(p[0] - want[0]) / std::abs(want[0]), kRelativeTolerance);
}

}  // namespace
}  // namespace optlab
