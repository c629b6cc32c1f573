// Tests of the MLP problem: nn.Linear's layout, a 2-2-1 net against hand-derived values, every
// gradient against central differences (each activation, each loss), the mini-batch sequence,
// metrics, predictions, the tape trace, errors that name their field, the weight-space plane, and
// full-batch training against torch (tests/fixtures/torch_mlp.json) step by step.
#include "problems/mlp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "optim/optimizer.h"
#include "problems/weight_plane.h"

namespace optlab {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;

// Nine fixed points with three classes; bce and mse use y mod 2 and a smooth value instead.
const json kPoints = {{0.3, -0.7}, {-1.1, 0.4}, {0.8, 0.9}, {-0.2, -0.5}, {1.4, -0.1},
                      {-0.6, 1.2}, {0.1, 0.2},  {-1.3, -1.0}, {0.9, -1.2}};

json labels_for(const std::string& loss) {
  json y = json::array();
  for (int i = 0; i < 9; ++i) {
    if (loss == "cross_entropy") y.push_back(i % 3);
    else if (loss == "bce") y.push_back(i % 2);
    else y.push_back(0.3 * i - 1.0);
  }
  return y;
}

std::unique_ptr<MlpProblem> small_problem(const std::string& activation, const std::string& loss,
                                          std::vector<int> hidden = {4, 3}) {
  json layers = {2};
  for (int h : hidden) layers.push_back(h);
  layers.push_back(loss == "cross_entropy" ? 3 : 1);
  return make_mlp_problem({{"name", "mlp"}, {"data", {{"x", kPoints}, {"y", labels_for(loss)}}}, {"layers", layers},
                           {"activation", activation}, {"loss", loss}, {"init", {{"seed", 3}}}},
                          0);
}

json spiral_spec() {
  return {{"name", "mlp"},    {"data", {{"name", "spiral"}, {"n", 200}}}, {"layers", {2, 16, 16, 1}},
          {"activation", "tanh"}, {"loss", "bce"}, {"batch_size", 32}, {"init", {{"seed", 1}}}};
}

// ---- Layout and initialisation ------------------------------------------------------------------

TEST(Mlp, LayoutFollowsNnLinearOrder) {
  const std::vector<LayerSlice> s = layer_slices({2, 3, 1});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].weight_offset, 0);
  EXPECT_EQ(s[0].bias_offset, 6);
  EXPECT_EQ(s[0].rows, 3);
  EXPECT_EQ(s[0].cols, 2);
  EXPECT_EQ(s[1].weight_offset, 9);
  EXPECT_EQ(s[1].bias_offset, 12);
  EXPECT_EQ(s[1].rows, 1);
  EXPECT_EQ(s[1].cols, 3);
  EXPECT_EQ(parameter_count({2, 3, 1}), 13);
  EXPECT_EQ(parameter_count({2, 16, 16, 1}), 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1);
  EXPECT_EQ(make_mlp_problem(spiral_spec(), 0)->dim(), 337);
}

TEST(Mlp, InitIsUniformWithinOneOverSqrtFanInAndSeeded) {
  const std::vector<int> layers = {2, 64, 9, 1};
  const VectorXd w = init_weights(layers, 5);
  for (const LayerSlice& s : layer_slices(layers)) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(s.cols));
    const VectorXd block = w.segment(s.weight_offset, Eigen::Index{s.rows} * s.cols + s.rows);
    EXPECT_LE(block.cwiseAbs().maxCoeff(), bound);
    if (block.size() > 100) {
      EXPECT_GT(block.cwiseAbs().maxCoeff(), 0.95 * bound);  // fills the range
    }
  }
  EXPECT_TRUE(init_weights(layers, 5) == w);
  EXPECT_FALSE(init_weights(layers, 6) == w);
  json spec = spiral_spec();
  EXPECT_TRUE(make_mlp_problem(spec, 0)->default_start() == init_weights({2, 16, 16, 1}, 1));
  spec.erase("init");  // then the experiment's seed
  EXPECT_TRUE(make_mlp_problem(spec, 9)->default_start() == init_weights({2, 16, 16, 1}, 9));
}

// ---- Values and gradients -----------------------------------------------------------------------

