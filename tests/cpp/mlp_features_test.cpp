// Tests of what a network sees (issue 17): input features (x1², x2², x1·x2, sin x1, sin x2) widen
// the input layer, the L1 penalty l1·Σ|w| over every parameter is in the loss and its gradient,
// both checked against hand formulas and central differences, and per-neuron activation grids.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "optim/optimizer.h"
#include "problems/mlp.h"

namespace optlab {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;

const json kPoints = {{0.3, -0.7}, {-1.1, 0.4}, {0.8, 0.9}, {-0.2, -0.5}, {1.4, -0.1}, {-0.6, 1.2}};
const json kLabels = {0, 1, 1, 0, 1, 0};

json spec(json features, double l1, json layers, std::string activation = "tanh") {
  json p = {{"name", "mlp"}, {"data", {{"x", kPoints}, {"y", kLabels}}}, {"layers", layers},
            {"activation", activation}, {"loss", "bce"}, {"init", {{"seed", 5}}}};
  if (!features.is_null()) p["features"] = features;
  if (l1 > 0) p["l1"] = l1;
  return p;
}

std::string error_of(const json& p) {
  try {
    make_mlp_problem(p, 0);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MlpFeatures, InputsAreX1X2ThenEachFeatureInOrder) {
  MatrixXd points(2, 2);
  points << 0.5, -2.0, 3.0, 0.25;
  const MatrixXd in = feature_inputs(points, {InputFeature::SinX2, InputFeature::X1Squared, InputFeature::X1X2,
                                              InputFeature::X2Squared, InputFeature::SinX1});
  ASSERT_EQ(in.cols(), 7);
  EXPECT_EQ(in(0, 0), 0.5);
  EXPECT_EQ(in(0, 1), -2.0);
  EXPECT_NEAR(in(0, 2), std::sin(-2.0), 1e-15);
  EXPECT_EQ(in(0, 3), 0.25);
  EXPECT_EQ(in(0, 4), -1.0);
  EXPECT_EQ(in(0, 5), 4.0);
  EXPECT_NEAR(in(1, 6), std::sin(3.0), 1e-15);
}

TEST(MlpFeatures, AFeatureNetEqualsAPlainNetOnTheWidenedPoints) {
  // The same weights on [x1, x2, x1*x2] by hand: a 3-input net whose first layer sees the product.
  auto with = make_mlp_problem(spec({"x1*x2"}, 0, {3, 4, 1}), 0);
  const VectorXd w = with->default_start();
  MatrixXd x(6, 2);
  for (int i = 0; i < 6; ++i) x.row(i) << kPoints[i][0].get<double>(), kPoints[i][1].get<double>();
  const MatrixXd in = feature_inputs(x, {InputFeature::X1X2});
  double loss = 0.0;
  for (int i = 0; i < 6; ++i) {
    double z = w[4 * 3 + 4 + 4];  // b2
    for (int o = 0; o < 4; ++o) {
      double a = w[12 + o];  // b1
      for (int k = 0; k < 3; ++k) a += w[o * 3 + k] * in(i, k);
      z += w[16 + o] * std::tanh(a);
    }
    const double y = kLabels[i];
    loss += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
  }
  EXPECT_NEAR(with->loss(w), loss / 6.0, 1e-14);
}

TEST(MlpFeatures, L1AddsTheSumOfAbsoluteValuesOfEveryParameter) {
  auto plain = make_mlp_problem(spec({"x1^2", "sin(x2)"}, 0, {4, 3, 1}), 0);
  auto l1 = make_mlp_problem(spec({"x1^2", "sin(x2)"}, 0.05, {4, 3, 1}), 0);
  VectorXd w = plain->default_start();
  w[3] = 0.0;  // a zero weight: its penalty gradient is 0 (torch's sgn)
  EXPECT_NEAR(l1->loss(w), plain->loss(w) + 0.05 * w.cwiseAbs().sum(), 1e-15);
  VectorXd g_plain, g_l1;
  plain->loss_and_grad(w, 0, g_plain);
  l1->loss_and_grad(w, 0, g_l1);
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    const double sign = w[i] > 0 ? 1.0 : w[i] < 0 ? -1.0 : 0.0;
    EXPECT_NEAR(g_l1[i], g_plain[i] + 0.05 * sign, 1e-15) << "parameter " << i;
  }
}

TEST(MlpFeatures, GradientsWithFeaturesAndL1MatchCentralDifferences) {
  const json all = {"x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"};
  for (const std::string activation : {"tanh", "relu", "sigmoid"}) {
    SCOPED_TRACE(activation);
    auto problem = make_mlp_problem(spec(all, 0.01, {7, 5, 3, 1}, activation), 0);
    const VectorXd x = problem->default_start();
    VectorXd grad;
    problem->loss_and_grad(x, 0, grad);
    double worst = 0.0;
    for (int i = 0; i < problem->dim(); ++i) {
      const double h = 1e-6;
      VectorXd up = x, down = x;
      up[i] += h;
      down[i] -= h;
      const double fd = (problem->loss(up) - problem->loss(down)) / (2.0 * h);
      worst = std::max(worst, std::abs(fd - grad[i]) / std::max(1.0, std::abs(grad[i])));
    }
    EXPECT_LT(worst, 1e-8);
  }
}

TEST(MlpFeatures, MiniBatchLossIncludesThePenaltyAndTestLossDoesNot) {
  json p = spec({"x1^2"}, 0.1, {3, 4, 1});
  p["batch_size"] = 2;
  p["data"]["test_fraction"] = 0.34;
  auto problem = make_mlp_problem(p, 0);
  json q = p;
  q.erase("l1");
  auto plain = make_mlp_problem(q, 0);
  const VectorXd w = problem->default_start();
  VectorXd g;
  const double penalty = 0.1 * w.cwiseAbs().sum();
  const double loss = problem->loss_and_grad(w, 3, g);
  double m[3], n[3];
  problem->metrics(w, 3, m);
  EXPECT_NEAR(loss, plain->loss_and_grad(w, 3, g) + penalty, 1e-15);
  plain->metrics(w, 3, n);
  EXPECT_NEAR(m[0], n[0] + penalty, 1e-15);  // batch_loss
  EXPECT_EQ(m[1], n[1]);                     // accuracy
  EXPECT_EQ(m[2], n[2]);                     // test_loss
}

TEST(MlpFeatures, TraceShowsTheWidenedInputAndThePenalty) {
  auto problem = make_mlp_problem(spec({"x2^2", "x1*x2"}, 0.2, {4, 2, 1}), 0);
  const json t = problem->trace(problem->default_start(), {0, 2});
  EXPECT_EQ(t["nodes"][0]["shape"], json::parse("[2, 4]"));
  bool penalty = false;
  for (const json& n : t["nodes"]) penalty = penalty || n["name"] == "l1 · Σ|w|";
  EXPECT_TRUE(penalty);
  EXPECT_NEAR(t["loss"].get<double>(),
              make_mlp_problem(spec({"x2^2", "x1*x2"}, 0, {4, 2, 1}), 0)->trace(problem->default_start(), {0, 2})["loss"]
                      .get<double>() +
                  0.2 * problem->default_start().cwiseAbs().sum(),
              1e-15);
}

TEST(MlpFeatures, BadFeaturesAndL1NameTheirField) {
  EXPECT_EQ(error_of(spec({"x1^2"}, 0, {2, 3, 1})),
            "problem.layers[0]: the input width must be 3 (x1, x2 and the 1 features), got 2");
  EXPECT_EQ(error_of(spec({"x1^3"}, 0, {3, 3, 1})),
            "problem.features[0]: unknown feature 'x1^3' (expected one of x1^2, x2^2, x1*x2, sin(x1), sin(x2))");
  EXPECT_EQ(error_of(spec({"sin(x1)", "sin(x1)"}, 0, {4, 3, 1})), "problem.features[1]: sin(x1) is listed twice");
  EXPECT_EQ(error_of(spec("x1^2", 0, {3, 3, 1})),
            "problem.features: expected a list such as [\"x1^2\", \"sin(x1)\"] (one of x1^2, x2^2, x1*x2, sin(x1), sin(x2))");
  json p = spec(nullptr, 0, {2, 3, 1});
  p["l1"] = -1;
  EXPECT_EQ(error_of(p), "problem.l1: expected a number from 0 to 100.0, got -1.0");
  p["l1"] = "a";
  EXPECT_NE(error_of(p).find("problem.l1"), std::string::npos);
}

TEST(MlpFeatures, NeuronGridIsEachHiddenActivationOverTheView) {
  auto problem = make_mlp_problem(spec({"x1^2"}, 0, {3, 4, 2, 1}), 0);
  const VectorXd w = problem->default_start();
  const ViewBox view{-1.0, 1.0, -2.0, 2.0};
  const std::vector<double> h1 = problem->neuron_grid(w, 1, view, 5, 3);
  ASSERT_EQ(h1.size(), 4u * 15u);
  // Neuron 2 at grid point (i = 4, j = 1): x1 = 1, x2 = 0.
  const double a = w[2 * 3 + 0] * 1.0 + w[2 * 3 + 1] * 0.0 + w[2 * 3 + 2] * 1.0 + w[12 + 2];
  EXPECT_NEAR(h1[2 * 15 + 1 * 5 + 4], std::tanh(a), 1e-15);
  EXPECT_EQ(problem->neuron_grid(w, 2, view, 5, 3).size(), 2u * 15u);
  EXPECT_THROW(problem->neuron_grid(w, 3, view, 5, 3), std::invalid_argument);
  EXPECT_THROW(problem->neuron_grid(w, 1, view, 65, 3), std::invalid_argument);
  EXPECT_THROW(problem->neuron_grid(w, 1, ViewBox{1, 1, 0, 1}, 5, 3), std::invalid_argument);
}

// tests/fixtures/torch_mlp_features.json (tests/tools/make_mlp_features_fixtures.py): torch on
// torch.cat([X, features], 1) with loss + l1 * sum(p.abs().sum()), replayed step by step.
TEST(MlpFeatures, FeaturesAndL1TrainAsTorchDoes) {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_mlp_features.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path;
  const json fixture = json::parse(in);
  ASSERT_GE(fixture.at("cases").size(), 4u);
  auto close = [](double got, double want) { return std::abs(got - want) <= 1e-9 * std::max(1e-3, std::abs(want)); };
  for (const json& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    auto problem = make_mlp_problem(c.at("problem"), 0);
    Optimizer optimizer = Optimizer::from_json(c.at("optimizer"));
    const long steps = c.at("steps");
    VectorXd x = problem->default_start();
    VectorXd grad;
    for (long k = 0; k <= steps; ++k) {
      const double loss = k < steps ? problem->loss_and_grad(x, k, grad) : problem->loss(x);
      const double want_loss = c.at("loss")[static_cast<std::size_t>(k)];
      ASSERT_TRUE(close(loss, want_loss)) << label << " step " << k << ": loss " << loss << ", torch " << want_loss;
      const json& want = c.at("params")[static_cast<std::size_t>(k)];
      ASSERT_EQ(want.size(), static_cast<std::size_t>(x.size())) << label;
      for (Eigen::Index i = 0; i < x.size(); ++i)
        ASSERT_TRUE(close(x[i], want[static_cast<std::size_t>(i)].get<double>()))
            << label << " step " << k << " weight " << i << ": " << x[i] << ", torch " << want[static_cast<std::size_t>(i)];
      if (k < steps) optimizer.step(x, grad);
    }
  }
}

}  // namespace
}  // namespace optlab
