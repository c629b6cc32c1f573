// Tests of the matrix autodiff: every op's backward against central finite differences at random
// points and shapes, the losses against hand-worked values, a 2-2-1 tanh network against its
// hand-derived gradient, large-logit stability, storage reuse and the errors bad input gets.
#include "autodiff/matrix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace optlab {
namespace {

using Eigen::MatrixXd;

MatrixXd uniform(std::mt19937_64& rng, int rows, int cols, double lo, double hi) {
  std::uniform_real_distribution<double> d(lo, hi);
  MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = d(rng);
  return m;
}

// Values in ±[0.05, 2]: far enough from the kinks of relu and leaky_relu for differences of 1e-6.
MatrixXd away_from_zero(std::mt19937_64& rng, int rows, int cols) {
  MatrixXd m = uniform(rng, rows, cols, 0.05, 2.0);
  std::bernoulli_distribution sign(0.5);
  for (Eigen::Index i = 0; i < m.size(); ++i)
    if (sign(rng)) m.data()[i] = -m.data()[i];
  return m;
}

MatrixXd zeros_and_ones(std::mt19937_64& rng, int rows, int cols) {
  std::bernoulli_distribution one(0.5);
  MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = one(rng) ? 1.0 : 0.0;
  return m;
}

// One random instance of an op under test: its inputs, and how to record it on leaves holding them.
struct Instance {
  std::vector<MatrixXd> inputs;
  std::function<Mat(const std::vector<Mat>&)> build;
};

struct OpCase {
  const char* name;
  std::function<Instance(std::mt19937_64&)> make;
};

int dim(std::mt19937_64& rng, int hi) { return std::uniform_int_distribution<int>(1, hi)(rng); }

const std::vector<OpCase>& op_cases() {
  static const std::vector<OpCase> cases = {
      {"matmul", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4), m = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, k, m, -2, 2)},
                         [](const std::vector<Mat>& x) { return matmul(x[0], x[1]); }};
       }},
      {"add_bias", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, 1, k, -2, 2)},
                         [](const std::vector<Mat>& x) { return add_bias(x[0], x[1]); }};
       }},
      {"add", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, n, k, -2, 2)},
                         [](const std::vector<Mat>& x) { return add(x[0], x[1]); }};
       }},
      {"sub", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, n, k, -2, 2)},
                         [](const std::vector<Mat>& x) { return sub(x[0], x[1]); }};
       }},
      {"mul", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, n, k, -2, 2)},
                         [](const std::vector<Mat>& x) { return mul(x[0], x[1]); }};
       }},
      {"scale", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         const double factor = std::uniform_real_distribution<double>(-3, 3)(r);
         return Instance{{uniform(r, n, k, -2, 2)},
                         [factor](const std::vector<Mat>& x) { return scale(x[0], factor); }};
       }},
      {"tanh", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -3, 3)},
                         [](const std::vector<Mat>& x) { return tanh(x[0]); }};
       }},
      {"relu", [](std::mt19937_64& r) {
         return Instance{{away_from_zero(r, dim(r, 5), dim(r, 4))},
                         [](const std::vector<Mat>& x) { return relu(x[0]); }};
       }},
      {"leaky_relu", [](std::mt19937_64& r) {
         return Instance{{away_from_zero(r, dim(r, 5), dim(r, 4))},
                         [](const std::vector<Mat>& x) { return leaky_relu(x[0]); }};
       }},
      {"leaky_relu_slope_0.2", [](std::mt19937_64& r) {
         return Instance{{away_from_zero(r, dim(r, 5), dim(r, 4))},
                         [](const std::vector<Mat>& x) { return leaky_relu(x[0], 0.2); }};
       }},
      {"sigmoid", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -4, 4)},
                         [](const std::vector<Mat>& x) { return sigmoid(x[0]); }};
       }},
      {"identity", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -2, 2)},
                         [](const std::vector<Mat>& x) { return identity(x[0]); }};
       }},
      {"abs", [](std::mt19937_64& r) {
         return Instance{{away_from_zero(r, dim(r, 5), dim(r, 4))},
                         [](const std::vector<Mat>& x) { return abs(x[0]); }};
       }},
      {"sum", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -2, 2)},
                         [](const std::vector<Mat>& x) { return sum(x[0]); }};
       }},
      {"mean", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -2, 2)},
                         [](const std::vector<Mat>& x) { return mean(x[0]); }};
       }},
      {"mse_loss", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 4);
         return Instance{{uniform(r, n, k, -2, 2), uniform(r, n, k, -2, 2)},
                         [](const std::vector<Mat>& x) { return mse_loss(x[0], x[1]); }};
       }},
      {"bce_with_logits", [](std::mt19937_64& r) {
         const int n = dim(r, 6);
         return Instance{{uniform(r, n, 1, -5, 5), zeros_and_ones(r, n, 1)},
                         [](const std::vector<Mat>& x) { return bce_with_logits(x[0], x[1]); }};
       }},
      {"bce_with_logits_soft_targets", [](std::mt19937_64& r) {
         const int n = dim(r, 5), k = dim(r, 3);
         return Instance{{uniform(r, n, k, -5, 5), uniform(r, n, k, 0, 1)},
                         [](const std::vector<Mat>& x) { return bce_with_logits(x[0], x[1]); }};
       }},
      {"softmax_cross_entropy", [](std::mt19937_64& r) {
         const int n = dim(r, 5), classes = dim(r, 4);
         std::vector<int> labels(static_cast<std::size_t>(n));
         for (int& y : labels) y = std::uniform_int_distribution<int>(0, classes - 1)(r);
         return Instance{{uniform(r, n, classes, -4, 4)},
                         [labels](const std::vector<Mat>& x) { return softmax_cross_entropy(x[0], labels); }};
       }},
      // A node used twice must receive both paths' gradients.
      {"mul_x_x", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -2, 2)},
                         [](const std::vector<Mat>& x) { return mul(x[0], x[0]); }};
       }},
      {"matmul_a_a", [](std::mt19937_64& r) {
         const int n = dim(r, 4);
         return Instance{{uniform(r, n, n, -2, 2)}, [](const std::vector<Mat>& x) { return matmul(x[0], x[0]); }};
       }},
      {"tanh_x_plus_x", [](std::mt19937_64& r) {
         return Instance{{uniform(r, dim(r, 5), dim(r, 4), -2, 2)},
                         [](const std::vector<Mat>& x) { return add(tanh(x[0]), scale(x[0], 0.5)); }};
       }},
  };
  return cases;
}

