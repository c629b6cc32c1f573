// Tests of the seeded datasets: same seed same bits, sizes and class counts, where each set's
// points lie without noise, given points, the train/test split, and errors that name the field.
#include "problems/datasets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace optlab {
namespace {

using nlohmann::json;

constexpr double kPi = 3.141592653589793;

DataSplit make(const json& data, std::uint64_t seed = 0) { return make_dataset(data, "problem.data", seed); }

std::vector<long> class_counts(const Dataset& set) {
  std::vector<long> counts(static_cast<std::size_t>(set.classes), 0);
  for (Eigen::Index i = 0; i < set.y.size(); ++i) ++counts.at(static_cast<std::size_t>(set.y[i]));
  return counts;
}

struct SetCase {
  const char* name;
  int classes;  // expected; 0 for regression
  json extra;
};

const std::vector<SetCase>& set_cases() {
  static const std::vector<SetCase> cases = {
      {"spiral", 2, json::object()},  {"spiral", 3, {{"classes", 3}}}, {"moons", 2, json::object()},
      {"circles", 2, json::object()}, {"xor", 2, json::object()},     {"blobs", 4, {{"classes", 4}}},
      {"linear", 0, json::object()},  {"sine", 0, json::object()},
  };
  return cases;
}

TEST(Datasets, EveryGeneratedSetHasItsSizeClassesAndBalancedCounts) {
  EXPECT_EQ(dataset_names().size(), 7u);
  // Fewer points than classes is allowed: the last classes are empty.
  EXPECT_EQ(class_counts(make({{"name", "spiral"}, {"n", 2}, {"classes", 3}}).train), (std::vector<long>{1, 1, 0}));
  for (const SetCase& c : set_cases()) {
    json spec = {{"name", c.name}, {"n", 103}, {"seed", 5}};
    spec.update(c.extra);
    const DataSplit d = make(spec);
    const Dataset& set = d.train;
    SCOPED_TRACE(c.name);
    EXPECT_EQ(set.name, c.name);
    EXPECT_EQ(set.size(), 103);
    EXPECT_EQ(set.x.cols(), 2);
    EXPECT_EQ(set.y.size(), 103);
    EXPECT_TRUE(set.x.allFinite() && set.y.allFinite());
    EXPECT_EQ(set.classes, c.classes);
    EXPECT_EQ(d.test.size(), 0);
    EXPECT_TRUE(d.test_rows.empty());
    EXPECT_EQ(d.train_rows.size(), 103u);
    if (c.classes == 0) continue;
    const std::vector<long> counts = class_counts(set);
    // xor's classes depend on the draws; the others split n evenly, first classes first.
    if (std::string(c.name) == "xor") {
      for (long count : counts) EXPECT_GT(count, 25);
    } else {
      for (int k = 0; k < c.classes; ++k)
        EXPECT_EQ(counts[static_cast<std::size_t>(k)], 103 / c.classes + (k < 103 % c.classes ? 1 : 0));
    }
  }
}

TEST(Datasets, SameSeedGivesTheSameBitsAndAnotherSeedOtherPoints) {
  for (const SetCase& c : set_cases()) {
    json spec = {{"name", c.name}, {"n", 50}, {"seed", 11}};
    spec.update(c.extra);
    const DataSplit a = make(spec), b = make(spec);
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(a.train.x == b.train.x);
    EXPECT_TRUE(a.train.y == b.train.y);
    spec["seed"] = 12;
    EXPECT_FALSE(make(spec).train.x == a.train.x);
    // Without "seed" the experiment's seed decides.
    spec.erase("seed");
    EXPECT_TRUE(make(spec, 11).train.x == a.train.x);
  }
}

TEST(Datasets, WithoutNoiseThePointsLieOnTheirCurves) {
  const double kTol = 1e-14;
  const DataSplit spiral = make({{"name", "spiral"}, {"n", 60}, {"noise", 0}});
  for (Eigen::Index i = 0; i < spiral.train.size(); ++i) EXPECT_LE(spiral.train.x.row(i).norm(), 1.0 + kTol);

  const DataSplit circles = make({{"name", "circles"}, {"n", 40}, {"noise", 0}});
  for (Eigen::Index i = 0; i < circles.train.size(); ++i)
    EXPECT_NEAR(circles.train.x.row(i).norm(), circles.train.y[i] == 0 ? 1.0 : 0.5, kTol);

  const DataSplit moons = make({{"name", "moons"}, {"n", 40}, {"noise", 0}});
  for (Eigen::Index i = 0; i < moons.train.size(); ++i) {
    // Upper arc centred at (-0.5, -0.25), lower arc at (0.5, 0.25), both of radius 1.
    const Eigen::RowVector2d centre = moons.train.y[i] == 0 ? Eigen::RowVector2d(-0.5, -0.25)
                                                              : Eigen::RowVector2d(0.5, 0.25);
    EXPECT_NEAR((moons.train.x.row(i) - centre).norm(), 1.0, kTol);
  }

  const DataSplit xor_set = make({{"name", "xor"}, {"n", 200}, {"noise", 0}});
  for (Eigen::Index i = 0; i < xor_set.train.size(); ++i) {
    const double a = xor_set.train.x(i, 0), b = xor_set.train.x(i, 1);
    EXPECT_TRUE(std::abs(a) <= 1.0 && std::abs(b) <= 1.0);
    EXPECT_EQ(xor_set.train.y[i], (a < 0) != (b < 0) ? 1.0 : 0.0);
  }

  const DataSplit blobs = make({{"name", "blobs"}, {"n", 30}, {"classes", 3}, {"noise", 0}});
  for (Eigen::Index i = 0; i < blobs.train.size(); ++i) {
    const double angle = 2.0 * kPi * blobs.train.y[i] / 3.0;
    EXPECT_NEAR(blobs.train.x(i, 0), std::cos(angle), kTol);
    EXPECT_NEAR(blobs.train.x(i, 1), std::sin(angle), kTol);
  }

  const DataSplit linear = make({{"name", "linear"}, {"n", 30}, {"noise", 0}});
  const DataSplit sine = make({{"name", "sine"}, {"n", 30}, {"noise", 0}});
  for (Eigen::Index i = 0; i < 30; ++i) {
    EXPECT_EQ(linear.train.x(i, 1), 0.0);
    EXPECT_LE(std::abs(linear.train.x(i, 0)), 1.0);
    EXPECT_NEAR(linear.train.y[i], 0.8 * linear.train.x(i, 0) + 0.2, kTol);
    EXPECT_NEAR(sine.train.y[i], std::sin(kPi * sine.train.x(i, 0)), kTol);
  }
}

TEST(Datasets, NoiseHasTheRequestedStandardDeviation) {
  // blobs with noise s: the offsets from the centres have standard deviation s per coordinate.
  const DataSplit d = make({{"name", "blobs"}, {"n", 4000}, {"classes", 2}, {"noise", 0.25}});
  double sum_sq = 0.0;
  for (Eigen::Index i = 0; i < d.train.size(); ++i) {
    const double angle = kPi * d.train.y[i];
    sum_sq += std::pow(d.train.x(i, 0) - std::cos(angle), 2) + std::pow(d.train.x(i, 1) - std::sin(angle), 2);
  }
  EXPECT_NEAR(std::sqrt(sum_sq / (2.0 * 4000)), 0.25, 0.01);
}

TEST(Datasets, GivenPointsAreReadAsClassesOrValues) {
  const DataSplit classes = make({{"x", {{0, 1}, {2, 3}, {4, 5}}}, {"y", {0, 2, 1}}});
  EXPECT_EQ(classes.train.name, "points");
  EXPECT_EQ(classes.train.classes, 3);
  EXPECT_EQ(classes.train.x(1, 0), 2.0);
  EXPECT_EQ(classes.train.x(2, 1), 5.0);
  EXPECT_EQ(classes.train.y[1], 2.0);

  const DataSplit values = make({{"x", {{0, 1}, {2, 3}}}, {"y", {0.5, 2}}});
  EXPECT_EQ(values.train.classes, 0);
  EXPECT_EQ(values.train.y[0], 0.5);
  EXPECT_EQ(make({{"x", {{0, 1}}}, {"y", {-1}}}).train.classes, 0);  // negative: a value
}

TEST(Datasets, TestFractionHoldsOutASeededSubsetAndKeepsOrder) {
  const json spec = {{"name", "moons"}, {"n", 200}, {"test_fraction", 0.25}, {"seed", 4}};
  const DataSplit d = make(spec);
  const DataSplit all = make({{"name", "moons"}, {"n", 200}, {"seed", 4}});
  EXPECT_EQ(d.test.size(), 50);
  EXPECT_EQ(d.train.size(), 150);
  ASSERT_EQ(d.train_rows.size(), 150u);
  ASSERT_EQ(d.test_rows.size(), 50u);
  EXPECT_TRUE(std::is_sorted(d.train_rows.begin(), d.train_rows.end()));
  EXPECT_TRUE(std::is_sorted(d.test_rows.begin(), d.test_rows.end()));
  std::set<int> every(d.train_rows.begin(), d.train_rows.end());
  every.insert(d.test_rows.begin(), d.test_rows.end());
  EXPECT_EQ(every.size(), 200u);  // disjoint, and together all of them
  EXPECT_EQ(*every.rbegin(), 199);
  for (std::size_t k = 0; k < d.test_rows.size(); ++k) {
    EXPECT_TRUE(d.test.x.row(static_cast<Eigen::Index>(k)) == all.train.x.row(d.test_rows[k]));
    EXPECT_EQ(d.test.y[static_cast<Eigen::Index>(k)], all.train.y[d.test_rows[k]]);
  }
  EXPECT_EQ(make(spec).test_rows, d.test_rows);
  json other = spec;
  other["seed"] = 5;
  EXPECT_NE(make(other).test_rows, d.test_rows);
  // A tiny fraction still holds out one point.
  EXPECT_EQ(make({{"name", "xor"}, {"n", 10}, {"test_fraction", 0.01}}).test.size(), 1);
}

struct ErrorCase {
  json data;
  const char* message;  // the start of the error
};

TEST(Datasets, BadDataGetsAnErrorNamingTheField) {
  const std::vector<ErrorCase> cases = {
      {json::array(), "problem.data: expected an object"},
      {{{"name", "spiral"}, {"x", {{0, 0}}}}, "problem.data: give either \"name\""},
      {json::object(), "problem.data: give either \"name\""},
      {{{"name", "spirals"}}, "problem.data.name: unknown dataset 'spirals' (expected one of spiral, moons"},
      {{{"name", 3}}, "problem.data.name: expected a dataset name"},
      {{{"name", "spiral"}, {"n", 0}}, "problem.data.n: expected a whole number from 1 to 10000, got 0"},
      {{{"name", "spiral"}, {"n", 10001}}, "problem.data.n: expected a whole number from 1 to 10000"},
      {{{"name", "spiral"}, {"n", 2.5}}, "problem.data.n: expected a whole number from 1 to 10000, got 2.5"},
      {{{"name", "spiral"}, {"n", "many"}}, "problem.data.n: expected a whole number from 1 to 10000, got string"},
      {{{"name", "spiral"}, {"classes", 1}}, "problem.data.classes: expected a whole number from 2 to 10"},
      {{{"name", "spiral"}, {"classes", 11}}, "problem.data.classes: expected a whole number from 2 to 10"},
      {{{"name", "moons"}, {"classes", 3}}, "problem.data.classes: only spiral and blobs"},
      {{{"name", "sine"}, {"classes", 2}}, "problem.data.classes: only spiral and blobs"},
      {{{"name", "xor"}, {"noise", -0.1}}, "problem.data.noise: must be from 0 to 10"},
      {{{"name", "xor"}, {"noise", 11}}, "problem.data.noise: must be from 0 to 10"},
      {{{"name", "xor"}, {"seed", -1}}, "problem.data.seed: expected a whole number from 0"},
      {{{"name", "xor"}, {"test_fraction", 1}}, "problem.data.test_fraction: must be at least 0 and below 1"},
      {{{"name", "xor"}, {"test_fraction", -0.1}}, "problem.data.test_fraction: must be at least 0 and below 1"},
      {{{"name", "xor"}, {"n", 1}, {"test_fraction", 0.5}}, "problem.data.test_fraction: holding out 1 of 1"},
      {{{"name", "xor"}, {"colour", "red"}}, "problem.data.colour: unknown field"},
      {{{"x", {{0, 0}}}}, "problem.data.y: missing"},
      {{{"x", json::array()}, {"y", json::array()}}, "problem.data.x: expected a list of points"},
      {{{"x", 5}, {"y", {1}}}, "problem.data.x: expected a list of points"},
      {{{"x", {{0, 0}, {1, 1}}}, {"y", {1}}}, "problem.data.y: has 1 entries for 2 points"},
      {{{"x", {{0, 0}}}, {"y", 1}}, "problem.data.y: expected a list"},
      {{{"x", {{0, 0}, {1, 1}, {2, 2}, {3}}}, {"y", {0, 0, 0, 0}}}, "problem.data.x[3]: expected a pair [x1, x2]"},
      {{{"x", {{0, 0}, {1, 2, 3}}}, {"y", {0, 0}}}, "problem.data.x[1]: expected a pair [x1, x2]"},
      {{{"x", {{0, 0}, {1, "a"}}}, {"y", {0, 0}}}, "problem.data.x[1][1]: expected a number"},
      {{{"x", {{0, 0}, {1, 1}}}, {"y", {0, nullptr}}}, "problem.data.y[1]: expected a number"},
      {{{"x", {{0, 0}}}, {"y", {0}}, {"name", "xor"}}, "problem.data: give either"},
      {{{"x", {{0, 0}}}, {"y", {0}}, {"n", 5}}, "problem.data.n: unknown field"},
  };
  for (const ErrorCase& c : cases) {
    try {
      make(c.data);
      ADD_FAILURE() << "accepted " << c.data.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(c.message, 0), 0u) << e.what() << "\n  expected: " << c.message;
    }
  }
  // More than 10,000 given points.
  json big = {{"x", json::array()}, {"y", json::array()}};
  for (int i = 0; i < 10001; ++i) {
    big["x"].push_back({0, 0});
    big["y"].push_back(0);
  }
  EXPECT_THROW(make(big), std::invalid_argument);
}

}  // namespace
}  // namespace optlab
