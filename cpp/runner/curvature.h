// The curvature of a 2-D landscape at a point: loss, gradient, Hessian and its eigen-decomposition
// (`optlab hessian`, the module's hessian(), a Session run's current point). The numbers are the
// autodiff's (second-order forward mode), exact to float64 rounding.
#pragma once

#include <string>

#include <Eigen/Core>

#include "problems/landscapes.h"

namespace optlab {

struct Curvature {
  Eigen::Vector2d point;
  double loss;
  Eigen::Vector2d gradient;
  Eigen::Matrix2d hessian;
  Eigen::Vector2d eigenvalues;   // ascending
  Eigen::Matrix2d eigenvectors;  // column k belongs to eigenvalue k: unit length, first non-zero entry > 0
};

Curvature curvature_at(const Landscape& landscape, double x, double y);

// {"point", "loss", "gradient", "hessian": [[hxx, hxy], [hyx, hyy]], "eigenvalues": [λ1, λ2],
//  "eigenvectors": [[v1x, v1y], [v2x, v2y]], "condition_number": λ2/λ1, "sgd_lr_limit": 2/λ2,
//  "sgd_lr_best": 2/(λ1 + λ2)} (non-finite or meaningless numbers as null), appended to out.
void append_curvature_json(std::string& out, const Curvature& c);

class Session;
// The same for run `run`'s current point in a session (its landscape without the noise).
std::string run_curvature_json(const Session& session, int run);

constexpr int kMaxHessianPoints = 10000;

// A hessian request {"problem": P, "points": [[x, y], ...]} (1 to kMaxHessianPoints points, P a
// landscape as in an experiment) to {"points": [one object per point, as above]}. Errors name the
// field (SpecError).
std::string hessian_request_to_json(const std::string& text);

}  // namespace optlab
