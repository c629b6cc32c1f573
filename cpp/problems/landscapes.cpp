// The built-in 2-D landscapes and formula landscapes (see landscapes.h).
//
// Each built-in is one function template, instantiated with double (values, grids) and with Var
// (the gradient, recorded on a StackTape in the step's own frame). Its formula text
// computes the same thing in the formula grammar; tests check that the two agree.
#include "problems/landscapes.h"

#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "autodiff/stack_tape.h"
#include "autodiff/var.h"
#include "math/portable.h"
#include "problems/expression.h"
#include "problems/rng.h"

namespace optlab {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kE = 2.718281828459045;

// Squares are written x*x: as exact as pow(x, 2) and much cheaper (and what the parser records
// for ^2). No expression has two operands that both record on the tape: C++ leaves the order of
// evaluating them unspecified, so GCC (native) and clang (wasm) would record the nodes in
// different orders, sum the adjoints in different orders, and differ in the last bits.

// 0.5*(x^2 + 10*y^2)
struct Quadratic {
  template <class T> T operator()(const T& x, const T& y) const {
    const T xx = x * x;
    return 0.5 * (xx + 10.0 * (y * y));
  }
};

// (1-x)^2 + 100*(y-x^2)^2
struct Rosenbrock {
  template <class T> T operator()(const T& x, const T& y) const {
    const T a = 1.0 - x;
    const T aa = a * a;
    const T b = y - x * x;
    return aa + 100.0 * (b * b);
  }
};

// (1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2
struct Beale {
  template <class T> T operator()(const T& x, const T& y) const {
    const T y2 = y * y;
    const T y3 = y2 * y;
    T a = 1.5 - x;
    a = a + x * y;
    T b = 2.25 - x;
    b = b + x * y2;
    T c = 2.625 - x;
    c = c + x * y3;
    T f = a * a;
    f = f + b * b;
    return f + c * c;
  }
};

// (x^2 + y - 11)^2 + (x + y^2 - 7)^2
struct Himmelblau {
  template <class T> T operator()(const T& x, const T& y) const {
    const T a = x * x + y - 11.0;
    const T aa = a * a;
    const T b = x + y * y - 7.0;
    return aa + b * b;
  }
};

// (x + 2*y - 7)^2 + (2*x + y - 5)^2
struct Booth {
  template <class T> T operator()(const T& x, const T& y) const {
    const T a = x + 2.0 * y - 7.0;
    const T aa = a * a;
    const T b = 2.0 * x + y - 5.0;
    return aa + b * b;
  }
};

// x^2 - y^2
struct Saddle {
  template <class T> T operator()(const T& x, const T& y) const {
    const T xx = x * x;
    return xx - y * y;
  }
};

// 20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)
struct Rastrigin {
  template <class T> T operator()(const T& x, const T& y) const {
    using pm::cos;
    T f = 20.0 + x * x;
    f = f - 10.0 * cos(2.0 * kPi * x);
    f = f + y * y;
    return f - 10.0 * cos(2.0 * kPi * y);
  }
};

// -20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20
// A cone at the origin: the gradient there is undefined (NaN), as in torch.
struct Ackley {
  template <class T> T operator()(const T& x, const T& y) const {
    using pm::cos;
    using pm::exp;
    using std::sqrt;
    T r2 = x * x;
    r2 = r2 + y * y;
    const T funnel = -20.0 * exp(-0.2 * sqrt(0.5 * r2));
    T waves = cos(2.0 * kPi * x);
    waves = waves + cos(2.0 * kPi * y);
    const T f = funnel - exp(0.5 * waves);
    return f + kE + 20.0;
  }
};

// 0.5*((x^4 - 16*x^2 + 5*x) + (y^4 - 16*y^2 + 5*y))
struct StyblinskiTang {
  template <class T> T operator()(const T& x, const T& y) const {
    const T x2 = x * x;
    T fx = x2 * x2;
    fx = fx - 16.0 * x2;
    fx = fx + 5.0 * x;
    const T y2 = y * y;
    T fy = y2 * y2;
    fy = fy - 16.0 * y2;
    fy = fy + 5.0 * y;
    return 0.5 * (fx + fy);
  }
};

// (4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2
struct SixHumpCamel {
  template <class T> T operator()(const T& x, const T& y) const {
    const T x2 = x * x;
    T a = 4.0 - 2.1 * x2;
    a = a + x2 * x2 / 3.0;
    T f = a * x2;
    f = f + x * y;
    const T y2 = y * y;
    const T b = -4.0 + 4.0 * y2;
    return f + b * y2;
  }
};

template <class F>
class Builtin final : public Landscape {
 public:
  explicit Builtin(LandscapeInfo info) : Landscape(std::move(info)) {}
  // A built-in is a few dozen tape nodes: measured at 0.45 to 0.7 µs a step in wasm.
  double step_cost() const override { return 700.0; }

