// Two-parameter models fitted to data (see fit.h). The loss and its gradient are written out as
// torch computes them for nn.Linear and the loss (mean reduction), in float64: the fixtures in
// tests/fixtures/torch_fit.json check every step to 1e-9.
#include "problems/fit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "json/fields.h"
#include "math/portable.h"
#include "problems/rng.h"

namespace optlab {
namespace {

using nlohmann::json;

// torch's stable BCEWithLogitsLoss term for one point: (1 - y)·z + m + log(e^-m + e^(-z-m)),
// m = max(-z, 0).
double bce_term(double z, double y) {
  const double m = std::max(-z, 0.0);
  return (1.0 - y) * z + m + pm::log(pm::exp(-m) + pm::exp(-z - m));
}

// The problem's default start, view and (for a line) minimum, from its data.
LandscapeInfo info_for(FitModel model, const FitData& data, double min_loss_at(double, double, const FitData&)) {
  LandscapeInfo info;
  info.name = "fit";
  info.log_scale = false;
  const long n = data.x.rows();
  if (model == FitModel::Line) {
    info.note = "Mean squared error of the line w·x + b over " + std::to_string(n) + " points";
    info.formula = "";
    // Least squares from the means: w* = cov(x, y) / var(x), b* = mean(y) - w*·mean(x).
    const double mx = data.x.col(0).mean(), my = data.y.mean();
    double sxx = 0.0, sxy = 0.0;
    for (long i = 0; i < n; ++i) {
      sxx += (data.x(i, 0) - mx) * (data.x(i, 0) - mx);
      sxy += (data.x(i, 0) - mx) * (data.y[i] - my);
    }
    double w = 0.0, b = my;
    if (sxx > 0.0) {
      w = sxy / sxx;
      b = my - w * mx;
      info.minima.push_back({w, b, min_loss_at(w, b, data)});
    }
    info.view = {w - 4.0, w + 4.0, b - 4.0, b + 4.0};
    info.axis_x = "w";
    info.axis_y = "b";
    info.start = Eigen::Vector2d(w - 3.0, b + 2.5);
  } else {
    info.note = "Logistic regression, BCE with logits of w1·x1 + w2·x2 over " + std::to_string(n) + " points";
    info.formula = "";
    info.view = {-3.0, 3.0, -1.5, 6.5};
    info.axis_x = "w₁";
    info.axis_y = "w₂";
    info.start = Eigen::Vector2d(0.0, 0.0);
  }
  return info;
}

double line_loss(double w, double b, const FitData& d) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < d.x.rows(); ++i) {
    const double r = w * d.x(i, 0) + b - d.y[i];
    sum += r * r;
  }
  return sum / static_cast<double>(d.x.rows());
}

double no_minimum(double, double, const FitData&) { return 0.0; }

// ---- reading the spec ---------------------------------------------------------------------------

FitData explicit_data(const json& d, FitModel model) {
  fields::reject_unknown(d, "problem.data", {"x", "y"});
  if (!d.contains("x") || !d.contains("y"))
    throw fields::FieldError("problem.data: give \"x\" and \"y\" (or a generator's \"name\": noisy_line, sparse_features)");
  const json& xs = d["x"];
  const json& ys = d["y"];
  if (!xs.is_array()) throw fields::FieldError("problem.data.x: expected an array of " + std::string(model == FitModel::Line ? "numbers" : "[x1, x2] pairs"));
  if (!ys.is_array()) throw fields::FieldError("problem.data.y: expected an array of numbers");
  const long n = static_cast<long>(xs.size());
  if (n < 2 || n > kMaxFitPoints)
    throw fields::FieldError("problem.data.x: expected 2 to " + std::to_string(kMaxFitPoints) + " points, got " + std::to_string(n));
  if (static_cast<long>(ys.size()) != n)
    throw fields::FieldError("problem.data.y: expected " + std::to_string(n) + " values, one per point of x, got " + std::to_string(ys.size()));
  FitData data;
  data.name = "points";
  const int cols = model == FitModel::Line ? 1 : 2;
  data.x.resize(n, cols);
  data.y.resize(n);
  for (long i = 0; i < n; ++i) {
    const std::string at = "problem.data.x[" + std::to_string(i) + "]";
    if (model == FitModel::Line) {
      data.x(i, 0) = fields::finite_number(xs[i], at);
    } else {
      if (!xs[i].is_array() || xs[i].size() != 2)
        throw fields::FieldError(at + ": expected a pair [x1, x2] for the logistic model, got " + fields::brief(xs[i]));
      data.x(i, 0) = fields::finite_number(xs[i][0], at + "[0]");
      data.x(i, 1) = fields::finite_number(xs[i][1], at + "[1]");
    }
    const std::string yat = "problem.data.y[" + std::to_string(i) + "]";
    data.y[i] = fields::finite_number(ys[i], yat);
    if (model == FitModel::Logistic && data.y[i] != 0.0 && data.y[i] != 1.0)
      throw fields::FieldError(yat + ": the logistic model needs labels 0 or 1, got " + ys[i].dump());
  }
  return data;
}

