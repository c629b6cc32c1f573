// The vectorised kernels compute exactly what their plain scalar definitions compute, bit for
// bit: native and wasm builds must print the same numbers, so no kernel may reorder a sum.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "autodiff/product.h"
#include "math/portable.h"

namespace optlab {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// out(i, j) = ((0 + a(i,0) b(0,j)) + a(i,1) b(1,j)) + ..., k increasing: the order product.h promises.
Eigen::MatrixXd reference_product(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd out(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      double s = 0.0;
      for (Eigen::Index k = 0; k < a.cols(); ++k) s = s + a(i, k) * b(k, j);
      out(i, j) = s;
    }
  return out;
}

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
  // Mixed magnitudes, so that a reordered sum would round differently.
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::uniform_int_distribution<int> e(-30, 30);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = std::ldexp(u(rng), e(rng));
  return m;
}

void expect_same_bits(const Eigen::MatrixXd& got, const Eigen::MatrixXd& want, const char* what) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  for (Eigen::Index k = 0; k < got.size(); ++k)
    ASSERT_TRUE(same_bits(got.data()[k], want.data()[k]))
        << what << " " << got.rows() << "x" << got.cols() << " entry " << k << ": " << got.data()[k]
        << " vs " << want.data()[k];
}

TEST(Product, EveryShapeSumsInTheFixedOrder) {
  std::mt19937_64 rng(7);
  std::vector<double> packed;
  Eigen::MatrixXd out;
  for (Eigen::Index rows : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33})
    for (Eigen::Index depth : {0, 1, 2, 3, 16, 37})
      for (Eigen::Index cols : {1, 2, 3, 4, 5, 6, 7, 9, 16}) {
        const Eigen::MatrixXd a = random_matrix(rows, depth, rng);
        const Eigen::MatrixXd b = random_matrix(depth, cols, rng);
        product::product_into(a, b, out, packed);
        expect_same_bits(out, reference_product(a, b), "a b");
        // b given as a transpose view, as the backward pass does.
        const Eigen::MatrixXd bt = b.transpose();
        product::product_into(a, bt.transpose(), out, packed);
        expect_same_bits(out, reference_product(a, b), "a (bt)t");
        const Eigen::MatrixXd c = random_matrix(rows, cols, rng);
        product::transposed_product_into(a, c, out);
        expect_same_bits(out, reference_product(a.transpose(), c), "at c");
      }
}

TEST(Product, BulkTanhIsTheScalarOneBitForBit) {
  std::vector<double> x = {0.0, -0.0, 1e-300, -1e-300, 5e-324, 1e-9, 0.5, -0.5, 1.0, 3.0, 19.0, 20.0, 40.0, -40.0,
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::max()};
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-25.0, 25.0);
  while (x.size() < 100001) x.push_back(u(rng));  // odd length: the last value goes alone
  std::vector<double> out(x.size());
  pm::tanh_activation(x.data(), out.data(), static_cast<long>(x.size()));
  for (std::size_t k = 0; k < x.size(); ++k)
    ASSERT_TRUE(same_bits(out[k], pm::tanh_activation(x[k])) || (std::isnan(out[k]) && std::isnan(x[k])))
        << "x = " << x[k];
  // In place, as the tape uses it.
  std::vector<double> y = x;
  pm::tanh_activation(y.data(), y.data(), static_cast<long>(y.size()));
  for (std::size_t k = 0; k < x.size(); ++k) ASSERT_TRUE(same_bits(y[k], out[k]) || std::isnan(x[k]));
}

}  // namespace
}  // namespace optlab
