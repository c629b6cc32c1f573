// Tests of the 2-D landscapes and the seeded RNG behind their noise. For every built-in: its
// formula text, parsed, gives the template's value; the tape gradient equals a hand-written
// closed form and central differences; each listed minimum has its value, zero gradient and
// higher ground around it; start and minima lie in the view. Then grids, noise, errors, the
// catalog, and that a step allocates nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "problems/expression.h"
#include "problems/landscapes.h"
#include "problems/rng.h"

// Counts heap allocations made through operator new (std::vector, so the tape and the formula's
// stacks), to check that stepping allocates nothing. GCC cannot see that new and delete pair up.
namespace {
std::atomic<long> g_allocations{0};
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace optlab {
namespace {

const double kPi = std::acos(-1.0);

struct BuiltinCase {
  const char* name;
  double (*gx)(double, double);  // the gradient in closed form, written by hand
  double (*gy)(double, double);
  bool cone_at_minima;  // not differentiable at its minima: the gradient there is not 0
};

double ackley_r(double x, double y) { return std::sqrt(0.5 * (x * x + y * y)); }
double ackley_gx(double x, double y) {
  const double r = ackley_r(x, y);
  const double waves = std::exp(0.5 * (std::cos(2 * kPi * x) + std::cos(2 * kPi * y)));
  return 2 * x * std::exp(-0.2 * r) / r + kPi * std::sin(2 * kPi * x) * waves;
}
double ackley_gy(double x, double y) { return ackley_gx(y, x); }  // symmetric in x and y

double beale_gx(double x, double y) {
  const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
  return 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1);
}
double beale_gy(double x, double y) {
  const double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
  return 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y;
}

const BuiltinCase kBuiltins[] = {
    {"quadratic", [](double x, double) { return x; }, [](double, double y) { return 10 * y; }, false},
    {"rosenbrock", [](double x, double y) { return -2 * (1 - x) - 400 * x * (y - x * x); },
     [](double x, double y) { return 200 * (y - x * x); }, false},
    {"beale", beale_gx, beale_gy, false},
    {"himmelblau", [](double x, double y) { return 4 * x * (x * x + y - 11) + 2 * (x + y * y - 7); },
     [](double x, double y) { return 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7); }, false},
    {"booth", [](double x, double y) { return 2 * (x + 2 * y - 7) + 4 * (2 * x + y - 5); },
     [](double x, double y) { return 4 * (x + 2 * y - 7) + 2 * (2 * x + y - 5); }, false},
    {"saddle", [](double x, double) { return 2 * x; }, [](double, double y) { return -2 * y; }, false},
    {"rastrigin", [](double x, double) { return 2 * x + 20 * kPi * std::sin(2 * kPi * x); },
     [](double, double y) { return 2 * y + 20 * kPi * std::sin(2 * kPi * y); }, false},
    {"ackley", ackley_gx, ackley_gy, true},
    {"styblinski_tang", [](double x, double) { return 0.5 * (4 * x * x * x - 32 * x + 5); },
     [](double, double y) { return 0.5 * (4 * y * y * y - 32 * y + 5); }, false},
    {"six_hump_camel", [](double x, double y) { return 8 * x - 8.4 * x * x * x + 2 * std::pow(x, 5) + y; },
     [](double x, double y) { return x - 8 * y + 16 * y * y * y; }, false},
};

bool inside(const ViewBox& v, double x, double y) { return v.xmin <= x && x <= v.xmax && v.ymin <= y && y <= v.ymax; }

Eigen::Vector2d gradient(Landscape& landscape, double x, double y) {
  Eigen::VectorXd grad;
  landscape.loss_and_grad(Eigen::Vector2d(x, y), 0, grad);
  return grad;
}

// Random points in the landscape's view box, the same in every run.
std::vector<Eigen::Vector2d> sample_points(const ViewBox& v, int count) {
  Rng rng(2024);
  std::vector<Eigen::Vector2d> points;
  for (int k = 0; k < count; ++k) points.emplace_back(rng.uniform(v.xmin, v.xmax), rng.uniform(v.ymin, v.ymax));
  return points;
}

TEST(Landscapes, EveryBuiltinIsTestedHere) {
  std::vector<std::string> tested;
  for (const BuiltinCase& c : kBuiltins) tested.push_back(c.name);
  EXPECT_EQ(tested, landscape_names());
}

TEST(Landscapes, FormulaTextGivesTheTemplatesValue) {
  for (const BuiltinCase& c : kBuiltins) {
    const auto builtin = make_landscape(c.name);
    const auto formula = make_formula_landscape(builtin->info().formula);
    for (const Eigen::Vector2d& p : sample_points(builtin->info().view, 100)) {
      const double expected = builtin->value(p[0], p[1]);
      // pow(y, 3) against y*y*y may differ in the last bits, nothing more.
      EXPECT_NEAR(formula->value(p[0], p[1]), expected, 1e-13 * std::max(1.0, std::fabs(expected)))
          << c.name << " at (" << p[0] << ", " << p[1] << ")";
    }
  }
}

TEST(Landscapes, GradientMatchesClosedFormAndCentralDifferences) {
  for (const BuiltinCase& c : kBuiltins) {
    const auto landscape = make_landscape(c.name);
    const auto formula = make_formula_landscape(landscape->info().formula);
    for (const Eigen::Vector2d& p : sample_points(landscape->info().view, 100)) {
      const double x = p[0], y = p[1];
      const std::string where = std::string(c.name) + " at (" + std::to_string(x) + ", " + std::to_string(y) + ")";
      const Eigen::Vector2d g = gradient(*landscape, x, y);
      const Eigen::Vector2d closed(c.gx(x, y), c.gy(x, y));
      const double scale = std::max(1.0, closed.norm());
      EXPECT_NEAR(g[0], closed[0], 1e-12 * scale) << where;
      EXPECT_NEAR(g[1], closed[1], 1e-12 * scale) << where;
      const Eigen::Vector2d from_formula = gradient(*formula, x, y);
      EXPECT_NEAR(from_formula[0], closed[0], 1e-12 * scale) << where << " (formula)";
      EXPECT_NEAR(from_formula[1], closed[1], 1e-12 * scale) << where << " (formula)";
      const double h = 1e-6;
      const double dx = (landscape->value(x + h, y) - landscape->value(x - h, y)) / (2 * h);
      const double dy = (landscape->value(x, y + h) - landscape->value(x, y - h)) / (2 * h);
      const double fd_tolerance = 1e-6 * std::max(1.0, std::fabs(landscape->value(x, y)));
      EXPECT_NEAR(g[0], dx, fd_tolerance) << where;
      EXPECT_NEAR(g[1], dy, fd_tolerance) << where;
    }
  }
}

TEST(Landscapes, ListedMinimaHaveTheirValueZeroGradientAndHigherGroundAround) {
  for (const BuiltinCase& c : kBuiltins) {
    const auto landscape = make_landscape(c.name);
    const LandscapeInfo& info = landscape->info();
    for (std::size_t k = 0; k < info.minima.size(); ++k) {
      const Minimum& m = info.minima[k];
      const std::string where = std::string(c.name) + " minimum " + std::to_string(k);
      EXPECT_NEAR(landscape->value(m.x, m.y), m.value, 1e-12) << where;
      EXPECT_GE(m.value, info.minima[0].value) << where << ": the global minimum is listed first";
      if (!c.cone_at_minima) {
        const Eigen::Vector2d g = gradient(*landscape, m.x, m.y);
        EXPECT_LT(g.norm(), 1e-9) << where;
      }
      for (double angle = 0; angle < 2 * kPi; angle += kPi / 8) {
        const double h = 1e-3;
        EXPECT_GT(landscape->value(m.x + h * std::cos(angle), m.y + h * std::sin(angle)), m.value) << where;
      }
    }
  }
}

TEST(Landscapes, InfoIsCompleteAndStartAndMinimaLieInTheView) {
  std::set<std::string> names;
  for (const BuiltinCase& c : kBuiltins) {
    const auto landscape = make_landscape(c.name);
    const LandscapeInfo& info = landscape->info();
    EXPECT_EQ(info.name, c.name);
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate " << info.name;
    EXPECT_FALSE(info.note.empty()) << c.name;
    EXPECT_NO_THROW(Expression(info.formula)) << c.name;
    EXPECT_LT(info.view.xmin, info.view.xmax) << c.name;
    EXPECT_LT(info.view.ymin, info.view.ymax) << c.name;
    EXPECT_TRUE(inside(info.view, info.start[0], info.start[1])) << c.name;
    for (const Minimum& m : info.minima) EXPECT_TRUE(inside(info.view, m.x, m.y)) << c.name;
    EXPECT_EQ(landscape->dim(), 2);
    EXPECT_EQ(landscape->default_start(), Eigen::VectorXd(info.start)) << c.name;
    // Log-scaled contour levels need a landscape that is never negative.
    if (info.log_scale) {
      for (const Eigen::Vector2d& p : sample_points(info.view, 200)) EXPECT_GE(landscape->value(p[0], p[1]), 0) << c.name;
    }
  }
}

TEST(Landscapes, SpecDefinesTheFirstSixExactly) {
  // experiment.md's formulas, letter for letter.
  const std::pair<const char*, const char*> spec[] = {
      {"quadratic", "0.5*(x^2 + 10*y^2)"},
      {"rosenbrock", "(1-x)^2 + 100*(y-x^2)^2"},
      {"beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"},
      {"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"},
      {"booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2"},
      {"saddle", "x^2 - y^2"},
  };
  for (const auto& [name, formula] : spec) EXPECT_EQ(make_landscape(name)->info().formula, formula);
}

TEST(Landscapes, LossAndLossAndGradGiveTheValueBitForBit) {
  for (const std::string& name : landscape_names()) {
    const auto landscape = make_landscape(name);
    for (const Eigen::Vector2d& p : sample_points(landscape->info().view, 20)) {
      Eigen::VectorXd grad;
      const double with_grad = landscape->loss_and_grad(p, 3, grad);
      EXPECT_EQ(landscape->loss(p), landscape->value(p[0], p[1])) << name;
      EXPECT_EQ(with_grad, landscape->value(p[0], p[1])) << name;
      EXPECT_EQ(grad.size(), 2);
    }
  }
}

TEST(Landscapes, WrongDimensionIsRejected) {
  const auto landscape = make_landscape("booth");
  Eigen::VectorXd grad;
  EXPECT_THROW(landscape->loss(Eigen::VectorXd::Zero(3)), std::invalid_argument);
  try {
    landscape->loss_and_grad(Eigen::VectorXd::Zero(1), 0, grad);
    FAIL() << "accepted a 1-D point";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("x must have 2 entries, got 1"), std::string::npos) << error.what();
  }
}