 protected:
  double f(double x, double y) const override { return F()(x, y); }
  Jet2 f_jet(const Jet2& x, const Jet2& y) const override { return F()(x, y); }
  // On a StackTape: the built-in's code is fixed, so its tape can live in registers (same bits as
  // the heap Tape's; the largest built-in records 20 nodes).
  double f_and_grad(const Eigen::Vector2d& at, Eigen::Vector2d& grad) override {
    return value_and_grad_xy_on_stack<32>([](auto x, auto y) { return F()(x, y); }, at, grad);
  }
  void grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const override {
    const Eigen::Index nx = xs.size();
    for (Eigen::Index j = 0; j < ys.size(); ++j)
      for (Eigen::Index i = 0; i < nx; ++i) out[j * nx + i] = F()(xs[i], ys[j]);
  }
};

class Formula final : public Landscape {
 public:
  Formula(LandscapeInfo info, Expression expression)
      : Landscape(std::move(info)), expression_(std::move(expression)) {}
  // Each instruction records a tape node and is differentiated once: measured at 15 ns (sums and
  // squares) to 34 ns (sin, cos, exp) an instruction in wasm, over a fixed cost like a built-in's.
  // The dearer figure is used, so a formula costs no more than its estimate.
  double step_cost() const override { return 700.0 + 32.0 * static_cast<double>(expression_.program().size()); }

 protected:
  double f(double x, double y) const override { return expression_.evaluate(x, y); }
  Jet2 f_jet(const Jet2& x, const Jet2& y) const override { return expression_.evaluate(x, y); }
  double f_and_grad(const Eigen::Vector2d& at, Eigen::Vector2d& grad) override {
    return value_and_grad_xy(
        tape_, [this](Var x, Var y) { return expression_.evaluate(x, y); }, at, grad);
  }
  void grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const override {
    expression_.evaluate_grid(xs, ys, out);
  }