// A 2-2-1 tanh net on two points, worked by hand: z1 = W1 x + b1, h = tanh(z1), z2 = W2 h + b2.
TEST(Mlp, TinyNetMatchesHandWorkedValuesAndGradient) {
  const double W1[2][2] = {{0.5, -0.25}, {0.1, 0.2}}, b1[2] = {0.1, -0.1}, W2[2] = {1.0, -2.0}, b2 = 0.05;
  const double X[2][2] = {{1.0, 2.0}, {-0.5, 0.3}}, Y[2] = {1.0, 0.0};
  const VectorXd weights = (VectorXd(9) << W1[0][0], W1[0][1], W1[1][0], W1[1][1], b1[0], b1[1], W2[0], W2[1], b2)
                               .finished();
  for (const std::string loss : {"bce", "mse"}) {
    SCOPED_TRACE(loss);
    double want_loss = 0.0;
    VectorXd want_grad = VectorXd::Zero(9);
    for (int p = 0; p < 2; ++p) {
      double h[2];
      for (int o = 0; o < 2; ++o) h[o] = std::tanh(W1[o][0] * X[p][0] + W1[o][1] * X[p][1] + b1[o]);
      const double z = W2[0] * h[0] + W2[1] * h[1] + b2;
      const double sig = 1.0 / (1.0 + std::exp(-z));
      // The mean over 2 points: each point's loss and gradient count half.
      want_loss += 0.5 * (loss == "bce" ? -(Y[p] * std::log(sig) + (1 - Y[p]) * std::log(1 - sig))
                                        : (z - Y[p]) * (z - Y[p]));
      const double dz = 0.5 * (loss == "bce" ? sig - Y[p] : 2.0 * (z - Y[p]));
      for (int o = 0; o < 2; ++o) {
        const double dz1 = dz * W2[o] * (1.0 - h[o] * h[o]);
        want_grad[2 * o + 0] += dz1 * X[p][0];  // W1[o][i] at o*in + i
        want_grad[2 * o + 1] += dz1 * X[p][1];
        want_grad[4 + o] += dz1;
        want_grad[6 + o] += dz * h[o];
      }
      want_grad[8] += dz;
    }
    auto problem = make_mlp_problem(
        {{"name", "mlp"}, {"data", {{"x", {{X[0][0], X[0][1]}, {X[1][0], X[1][1]}}}, {"y", {Y[0], Y[1]}}}},
         {"layers", {2, 2, 1}},
         {"loss", loss},
         {"init", {{"weights", std::vector<double>(weights.data(), weights.data() + 9)}}}},
        0);
    VectorXd grad;
    const double got = problem->loss_and_grad(weights, 0, grad);
    EXPECT_NEAR(got, want_loss, 1e-15);
    EXPECT_NEAR(problem->loss(weights), want_loss, 1e-15);
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(grad[i], want_grad[i], 1e-15) << "weight " << i;
  }
}