// Records the instance on leaves and reduces it to sum(out ⊙ weights), so that every output
// element enters the loss with its own weight.
Mat weighted_loss(MatrixTape& tape, const Instance& inst, const std::vector<MatrixXd>& inputs, const MatrixXd& weights,
                  std::vector<Mat>* leaves = nullptr) {
  std::vector<Mat> x;
  for (const MatrixXd& v : inputs) x.push_back(parameter(tape, v));
  const Mat out = inst.build(x);
  if (leaves != nullptr) *leaves = x;
  return sum(mul(out, input(tape, weights)));
}

TEST(MatrixTape, EveryOpBackwardMatchesCentralDifferences) {
  std::mt19937_64 rng(20240611);
  const double h = 1e-6;
  for (const OpCase& c : op_cases()) {
    for (int trial = 0; trial < 25; ++trial) {
      const Instance inst = c.make(rng);
      MatrixTape tape;
      MatrixXd weights;
      {
        // The output's shape decides the weights' shape.
        std::vector<Mat> x;
        for (const MatrixXd& v : inst.inputs) x.push_back(parameter(tape, v));
        const Mat out = inst.build(x);
        weights = uniform(rng, static_cast<int>(out.value().rows()), static_cast<int>(out.value().cols()), -1, 1);
        tape.reset();
      }
      std::vector<Mat> leaves;
      const Mat loss = weighted_loss(tape, inst, inst.inputs, weights, &leaves);
      tape.backward(loss);
      std::vector<MatrixXd> grads;
      for (const Mat& leaf : leaves) grads.push_back(leaf.grad());

      for (std::size_t k = 0; k < inst.inputs.size(); ++k) {
        ASSERT_EQ(grads[k].rows(), inst.inputs[k].rows()) << c.name;
        ASSERT_EQ(grads[k].cols(), inst.inputs[k].cols()) << c.name;
        for (Eigen::Index e = 0; e < inst.inputs[k].size(); ++e) {
          std::vector<MatrixXd> plus = inst.inputs, minus = inst.inputs;
          plus[k].data()[e] += h;
          minus[k].data()[e] -= h;
          tape.reset();
          const double f_plus = weighted_loss(tape, inst, plus, weights).value()(0, 0);
          tape.reset();
          const double f_minus = weighted_loss(tape, inst, minus, weights).value()(0, 0);
          const double fd = (f_plus - f_minus) / (2 * h);
          EXPECT_NEAR(grads[k].data()[e], fd, 1e-6 * std::max(1.0, std::fabs(fd)))
              << c.name << " trial " << trial << " input " << k << " element " << e;
        }
      }
    }
  }
}

