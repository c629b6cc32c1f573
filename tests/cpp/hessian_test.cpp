// The curvature (issue 16, item 4): `optlab hessian` against torch.autograd.functional.hessian in
// float64 on every built-in landscape (by name and by its formula) and on formulas using every
// function of the grammar; the second-order jets against the gradient tape; bad requests.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "autodiff/jet2.h"
#include "problems/landscapes.h"
#include "runner/curvature.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using json = nlohmann::json;

json fixture() {
  const std::string path = std::string(OPTLAB_FIXTURES_DIR) + "/torch_hessian.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing " + path + " (regenerate with /usr/bin/python3 tests/tools/make_hessian_fixtures.py)");
  return json::parse(in);
}

// Within 1e-8 of torch's value, relative to the size of the numbers involved; null (non-finite) on
// both sides counts as equal.
void expect_near(const json& ours, const json& torch, double scale, const std::string& what) {
  if (torch.is_null() || ours.is_null()) {
    EXPECT_EQ(ours.is_null(), torch.is_null()) << what << ": " << ours << " vs torch " << torch;
    return;
  }
  const double a = ours.get<double>(), b = torch.get<double>();
  EXPECT_LE(std::fabs(a - b), 1e-8 * std::max({1.0, std::fabs(b), scale})) << what << ": " << a << " vs torch " << b;
}

double largest(const json& values) {
  double m = 0.0;
  for (const json& v : values) if (v.is_number()) m = std::max(m, std::fabs(v.get<double>()));
  return m;
}

void expect_matches_torch(const json& ours, const json& torch, const std::string& where) {
  expect_near(ours["loss"], torch["loss"], 0.0, where + " loss");
  const double gscale = largest(torch["gradient"]);
  for (int k = 0; k < 2; ++k) expect_near(ours["gradient"][k], torch["gradient"][k], gscale, where + " gradient");
  const json& h = torch["hessian"];
  const double hscale = largest({h[0][0], h[0][1], h[1][0], h[1][1]});
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 2; ++c) expect_near(ours["hessian"][r][c], h[r][c], hscale, where + " hessian");
  for (int k = 0; k < 2; ++k) expect_near(ours["eigenvalues"][k], torch["eigenvalues"][k], hscale, where + " eigenvalue");
  const json& lam = torch["eigenvalues"];
  if (lam[0].is_null()) return;
  // Eigenvectors are defined up to sign, and only where the eigenvalues differ.
  if (std::fabs(lam[1].get<double>() - lam[0].get<double>()) <= 1e-6 * std::max(1.0, hscale)) return;
  for (int k = 0; k < 2; ++k) {
    const json& u = ours["eigenvectors"][k];
    const json& v = torch["eigenvectors"][k];
    const double dot = u[0].get<double>() * v[0].get<double>() + u[1].get<double>() * v[1].get<double>();
    EXPECT_NEAR(std::fabs(dot), 1.0, 1e-8) << where << " eigenvector " << k;
    EXPECT_NEAR(std::hypot(u[0].get<double>(), u[1].get<double>()), 1.0, 1e-12) << where;
  }
}

json request(const json& problem, const json& points) {
  return json::parse(hessian_request_to_json(json{{"problem", problem}, {"points", points}}.dump()));
}

TEST(Hessian, MatchesTorchOnEveryBuiltinAndOnEveryFunctionOfTheGrammar) {
  const json doc = fixture();
  ASSERT_GE(doc["cases"].size(), 16u);
  int builtins = 0;
  for (const json& c : doc["cases"]) {
    json points = json::array();
    for (const json& p : c["points"]) points.push_back(p["point"]);
    const json ours = request(c["problem"], points)["points"];
    // A built-in by its formula text too: the same curvature from the parsed program.
    const json by_formula = request(json{{"expr", c["formula"]}}, points)["points"];
    if (c["problem"].contains("name")) ++builtins;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string where = c["formula"].get<std::string>() + " at " + points[i].dump();
      expect_matches_torch(ours[i], c["points"][i], where);
      expect_matches_torch(by_formula[i], c["points"][i], where + " (as a formula)");
    }
  }
  EXPECT_EQ(builtins, static_cast<int>(landscape_names().size()));
}

