// The momentum phase diagram (runner/momentum_phase.h): the class the eigenvalues predict is what
// iterating the quadratic shows, and the matrix is torch's SGD (the core's optimizer) on it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "optim/optimizer.h"
#include "runner/momentum_phase.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

// What 2000 steps of the iteration on (x, lr·v) from (1, 0) show, renormalising the state every step
// (so neither underflow nor overflow hides the behaviour): the growth rate per step over the last
// 1000 steps, and whether x changed sign there.
struct Observed {
  double rate;
  bool sign_changes;
};

Observed iterate(double h, double beta, bool nesterov) {
  const std::array<double, 4> m = momentum_matrix(h, beta, nesterov);
  double x = 1, u = 0, log_growth = 0;
  bool flips = false;
  for (int k = 1; k <= 2000; ++k) {
    const double nx = m[0] * x + m[1] * u, nu = m[2] * x + m[3] * u;
    const double norm = std::hypot(nx, nu);
    if (k > 1000) {
      log_growth += std::log(norm);
      if ((nx > 0) != (x > 0)) flips = true;
    }
    x = nx / norm;
    u = nu / norm;
  }
  return {std::exp(log_growth / 1000), flips};
}

// A sample far enough from the classes' boundaries for 1000 observed steps to decide it.
bool decidable(double h, double beta, bool nesterov) {
  const std::array<double, 4> m = momentum_matrix(h, beta, nesterov);
  const double t = m[0] + m[3], d = m[0] * m[3] - m[1] * m[2], disc = t * t / 4 - d;
  const PhasePoint p = momentum_phase(h, beta, nesterov);
  if (std::fabs(p.rate - 1) < 0.02 || p.rate < 1e-3) return false;
  if (disc < 0) return std::atan2(std::sqrt(-disc), t / 2) > 0.02;  // a turn visible within the window
  const double a = std::fabs(t / 2 + std::sqrt(disc)), b = std::fabs(t / 2 - std::sqrt(disc));
  return std::min(a, b) / std::max(a, b) < 0.98 && std::fabs(disc) > 1e-6;
}

TEST(MomentumPhase, PredictedClassIsWhatIteratingShows) {
  for (const bool nesterov : {false, true}) {
    int counts[3] = {0, 0, 0};
    for (int i = 0; i <= 80; ++i)
      for (int j = 0; j <= 40; ++j) {
        const double h = 4.0 * i / 80, beta = 0.99 * j / 40;
        if (!decidable(h, beta, nesterov)) continue;
        const PhasePoint p = momentum_phase(h, beta, nesterov);
        const Observed o = iterate(h, beta, nesterov);
        SCOPED_TRACE("h " + std::to_string(h) + " beta " + std::to_string(beta) + (nesterov ? " nesterov" : ""));
        EXPECT_NEAR(o.rate, p.rate, 0.01 * p.rate);
        const MomentumPhase seen = o.rate >= 1 ? MomentumPhase::Diverges
                                   : o.sign_changes ? MomentumPhase::Oscillates
                                                    : MomentumPhase::Monotone;
        EXPECT_EQ(static_cast<int>(seen), static_cast<int>(p.phase));
        counts[static_cast<int>(p.phase)]++;
      }
    // Every class is sampled many times.
    for (const int n : counts) EXPECT_GT(n, 100);
  }
}

TEST(MomentumPhase, WithoutMomentumTheClassesAreTheTextbookOnes) {
  // x' = (1 - h) x: monotone for h < 1, oscillating for 1 < h < 2, diverging for h > 2.
  EXPECT_EQ(momentum_phase(0.5, 0, false).phase, MomentumPhase::Monotone);
  EXPECT_DOUBLE_EQ(momentum_phase(0.5, 0, false).rate, 0.5);
  EXPECT_EQ(momentum_phase(1.5, 0, false).phase, MomentumPhase::Oscillates);
  EXPECT_DOUBLE_EQ(momentum_phase(1.5, 0, false).rate, 0.5);
  EXPECT_EQ(momentum_phase(2.5, 0, false).phase, MomentumPhase::Diverges);
  EXPECT_EQ(momentum_phase(1, 0, false).phase, MomentumPhase::Monotone);  // one step to the minimum
  // Momentum 0.9, small h: a complex pair of modulus sqrt(0.9).
  EXPECT_EQ(momentum_phase(0.1, 0.9, false).phase, MomentumPhase::Oscillates);
  EXPECT_DOUBLE_EQ(momentum_phase(0.1, 0.9, false).rate, std::sqrt(0.9));
}

