// The optimizers against hand computations from docs/spec/update-rules.md, plus torch's
// rejections and messages, defaults, the catalog, and copy-as-snapshot.
//
// The hand computations are arithmetic on literals, one line per equation, never calls into
// the code under test. Most use one parameter and a given gradient per step, so no function
// is needed; with weight decay the θ in g = ∇ + λθ is the previous hand-computed θ.
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "optim/optimizer.h"
#include "optim/registry.h"

namespace optlab {
namespace {

using nlohmann::json;

Optimizer make(const char* spec) { return Optimizer::from_json(json::parse(spec)); }

// θ after each step of `optimizer` from θ0 = start, with ∇ = grads[k] at step k+1.
std::vector<double> trajectory(Optimizer optimizer, double start, const std::vector<double>& grads) {
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, start);
  std::vector<double> out;
  for (double g : grads) {
    optimizer.step(p, Eigen::VectorXd::Constant(1, g));
    out.push_back(p[0]);
  }
  return out;
}
std::vector<double> trajectory(const char* spec, double start, const std::vector<double>& grads) {
  return trajectory(make(spec), start, grads);
}

void expect_steps(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t k = 0; k < got.size(); ++k)
    EXPECT_NEAR(got[k], want[k], 1e-13 * std::abs(want[k])) << "after step " << k + 1;
}

// The message of the std::invalid_argument that `f` throws, or "" if it throws none.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}
std::string rejection(const char* spec) {
  return error_of([&] { make(spec); });
}

double state_value(const Optimizer& o, const std::string& name) {
  for (const auto& v : o.state())
    if (v.name == name) return v.value[0];
  ADD_FAILURE() << "no state " << name;
  return NAN;
}
double scalar(const std::vector<NamedScalar>& scalars, const std::string& name) {
  for (const auto& s : scalars)
    if (s.name == name) return s.value;
  ADD_FAILURE() << "no scalar " << name;
  return NAN;
}

// ---------------------------------------------------------------------------------- SGD

TEST(Optim, Sgd_PlainStepSubtractsLrTimesGrad) {
  const double t1 = 1.0 - 0.1 * 2.0;
  const double t2 = t1 - 0.1 * -1.0;
  expect_steps(trajectory(R"({"name": "sgd", "lr": 0.1})", 1.0, {2.0, -1.0}), {t1, t2});
}

TEST(Optim, Sgd_MomentumCopiesGradOnFirstStepWithoutDampening) {
  // b1 = g (no dampening on the first step), then b = μ·b + (1 − τ)·g.
  const double b1 = 2.0;
  const double t1 = 1.0 - 0.1 * b1;
  const double b2 = 0.9 * b1 + (1 - 0.5) * 1.0;
  const double t2 = t1 - 0.1 * b2;
  const double b3 = 0.9 * b2 + (1 - 0.5) * -3.0;
  const double t3 = t2 - 0.1 * b3;
  Optimizer o = make(R"({"name": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.5})");
  expect_steps(trajectory(o, 1.0, {2.0, 1.0, -3.0}), {t1, t2, t3});
}

TEST(Optim, Sgd_NesterovAddsMomentumTimesTheUpdatedBuffer) {
  const double b1 = 2.0;
  const double t1 = 1.0 - 0.1 * (2.0 + 0.9 * b1);  // (1 + μ)·g on the first step
  const double b2 = 0.9 * b1 + 1.0;
  const double t2 = t1 - 0.1 * (1.0 + 0.9 * b2);
  expect_steps(
      trajectory(R"({"name": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true})", 1.0, {2.0, 1.0}),
      {t1, t2});
}

TEST(Optim, Sgd_WeightDecayAddsLambdaThetaToTheGradient) {
  const double g1 = 1.0 + 0.5 * 2.0;
  const double b1 = g1;
  const double t1 = 2.0 - 0.1 * b1;
  const double g2 = 1.0 + 0.5 * t1;
  const double b2 = 0.3 * b1 + g2;
  const double t2 = t1 - 0.1 * b2;
  Optimizer o = make(R"({"name": "sgd", "lr": 0.1, "momentum": 0.3, "weight_decay": 0.5})");
  expect_steps(trajectory(o, 2.0, {1.0, 1.0}), {t1, t2});
}

TEST(Optim, Sgd_RejectsWhatTorchRejectsWithTorchsMessage) {
  EXPECT_EQ(rejection(R"({"name": "sgd", "lr": -0.1})"), "lr: Invalid learning rate: -0.1");
  EXPECT_EQ(rejection(R"({"name": "sgd", "momentum": -1})"), "momentum: Invalid momentum value: -1");
  EXPECT_EQ(rejection(R"({"name": "sgd", "weight_decay": -0.5})"),
            "weight_decay: Invalid weight_decay value: -0.5");
}

TEST(Optim, Sgd_RejectsNesterovWithoutMomentumOrWithDampening) {
  const std::string message = "nesterov: Nesterov momentum requires a momentum and zero dampening";
  EXPECT_EQ(rejection(R"({"name": "sgd", "nesterov": true})"), message);
  EXPECT_EQ(rejection(R"({"name": "sgd", "nesterov": true, "momentum": 0.9, "dampening": 0.1})"), message);
}

TEST(Optim, Sgd_AcceptsAnyDampeningAndZeroLr) {
  EXPECT_EQ(rejection(R"({"name": "sgd", "momentum": 0.9, "dampening": -1})"), "");
  EXPECT_EQ(rejection(R"({"name": "sgd", "momentum": 0.9, "dampening": 2})"), "");
  EXPECT_EQ(rejection(R"({"name": "sgd", "lr": 0})"), "");
}

// ------------------------------------------------------------------------------ Adagrad