TEST(Mlp, EveryGradientMatchesCentralDifferences) {
  for (const std::string activation : {"tanh", "relu", "leaky_relu", "sigmoid", "linear"}) {
    for (const std::string loss : {"bce", "mse", "cross_entropy"}) {
      SCOPED_TRACE(activation + " / " + loss);
      auto problem = small_problem(activation, loss);
      const VectorXd x = problem->default_start();
      VectorXd grad;
      problem->loss_and_grad(x, 0, grad);
      ASSERT_EQ(grad.size(), problem->dim());
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
}

TEST(Mlp, ReluAndLeakyReluKinksFollowTorch) {
  // With every weight 0 every pre-activation is exactly 0: relu'(0) = 0 stops the gradient of the
  // first layer's weights; leaky_relu'(0) = 0.01 passes 1% of it.
  for (const std::string activation : {"relu", "leaky_relu"}) {
    auto problem = small_problem(activation, "mse", {3});
    VectorXd x = VectorXd::Zero(problem->dim());
    x.tail(4).setConstant(0.5);  // W2 and b2 nonzero so the output layer passes gradient back
    VectorXd grad;
    problem->loss_and_grad(x, 0, grad);
    const double first_layer = grad.head(9).norm();
    if (activation == "relu") EXPECT_EQ(first_layer, 0.0);
    else EXPECT_GT(first_layer, 0.0);
  }
}

TEST(Mlp, ReusingTheTapeGivesIdenticalResults) {
  auto problem = small_problem("tanh", "cross_entropy");
  const VectorXd x = problem->default_start();
  VectorXd g1, g2;
  const double l1 = problem->loss_and_grad(x, 0, g1);
  problem->loss(x + VectorXd::Constant(x.size(), 0.1));  // something else in between
  const double l2 = problem->loss_and_grad(x, 5, g2);  // full batch: the step does not matter
  EXPECT_EQ(l1, l2);
  EXPECT_TRUE(g1 == g2);
  EXPECT_EQ(problem->loss(x), l1);
}

TEST(Mlp, LayerNormsAreTheNormsOfEachBlock) {
  const std::vector<LayerSlice> slices = layer_slices({2, 3, 2});
  VectorXd v = VectorXd::LinSpaced(parameter_count({2, 3, 2}), -1.0, 2.0);
  const std::vector<LayerNorm> norms = layer_norms(slices, v);
  ASSERT_EQ(norms.size(), 2u);
  EXPECT_DOUBLE_EQ(norms[0].weight, v.segment(0, 6).norm());
  EXPECT_DOUBLE_EQ(norms[0].bias, v.segment(6, 3).norm());
  EXPECT_DOUBLE_EQ(norms[1].weight, v.segment(9, 6).norm());
  EXPECT_DOUBLE_EQ(norms[1].bias, v.segment(15, 2).norm());
  EXPECT_THROW(layer_norms(slices, v.head(10)), std::invalid_argument);
}

// ---- Mini-batches -------------------------------------------------------------------------------

TEST(Mlp, EachEpochCoversEveryTrainingPointExactlyOnce) {
  json spec = spiral_spec();
  spec["data"]["n"] = 103;
  spec["batch_size"] = 10;
  auto problem = make_mlp_problem(spec, 4);
  ASSERT_EQ(problem->batches_per_epoch(), 11);
  for (long epoch = 0; epoch < 3; ++epoch) {
    std::vector<int> seen;
    for (long b = 0; b < 11; ++b) {
      const std::vector<int> batch = problem->batch_indices(epoch * 11 + b);
      EXPECT_EQ(batch.size(), b < 10 ? 10u : 3u);  // the last batch is what is left
      seen.insert(seen.end(), batch.begin(), batch.end());
    }
    std::sort(seen.begin(), seen.end());
    for (int i = 0; i < 103; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  }
  EXPECT_NE(problem->batch_indices(0), problem->batch_indices(11));  // each epoch reshuffles
  spec.erase("batch_size");
  auto full = make_mlp_problem(spec, 4);
  EXPECT_EQ(full->batches_per_epoch(), 1);
  EXPECT_EQ(full->batch_indices(7).size(), 103u);
}

TEST(Mlp, TheBatchOfStepKDependsOnSeedAndKOnly) {
  auto walked = make_mlp_problem(spiral_spec(), 4);
  for (long k = 0; k < 40; ++k) walked->batch_indices(k);
  for (long k : {0L, 6L, 7L, 25L, 13L, 1000L}) {
    auto fresh = make_mlp_problem(spiral_spec(), 4);  // asked for step k first
    EXPECT_EQ(fresh->batch_indices(k), walked->batch_indices(k)) << "step " << k;
  }
  auto other = make_mlp_problem(spiral_spec(), 5);
  EXPECT_NE(other->batch_indices(0), walked->batch_indices(0));
  EXPECT_THROW(walked->batch_indices(-1), std::invalid_argument);
}

// The gradient of a step is that of its batch's mean loss; the loss returned is the full one.
TEST(Mlp, MiniBatchGradientIsTheBatchLossGradient) {
  for (const std::string loss : {"bce", "cross_entropy", "mse"}) {
    SCOPED_TRACE(loss);
    json spec = {{"name", "mlp"},
                 {"data", {{"name", loss == "mse" ? "sine" : "spiral"}, {"n", 60}, {"classes", 3}}},
                 {"layers", {2, 8, loss == "cross_entropy" ? 3 : 1}},
                 {"loss", loss},
                 {"batch_size", 7},
                 {"init", {{"seed", 2}}}};
    if (loss != "cross_entropy") spec["data"].erase("classes");
    if (loss == "bce") spec["data"]["classes"] = 2;
    auto problem = make_mlp_problem(spec, 8);
    const VectorXd x = problem->default_start();
    for (long step : {0L, 8L, 9L}) {  // 9 batches per epoch: step 8 is the short one
      const std::vector<int> rows = problem->batch_indices(step);
      json xs = json::array(), ys = json::array();
      for (int r : rows) {
        xs.push_back({problem->train().x(r, 0), problem->train().x(r, 1)});
        ys.push_back(problem->train().y[r]);
      }
      json batch_spec = spec;
      batch_spec["data"] = {{"x", xs}, {"y", ys}};
      batch_spec.erase("batch_size");
      auto batch_problem = make_mlp_problem(batch_spec, 8);
      VectorXd grad, want;
      const double full = problem->loss_and_grad(x, step, grad);
      const double batch_loss = batch_problem->loss_and_grad(x, 0, want);
      EXPECT_EQ(full, problem->loss(x));
      EXPECT_NE(full, batch_loss);
      EXPECT_LE((grad - want).norm(), 1e-14 * want.norm());
      double metrics[2];
      problem->metrics(x, step, metrics);
      EXPECT_NEAR(metrics[0], batch_loss, 1e-15);
    }
  }
}

// ---- Metrics and predictions ---------------------------------------------------------------------

TEST(Mlp, MetricsAreBatchLossAccuracyAndTestLoss) {
  json spec = spiral_spec();
  spec["data"]["test_fraction"] = 0.25;
  auto problem = make_mlp_problem(spec, 3);
  EXPECT_EQ(problem->metric_names(), (std::vector<std::string>{"batch_loss", "accuracy", "test_loss"}));
  EXPECT_EQ(problem->train().size(), 150);
  const VectorXd x = problem->default_start() * 3.0;
  VectorXd grad;
  problem->loss_and_grad(x, 2, grad);
  double m[3];
  problem->metrics(x, 2, m);

  // accuracy: the fraction of training points whose predicted label is their class
  const Predictions train = problem->predict(x, problem->train().x);
  long right = 0;
  for (Eigen::Index i = 0; i < problem->train().size(); ++i)
    right += train.label[static_cast<std::size_t>(i)] == problem->train().y[i];
  EXPECT_EQ(m[1], static_cast<double>(right) / 150.0);
  EXPECT_EQ(m[1], problem->accuracy(x));
  EXPECT_GT(right, 0);
  EXPECT_LT(right, 150);

  // test_loss: the mean loss of a problem made of the held-out points alone
  json xs = json::array(), ys = json::array();
  for (Eigen::Index i = 0; i < problem->test().size(); ++i) {
    xs.push_back({problem->test().x(i, 0), problem->test().x(i, 1)});
    ys.push_back(problem->test().y[i]);
  }
  json test_spec = spiral_spec();
  test_spec["data"] = {{"x", xs}, {"y", ys}};
  test_spec.erase("batch_size");
  auto test_only = make_mlp_problem(test_spec, 3);
  EXPECT_NEAR(m[2], test_only->loss(x), 1e-15);
  EXPECT_EQ(m[2], problem->test_loss(x));

  // Called for another step than the last loss_and_grad, metrics recomputes that step's batch.
  double again[3];
  problem->metrics(x, 3, again);
  EXPECT_NE(again[0], m[0]);
  EXPECT_EQ(again[1], m[1]);

  auto regression = small_problem("tanh", "mse");
  EXPECT_EQ(regression->metric_names(), std::vector<std::string>{"batch_loss"});
  EXPECT_THROW(regression->accuracy(regression->default_start()), std::invalid_argument);
  EXPECT_THROW(regression->test_loss(regression->default_start()), std::invalid_argument);
}

TEST(Mlp, PredictionsAgreeWithTheLoss) {
  // mse: the mean squared error of the predicted values is the loss.
  auto mse = small_problem("tanh", "mse");
  VectorXd x = mse->default_start();
  Predictions p = mse->predict(x, mse->train().x);
  EXPECT_TRUE(p.label.empty());
  double sum = 0.0;
  for (Eigen::Index i = 0; i < 9; ++i) sum += std::pow(p.value[static_cast<std::size_t>(i)] - mse->train().y[i], 2);
  EXPECT_NEAR(sum / 9.0, mse->loss(x), 1e-15);

  // bce: the cross-entropy of the predicted probabilities is the loss; labels are p > 0.5.
  auto bce = small_problem("relu", "bce");
  x = bce->default_start() * 4.0;
  p = bce->predict(x, bce->train().x);
  sum = 0.0;
  for (Eigen::Index i = 0; i < 9; ++i) {
    const double q = p.value[static_cast<std::size_t>(i)];
    sum -= bce->train().y[i] == 1 ? std::log(q) : std::log(1.0 - q);
    EXPECT_EQ(p.label[static_cast<std::size_t>(i)], q > 0.5 ? 1 : 0);
  }
  EXPECT_NEAR(sum / 9.0, bce->loss(x), 1e-14);

  // cross_entropy: the top class's probability is at least 1/3, and on the trace's logits.
  auto ce = small_problem("sigmoid", "cross_entropy");
  x = ce->default_start() * 4.0;
  p = ce->predict(x, ce->train().x);
  const json trace = ce->trace(x, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  const json& logits = trace["nodes"][trace["nodes"].size() - 2]["value"];
  for (std::size_t i = 0; i < 9; ++i) {
    std::vector<double> z = logits[i].get<std::vector<double>>();
    const auto top = std::max_element(z.begin(), z.end());
    double total = 0.0;
    for (double v : z) total += std::exp(v - *top);
    EXPECT_EQ(p.label[i], top - z.begin());
    EXPECT_NEAR(p.value[i], 1.0 / total, 1e-15);
    EXPECT_GE(p.value[i], 1.0 / 3.0);
  }
}

TEST(Mlp, PredictGridIsLaidOutRowByRowFromYmin) {
  auto problem = small_problem("tanh", "cross_entropy");
  const VectorXd x = problem->default_start() * 5.0;
  const ViewBox view{-2.0, 1.0, -1.5, 3.0};
  const int nx = 7, ny = 4;
  const Predictions grid = problem->predict_grid(x, view, nx, ny);
  ASSERT_EQ(grid.value.size(), 28u);
  std::set<int> labels(grid.label.begin(), grid.label.end());
  EXPECT_GT(labels.size(), 1u);  // the boundary crosses this view
  for (int j : {0, 3})
    for (int i : {0, 2, 6}) {
      MatrixXd point(1, 2);
      point << view.xmin + i * (view.xmax - view.xmin) / (nx - 1), view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
      const Predictions one = problem->predict(x, point);
      EXPECT_EQ(grid.value[static_cast<std::size_t>(j * nx + i)], one.value[0]);
      EXPECT_EQ(grid.label[static_cast<std::size_t>(j * nx + i)], one.label[0]);
    }
  EXPECT_THROW(problem->predict_grid(x, view, 1, 5), std::invalid_argument);
  EXPECT_THROW(problem->predict_grid(x, view, 5, 1025), std::invalid_argument);
  EXPECT_THROW(problem->predict_grid(x, ViewBox{1, 0, 0, 1}, 5, 5), std::invalid_argument);
  EXPECT_THROW(problem->predict(x, MatrixXd(3, 3)), std::invalid_argument);
  EXPECT_THROW(problem->predict(VectorXd(3), MatrixXd(3, 2)), std::invalid_argument);
}

// ---- Trace ----------------------------------------------------------------------------------------

TEST(Mlp, TraceListsEveryTapeNodeWithValuesAndGradients) {
  auto problem = make_mlp_problem({{"name", "mlp"},
                                   {"data", {{"x", {{0.5, -1.0}, {1.0, 2.0}, {-0.3, 0.7}}}, {"y", {1, 0, 1}}}},
                                   {"layers", {2, 2, 1}},
                                   {"init", {{"seed", 4}}}},
                                  0);
  const VectorXd x = problem->default_start();
  const json t = problem->trace(x, {2, 0});
  const std::vector<std::string> names = {"x",  "W1ᵀ", "b1",  "x·W1ᵀ", "z1 = x·W1ᵀ + b1", "h1 = tanh(z1)", "W2ᵀ",
                                          "b2", "h1·W2ᵀ", "z2 = h1·W2ᵀ + b2 (output)", "y", "loss"};
  const std::vector<std::string> ops = {"input",   "parameter", "parameter", "matmul", "add_bias", "tanh",
                                        "parameter", "parameter", "matmul", "add_bias", "input",   "bce_with_logits"};
  ASSERT_EQ(t["nodes"].size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const json& node = t["nodes"][i];
    EXPECT_EQ(node["index"], i);
    EXPECT_EQ(node["name"], names[i]);
    EXPECT_EQ(node["op"], ops[i]);
    for (const json& parent : node["parents"]) EXPECT_LT(parent.get<int>(), static_cast<int>(i));
    EXPECT_EQ(node["value"].size(), node["shape"][0].get<std::size_t>());
    EXPECT_EQ(node["grad"][0].size(), node["shape"][1].get<std::size_t>());
  }
  EXPECT_EQ(t["nodes"][0]["value"], json({{-0.3, 0.7}, {0.5, -1.0}}));  // the rows, in the order asked
  EXPECT_EQ(t["nodes"][11]["grad"], json({{1.0}}));

  // The parameter nodes' gradients, put back into the flat layout, are the gradient of the loss on
  // those rows; the weights read back the same way.
  auto two_points = make_mlp_problem({{"name", "mlp"},
                                      {"data", {{"x", {{-0.3, 0.7}, {0.5, -1.0}}}, {"y", {1, 1}}}},
                                      {"layers", {2, 2, 1}},
                                      {"init", {{"seed", 4}}}},
                                     0);
  VectorXd want;
  EXPECT_EQ(t["loss"].get<double>(), two_points->loss_and_grad(x, 0, want));
  VectorXd got = VectorXd::Constant(x.size(), std::nan("")), values = got;
  for (const json& node : t["nodes"]) {
    if (!node.contains("param")) continue;
    const Eigen::Index offset = node["param"]["offset"];
    const std::size_t rows = node["shape"][0], cols = node["shape"][1];
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) {
        // weight nodes hold Wᵀ: value[i][o] = W(o, i) at offset + o*in + i; biases value[0][o]
        const bool weight = node["param"]["kind"] == "weight";
        const Eigen::Index at = offset + static_cast<Eigen::Index>(weight ? c * rows + r : c);
        got[at] = node["grad"][r][c];
        values[at] = node["value"][r][c];
      }
  }
  EXPECT_TRUE(values == x);
  EXPECT_LE((got - want).norm(), 1e-15 * want.norm());

  EXPECT_THROW(problem->trace(x, {}), std::invalid_argument);
  EXPECT_THROW(problem->trace(x, {3}), std::invalid_argument);
  EXPECT_THROW(problem->trace(x, {-1}), std::invalid_argument);
  auto wide = make_mlp_problem({{"name", "mlp"}, {"data", {{"name", "xor"}, {"n", 600}}}, {"layers", {2, 128, 1}}}, 0);
  EXPECT_NO_THROW(wide->trace(wide->default_start(), std::vector<int>(500, 3)));
  EXPECT_THROW(wide->trace(wide->default_start(), std::vector<int>(600, 3)), std::invalid_argument);
}

// ---- Errors ------------------------------------------------------------------------------------

struct ErrorCase {
  json patch;  // merged into spiral_spec() (null deletes a key)
  const char* message;  // the start of the error
};

TEST(Mlp, EveryBadSpecGetsAnErrorNamingItsField) {
  const json given = {{"x", {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}}}, {"y", {0, 1, 0, 1, 2, 0}}};
  const std::vector<ErrorCase> cases = {
      {{{"layers", {2, 0, 1}}}, "problem.layers[1]: expected a whole number from 1 to 1024, got 0"},
      {{{"layers", {2, 1000000, 1}}}, "problem.layers[1]: expected a whole number from 1 to 1024, got 1000000"},
      {{{"layers", {2, 16.5, 1}}}, "problem.layers[1]: expected a whole number from 1 to 1024, got 16.5"},
      {{{"layers", {2, 16, "8"}}}, "problem.layers[2]: expected a whole number from 1 to 1024, got string"},
      {{{"layers", {2}}}, "problem.layers: expected 2 to 10 widths"},
      {{{"layers", {2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}}, "problem.layers: expected 2 to 10 widths"},
      {{{"layers", "big"}}, "problem.layers: expected a list of widths"},
      {{{"layers", nullptr}}, "problem.layers: missing"},
      {{{"layers", {3, 4, 1}}}, "problem.layers[0]: the input width must be 2 (the points are 2-D), got 3"},
      {{{"layers", {2, 4, 3}}}, "problem.layers: the output width must be 1 for bce, got 3"},
      {{{"layers", {2, 4, 2}}, {"loss", "mse"}}, "problem.layers: the output width must be 1 for mse, got 2"},
      {{{"layers", {2, 4, 1}}, {"loss", "cross_entropy"}},
       "problem.layers: the output width must be at least 2 for cross_entropy, got 1"},
      {{{"layers", {2, 4, 2}}, {"loss", "cross_entropy"}, {"data", {{"classes", 3}}}},
       "problem.layers: the output width must be at least 3 (the classes in the data) for cross_entropy, got 2"},
      {{{"layers", {2, 1024, 1024, 1}}}, "problem.layers: [2, 1024, 1024, 1] has 1053697 parameters, more than the"},
      {{{"layers", {2, 512, 1}}, {"data", {{"n", 10000}}}},
       "problem.layers: 10000 points x 515 units is more than one pass may hold"},
      {{{"layers", {2, 512, 1}}, {"data", {{"n", 10000}, {"test_fraction", 0.9}}}},
       "problem.layers: 10000 points x 515 units is more than one pass may hold"},
      {{{"activation", "tahn"}},
       "problem.activation: unknown activation 'tahn' (expected one of tanh, relu, leaky_relu, sigmoid, linear)"},
      {{{"activation", 1}}, "problem.activation: expected a string (expected one of tanh"},
      {{{"loss", "hinge"}}, "problem.loss: unknown loss 'hinge' (expected one of bce, mse, cross_entropy)"},
      {{{"batch_size", 500}}, "problem.batch_size: 500 is larger than the 200 training points"},
      {{{"batch_size", 150}, {"data", {{"test_fraction", 0.5}}}},
       "problem.batch_size: 150 is larger than the 100 training points"},
      {{{"batch_size", 0}}, "problem.batch_size: expected a whole number from 1 to 10000, got 0"},
      {{{"batch_size", "all"}}, "problem.batch_size: expected a whole number from 1 to 10000, got string"},
      {{{"init", {{"seed", nullptr}, {"weights", {1, 2, 3}}}}},
       "problem.init.weights: expected 337 numbers for layers [2, 16, 16, 1], got 3"},
      {{{"init", {{"seed", nullptr}, {"weights", "zeros"}}}},
       "problem.init.weights: expected 337 numbers for layers [2, 16, 16, 1], got string"},
      {{{"init", {{"seed", nullptr}}}}, "problem.init: give either {\"seed\": S} or {\"weights\": [...]}"},
      {{{"init", {{"seed", 1}, {"weights", {1}}}}}, "problem.init: give either"},
      {{{"init", {{"sed", 1}}}}, "problem.init.sed: unknown field"},
      {{{"init", {{"seed", -3}}}}, "problem.init.seed: expected a whole number from 0"},
      {{{"init", 7}}, "problem.init: expected an object"},
      {{{"name", "mlpp"}}, "problem.name: expected \"mlp\""},
      {{{"data", nullptr}}, "problem.data: missing"},
      {{{"data", {{"n", 0}}}}, "problem.data.n: expected a whole number from 1 to 10000, got 0"},
      {{{"data", {{"name", nullptr}, {"n", nullptr}, {"x", {{0, 0}, {1, 1}, {2, 2}, {3}}}, {"y", {0, 1, 0, 1}}}}},
       "problem.data.x[3]: expected a pair [x1, x2]"},
      {{{"data", {{"name", "sine"}}}}, "problem.loss: bce needs class labels, but sine is a regression set (use mse)"},
      {{{"data", {{"name", "linear"}}}, {"loss", "cross_entropy"}, {"layers", {2, 4, 2}}},
       "problem.loss: cross_entropy needs class labels, but linear is a regression set (use mse)"},
      {{{"data", {{"classes", 3}}}}, "problem.loss: bce needs 2 classes, but the data has 3 (use cross_entropy)"},
      {{{"noise", 0.1}}, "problem.noise: unknown field"},
  };
  auto check = [](const json& spec, const std::string& message) {
    try {
      make_mlp_problem(spec, 0);
      ADD_FAILURE() << "accepted " << spec.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what() << "\n  expected: " << message;
    }
  };
  for (const ErrorCase& c : cases) {
    json spec = spiral_spec();
    spec.merge_patch(c.patch);
    check(spec, c.message);
  }
  json spec = spiral_spec();
  spec["init"] = {{"weights", std::vector<double>(337, 0.5)}};
  make_mlp_problem(spec, 0);  // the right count is accepted
  spec["init"]["weights"][5] = "x";
  check(spec, "problem.init.weights[5]: expected a number, got string");
  spec["init"]["weights"][5] = 1e308 * 10;  // inf is no weight
  check(spec, "problem.init.weights[5]: must be a finite number");

  // Given points: the message names the point by its place in the list, test split or not.
  spec = spiral_spec();
  spec.erase("batch_size");
  spec["data"] = given;
  check(spec, "problem.data.y[4]: bce needs labels 0 or 1, got 2");
  spec["data"]["test_fraction"] = 0.5;
  check(spec, "problem.data.y[4]: bce needs labels 0 or 1, got 2");
  spec["data"]["y"][1] = 0.5;
  spec["loss"] = "cross_entropy";
  spec["layers"] = {2, 4, 3};
  check(spec, "problem.data.y[1]: cross_entropy needs class indices (whole numbers from 0), got 0.5");
  check(json::array(), "problem: expected an object");
  // The constructor checks what it is given as well.
  EXPECT_THROW(MlpProblem({{2, 3, 1}}, make_dataset({{"name", "xor"}}, "problem.data", 0), VectorXd(5)),
               std::invalid_argument);
}

TEST(Mlp, DefaultsPickTheLossFromTheData) {
  json spec = {{"name", "mlp"}, {"data", {{"name", "moons"}}}, {"layers", {2, 4, 1}}};
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().loss, MlpLoss::Bce);
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().activation, Activation::Tanh);
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().batch_size, 0);
  spec["data"] = {{"name", "sine"}};
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().loss, MlpLoss::Mse);
  spec["data"] = {{"name", "blobs"}, {"classes", 4}};
  spec["layers"] = {2, 4, 4};
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().loss, MlpLoss::CrossEntropy);
  spec["batch_size"] = nullptr;
  EXPECT_EQ(make_mlp_problem(spec, 0)->config().batch_size, 0);
}