double number_or(const json& d, const char* key, double fallback, const std::string& where) {
  return d.contains(key) ? fields::finite_number(d[key], where + "." + key) : fallback;
}

FitData generated_data(const json& d, std::uint64_t experiment_seed, FitModel model) {
  const std::string name = d["name"].is_string() ? d["name"].get<std::string>() : "";
  const std::string where = "problem.data";
  const std::uint64_t seed = d.contains("seed") ? fields::seed(d["seed"], where + ".seed") : experiment_seed;
  FitData data;
  data.name = name;
  if (name == "noisy_line") {
    fields::reject_unknown(d, where, {"name", "n", "slope", "intercept", "noise", "seed"});
    if (model != FitModel::Line) throw fields::FieldError("problem.model: noisy_line data is for the \"line\" model");
    const long n = d.contains("n") ? static_cast<long>(fields::whole_number(d["n"], where + ".n", 2, kMaxFitPoints)) : 64;
    const double slope = number_or(d, "slope", 2.0, where);
    const double intercept = number_or(d, "intercept", 1.0, where);
    const double noise = number_or(d, "noise", 0.5, where);
    if (noise < 0.0) throw fields::FieldError(where + ".noise: must be >= 0, got " + d["noise"].dump());
    Rng rng(seed, RngStream::kFitData, 0);
    data.x.resize(n, 1);
    data.y.resize(n);
    for (long i = 0; i < n; ++i) {
      data.x(i, 0) = rng.uniform(-2.0, 2.0);
      data.y[i] = slope * data.x(i, 0) + intercept + noise * rng.normal();
    }
  } else if (name == "sparse_features") {
    fields::reject_unknown(d, where, {"name", "n", "density", "seed"});
    if (model != FitModel::Logistic) throw fields::FieldError("problem.model: sparse_features data is for the \"logistic\" model");
    const long n = d.contains("n") ? static_cast<long>(fields::whole_number(d["n"], where + ".n", 2, kMaxFitPoints)) : 200;
    const double density = number_or(d, "density", 0.1, where);
    if (!(density > 0.0 && density <= 1.0))
      throw fields::FieldError(where + ".density: the share of points where x2 is not zero, in (0, 1], got " + d["density"].dump());
    Rng rng(seed, RngStream::kFitData, 1);
    data.x.resize(n, 2);
    data.y.resize(n);
    for (long i = 0; i < n; ++i) {
      data.x(i, 0) = rng.normal();
      if (rng.uniform() < density) {
        data.x(i, 1) = rng.uniform() < 0.5 ? 2.0 : -2.0;
        data.y[i] = data.x(i, 1) > 0.0 ? 1.0 : 0.0;
      } else {
        data.x(i, 1) = 0.0;
        data.y[i] = rng.uniform() < pm::sigmoid(0.5 * data.x(i, 0)) ? 1.0 : 0.0;
      }
    }
  } else {
    throw fields::FieldError("problem.data.name: unknown generator " + fields::brief(d["name"]) +
                             " (expected noisy_line or sparse_features, or give \"x\" and \"y\")");
  }
  return data;
}

}  // namespace

const char* fit_model_name(FitModel m) { return m == FitModel::Line ? "line" : "logistic"; }

FitProblem::FitProblem(FitModel model, FitData data, long batch_size, std::uint64_t seed)
    : Landscape(info_for(model, data, model == FitModel::Line ? line_loss : no_minimum)),
      model_(model),
      data_(std::move(data)),
      batches_(data_.x.rows(), batch_size, seed) {
  if (batch_size < 0 || batch_size > data_.x.rows())
    throw fields::FieldError("problem.batch_size: " + std::to_string(batch_size) + " is more than the " +
                             std::to_string(data_.x.rows()) + " points");
}

double FitProblem::loss_on(const std::vector<int>& rows, double p0, double p1, double* g0, double* g1) const {
  const bool all = rows.empty();
  const long n = all ? data_.x.rows() : static_cast<long>(rows.size());
  const double scale = 1.0 / static_cast<double>(n);  // the mean's d(loss)/d(term)
  double sum = 0.0, a = 0.0, b = 0.0;
  for (long k = 0; k < n; ++k) {
    const Eigen::Index i = all ? k : rows[static_cast<std::size_t>(k)];
    if (model_ == FitModel::Line) {
      const double r = p0 * data_.x(i, 0) + p1 - data_.y[i];
      sum += r * r;
      const double d = 2.0 * r * scale;  // MSELoss backward
      a += d * data_.x(i, 0);
      b += d;
    } else {
      const double z = p0 * data_.x(i, 0) + p1 * data_.x(i, 1);
      sum += bce_term(z, data_.y[i]);
      const double d = (pm::sigmoid(z) - data_.y[i]) * scale;  // BCEWithLogitsLoss backward
      a += d * data_.x(i, 0);
      b += d * data_.x(i, 1);
    }
  }
  if (g0) *g0 = a;
  if (g1) *g1 = b;
  return sum / static_cast<double>(n);
}