 private:
  Expression expression_;
  Tape tape_;
};

struct Entry {
  LandscapeInfo info;
  std::unique_ptr<Landscape> (*make)(LandscapeInfo);
};

template <class F>
std::unique_ptr<Landscape> make_builtin(LandscapeInfo info) {
  return std::make_unique<Builtin<F>>(std::move(info));
}

// The catalog: the only list of built-in names. Minima to 17 digits (Newton's method in long
// double), so the gradient there is 0 to rounding; the global minimum first.
const std::vector<Entry>& catalog() {
  static const std::vector<Entry> entries = {
      {{"quadratic", "0.5*(x^2 + 10*y^2)",
        "An elongated bowl, 10 times steeper in y than in x: gradient descent zig-zags across the "
        "steep direction while it creeps along the flat one.",
        {-3, 3, -3, 3}, {-2.5, 1.5}, {{0, 0, 0}}, false},
       &make_builtin<Quadratic>},
      {{"rosenbrock", "(1-x)^2 + 100*(y-x^2)^2",
        "A curved, narrow, flat-bottomed valley: reaching the valley is easy, following it to the "
        "minimum at (1, 1) is slow.",
        {-2, 2, -1, 3}, {-1.5, 2.0}, {{1, 1, 0}}, true},
       &make_builtin<Rosenbrock>},
      {{"beale", "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        "Flat plateaus next to steep walls (values from 0 to 10^5): one step size cannot suit "
        "both; adaptive methods cope better.",
        {-4.5, 4.5, -4.5, 4.5}, {1.0, 1.5}, {{3, 0.5, 0}}, true},
       &make_builtin<Beale>},
      {{"himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        "Four minima of equal depth: which one a run reaches depends on the start and on the "
        "optimizer.",
        {-5, 5, -5, 5}, {0.0, 0.0},
        {{3, 2, 0},
         {-2.8051180869527449, 3.131312518250573, 0},
         {-3.7793102533777469, -3.2831859912861694, 0},
         {3.5844283403304917, -1.8481265269644036, 0}},
        true},
       &make_builtin<Himmelblau>},
      {{"booth", "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        "A bowl whose axes lie on the diagonals (condition number 9): per-coordinate step sizes "
        "cannot undo a rotation.",
        {-4, 6, -2, 8}, {-3.0, 5.0}, {{1, 3, 0}}, false},
       &make_builtin<Booth>},
      {{"saddle", "x^2 - y^2",
        "A saddle point at the origin: the gradient vanishes there without a minimum. A run that "
        "starts almost on the ridge stalls, then escapes (unbounded below).",
        {-2, 2, -2, 2}, {-1.5, 0.02}, {}, false},
       &make_builtin<Saddle>},
      {{"rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        "A regular grid of local minima around the global one at the origin: gradient methods "
        "stop in the nearest dip; momentum may roll over a few.",
        {-5.12, 5.12, -5.12, 5.12}, {3.2, -2.3}, {{0, 0, 0}}, false},
       &make_builtin<Rastrigin>},
      {{"ackley",
        "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        "A nearly flat, rippled plain around one deep funnel at the origin: far away the "
        "gradient says little about where the minimum is.",
        {-5, 5, -5, 5}, {3.0, -2.5}, {{0, 0, 0}}, false},
       &make_builtin<Ackley>},
      {{"styblinski_tang", "0.5*((x^4 - 16*x^2 + 5*x) + (y^4 - 16*y^2 + 5*y))",
        "Four minima of different depths: the nearest one is not the deepest, at (-2.90, -2.90).",
        {-5, 5, -5, 5}, {0.5, 0.5},
        {{-2.9035340277711771, -2.9035340277711771, -78.332331407542831},
         {2.746802770990837, -2.9035340277711771, -64.195612359055358},
         {-2.9035340277711771, 2.746802770990837, -64.195612359055358},
         {2.746802770990837, 2.746802770990837, -50.058893310567885}},
        false},
       &make_builtin<StyblinskiTang>},
      {{"six_hump_camel", "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        "Six minima in a valley between steep walls; two of them, mirror images, are global.",
        {-3, 3, -2, 2}, {-1.5, -1.0},
        {{0.089842013100318062, -0.71265640302073963, -1.0316284534898774},
         {-0.089842013100318062, 0.71265640302073963, -1.0316284534898774},
         {1.7036067149699808, -0.79608356867262512, -0.21546382438371764},
         {-1.7036067149699808, 0.79608356867262512, -0.21546382438371764},
         {1.6071047529201972, 0.56865145488413137, 2.1042503103112583},
         {-1.6071047529201972, -0.56865145488413137, 2.1042503103112583}},
        false},
       &make_builtin<SixHumpCamel>},
  };
  return entries;
}

std::string joined_names() {
  std::string names;
  for (const Entry& entry : catalog()) names += (names.empty() ? "" : ", ") + entry.info.name;
  return names;
}

void check_point(const LandscapeInfo& info, const Eigen::VectorXd& x) {
  if (x.size() != 2)
    throw std::invalid_argument("landscape " + info.name + ": x must have 2 entries, got " +
                                std::to_string(x.size()));
}

}  // namespace

double Landscape::loss(const Eigen::VectorXd& x) {
  check_point(info_, x);
  return f(x[0], x[1]);
}