TEST(Optim, Adagrad_DividesByRootOfSummedSquaresPlusEpsOutside) {
  const double s1 = 0.0 + 2.0 * 2.0;
  const double t1 = 1.0 - 0.1 * 2.0 / (std::sqrt(s1) + 0.5);
  const double s2 = s1 + 1.0 * 1.0;
  const double t2 = t1 - 0.1 * 1.0 / (std::sqrt(s2) + 0.5);
  expect_steps(trajectory(R"({"name": "adagrad", "lr": 0.1, "eps": 0.5})", 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Adagrad_LrDecayStartsAtTheSecondStep) {
  const double s1 = 4.0, s2 = 5.0, s3 = 6.0;
  const double t1 = 1.0 - 0.1 / (1 + 0 * 0.5) * 2.0 / (std::sqrt(s1) + 1e-10);
  const double t2 = t1 - 0.1 / (1 + 1 * 0.5) * 1.0 / (std::sqrt(s2) + 1e-10);
  const double t3 = t2 - 0.1 / (1 + 2 * 0.5) * 1.0 / (std::sqrt(s3) + 1e-10);
  expect_steps(trajectory(R"({"name": "adagrad", "lr": 0.1, "lr_decay": 0.5})", 1.0, {2.0, 1.0, 1.0}),
               {t1, t2, t3});
}

TEST(Optim, Adagrad_SumStartsAtInitialAccumulatorValue) {
  Optimizer o = make(R"({"name": "adagrad", "lr": 0.1, "initial_accumulator_value": 1.5})");
  const double s1 = 1.5 + 2.0 * 2.0;
  const double t1 = 1.0 - 0.1 * 2.0 / (std::sqrt(s1) + 1e-10);
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 2.0));
  EXPECT_NEAR(p[0], t1, 1e-15);
  EXPECT_DOUBLE_EQ(state_value(o, "sum"), s1);
  EXPECT_DOUBLE_EQ(scalar(o.state_scalars(), "step"), 1.0);
}

TEST(Optim, Adagrad_WeightDecayIsCoupled) {
  const double g1 = 1.0 + 0.2 * 3.0;
  const double s1 = g1 * g1;
  const double t1 = 3.0 - 0.1 * g1 / (std::sqrt(s1) + 1e-10);
  const double g2 = 1.0 + 0.2 * t1;
  const double s2 = s1 + g2 * g2;
  const double t2 = t1 - 0.1 * g2 / (std::sqrt(s2) + 1e-10);
  expect_steps(trajectory(R"({"name": "adagrad", "lr": 0.1, "weight_decay": 0.2})", 3.0, {1.0, 1.0}),
               {t1, t2});
}

TEST(Optim, Adagrad_RejectsEachNegativeOptionWithTorchsMessage) {
  EXPECT_EQ(rejection(R"({"name": "adagrad", "lr": -1.0})"), "lr: Invalid learning rate: -1.0");
  EXPECT_EQ(rejection(R"({"name": "adagrad", "lr_decay": -0.1})"), "lr_decay: Invalid lr_decay value: -0.1");
  EXPECT_EQ(rejection(R"({"name": "adagrad", "weight_decay": -0.1})"),
            "weight_decay: Invalid weight_decay value: -0.1");
  EXPECT_EQ(rejection(R"({"name": "adagrad", "initial_accumulator_value": -0.1})"),
            "initial_accumulator_value: Invalid initial_accumulator_value value: -0.1");
  EXPECT_EQ(rejection(R"({"name": "adagrad", "eps": -1e-10})"), "eps: Invalid epsilon value: -1e-10");
  EXPECT_EQ(rejection(R"({"name": "adagrad", "eps": 0})"), "");
}

// ------------------------------------------------------------------------------ RMSprop

TEST(Optim, Rmsprop_DividesByRootOfRunningSquareAverageEpsOutside) {
  const double v1 = 0.9 * 0.0 + 0.1 * 2.0 * 2.0;
  const double t1 = 1.0 - 0.01 * 2.0 / (std::sqrt(v1) + 0.1);
  const double v2 = 0.9 * v1 + 0.1 * 1.0 * 1.0;
  const double t2 = t1 - 0.01 * 1.0 / (std::sqrt(v2) + 0.1);
  Optimizer o = make(R"({"name": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 0.1})");
  expect_steps(trajectory(o, 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Rmsprop_CenteredSubtractsSquaredMeanInsideTheRoot) {
  const double v1 = 0.1 * 4.0, mean1 = 0.1 * 2.0;
  const double t1 = 1.0 - 0.01 * 2.0 / (std::sqrt(v1 - mean1 * mean1) + 0.1);
  const double v2 = 0.9 * v1 + 0.1 * 1.0, mean2 = 0.9 * mean1 + 0.1 * -1.0;
  const double t2 = t1 - 0.01 * -1.0 / (std::sqrt(v2 - mean2 * mean2) + 0.1);
  Optimizer o = make(R"({"name": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 0.1, "centered": true})");
  expect_steps(trajectory(o, 1.0, {2.0, -1.0}), {t1, t2});
}

TEST(Optim, Rmsprop_MomentumBufferStartsAtZeroAndHoldsGradOverDenominator) {
  const double v1 = 0.1 * 4.0;
  const double b1 = 0.5 * 0.0 + 2.0 / (std::sqrt(v1) + 1e-8);
  const double t1 = 1.0 - 0.01 * b1;
  const double v2 = 0.9 * v1 + 0.1 * 1.0;
  const double b2 = 0.5 * b1 + 1.0 / (std::sqrt(v2) + 1e-8);
  const double t2 = t1 - 0.01 * b2;
  Optimizer o = make(R"({"name": "rmsprop", "lr": 0.01, "alpha": 0.9, "momentum": 0.5})");
  expect_steps(trajectory(o, 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Rmsprop_WeightDecayIsCoupled) {
  const double g1 = 1.0 + 0.5 * 2.0;
  const double v1 = 0.01 * g1 * g1;
  const double t1 = 2.0 - 0.01 * g1 / (std::sqrt(v1) + 1e-8);
  const double g2 = 1.0 + 0.5 * t1;
  const double v2 = 0.99 * v1 + 0.01 * g2 * g2;
  const double t2 = t1 - 0.01 * g2 / (std::sqrt(v2) + 1e-8);
  expect_steps(trajectory(R"({"name": "rmsprop", "weight_decay": 0.5})", 2.0, {1.0, 1.0}), {t1, t2});
}

TEST(Optim, Rmsprop_RejectsNegativesButAcceptsAlphaAboveOne) {
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "lr": -0.01})"), "lr: Invalid learning rate: -0.01");
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "eps": -1})"), "eps: Invalid epsilon value: -1");
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "momentum": -0.9})"), "momentum: Invalid momentum value: -0.9");
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "weight_decay": -2})"),
            "weight_decay: Invalid weight_decay value: -2");
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "alpha": -0.5})"), "alpha: Invalid alpha value: -0.5");
  EXPECT_EQ(rejection(R"({"name": "rmsprop", "alpha": 1.5})"), "");
}

// --------------------------------------------------------------------------------- Adam

