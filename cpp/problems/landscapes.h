// The 2-D landscapes: the built-in test functions (each written once as a template, so the same
// code gives fast doubles and tape-recorded Vars) and user formulas, behind one Landscape class
// that carries what the page and the lessons need: formula text, view box, start, minima.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json_fwd.hpp>

#include "autodiff/jet2.h"
#include "problems/problem.h"

namespace optlab {

struct ViewBox {
  double xmin, xmax, ymin, ymax;
};

struct Minimum {
  double x, y, value;
};

struct LandscapeInfo {
  std::string name;     // as in a spec's {"name": ...}; "expr" for a formula
  std::string formula;  // in the formula grammar, so it can be pasted into the formula box
  std::string note;     // one line: what the landscape teaches
  ViewBox view;         // default plot range
  Eigen::Vector2d start;
  std::vector<Minimum> minima;  // global first, then local ones; empty when unknown
  bool log_scale;               // contour levels want a log scale (huge range of values)
  // The plotted coordinates' names: x and y, or a fit problem's parameters (w and b, w1 and w2).
  std::string axis_x = "x", axis_y = "y";
};

class Landscape : public Problem {
 public:
  int dim() const override { return 2; }
  Eigen::VectorXd default_start() const override { return info_.start; }
  double loss(const Eigen::VectorXd& x) override;
  // f and its exact gradient from the tape, plus the step's seeded noise if set_noise was called.
  double loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) override;

  double value(double x, double y) const { return f(x, y); }
  // out[j*nx + i] = f(xmin + i*(xmax-xmin)/(nx-1), ymin + j*(ymax-ymin)/(ny-1)); row 0 is ymin.
  // nx and ny in [2, 4096], a finite view with xmin < xmax and ymin < ymax; else invalid_argument.
  void evaluate_grid(const ViewBox& view, int nx, int ny, double* out) const;

  const LandscapeInfo& info() const { return info_; }

  // f at (x, y) with its exact gradient and Hessian, from the same code as the loss (second-order
  // forward mode, autodiff/jet2.h), without the noise. invalid_argument for a landscape that does
  // not offer it (a fit problem).
  Jet2 curvature(double x, double y) const { return f_jet(Jet2::x(x), Jet2::y(y)); }

  // Gaussian gradient noise of standard deviation sigma (0 = exact), seeded; the noise added at
  // step k is a function of (seed, k) only, the same for every run of an experiment.
  void set_noise(double sigma, std::uint64_t seed);

 protected:
  explicit Landscape(LandscapeInfo info) : info_(std::move(info)) {}

  // What each kind of landscape supplies: plain values, values with the exact gradient (from a
  // tape it keeps and reuses), and a whole grid at the points xs[i], ys[j].
  virtual double f(double x, double y) const = 0;
  virtual double f_and_grad(const Eigen::Vector2d& at, Eigen::Vector2d& grad) = 0;
  virtual void grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const = 0;
  virtual Jet2 f_jet(const Jet2& x, const Jet2& y) const;

 private:
  LandscapeInfo info_;
  double sigma_ = 0.0;
  std::uint64_t seed_ = 0;
};

// A built-in by name; invalid_argument "unknown landscape 'rosenbrok' (expected one of ...)".
std::unique_ptr<Landscape> make_landscape(const std::string& name);
// A landscape from a formula in x and y; throws ParseError.
std::unique_ptr<Landscape> make_formula_landscape(const std::string& formula);

// The built-in names, in catalog order.
std::vector<std::string> landscape_names();
// {"name", "formula", "note", "view": {"xmin", "xmax", "ymin", "ymax"}, "start": [x, y],
//  "minima": [{"x", "y", "value"}], "log_scale"}
nlohmann::json info_to_json(const LandscapeInfo& info);
// Every built-in's info, in catalog order, for the page and the docs.
nlohmann::json landscape_catalog();

}  // namespace optlab