// ---- The weight-space plane ------------------------------------------------------------------

TEST(WeightPlane, RandomDirectionsAreFilterNormalisedWithZeroBiases) {
  auto problem = small_problem("tanh", "bce", {5, 4});
  VectorXd centre = problem->default_start();
  centre.segment(2, 2).setZero();  // row 1 of W1: a neuron with no weights gets no direction
  const WeightPlane plane = random_plane(problem->layers(), centre, 3);
  for (const VectorXd* d : {&plane.d1, &plane.d2}) {
    for (const LayerSlice& s : problem->layers()) {
      for (int o = 0; o < s.rows; ++o) {
        const Eigen::Index at = s.weight_offset + Eigen::Index{o} * s.cols;
        EXPECT_NEAR(d->segment(at, s.cols).norm(), centre.segment(at, s.cols).norm(), 1e-14);
      }
      EXPECT_EQ(d->segment(s.bias_offset, s.rows).norm(), 0.0);
    }
  }
  EXPECT_EQ(plane.d1.segment(2, 2).norm(), 0.0);
  EXPECT_GT(std::abs(plane.d1.normalized().dot(plane.d2.normalized())), 0.0);
  EXPECT_LT(std::abs(plane.d1.normalized().dot(plane.d2.normalized())), 0.9);  // two different draws
  EXPECT_TRUE(random_plane(problem->layers(), centre, 3).d2 == plane.d2);
  EXPECT_FALSE(random_plane(problem->layers(), centre, 4).d1 == plane.d1);
  EXPECT_THROW(random_plane(problem->layers(), VectorXd::Zero(centre.size()), 3), std::invalid_argument);
  EXPECT_THROW(random_plane(problem->layers(), centre.head(10), 3), std::invalid_argument);
}

