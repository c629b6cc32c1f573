// The fit problem (issue 13): torch fixtures step by step (tests/fixtures/torch_fit.json, from
// tests/tools/make_fit_fixtures.py), the generated data, the mini-batches, the batch landscape,
// and the errors that name the field.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "problems/fit.h"
#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/network_view.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

std::unique_ptr<FitProblem> fit(const std::string& problem, std::uint64_t seed = 0) {
  return make_fit_problem(json::parse(problem), seed);
}

std::string error_of(const std::string& spec) {
  try {
    run_experiment(parse_spec(spec));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(Fit, EveryStepMatchesTorch) {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_fit.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path << " (regenerate with /usr/bin/python3 tests/tools/make_fit_fixtures.py)";
  const json fixture = json::parse(in);
  ASSERT_GE(fixture.at("cases").size(), 8u);
  double worst = 0.0;
  std::set<std::string> seen;
  for (const json& c : fixture.at("cases")) {
    const std::string label = c.at("case");
    const ExperimentResult result = run_experiment(parse_spec(c.at("spec").dump()));
    const History& h = result.runs.at(0).history;
    const json& params = c.at("params");
    const json& losses = c.at("loss");
    ASSERT_EQ(h.size(), static_cast<long>(params.size())) << label;
    for (long k = 0; k < h.size(); ++k) {
      const double want_loss = losses[static_cast<std::size_t>(k)];
      const double loss = h.loss[static_cast<std::size_t>(k)];
      worst = std::max(worst, std::abs(loss - want_loss) / std::abs(want_loss));
      ASSERT_NEAR(loss, want_loss, 1e-9 * std::abs(want_loss)) << label << " step " << k;
      for (int d = 0; d < 2; ++d) {
        const double want = params[static_cast<std::size_t>(k)][static_cast<std::size_t>(d)];
        const double got = h.params[static_cast<std::size_t>(2 * k + d)];
        worst = std::max(worst, std::abs(got - want) / std::max(1e-300, std::abs(want)));
        ASSERT_NEAR(got, want, 1e-9 * std::max(1.0, std::abs(want))) << label << " step " << k << " param " << d;
      }
    }
    seen.insert(c.at("spec").at("problem").at("model").get<std::string>() +
                (c.at("spec").at("problem").contains("batch_size") ? "-batch" : "-full"));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"line-full", "logistic-full", "line-batch", "logistic-batch"}));
  std::cout << "[ torch_fit ] worst relative difference over every step: " << worst << "\n";
}

TEST(Fit, MiniBatchesCoverEachEpochOnceAndTheLastIsSmaller) {
  auto p = fit(R"({"name": "fit", "data": {"name": "noisy_line", "n": 10}, "batch_size": 4})", 5);
  EXPECT_EQ(p->steps_per_epoch(), 3);
  for (long epoch = 0; epoch < 3; ++epoch) {
    std::multiset<int> rows;
    for (long s = 0; s < 3; ++s) {
      const auto b = p->batch_indices(epoch * 3 + s);
      EXPECT_EQ(b.size(), s < 2 ? 4u : 2u);
      rows.insert(b.begin(), b.end());
    }
    EXPECT_EQ(rows.size(), 10u);
    EXPECT_EQ(std::set<int>(rows.begin(), rows.end()).size(), 10u) << "epoch " << epoch;
  }
  EXPECT_NE(p->batch_indices(0), p->batch_indices(3)) << "each epoch reshuffles";
  // The batch of step k depends on (seed, k) alone.
  auto again = fit(R"({"name": "fit", "data": {"name": "noisy_line", "n": 10}, "batch_size": 4})", 5);
  EXPECT_EQ(again->batch_indices(7), p->batch_indices(7));
}

