// The weight-space plane of weight_plane.h: choosing the directions, the loss grid, projection.
#include "problems/weight_plane.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Eigenvalues>

#include "problems/rng.h"

namespace optlab {

using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr int kMaxPcaPoints = 300;

void check_centre(const VectorXd& centre) {
  if (centre.size() < 2) throw std::invalid_argument("plane: the centre needs at least 2 weights");
  if (!centre.allFinite()) throw std::invalid_argument("plane: the centre has non-finite weights");
}

// Flips v so that its largest entry (by magnitude, the first such) is positive.
void fix_sign(VectorXd& v) {
  Eigen::Index at = 0;
  v.cwiseAbs().maxCoeff(&at);
  if (v[at] < 0.0) v = -v;
}

// |v| summed in index order: Eigen's norm() sums in an order that depends on the SIMD width, so
// the native and WebAssembly builds would get different last bits and different planes.
double ordered_norm(const double* v, Eigen::Index n) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) sum += v[i] * v[i];
  return std::sqrt(sum);
}

VectorXd filter_normalised(const std::vector<LayerSlice>& layers, const VectorXd& centre, Rng& rng) {
  VectorXd d = VectorXd::Zero(centre.size());
  for (const LayerSlice& s : layers) {
    for (int o = 0; o < s.rows; ++o) {
      const Eigen::Index at = s.weight_offset + Eigen::Index{o} * s.cols;
      for (int i = 0; i < s.cols; ++i) d[at + i] = rng.normal();
      const double direction_norm = ordered_norm(d.data() + at, s.cols);
      const double weight_norm = ordered_norm(centre.data() + at, s.cols);
      // A normal draw of all zeros cannot happen in practice; guard the division anyway.
      const double factor = direction_norm > 0.0 ? weight_norm / direction_norm : 0.0;
      for (int i = 0; i < s.cols; ++i) d[at + i] *= factor;
    }
  }
  return d;
}

// The points pca_plane uses, minus the centre, one per row.
MatrixXd sampled_offsets(const VectorXd& centre, const std::vector<MatrixXd>& trajectories) {
  Eigen::Index total = 0;
  for (std::size_t t = 0; t < trajectories.size(); ++t) {
    const MatrixXd& points = trajectories[t];
    if (points.rows() != centre.size())
      throw std::invalid_argument("plane: trajectories[" + std::to_string(t) + "] has points of " +
                                  std::to_string(points.rows()) + " weights, the centre " +
                                  std::to_string(centre.size()));
    if (!points.allFinite())
      throw std::invalid_argument("plane: trajectories[" + std::to_string(t) + "] has non-finite weights");
    total += points.cols();
  }
  const Eigen::Index stride = std::max<Eigen::Index>(1, (total + kMaxPcaPoints - 1) / kMaxPcaPoints);
  std::vector<const double*> picked;
  for (const MatrixXd& points : trajectories)
    for (Eigen::Index k = 0; k < points.cols(); ++k)
      if (k % stride == 0 || k + 1 == points.cols()) picked.push_back(points.col(k).data());
  MatrixXd m(static_cast<Eigen::Index>(picked.size()), centre.size());
  for (std::size_t r = 0; r < picked.size(); ++r)
    m.row(static_cast<Eigen::Index>(r)) = Eigen::Map<const VectorXd>(picked[r], centre.size()) - centre;
  return m;
}

}  // namespace

WeightPlane random_plane(const std::vector<LayerSlice>& layers, const VectorXd& centre, std::uint64_t seed) {
  check_centre(centre);
  if (layers.empty() || layers.back().bias_offset + layers.back().rows != centre.size())
    throw std::invalid_argument("plane: the layers do not describe the centre's " + std::to_string(centre.size()) +
                                " weights");
  Rng rng(seed, RngStream::kPlaneDirections, 0);
  WeightPlane plane{centre, filter_normalised(layers, centre, rng), VectorXd()};
  plane.d2 = filter_normalised(layers, centre, rng);
  if (plane.d1.squaredNorm() == 0.0)
    throw std::invalid_argument("plane: every weight of the centre is 0, so filter-normalised directions are 0");
  return plane;
}

