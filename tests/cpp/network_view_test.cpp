// What the page reads from a network session, computed natively: the same numbers the bindings
// hand over (tests/wasm checks the conversion), and clear errors for bad requests.
#include <gtest/gtest.h>

#include <cmath>

#include "runner/network_view.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

const char* kNetwork = R"J({"problem": {"name": "mlp", "data": {"name": "moons", "n": 40, "test_fraction": 0.25},
  "layers": [2, 5, 1], "batch_size": 10}, "steps": 12, "seed": 4,
  "optimizers": [{"name": "adam", "lr": 0.01}, {"name": "sgd", "lr": 0.1}]})J";

TEST(NetworkView, DatasetDescribesTheSplitAndAViewAroundTheTrainingPoints) {
  Session s(parse_spec(kNetwork));
  const json d = NetworkView(s).dataset();
  EXPECT_EQ(d["name"], "moons");
  EXPECT_EQ(d["classes"], 2);
  EXPECT_EQ(d["loss"], "bce");
  EXPECT_EQ(d["layers"], json::array({2, 5, 1}));
  EXPECT_EQ(d["train"]["x"].size(), 30u);
  EXPECT_EQ(d["test"]["x"].size(), 10u);
  EXPECT_EQ(d["batch_size"], 10);
  EXPECT_EQ(d["batches_per_epoch"], 3);
  for (const json& p : d["train"]["x"]) {
    EXPECT_LT(d["view"]["xmin"].get<double>(), p[0].get<double>());
    EXPECT_GT(d["view"]["ymax"].get<double>(), p[1].get<double>());
  }
}

TEST(NetworkView, LayersGiveNormsAndTheLastStepsRatio) {
  Session s(parse_spec(kNetwork));
  const json layers = NetworkView(s).layers(1);
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0]["rows"], 5);
  EXPECT_EQ(layers[0]["cols"], 2);
  EXPECT_EQ(layers[1]["weight_offset"], 15);
  const double ratio = layers[0]["update_norm"].get<double>() / layers[0]["grad_norm"].get<double>();
  EXPECT_DOUBLE_EQ(layers[0]["step_size"].get<double>(), ratio);
  EXPECT_NEAR(ratio, 0.1, 1e-12);  // plain SGD: the update is lr times the gradient
  s.back(12);
  EXPECT_TRUE(NetworkView(s).layers(1)[0]["grad_norm"].is_null());
}

TEST(NetworkView, PredictGridPacksValuesThenClasses) {
  Session s(parse_spec(kNetwork));
  const std::vector<double> g = NetworkView(s).predict_grid(0, ViewBox{-1, 1, -1, 1}, 3, 2);
  ASSERT_EQ(g.size(), 12u);
  const Predictions p = dynamic_cast<MlpProblem&>(s.problem()).predict_grid(s.state(0).x, ViewBox{-1, 1, -1, 1}, 3, 2);
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(g[k], p.value[k]) << k;
    EXPECT_EQ(g[6 + k], p.label[k]) << k;
  }
}

TEST(NetworkView, TraceChecksItsRows) {
  Session s(parse_spec(kNetwork));
  NetworkView v(s);
  EXPECT_EQ(v.trace(0, json::array({0, 3}))["rows"], json::array({0, 3}));
  EXPECT_THROW(v.trace(0, json::object()), std::invalid_argument);
  EXPECT_THROW(v.trace(0, json::array({1.5})), std::invalid_argument);
}

TEST(NetworkView, PlaneNeedsChoosingAndChecksItsSideBeforeAllocating) {
  Session s(parse_spec(kNetwork));
  NetworkView v(s);
  EXPECT_THROW(v.plane_grid(ViewBox{-1, 1, -1, 1}, 8), std::invalid_argument);
  EXPECT_THROW(v.set_plane("sideways", 0, 0, 0), std::invalid_argument);
  v.set_plane("pca", 0, 0, 0);
  EXPECT_EQ(v.plane_grid(ViewBox{-1, 1, -1, 1}, 4).size(), 16u);
  // A side far beyond the limit is refused before anything is allocated (it would be ~8 GB).
  try {
    v.plane_grid(ViewBox{-1, 1, -1, 1}, 30000);
    FAIL() << "n = 30000 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("got 30000"), std::string::npos) << e.what();
  }
  EXPECT_THROW(v.plane_grid(ViewBox{-1, 1, -1, 1}, -2), std::invalid_argument);
  const std::vector<double> path = v.plane_path(0);
  EXPECT_EQ(path.size(), 2 * v.trail_steps(0).size());
  EXPECT_EQ(v.trail_steps(0).back(), 12.0);
  v.set_plane("weights", 0, 0, 3);
  EXPECT_EQ(v.plane_grid(ViewBox{-1, 1, -1, 1}, 2).size(), 4u);
}

TEST(NetworkView, ALandscapeSessionIsNotANetworkAndViceVersa) {
  Session landscape(parse_spec(R"({"problem": {"name": "himmelblau"}, "steps": 3, "optimizers": [{"name": "sgd"}]})"));
  EXPECT_THROW(NetworkView(landscape).dataset(), std::invalid_argument);
  EXPECT_EQ(problem_kind(landscape), "landscape");
  EXPECT_EQ(landscape_info(landscape)["name"], "himmelblau");
  EXPECT_EQ(sample_steps(landscape, 0), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_THROW(metric_index(landscape, "accuracy"), std::invalid_argument);
  Session network(parse_spec(kNetwork));
  EXPECT_EQ(problem_kind(network), "mlp");
  EXPECT_THROW(landscape_grid(network, ViewBox{-1, 1, -1, 1}, 4, 4), std::invalid_argument);
  EXPECT_THROW(landscape_info(network), std::invalid_argument);
  EXPECT_THROW(landscape_grid(landscape, ViewBox{1, -1, -1, 1}, 4, 4), std::invalid_argument);
}

}  // namespace
}  // namespace optlab