TEST(Optim, Adam_BiasCorrectsBothMomentsAndAddsEpsAfterTheCorrection) {
  const double m1 = 0.1 * 2.0, v1 = 0.001 * 4.0;
  const double denom1 = std::sqrt(v1) / std::sqrt(1 - 0.999) + 0.1;
  const double t1 = 1.0 - 0.1 / (1 - 0.9) * m1 / denom1;
  const double m2 = 0.9 * m1 + 0.1 * 1.0, v2 = 0.999 * v1 + 0.001 * 1.0;
  const double denom2 = std::sqrt(v2) / std::sqrt(1 - 0.999 * 0.999) + 0.1;
  const double t2 = t1 - 0.1 / (1 - 0.9 * 0.9) * m2 / denom2;
  expect_steps(trajectory(R"({"name": "adam", "lr": 0.1, "eps": 0.1})", 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Adam_AmsgradKeepsTheMaxOfTheRawSecondMoment) {
  // β2 = 0.5 makes v fall fast: v1 = 4.5 > v2 = 2.255. The max of the raw v (4.5) divided by
  // bc2 = 0.75 differs from the max of v/bc2 (9), which torch does not use.
  const double m1 = 0.1 * 3.0, v1 = 0.5 * 9.0;
  const double t1 = 1.0 - 0.1 / (1 - 0.9) * m1 / (std::sqrt(v1) / std::sqrt(0.5) + 1e-8);
  const double m2 = 0.9 * m1 + 0.1 * 0.1, v2 = 0.5 * v1 + 0.5 * 0.01;
  const double v_max2 = v1;
  const double t2 = t1 - 0.1 / (1 - 0.81) * m2 / (std::sqrt(v_max2) / std::sqrt(0.75) + 1e-8);
  Optimizer o = make(R"({"name": "adam", "lr": 0.1, "betas": [0.9, 0.5], "amsgrad": true})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 3.0));
  EXPECT_NEAR(p[0], t1, 1e-13);
  o.step(p, Eigen::VectorXd::Constant(1, 0.1));
  EXPECT_NEAR(p[0], t2, 1e-13);
  EXPECT_DOUBLE_EQ(state_value(o, "exp_avg_sq"), v2);
  EXPECT_DOUBLE_EQ(state_value(o, "max_exp_avg_sq"), v_max2);
}

TEST(Optim, Adam_WeightDecayIsCoupledIntoBothMoments) {
  const double g1 = 1.0 + 0.5 * 2.0;
  const double m1 = 0.1 * g1, v1 = 0.001 * g1 * g1;
  const double t1 = 2.0 - 0.1 / 0.1 * m1 / (std::sqrt(v1) / std::sqrt(0.001) + 1e-8);
  const double g2 = 1.0 + 0.5 * t1;
  const double m2 = 0.9 * m1 + 0.1 * g2, v2 = 0.999 * v1 + 0.001 * g2 * g2;
  const double t2 = t1 - 0.1 / (1 - 0.81) * m2 / (std::sqrt(v2) / std::sqrt(1 - 0.998001) + 1e-8);
  expect_steps(trajectory(R"({"name": "adam", "lr": 0.1, "weight_decay": 0.5})", 2.0, {1.0, 1.0}), {t1, t2});
}

// bias_correction = false is OptLab's, not torch's: the same rule with bc1 = bc2 = 1, so the
// first step is lr·m/(√v + ε) with m = 0.1·g and v = 0.001·g², far from lr·sign(g).
TEST(Optim, Adam_WithoutBiasCorrectionUsesTheRawMoments) {
  const double m1 = 0.1 * 2.0, v1 = 0.001 * 4.0;
  const double t1 = 1.0 - 0.1 * m1 / (std::sqrt(v1) + 1e-8);
  const double m2 = 0.9 * m1 + 0.1 * 1.0, v2 = 0.999 * v1 + 0.001 * 1.0;
  const double t2 = t1 - 0.1 * m2 / (std::sqrt(v2) + 1e-8);
  const double m3 = 0.9 * m2 + 0.1 * -3.0, v3 = 0.999 * v2 + 0.001 * 9.0;
  const double t3 = t2 - 0.1 * m3 / (std::sqrt(v3) + 1e-8);
  const char* spec = R"({"name": "adam", "lr": 0.1, "bias_correction": false})";
  expect_steps(trajectory(spec, 1.0, {2.0, 1.0, -3.0}), {t1, t2, t3});
  Optimizer o = make(spec);
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 2.0));
  EXPECT_EQ(scalar(o.last().scalars, "bias_correction1"), 1.0);
  EXPECT_EQ(scalar(o.last().scalars, "bias_correction2"), 1.0);
}

TEST(Optim, Adam_BiasCorrectionDefaultsToTorchsRule) {
  const std::vector<double> grads = {3.0, -1.0, 0.5, 2.0};
  EXPECT_EQ(trajectory(R"({"name": "adam", "lr": 0.1, "bias_correction": true})", 1.0, grads),
            trajectory(R"({"name": "adam", "lr": 0.1})", 1.0, grads));
  EXPECT_EQ(rejection(R"({"name": "adam", "bias_correction": 0})"),
            "bias_correction: must be true or false, got 0");
}

TEST(Optim, Adamw_WithoutBiasCorrectionDecaysThenUsesTheRawMoments) {
  const double d1 = 2.0 * (1 - 0.1 * 0.5);
  const double m1 = 0.1 * 1.0, v1 = 0.001 * 1.0;
  const double t1 = d1 - 0.1 * m1 / (std::sqrt(v1) + 1e-8);
  const double d2 = t1 * (1 - 0.1 * 0.5);
  const double m2 = 0.9 * m1 + 0.1 * 4.0, v2 = 0.999 * v1 + 0.001 * 16.0;
  const double t2 = d2 - 0.1 * m2 / (std::sqrt(v2) + 1e-8);
  Optimizer o = make(R"({"name": "adamw", "lr": 0.1, "weight_decay": 0.5, "bias_correction": false})");
  expect_steps(trajectory(o, 2.0, {1.0, 4.0}), {t1, t2});
}

TEST(Optim, Adamax_WithoutBiasCorrectionStepsByLrTimesRawMomentOverMax) {
  const double m1 = 0.1 * 2.0, u1 = 2.0 + 1e-8;
  const double t1 = 1.0 - 0.1 * m1 / u1;
  const double m2 = 0.9 * m1 + 0.1 * -0.5, u2 = std::max(0.999 * u1, 0.5 + 1e-8);
  const double t2 = t1 - 0.1 * m2 / u2;
  const char* spec = R"({"name": "adamax", "lr": 0.1, "bias_correction": false})";
  expect_steps(trajectory(spec, 1.0, {2.0, -0.5}), {t1, t2});
  Optimizer o = make(spec);
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 2.0));
  EXPECT_EQ(scalar(o.last().scalars, "clr"), 0.1);
}