TEST(MatrixTape, KinksFollowTorch) {
  MatrixTape tape;
  MatrixXd x(1, 3);
  x << 0.0, -1.0, 2.0;
  const Mat a = parameter(tape, x);
  const Mat b = parameter(tape, x);
  tape.backward(add(sum(relu(a)), sum(leaky_relu(b))));
  // relu'(0) = 0 (threshold_backward), leaky_relu'(0) = negative_slope (x > 0 is false at 0).
  EXPECT_EQ(a.grad()(0, 0), 0.0);
  EXPECT_EQ(a.grad()(0, 1), 0.0);
  EXPECT_EQ(a.grad()(0, 2), 1.0);
  EXPECT_EQ(b.grad()(0, 0), 0.01);
  EXPECT_EQ(b.grad()(0, 1), 0.01);
  EXPECT_EQ(b.grad()(0, 2), 1.0);
}

TEST(MatrixTape, AbsKinkFollowsTorch) {
  MatrixTape tape;
  MatrixXd x(1, 4);
  x << 0.0, -1.5, 2.0, std::nan("");
  const Mat a = parameter(tape, x);
  const Mat out = sum(abs(a));
  EXPECT_TRUE(std::isnan(out.value()(0, 0)));
  tape.backward(out);
  // torch: abs backward is g·sgn(x), so 0 at x = 0, and NaN stays NaN.
  EXPECT_EQ(a.grad()(0, 0), 0.0);
  EXPECT_EQ(a.grad()(0, 1), -1.0);
  EXPECT_EQ(a.grad()(0, 2), 1.0);
  EXPECT_TRUE(std::isnan(a.grad()(0, 3)));
}

TEST(MatrixTape, ActivationsPropagateNaN) {
  MatrixTape tape;
  const Mat x = input(tape, MatrixXd::Constant(1, 1, std::nan("")));
  EXPECT_TRUE(std::isnan(relu(x).value()(0, 0)));
  EXPECT_TRUE(std::isnan(leaky_relu(x).value()(0, 0)));
  EXPECT_TRUE(std::isnan(tanh(x).value()(0, 0)));
  EXPECT_TRUE(std::isnan(sigmoid(x).value()(0, 0)));
}

TEST(MatrixTape, SigmoidSaturatesWithoutNaN) {
  MatrixTape tape;
  MatrixXd x(1, 2);
  x << -1000.0, 1000.0;
  const Mat a = parameter(tape, x);
  const Mat s = sigmoid(a);
  tape.backward(sum(s));
  EXPECT_EQ(s.value()(0, 0), 0.0);
  EXPECT_EQ(s.value()(0, 1), 1.0);
  EXPECT_EQ(a.grad()(0, 0), 0.0);
  EXPECT_EQ(a.grad()(0, 1), 0.0);
}

