// A plane through weight space, centre + α·d1 + β·d2, on which the page draws the full-batch loss
// and every run's trajectory ("Visualizing the Loss Landscape of Neural Nets", Li et al. 2018).
// Three ways to choose d1 and d2:
//   random_plane      two seeded Gaussian directions, filter-normalised: each row (neuron) of each
//                     layer's weight block is rescaled to the norm of that row of the centre's
//                     weights (a row of zero weights gets a zero direction); the bias entries are
//                     0, as in Li et al.'s code for biases (their "ignore biasbn" option), so the
//                     biases stay at the centre's values across the plane.
//   pca_plane         the first two principal components of trajectory points minus the centre
//                     (not mean-centred, so the plane through the centre fits the points best in
//                     least squares); unit, orthogonal, signed so their largest entry is positive.
//                     With more than 300 points, every s-th point of each trajectory (and its last)
//                     is used, which keeps the cost near a second for 8 runs of 1000 steps.
//   coordinate_plane  two unit vectors along weights the user picks (flat indices).
// Every function throws std::invalid_argument naming what is wrong.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "problems/landscapes.h"
#include "problems/mlp.h"
#include "problems/problem.h"

namespace optlab {

struct WeightPlane {
  Eigen::VectorXd centre;
  Eigen::VectorXd d1;
  Eigen::VectorXd d2;
};

WeightPlane random_plane(const std::vector<LayerSlice>& layers, const Eigen::VectorXd& centre, std::uint64_t seed);
// Each trajectory is dim × steps, one point per column (a run's params as stored: flat, step after
// step). Needs points spanning at least 2 directions away from the centre.
WeightPlane pca_plane(const Eigen::VectorXd& centre, const std::vector<Eigen::MatrixXd>& trajectories);
WeightPlane coordinate_plane(const Eigen::VectorXd& centre, Eigen::Index i, Eigen::Index j);

// out[j*n + i] = problem.loss(centre + α_i·d1 + β_j·d2) with α_i = view.xmin + i*(xmax-xmin)/(n-1)
// and β_j = view.ymin + j*(ymax-ymin)/(n-1). n from 2 to 256. Losses are written as they come
// (a diverging corner may be huge or non-finite).
// The largest side of a plane loss grid.
constexpr int kMaxPlaneGrid = 256;
void plane_loss_grid(Problem& problem, const WeightPlane& plane, const ViewBox& view, int n, double* out);

// The least-squares (α, β) of each point (columns of `points`, dim × m): row 0 α, row 1 β.
// For points on the plane these are exact; otherwise the closest point of the plane.
Eigen::Matrix2Xd project(const WeightPlane& plane, const Eigen::Ref<const Eigen::MatrixXd>& points);

}  // namespace optlab
