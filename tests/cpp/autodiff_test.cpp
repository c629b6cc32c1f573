// Tests of the scalar tape and Var: every op's value and derivative against its closed form and
// against central finite differences at random points; the conventions of update-rules.md at the
// edges (0 exponent, 0 base, abs at 0, sqrt at 0, IEEE NaN); shared subexpressions; a long chain;
// and reset() reusing storage.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "autodiff/tape.h"
#include "autodiff/var.h"

namespace optlab {
namespace {

constexpr int kPoints = 200;

double central_difference(double (*f)(double), double x) {
  const double h = 1e-6 * std::max(1.0, std::fabs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
}

void expect_close(double actual, double expected, double rel, const std::string& what) {
  EXPECT_NEAR(actual, expected, rel * std::max(1.0, std::fabs(expected))) << what;
}

// ---- One-argument ops: f(x) with x a Var ----------------------------------------------------

struct UnaryCase {
  const char* name;
  Var (*op)(Var);
  double (*value)(double);       // the closed form, written independently of var.h
  double (*derivative)(double);  // likewise
  double lo, hi;                 // where the random points are drawn
};

const UnaryCase kUnary[] = {
    {"sin", [](Var a) { return sin(a); }, [](double x) { return std::sin(x); }, [](double x) { return std::cos(x); }, -10, 10},
    {"cos", [](Var a) { return cos(a); }, [](double x) { return std::cos(x); }, [](double x) { return -std::sin(x); }, -10, 10},
    {"tan", [](Var a) { return tan(a); }, [](double x) { return std::tan(x); },
     [](double x) { return 1.0 / (std::cos(x) * std::cos(x)); }, -1.4, 1.4},
    {"exp", [](Var a) { return exp(a); }, [](double x) { return std::exp(x); }, [](double x) { return std::exp(x); }, -5, 5},
    {"log", [](Var a) { return log(a); }, [](double x) { return std::log(x); }, [](double x) { return 1.0 / x; }, 0.05, 20},
    {"sqrt", [](Var a) { return sqrt(a); }, [](double x) { return std::sqrt(x); },
     [](double x) { return 0.5 / std::sqrt(x); }, 0.05, 20},
    {"abs", [](Var a) { return abs(a); }, [](double x) { return std::fabs(x); },
     [](double x) { return x > 0 ? 1.0 : -1.0; }, -5, 5},
    {"tanh", [](Var a) { return tanh(a); }, [](double x) { return std::tanh(x); },
     [](double x) { return 1.0 / (std::cosh(x) * std::cosh(x)); }, -5, 5},
    {"sigmoid", [](Var a) { return sigmoid(a); }, [](double x) { return 1.0 / (1.0 + std::exp(-x)); },
     [](double x) { return std::exp(-x) / ((1.0 + std::exp(-x)) * (1.0 + std::exp(-x))); }, -10, 10},
    {"neg", [](Var a) { return -a; }, [](double x) { return -x; }, [](double) { return -1.0; }, -5, 5},
    // Var with a double on either side.
    {"x+2.5", [](Var a) { return a + 2.5; }, [](double x) { return x + 2.5; }, [](double) { return 1.0; }, -5, 5},
    {"2.5+x", [](Var a) { return 2.5 + a; }, [](double x) { return 2.5 + x; }, [](double) { return 1.0; }, -5, 5},
    {"x-2.5", [](Var a) { return a - 2.5; }, [](double x) { return x - 2.5; }, [](double) { return 1.0; }, -5, 5},
    {"2.5-x", [](Var a) { return 2.5 - a; }, [](double x) { return 2.5 - x; }, [](double) { return -1.0; }, -5, 5},
    {"x*-1.5", [](Var a) { return a * -1.5; }, [](double x) { return x * -1.5; }, [](double) { return -1.5; }, -5, 5},
    {"-1.5*x", [](Var a) { return -1.5 * a; }, [](double x) { return -1.5 * x; }, [](double) { return -1.5; }, -5, 5},
    {"x/4", [](Var a) { return a / 4.0; }, [](double x) { return x / 4.0; }, [](double) { return 0.25; }, -5, 5},
    {"3/x", [](Var a) { return 3.0 / a; }, [](double x) { return 3.0 / x; }, [](double x) { return -3.0 / (x * x); }, 0.2, 5},
    // pow with a constant exponent, and with a constant base.
    {"x^3", [](Var a) { return pow(a, 3.0); }, [](double x) { return x * x * x; }, [](double x) { return 3 * x * x; }, -3, 3},
    {"x^-0.5", [](Var a) { return pow(a, -0.5); }, [](double x) { return 1.0 / std::sqrt(x); },
     [](double x) { return -0.5 / (x * std::sqrt(x)); }, 0.1, 10},
    {"2^x", [](Var a) { return pow(2.0, a); }, [](double x) { return std::exp2(x); },
     [](double x) { return std::exp2(x) * std::log(2.0); }, -5, 5},
};

TEST(Autodiff, UnaryOpsMatchClosedFormAndCentralDifferences) {
  std::mt19937_64 rng(1);
  Tape tape;
  for (const UnaryCase& c : kUnary) {
    std::uniform_real_distribution<double> draw(c.lo, c.hi);
    for (int k = 0; k < kPoints; ++k) {
      const double x = draw(rng);
      tape.reset();
      const Var a = variable(tape, x);
      const Var out = c.op(a);
      tape.backward(out.index);
      const double grad = tape.adjoint(a.index);
      const std::string at = std::string(c.name) + " at " + std::to_string(x);
      expect_close(out.value(), c.value(x), 1e-14, at + " (value)");
      expect_close(grad, c.derivative(x), 1e-13, at + " (derivative vs closed form)");
      expect_close(grad, central_difference(c.value, x), 1e-6, at + " (derivative vs differences)");
    }
  }
}

// ---- Two-argument ops: f(x, y) with x and y Vars --------------------------------------------

struct BinaryCase {
  const char* name;
  Var (*op)(Var, Var);
  double (*value)(double, double);
  double (*dx)(double, double);
  double (*dy)(double, double);
  double x_lo, x_hi, y_lo, y_hi;
};

const BinaryCase kBinary[] = {
    {"x+y", [](Var a, Var b) { return a + b; }, [](double x, double y) { return x + y; },
     [](double, double) { return 1.0; }, [](double, double) { return 1.0; }, -5, 5, -5, 5},
    {"x-y", [](Var a, Var b) { return a - b; }, [](double x, double y) { return x - y; },
     [](double, double) { return 1.0; }, [](double, double) { return -1.0; }, -5, 5, -5, 5},
    {"x*y", [](Var a, Var b) { return a * b; }, [](double x, double y) { return x * y; },
     [](double, double y) { return y; }, [](double x, double) { return x; }, -5, 5, -5, 5},
    {"x/y", [](Var a, Var b) { return a / b; }, [](double x, double y) { return x / y; },
     [](double, double y) { return 1.0 / y; }, [](double x, double y) { return -x / (y * y); }, -5, 5, 0.3, 5},
    {"x^y", [](Var a, Var b) { return pow(a, b); }, [](double x, double y) { return std::exp(y * std::log(x)); },
     [](double x, double y) { return y * std::exp((y - 1) * std::log(x)); },
     [](double x, double y) { return std::exp(y * std::log(x)) * std::log(x); }, 0.1, 3, -2.5, 2.5},
};

TEST(Autodiff, BinaryOpsMatchClosedFormAndCentralDifferences) {
  std::mt19937_64 rng(2);
  Tape tape;
  for (const BinaryCase& c : kBinary) {
    std::uniform_real_distribution<double> draw_x(c.x_lo, c.x_hi), draw_y(c.y_lo, c.y_hi);
    for (int k = 0; k < kPoints; ++k) {
      const double x = draw_x(rng), y = draw_y(rng);
      tape.reset();
      const Var a = variable(tape, x), b = variable(tape, y);
      const Var out = c.op(a, b);
      tape.backward(out.index);
      const std::string at = std::string(c.name) + " at (" + std::to_string(x) + ", " + std::to_string(y) + ")";
      expect_close(out.value(), c.value(x, y), 1e-14, at + " (value)");
      expect_close(tape.adjoint(a.index), c.dx(x, y), 1e-12, at + " (d/dx vs closed form)");
      expect_close(tape.adjoint(b.index), c.dy(x, y), 1e-12, at + " (d/dy vs closed form)");
      const double hx = 1e-6 * std::max(1.0, std::fabs(x)), hy = 1e-6 * std::max(1.0, std::fabs(y));
      const double fdx = (c.value(x + hx, y) - c.value(x - hx, y)) / (2 * hx);
      const double fdy = (c.value(x, y + hy) - c.value(x, y - hy)) / (2 * hy);
      expect_close(tape.adjoint(a.index), fdx, 1e-6, at + " (d/dx vs differences)");
      expect_close(tape.adjoint(b.index), fdy, 1e-6, at + " (d/dy vs differences)");
    }
  }
}

// ---- The conventions at the edges (update-rules.md, "Gradients of the formula functions") ------

// f(x, y) recorded at (x, y); returns {value, df/dx, df/dy}.
template <class F>
std::array<double, 3> eval(F f, double x, double y) {
  Tape tape;
  const Var a = variable(tape, x), b = variable(tape, y);
  const Var out = f(a, b);
  tape.backward(out.index);
  return {out.value(), tape.adjoint(a.index), tape.adjoint(b.index)};
}

// Exact equality, where NaN expected means NaN required.
void expect_same(double actual, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": " << actual;
  } else {
    EXPECT_EQ(actual, expected) << what;
  }
}

TEST(Autodiff, EdgeConventionsFollowTorch) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Row {
    const char* name;
    std::array<double, 3> got;
    std::array<double, 3> expected;  // value, d/dx, d/dy
  };
  const Row rows[] = {
      // a^c with c = 0: derivative 0, even at a = 0 where c·a^(c-1) would be 0·inf.
      {"pow(x, 0) at 0", eval([](Var x, Var) { return pow(x, 0.0); }, 0.0, 0.0), {1.0, 0.0, 0.0}},
      {"pow(x, 0) at 3", eval([](Var x, Var) { return pow(x, 0.0); }, 3.0, 0.0), {1.0, 0.0, 0.0}},
      {"pow(x, 2) at 0", eval([](Var x, Var) { return pow(x, 2.0); }, 0.0, 0.0), {0.0, 0.0, 0.0}},
      {"pow(x, y) at (0, 0)", eval([](Var x, Var y) { return pow(x, y); }, 0.0, 0.0), {1.0, 0.0, 0.0}},
      // a = 0 and b >= 0: the exponent's derivative a^b ln a is taken as 0, not 0·(-inf).
      {"pow(x, y) at (0, 2)", eval([](Var x, Var y) { return pow(x, y); }, 0.0, 2.0), {0.0, 0.0, 0.0}},
      {"pow(x, y) at (0, 0.5)", eval([](Var x, Var y) { return pow(x, y); }, 0.0, 0.5), {0.0, inf, 0.0}},
      {"pow(0, y) at y = 2", eval([](Var, Var y) { return pow(0.0, y); }, 0.0, 2.0), {0.0, 0.0, 0.0}},
      {"pow(0, y) at y = 0", eval([](Var, Var y) { return pow(0.0, y); }, 0.0, 0.0), {1.0, 0.0, 0.0}},
      // b < 0 is not covered by the convention: IEEE gives inf · ln 0 = -inf.
      {"pow(0, y) at y = -1", eval([](Var, Var y) { return pow(0.0, y); }, 0.0, -1.0), {inf, 0.0, -inf}},
      {"abs at 0", eval([](Var x, Var) { return abs(x); }, 0.0, 0.0), {0.0, 0.0, 0.0}},
      {"sqrt at 0", eval([](Var x, Var) { return sqrt(x); }, 0.0, 0.0), {0.0, inf, 0.0}},
      {"log at 0", eval([](Var x, Var) { return log(x); }, 0.0, 0.0), {-inf, inf, 0.0}},
      // torch: log's derivative is 1/a even where the value is NaN.
      {"log at -1", eval([](Var x, Var) { return log(x); }, -1.0, 0.0), {nan, -1.0, 0.0}},
      {"sqrt at -1", eval([](Var x, Var) { return sqrt(x); }, -1.0, 0.0), {nan, nan, 0.0}},
      {"x * log(y) at (2, -1)", eval([](Var x, Var y) { return x * log(y); }, 2.0, -1.0), {nan, nan, -2.0}},
      {"x / y at (1, 0)", eval([](Var x, Var y) { return x / y; }, 1.0, 0.0), {inf, inf, -inf}},
      {"sigmoid at 1000", eval([](Var x, Var) { return sigmoid(x); }, 1000.0, 0.0), {1.0, 0.0, 0.0}},
      {"sigmoid at -1000", eval([](Var x, Var) { return sigmoid(x); }, -1000.0, 0.0), {0.0, 0.0, 0.0}},
      {"tanh at 1000", eval([](Var x, Var) { return tanh(x); }, 1000.0, 0.0), {1.0, 0.0, 0.0}},
      {"exp at 1000", eval([](Var x, Var) { return exp(x); }, 1000.0, 0.0), {inf, inf, 0.0}},
  };
  for (const Row& r : rows) {
    expect_same(r.got[0], r.expected[0], std::string(r.name) + " value");
    expect_same(r.got[1], r.expected[1], std::string(r.name) + " d/dx");
    expect_same(r.got[2], r.expected[2], std::string(r.name) + " d/dy");
  }
}

// ---- The tape ---------------------------------------------------------------------------------

TEST(Autodiff, SharedSubexpressionsAccumulateEveryPath) {
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> draw(-2, 2);
  for (int k = 0; k < kPoints; ++k) {
    const double x0 = draw(rng), y0 = draw(rng);
    Tape tape;
    const Var x = variable(tape, x0), y = variable(tape, y0);
    const Var u = x * y;                   // used three times below
    const Var f = u * u + sin(u) + x * x;  // x used twice directly, once through u
    tape.backward(f.index);
    const double u0 = x0 * y0;
    const double df_du = 2 * u0 + std::cos(u0);
    expect_close(f.value(), u0 * u0 + std::sin(u0) + x0 * x0, 1e-14, "value");
    expect_close(tape.adjoint(x.index), df_du * y0 + 2 * x0, 1e-13, "df/dx");
    expect_close(tape.adjoint(y.index), df_du * x0, 1e-13, "df/dy");
    expect_close(tape.adjoint(u.index), df_du, 1e-13, "df/du");
  }
}

// y ← y + 0.001·sin(y), n times: dy_n/dy_0 = Π (1 + 0.001·cos(y_k)).
struct Chain {
  double value, derivative;
  std::size_t tape_size;
};
Chain run_chain(Tape& tape, double x0, int steps) {
  tape.reset();
  const Var x = variable(tape, x0);
  Var y = x;
  for (int i = 0; i < steps; ++i) y = y + 0.001 * sin(y);
  tape.backward(y.index);
  return {y.value(), tape.adjoint(x.index), tape.size()};
}

TEST(Autodiff, LongChainHasRightGradientAndLinearTape) {
  Tape tape;
  const int steps = 10000;
  const Chain c = run_chain(tape, 0.7, steps);
  double y = 0.7, d = 1.0;
  for (int i = 0; i < steps; ++i) {
    d *= 1.0 + 0.001 * std::cos(y);
    y = y + 0.001 * std::sin(y);
  }
  EXPECT_NEAR(c.value, y, 1e-12);
  EXPECT_NEAR(c.derivative, d, 1e-12 * d);
  // Three nodes per step (sin, *, +) plus the input: the tape grows linearly with the chain.
  EXPECT_EQ(c.tape_size, 1u + 3u * steps);
  EXPECT_EQ(run_chain(tape, 0.7, 2 * steps).tape_size, 1u + 3u * 2 * steps);
}

TEST(Autodiff, ResetReusesStorage) {
  Tape tape;
  const Chain first = run_chain(tape, 0.3, 500);
  const Tape::Node* storage = &tape.node(0);
  const Chain again = run_chain(tape, 0.3, 500);  // reset() inside
  EXPECT_EQ(&tape.node(0), storage) << "re-recording after reset() reallocated the tape";
  EXPECT_EQ(again.value, first.value);
  EXPECT_EQ(again.derivative, first.derivative);  // adjoints do not carry over from the last run
  EXPECT_EQ(again.tape_size, first.tape_size);
}

TEST(Autodiff, ValueAndGradXyMatchesClosedForm) {
  Tape tape;
  Eigen::Vector2d grad;
  auto rosenbrock = [](Var x, Var y) { return pow(1.0 - x, 2.0) + 100.0 * pow(y - pow(x, 2.0), 2.0); };
  const double f = value_and_grad_xy(tape, rosenbrock, Eigen::Vector2d(-1.5, 2.0), grad);
  const double x = -1.5, y = 2.0;
  EXPECT_NEAR(f, (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), 1e-12);
  EXPECT_NEAR(grad[0], -2 * (1 - x) - 400 * x * (y - x * x), 1e-12);
  EXPECT_NEAR(grad[1], 200 * (y - x * x), 1e-12);
}

}  // namespace
}  // namespace optlab
