// The datasets of datasets.h: one small generator per set, the reader of the "data" object, and
// the seeded train/test split.
#include "problems/datasets.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>

#include "math/portable.h"
#include "problems/rng.h"

namespace optlab {

using nlohmann::json;


namespace {

constexpr double kPi = 3.141592653589793;

// ---- Generators: each fills x (n × 2) and y and returns the number of classes (0: regression) ---

struct Request {
  long n;
  int classes;
  double noise;
};

// Points per class: n / C, the first n mod C classes one more.
long class_size(long n, int classes, int c) { return n / classes + (c < n % classes ? 1 : 0); }

void add_noise(Rng& rng, double noise, Eigen::MatrixXd& x) {
  // Always draw, even with noise 0, so that other draws do not depend on the noise level.
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    x(i, 0) += noise * rng.normal();
    x(i, 1) += noise * rng.normal();
  }
}

int spiral(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  long row = 0;
  for (int c = 0; c < q.classes; ++c) {
    const long m = class_size(q.n, q.classes, c);
    for (long i = 0; i < m; ++i, ++row) {
      const double r = static_cast<double>(i + 1) / static_cast<double>(m);
      const double angle = 2.0 * kPi * c / q.classes + 2.5 * kPi * r;
      x.row(row) << r * pm::cos(angle), r * pm::sin(angle);
      y[row] = c;
    }
  }
  add_noise(rng, q.noise, x);
  return q.classes;
}

int moons(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  long row = 0;
  for (int c = 0; c < 2; ++c) {
    const long m = class_size(q.n, 2, c);
    for (long i = 0; i < m; ++i, ++row) {
      const double t = m > 1 ? kPi * static_cast<double>(i) / static_cast<double>(m - 1) : 0.0;
      const double s = pm::sin(t), co = pm::cos(t);
      if (c == 0)
        x.row(row) << co - 0.5, s - 0.25;
      else
        x.row(row) << 1.0 - co - 0.5, 0.5 - s - 0.25;
      y[row] = c;
    }
  }
  add_noise(rng, q.noise, x);
  return 2;
}

int circles(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  long row = 0;
  for (int c = 0; c < 2; ++c) {
    const long m = class_size(q.n, 2, c);
    const double radius = c == 0 ? 1.0 : 0.5;
    for (long i = 0; i < m; ++i, ++row) {
      const double angle = 2.0 * kPi * static_cast<double>(i) / static_cast<double>(m);
      x.row(row) << radius * pm::cos(angle), radius * pm::sin(angle);
      y[row] = c;
    }
  }
  add_noise(rng, q.noise, x);
  return 2;
}

int xor_set(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  for (long i = 0; i < q.n; ++i) {
    const double a = rng.uniform(-1.0, 1.0);
    const double b = rng.uniform(-1.0, 1.0);
    x.row(i) << a, b;
    y[i] = (a < 0.0) != (b < 0.0) ? 1.0 : 0.0;
  }
  add_noise(rng, q.noise, x);
  return 2;
}

int blobs(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  long row = 0;
  for (int c = 0; c < q.classes; ++c) {
    const double angle = 2.0 * kPi * c / q.classes;
    for (long i = 0; i < class_size(q.n, q.classes, c); ++i, ++row) {
      x.row(row) << pm::cos(angle), pm::sin(angle);
      y[row] = c;
    }
  }
  add_noise(rng, q.noise, x);
  return q.classes;
}

// y = f(x1) + noise, x2 = 0.
int regression(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y,
               const std::function<double(double)>& f) {
  for (long i = 0; i < q.n; ++i) {
    const double x1 = rng.uniform(-1.0, 1.0);
    x.row(i) << x1, 0.0;
    y[i] = f(x1) + q.noise * rng.normal();
  }
  return 0;
}

int linear(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  return regression(q, rng, x, y, [](double x1) { return 0.8 * x1 + 0.2; });
}

int sine(const Request& q, Rng& rng, Eigen::MatrixXd& x, Eigen::VectorXd& y) {
  return regression(q, rng, x, y, [](double x1) { return pm::sin(kPi * x1); });
}

struct Generator {
  const char* name;
  int (*make)(const Request&, Rng&, Eigen::MatrixXd&, Eigen::VectorXd&);
  double default_noise;
  bool takes_classes;  // spiral and blobs: any number of classes
  bool regression;
};

const Generator kGenerators[] = {
    {"spiral", spiral, 0.1, true, false},  {"moons", moons, 0.1, false, false},
    {"circles", circles, 0.1, false, false}, {"xor", xor_set, 0.1, false, false},
    {"blobs", blobs, 0.3, true, false},    {"linear", linear, 0.1, false, true},
    {"sine", sine, 0.1, false, true},
};

const Generator& find_generator(const json& name, const std::string& field) {
  std::string list;
  for (const Generator& g : kGenerators) list += (list.empty() ? "" : ", ") + std::string(g.name);
  if (!name.is_string())
    throw std::invalid_argument(field + ": expected a dataset name (one of " + list + "), got " + name.dump());
  for (const Generator& g : kGenerators)
    if (name.get<std::string>() == g.name) return g;
  throw std::invalid_argument(field + ": unknown dataset '" + name.get<std::string>() + "' (expected one of " + list +
                              ", or given points {\"x\": [[x1, x2], ...], \"y\": [...]})");
}

Dataset generate(const json& data, const std::string& field, std::uint64_t seed) {
  fields::reject_unknown(data, field, {"name", "n", "classes", "noise", "seed", "test_fraction"});
  const Generator& g = find_generator(data["name"], field + ".name");
  Request q{200, 2, g.default_noise};
  if (data.contains("n")) q.n = static_cast<long>(fields::whole_number(data["n"], field + ".n", 1, kMaxPoints));
  if (data.contains("classes")) {
    if (!g.takes_classes)
      throw std::invalid_argument(field + ".classes: only spiral and blobs take a number of classes; " + g.name +
                                  (g.regression ? " is a regression set" : " has 2"));
    q.classes = static_cast<int>(fields::whole_number(data["classes"], field + ".classes", 2, kMaxClasses));
  }
  if (data.contains("noise")) {
    q.noise = fields::finite_number(data["noise"], field + ".noise");
    if (q.noise < 0.0 || q.noise > kMaxNoise)
      throw std::invalid_argument(field + ".noise: must be from 0 to 10, got " + data["noise"].dump());
  }
  Dataset set;
  set.name = g.name;
  set.x.resize(q.n, 2);
  set.y.resize(q.n);
  Rng rng(seed, RngStream::kDataset, 0);
  // With fewer points than classes the last classes are empty: allowed, the loss does not mind.
  set.classes = g.make(q, rng, set.x, set.y);
  return set;
}

Dataset given(const json& data, const std::string& field) {
  fields::reject_unknown(data, field, {"x", "y", "seed", "test_fraction"});
  if (!data.contains("y")) throw std::invalid_argument(field + ".y: missing (one label or value per point)");
  const json& xs = data["x"];
  const json& ys = data["y"];
  if (!xs.is_array() || xs.empty())
    throw std::invalid_argument(field + ".x: expected a list of points [[x1, x2], ...]");
  if (xs.size() > static_cast<std::size_t>(kMaxPoints))
    throw std::invalid_argument(field + ".x: " + std::to_string(xs.size()) + " points is more than the " +
                                std::to_string(kMaxPoints) + " allowed");
  if (!ys.is_array()) throw std::invalid_argument(field + ".y: expected a list with one label or value per point");
  if (ys.size() != xs.size())
    throw std::invalid_argument(field + ".y: has " + std::to_string(ys.size()) + " entries for " +
                                std::to_string(xs.size()) + " points");
  Dataset set;
  set.name = "points";
  const auto n = static_cast<Eigen::Index>(xs.size());
  set.x.resize(n, 2);
  set.y.resize(n);
  bool whole = true;
  double largest = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    const json& p = xs[static_cast<std::size_t>(i)];
    if (!p.is_array() || p.size() != 2) throw std::invalid_argument(field + ".x" + at + ": expected a pair [x1, x2]");
    set.x(i, 0) = fields::finite_number(p[0], field + ".x" + at + "[0]");
    set.x(i, 1) = fields::finite_number(p[1], field + ".x" + at + "[1]");
    const double v = fields::finite_number(ys[static_cast<std::size_t>(i)], field + ".y" + at);
    set.y[i] = v;
    whole = whole && v >= 0.0 && v <= 1023.0 && std::floor(v) == v;
    largest = std::max(largest, v);
  }
  set.classes = whole ? static_cast<int>(largest) + 1 : 0;
  return set;
}