TEST(Landscapes, UnknownNameListsTheKnownOnes) {
  try {
    make_landscape("rosenbrok");
    FAIL() << "made an unknown landscape";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("unknown landscape 'rosenbrok' (expected one of quadratic, rosenbrock, "), std::string::npos) << message;
    for (const std::string& name : landscape_names()) EXPECT_NE(message.find(name), std::string::npos) << name;
  }
}

// ---- Formula landscapes ---------------------------------------------------------------------

TEST(Landscapes, FormulaLandscapeHasDefaultsAndTheExpressionsGradient) {
  const auto landscape = make_formula_landscape("x^2*y + sin(y)");
  const LandscapeInfo& info = landscape->info();
  EXPECT_EQ(info.name, "expr");
  EXPECT_EQ(info.formula, "x^2*y + sin(y)");
  EXPECT_EQ(info.view.xmin, -3);
  EXPECT_EQ(info.view.xmax, 3);
  EXPECT_EQ(info.view.ymin, -3);
  EXPECT_EQ(info.view.ymax, 3);
  EXPECT_TRUE(inside(info.view, info.start[0], info.start[1]));
  EXPECT_TRUE(info.minima.empty());
  EXPECT_FALSE(info.log_scale);
  const Eigen::Vector2d g = gradient(*landscape, 1.5, -0.5);
  EXPECT_DOUBLE_EQ(g[0], 2 * 1.5 * -0.5);
  EXPECT_DOUBLE_EQ(g[1], 1.5 * 1.5 + std::cos(-0.5));
}

