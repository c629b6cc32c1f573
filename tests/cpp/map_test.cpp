// Maps (runner/map.h): every cell is the single run of the same experiment, bit for bit; the
// output does not depend on the thread count; bad requests name the field.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/experiment.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/map_threads.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

// Bitwise equality, NaN equal to NaN (a null in both).
bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0; }

// The single run of cell c, through the ordinary runner: the request with its optimizers replaced
// by the cell's entry (or its start replaced), steps = the map's, "map" removed, written out as
// text and parsed again as `optlab run` would read it.
struct Single {
  long reached = -1;
  bool diverged = false;
  long diverged_at = -1;
  double last_finite = NAN, last = NAN, end_x = NAN, end_y = NAN;
};

Single single_run(const std::string& request, const MapSpec& map, long c) {
  json doc = json::parse(request);
  const int i = static_cast<int>(c % map.nx()), j = static_cast<int>(c / map.nx());
  const json entry = doc["optimizers"][static_cast<std::size_t>(map.run)];
  if (map.kind == MapKind::Hyper) {
    // The cell's values written into the user's own entry, independently of cell_entry.
    json e = entry;
    for (const MapAxis* a : {&map.x, &map.y}) {
      const double v = (a == &map.x ? a->values[static_cast<std::size_t>(i)] : a->values[static_cast<std::size_t>(j)]);
      const auto dot = a->param.find('.');
      if (dot == std::string::npos) {
        e[a->param] = v;
      } else {
        const std::string base = a->param.substr(0, dot);
        if (!e.contains(base)) e[base] = Optimizer::from_json(json{{"name", e["name"]}}).options_json()[base];
        e[base][std::stoi(a->param.substr(dot + 1))] = v;
      }
    }
    doc["optimizers"] = json::array({e});
  } else {
    doc["optimizers"] = json::array({entry});
    doc["start"] = {map.x.values[static_cast<std::size_t>(i)], map.y.values[static_cast<std::size_t>(j)]};
  }
  if (doc["map"].contains("steps")) doc["steps"] = doc["map"]["steps"];
  doc.erase("map");
  const ExperimentResult r = run_experiment(parse_spec(doc.dump()));
  const History& h = r.runs[0].history;
  Single s;
  s.diverged = r.runs[0].diverged;
  s.diverged_at = s.diverged ? r.runs[0].diverged_at : -1;
  for (long k = 0; k < h.size(); ++k) {
    const double l = h.loss[static_cast<std::size_t>(k)];
    if (std::isfinite(l)) s.last_finite = l;
    if (map.fstar && s.reached < 0 && std::fabs(l - *map.fstar) <= map.tolerance) s.reached = k;
  }
  s.last = h.loss.back();
  if (h.dim == 2) {
    s.end_x = h.params[h.params.size() - 2];
    s.end_y = h.params[h.params.size() - 1];
  }
  return s;
}

// Compares every `every`-th cell of the map with its single run.
void expect_cells_are_single_runs(const std::string& request, long every = 1) {
  const MapSpec map = parse_map_spec(request);
  MapRunner runner(map);
  int diverged = 0, reached = 0;
  for (long c = 0; c < map.cells(); c += every) {
    double row[kMapRowSize];
    runner.run_cell(c, row);
    const Single s = single_run(request, map, c);
    SCOPED_TRACE("cell " + std::to_string(c));
    EXPECT_TRUE(same(row[1], static_cast<double>(s.diverged_at)));
    EXPECT_TRUE(same(row[2], s.last_finite));
    EXPECT_TRUE(same(row[3], s.end_x));
    EXPECT_TRUE(same(row[4], s.end_y));
    if (map.measure == MapMeasure::Steps) EXPECT_TRUE(same(row[0], s.reached >= 0 ? double(s.reached) : NAN));
    if (map.measure == MapMeasure::FinalLoss) EXPECT_TRUE(same(row[0], s.diverged ? NAN : s.last));
    diverged += s.diverged;
    reached += s.reached >= 0;
  }
  // The samples must cover both outcomes, or the comparison proves little.
  if (map.measure == MapMeasure::Steps) EXPECT_GT(reached, 0);
  (void)diverged;
}

