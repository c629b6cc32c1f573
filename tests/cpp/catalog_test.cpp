// The catalog publishes what the validators enforce: each limit is accepted at its value and
// rejected one past it, and each dataset default is what a dataset built without the field uses.
#include "runner/catalog.h"

#include <gtest/gtest.h>

#include <string>

#include "optim/registry.h"
#include "problems/datasets.h"
#include "problems/landscapes.h"
#include "runner/network_view.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

const json& limits() {
  static const json c = catalog();
  return c["limits"];
}

long limit(const char* name) { return limits().at(name).get<long>(); }

json landscape_spec() {
  return json::parse(R"({"problem": {"name": "rosenbrock"}, "steps": 0, "optimizers": [{"name": "adam"}]})");
}

json network_spec(json layers) {
  json spec = json::parse(R"({"problem": {"name": "mlp", "data": {"name": "moons", "n": 8}},
    "steps": 0, "optimizers": [{"name": "sgd"}]})");
  spec["problem"]["layers"] = std::move(layers);
  return spec;
}

bool accepted(const json& spec) {
  try {
    parse_spec(spec.dump());
    return true;
  } catch (const SpecError&) {
    return false;
  }
}

TEST(Catalog, HoldsTheSameOptimizersAndLandscapesAsTheirOwnCatalogs) {
  const json c = catalog();
  EXPECT_EQ(c["optimizers"], optimizer_catalog());
  EXPECT_EQ(c["landscapes"], landscape_catalog());
  EXPECT_EQ(c["activations"], json::parse(R"(["tanh", "relu", "leaky_relu", "sigmoid", "linear"])"));
  EXPECT_EQ(c["losses"], json::parse(R"(["bce", "mse", "cross_entropy"])"));
  EXPECT_EQ(c["features"], json::parse(R"j(["x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"])j"));
  ASSERT_EQ(c["datasets"].size(), dataset_names().size());
  for (std::size_t i = 0; i < dataset_names().size(); ++i) EXPECT_EQ(c["datasets"][i]["name"], dataset_names()[i]);
}

TEST(Catalog, StepLimitIsTheValidators) {
  json spec = landscape_spec();
  spec["steps"] = limit("max_steps");
  EXPECT_TRUE(accepted(spec));
  spec["steps"] = limit("max_steps") + 1;
  EXPECT_FALSE(accepted(spec));
}

TEST(Catalog, OptimizerCountAndLabelLimitsAreTheValidators) {
  json spec = landscape_spec();
  spec["optimizers"] = json::array();
  for (long i = 0; i < limit("max_optimizers"); ++i) spec["optimizers"].push_back({{"name", "sgd"}});
  EXPECT_TRUE(accepted(spec));
  spec["optimizers"].push_back({{"name", "sgd"}});
  EXPECT_FALSE(accepted(spec));

  spec = landscape_spec();
  spec["optimizers"][0]["label"] = std::string(static_cast<std::size_t>(limit("max_label_length")), 'a');
  EXPECT_TRUE(accepted(spec));
  spec["optimizers"][0]["label"] = std::string(static_cast<std::size_t>(limit("max_label_length")) + 1, 'a');
  EXPECT_FALSE(accepted(spec));
}

TEST(Catalog, FormulaLimitsAreTheParsers) {
  const auto n = static_cast<std::size_t>(limit("max_formula_length"));
  const std::string at_limit = "x" + std::string(n - 1, ' ');
  EXPECT_NO_THROW(make_formula_landscape(at_limit));
  EXPECT_THROW(make_formula_landscape(at_limit + " "), std::invalid_argument);

  // Depth: how deep a formula may nest; one more level is refused.
  auto nested = [](long d) {
    return std::string(static_cast<std::size_t>(d), '(') + "x" + std::string(static_cast<std::size_t>(d), ')');
  };
  long deepest = 0;
  while (deepest <= limit("max_formula_depth") + 2) {
    try {
      make_formula_landscape(nested(deepest + 1));
      ++deepest;
    } catch (const std::invalid_argument&) {
      break;
    }
  }
  EXPECT_EQ(deepest, limit("max_formula_depth"));
}