WeightPlane pca_plane(const VectorXd& centre, const std::vector<MatrixXd>& trajectories) {
  check_centre(centre);
  if (trajectories.empty()) throw std::invalid_argument("plane: no trajectories to take principal components of");
  const MatrixXd m = sampled_offsets(centre, trajectories);
  // The top eigenvectors of mᵀm are the principal directions. Through the smaller Gram matrix:
  // with fewer points than weights, take u from m·mᵀ and map it back with v = mᵀu / |mᵀu|.
  const bool few_points = m.rows() <= m.cols();
  const Eigen::Index side = few_points ? m.rows() : m.cols();
  MatrixXd gram = MatrixXd::Zero(side, side);
  if (few_points)
    gram.selfadjointView<Eigen::Lower>().rankUpdate(m);
  else
    gram.selfadjointView<Eigen::Lower>().rankUpdate(m.transpose());
  Eigen::SelfAdjointEigenSolver<MatrixXd> solver(gram);  // reads the lower triangle; ascending
  if (solver.info() != Eigen::Success) throw std::invalid_argument("plane: the PCA did not converge");
  const VectorXd& lambda = solver.eigenvalues();
  if (side < 2 || !(lambda[side - 1] > 0.0))
    throw std::invalid_argument("plane: every trajectory point is at the centre; pick the plane another way");
  // Below this ratio the second direction is rounding noise (about 1e-16 of the first).
  if (!(lambda[side - 2] > 1e-12 * lambda[side - 1]))
    throw std::invalid_argument("plane: the trajectories span fewer than 2 directions; pick the plane another way");
  WeightPlane plane{centre, VectorXd(), VectorXd()};
  for (int k = 0; k < 2; ++k) {
    const VectorXd u = solver.eigenvectors().col(side - 1 - k);
    VectorXd v = few_points ? VectorXd(m.transpose() * u) : u;
    v.normalize();
    fix_sign(v);
    (k == 0 ? plane.d1 : plane.d2) = v;
  }
  return plane;
}

WeightPlane coordinate_plane(const VectorXd& centre, Eigen::Index i, Eigen::Index j) {
  check_centre(centre);
  const Eigen::Index n = centre.size();
  for (Eigen::Index k : {i, j})
    if (k < 0 || k >= n)
      throw std::invalid_argument("plane: weight index " + std::to_string(k) + " is outside the " +
                                  std::to_string(n) + " weights (0 to " + std::to_string(n - 1) + ")");
  if (i == j) throw std::invalid_argument("plane: the two weights must differ, got " + std::to_string(i) + " twice");
  return {centre, VectorXd::Unit(n, i), VectorXd::Unit(n, j)};
}

namespace {

// (DᵀD)⁻¹ for D = [d1 d2], after checking the plane is one.
Eigen::Matrix2d inverse_metric(const WeightPlane& plane) {
  const Eigen::Index n = plane.centre.size();
  if (plane.d1.size() != n || plane.d2.size() != n)
    throw std::invalid_argument("plane: d1, d2 and the centre must have the same number of weights");
  if (!plane.d1.allFinite() || !plane.d2.allFinite() || !plane.centre.allFinite())
    throw std::invalid_argument("plane: non-finite centre or directions");
  Eigen::Matrix2d g;
  g << plane.d1.squaredNorm(), plane.d1.dot(plane.d2), plane.d1.dot(plane.d2), plane.d2.squaredNorm();
  if (!(g.determinant() > 1e-12 * g(0, 0) * g(1, 1)))
    throw std::invalid_argument("plane: the directions are zero or parallel");
  return g.inverse();
}

}  // namespace

void plane_loss_grid(Problem& problem, const WeightPlane& plane, const ViewBox& view, int n, double* out) {
  inverse_metric(plane);
  if (plane.centre.size() != problem.dim())
    throw std::invalid_argument("plane: has " + std::to_string(plane.centre.size()) + " weights, the problem " +
                                std::to_string(problem.dim()));
  if (n < 2 || n > kMaxPlaneGrid)
    throw std::invalid_argument("plane grid: n must be in [2, " + std::to_string(kMaxPlaneGrid) + "], got " +
                                std::to_string(n));
  const bool finite = std::isfinite(view.xmax - view.xmin) && std::isfinite(view.ymax - view.ymin);
  if (!finite || !(view.xmin < view.xmax) || !(view.ymin < view.ymax))
    throw std::invalid_argument("plane grid: the view must be finite with xmin < xmax and ymin < ymax");
  if (out == nullptr) throw std::invalid_argument("plane grid: no output buffer");
  VectorXd w(plane.centre.size());
  for (int j = 0; j < n; ++j) {
    const double beta = view.ymin + j * (view.ymax - view.ymin) / (n - 1);
    for (int i = 0; i < n; ++i) {
      const double alpha = view.xmin + i * (view.xmax - view.xmin) / (n - 1);
      w = plane.centre + alpha * plane.d1 + beta * plane.d2;
      out[j * n + i] = problem.loss(w);
    }
  }
}

Eigen::Matrix2Xd project(const WeightPlane& plane, const Eigen::Ref<const MatrixXd>& points) {
  const Eigen::Matrix2d inverse = inverse_metric(plane);
  if (points.rows() != plane.centre.size())
    throw std::invalid_argument("project: points have " + std::to_string(points.rows()) + " weights, the plane " +
                                std::to_string(plane.centre.size()));
  // Normal equations of min |D·c - (p - centre)|: (DᵀD) c = Dᵀ(p - centre). The centre is
  // subtracted first (Dᵀp - Dᵀcentre would cancel most digits when the steps are small), one
  // column at a time, so no copy of all the points is made.
  Eigen::Matrix2Xd rhs(2, points.cols());
  for (Eigen::Index k = 0; k < points.cols(); ++k) {
    rhs(0, k) = plane.d1.dot(points.col(k) - plane.centre);
    rhs(1, k) = plane.d2.dot(points.col(k) - plane.centre);
  }
  return inverse * rhs;
}

}  // namespace optlab