double FitProblem::f(double x, double y) const { return loss_on({}, x, y, nullptr, nullptr); }

double FitProblem::f_and_grad(const Eigen::Vector2d& at, Eigen::Vector2d& grad) {
  return loss_on({}, at[0], at[1], &grad[0], &grad[1]);
}

double FitProblem::loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) {
  if (x.size() != 2) throw std::invalid_argument("fit: expected 2 parameters, got " + std::to_string(x.size()));
  grad.resize(2);
  last_step_ = step;
  if (batches_.full_batch()) {
    const double value = loss_on({}, x[0], x[1], &grad[0], &grad[1]);
    last_batch_loss_ = value;
    return value;
  }
  last_batch_loss_ = loss_on(batches_.rows_of(step), x[0], x[1], &grad[0], &grad[1]);
  return loss_on({}, x[0], x[1], nullptr, nullptr);
}

// Always present (full batch: the loss itself), so runs with different batch sizes carry the same
// series.
std::vector<std::string> FitProblem::metric_names() const { return {"batch_loss"}; }

void FitProblem::metrics(const Eigen::VectorXd& x, long step, double* out) {
  if (step != last_step_) {
    Eigen::VectorXd g;
    loss_and_grad(x, step, g);
  }
  out[0] = last_batch_loss_;
}

double FitProblem::step_cost() const {
  const double n = static_cast<double>(data_.x.rows());
  const double per_point = model_ == FitModel::Line ? 4.0 : 60.0;  // logistic: two exps, a log, a sigmoid
  const double batch = batches_.full_batch() ? 0.0 : static_cast<double>(batches_.batch_size());
  return 700.0 + per_point * (n + batch);
}

void FitProblem::grid_on(const std::vector<int>& rows, const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const {
  const Eigen::Index nx = xs.size();
  for (Eigen::Index j = 0; j < ys.size(); ++j)
    for (Eigen::Index i = 0; i < nx; ++i) out[j * nx + i] = loss_on(rows, xs[i], ys[j], nullptr, nullptr);
}

void FitProblem::grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const { grid_on({}, xs, ys, out); }

void FitProblem::evaluate_batch_grid(long step, const ViewBox& view, int nx, int ny, double* out) const {
  // The same checks as evaluate_grid, through a full grid of the view's shape.
  if (nx < 2 || nx > 4096 || ny < 2 || ny > 4096)
    throw std::invalid_argument("batchGrid: nx and ny must be in [2, 4096]");
  if (!(view.xmin < view.xmax) || !(view.ymin < view.ymax) || !std::isfinite(view.xmax - view.xmin) ||
      !std::isfinite(view.ymax - view.ymin))
    throw std::invalid_argument("batchGrid: the view must be finite with xmin < xmax and ymin < ymax");
  Eigen::ArrayXd xs(nx), ys(ny);
  for (int i = 0; i < nx; ++i) xs[i] = view.xmin + i * (view.xmax - view.xmin) / (nx - 1);
  for (int j = 0; j < ny; ++j) ys[j] = view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
  grid_on(batches_.rows_of(step), xs, ys, out);
}

std::unique_ptr<FitProblem> make_fit_problem(const json& p, std::uint64_t seed) {
  fields::reject_unknown(p, "problem", {"name", "model", "data", "batch_size"});
  if (!p.contains("data")) throw fields::FieldError("problem.data: required, e.g. {\"name\": \"noisy_line\"}");
  const json& d = p["data"];
  fields::require_object(d, "problem.data");
  FitModel model = FitModel::Line;
  if (p.contains("model")) {
    if (p["model"] == "line") model = FitModel::Line;
    else if (p["model"] == "logistic") model = FitModel::Logistic;
    else throw fields::FieldError("problem.model: expected \"line\" or \"logistic\", got " + fields::brief(p["model"]));
  } else if (d.value("name", json()) == "sparse_features") {
    model = FitModel::Logistic;  // the generator's own model
  }
  FitData data = d.contains("name") ? generated_data(d, seed, model) : explicit_data(d, model);
  long batch = 0;
  if (p.contains("batch_size") && !p["batch_size"].is_null())
    batch = static_cast<long>(fields::whole_number(p["batch_size"], "problem.batch_size", 1, data.x.rows()));
  return std::make_unique<FitProblem>(model, std::move(data), batch, seed);
}

}  // namespace optlab
