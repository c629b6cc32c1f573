// What the page reads from a Session beyond its histories: the landscape grid, the network's
// data, layers, predictions, trace, and the weight plane (whose chosen plane this object keeps).
// Plain values out (nlohmann::json, std::vector<double>); bindings.cpp only converts them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "problems/landscapes.h"
#include "problems/mlp.h"
#include "problems/weight_plane.h"
#include "runner/session.h"

namespace optlab {

// The largest side of a landscape grid the page may ask for.
constexpr int kMaxLandscapeGrid = 2048;

// A run's sample steps: the thinned older steps, then every step of its recent window (what
// losses, params and metrics line up with).
std::vector<double> sample_steps(const Session& s, int run);
// Index of the problem's metric series `name`; throws naming it when there is none.
std::size_t metric_index(Session& s, const std::string& name);
// "mlp", "fit" (two parameters fitted to data, drawn as a landscape) or "landscape".
std::string problem_kind(const Session& s);

// ---- fit problems (issue 13): the data behind the landscape and each step's mini-batch ----
// {model, x, y, batch_size (null: full batch), steps_per_epoch}
nlohmann::json fit_data(Session& s);
// Rows of the data in run `run`'s mini-batch of step `step` (0-based: the batch that moved
// params[step] on; runs with the same batch size share batches).
std::vector<int> fit_batch(Session& s, int run, long step);
// That mini-batch's own loss over an nx × ny grid of the view, laid out as landscape_grid.
std::vector<double> fit_batch_grid(Session& s, int run, long step, const ViewBox& view, int nx, int ny);
// The grids also fill a buffer the caller keeps (resized to fit, so its storage is reused from
// call to call: a fresh 2 MB array costs more to first touch than the grid to compute).
void fit_batch_grid(Session& s, int run, long step, const ViewBox& view, int nx, int ny, std::vector<double>& out);

// The landscape on an nx x ny grid over the view: out[j*nx + i], row 0 at ymin.
std::vector<double> landscape_grid(Session& s, const ViewBox& view, int nx, int ny);
void landscape_grid(Session& s, const ViewBox& view, int nx, int ny, std::vector<double>& out);
// {name, formula, note, view, start, minima, log_scale}
nlohmann::json landscape_info(Session& s);

class NetworkView {
 public:
  explicit NetworkView(Session& session) : session_(session) {}

  // {name, classes, loss, layers, activation, features, l1, train: {x, y}, test: {x, y},
  //  train_rows, test_rows (each point's place in the generated or given list), batch_size,
  //  batches_per_epoch, view (the training points' box with a 10% margin)}
  nlohmann::json dataset() const;
  // Training-row indices of the mini-batch of step `step`: the problem's, or run `run`'s where a
  // run has its own batch size.
  std::vector<int> batch(long step, int run = -1) const;
  // Per layer: shape, offsets, weight and bias norms, and the last step's gradient and update
  // norms and their ratio (null before the first step).
  nlohmann::json layers(int run) const;
  // 2·nx·ny numbers: values, then predicted classes.
  std::vector<double> predict_grid(int run, const ViewBox& view, int nx, int ny) const;
  // Run's hidden neurons of hidden layer `layer` (from 1) over an nx × ny grid (sides 2 to 64):
  // width·nx·ny numbers, neuron by neuron, each laid out as predict_grid.
  std::vector<double> neuron_grid(int run, int layer, const ViewBox& view, int nx, int ny) const;
  void predict_grid(int run, const ViewBox& view, int nx, int ny, std::vector<double>& out) const;
  // One forward and backward pass on the training rows given as a JSON list of indices.
  nlohmann::json trace(int run, const nlohmann::json& rows) const;

  // Chooses the weight plane: "random" (seeded), "pca" (of every run's trail) or "weights" (the
  // coordinate plane of weights a and b).
  void set_plane(const std::string& kind, std::uint64_t seed, long a, long b);
  // The loss on an n x n grid of the plane (set_plane first).
  std::vector<double> plane_grid(const ViewBox& view, int n) const;
  void plane_grid(const ViewBox& view, int n, std::vector<double>& out) const;
  // Run's trail projected on the plane: (a, b) pairs.
  std::vector<double> plane_path(int run) const;
  // The steps of run's trail samples, its current step last.
  std::vector<double> trail_steps(int run) const;

 private:
  MlpProblem& network() const;
  // Run's trail with its current point appended: dim x samples, one point per column.
  Eigen::MatrixXd trail_matrix(int run) const;

  Session& session_;
  WeightPlane plane_;
};

}  // namespace optlab