const char* kAdamLrBeta1 = R"J({"problem": {"name": "rosenbrock"}, "start": [-1.5, 2], "steps": 300,
  "optimizers": [{"name": "sgd"}, {"name": "adam", "lr": 0.01, "label": "Adam"}],
  "map": {"kind": "hyper", "run": 1, "measure": "steps", "tolerance": 0.01,
          "x": {"param": "lr", "from": 0.001, "to": 3, "n": 7, "scale": "log"},
          "y": {"param": "betas.0", "from": 0, "to": 0.99, "n": 5}}})J";

TEST(Map, HyperparameterCellsAreTheSingleRunsBitForBit) {
  expect_cells_are_single_runs(kAdamLrBeta1);
}

TEST(Map, DivergingCellsStopWhereTheSingleRunDoes) {
  // SGD with momentum on the quadratic: large lr diverges at a step the runner also reports.
  const std::string request = R"J({"problem": {"name": "quadratic"}, "start": [1, 1], "steps": 200,
    "optimizers": [{"name": "sgd", "momentum": 0.5}],
    "map": {"kind": "hyper", "measure": "final_loss", "steps": 150,
            "x": {"param": "lr", "from": 0.01, "to": 0.5, "n": 6}, "y": {"param": "momentum", "from": 0, "to": 0.95, "n": 4}}})J";
  expect_cells_are_single_runs(request);
  const MapSpec map = parse_map_spec(request);
  const std::vector<double> rows = run_map(map, 1);
  int diverged = 0, converged = 0;
  for (long c = 0; c < map.cells(); ++c) (rows[static_cast<std::size_t>(c * kMapRowSize + 1)] >= 0 ? diverged : converged)++;
  EXPECT_GT(diverged, 0);
  EXPECT_GT(converged, 0);
}

TEST(Map, CellsWithNoiseSchedulerAndChangesAreTheSingleRuns) {
  expect_cells_are_single_runs(R"J({"problem": {"name": "himmelblau", "noise": 0.5}, "seed": 7, "start": [0, 0], "steps": 120,
    "optimizers": [{"name": "rmsprop", "lr": 0.01, "scheduler": {"name": "step_lr", "step_size": 30, "gamma": 0.5},
                    "changes": [{"step": 60, "weight_decay": 0.01}]}],
    "map": {"kind": "hyper", "measure": "final_loss",
            "x": {"param": "lr", "from": 0.001, "to": 0.1, "n": 4, "scale": "log"}, "y": {"param": "alpha", "from": 0.5, "to": 0.99, "n": 3}}})J");
}

TEST(Map, MiniBatchCellsAreTheSingleRuns) {
  // A fit problem drawing mini-batches (the shared problem's and a run's own batch size): the
  // problem a runner reuses from cell to cell must give every cell the batches its single run sees.
  expect_cells_are_single_runs(R"J({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 20}, "batch_size": 4},
    "seed": 3, "steps": 60, "optimizers": [{"name": "sgd", "lr": 0.05}],
    "map": {"kind": "hyper", "measure": "final_loss",
            "x": {"param": "lr", "from": 0.01, "to": 0.2, "n": 3}, "y": {"param": "momentum", "from": 0, "to": 0.9, "n": 3}}})J");
  expect_cells_are_single_runs(R"J({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 20}},
    "seed": 3, "steps": 60, "optimizers": [{"name": "adam", "lr": 0.05, "batch_size": 5}],
    "map": {"kind": "start", "measure": "final_loss",
            "x": {"param": "x", "from": -1, "to": 2, "n": 3}, "y": {"param": "y", "from": -1, "to": 1, "n": 2}}})J");
}

TEST(Map, StartCellsAreTheSingleRunsAndReachTheNearestMinimum) {
  const std::string request = R"J({"problem": {"name": "himmelblau"}, "steps": 400,
    "optimizers": [{"name": "sgd", "lr": 0.005, "momentum": 0.5}],
    "map": {"kind": "start", "measure": "basin",
            "x": {"param": "x", "from": -5, "to": 5, "n": 9}, "y": {"param": "y", "from": -5, "to": 5, "n": 9}}})J";
  expect_cells_are_single_runs(request, 4);
  const MapSpec map = parse_map_spec(request);
  ASSERT_EQ(map.minima.size(), 4u);
  const json out = json::parse(assemble_map(map, run_map(map, 2).data()));
  std::set<int> basins;
  for (std::size_t c = 0; c < out["value"].size(); ++c) {
    if (out["value"][c].is_null()) continue;
    const int b = out["value"][c].get<int>();
    basins.insert(b);
    // The end point is at the minimum it is said to be nearest.
    const double ex = out["end"][c][0], ey = out["end"][c][1];
    EXPECT_LT(std::hypot(ex - map.minima[b][0], ey - map.minima[b][1]), 0.1) << "cell " << c;
  }
  EXPECT_EQ(basins.size(), 4u);  // Himmelblau's four basins all appear
}