TEST(Optim, Adam_RejectsOutOfRangeBetasWithTorchsMessage) {
  EXPECT_EQ(rejection(R"({"name": "adam", "betas": [0.9, 1.0]})"),
            "betas: Invalid beta parameter at index 1: 1.0");
  EXPECT_EQ(rejection(R"({"name": "adam", "betas": [-0.1, 0.999]})"),
            "betas: Invalid beta parameter at index 0: -0.1");
  EXPECT_EQ(rejection(R"({"name": "adam", "betas": [0.9, 1]})"),
            "betas: Invalid beta parameter at index 1: 1");
  EXPECT_EQ(rejection(R"({"name": "adam", "lr": -1})"), "lr: Invalid learning rate: -1");
  EXPECT_EQ(rejection(R"({"name": "adam", "eps": -1e-8})"), "eps: Invalid epsilon value: -1e-08");
  EXPECT_EQ(rejection(R"({"name": "adam", "weight_decay": -0.01})"),
            "weight_decay: Invalid weight_decay value: -0.01");
  EXPECT_EQ(rejection(R"({"name": "adam", "betas": [0, 0], "lr": 0, "eps": 0})"), "");
}

// -------------------------------------------------------------------------------- AdamW

TEST(Optim, Adamw_DecaysParamsFirstAndKeepsDecayOutOfTheGradient) {
  const double d1 = 2.0 * (1 - 0.1 * 0.5);
  const double m1 = 0.1 * 1.0, v1 = 0.001 * 1.0;
  const double t1 = d1 - 0.1 / 0.1 * m1 / (std::sqrt(v1) / std::sqrt(0.001) + 1e-8);
  const double d2 = t1 * (1 - 0.1 * 0.5);
  const double m2 = 0.9 * m1 + 0.1 * 1.0, v2 = 0.999 * v1 + 0.001 * 1.0;
  const double t2 = d2 - 0.1 / (1 - 0.81) * m2 / (std::sqrt(v2) / std::sqrt(1 - 0.998001) + 1e-8);
  Optimizer o = make(R"({"name": "adamw", "lr": 0.1, "weight_decay": 0.5})");
  expect_steps(trajectory(o, 2.0, {1.0, 1.0}), {t1, t2});
}

TEST(Optim, Adamw_ReportsRawGradAndTheWholeUpdate) {
  Optimizer o = make(R"({"name": "adamw", "lr": 0.1, "weight_decay": 0.5})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 2.0);
  o.step(p, Eigen::VectorXd::Constant(1, 1.0));
  EXPECT_EQ(o.last().grad[0], 1.0);  // ∇, not ∇ + λθ
  EXPECT_DOUBLE_EQ(o.last().update[0], p[0] - 2.0);
  EXPECT_DOUBLE_EQ(scalar(o.last().scalars, "decay_factor"), 1 - 0.1 * 0.5);
}

TEST(Optim, Adamw_WithoutDecayStepsExactlyAsAdam) {
  const std::vector<double> grads = {3.0, -1.0, 0.5, 2.0};
  EXPECT_EQ(trajectory(R"({"name": "adamw", "lr": 0.1, "weight_decay": 0, "amsgrad": true})", 1.0, grads),
            trajectory(R"({"name": "adam", "lr": 0.1, "amsgrad": true})", 1.0, grads));
}

// ------------------------------------------------------------------------------- Adamax

TEST(Optim, Adamax_AddsEpsInsideTheMaxAndCorrectsOnlyTheFirstMoment) {
  const double m1 = 0.1 * 2.0, u1 = std::max(0.5 * 0.0, 2.0 + 0.1);
  const double t1 = 1.0 - 0.1 / (1 - 0.9) * m1 / u1;
  const double m2 = 0.9 * m1 + 0.1 * -0.5, u2 = std::max(0.5 * u1, 0.5 + 0.1);  // the decayed max wins
  const double t2 = t1 - 0.1 / (1 - 0.81) * m2 / u2;
  const double m3 = 0.9 * m2 + 0.1 * 3.0, u3 = std::max(0.5 * u2, 3.0 + 0.1);  // the new |g| wins
  const double t3 = t2 - 0.1 / (1 - 0.729) * m3 / u3;
  Optimizer o = make(R"({"name": "adamax", "lr": 0.1, "betas": [0.9, 0.5], "eps": 0.1})");
  expect_steps(trajectory(o, 1.0, {2.0, -0.5, 3.0}), {t1, t2, t3});
}

TEST(Optim, Adamax_WeightDecayIsCoupled) {
  const double g1 = -0.5 + 0.5 * 2.0;
  const double m1 = 0.1 * g1, u1 = std::abs(g1) + 1e-8;
  const double t1 = 2.0 - 0.002 / 0.1 * m1 / u1;
  const double g2 = -0.5 + 0.5 * t1;
  const double m2 = 0.9 * m1 + 0.1 * g2, u2 = std::max(0.999 * u1, std::abs(g2) + 1e-8);
  const double t2 = t1 - 0.002 / (1 - 0.81) * m2 / u2;
  expect_steps(trajectory(R"({"name": "adamax", "weight_decay": 0.5})", 2.0, {-0.5, -0.5}), {t1, t2});
}

// -------------------------------------------------------------------------------- NAdam

TEST(Optim, Nadam_FollowsTheMuScheduleWithTorch2MuProductNext) {
  const double mu1 = 0.9 * (1 - 0.5 * std::pow(0.96, 1 * 0.004));
  const double mu2 = 0.9 * (1 - 0.5 * std::pow(0.96, 2 * 0.004));
  const double mu3 = 0.9 * (1 - 0.5 * std::pow(0.96, 3 * 0.004));
  // Step 1: Π = μ1, Π_next = μ1·μ2.
  const double m1 = 0.1 * 2.0, v1 = 0.001 * 4.0;
  const double denom1 = std::sqrt(v1 / 0.001) + 1e-8;
  double t1 = 1.0 - 0.1 * (1 - mu1) / (1 - mu1) * 2.0 / denom1;
  t1 = t1 - 0.1 * mu2 / (1 - mu1 * mu2) * m1 / denom1;
  // Step 2: Π = μ1·μ2, Π_next = μ1·μ2·μ3.
  const double m2 = 0.9 * m1 + 0.1 * 1.0, v2 = 0.999 * v1 + 0.001 * 1.0;
  const double denom2 = std::sqrt(v2 / (1 - 0.998001)) + 1e-8;
  double t2 = t1 - 0.1 * (1 - mu2) / (1 - mu1 * mu2) * 1.0 / denom2;
  t2 = t2 - 0.1 * mu3 / (1 - mu1 * mu2 * mu3) * m2 / denom2;
  Optimizer o = make(R"({"name": "nadam", "lr": 0.1})");
  expect_steps(trajectory(o, 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Nadam_KeepsMuProductAndStepAsState) {
  Optimizer o = make(R"({"name": "nadam", "momentum_decay": 0.1})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 1.0));
  o.step(p, Eigen::VectorXd::Constant(1, 1.0));
  const double mu1 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.1));
  const double mu2 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.2));
  const double mu3 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.30000000000000004));  // (2 + 1)·0.1
  EXPECT_DOUBLE_EQ(scalar(o.state_scalars(), "mu_product"), mu1 * mu2);
  EXPECT_DOUBLE_EQ(scalar(o.state_scalars(), "step"), 2.0);
  EXPECT_DOUBLE_EQ(scalar(o.last().scalars, "mu"), mu2);
  EXPECT_DOUBLE_EQ(scalar(o.last().scalars, "mu_next"), mu3);
}