// ---- Losses against hand-worked values ---------------------------------------------------------

TEST(MatrixLosses, MseLossMatchesHandWorkedValue) {
  MatrixTape tape;
  MatrixXd p(2, 2), t(2, 2);
  p << 1, 2, 3, 4;
  t << 1, 0, 0, 4;
  const Mat pred = parameter(tape, p);
  const Mat target = parameter(tape, t);
  const Mat loss = mse_loss(pred, target);
  EXPECT_DOUBLE_EQ(loss.value()(0, 0), (0.0 + 4.0 + 9.0 + 0.0) / 4.0);
  tape.backward(loss);
  MatrixXd expected(2, 2);  // 2 (p - t) / 4
  expected << 0.0, 1.0, 1.5, 0.0;
  EXPECT_TRUE(pred.grad().isApprox(expected)) << pred.grad();
  EXPECT_TRUE(target.grad().isApprox(-expected)) << target.grad();
}

TEST(MatrixLosses, BceWithLogitsMatchesHandWorkedValue) {
  MatrixTape tape;
  MatrixXd z(3, 1), t(3, 1);
  z << 0.0, 2.0, -1.0;
  t << 1.0, 0.0, 1.0;
  const Mat logits = parameter(tape, z);
  const Mat loss = bce_with_logits(logits, input(tape, t));
  // -log σ(0) = log 2; -log(1 - σ(2)) = log(1 + e^2); -log σ(-1) = log(1 + e).
  const double expected = (std::log(2.0) + std::log(1.0 + std::exp(2.0)) + std::log(1.0 + std::exp(1.0))) / 3.0;
  EXPECT_NEAR(loss.value()(0, 0), expected, 1e-15);
  tape.backward(loss);
  // (σ(z) - t) / 3
  EXPECT_NEAR(logits.grad()(0, 0), (0.5 - 1.0) / 3.0, 1e-16);
  EXPECT_NEAR(logits.grad()(1, 0), (1.0 / (1.0 + std::exp(-2.0))) / 3.0, 1e-16);
  EXPECT_NEAR(logits.grad()(2, 0), (1.0 / (1.0 + std::exp(1.0)) - 1.0) / 3.0, 1e-16);
}

TEST(MatrixLosses, SoftmaxCrossEntropyMatchesHandWorkedValue) {
  MatrixTape tape;
  MatrixXd z(2, 3);
  z << 1.0, 2.0, 3.0,  //
      0.0, 0.0, 0.0;
  const Mat logits = parameter(tape, z);
  const Mat loss = softmax_cross_entropy(logits, {2, 0});
  const double sum_e = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  // Row 0: log(e + e² + e³) - 3; row 1: log 3 - 0.
  EXPECT_NEAR(loss.value()(0, 0), (std::log(sum_e) - 3.0 + std::log(3.0)) / 2.0, 1e-15);
  tape.backward(loss);
  MatrixXd expected(2, 3);  // (softmax - onehot) / 2
  expected << std::exp(1.0) / sum_e, std::exp(2.0) / sum_e, std::exp(3.0) / sum_e - 1.0,  //
      1.0 / 3.0 - 1.0, 1.0 / 3.0, 1.0 / 3.0;
  expected /= 2.0;
  EXPECT_TRUE(logits.grad().isApprox(expected, 1e-14)) << logits.grad();
}

TEST(MatrixLosses, BceWithLogitsIsStableAtHugeLogits) {
  MatrixTape tape;
  MatrixXd z(4, 1), t(4, 1);
  z << 1000.0, 1000.0, -1000.0, -1000.0;
  t << 1.0, 0.0, 0.0, 1.0;
  const Mat logits = parameter(tape, z);
  const Mat loss = bce_with_logits(logits, input(tape, t));
  // Right answers cost 0, wrong ones cost |z| = 1000 each.
  EXPECT_EQ(loss.value()(0, 0), 2000.0 / 4.0);
  tape.backward(loss);
  MatrixXd expected(4, 1);
  expected << 0.0, 0.25, 0.0, -0.25;
  EXPECT_EQ(logits.grad(), expected);
}

