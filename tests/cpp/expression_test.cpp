// Tests of the formula parser: values for precedence, associativity, signs, numbers, every
// function and constant; gradients against closed forms and central differences; every error
// with its message and column; the length and nesting limits; grids equal to point evaluation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "autodiff/tape.h"
#include "autodiff/var.h"
#include "problems/expression.h"
#include "problems/rng.h"

namespace optlab {
namespace {

const double kPi = std::acos(-1.0);
const double kE = std::exp(1.0);

double value_of(const std::string& formula, double x, double y) { return Expression(formula).evaluate(x, y); }

// Same double, NaN included (NaN == NaN here).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

// ---- Values ---------------------------------------------------------------------------------

struct ValueCase {
  const char* formula;
  double x, y;
  double expected;
};

const ValueCase kValues[] = {
    // Precedence and associativity.
    {"1+2*3", 0, 0, 7},
    {"(1+2)*3", 0, 0, 9},
    {"2-3-4", 0, 0, -5},
    {"8/4/2", 0, 0, 1},
    {"2*3/4", 0, 0, 1.5},
    {"2^3^2", 0, 0, 512},
    {"(2^3)^2", 0, 0, 64},
    {"2^3*2", 0, 0, 16},
    {"2*3^2", 0, 0, 18},
    {"x-y*2", 5, 1.5, 2},
    {"x/y/2", 6, 1.5, 2},
    // Signs: ^ binds tighter than a sign, and an exponent may carry one.
    {"-x^2", 3, 0, -9},
    {"-2^2", 0, 0, -4},
    {"(-2)^2", 0, 0, 4},
    {"2^-1", 0, 0, 0.5},
    {"2^-x^2", 1.5, 0, std::pow(2.0, -2.25)},
    {"--x", 1.25, 0, 1.25},
    {"- - -x", 1.25, 0, -1.25},
    {"+x", 1.25, 0, 1.25},
    {"2*-x", 1.25, 0, -2.5},
    {"x - -y", 1, 2, 3},
    {"-x*y", 2, 3, -6},
    // Numbers.
    {"1", 0, 0, 1},
    {"2.5", 0, 0, 2.5},
    {".5", 0, 0, 0.5},
    {"3.", 0, 0, 3},
    {"007", 0, 0, 7},
    {"1e-3", 0, 0, 0.001},
    {"1E+3", 0, 0, 1000},
    {"2.5e2", 0, 0, 250},
    {"1e-400", 0, 0, 0},  // underflow rounds to 0 by IEEE rules; it is not a typo
    // Constants and variables.
    {"pi", 0, 0, kPi},
    {"e", 0, 0, kE},
    {"x", 0.25, -7, 0.25},
    {"y", 0.25, -7, -7},
    {"2*pi*x + e*y", 0.25, -7, 2 * kPi * 0.25 + kE * -7},
    // Every function.
    {"sin(x)", 0.7, 0, std::sin(0.7)},
    {"cos(x)", 0.7, 0, std::cos(0.7)},
    {"tan(x)", 0.7, 0, std::tan(0.7)},
    {"exp(x)", 0.7, 0, std::exp(0.7)},
    {"log(x)", 0.7, 0, std::log(0.7)},
    {"sqrt(x)", 0.7, 0, std::sqrt(0.7)},
    {"abs(x)", -0.7, 0, 0.7},
    {"tanh(x)", 0.7, 0, std::tanh(0.7)},
    {"sigmoid(x)", 0.7, 0, 1 / (1 + std::exp(-0.7))},
    {"sigmoid(x)", -800, 0, 0},   // no overflow to NaN far left
    {"sigmoid(x)", 800, 0, 1},
    {"sin(cos(x))^2", 0.3, 0, std::pow(std::sin(std::cos(0.3)), 2)},
    // Whitespace anywhere between tokens.
    {" \t1 +\n2 * ( x )\r", 3, 0, 7},
    {"sin ( x )", 0.7, 0, std::sin(0.7)},
    // The spec's formulas.
    {"(1-x)^2 + 100*(y-x^2)^2", -1.5, 2, 12.5},
    {"(1-x)^2 + 100*(y-x^2)^2", 1, 1, 0},
};

TEST(Expression, ValuesFollowPrecedenceAssociativityAndFunctions) {
  for (const ValueCase& c : kValues) {
    const double got = value_of(c.formula, c.x, c.y);
    EXPECT_NEAR(got, c.expected, 1e-15 * std::max(1.0, std::fabs(c.expected)))
        << c.formula << " at (" << c.x << ", " << c.y << ")";
  }
}

// IEEE results, not errors: the runner reports the divergence.
struct IeeeCase {
  const char* formula;
  double x, y;
  enum { kNan, kPlusInf, kMinusInf } expected;
};

const IeeeCase kIeee[] = {
    {"log(-1)", 0, 0, IeeeCase::kNan},   {"0/0", 0, 0, IeeeCase::kNan},
    {"sqrt(-1)", 0, 0, IeeeCase::kNan},  {"sqrt(x)", -2, 0, IeeeCase::kNan},
    {"1/0", 0, 0, IeeeCase::kPlusInf},   {"x/y", 1, 0, IeeeCase::kPlusInf},
    {"log(0)", 0, 0, IeeeCase::kMinusInf}, {"log(x)", 0, 0, IeeeCase::kMinusInf},
    {"exp(x)", 1000, 0, IeeeCase::kPlusInf},
    {"x^-0.5", 0, 0, IeeeCase::kPlusInf},  {"x^-0.5", -1, 0, IeeeCase::kNan},
    {"x^-1", -0.0, 0, IeeeCase::kMinusInf}, {"0^-1", 0, 0, IeeeCase::kPlusInf},
};

TEST(Expression, DomainErrorsGiveNanOrInfNotExceptions) {
  for (const IeeeCase& c : kIeee) {
    double got = 0;
    ASSERT_NO_THROW(got = value_of(c.formula, c.x, c.y)) << c.formula;
    const double inf = std::numeric_limits<double>::infinity();
    const double expected = c.expected == IeeeCase::kNan ? std::nan("") : c.expected == IeeeCase::kPlusInf ? inf : -inf;
    EXPECT_TRUE(same_bits(got, expected)) << c.formula << " = " << got;
    Tape tape;
    Eigen::Vector2d grad;
    const Expression e(c.formula);
    const double recorded = value_and_grad_xy(
        tape, [&](Var x, Var y) { return e.evaluate(x, y); }, Eigen::Vector2d(c.x, c.y), grad);
    EXPECT_TRUE(same_bits(recorded, got)) << c.formula;
  }
}

// ---- Gradients ------------------------------------------------------------------------------

struct GradientCase {
  const char* formula;
  double (*fx)(double, double);  // closed-form partial derivatives, written by hand
  double (*fy)(double, double);
  double lo, hi;  // random points in [lo, hi]^2, inside the formula's domain
};

double sig(double t) { return 1 / (1 + std::exp(-t)); }

const GradientCase kGradients[] = {
    {"x^2 + 3*x*y", [](double x, double y) { return 2 * x + 3 * y; }, [](double x, double) { return 3 * x; }, -3, 3},
    {"sin(x)*cos(y)", [](double x, double y) { return std::cos(x) * std::cos(y); },
     [](double x, double y) { return -std::sin(x) * std::sin(y); }, -3, 3},
    {"exp(x*y)", [](double x, double y) { return y * std::exp(x * y); },
     [](double x, double y) { return x * std::exp(x * y); }, -1.5, 1.5},
    {"log(x^2 + y^2 + 1)", [](double x, double y) { return 2 * x / (x * x + y * y + 1); },
     [](double x, double y) { return 2 * y / (x * x + y * y + 1); }, -3, 3},
    {"sqrt(x^2 + y^2 + 1)", [](double x, double y) { return x / std::sqrt(x * x + y * y + 1); },
     [](double x, double y) { return y / std::sqrt(x * x + y * y + 1); }, -3, 3},
    {"tan(x) + tanh(y)", [](double x, double) { return 1 / (std::cos(x) * std::cos(x)); },
     [](double, double y) { return 1 / (std::cosh(y) * std::cosh(y)); }, -1.2, 1.2},
    {"sigmoid(x - 2*y)", [](double x, double y) { return sig(x - 2 * y) * (1 - sig(x - 2 * y)); },
     [](double x, double y) { return -2 * sig(x - 2 * y) * (1 - sig(x - 2 * y)); }, -3, 3},
    {"abs(x)*y", [](double x, double y) { return x > 0 ? y : -y; }, [](double x, double) { return std::fabs(x); }, -3, 3},
    {"x^y", [](double x, double y) { return y * std::pow(x, y - 1); },
     [](double x, double y) { return std::pow(x, y) * std::log(x); }, 0.2, 3},
    {"2^x + y^3", [](double x, double) { return std::pow(2, x) * std::log(2.0); },
     [](double, double y) { return 3 * y * y; }, -3, 3},
    {"x/(1 + y^2)", [](double, double y) { return 1 / (1 + y * y); },
     [](double x, double y) { return -2 * x * y / ((1 + y * y) * (1 + y * y)); }, -3, 3},
    {"-x^2 - -y", [](double x, double) { return -2 * x; }, [](double, double) { return 1.0; }, -3, 3},
    {"pi*x + e*y", [](double, double) { return std::acos(-1.0); }, [](double, double) { return std::exp(1.0); }, -3, 3},
    {"x^-2", [](double x, double) { return -2 / (x * x * x); }, [](double, double) { return 0.0; }, 0.3, 3},
    {"(1-x)^2 + 100*(y-x^2)^2", [](double x, double y) { return -2 * (1 - x) - 400 * x * (y - x * x); },
     [](double x, double y) { return 200 * (y - x * x); }, -2, 2},
    {"3", [](double, double) { return 0.0; }, [](double, double) { return 0.0; }, -3, 3},
    {"y", [](double, double) { return 0.0; }, [](double, double) { return 1.0; }, -3, 3},
};

TEST(Expression, GradientMatchesClosedFormAndCentralDifferences) {
  Tape tape;
  Rng rng(7);
  for (const GradientCase& c : kGradients) {
    const Expression e(c.formula);
    for (int k = 0; k < 50; ++k) {
      const double x = rng.uniform(c.lo, c.hi), y = rng.uniform(c.lo, c.hi);
      Eigen::Vector2d grad;
      const double v = value_and_grad_xy(
          tape, [&](Var a, Var b) { return e.evaluate(a, b); }, Eigen::Vector2d(x, y), grad);
      const std::string where = std::string(c.formula) + " at (" + std::to_string(x) + ", " + std::to_string(y) + ")";
      EXPECT_TRUE(same_bits(v, e.evaluate(x, y))) << where;
      const double gx = c.fx(x, y), gy = c.fy(x, y);
      EXPECT_NEAR(grad[0], gx, 1e-12 * std::max(1.0, std::fabs(gx))) << where;
      EXPECT_NEAR(grad[1], gy, 1e-12 * std::max(1.0, std::fabs(gy))) << where;
      const double h = 1e-6;
      const double dx = (e.evaluate(x + h, y) - e.evaluate(x - h, y)) / (2 * h);
      const double dy = (e.evaluate(x, y + h) - e.evaluate(x, y - h)) / (2 * h);
      EXPECT_NEAR(grad[0], dx, 1e-6 * std::max(1.0, std::fabs(dx))) << where;
      EXPECT_NEAR(grad[1], dy, 1e-6 * std::max(1.0, std::fabs(dy))) << where;
    }
  }
}

// A constant exponent is recorded as pow(Var, double): x^2 has derivative 2x at a negative x and
// at 0, not the NaN that a^b*ln(a) would bring (update-rules.md, "at the edges").
TEST(Expression, ConstantExponentGivesPowerRuleAtNegativeBaseAndZero) {
  const struct {
    const char* formula;
    double x, expected;
  } cases[] = {{"x^2", -1.5, -3}, {"x^(1+1)", -1.5, -3}, {"x^2", 0, 0}, {"(-x)^3", 2, -12}, {"abs(x)", 0, 0}};
  Tape tape;
  for (const auto& c : cases) {
    const Expression e(c.formula);
    Eigen::Vector2d grad;
    value_and_grad_xy(tape, [&](Var x, Var y) { return e.evaluate(x, y); }, Eigen::Vector2d(c.x, 0), grad);
    EXPECT_EQ(grad[0], c.expected) << c.formula << " at x = " << c.x;
  }
}

TEST(Expression, ConstantsAreFoldedAndNeverBecomeTapeNodes) {
  EXPECT_EQ(Expression("2*pi + 1").program().size(), 1u);
  EXPECT_EQ(Expression("-(2^3)").program().size(), 1u);
  EXPECT_EQ(Expression("sin(0)").program().size(), 1u);
  // (x*2)*3: left-associative, nothing to fold, but each constant rides on its operation.
  Tape tape;
  const Var x = variable(tape, 1.5), y = variable(tape, 0.0);
  const Var out = Expression("x*2*3").evaluate(x, y);
  EXPECT_EQ(tape.size(), 4u);  // two inputs, two multiplications
  EXPECT_EQ(out.value(), 9.0);
}

TEST(Expression, EvaluatesAfterCopyAndMove) {
  const Expression original("x*y + sin(x)");
  const Expression copy = original;
  Expression source("x*y + sin(x)");
  const Expression moved = std::move(source);
  EXPECT_EQ(copy.evaluate(1.5, 2), original.evaluate(1.5, 2));
  EXPECT_EQ(moved.evaluate(1.5, 2), original.evaluate(1.5, 2));
  EXPECT_EQ(copy.text(), "x*y + sin(x)");
}

// ---- Errors ---------------------------------------------------------------------------------

struct ErrorCase {
  const char* formula;
  const char* message;  // a substring of what() that must appear
  int column;
};

const ErrorCase kErrors[] = {
    {"", "empty formula", 1},
    {"  \t ", "empty formula", 1},
    {"(1+2))", "unexpected ')' at column 6", 6},
    {")", "unexpected ')' at column 1", 1},
    {"()", "unexpected ')' at column 2", 2},
    {"1 + 2)*3", "unexpected ')' at column 6 (no '(' to close)", 6},
    {"sin(x", "expected ')' at column 6 (end of formula)", 6},
    {"(1 + (x*2)", "expected ')' at column 11 (end of formula), to close the '(' at column 1", 11},
    {"(x 2", "unexpected '2' at column 4", 4},
    {"z+1", "unknown name 'z' at column 1 (expected x, y, pi, e or a function: sin, cos,", 1},
    {"x + zz", "unknown name 'zz' at column 5", 5},
    {"sine(x)", "unknown name 'sine' at column 1", 1},
    {"X", "unknown name 'X' at column 1 (names are lower case: x)", 1},
    {"Sin(x)", "names are lower case: sin", 1},
    {"sin x", "sin needs parentheses: sin(...) at column 1", 1},
    {"2 * sqrt", "sqrt needs parentheses: sqrt(...) at column 5", 5},
    {"sin(x, y)", "unexpected ',' at column 6 (sin takes one argument)", 6},
    {"1e999", "number out of range at column 1", 1},
    {"x + 1e999", "number out of range at column 5", 5},
    {"1e", "malformed number '1e' at column 1 (expected digits after 'e')", 1},
    {"x+1E+", "malformed number '1E+' at column 3 (expected digits after 'E')", 3},
    {".", "malformed number '.' at column 1", 1},
    {"x + .e3", "malformed number '.' at column 5", 5},
    {"1+", "expected a number, x, y, pi, e, a function or '(' at column 3 (end of formula)", 3},
    {"x^", "at column 3 (end of formula)", 3},
    {"-", "at column 2 (end of formula)", 2},
    {"1+*2", "unexpected '*' at column 3", 3},
    {"*x", "unexpected '*' at column 1", 1},
    {"2x", "unexpected 'x' at column 2 (expected an operator + - * / ^ or end of formula; multiplication needs '*')", 2},
    {"x y", "unexpected 'y' at column 3", 3},
    {"2(x)", "unexpected '(' at column 2", 2},
    {"pi(2)", "unexpected '(' at column 3", 3},
    {"1.5.2", "unexpected '.2' at column 4", 4},
    {"1 # 2", "unexpected character '#' at column 3", 3},
    {"x = 1", "unexpected character '=' at column 3", 3},
    {"x\xc2\xb2", "unexpected character '\xc2\xb2' at column 2", 2},  // a pasted superscript two
    {"x\xff", "unexpected character byte 0xff at column 2", 2},
};

TEST(Expression, ErrorsNameWhatWasExpectedAndWhere) {
  for (const ErrorCase& c : kErrors) {
    try {
      Expression e(c.formula);
      ADD_FAILURE() << "'" << c.formula << "' parsed, expected: " << c.message;
    } catch (const ParseError& error) {
      EXPECT_NE(std::string(error.what()).find(c.message), std::string::npos)
          << "'" << c.formula << "' gave: " << error.what() << "\nexpected to contain: " << c.message;
      EXPECT_EQ(error.column(), c.column) << "'" << c.formula << "': " << error.what();
    }
  }
}

TEST(Expression, EmbeddedNulIsAnErrorNotTheEnd) {
  try {
    Expression e(std::string("x+\0y", 4));
    FAIL() << "parsed a formula with a NUL byte";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.column(), 3);
    EXPECT_NE(std::string(error.what()).find("byte 0x00"), std::string::npos) << error.what();
  }
}

TEST(Expression, ParseErrorIsAnInvalidArgument) {
  EXPECT_THROW(Expression("1+"), std::invalid_argument);
}

// ---- Limits ---------------------------------------------------------------------------------

int error_column(const std::string& formula, const std::string& message) {
  try {
    Expression e(formula);
  } catch (const ParseError& error) {
    EXPECT_NE(std::string(error.what()).find(message), std::string::npos) << error.what();
    return error.column();
  }
  ADD_FAILURE() << "parsed, expected: " << message;
  return -1;
}

TEST(Expression, HundredThousandOpenParenthesesAreRejectedWithoutCrashing) {
  EXPECT_EQ(error_column(std::string(100000, '('), "formula too long: 100000 characters (limit 10000)"), 10001);
  const std::string nested = std::string(100000, '(') + "x" + std::string(100000, ')');
  EXPECT_EQ(error_column(nested, "formula too long"), 10001);
}

TEST(Expression, NestingDeeperThan256IsRejectedAtTheLevelThatExceedsIt) {
  // Under the length limit, so the depth limit is what stops each of these.
  EXPECT_EQ(error_column(std::string(9000, '(') + "x", "formula nested too deeply at column 257 (limit 256)"), 257);
  EXPECT_EQ(error_column(std::string(9000, '-') + "x", "nested too deeply at column 257"), 257);
  std::string sines;
  for (int i = 0; i < 1000; ++i) sines += "sin(";
  EXPECT_EQ(error_column(sines + "x", "nested too deeply at column 1028"), 1028);  // the 257th '('
  std::string tower = "x";
  for (int i = 0; i < 3000; ++i) tower += "^x";
  EXPECT_EQ(error_column(tower, "nested too deeply at column 514"), 514);  // the 257th '^'
}

TEST(Expression, NestingOf256LevelsParsesAndEvaluates) {
  const std::string nested = std::string(256, '(') + "x+1" + std::string(256, ')');
  EXPECT_EQ(Expression(nested).evaluate(2, 0), 3);
  EXPECT_EQ(Expression(std::string(256, '-') + "x").evaluate(2, 0), 2);  // an even number of signs
}

TEST(Expression, LengthLimitIsExactly10000Characters) {
  std::string sum = "x";
  while (sum.size() + 2 <= 10000) sum += "+x";
  sum.resize(10000, ' ');
  EXPECT_EQ(Expression(sum).evaluate(1, 0), 5000);  // long flat chains do not recurse
  EXPECT_EQ(error_column(sum + " ", "formula too long: 10001 characters (limit 10000)"), 10001);
}

// ---- Grids ----------------------------------------------------------------------------------

TEST(Expression, GridEqualsPointEvaluationBitForBit) {
  const char* formulas[] = {
      "x", "y", "3", "-x", "x*y", "x/y", "2^x*3", "sin(2*pi*x) + y^2", "(1-x)^2 + 100*(y-x^2)^2",
      "log(x) + sqrt(y)", "sigmoid(x - y)", "exp(-x^2)*cos(y)",
      "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
  };
  const int sizes[][2] = {{7, 5}, {1, 4}, {4, 1}, {1, 1}, {33, 2}};
  for (const char* formula : formulas) {
    const Expression e(formula);
    for (const auto& size : sizes) {
      const Eigen::ArrayXd xs = Eigen::ArrayXd::LinSpaced(size[0], -2.0, 1.5);
      const Eigen::ArrayXd ys = Eigen::ArrayXd::LinSpaced(size[1], -1.0, 2.5);
      const Eigen::ArrayXXd grid = e.evaluate_grid(xs, ys);
      ASSERT_EQ(grid.rows(), size[0]) << formula;
      ASSERT_EQ(grid.cols(), size[1]) << formula;
      for (int j = 0; j < size[1]; ++j)
        for (int i = 0; i < size[0]; ++i)
          EXPECT_TRUE(same_bits(grid(i, j), e.evaluate(xs[i], ys[j])))
              << formula << " at (" << xs[i] << ", " << ys[j] << "): grid " << grid(i, j)
              << ", point " << e.evaluate(xs[i], ys[j]);
    }
  }
}

// The grid evaluator splits a formula by what each part depends on (a constant, x alone, y
// alone, both) and runs the parts in separate passes; every cell must still be the point value
// to the bit, signed zeros included. The axes hold 0, -0, +-inf and NaN, so divisions by zero,
// logs of negatives and overflows produce their cells. A NaN equals any NaN (same_bits): where
// two NaNs of different sign meet (0*inf times a NaN y), x86 keeps the first operand's and the
// compiler may order a commutative operation's operands either way; wasm leaves NaN bits open.
TEST(Expression, GridIntoBufferEqualsPointEvaluationBitPattern) {
  std::string deep = "x*y";
  for (int i = 0; i < 40; ++i) deep = (i % 2 ? "sin(" : "tanh(") + deep + ") + " + (i % 3 ? "x" : "y");
  std::string right = "x";  // a right-leaning chain, so the stack gets deep: x*(y+(x*(y+...)))
  for (int i = 0; i < 60; ++i) right = (i % 2 ? "x*(" : "y+(") + right + ")";
  const std::string formulas[] = {
      // Constants only.
      "3", "pi*e - 2^0.5", "-log(0)", "0/0", "sqrt(-1)",
      // x alone and y alone, bare, through every function and as powers.
      "x", "y", "-x", "-y", "sin(x)", "cos(y)", "tan(x)", "exp(y)", "log(x)", "sqrt(y)", "abs(x)",
      "tanh(y)", "sigmoid(x)", "x^2", "y^3", "x^0.5", "2^x", "y^-1", "x^x", "1/x", "y/0", "x - x",
      "exp(1000*x)", "exp(1000*x) - exp(1000*x)", "sin(x)^2 + cos(x)^2 + 1/x",
      // Both: every function of a mixed argument, one-variable parts meeting each other, either
      // side of an operation, constants on either side.
      "x*y", "y*x", "x/y", "y/x", "x - y", "x^y", "y^x", "2*x + y", "x + 2*y", "(x + y)^2", "-(x*y)",
      "sin(x*y)", "cos(x + y)", "tan(x - y)", "exp(x*y)", "log(x*y)", "sqrt(x - y)", "abs(y - x)",
      "tanh(x/y)", "sigmoid(y - x)", "sin(x) + cos(y)", "exp(y) * sin(x)", "log(x)/sqrt(y)",
      "sin(x)*y + cos(x)*exp(y) - log(x)/sqrt(y)", "(1-x)^2 + 100*(y-x^2)^2", "3 - x*y*0",
      "(x*y)^(x/y)", "1/(x - y)", "0*x*y + 0/y", "x^2 + y^2 + x*y - sigmoid(x)*tanh(y)",
      "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
      // Deep.
      deep, right,
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  const auto axis = [&](int n, double from, double to) {
    Eigen::ArrayXd a = Eigen::ArrayXd::LinSpaced(n, from, to);
    const double special[] = {0.0, -0.0, kInf, -kInf, kNan, 1e300, -1e-310};
    for (int k = 0; k < n && k < 7 && n > 3; ++k) a[(k * 5 + 1) % n] = special[k];
    return a;
  };
  const int sizes[][2] = {{2, 2}, {2, 9}, {9, 2}, {17, 5}, {5, 17}, {64, 3}, {1, 1}, {3, 1}, {1, 6}};
  for (const std::string& formula : formulas) {
    const Expression e(formula);
    for (const auto& size : sizes) {
      const int nx = size[0], ny = size[1];
      const Eigen::ArrayXd xs = axis(nx, -2.0, 1.5), ys = axis(ny, -1.0, 2.5);
      // A guard after the grid: nothing is written beyond nx * ny.
      std::vector<double> out(static_cast<std::size_t>(nx * ny) + 1, 12345.0);
      e.evaluate_grid(xs, ys, out.data());
      ASSERT_EQ(out.back(), 12345.0) << formula;
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const double point = e.evaluate(xs[i], ys[j]), cell = out[static_cast<std::size_t>(j * nx + i)];
          ASSERT_TRUE(same_bits(cell, point))
              << formula << " on " << nx << " x " << ny << " at (" << xs[i] << ", " << ys[j]
              << "): grid " << cell << ", point " << point;
        }
    }
  }
}

// The scratch is reused and only grows; a smaller grid after a larger one, and the same grid
// twice, give the same cells as a fresh Expression.
TEST(Expression, GridScratchReuseDoesNotChangeCells) {
  const std::string formula = "sin(x)*y + cos(x)*exp(y) - log(x)/sqrt(y) + x^2*(y - 1)";
  const Expression reused(formula);
  const int sizes[][2] = {{40, 30}, {3, 2}, {40, 30}, {7, 50}, {2, 2}};
  for (const auto& size : sizes) {
    const Eigen::ArrayXd xs = Eigen::ArrayXd::LinSpaced(size[0], -1.0, 2.0);
    const Eigen::ArrayXd ys = Eigen::ArrayXd::LinSpaced(size[1], 0.5, 3.0);
    const Eigen::ArrayXXd fresh = Expression(formula).evaluate_grid(xs, ys);
    const Eigen::ArrayXXd again = reused.evaluate_grid(xs, ys);
    ASSERT_EQ(again.rows(), size[0]);
    ASSERT_EQ(again.cols(), size[1]);
    EXPECT_EQ(std::memcmp(fresh.data(), again.data(), sizeof(double) * static_cast<std::size_t>(fresh.size())), 0)
        << size[0] << " x " << size[1];
  }
}

TEST(Expression, GridOfNoPointsIsEmpty) {
  const Eigen::ArrayXXd grid = Expression("x*y").evaluate_grid(Eigen::ArrayXd(0), Eigen::ArrayXd::Ones(3));
  EXPECT_EQ(grid.size(), 0);
}

}  // namespace
}  // namespace optlab