TEST(Landscapes, BadFormulaThrowsParseErrorWithColumn) {
  try {
    make_formula_landscape("x + sin y");
    FAIL() << "made a landscape from a bad formula";
  } catch (const ParseError& error) {
    EXPECT_EQ(error.column(), 5);
    EXPECT_NE(std::string(error.what()).find("sin needs parentheses"), std::string::npos) << error.what();
  }
}

// ---- Grids ----------------------------------------------------------------------------------

TEST(Landscapes, GridHoldsTheValueAtEachGridPointRowZeroAtYmin) {
  std::vector<std::unique_ptr<Landscape>> landscapes;
  for (const std::string& name : landscape_names()) landscapes.push_back(make_landscape(name));
  landscapes.push_back(make_formula_landscape("log(x) + x*y^3 - 2"));  // NaN where x < 0
  const ViewBox view{-1.5, 2.5, -0.75, 1.0};
  const int nx = 9, ny = 6;
  std::vector<double> out(nx * ny);
  for (const auto& landscape : landscapes) {
    landscape->evaluate_grid(view, nx, ny, out.data());
    for (int j = 0; j < ny; ++j) {
      for (int i = 0; i < nx; ++i) {
        const double x = view.xmin + i * (view.xmax - view.xmin) / (nx - 1);
        const double y = view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
        const double expected = landscape->value(x, y);
        const double got = out[j * nx + i];
        EXPECT_TRUE(got == expected || (std::isnan(got) && std::isnan(expected)))
            << landscape->info().formula << " at (" << x << ", " << y << "): " << got << " vs " << expected;
      }
    }
    EXPECT_EQ(out[nx * ny - 1], landscape->value(view.xmax, view.ymax));  // the last row is ymax
  }
}