TEST(Map, OutputIsTheSameForAnyThreadCount) {
  const MapSpec map = parse_map_spec(kAdamLrBeta1);
  const std::string one = assemble_map(map, run_map(map, 1).data());
  EXPECT_EQ(one, assemble_map(map, run_map(map, 3).data()));
  const MapSpec start = parse_map_spec(R"J({"problem": {"expr": "(x^2 - 1)^2 + y^2"}, "steps": 200,
    "optimizers": [{"name": "adam", "lr": 0.05}],
    "map": {"kind": "start", "measure": "basin", "x": {"param": "x", "from": -2, "to": 2, "n": 12}, "y": {"param": "y", "from": -1, "to": 1, "n": 5}}})J");
  EXPECT_EQ(assemble_map(start, run_map(start, 1).data()), assemble_map(start, run_map(start, 3).data()));
}

TEST(Map, OutputHasTheDocumentedShape) {
  const MapSpec map = parse_map_spec(kAdamLrBeta1);
  const std::string text = assemble_map(map, run_map(map, 2).data());
  const json out = json::parse(text);
  EXPECT_EQ(out["kind"], "hyper");
  EXPECT_EQ(out["measure"], "steps");
  EXPECT_EQ(out["run"], 1);
  EXPECT_EQ(out["steps"], 300);
  EXPECT_EQ(out["tolerance"], 0.01);
  EXPECT_EQ(out["x"]["param"], "lr");
  EXPECT_EQ(out["x"]["scale"], "log");
  EXPECT_EQ(out["y"]["scale"], "linear");
  EXPECT_EQ(out["x"]["values"].size(), 7u);
  EXPECT_EQ(out["value"].size(), 35u);
  EXPECT_EQ(out["diverged_at"].size(), 35u);
  EXPECT_EQ(out["final_loss"].size(), 35u);
  EXPECT_FALSE(out.contains("end"));     // start maps only
  EXPECT_FALSE(out.contains("minima"));  // basin maps only
  // Steps are printed as integers, not 12.0.
  for (const json& v : out["value"])
    if (!v.is_null()) EXPECT_TRUE(v.is_number_integer());
  EXPECT_EQ(text.back(), '\n');
}

TEST(Map, AxisValuesAreComputedAsDocumented) {
  const std::vector<double> lin = axis_values(-1, 3, 5, false);
  EXPECT_EQ(lin, (std::vector<double>{-1, 0, 1, 2, 3}));
  const std::vector<double> lg = axis_values(1e-3, 10, 5, true);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(lg[i], std::exp(std::log(1e-3) + (std::log(10.0) - std::log(1e-3)) * (i / 4.0)));
  EXPECT_EQ(lg[0], 1e-3);  // the ends exactly as given, not exp(log(1e-3))
  EXPECT_EQ(lg[4], 10.0);
  EXPECT_EQ(axis_values(0.5, 9, 1, false), std::vector<double>{0.5});
  EXPECT_EQ(axis_values(0.5, 9, 1, true), std::vector<double>{0.5});
}