Dataset subset(const Dataset& from, const std::vector<int>& rows) {
  Dataset out;
  out.name = from.name;
  out.classes = from.classes;
  out.x.resize(static_cast<Eigen::Index>(rows.size()), 2);
  out.y.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    out.x.row(static_cast<Eigen::Index>(k)) = from.x.row(rows[k]);
    out.y[static_cast<Eigen::Index>(k)] = from.y[rows[k]];
  }
  return out;
}

// A seeded Fisher-Yates shuffle picks the test points; both sets then keep the original order.
DataSplit split(const Dataset& all, double fraction, const std::string& field, std::uint64_t seed) {
  const long n = all.size();
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  long n_test = 0;
  if (fraction > 0.0) {
    n_test = std::max(1L, static_cast<long>(std::round(static_cast<double>(n) * fraction)));
    if (n_test >= n)
      throw std::invalid_argument(field + ".test_fraction: holding out " + std::to_string(n_test) + " of " +
                                  std::to_string(n) + " points leaves none to train on");
    Rng rng(seed, RngStream::kDataset, 1);
    for (long i = n - 1; i > 0; --i)
      std::swap(order[static_cast<std::size_t>(i)], order[rng.below(static_cast<std::uint64_t>(i + 1))]);
  }
  DataSplit out;
  out.test_rows.assign(order.begin(), order.begin() + n_test);
  out.train_rows.assign(order.begin() + n_test, order.end());
  std::sort(out.test_rows.begin(), out.test_rows.end());
  std::sort(out.train_rows.begin(), out.train_rows.end());
  out.train = subset(all, out.train_rows);
  out.test = subset(all, out.test_rows);
  return out;
}

}  // namespace

std::vector<std::string> dataset_names() {
  std::vector<std::string> names;
  for (const Generator& g : kGenerators) names.emplace_back(g.name);
  return names;
}

DataSplit make_dataset(const json& data, const std::string& field, std::uint64_t default_seed) {
  fields::require_object(data, field);
  if (data.contains("name") == data.contains("x"))
    throw std::invalid_argument(field + ": give either \"name\" (a generated set) or given points "
                                "{\"x\": [[x1, x2], ...], \"y\": [...]}");
  const std::uint64_t seed = data.contains("seed") ? fields::seed(data["seed"], field + ".seed") : default_seed;
  double fraction = 0.0;
  if (data.contains("test_fraction")) {
    fraction = fields::finite_number(data["test_fraction"], field + ".test_fraction");
    if (!(fraction >= 0.0 && fraction < 1.0))
      throw std::invalid_argument(field + ".test_fraction: must be at least 0 and below 1, got " +
                                  data["test_fraction"].dump());
  }
  const Dataset all = data.contains("name") ? generate(data, field, seed) : given(data, field);
  return split(all, fraction, field, seed);
}

}  // namespace optlab