TEST(Optim, Nadam_WeightDecayIsCoupledIntoBothTerms) {
  const double mu1 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.004));
  const double mu2 = 0.9 * (1 - 0.5 * std::pow(0.96, 0.008));
  const double g1 = 1.0 + 0.5 * 2.0;
  const double m1 = 0.1 * g1, v1 = 0.001 * g1 * g1;
  const double denom1 = std::sqrt(v1 / 0.001) + 1e-8;
  double t1 = 2.0 - 0.1 * (1 - mu1) / (1 - mu1) * g1 / denom1;
  t1 = t1 - 0.1 * mu2 / (1 - mu1 * mu2) * m1 / denom1;
  expect_steps(trajectory(R"({"name": "nadam", "lr": 0.1, "weight_decay": 0.5})", 2.0, {1.0}), {t1});
}

TEST(Optim, Nadam_RejectsNegativeMomentumDecay) {
  EXPECT_EQ(rejection(R"({"name": "nadam", "momentum_decay": -0.004})"),
            "momentum_decay: Invalid momentum_decay value: -0.004");
  EXPECT_EQ(rejection(R"({"name": "nadam", "betas": [1.0, 0.999]})"),
            "betas: Invalid beta parameter at index 0: 1.0");
}

// -------------------------------------------------------------------------------- RAdam

TEST(Optim, Radam_TakesUnnormalisedStepsUntilRhoExceedsFiveThenRectifies) {
  // A constant ∇ = 1 gives m_t = 1 − 0.9^t = bc1 and v_t = 1 − 0.999^t = bc2, so m̂ = 1 and
  // steps 1-5 move θ by lr each. Step 6 is the first with ρ_t > 5.
  std::vector<double> want;
  double theta = 1.0;
  for (int t = 1; t <= 5; ++t) want.push_back(theta = theta - 0.1 * 1.0);
  const double rho_inf = 2 / (1 - 0.999) - 1;
  const double bc2 = 1 - std::pow(0.999, 6);
  const double rho6 = rho_inf - 2 * 6 * std::pow(0.999, 6) / bc2;
  const double r = std::sqrt((rho6 - 4) * (rho6 - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho6));
  const double l = std::sqrt(bc2) / (std::sqrt(bc2) + 1e-8);
  want.push_back(theta - 0.1 * 1.0 * l * r);

  Optimizer o = make(R"({"name": "radam", "lr": 0.1})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  for (int t = 1; t <= 6; ++t) {
    o.step(p, Eigen::VectorXd::Constant(1, 1.0));
    EXPECT_NEAR(p[0], want[t - 1], 1e-13) << "step " << t;
    EXPECT_EQ(scalar(o.last().scalars, "rectified"), t == 6 ? 1.0 : 0.0) << "step " << t;
  }
  EXPECT_NEAR(scalar(o.last().scalars, "rho_t"), rho6, 1e-9);
  EXPECT_NEAR(rho6, 5.994, 1e-3);  // the value update-rules.md quotes
}

TEST(Optim, Radam_FirstStepIsPlainMomentumOnTheRawGradientScale) {
  const double m1 = 0.1 * 50.0;
  const double t1 = 1.0 - 0.01 * (m1 / (1 - 0.9));  // 0.5: Adam would move by about lr = 0.01
  expect_steps(trajectory(R"({"name": "radam", "lr": 0.01})", 1.0, {50.0}), {t1});
}

TEST(Optim, Radam_NeverRectifiesWhenBeta2IsAtMostTwoThirds) {
  Optimizer o = make(R"({"name": "radam", "lr": 0.1, "betas": [0.9, 0.6]})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  for (int t = 1; t <= 50; ++t) {
    o.step(p, Eigen::VectorXd::Constant(1, 1.0));
    ASSERT_EQ(scalar(o.last().scalars, "rectified"), 0.0) << "step " << t;
  }
  EXPECT_NEAR(p[0], 1.0 - 50 * 0.1, 1e-12);
}

TEST(Optim, Radam_WeightDecayIsCoupled) {
  const double g1 = 1.0 + 0.5 * 2.0;
  const double t1 = 2.0 - 0.1 * (0.1 * g1 / 0.1);
  const double g2 = 1.0 + 0.5 * t1;
  const double m2 = 0.9 * (0.1 * g1) + 0.1 * g2;
  const double t2 = t1 - 0.1 * (m2 / (1 - 0.81));
  expect_steps(trajectory(R"({"name": "radam", "lr": 0.1, "weight_decay": 0.5})", 2.0, {1.0, 1.0}), {t1, t2});
}

// ----------------------------------------------------------------------------- Adadelta

TEST(Optim, Adadelta_UsesPreviousAccDeltaAndNewSquareAvgWithEpsInBothRoots) {
  const double v1 = 0.1 * 4.0;
  const double delta1 = std::sqrt(0.0 + 1e-6) / std::sqrt(v1 + 1e-6) * 2.0;
  const double u1 = 0.1 * delta1 * delta1;
  const double t1 = 1.0 - 1.0 * delta1;
  const double v2 = 0.9 * v1 + 0.1 * 1.0;
  const double delta2 = std::sqrt(u1 + 1e-6) / std::sqrt(v2 + 1e-6) * 1.0;
  const double t2 = t1 - 1.0 * delta2;
  expect_steps(trajectory(R"({"name": "adadelta"})", 1.0, {2.0, 1.0}), {t1, t2});
}