double Landscape::loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) {
  check_point(info_, x);
  Eigen::Vector2d g;
  const double value = f_and_grad(Eigen::Vector2d(x[0], x[1]), g);
  if (sigma_ > 0.0) {
    // A fresh generator per step: the noise of step k depends on (seed, k) alone.
    Rng rng(seed_, RngStream::kGradientNoise, static_cast<std::uint64_t>(step));
    g[0] += sigma_ * rng.normal();
    g[1] += sigma_ * rng.normal();
  }
  grad.resize(2);  // allocates only the first time
  grad[0] = g[0];
  grad[1] = g[1];
  return value;
}

void Landscape::evaluate_grid(const ViewBox& view, int nx, int ny, double* out) const {
  constexpr int kMaxSide = 4096;
  if (nx < 2 || nx > kMaxSide || ny < 2 || ny > kMaxSide)
    throw std::invalid_argument("grid: nx and ny must be in [2, 4096], got " + std::to_string(nx) +
                                " x " + std::to_string(ny));
  // The widths must be finite too: xmax - xmin overflows for a view of +-1e308.
  const bool finite = std::isfinite(view.xmax - view.xmin) && std::isfinite(view.ymax - view.ymin);
  if (!finite || !(view.xmin < view.xmax) || !(view.ymin < view.ymax))
    throw std::invalid_argument("grid: the view must be finite with xmin < xmax and ymin < ymax");
  if (out == nullptr) throw std::invalid_argument("grid: no output buffer");
  Eigen::ArrayXd xs(nx), ys(ny);
  for (int i = 0; i < nx; ++i) xs[i] = view.xmin + i * (view.xmax - view.xmin) / (nx - 1);
  for (int j = 0; j < ny; ++j) ys[j] = view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
  grid(xs, ys, out);
}

Jet2 Landscape::f_jet(const Jet2&, const Jet2&) const {
  throw std::invalid_argument("hessian: only a 2-D landscape (built-in or formula) has one here, not \"" + info_.name + "\"");
}

void Landscape::set_noise(double sigma, std::uint64_t seed) {
  if (!(sigma >= 0.0) || !std::isfinite(sigma))
    throw std::invalid_argument("noise: must be a finite number >= 0, got " + std::to_string(sigma));
  sigma_ = sigma;
  seed_ = seed;
}

std::unique_ptr<Landscape> make_landscape(const std::string& name) {
  for (const Entry& entry : catalog())
    if (entry.info.name == name) return entry.make(entry.info);
  throw std::invalid_argument("unknown landscape '" + name + "' (expected one of " +
                              joined_names() + ")");
}

std::unique_ptr<Landscape> make_formula_landscape(const std::string& formula) {
  Expression expression(formula);  // throws ParseError
  LandscapeInfo info{"expr", formula, "Your formula.", {-3, 3, -3, 3}, {-2.0, 2.0}, {}, false};
  return std::make_unique<Formula>(std::move(info), std::move(expression));
}

std::vector<std::string> landscape_names() {
  std::vector<std::string> names;
  for (const Entry& entry : catalog()) names.push_back(entry.info.name);
  return names;
}

nlohmann::json info_to_json(const LandscapeInfo& info) {
  nlohmann::json minima = nlohmann::json::array();
  for (const Minimum& m : info.minima) minima.push_back({{"x", m.x}, {"y", m.y}, {"value", m.value}});
  return {{"name", info.name},
          {"formula", info.formula},
          {"note", info.note},
          {"view", {{"xmin", info.view.xmin}, {"xmax", info.view.xmax},
                    {"ymin", info.view.ymin}, {"ymax", info.view.ymax}}},
          {"start", {info.start[0], info.start[1]}},
          {"minima", minima},
          {"log_scale", info.log_scale},
          {"axes", {info.axis_x, info.axis_y}}};
}

nlohmann::json landscape_catalog() {
  nlohmann::json all = nlohmann::json::array();
  for (const Entry& entry : catalog()) all.push_back(info_to_json(entry.info));
  return all;
}

}  // namespace optlab