TEST(Fit, TheStepFollowsTheBatchGradientAndTheResultCarriesTheBatchLoss) {
  auto p = fit(R"({"name": "fit", "data": {"name": "noisy_line", "n": 12}, "batch_size": 3})", 2);
  Eigen::VectorXd x(2), g;
  x << 0.3, -0.2;
  const double full = p->loss_and_grad(x, 5, g);
  EXPECT_DOUBLE_EQ(full, p->loss(x));
  double g0 = 0, g1 = 0;
  const double batch = p->loss_on(p->batch_indices(5), x[0], x[1], &g0, &g1);
  EXPECT_DOUBLE_EQ(g[0], g0);
  EXPECT_DOUBLE_EQ(g[1], g1);
  double m = 0;
  p->metrics(x, 5, &m);
  EXPECT_DOUBLE_EQ(m, batch);
  // The batch's own landscape, on a grid, is its loss at each point.
  std::vector<double> grid(3 * 2);
  p->evaluate_batch_grid(5, ViewBox{-1, 1, 0, 2}, 3, 2, grid.data());
  EXPECT_DOUBLE_EQ(grid[1 * 3 + 2], p->loss_on(p->batch_indices(5), 1.0, 2.0, nullptr, nullptr));
  const std::string out = result_to_json(run_experiment(parse_spec(
      R"({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 12}, "batch_size": 3}, "steps": 4,
          "optimizers": [{"name": "sgd"}]})")));
  const json r = json::parse(out).at("runs").at(0);
  EXPECT_EQ(r.at("batch_loss").size(), 5u);
  EXPECT_EQ(r.at("steps_per_epoch"), 4);
}

TEST(Fit, GeneratedDataIsSeededAndShapedAsDocumented) {
  auto a = fit(R"({"name": "fit", "data": {"name": "noisy_line", "n": 50, "slope": 3, "intercept": -1, "noise": 0}})", 9);
  ASSERT_EQ(a->data().x.rows(), 50);
  for (int i = 0; i < 50; ++i) {
    EXPECT_LE(std::abs(a->data().x(i, 0)), 2.0);
    EXPECT_DOUBLE_EQ(a->data().y[i], 3 * a->data().x(i, 0) - 1);
  }
  // Noise-free data: the known minimum is the true line, at zero loss.
  ASSERT_EQ(a->info().minima.size(), 1u);
  EXPECT_NEAR(a->info().minima[0].x, 3.0, 1e-12);
  EXPECT_NEAR(a->info().minima[0].y, -1.0, 1e-12);
  EXPECT_NEAR(a->info().minima[0].value, 0.0, 1e-20);
  auto s = fit(R"({"name": "fit", "data": {"name": "sparse_features", "n": 400, "density": 0.1, "seed": 4}})");
  EXPECT_EQ(s->model(), FitModel::Logistic);
  int sparse = 0;
  for (int i = 0; i < 400; ++i) {
    const double x2 = s->data().x(i, 1);
    if (x2 != 0.0) {
      ++sparse;
      EXPECT_EQ(s->data().y[i], x2 > 0 ? 1.0 : 0.0) << "x2 decides the label where it is not zero";
    }
  }
  EXPECT_GT(sparse, 20);
  EXPECT_LT(sparse, 70);
  auto s2 = fit(R"({"name": "fit", "data": {"name": "sparse_features", "n": 400, "density": 0.1, "seed": 4}})", 123);
  EXPECT_EQ(s2->data().x, s->data().x) << "the data's own seed wins over the experiment's";
}

TEST(Fit, BadInputNamesTheField) {
  const std::string head = R"({"steps": 3, "optimizers": [{"name": "sgd"}], "problem": {"name": "fit", )";
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"x": [1, 2, "a"], "y": [1, 2, 3]}}})").rfind("problem.data.x[2]:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"x": [1], "y": [1]}}})").rfind("problem.data.x:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"x": [1, 2], "y": [1]}}})").rfind("problem.data.y:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "logistic", "data": {"x": [[1, 2], [3, 4]], "y": [0, 2]}}})").rfind("problem.data.y[1]:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "logistic", "data": {"x": [[1, 2], [3]], "y": [0, 1]}}})").rfind("problem.data.x[1]:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"x": [1, 2], "y": [1, 2]}, "batch_size": 0}})").rfind("problem.batch_size:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"x": [1, 2], "y": [1, 2]}, "batch_size": 3}})").rfind("problem.batch_size:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "cubic", "data": {"name": "noisy_line"}}})").rfind("problem.model:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("data": {"name": "wiggly"}}})").rfind("problem.data.name:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("model": "line", "data": {"name": "sparse_features"}}})").rfind("problem.model:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("data": {"name": "noisy_line", "n": 1}}})").rfind("problem.data.n:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("data": {"name": "noisy_line", "nosie": 1}}})").rfind("problem.data", 0), 0u);
  EXPECT_EQ(error_of(head + R"("data": {"name": "sparse_features", "density": 0}}})").rfind("problem.data.density:", 0), 0u);
  EXPECT_EQ(error_of(head + R"("data": {"x": [1, 2], "y": [1, 2]}, "start": 1}})").rfind("problem", 0), 0u);
}

}  // namespace
}  // namespace optlab