TEST(Optim, Adadelta_LrScalesOnlyTheAppliedStepNotTheAccumulator) {
  Optimizer o = make(R"({"name": "adadelta", "lr": 0.5, "rho": 0.5, "eps": 0.01})");
  Eigen::VectorXd p = Eigen::VectorXd::Constant(1, 1.0);
  o.step(p, Eigen::VectorXd::Constant(1, 2.0));
  const double v1 = 0.5 * 4.0;
  const double delta1 = std::sqrt(0.0 + 0.01) / std::sqrt(v1 + 0.01) * 2.0;
  EXPECT_NEAR(p[0], 1.0 - 0.5 * delta1, 1e-15);
  EXPECT_NEAR(state_value(o, "acc_delta"), 0.5 * delta1 * delta1, 1e-15);  // Δ, not lr·Δ
}

TEST(Optim, Adadelta_WeightDecayIsCoupled) {
  const double g1 = 1.0 + 0.5 * 2.0;
  const double v1 = 0.1 * g1 * g1;
  const double delta1 = std::sqrt(1e-6) / std::sqrt(v1 + 1e-6) * g1;
  expect_steps(trajectory(R"({"name": "adadelta", "weight_decay": 0.5})", 2.0, {1.0}), {2.0 - delta1});
}

TEST(Optim, Adadelta_AcceptsRhoOneAndRejectsRhoAboveOne) {
  EXPECT_EQ(rejection(R"({"name": "adadelta", "rho": 1})"), "");
  EXPECT_EQ(rejection(R"({"name": "adadelta", "rho": 1.5})"), "rho: Invalid rho value: 1.5");
  EXPECT_EQ(rejection(R"({"name": "adadelta", "rho": -0.1})"), "rho: Invalid rho value: -0.1");
  EXPECT_EQ(rejection(R"({"name": "adadelta", "lr": -1.0})"), "lr: Invalid learning rate: -1.0");
  EXPECT_EQ(rejection(R"({"name": "adadelta", "eps": -1e-6})"), "eps: Invalid epsilon value: -1e-06");
  EXPECT_EQ(rejection(R"({"name": "adadelta", "weight_decay": -1})"),
            "weight_decay: Invalid weight_decay value: -1");
}

// ------------------------------------------------------------- validate() without JSON

TEST(Optim, Validate_ThrowsTorchsTextWithPythonFloatFormatting) {
  AdamOptions adam;
  adam.betas = {0.9, 1.0};
  EXPECT_EQ(error_of([&] { validate(adam); }), "Invalid beta parameter at index 1: 1.0");
  SgdOptions sgd;
  sgd.lr = -0.1;
  EXPECT_EQ(error_of([&] { validate(sgd); }), "Invalid learning rate: -0.1");
  // torch's `not 0.0 <= lr` rejects NaN; SGD's `lr < 0.0` lets it through.
  adam = AdamOptions{};
  adam.lr = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of([&] { validate(adam); }), "Invalid learning rate: nan");
  sgd.lr = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of([&] { validate(sgd); }), "");
}

TEST(Optim, PythonRepr_PrintsFloatsAsPythonDoes) {
  const std::vector<std::pair<double, std::string>> table = {{-0.1, "-0.1"},
                                                             {1.0, "1.0"},
                                                             {-1e-8, "-1e-08"},
                                                             {1e16, "1e+16"},
                                                             {123456.0, "123456.0"},
                                                             {0.0001, "0.0001"},
                                                             {0.00001, "1e-05"},
                                                             {1.5e300, "1.5e+300"},
                                                             {-2.5, "-2.5"},
                                                             {1e15, "1000000000000000.0"},
                                                             {0.1 + 0.2, "0.30000000000000004"},
                                                             {5e-324, "5e-324"},
                                                             {0.002, "0.002"},
                                                             {-1e-10, "-1e-10"}};
  for (const auto& [x, text] : table) EXPECT_EQ(python_repr(x), text) << text;
}

// ------------------------------------------------------------------ registry and JSON

TEST(Optim, Registry_RejectsUnknownNameListingTheKnownOnes) {
  EXPECT_EQ(rejection(R"({"name": "adamm"})"),
            "name: unknown optimizer 'adamm' (expected one of sgd, adagrad, rmsprop, adam, adamw, adamax, "
            "nadam, radam, adadelta, rprop, asgd)");
  EXPECT_EQ(rejection(R"({"lr": 0.1})").rfind("name: missing (expected one of sgd,", 0), 0u);
  EXPECT_EQ(rejection(R"({"name": 3})").rfind("name: must be a string", 0), 0u);
  EXPECT_EQ(rejection(R"([1, 2])").rfind("name: ", 0), 0u);
}

TEST(Optim, Registry_RejectsUnknownHyperparameterListingTheKnownOnes) {
  EXPECT_EQ(rejection(R"({"name": "adam", "foo": 1})"),
            "foo: unknown hyperparameter for adam (expected one of lr, betas, eps, weight_decay, amsgrad, "
            "bias_correction)");
  EXPECT_EQ(
      rejection(R"({"name": "sgd", "betas": [0.9, 0.99]})").rfind("betas: unknown hyperparameter for sgd", 0),
      0u);
}

TEST(Optim, Registry_RejectsWrongJsonTypesNamingTheField) {
  const std::vector<std::pair<const char*, const char*>> table = {
      {R"({"name": "adam", "lr": "x"})", "lr: expected a number"},
      {R"({"name": "adam", "lr": true})", "lr: expected a number"},
      {R"({"name": "adam", "lr": null})", "lr: expected a number"},
      {R"({"name": "adam", "betas": [1]})", "betas: must be an array of 2 numbers"},
      {R"({"name": "adam", "betas": 0.9})", "betas: must be an array of 2 numbers"},
      {R"({"name": "adam", "betas": [0.9, 0.99, 0.999]})", "betas: must be an array of 2 numbers"},
      {R"({"name": "adam", "betas": ["a", 0.99]})", "betas[0]: expected a number"},
      {R"({"name": "adam", "amsgrad": 1})", "amsgrad: must be true or false"},
      {R"({"name": "sgd", "nesterov": "true"})", "nesterov: must be true or false"},
  };
  for (const auto& [spec, start] : table)
    EXPECT_EQ(rejection(spec).rfind(start, 0), 0u) << spec << " -> " << rejection(spec);
}