TEST(MatrixLosses, SoftmaxCrossEntropyIsStableAtHugeLogits) {
  MatrixTape tape;
  MatrixXd z(3, 3);
  z << 1000.0, 0.0, -1000.0,  //
      1e300, 1e300, 0.0,        //
      -800.0, -800.0, -800.0;
  const Mat logits = parameter(tape, z);
  const Mat loss = softmax_cross_entropy(logits, {1, 0, 2});
  // Row 0: 1000 - 0; row 1: log 2 (two equal winners); row 2: log 3.
  EXPECT_NEAR(loss.value()(0, 0), (1000.0 + std::log(2.0) + std::log(3.0)) / 3.0, 1e-12);
  tape.backward(loss);
  EXPECT_TRUE(logits.grad().allFinite()) << logits.grad();
  EXPECT_NEAR(logits.grad()(0, 0), 1.0 / 3.0, 1e-16);
  EXPECT_NEAR(logits.grad()(0, 1), -1.0 / 3.0, 1e-16);
  EXPECT_NEAR(logits.grad()(1, 0), -0.5 / 3.0, 1e-16);
  EXPECT_NEAR(logits.grad()(2, 2), (1.0 / 3.0 - 1.0) / 3.0, 1e-16);
}

// ---- A 2-2-1 tanh network with bce: every weight's gradient by the hand-derived chain rule -----

TEST(MatrixNetwork, TwoTwoOneTanhBceMatchesHandDerivedGradient) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 1 + trial % 6;
    const MatrixXd X = uniform(rng, n, 2, -2, 2), T = zeros_and_ones(rng, n, 1);
    const MatrixXd W1 = uniform(rng, 2, 2, -1.5, 1.5), b1 = uniform(rng, 1, 2, -1, 1);
    const MatrixXd W2 = uniform(rng, 2, 1, -1.5, 1.5), b2 = uniform(rng, 1, 1, -1, 1);

    MatrixTape tape;
    const Mat w1 = parameter(tape, W1), c1 = parameter(tape, b1), w2 = parameter(tape, W2), c2 = parameter(tape, b2);
    const Mat h = tanh(add_bias(matmul(input(tape, X), w1), c1));
    const Mat loss = bce_with_logits(add_bias(matmul(h, w2), c2), input(tape, T));
    tape.backward(loss);

    // Per sample i: h_k = tanh(Σ_j x_j W1[j][k] + b1[k]), z = Σ_k h_k W2[k] + b2,
    // dL/dz = (σ(z) - t)/n, dL/dW2[k] = Σ_i dz h_k, dL/db2 = Σ_i dz,
    // dL/dW1[j][k] = Σ_i dz W2[k] (1 - h_k²) x_j, dL/db1[k] = Σ_i dz W2[k] (1 - h_k²).
    double gb2 = 0.0, expected_loss = 0.0;
    double gW2[2] = {0, 0}, gb1[2] = {0, 0}, gW1[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; i < n; ++i) {
      double hk[2];
      for (int k = 0; k < 2; ++k) hk[k] = std::tanh(X(i, 0) * W1(0, k) + X(i, 1) * W1(1, k) + b1(0, k));
      const double z = hk[0] * W2(0, 0) + hk[1] * W2(1, 0) + b2(0, 0);
      const double s = 1.0 / (1.0 + std::exp(-z));
      expected_loss += -(T(i, 0) * std::log(s) + (1.0 - T(i, 0)) * std::log(1.0 - s)) / n;
      const double dz = (s - T(i, 0)) / n;
      gb2 += dz;
      for (int k = 0; k < 2; ++k) {
        gW2[k] += dz * hk[k];
        const double da = dz * W2(k, 0) * (1.0 - hk[k] * hk[k]);
        gb1[k] += da;
        for (int j = 0; j < 2; ++j) gW1[j][k] += da * X(i, j);
      }
    }
    const double tol = 1e-14;
    EXPECT_NEAR(loss.value()(0, 0), expected_loss, 1e-12);
    EXPECT_NEAR(c2.grad()(0, 0), gb2, tol);
    for (int k = 0; k < 2; ++k) {
      EXPECT_NEAR(w2.grad()(k, 0), gW2[k], tol);
      EXPECT_NEAR(c1.grad()(0, k), gb1[k], tol);
      for (int j = 0; j < 2; ++j) EXPECT_NEAR(w1.grad()(j, k), gW1[j][k], tol) << "W1[" << j << "][" << k << "]";
    }
  }
}