TEST(Map, FormulaBasinsAreClusteredInCellOrder) {
  // Two minima at (±1, 0): starts left of x = 0 end at -1, right of it at +1.
  const MapSpec map = parse_map_spec(R"J({"problem": {"expr": "(x^2 - 1)^2 + y^2"}, "steps": 500,
    "optimizers": [{"name": "sgd", "lr": 0.05}],
    "map": {"kind": "start", "measure": "basin", "x": {"param": "x", "from": -1.9, "to": 1.9, "n": 8}, "y": {"param": "y", "from": -1, "to": 1, "n": 3}}})J");
  EXPECT_TRUE(map.clusters());
  const json out = json::parse(assemble_map(map, run_map(map, 1).data()));
  ASSERT_EQ(out["minima"].size(), 2u);
  EXPECT_NEAR(out["minima"][0][0].get<double>(), -1, 1e-3);  // the first cell's cluster comes first
  EXPECT_NEAR(out["minima"][1][0].get<double>(), 1, 1e-3);
  for (int c = 0; c < 24; ++c) EXPECT_EQ(out["value"][c], c % 8 < 4 ? 0 : 1) << c;
  // Partial rows (what a worker returns) carry no basin for a formula: it is decided at assembly.
  MapRunner runner(map);
  double row[kMapRowSize];
  runner.run_cell(0, row);
  EXPECT_TRUE(std::isnan(row[0]));
}

TEST(Map, TheRunCommandStillRejectsAMapSection) {
  try {
    parse_spec(kAdamLrBeta1);
    FAIL() << "accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("map: unknown field", 0), 0u) << e.what();
  }
}