TEST(WeightPlane, GridAtTheOriginIsTheLossAtTheCentre) {
  auto problem = small_problem("relu", "cross_entropy");
  const VectorXd centre = problem->default_start();
  const WeightPlane plane = random_plane(problem->layers(), centre, 1);
  const int n = 5;
  std::vector<double> grid(n * n);
  plane_loss_grid(*problem, plane, ViewBox{-1.0, 1.0, -0.5, 0.5}, n, grid.data());
  EXPECT_EQ(grid[2 * n + 2], problem->loss(centre));
  EXPECT_EQ(grid[0 * n + 4], problem->loss(centre + 1.0 * plane.d1 - 0.5 * plane.d2));
  EXPECT_NE(grid[0], grid[n * n - 1]);
  EXPECT_THROW(plane_loss_grid(*problem, plane, ViewBox{-1, 1, -1, 1}, 1, grid.data()), std::invalid_argument);
  EXPECT_THROW(plane_loss_grid(*problem, plane, ViewBox{-1, 1, 1, -1}, 5, grid.data()), std::invalid_argument);
  auto other = small_problem("relu", "bce");
  EXPECT_THROW(plane_loss_grid(*other, plane, ViewBox{-1, 1, -1, 1}, 5, grid.data()), std::invalid_argument);
}