// ---- The tape itself ---------------------------------------------------------------------------

TEST(MatrixTape, ResetReusesEveryBuffer) {
  std::mt19937_64 rng(3);
  const MatrixXd X = uniform(rng, 64, 2, -1, 1), T = zeros_and_ones(rng, 64, 1);
  const MatrixXd W1 = uniform(rng, 2, 16, -1, 1), W2 = uniform(rng, 16, 1, -1, 1);
  MatrixTape tape;
  auto record = [&] {
    const Mat h = tanh(matmul(input(tape, X), parameter(tape, W1)));
    const Mat loss = bce_with_logits(matmul(h, parameter(tape, W2)), input(tape, T));
    tape.backward(loss);
    return loss.value()(0, 0);
  };
  const double first = record();
  std::vector<const double*> values, grads;
  for (int i = 0; i < tape.size(); ++i) {
    values.push_back(tape.node(i).value.data());
    grads.push_back(tape.node(i).grad.data());
  }
  const int nodes = tape.size();
  tape.reset();
  EXPECT_EQ(tape.size(), 0);
  EXPECT_EQ(record(), first);
  ASSERT_EQ(tape.size(), nodes);
  for (int i = 0; i < nodes; ++i) {
    EXPECT_EQ(tape.node(i).value.data(), values[static_cast<std::size_t>(i)]) << "node " << i;
    EXPECT_EQ(tape.node(i).grad.data(), grads[static_cast<std::size_t>(i)]) << "node " << i;
  }
}

TEST(MatrixTape, BackwardTwiceGivesTheSameGradient) {
  MatrixTape tape;
  const Mat x = parameter(tape, MatrixXd::Constant(2, 2, 0.5));
  const Mat loss = sum(mul(x, x));
  tape.backward(loss);
  const MatrixXd first = x.grad();
  tape.backward(loss);
  EXPECT_EQ(x.grad(), first);
  EXPECT_EQ(first, MatrixXd::Constant(2, 2, 1.0));  // d(x²)/dx = 2x
}

TEST(MatrixTape, NodesOutsideTheOutputsGraphGetZeroGradient) {
  MatrixTape tape;
  const Mat x = parameter(tape, MatrixXd::Constant(2, 3, 1.0));
  const Mat unused = parameter(tape, MatrixXd::Constant(3, 1, 1.0));
  const Mat loss = sum(x);
  const Mat after = tanh(x);
  tape.backward(loss);
  ASSERT_EQ(unused.grad().rows(), 3);
  ASSERT_EQ(unused.grad().cols(), 1);
  ASSERT_EQ(after.grad().rows(), 2);
  ASSERT_EQ(after.grad().cols(), 3);
  EXPECT_EQ(unused.grad(), MatrixXd::Zero(3, 1));
  EXPECT_EQ(after.grad(), MatrixXd::Zero(2, 3));
  EXPECT_EQ(x.grad(), MatrixXd::Ones(2, 3));
}

