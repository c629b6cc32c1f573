#include "runner/curvature.h"

#include <cmath>

#include <Eigen/Eigenvalues>
#include <nlohmann/json.hpp>

#include "json/fields.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {

Curvature curvature_at(const Landscape& landscape, double x, double y) {
  const Jet2 j = landscape.curvature(x, y);
  Curvature c;
  c.point = {x, y};
  c.loss = j.v;
  c.gradient = {j.gx, j.gy};
  c.hessian << j.hxx, j.hxy, j.hxy, j.hyy;
  if (!c.hessian.allFinite()) {
    // No curvature where the function is not twice differentiable in floats (NaN, overflow).
    c.eigenvalues.setConstant(std::nan(""));
    c.eigenvectors.setConstant(std::nan(""));
    return c;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> solver(c.hessian);
  c.eigenvalues = solver.eigenvalues();
  c.eigenvectors = solver.eigenvectors();
  // One sign per eigenvector, so the output is the same wherever it is computed.
  for (int k = 0; k < 2; ++k) {
    const double lead = c.eigenvectors(0, k) != 0.0 ? c.eigenvectors(0, k) : c.eigenvectors(1, k);
    if (lead < 0.0) c.eigenvectors.col(k) *= -1.0;
  }
  return c;
}

namespace {

void append_pair(std::string& out, double a, double b) {
  out += '[';
  append_number(out, a);
  out += ',';
  append_number(out, b);
  out += ']';
}

}  // namespace

void append_curvature_json(std::string& out, const Curvature& c) {
  out += "{\"point\":";
  append_pair(out, c.point[0], c.point[1]);
  out += ",\"loss\":";
  append_number(out, c.loss);
  out += ",\"gradient\":";
  append_pair(out, c.gradient[0], c.gradient[1]);
  out += ",\"hessian\":[";
  append_pair(out, c.hessian(0, 0), c.hessian(0, 1));
  out += ',';
  append_pair(out, c.hessian(1, 0), c.hessian(1, 1));
  out += "],\"eigenvalues\":";
  append_pair(out, c.eigenvalues[0], c.eigenvalues[1]);
  out += ",\"eigenvectors\":[";
  append_pair(out, c.eigenvectors(0, 0), c.eigenvectors(1, 0));
  out += ',';
  append_pair(out, c.eigenvectors(0, 1), c.eigenvectors(1, 1));
  // What the local quadratic says of plain gradient descent: on f = ½ θᵀHθ, SGD's iteration
  // θ ← (I − lr·H)θ is stable while every |1 − lr·λ| < 1, i.e. lr < 2/λmax, and the fixed lr that
  // contracts fastest balances the two ends: 2/(λmin + λmax). Meaningful where H is positive
  // definite (κ, best lr) or has a positive eigenvalue (the limit); null elsewhere.
  const double lo = c.eigenvalues[0], hi = c.eigenvalues[1];
  const double nan = std::nan("");
  out += "],\"condition_number\":";
  append_number(out, lo > 0.0 ? hi / lo : nan);
  out += ",\"sgd_lr_limit\":";
  append_number(out, hi > 0.0 ? 2.0 / hi : nan);
  out += ",\"sgd_lr_best\":";
  append_number(out, lo > 0.0 ? 2.0 / (lo + hi) : nan);
  out += '}';
}

std::string run_curvature_json(const Session& session, int run) {
  const auto* landscape = dynamic_cast<const Landscape*>(&session.problem_of(run));
  if (!landscape || session.spec().is_network()) throw std::invalid_argument("curvature: this problem is not a 2-D landscape");
  const Eigen::VectorXd& x = session.state(run).x;
  std::string out;
  append_curvature_json(out, curvature_at(*landscape, x[0], x[1]));
  return out;
}

std::string hessian_request_to_json(const std::string& text) {
  const nlohmann::json doc = parse_json(text);
  try {
    if (!doc.is_object()) throw SpecError("hessian request: expected an object {\"problem\": ..., \"points\": [[x, y], ...]}");
    fields::reject_unknown(doc, "", {"problem", "points"});
    if (!doc.contains("problem")) throw SpecError("problem: required: a landscape like {\"name\": \"rosenbrock\"}");
    if (!doc.contains("points")) throw SpecError("points: required: a list of [x, y] points");
    Spec spec;
    spec.problem = doc["problem"];
    const auto problem = make_problem(spec);
    const auto* landscape = dynamic_cast<const Landscape*>(problem.get());
    if (!landscape || spec.is_network()) throw SpecError("problem: a hessian needs a 2-D landscape (a built-in or a formula)");
    const nlohmann::json& points = doc["points"];
    if (!points.is_array() || points.empty() || points.size() > kMaxHessianPoints)
      throw SpecError("points: expected a list of 1 to " + std::to_string(kMaxHessianPoints) + " [x, y] points");
    std::string out = "{\"points\":[";
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string field = "points[" + std::to_string(i) + "]";
      if (!points[i].is_array() || points[i].size() != 2) throw SpecError(field + ": expected [x, y]");
      const double x = fields::finite_number(points[i][0], field + "[0]");
      const double y = fields::finite_number(points[i][1], field + "[1]");
      if (i) out += ',';
      try {
        append_curvature_json(out, curvature_at(*landscape, x, y));
      } catch (const SpecError&) {
        throw;
      } catch (const std::invalid_argument& e) {
        throw SpecError(std::string("problem: ") + e.what());
      }
    }
    out += "]}\n";
    return out;
  } catch (const fields::FieldError& e) {
    throw SpecError(e.what());
  }
}

}  // namespace optlab