TEST(Hessian, TheJetsValueAndGradientAreTheTapes) {
  for (const std::string& name : landscape_names()) {
    auto l = make_landscape(name);
    Eigen::VectorXd grad(2);
    for (const Eigen::Vector2d p : {Eigen::Vector2d(0.3, -0.7), Eigen::Vector2d(-1.1, 0.4)}) {
      const double loss = l->loss_and_grad(p, 0, grad);
      const Jet2 j = l->curvature(p[0], p[1]);
      EXPECT_EQ(j.v, loss) << name;  // the same value, bit for bit
      EXPECT_NEAR(j.gx, grad[0], 1e-12 * std::max(1.0, std::fabs(grad[0]))) << name;
      EXPECT_NEAR(j.gy, grad[1], 1e-12 * std::max(1.0, std::fabs(grad[1]))) << name;
    }
  }
}

TEST(Hessian, EigenvaluesAscendWithUnitEigenvectorsOfAFixedSign) {
  const json out = request(json{{"name", "saddle"}}, json::array({{0.5, 0.5}}))["points"][0];
  EXPECT_EQ(out["hessian"], json::parse("[[2.0, 0.0], [0.0, -2.0]]"));
  EXPECT_EQ(out["eigenvalues"], json::parse("[-2.0, 2.0]"));
  EXPECT_EQ(out["eigenvectors"], json::parse("[[0.0, 1.0], [1.0, 0.0]]"));
  // A saddle has no best fixed lr or condition number; the limit comes from its upward direction.
  EXPECT_TRUE(out["condition_number"].is_null());
  EXPECT_TRUE(out["sgd_lr_best"].is_null());
  EXPECT_EQ(out["sgd_lr_limit"], 1.0);
  // The quadratic 0.5*(x^2 + 10*y^2): λ = 1 and 10, so κ = 10, SGD stable below 0.2, best at 2/11.
  const json q = request(json{{"name", "quadratic"}}, json::array({{-2.5, 1.5}}))["points"][0];
  EXPECT_EQ(q["eigenvalues"], json::parse("[1.0, 10.0]"));
  EXPECT_EQ(q["condition_number"], 10.0);
  EXPECT_EQ(q["sgd_lr_limit"], 0.2);
  EXPECT_EQ(q["sgd_lr_best"], 2.0 / 11.0);
  // Where the function is not twice differentiable in floats (Ackley's cone tip): nulls, no crash.
  const json tip = request(json{{"name", "ackley"}}, json::array({{0.0, 0.0}}))["points"][0];
  EXPECT_TRUE(tip["eigenvalues"][0].is_null());
}

std::string error_of(const std::string& text) {
  try {
    hessian_request_to_json(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "";
}

TEST(Hessian, BadRequestsNameTheField) {
  EXPECT_EQ(error_of(R"({"points": [[0, 0]]})").rfind("problem: required", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}})").rfind("points: required", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "points": []})").rfind("points: expected a list of 1 to 10000", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "points": [[0, 0], [1]]})"), "points[1]: expected [x, y]");
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "points": [[0, "a"]]})").rfind("points[0][1]:", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrok"}, "points": [[0, 0]]})").rfind("problem.name:", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"expr": "x^"}, "points": [[0, 0]]})").rfind("problem.expr:", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "rosenbrock"}, "points": [[0, 0]], "steps": 3})").rfind("steps: unknown field", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "fit", "data": {"name": "noisy_line"}}, "points": [[0, 0]]})").rfind("problem: hessian: only a 2-D landscape", 0), 0u);
  EXPECT_EQ(error_of(R"({"problem": {"name": "mlp", "data": {"name": "moons"}, "layers": [2, 2, 1]}, "points": [[0, 0]]})").rfind("problem: a hessian needs a 2-D landscape", 0), 0u);
}

}  // namespace
}  // namespace optlab
