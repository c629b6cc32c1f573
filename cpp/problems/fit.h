// Two parameters fitted to data (issue 13): the loss depends on the data, the weights and the
// ground truth, and a mini-batch's gradient is not the full one. The two parameters are the plotted
// coordinates, so the page draws this problem as a landscape over (w, b) or (w1, w2).
//
// The spec ("problem" object):
//   {"name": "fit", "model": "line" | "logistic", "data": D, "batch_size": B}
// - model "line": params [w, b], prediction w·x + b, loss MSELoss (mean), as nn.Linear(1, 1).
//   model "logistic": params [w1, w2], logit w1·x1 + w2·x2, loss BCEWithLogitsLoss (mean, torch's
//   stable form), as nn.Linear(2, 1, bias=False). Default: the data's own model (below), else line.
// - data: {"x": [numbers], "y": [numbers]} for a line; {"x": [[x1, x2], ...], "y": [0 or 1, ...]}
//   for logistic; 2 to 10,000 points. Or generated, seeded (default seed: the experiment's):
//     {"name": "noisy_line", "n": 64, "slope": 2, "intercept": 1, "noise": 0.5, "seed": S}
//       x uniform in [-2, 2], y = slope·x + intercept + noise·N(0, 1); a line's data.
//     {"name": "sparse_features", "n": 200, "density": 0.1, "seed": S}
//       x1 ~ N(0, 1), dense and weakly informative (y ~ Bernoulli(sigmoid(x1 / 2)));
//       x2 zero except in a `density` share of points, where x2 = ±2 decides the label
//       (y = 1 where x2 > 0); a logistic model's data.
// - batch_size: absent or null = full batch; else mini-batches as the network's (minibatch.h).
// The loss recorded at each step is the full-data loss; the gradient a step uses is its batch's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json_fwd.hpp>

#include "problems/landscapes.h"
#include "problems/minibatch.h"

namespace optlab {

enum class FitModel { Line, Logistic };

const char* fit_model_name(FitModel m);  // "line", "logistic"

constexpr long kMaxFitPoints = 10000;

struct FitData {
  Eigen::MatrixXd x;  // n × 1 (line) or n × 2 (logistic)
  Eigen::VectorXd y;
  std::string name;   // the generator's name, or "points"
};

class FitProblem : public Landscape {
 public:
  // batch_size 0: full batch. The messages name spec fields.
  FitProblem(FitModel model, FitData data, long batch_size, std::uint64_t seed);

  // The full-data loss at x, and in grad the gradient of step `step`'s batch loss.
  double loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) override;
  // "batch_loss": the loss of the batch that drove the step (the full loss when full batch).
  std::vector<std::string> metric_names() const override;
  void metrics(const Eigen::VectorXd& x, long step, double* out) override;
  double step_cost() const override;
  long steps_per_epoch() const override { return batches_.full_batch() ? 0 : batches_.batches_per_epoch(); }
  long data_rows() const override { return data_.y.size(); }
  long batch_rows() const override { return batches_.batch_size(); }

  FitModel model() const { return model_; }
  const FitData& data() const { return data_; }
  const MiniBatches& batches() const { return batches_; }
  // Rows of step `step`'s batch, and that batch's loss over a grid (as evaluate_grid lays it out).
  std::vector<int> batch_indices(long step) const { return batches_.rows_of(step); }
  void evaluate_batch_grid(long step, const ViewBox& view, int nx, int ny, double* out) const;
  // The mean loss and its gradient over `rows` (all rows when empty).
  double loss_on(const std::vector<int>& rows, double p0, double p1, double* g0, double* g1) const;

 protected:
  double f(double x, double y) const override;
  double f_and_grad(const Eigen::Vector2d& at, Eigen::Vector2d& grad) override;
  void grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const override;

 private:
  void grid_on(const std::vector<int>& rows, const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const;

  FitModel model_;
  FitData data_;
  MiniBatches batches_;
  double last_batch_loss_ = 0.0;
  long last_step_ = -1;
};

// From the spec's problem object; the seed is the experiment's. Errors name the field
// ("problem.data.x[3]: expected a number, got \"a\"").
std::unique_ptr<FitProblem> make_fit_problem(const nlohmann::json& problem, std::uint64_t seed);

}  // namespace optlab