TEST(WeightPlane, CoordinatePlaneMovesTwoChosenWeights) {
  auto problem = small_problem("tanh", "mse");
  const VectorXd centre = problem->default_start();
  const WeightPlane plane = coordinate_plane(centre, 3, 10);
  EXPECT_TRUE(plane.d1 == VectorXd::Unit(centre.size(), 3));
  EXPECT_TRUE(plane.d2 == VectorXd::Unit(centre.size(), 10));
  std::vector<double> grid(9);
  plane_loss_grid(*problem, plane, ViewBox{-2, 2, -2, 2}, 3, grid.data());
  VectorXd moved = centre;
  moved[3] += 2.0;
  moved[10] -= 2.0;
  EXPECT_EQ(grid[2], problem->loss(moved));
  const char* expected = "plane: weight index 31 is outside the 31 weights (0 to 30)";
  try {
    coordinate_plane(centre, 31, 1);
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
  EXPECT_THROW(coordinate_plane(centre, 4, 4), std::invalid_argument);
  EXPECT_THROW(coordinate_plane(centre, -1, 4), std::invalid_argument);
}

// Trajectories lying in the plane centre + span(u, v): PCA gives an orthonormal basis of that span
// along which the points' coordinates are uncorrelated, the first with the larger spread, and
// projection recovers every point exactly.
TEST(WeightPlane, PcaOfTrajectoriesInAPlaneRecoversIt) {
  for (int points : {30, 2000}) {  // 2000 points: PCA uses a stride through them
    SCOPED_TRACE(points);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    const int dim = 41;
    VectorXd centre(dim), u(dim), v(dim);
    for (int i = 0; i < dim; ++i) {
      centre[i] = normal(rng);
      u[i] = normal(rng);
      v[i] = normal(rng);
    }
    std::vector<MatrixXd> trajectories(2, MatrixXd(dim, points / 2));
    for (int t = 0; t < 2; ++t)
      for (int k = 0; k < points / 2; ++k) {
        const double s = static_cast<double>(k) / (points / 2);
        trajectories[static_cast<std::size_t>(t)].col(k) =
            centre + 3.0 * s * (t == 0 ? 1.0 : -0.7) * u + 0.5 * std::sin(7.0 * s + t) * v;
      }
    const WeightPlane plane = pca_plane(centre, trajectories);
    EXPECT_NEAR(plane.d1.norm(), 1.0, 1e-14);
    EXPECT_NEAR(plane.d2.norm(), 1.0, 1e-14);
    EXPECT_NEAR(plane.d1.dot(plane.d2), 0.0, 1e-14);
    for (const VectorXd* w : {&u, &v}) {  // u and v lie in span(d1, d2)
      const VectorXd in_plane = plane.d1.dot(*w) * plane.d1 + plane.d2.dot(*w) * plane.d2;
      EXPECT_LT((in_plane - *w).norm(), 1e-12 * w->norm());
    }
    double aa = 0.0, bb = 0.0, ab = 0.0;
    for (const MatrixXd& t : trajectories) {
      const Eigen::Matrix2Xd c = project(plane, t);
      for (Eigen::Index k = 0; k < c.cols(); ++k) {
        const VectorXd back = centre + c(0, k) * plane.d1 + c(1, k) * plane.d2;
        EXPECT_LT((back - t.col(k)).norm(), 1e-12);
        aa += c(0, k) * c(0, k);
        bb += c(1, k) * c(1, k);
        ab += c(0, k) * c(1, k);
      }
    }
    EXPECT_GT(aa, bb);
    if (points == 30) {
      EXPECT_LT(std::abs(ab), 1e-12 * aa);  // all points used: exactly uncorrelated
    }
  }
}

TEST(WeightPlane, ProjectionIsTheClosestPointOfTheSkewPlane) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  const int dim = 12;
  WeightPlane plane{VectorXd(dim), VectorXd(dim), VectorXd(dim)};
  MatrixXd points(dim, 5);
  for (int i = 0; i < dim; ++i) {
    plane.centre[i] = normal(rng);
    plane.d1[i] = normal(rng);
    plane.d2[i] = normal(rng) + 0.5 * plane.d1[i];  // not orthogonal
    for (int k = 0; k < 5; ++k) points(i, k) = normal(rng);
  }
  const Eigen::Matrix2Xd c = project(plane, points);
  for (int k = 0; k < 5; ++k) {
    const VectorXd residual = points.col(k) - (plane.centre + c(0, k) * plane.d1 + c(1, k) * plane.d2);
    EXPECT_NEAR(residual.dot(plane.d1), 0.0, 1e-12);
    EXPECT_NEAR(residual.dot(plane.d2), 0.0, 1e-12);
  }
  plane.d2 = 2.0 * plane.d1;
  EXPECT_THROW(project(plane, points), std::invalid_argument);
}