TEST(Optim, Registry_IgnoresLabelAndColor) {
  EXPECT_EQ(rejection(R"({"name": "adam", "label": "mine", "color": "#f00"})"), "");
}

TEST(Optim, Defaults_MatchTorchForEveryOptimizer) {
  const std::vector<std::pair<std::string, json>> table = {
      {"sgd",
       {{"lr", 1e-3}, {"momentum", 0.0}, {"dampening", 0.0}, {"weight_decay", 0.0}, {"nesterov", false}}},
      {"adagrad",
       {{"lr", 1e-2},
        {"lr_decay", 0.0},
        {"weight_decay", 0.0},
        {"initial_accumulator_value", 0.0},
        {"eps", 1e-10}}},
      {"rmsprop",
       {{"lr", 1e-2},
        {"alpha", 0.99},
        {"eps", 1e-8},
        {"weight_decay", 0.0},
        {"momentum", 0.0},
        {"centered", false}}},
      {"adam",
       {{"lr", 1e-3}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 0.0}, {"amsgrad", false}}},
      {"adamw",
       {{"lr", 1e-3}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 1e-2}, {"amsgrad", false}}},
      {"adamax", {{"lr", 2e-3}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 0.0}}},
      {"nadam",
       {{"lr", 2e-3},
        {"betas", {0.9, 0.999}},
        {"eps", 1e-8},
        {"weight_decay", 0.0},
        {"momentum_decay", 4e-3}}},
      {"radam", {{"lr", 1e-3}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"weight_decay", 0.0}}},
      {"adadelta", {{"lr", 1.0}, {"rho", 0.9}, {"eps", 1e-6}, {"weight_decay", 0.0}}},
      {"rprop", {{"lr", 1e-2}, {"etas", {0.5, 1.2}}, {"step_sizes", {1e-6, 50.0}}}},
      {"asgd", {{"lr", 1e-2}, {"lambd", 1e-4}, {"alpha", 0.75}, {"t0", 1e6}, {"weight_decay", 0.0}}},
  };
  ASSERT_EQ(table.size(), optimizer_names().size());
  // OptLab's own option (not torch's) on the Adam family: on by default, which is torch's rule.
  const std::set<std::string> own = {"adam", "adamw", "adamax"};
  for (auto [name, want] : table) {
    want["name"] = name;
    json got = Optimizer::from_json({{"name", name}}).options_json();
    if (own.count(name)) {
      EXPECT_EQ(got["bias_correction"], true) << name;
      got.erase("bias_correction");
    }
    EXPECT_EQ(got, want) << name;
  }
}

TEST(Optim, Catalog_MarksOnlyBiasCorrectionAsNotTorch) {
  std::vector<std::string> marked;
  for (const json& entry : optimizer_catalog())
    for (const json& h : entry.at("hyperparameters"))
      if (h.contains("torch")) {
        EXPECT_EQ(h.at("torch"), false);
        marked.push_back(entry.at("name").get<std::string>() + "." + h.at("name").get<std::string>());
      }
  EXPECT_EQ(marked, (std::vector<std::string>{"adam.bias_correction", "adamw.bias_correction",
                                               "adamax.bias_correction"}));
}

TEST(Optim, OptionsJson_RoundTripsThroughFromJson) {
  Optimizer o = make(R"({"name": "rmsprop", "lr": 0.5, "centered": true, "momentum": 0.3})");
  const json written = o.options_json();
  EXPECT_EQ(written["centered"], true);
  EXPECT_EQ(written["momentum"], 0.3);
  EXPECT_EQ(Optimizer::from_json(written).options_json(), written);
  EXPECT_EQ(o.name(), "rmsprop");
}

TEST(Optim, Catalog_ListsEveryOptimizerWithTypedDefaultsInsideTheirRanges) {
  const json catalog = optimizer_catalog();
  ASSERT_EQ(catalog.size(), optimizer_names().size());
  for (std::size_t k = 0; k < catalog.size(); ++k) {
    const json& entry = catalog[k];
    const std::string name = entry.at("name");
    EXPECT_EQ(name, optimizer_names()[k]);
    EXPECT_FALSE(entry.at("description").get<std::string>().empty()) << name;
    const json defaults = Optimizer::from_json({{"name", name}}).options_json();
    EXPECT_EQ(entry.at("hyperparameters").size() + 1, defaults.size()) << name;
    for (const json& h : entry.at("hyperparameters")) {
      const std::string field = h.at("name");
      const std::string kind = h.at("kind");
      EXPECT_EQ(h.at("default"), defaults.at(field)) << name << "." << field;
      if (kind == "bool") {
        EXPECT_TRUE(h.at("default").is_boolean()) << name << "." << field;
        continue;
      }
      const double min = h.at("min"), max = h.at("max");
      EXPECT_TRUE(std::isfinite(min) && std::isfinite(max) && min < max) << name << "." << field;
      if (h.at("log").get<bool>()) {
        EXPECT_GT(min, 0.0) << name << "." << field;
      }
      std::vector<double> values;
      if (kind == "pair") {
        ASSERT_TRUE(h.at("default").is_array() && h.at("default").size() == 2) << name << "." << field;
        values = h.at("default").get<std::vector<double>>();
      } else {
        ASSERT_EQ(kind, "number") << name << "." << field;
        values = {h.at("default").get<double>()};
      }
      for (double v : values) EXPECT_TRUE(min <= v && v <= max) << name << "." << field << " " << v;
    }
  }
}

// ------------------------------------------------------------- the Optimizer value type

const char* const kEveryOption[] = {
    R"({"name": "sgd", "lr": 0.01, "momentum": 0.9, "nesterov": true, "weight_decay": 0.1})",
    R"({"name": "adagrad", "lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.1})",
    R"({"name": "rmsprop", "momentum": 0.5, "centered": true, "weight_decay": 0.1})",
    R"({"name": "adam", "lr": 0.1, "amsgrad": true, "weight_decay": 0.1})",
    R"({"name": "adamw", "lr": 0.1, "amsgrad": true})",
    R"({"name": "adamax", "weight_decay": 0.1})",
    R"({"name": "nadam", "weight_decay": 0.1})",
    R"({"name": "radam", "lr": 0.01, "weight_decay": 0.1})",
    R"({"name": "adadelta", "weight_decay": 0.1})",
};