TEST(Landscapes, GridRejectsBadArguments) {
  const auto landscape = make_landscape("quadratic");
  std::vector<double> out(16);
  const ViewBox good{-1, 1, -1, 1};
  const double nan = std::nan("");
  EXPECT_THROW(landscape->evaluate_grid(good, 1, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(good, 4, 0, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(good, 5000, 2, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(ViewBox{1, -1, -1, 1}, 4, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(ViewBox{-1, 1, 0, 0}, 4, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(ViewBox{nan, 1, -1, 1}, 4, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(ViewBox{-1, HUGE_VAL, -1, 1}, 4, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(ViewBox{-1e308, 1e308, -1, 1}, 4, 4, out.data()), std::invalid_argument);
  EXPECT_THROW(landscape->evaluate_grid(good, 4, 4, nullptr), std::invalid_argument);
  EXPECT_NO_THROW(landscape->evaluate_grid(good, 4, 4, out.data()));
}

// ---- Noise ----------------------------------------------------------------------------------

Eigen::Vector2d noisy_gradient(Landscape& landscape, long step) {
  Eigen::VectorXd grad;
  landscape.loss_and_grad(Eigen::Vector2d(-1.0, 0.5), step, grad);
  return grad;
}

TEST(Landscapes, NoiseDependsOnSeedAndStepOnly) {
  const auto exact = make_landscape("rosenbrock");
  const Eigen::Vector2d clean = noisy_gradient(*exact, 0);
  const auto a = make_landscape("rosenbrock");
  a->set_noise(0.5, 42);
  std::vector<Eigen::Vector2d> in_order;
  for (long step = 0; step < 10; ++step) in_order.push_back(noisy_gradient(*a, step));
  // Another landscape, another order, steps skipped: the same gradient for each step.
  const auto b = make_landscape("rosenbrock");
  b->set_noise(0.5, 42);
  for (long step : {7L, 2L, 9L, 2L}) EXPECT_EQ(noisy_gradient(*b, step), in_order[static_cast<std::size_t>(step)]) << step;
  for (long step = 1; step < 10; ++step) EXPECT_NE(in_order[static_cast<std::size_t>(step)], in_order[0]) << step;
  for (const Eigen::Vector2d& g : in_order) EXPECT_NE(g, clean);
  b->set_noise(0.5, 43);
  EXPECT_NE(noisy_gradient(*b, 7), in_order[7]);
  // The noise is additive, so the loss stays exact.
  Eigen::VectorXd grad;
  EXPECT_EQ(a->loss_and_grad(Eigen::Vector2d(-1.0, 0.5), 5, grad), exact->value(-1.0, 0.5));
  a->set_noise(0.0, 42);
  EXPECT_EQ(noisy_gradient(*a, 5), clean);
}

TEST(Landscapes, NoiseIsGaussianWithTheGivenSigma) {
  const auto landscape = make_landscape("saddle");
  const double sigma = 0.3;
  landscape->set_noise(sigma, 5);
  const Eigen::Vector2d clean(-2.0, -1.0);  // the saddle's gradient at (-1, 0.5)
  const int n = 40000;
  double sum[2] = {0, 0}, sum_sq[2] = {0, 0}, cross = 0;
  for (long step = 0; step < n; ++step) {
    const Eigen::Vector2d noise = noisy_gradient(*landscape, step) - clean;
    for (int i = 0; i < 2; ++i) {
      sum[i] += noise[i];
      sum_sq[i] += noise[i] * noise[i];
    }
    cross += noise[0] * noise[1];
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_NEAR(sum[i] / n, 0.0, 4 * sigma / std::sqrt(n));
    EXPECT_NEAR(std::sqrt(sum_sq[i] / n), sigma, 0.02 * sigma);
  }
  EXPECT_NEAR(cross / n, 0.0, 4 * sigma * sigma / std::sqrt(n));  // the two components independent
}

TEST(Landscapes, NoiseRejectsNegativeOrNonFiniteSigma) {
  const auto landscape = make_landscape("booth");
  EXPECT_THROW(landscape->set_noise(-0.1, 0), std::invalid_argument);
  EXPECT_THROW(landscape->set_noise(std::nan(""), 0), std::invalid_argument);
  EXPECT_THROW(landscape->set_noise(HUGE_VAL, 0), std::invalid_argument);
}

// ---- The hot path ---------------------------------------------------------------------------

TEST(Landscapes, StepAllocatesNothing) {
  std::vector<std::unique_ptr<Landscape>> landscapes;
  landscapes.push_back(make_landscape("rosenbrock"));
  landscapes.push_back(make_landscape("ackley"));
  landscapes.push_back(make_formula_landscape("(1-x)^2 + 100*(y-x^2)^2 + sigmoid(x*y) + 2^x"));
  for (auto& landscape : landscapes) {
    landscape->set_noise(0.1, 1);
    Eigen::VectorXd x(2), grad;
    x << 0.3, -0.7;
    landscape->loss_and_grad(x, 0, grad);  // the first step may size the tape and grad
    const long before = g_allocations.load();
    double sum = 0;
    for (long step = 1; step < 1000; ++step) {
      sum += landscape->loss_and_grad(x, step, grad) + landscape->loss(x) + landscape->value(0.1, 0.2);
      x -= 1e-4 * grad;
    }
    EXPECT_EQ(g_allocations.load() - before, 0) << landscape->info().formula;
    EXPECT_TRUE(std::isfinite(sum));
  }
}

// ---- Catalog --------------------------------------------------------------------------------

TEST(Landscapes, CatalogDescribesEveryBuiltinInOrder) {
  const nlohmann::json catalog = landscape_catalog();
  const std::vector<std::string> names = landscape_names();
  ASSERT_EQ(catalog.size(), names.size());
  for (std::size_t k = 0; k < names.size(); ++k) {
    const nlohmann::json& entry = catalog[k];
    const auto landscape = make_landscape(names[k]);
    const LandscapeInfo& info = landscape->info();
    EXPECT_EQ(entry.at("name"), names[k]);
    EXPECT_EQ(entry.at("formula"), info.formula);
    EXPECT_EQ(entry.at("note"), info.note);
    EXPECT_EQ(entry.at("view").at("xmin").get<double>(), info.view.xmin);
    EXPECT_EQ(entry.at("view").at("ymax").get<double>(), info.view.ymax);
    EXPECT_EQ(entry.at("start").at(0).get<double>(), info.start[0]);
    EXPECT_EQ(entry.at("start").at(1).get<double>(), info.start[1]);
    ASSERT_EQ(entry.at("minima").size(), info.minima.size());
    for (std::size_t m = 0; m < info.minima.size(); ++m)
      EXPECT_EQ(entry.at("minima").at(m).at("value").get<double>(), info.minima[m].value);
    EXPECT_EQ(entry.at("log_scale").get<bool>(), info.log_scale);
  }
}

// ---- The RNG --------------------------------------------------------------------------------

TEST(Rng, SameSeedStreamAndCounterGiveTheSameNumbers) {
  Rng a(9, RngStream::kDataset, 4), b(9, RngStream::kDataset, 4);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(a.next_u64(), b.next_u64());
  for (int k = 0; k < 100; ++k) EXPECT_EQ(a.normal(), b.normal());
}

TEST(Rng, AnyChangeOfSeedStreamOrCounterChangesTheNumbers) {
  const std::uint64_t base = Rng(9, 2, 4).next_u64();
  EXPECT_NE(Rng(10, 2, 4).next_u64(), base);
  EXPECT_NE(Rng(9, 3, 4).next_u64(), base);
  EXPECT_NE(Rng(9, 2, 5).next_u64(), base);
  EXPECT_NE(Rng(4, 2, 9).next_u64(), base);  // the roles are not interchangeable
  std::set<std::uint64_t> firsts;
  for (std::uint64_t counter = 0; counter < 10000; ++counter) firsts.insert(Rng(0, 0, counter).next_u64());
  EXPECT_EQ(firsts.size(), 10000u);
}

TEST(Rng, UniformIsInUnitIntervalWithMeanOneHalf) {
  Rng rng(1);
  const int n = 100000;
  double sum = 0, lo = 1, hi = 0;
  for (int k = 0; k < n; ++k) {
    const double u = rng.uniform();
    sum += u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_NEAR(sum / n, 0.5, 4 * std::sqrt(1.0 / 12 / n));
  for (int k = 0; k < 1000; ++k) {
    const double v = rng.uniform(-2.0, 3.0);
    EXPECT_GE(v, -2.0);
    EXPECT_LT(v, 3.0);
  }
}

TEST(Rng, BelowCoversItsRangeEvenly) {
  Rng rng(3);
  int counts[7] = {};
  const int n = 70000;
  for (int k = 0; k < n; ++k) {
    const std::uint64_t r = rng.below(7);
    ASSERT_LT(r, 7u);
    ++counts[r];
  }
  for (int count : counts) EXPECT_NEAR(count, n / 7.0, 5 * std::sqrt(n / 7.0));
  EXPECT_THROW(rng.below(0), std::invalid_argument);
}

TEST(Rng, PortableLogIsWithinAFewUlpOfTheLibraryLog) {
  EXPECT_EQ(portable_log(1.0), 0.0);
  Rng rng(8);
  for (int k = 0; k < 100000; ++k) {
    double x = rng.uniform();
    if (k % 2 == 0) {  // anywhere in the normal range, exactly (ldexp only moves the exponent)
      const int exponent = static_cast<int>(rng.below(2000)) - 1000;
      x = std::ldexp(0.5 + 0.5 * x, exponent);
    }
    if (x == 0) continue;
    const double expected = std::log(x);
    const double ulp = std::nextafter(std::fabs(expected), HUGE_VAL) - std::fabs(expected);
    ASSERT_LE(std::fabs(portable_log(x) - expected), 4 * ulp) << "x = " << x;
  }
}

TEST(Rng, NormalHasMeanZeroVarianceOneAndGaussianTails) {
  Rng rng(11);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  int beyond_two = 0;
  for (int k = 0; k < n; ++k) {
    const double z = rng.normal();
    sum += z;
    sum_sq += z * z;
    beyond_two += std::fabs(z) > 2;
  }
  EXPECT_NEAR(sum / n, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(sum_sq / n, 1.0, 4 * std::sqrt(2.0 / n));
  EXPECT_NEAR(beyond_two / double(n), 0.0455, 0.003);  // P(|Z| > 2)
}

}  // namespace
}  // namespace optlab
