// Seeded 2-D datasets for the network problem: generated sets (spiral, moons, circles, xor,
// blobs; linear and sine for regression) and points the user gives, optionally split into a
// training and a held-out test set. Every random number comes from rng.h and every sin and cos
// from math/portable.h, so a seed gives the same points, bit for bit, natively and in WebAssembly.
//
// The "data" object of an mlp problem (issue 4):
//   {"name": "spiral", "n": 200, "classes": 2, "noise": 0.1, "seed": 1, "test_fraction": 0.2}
//   {"x": [[x1, x2], ...], "y": [...], "test_fraction": 0.25, "seed": 3}
// n: 1 to 10,000 (default 200). noise: 0 to 10, a standard deviation (defaults in datasets.cpp).
// classes: spiral and blobs only, 2 to 10 (default 2). seed: default the experiment's seed.
// test_fraction: in [0, 1), default 0; round(n * test_fraction) points, at least 1, go to the
// test set, chosen by a seeded shuffle; both sets keep the original order of their points.
//
// What each generated set is (noise = Gaussian of that standard deviation on each coordinate,
// added after the label is decided):
//   spiral  C arms; point i of m in class c: r = (i+1)/m, θ = 2πc/C + 2.5π·r, (r cos θ, r sin θ)
//   moons   sklearn's make_moons shifted to centre: upper arc (cos t, sin t) - (0.5, 0.25) is
//           class 0, lower arc (1 - cos t, 0.5 - sin t) - (0.5, 0.25) class 1, t evenly in [0, π]
//   circles sklearn's make_circles: radius 1 is class 0, radius 0.5 class 1, angles evenly spaced
//   xor     uniform in [-1, 1]²; class 1 where x1 and x2 have different signs
//   blobs   C Gaussian blobs around (cos 2πc/C, sin 2πc/C)
//   linear  y = 0.8·x1 + 0.2 + noise, x1 uniform in [-1, 1], x2 = 0
//   sine    y = sin(π·x1) + noise,     x1 uniform in [-1, 1], x2 = 0
// The regression sets keep x2 = 0 so that the fitted curve is y against x1 alone.
// A class set has n/C points per class (the first n mod C classes one more), class by class.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "json/fields.h"

namespace optlab {

struct Dataset {
  std::string name;   // "spiral", ..., or "points" for given points
  Eigen::MatrixXd x;  // one point per row: n × 2
  Eigen::VectorXd y;  // class index (as a double) or regression target, one per point
  // Classification sets: the number of classes (given points whose y are all whole numbers from
  // 0 to 1023: the largest + 1). 0 when y holds regression values.
  int classes = 0;

  long size() const { return static_cast<long>(x.rows()); }
};

struct DataSplit {
  Dataset train;
  Dataset test;  // empty (0 rows) without a test_fraction
  // Where each point of train and test was in the generated or given list (ascending), so that
  // messages can say "problem.data.y[7]" and the page can match points to the list it sent.
  std::vector<int> train_rows, test_rows;
};

constexpr long kMaxPoints = 10000;
constexpr int kMaxClasses = 10;
constexpr double kMaxNoise = 10.0;

// The generated sets' names, in catalog order.
std::vector<std::string> dataset_names();

// Reads and builds a "data" object. `field` prefixes every error ("problem.data"), e.g.
// "problem.data.x[3]: expected a pair [x1, x2]"; default_seed is used when "seed" is absent.
DataSplit make_dataset(const nlohmann::json& data, const std::string& field, std::uint64_t default_seed);


}  // namespace optlab