namespace optlab {
namespace {

json runs_of(const std::string& spec) { return json::parse(result_to_json(run_experiment(parse_spec(spec)))).at("runs"); }

// Per-run batch size (issue 13): each run equals the same run alone with that batch size on the
// problem, and the result says where its epochs end.
TEST(FitPerRun, EachRunHasItsOwnBatchSize) {
  const std::string data = R"({"name": "noisy_line", "n": 24, "seed": 2})";
  const json runs = runs_of(R"({"problem": {"name": "fit", "data": )" + data + R"(, "batch_size": 4}, "steps": 20, "seed": 5,
      "optimizers": [{"name": "sgd", "lr": 0.05, "batch_size": 1}, {"name": "sgd", "lr": 0.05, "batch_size": 8},
                     {"name": "sgd", "lr": 0.05, "batch_size": null}, {"name": "sgd", "lr": 0.05}]})");
  const char* sizes[] = {"1", "8", "null", "4"};
  for (int i = 0; i < 4; ++i) {
    const json alone = runs_of(R"({"problem": {"name": "fit", "data": )" + data + R"(, "batch_size": )" + sizes[i] +
                               R"(}, "steps": 20, "seed": 5, "optimizers": [{"name": "sgd", "lr": 0.05}]})").at(0);
    EXPECT_EQ(runs.at(i).at("params"), alone.at("params")) << "run " << i;
    EXPECT_EQ(runs.at(i).at("batch_loss"), alone.at("batch_loss")) << "run " << i;
  }
  EXPECT_EQ(runs.at(0).at("steps_per_epoch"), 24);
  EXPECT_EQ(runs.at(1).at("steps_per_epoch"), 3);
  EXPECT_FALSE(runs.at(2).contains("steps_per_epoch"));
  EXPECT_EQ(runs.at(3).at("steps_per_epoch"), 6);
  EXPECT_NE(runs.at(0).at("params"), runs.at(1).at("params"));
}

TEST(FitPerRun, NoiseIsPerRunOnLandscapesAndTheSessionAgrees) {
  const json runs = runs_of(R"({"problem": {"name": "rosenbrock"}, "steps": 10, "seed": 3,
      "optimizers": [{"name": "adam", "noise": 2}, {"name": "adam"}]})");
  const json noisy = runs_of(R"({"problem": {"name": "rosenbrock", "noise": 2}, "steps": 10, "seed": 3, "optimizers": [{"name": "adam"}]})");
  EXPECT_EQ(runs.at(0).at("params"), noisy.at(0).at("params"));
  const json plain = runs_of(R"({"problem": {"name": "rosenbrock"}, "steps": 10, "optimizers": [{"name": "adam"}]})");
  EXPECT_EQ(runs.at(1).at("params"), plain.at(0).at("params"));
  // A session steps each run on its own problem too, and Back stays exact.
  const std::string spec = R"({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 24}}, "steps": 0,
      "optimizers": [{"name": "sgd", "lr": 0.05, "batch_size": 3}, {"name": "sgd", "lr": 0.05}]})";
  Session s(parse_spec(spec));
  s.step_by(70);
  s.back(5);
  s.step_by(5);
  Spec with_steps = parse_spec(spec);
  with_steps.steps = 70;
  const ExperimentResult r = run_experiment(with_steps);
  for (int i = 0; i < 2; ++i) {
    const Eigen::VectorXd& x = s.state(i).x;
    const auto& h = r.runs[static_cast<std::size_t>(i)].history;
    EXPECT_EQ(x[0], h.params[h.params.size() - 2]) << "run " << i;
    EXPECT_EQ(x[1], h.params[h.params.size() - 1]) << "run " << i;
  }
  EXPECT_EQ(fit_batch(s, 0, 4).size(), 3u);
  EXPECT_EQ(fit_batch(s, 1, 4).size(), 24u);
}