std::string error_of(const std::string& text) {
  try {
    parse_map_spec(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string with_map(const std::string& map, const std::string& problem = R"({"name": "rosenbrock"})",
                     const std::string& optimizer = R"({"name": "sgd", "lr": 0.001, "momentum": 0.5})") {
  return R"({"problem": )" + problem + R"(, "steps": 100, "optimizers": [)" + optimizer + R"(], "map": )" + map + "}";
}

TEST(Map, BadRequestsNameTheField) {
  const std::string x = R"("x": {"param": "lr", "from": 0.001, "to": 0.01, "n": 4})";
  const std::string y = R"("y": {"param": "momentum", "from": 0, "to": 0.9, "n": 4})";
  const std::string ok = R"({"kind": "hyper", "measure": "steps", )" + x + ", " + y + "}";
  EXPECT_EQ(error_of(with_map(ok)), "(accepted)");
  const std::pair<std::string, std::string> cases[] = {
      {R"({"measure": "steps", )" + x + ", " + y + "}", "map.kind: required"},
      {R"({"kind": "grid", "measure": "steps", )" + x + ", " + y + "}", "map.kind: expected one of hyper, start"},
      {R"({"kind": "hyper", )" + x + ", " + y + "}", "map.measure: required"},
      {R"({"kind": "hyper", "measure": "loss", )" + x + ", " + y + "}", "map.measure: expected one of"},
      {R"({"kind": "hyper", "measure": "steps", )" + x + "}", "map.y: required"},
      {R"({"kind": "hyper", "measure": "steps", "size": 3, )" + x + ", " + y + "}", "map.size: unknown field"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0, "to": 1, "n": 4, "scale": "log"}, )" + y + "}",
       "map.x.from: a log axis needs a positive bound, got 0"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0.1, "to": -1, "n": 4, "scale": "log"}, )" + y + "}",
       "map.x.to: a log axis needs a positive bound, got -1"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0.1, "to": 1, "n": 4, "scale": "cubic"}, )" + y + "}",
       "map.x.scale: expected one of linear, log"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0.1, "to": 1, "n": 257}, )" + y + "}",
       "map.x.n: expected a whole number from 1 to 256"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0.1, "to": 1, "n": 0}, )" + y + "}",
       "map.x.n: expected a whole number from 1 to 256"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "to": 1, "n": 4}, )" + y + "}", "map.x.from: required"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "beta", "from": 0.1, "to": 1, "n": 4}, )" + y + "}",
       "map.x.param: \"beta\" is not a numeric hyperparameter of sgd (expected one of lr, momentum, dampening, weight_decay"},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "nesterov", "from": 0, "to": 1, "n": 4}, )" + y + "}",
       "map.x.param: \"nesterov\" is not a numeric hyperparameter of sgd"},
      {R"({"kind": "hyper", "measure": "steps", )" + x + R"(, "y": {"param": "lr", "from": 0, "to": 0.9, "n": 4}})",
       "map.y.param: the same hyperparameter as map.x.param"},
      {R"({"kind": "hyper", "measure": "steps", )" + x + R"(, "y": {"param": "momentum", "from": 0.5, "to": -0.5, "n": 4}})",
       "map.y.to: optimizers[0].momentum: "},
      {R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": -0.1, "to": 1, "n": 4}, )" + y + "}",
       "map.x.from: optimizers[0].lr: "},
      {R"({"kind": "hyper", "measure": "steps", "run": 1, )" + x + ", " + y + "}", "map.run: the spec has 1 optimizers (0 to 0), got 1"},
      {R"({"kind": "hyper", "measure": "steps", "steps": 10000, "x": {"param": "lr", "from": 0.1, "to": 1, "n": 256}, "y": {"param": "momentum", "from": 0, "to": 0.9, "n": 256}})",
       "map.steps: 256 × 256 cells × 10000 steps = "},
      {R"({"kind": "hyper", "measure": "basin", )" + x + ", " + y + "}", "map.measure: \"basin\" needs a start map"},
      {R"({"kind": "start", "measure": "steps", )" + x + ", " + y + "}", "map.x.param: a start map's x axis is the start's \"x\""},
      {R"({"kind": "start", "measure": "steps", "x": {"param": "x", "from": -1, "to": 1, "n": 3}, )" + y + "}",
       "map.y.param: a start map's y axis is the start's \"y\""},
      {R"({"kind": "hyper", "measure": "steps", "tolerance": -1, )" + x + ", " + y + "}", "map.tolerance: must be >= 0"},
      {"[1]", "map: expected an object"},
  };
  // Whole messages where the contract gives them.
  EXPECT_EQ(error_of(with_map(R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0, "to": 1, "n": 4, "scale": "log"}, )" + y + "}")),
            "map.x.from: a log axis needs a positive bound, got 0");
  for (const auto& [map, want] : cases)
    EXPECT_EQ(error_of(with_map(map)).rfind(want, 0), 0u) << map << "\n  -> " << error_of(with_map(map));
  // The experiment's own errors keep their fields.
  EXPECT_EQ(error_of(with_map(ok, R"({"name": "rosenbrok"})")).rfind("problem.name: ", 0), 0u);
  // Nothing to count steps to: a formula has no known minimum.
  EXPECT_EQ(error_of(with_map(ok, R"({"expr": "x^2 + y^2"})")).rfind("map.measure: \"steps\"", 0), 0u);
  // A start map needs a landscape.
  const std::string mlp = R"({"name": "mlp", "data": {"name": "spiral", "n": 32, "classes": 2, "noise": 0.1, "seed": 1},
    "layers": [2, 4, 1], "activation": "tanh", "loss": "bce", "init": {"seed": 1}})";
  EXPECT_EQ(error_of(with_map(R"({"kind": "start", "measure": "final_loss", "x": {"param": "x", "from": -1, "to": 1, "n": 3},
    "y": {"param": "y", "from": -1, "to": 1, "n": 3}})", mlp)).rfind("map.kind: a start map needs a 2-D landscape", 0), 0u);
  // A pair's member is checked within the pair.
  EXPECT_EQ(error_of(with_map(R"({"kind": "hyper", "measure": "steps", "x": {"param": "lr", "from": 0.001, "to": 0.01, "n": 4},
    "y": {"param": "betas.1", "from": 0.9, "to": 1.2, "n": 4}})", R"({"name": "rosenbrock"})", R"({"name": "adam"})"))
                .rfind("map.y.to: optimizers[0].betas: ", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "steps": 10, "optimizers": [{"name": "sgd"}]})"),
            "map: required: {\"kind\", \"x\", \"y\", \"measure\", ...}");
}

TEST(Map, AHyperparameterMapOnANetworkRunsWithFinalLoss) {
  const std::string mlp = R"({"name": "mlp", "data": {"name": "spiral", "n": 32, "classes": 2, "noise": 0.1, "seed": 1},
    "layers": [2, 4, 1], "activation": "tanh", "loss": "bce", "init": {"seed": 1}})";
  const std::string request = R"({"problem": )" + mlp + R"(, "steps": 20, "optimizers": [{"name": "adam"}],
    "map": {"kind": "hyper", "measure": "final_loss", "x": {"param": "lr", "from": 0.001, "to": 0.1, "n": 3, "scale": "log"},
            "y": {"param": "betas.1", "from": 0.9, "to": 0.999, "n": 2}}})";
  expect_cells_are_single_runs(request);
}

}  // namespace
}  // namespace optlab