TEST(WeightPlane, PcaRejectsTrajectoriesThatSpanNoPlane) {
  const VectorXd centre = VectorXd::LinSpaced(6, 0.0, 1.0);
  MatrixXd line(6, 4);
  for (int k = 0; k < 4; ++k) line.col(k) = centre + (k + 1.0) * VectorXd::Unit(6, 2);
  auto message = [&](const std::vector<MatrixXd>& t) {
    try {
      pca_plane(centre, t);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message({line}), "plane: the trajectories span fewer than 2 directions; pick the plane another way");
  EXPECT_EQ(message({MatrixXd(centre.replicate(1, 3))}),
            "plane: every trajectory point is at the centre; pick the plane another way");
  EXPECT_EQ(message({}), "plane: no trajectories to take principal components of");
  EXPECT_EQ(message({MatrixXd::Zero(5, 3)}), "plane: trajectories[0] has points of 5 weights, the centre 6");
}

// ---- Against torch --------------------------------------------------------------------------------

// Replays tests/fixtures/torch_mlp.json (tests/tools/make_mlp_fixtures.py): full-batch training of
// nn.Linear networks by torch.optim in float64; every step's loss and parameters to 1e-9.
TEST(Mlp, FullBatchTrainingMatchesTorchStepByStep) {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_mlp.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path << " (regenerate with /usr/bin/python3 tests/tools/make_mlp_fixtures.py)";
  const json fixture = json::parse(in);
  ASSERT_GE(fixture.at("cases").size(), 6u);
  constexpr double kRelative = 1e-9;
  auto close = [&](double got, double want) { return std::abs(got - want) <= kRelative * std::abs(want); };
  double worst = 0.0;
  for (const json& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    auto problem = make_mlp_problem(c.at("problem"), 0);
    Optimizer optimizer = Optimizer::from_json(c.at("optimizer"));
    const json& params = c.at("params");
    const json& losses = c.at("loss");
    const long steps = c.at("steps");
    ASSERT_EQ(params.size(), static_cast<std::size_t>(steps + 1)) << label;
    VectorXd x = problem->default_start();
    VectorXd grad;
    for (long k = 0; k <= steps; ++k) {
      const double loss = k < steps ? problem->loss_and_grad(x, k, grad) : problem->loss(x);
      const double want_loss = losses[static_cast<std::size_t>(k)];
      worst = std::max(worst, std::abs(loss - want_loss) / std::abs(want_loss));
      ASSERT_TRUE(close(loss, want_loss)) << label << " step " << k << ": loss " << loss << ", torch " << want_loss;
      const json& want = params[static_cast<std::size_t>(k)];
      ASSERT_EQ(want.size(), static_cast<std::size_t>(x.size())) << label;
      for (Eigen::Index i = 0; i < x.size(); ++i) {
        const double w = want[static_cast<std::size_t>(i)];
        worst = std::max(worst, std::abs(x[i] - w) / std::abs(w));
        ASSERT_TRUE(close(x[i], w)) << label << " step " << k << " weight " << i << ": " << x[i] << ", torch " << w;
      }
      if (k < steps) optimizer.step(x, grad);
    }
  }
  std::cout << "[ torch_mlp ] worst relative difference over every step: " << worst << "\n";
}

}  // namespace
}  // namespace optlab