TEST(FitPerRun, NetworksTakeAPerRunBatchSizeToo) {
  const std::string problem = R"("name": "mlp", "data": {"name": "spiral", "n": 40, "seed": 1}, "layers": [2, 4, 1], "init": {"seed": 2})";
  const json runs = runs_of(R"({"problem": {)" + problem + R"(}, "steps": 6, "record_params": true,
      "optimizers": [{"name": "sgd", "lr": 0.1, "batch_size": 1}, {"name": "sgd", "lr": 0.1}]})");
  const json one = runs_of(R"({"problem": {)" + problem + R"(, "batch_size": 1}, "steps": 6, "record_params": true,
      "optimizers": [{"name": "sgd", "lr": 0.1}]})");
  EXPECT_EQ(runs.at(0).at("params"), one.at(0).at("params"));
  EXPECT_EQ(runs.at(0).at("steps_per_epoch"), 40);
  EXPECT_FALSE(runs.at(1).contains("steps_per_epoch"));
  EXPECT_NE(runs.at(0).at("params"), runs.at(1).at("params"));
}

TEST(FitPerRun, RunStatusSaysEachRunsBatchSizeAndEpochLength) {
  // What the page counts epochs and examples seen from, per run.
  Session fit(parse_spec(R"({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 24}, "batch_size": 5}, "steps": 0,
      "optimizers": [{"name": "sgd", "batch_size": 1}, {"name": "sgd", "batch_size": null}, {"name": "sgd"}]})"));
  EXPECT_EQ(run_status(fit, 0).at("batch_size"), 1);
  EXPECT_EQ(run_status(fit, 0).at("steps_per_epoch"), 24);
  EXPECT_TRUE(run_status(fit, 1).at("batch_size").is_null());
  EXPECT_EQ(run_status(fit, 1).at("steps_per_epoch"), 1);
  EXPECT_EQ(run_status(fit, 2).at("batch_size"), 5);
  EXPECT_EQ(run_status(fit, 2).at("steps_per_epoch"), 5);  // 4 batches of 5, then one of 4
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run_status(fit, i).at("rows"), 24);
  Session landscape(parse_spec(R"({"problem": {"name": "rosenbrock"}, "steps": 0, "optimizers": [{"name": "sgd"}]})"));
  EXPECT_FALSE(run_status(landscape, 0).contains("rows"));

  // A network run with its own batch size draws its own batches; the problem's stay the problem's.
  Session net(parse_spec(R"({"problem": {"name": "mlp", "data": {"name": "spiral", "n": 40, "seed": 1, "test_fraction": 0},
      "layers": [2, 4, 1], "batch_size": 8}, "steps": 0, "optimizers": [{"name": "sgd", "batch_size": 3}, {"name": "sgd", "batch_size": null}, {"name": "sgd"}]})"));
  const NetworkView view(net);
  EXPECT_EQ(view.batch(0, 0).size(), 3u);
  EXPECT_EQ(view.batch(0, 1).size(), 40u);
  EXPECT_EQ(view.batch(0, 2), view.batch(0));
  EXPECT_EQ(view.batch(0).size(), 8u);
  EXPECT_EQ(run_status(net, 0).at("steps_per_epoch"), 14);
  EXPECT_EQ(run_status(net, 0).at("rows"), 40);
}

TEST(FitPerRun, OverridesThatDoNotFitTheProblemNameTheRunsField) {
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "steps": 3, "optimizers": [{"name": "sgd", "batch_size": 4}]})")
                .rfind("optimizers[0].batch_size:", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "fit", "data": {"name": "noisy_line"}}, "steps": 3,
      "optimizers": [{"name": "sgd"}, {"name": "sgd", "noise": 1}]})").rfind("optimizers[1].noise:", 0), 0u);
  const std::string big = error_of(R"({"problem": {"name": "fit", "data": {"name": "noisy_line", "n": 10}}, "steps": 3,
      "optimizers": [{"name": "sgd", "batch_size": 11}]})");
  EXPECT_EQ(big.rfind("optimizers[0].batch_size:", 0), 0u) << big;
  EXPECT_EQ(error_of(R"({"problem": {"name": "fit", "data": {"name": "noisy_line"}}, "steps": 3,
      "optimizers": [{"name": "sgd", "batch_size": 0}]})").rfind("optimizers[0].batch_size:", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "steps": 3, "optimizers": [{"name": "sgd", "noise": -1}]})")
                .rfind("optimizers[0].noise:", 0), 0u);
}

}  // namespace
}  // namespace optlab