Eigen::VectorXd grad_at(const Eigen::VectorXd& p) {  // ∇ of x² + 3y²
  return Eigen::Vector2d(2 * p[0], 6 * p[1]);
}

TEST(Optim, Optimizer_CopyIsASnapshotThatContinuesIdentically) {
  for (const char* spec : kEveryOption) {
    Optimizer a = make(spec);
    Eigen::VectorXd pa = Eigen::Vector2d(1.0, -2.0);
    for (int k = 0; k < 8; ++k) a.step(pa, grad_at(pa));
    const Optimizer snapshot = a;
    const Eigen::VectorXd p_snapshot = pa;
    for (int k = 0; k < 8; ++k) a.step(pa, grad_at(pa));
    // The snapshot did not move with `a`, and restoring it replays the same 8 steps bit for bit.
    EXPECT_NE(snapshot.state().front().value, a.state().front().value) << spec;
    Optimizer restored = snapshot;
    Eigen::VectorXd p = p_snapshot;
    for (int k = 0; k < 8; ++k) restored.step(p, grad_at(p));
    EXPECT_EQ(p, pa) << spec;
    ASSERT_EQ(restored.state().size(), a.state().size()) << spec;
    for (std::size_t i = 0; i < a.state().size(); ++i)
      EXPECT_EQ(restored.state()[i].value, a.state()[i].value) << spec;
  }
}

TEST(Optim, Optimizer_DefaultConstructedIsTheFirstRegisteredWithDefaults) {
  Optimizer o;
  EXPECT_EQ(o.name(), optimizer_names().front());
  EXPECT_EQ(o.options_json(), Optimizer::from_json({{"name", o.name()}}).options_json());
  Eigen::VectorXd p = Eigen::Vector2d(1.0, -2.0);
  o.step(p, grad_at(p));
  EXPECT_NE(p, Eigen::Vector2d(1.0, -2.0));
}

TEST(Optim, Optimizer_StateIsCreatedAtTheFirstStepWithTorchsNamesInOrder) {
  const std::vector<std::pair<const char*, std::vector<std::string>>> table = {
      {R"({"name": "sgd"})", {}},
      {R"({"name": "sgd", "momentum": 0.9})", {"momentum_buffer"}},
      {R"({"name": "adagrad"})", {"sum"}},
      {R"({"name": "rmsprop"})", {"square_avg"}},
      {R"({"name": "rmsprop", "momentum": 0.9, "centered": true})",
       {"square_avg", "momentum_buffer", "grad_avg"}},
      {R"({"name": "adam"})", {"exp_avg", "exp_avg_sq"}},
      {R"({"name": "adamw", "amsgrad": true})", {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}},
      {R"({"name": "adamax"})", {"exp_avg", "exp_inf"}},
      {R"({"name": "nadam"})", {"exp_avg", "exp_avg_sq"}},
      {R"({"name": "radam"})", {"exp_avg", "exp_avg_sq"}},
      {R"({"name": "adadelta"})", {"square_avg", "acc_delta"}},
  };
  for (const auto& [spec, names] : table) {
    Optimizer o = make(spec);
    EXPECT_TRUE(o.state().empty()) << spec;
    EXPECT_EQ(o.last().update.size(), 0) << spec;
    Eigen::VectorXd p = Eigen::Vector2d(1.0, -2.0);
    o.step(p, grad_at(p));
    std::vector<std::string> got;
    for (const auto& v : o.state()) {
      got.push_back(v.name);
      EXPECT_EQ(v.value.size(), 2) << spec << " " << v.name;
    }
    EXPECT_EQ(got, names) << spec;
  }
}

TEST(Optim, Optimizer_LastReportsGradUpdateAndStepSize) {
  for (const char* spec : kEveryOption) {
    Optimizer o = make(spec);
    const double lambda =
        o.options_json()["weight_decay"].is_number() ? o.options_json()["weight_decay"].get<double>() : 0;
    const bool decoupled = o.name() == "adamw";
    Eigen::VectorXd p = Eigen::Vector2d(1.0, -2.0);
    for (int k = 0; k < 7; ++k) {
      const Eigen::VectorXd before = p;
      const Eigen::VectorXd grad = grad_at(p);
      o.step(p, grad);
      const StepReport& r = o.last();
      for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(r.update[i], p[i] - before[i]) << spec;
        EXPECT_EQ(r.grad[i], decoupled ? grad[i] : grad[i] + lambda * before[i]) << spec;
        EXPECT_TRUE(std::isfinite(r.step_size[i]) && r.step_size[i] > 0) << spec;
      }
    }
  }
}

TEST(Optim, Optimizer_ComponentsAreUpdatedIndependently) {
  for (const char* spec : kEveryOption) {
    Optimizer both = make(spec), first = make(spec), second = make(spec);
    Eigen::VectorXd p = Eigen::Vector2d(1.0, -2.0);
    Eigen::VectorXd p0 = Eigen::VectorXd::Constant(1, 1.0), p1 = Eigen::VectorXd::Constant(1, -2.0);
    for (int k = 0; k < 5; ++k) {
      both.step(p, grad_at(p));
      first.step(p0, Eigen::VectorXd::Constant(1, 2 * p0[0]));
      second.step(p1, Eigen::VectorXd::Constant(1, 6 * p1[0]));
    }
    EXPECT_EQ(p[0], p0[0]) << spec;
    EXPECT_EQ(p[1], p1[0]) << spec;
  }
}

TEST(Optim, Optimizer_RejectsMismatchedSizesAndLeavesParamsAlone) {
  for (const char* spec : kEveryOption) {
    Optimizer o = make(spec);
    Eigen::VectorXd p = Eigen::Vector2d(1.0, -2.0);
    EXPECT_EQ(error_of([&] { o.step(p, Eigen::VectorXd::Zero(3)); }).rfind("grad: has 3 components", 0), 0u)
        << spec;
    EXPECT_EQ(p, Eigen::Vector2d(1.0, -2.0)) << spec;
    o.step(p, grad_at(p));
    Eigen::VectorXd bigger = Eigen::VectorXd::Ones(3);
    EXPECT_EQ(
        error_of([&] { o.step(bigger, Eigen::VectorXd::Ones(3)); }).rfind("params: has 3 components", 0), 0u)
        << spec;
    EXPECT_EQ(bigger, Eigen::VectorXd::Ones(3)) << spec;
    EXPECT_EQ(o.last().update.size(), 2) << spec << ": a rejected step replaced last()";
  }
}

}  // namespace
}  // namespace optlab