// The matrix is torch's SGD: the core's optimizer (torch's rule, tested against torch elsewhere)
// stepping on f = λx²/2 gives the same x as the matrix acting on (x, lr·v).
TEST(MomentumPhase, MatrixIsTorchSgdOnAQuadratic) {
  for (const bool nesterov : {false, true})
    for (const double lambda : {0.5, 3.0})
      for (const double lr : {0.1, 0.45})
        for (const double beta : {0.3, 0.9}) {
          Optimizer opt = Optimizer::from_json(json{{"name", "sgd"}, {"lr", lr}, {"momentum", beta}, {"nesterov", nesterov}});
          Eigen::VectorXd x(1);
          x[0] = 1.0;
          const std::array<double, 4> m = momentum_matrix(lr * lambda, beta, nesterov);
          double mx = 1.0, mu = 0.0;
          for (int k = 0; k < 40; ++k) {
            Eigen::VectorXd g(1);
            g[0] = lambda * x[0];
            opt.step(x, g);
            const double nx = m[0] * mx + m[1] * mu, nu = m[2] * mx + m[3] * mu;
            mx = nx;
            mu = nu;
            EXPECT_NEAR(x[0], mx, 1e-12 * std::max(1.0, std::fabs(mx))) << "step " << k;
          }
        }
}

TEST(MomentumPhase, RequestGivesTheGridAndThePoints) {
  const json out = json::parse(momentum_phase_request_to_json(
      R"({"h": {"from": 0, "to": 4, "n": 5}, "beta": {"from": 0, "to": 0.5, "n": 3},
          "points": [{"lr": 0.1, "momentum": 0.9, "eigenvalues": [1, 10]}]})"));
  EXPECT_EQ(out["h"], json({0, 1, 2, 3, 4}));
  EXPECT_EQ(out["beta"], json({0, 0.25, 0.5}));
  ASSERT_EQ(out["phase"].size(), 15u);
  ASSERT_EQ(out["rate"].size(), 15u);
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 5; ++i) {
      const PhasePoint p = momentum_phase(out["h"][i], out["beta"][j], false);
      EXPECT_EQ(out["phase"][j * 5 + i], static_cast<int>(p.phase));
    }
  ASSERT_EQ(out["points"].size(), 1u);
  ASSERT_EQ(out["points"][0].size(), 2u);
  EXPECT_DOUBLE_EQ(out["points"][0][1]["h"].get<double>(), 1.0);
  EXPECT_EQ(out["points"][0][1]["beta"], 0.9);
  EXPECT_EQ(out["points"][0][1]["phase"], static_cast<int>(momentum_phase(1.0, 0.9, false).phase));
  EXPECT_EQ(out["phases"], json({"monotone", "oscillates", "diverges"}));
}

TEST(MomentumPhase, BadRequestsNameTheField) {
  auto error = [](const std::string& text) {
    try {
      momentum_phase_request_to_json(text);
    } catch (const SpecError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(error(R"({"beta": {"from": 0, "to": 1, "n": 2}})").rfind("h: required", 0), 0u);
  EXPECT_EQ(error(R"({"h": {"from": 0, "to": 1, "n": 0}, "beta": {"from": 0, "to": 1, "n": 2}})").rfind("h.n: ", 0), 0u);
  EXPECT_EQ(error(R"({"h": {"from": 0, "to": 1, "n": 2}, "beta": {"from": 0, "to": 1, "n": 2}, "points": [{"lr": 0.1, "momentum": 0.9}]})")
                .rfind("points[0].eigenvalues: required", 0), 0u);
  EXPECT_EQ(error(R"({"h": {"from": 0, "to": 1, "n": 2}, "beta": {"from": 0, "to": 1, "n": 2}, "extra": 1})").rfind("extra: unknown field", 0), 0u);
}

}  // namespace
}  // namespace optlab