TEST(MatrixTape, NodesDescribeTheGraph) {
  MatrixTape tape;
  const Mat x = input(tape, MatrixXd::Ones(3, 2), "X");
  const Mat w = parameter(tape, MatrixXd::Ones(2, 1), "W");
  const Mat z = matmul(x, w);
  tape.set_name(z, "z");
  const Mat loss = mean(z);
  tape.backward(loss);
  ASSERT_EQ(tape.size(), 4);
  EXPECT_STREQ(op_name(tape.node(0).op), "input");
  EXPECT_EQ(tape.node(0).name, "X");
  EXPECT_STREQ(op_name(tape.node(1).op), "parameter");
  EXPECT_EQ(tape.node(1).name, "W");
  EXPECT_STREQ(op_name(tape.node(2).op), "matmul");
  EXPECT_EQ(tape.node(2).name, "z");
  EXPECT_EQ(tape.node(2).a, x.index);
  EXPECT_EQ(tape.node(2).b, w.index);
  EXPECT_STREQ(op_name(tape.node(3).op), "mean");
  EXPECT_EQ(tape.node(3).a, z.index);
  EXPECT_EQ(tape.node(3).b, MatrixTape::kNone);
  EXPECT_EQ(tape.node(2).value, MatrixXd::Constant(3, 1, 2.0));
  EXPECT_EQ(tape.node(2).grad, MatrixXd::Constant(3, 1, 1.0 / 3.0));
  EXPECT_EQ(tape.node(1).grad, MatrixXd::Constant(2, 1, 1.0));  // Σ_i x_ij / 3
}

// ---- Bad input ---------------------------------------------------------------------------------

// Runs f, which must throw std::invalid_argument whose message contains every given fragment.
void expect_invalid(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning " << fragments.front();
  } catch (const std::invalid_argument& e) {
    for (const std::string& part : fragments) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(MatrixTape, BadInputThrowsNamingTheProblem) {
  MatrixTape tape;
  const Mat a = parameter(tape, MatrixXd::Ones(3, 2));
  const Mat b = parameter(tape, MatrixXd::Ones(3, 4));
  const Mat row = parameter(tape, MatrixXd::Ones(1, 4));
  expect_invalid([&] { matmul(a, b); }, {"matmul", "3x2", "3x4"});
  expect_invalid([&] { add(a, b); }, {"add", "3x2", "3x4"});
  expect_invalid([&] { sub(a, b); }, {"sub", "3x2"});
  expect_invalid([&] { mul(a, b); }, {"mul", "3x2"});
  expect_invalid([&] { add_bias(a, row); }, {"add_bias", "1x4"});
  expect_invalid([&] { mse_loss(a, b); }, {"mse_loss", "3x4"});
  expect_invalid([&] { bce_with_logits(a, b); }, {"bce_with_logits", "3x2"});
  expect_invalid([&] { softmax_cross_entropy(a, {0, 1}); }, {"softmax_cross_entropy", "2 labels", "3 rows"});
  expect_invalid([&] { softmax_cross_entropy(a, {0, 2, 1}); }, {"labels[1] = 2", "[0, 2)"});
  expect_invalid([&] { softmax_cross_entropy(a, {0, -1, 1}); }, {"labels[1] = -1"});
  expect_invalid([&] { tape.backward(a); }, {"backward", "1x1", "3x2"});
  const Mat empty = parameter(tape, MatrixXd(0, 2));
  expect_invalid([&] { mean(empty); }, {"mean", "empty"});
  expect_invalid([&] { mse_loss(empty, empty); }, {"mse_loss", "empty"});
  expect_invalid([&] { tanh(Mat{}); }, {"tanh", "no tape"});
  expect_invalid([&] { tape.node(99); }, {"node", "99"});

  MatrixTape other;
  const Mat elsewhere = parameter(other, MatrixXd::Ones(3, 2));
  expect_invalid([&] { add(a, elsewhere); }, {"add", "different tapes"});
  expect_invalid([&] { tape.backward(sum(elsewhere)); }, {"backward", "another tape"});

  tape.reset();
  expect_invalid([&] { tanh(a); }, {"tanh", "reset"});
}

}  // namespace
}  // namespace optlab