TEST(Catalog, NetworkLimitsAreTheValidators) {
  json layers = json::array({2});
  for (long i = 2; i < limit("max_layers"); ++i) layers.push_back(3);
  layers.push_back(1);
  EXPECT_TRUE(accepted(network_spec(layers)));
  layers.insert(layers.begin() + 1, 3);
  EXPECT_FALSE(accepted(network_spec(layers)));

  EXPECT_TRUE(accepted(network_spec({2, limit("max_hidden_width"), 1})));
  EXPECT_FALSE(accepted(network_spec({2, limit("max_hidden_width") + 1, 1})));
}

TEST(Catalog, DatasetLimitsAreTheValidators) {
  json spec = network_spec({2, 4, 1});
  spec["problem"]["data"]["n"] = limit("max_points");
  EXPECT_TRUE(accepted(spec));
  spec["problem"]["data"]["n"] = limit("max_points") + 1;
  EXPECT_FALSE(accepted(spec));

  auto data = [](json d) { return make_dataset(d, "data", 1); };
  EXPECT_NO_THROW(data({{"name", "spiral"}, {"classes", limit("max_classes")}}));
  EXPECT_THROW(data({{"name", "spiral"}, {"classes", limit("max_classes") + 1}}), std::invalid_argument);
  EXPECT_NO_THROW(data({{"name", "moons"}, {"noise", limits()["max_noise"]}}));
  EXPECT_THROW(data({{"name", "moons"}, {"noise", limits()["max_noise"].get<double>() * 1.001}}),
               std::invalid_argument);
}

TEST(Catalog, DatasetDefaultsAreWhatAnAbsentFieldMeans) {
  const json all = catalog();  // kept alive: a range-for over catalog()["datasets"] would dangle
  for (const json& entry : all["datasets"]) {
    json explicit_fields{{"name", entry["name"]}};
    for (const json& p : entry["params"]) {
      explicit_fields[p["name"].get<std::string>()] = p["default"];
      EXPECT_LE(p["min"].get<double>(), p["default"].get<double>()) << entry["name"] << " " << p["name"];
      EXPECT_LE(p["default"].get<double>(), p["max"].get<double>()) << entry["name"] << " " << p["name"];
    }
    const DataSplit a = make_dataset({{"name", entry["name"]}}, "data", 5);
    const DataSplit b = make_dataset(explicit_fields, "data", 5);
    EXPECT_EQ(a.train.x, b.train.x) << entry["name"];
    EXPECT_EQ(a.train.y, b.train.y) << entry["name"];
    EXPECT_EQ(a.train.classes, b.train.classes) << entry["name"];
    EXPECT_EQ(entry["regression"].get<bool>(), a.train.classes == 0) << entry["name"];
  }
}

TEST(Catalog, GridLimitsAreTheViewsChecks) {
  Session landscape(parse_spec(landscape_spec().dump()));
  const ViewBox box{-1, 1, -1, 1};
  const int side = static_cast<int>(limit("max_landscape_grid"));
  EXPECT_EQ(landscape_grid(landscape, box, side, 2).size(), static_cast<std::size_t>(2 * side));
  EXPECT_THROW(landscape_grid(landscape, box, side + 1, 2), std::invalid_argument);

  Session network(parse_spec(network_spec({2, 3, 1}).dump()));
  NetworkView view(network);
  const int predict = static_cast<int>(limit("max_predict_grid"));
  EXPECT_EQ(view.predict_grid(0, box, predict, 2).size(), static_cast<std::size_t>(4 * predict));
  EXPECT_THROW(view.predict_grid(0, box, predict + 1, 2), std::invalid_argument);
  view.set_plane("random", 1, 0, 0);
  const int plane = static_cast<int>(limit("max_plane_grid"));
  EXPECT_EQ(view.plane_grid(box, plane).size(), static_cast<std::size_t>(plane * plane));
  EXPECT_THROW(view.plane_grid(box, plane + 1), std::invalid_argument);
}

}  // namespace
}  // namespace optlab
