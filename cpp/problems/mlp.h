// The neural-network problem of issue 4: a small MLP on 2-D points, trained through the matrix
// autodiff (autodiff/matrix.h), plus what the page needs to show it (data, mini-batches, decision
// boundaries, per-layer norms, and a trace of the tape for "backprop you can watch").
//
// The spec ("problem" object):
//   {"name": "mlp", "data": {...}, "layers": [2, 16, 16, 1], "activation": "tanh", "loss": "bce",
//    "batch_size": 32, "init": {"seed": 1}}          or "init": {"weights": [...]}
// - data: see datasets.h. layers: 2 to 10 widths, each 1 to 1024; the input is 2 + features; the output is 1
//   for bce and mse, at least the number of classes (and 2) for cross_entropy.
// - activation (hidden layers only; the output layer gives logits): tanh (default), relu,
//   leaky_relu (negative_slope 0.01), sigmoid, linear.
// - loss, as torch with mean reduction: bce = BCEWithLogitsLoss, mse = MSELoss against y shaped
//   [n, 1], cross_entropy = CrossEntropyLoss. Default: mse for regression data, bce for data with
//   at most 2 classes, cross_entropy otherwise. bce needs labels 0/1; cross_entropy class indices.
// - batch_size: absent or null = full batch. Otherwise each epoch is a seeded shuffle of the
//   training points cut into ceil(n / batch_size) batches of batch_size, the last one smaller when
//   batch_size does not divide n (as torch's DataLoader with shuffle=True, drop_last=False). The
//   batch of step k depends on (seed, k) only: epoch k / batches_per_epoch is shuffled by
//   Rng(seed, kMiniBatch, epoch), so any step can be replayed without replaying the ones before.
// - init: {"seed": S} draws every weight and bias uniformly in ±1/sqrt(fan_in), torch's default
//   range for nn.Linear, but from our Rng, so not torch's numbers; {"weights": [...]} gives them
//   all. Absent: {"seed": the experiment's seed}.
// - features (issue 17): extra inputs computed from (x1, x2), as TensorFlow Playground offers:
//   any of "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)", each at most once. The network's input
//   is then [x1, x2, the features in the order listed], so layers[0] must be 2 + their count.
//   In torch: X = torch.cat([X, X[:, :1]**2, ...], dim=1) before the first nn.Linear.
// - l1 (issue 17): a penalty l1 * sum |w| over every parameter, weights and biases, added to the
//   training loss (and each batch's): loss = criterion(model(X), y) + l1 * sum(p.abs().sum() for p
//   in model.parameters()). Its gradient is l1 * sign(w), 0 at w = 0 (torch's abs backward).
//   The recorded loss and batch_loss include it; test_loss and accuracy do not.
// All parameters live in one flat vector in nn.Linear's layout and order: W1 as [out][in]
// row-major, b1, W2, b2, ... Weight decay therefore applies to biases too, as in torch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "autodiff/matrix.h"
#include "problems/datasets.h"
#include "problems/landscapes.h"
#include "problems/minibatch.h"
#include "problems/problem.h"

namespace optlab {

enum class Activation { Tanh, Relu, LeakyRelu, Sigmoid, Linear };
enum class MlpLoss { Bce, Mse, CrossEntropy };
enum class InputFeature { X1Squared, X2Squared, X1X2, SinX1, SinX2 };

const char* activation_name(Activation a);  // "tanh", ..., as in the spec
const char* loss_name(MlpLoss l);           // "bce", "mse", "cross_entropy"
const char* feature_name(InputFeature f);   // "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"
// The network's input for 2-D points: [x1, x2, each feature in order] (n x (2 + features)).
Eigen::MatrixXd feature_inputs(const Eigen::Ref<const Eigen::MatrixXd>& points,
                               const std::vector<InputFeature>& features);
constexpr double kMaxL1 = 100.0;
// The largest side of a per-neuron activation grid (the layer inspector's heatmaps).
constexpr int kMaxNeuronGridSide = 64;

constexpr int kMaxWidth = 1024;
constexpr int kMaxLayerCount = 10;  // widths, input and output included
// (Training + test points) × units (the sum of the widths); bounds the memory of one full-batch
// pass (about 3 copies on the tape, 8 bytes each) so that no spec can exhaust the page's memory.
constexpr long kMaxActivations = 4000000;
// The largest side of a prediction grid.
constexpr int kMaxGridSide = 1024;

struct MlpConfig {
  std::vector<int> layers;  // widths, input first: {2, 16, 16, 1}
  Activation activation = Activation::Tanh;
  MlpLoss loss = MlpLoss::Bce;
  long batch_size = 0;     // 0: full batch
  std::vector<InputFeature> features;  // extra inputs after x1, x2
  double l1 = 0.0;                     // the L1 penalty's factor (0: none)
  std::uint64_t seed = 0;  // the mini-batch shuffles (the experiment's seed)
};

// Where one nn.Linear layer sits in the flat vector. W(o, i) is at weight_offset + o*cols + i.
struct LayerSlice {
  Eigen::Index weight_offset;
  Eigen::Index bias_offset;  // `rows` biases
  int rows;                  // out_features
  int cols;                  // in_features
};

std::vector<LayerSlice> layer_slices(const std::vector<int>& layers);
// Number of parameters: the sum of out*in + out over the layers.
Eigen::Index parameter_count(const std::vector<int>& layers);
// init {"seed": seed}: uniform in ±1/sqrt(in_features), drawn in layout order from
// Rng(seed, kInitialWeights).
Eigen::VectorXd init_weights(const std::vector<int>& layers, std::uint64_t seed);

// init.weights of a spec: the flat list, or the per-tensor form [W1 as [out][in], b1, W2, b2, ...]
// (what `[p.tolist() for p in model.parameters()]` prints). Errors name `field` and the expected
// shape ("problem.init.weights[0]: expected 8 rows of 2 (W1 as [out][in]), got 7 rows").
Eigen::VectorXd weights_from_json(const nlohmann::json& w, const std::vector<int>& layers, const std::string& field);
// The per-tensor form of flat weights (invalid_argument when the count does not fit the layers).
nlohmann::json weights_to_tensors(const std::vector<int>& layers, const Eigen::VectorXd& w);

// Euclidean norms of each layer's weight block and bias block of any flat vector (parameters,
// gradient, update), for the inspector: effective step size = update norm / gradient norm.
struct LayerNorm {
  double weight;
  double bias;
};
std::vector<LayerNorm> layer_norms(const std::vector<LayerSlice>& layers, const Eigen::VectorXd& v);

// What the network says about some points. value: bce -> probability of class 1; cross_entropy
// -> the softmax probability of the predicted class; mse -> the output. label: the predicted
// class (bce: 1 where the logit is > 0; cross_entropy: the first largest logit); empty for mse.
struct Predictions {
  std::vector<double> value;
  std::vector<int> label;
};

class MlpProblem : public Problem {
 public:
  // Checks that config, data and initial weights fit together; the messages name spec fields
  // ("problem.batch_size: 500 is larger than the 200 training points").
  MlpProblem(MlpConfig config, DataSplit data, Eigen::VectorXd initial);

  int dim() const override { return static_cast<int>(initial_.size()); }
  Eigen::VectorXd default_start() const override { return initial_; }
  // Mean loss over all training points.
  double loss(const Eigen::VectorXd& x) override;
  // The full training-set loss at x, and in grad the gradient of step `step`'s mini-batch loss
  // (of the full training loss when full batch: then one pass gives both).
  double loss_and_grad(const Eigen::VectorXd& x, long step, Eigen::VectorXd& grad) override;
  // "batch_loss", then "accuracy" (bce and cross_entropy), then "test_loss" (with a test set).
  std::vector<std::string> metric_names() const override;
  void metrics(const Eigen::VectorXd& x, long step, double* out) override;
  // Per point of the batch, forward and backward cost about its multiply-adds plus ten operations a
  // unit (activations, biases, the loss: the matrix products run several multiply-adds a
  // nanosecond); a forward pass alone (the full training loss when mini-batched, the test loss)
  // about a third of that; over a fixed cost of some 80 µs a step. Fitted to measured wasm times.
  double step_cost() const override;

  const MlpConfig& config() const { return config_; }
  const Dataset& train() const { return data_.train; }
  const Dataset& test() const { return data_.test; }
  // Where each training and test point was in the generated or given list.
  const std::vector<int>& train_rows() const { return data_.train_rows; }
  const std::vector<int>& test_rows() const { return data_.test_rows; }
  const std::vector<LayerSlice>& layers() const { return slices_; }
  bool is_classification() const { return config_.loss != MlpLoss::Mse; }

  long batches_per_epoch() const;
  long steps_per_epoch() const override { return config_.batch_size == 0 ? 0 : batches_per_epoch(); }
  long data_rows() const override { return data_.train.x.rows(); }
  long batch_rows() const override { return config_.batch_size; }
  // Rows of train() in step `step`'s mini-batch, in the order drawn (all rows when full batch).
  std::vector<int> batch_indices(long step) const;

  // Fraction of training points classified right (classification only, else invalid_argument).
  double accuracy(const Eigen::VectorXd& x);
  // Mean loss over the test set (invalid_argument without one).
  double test_loss(const Eigen::VectorXd& x);

  // points: n × 2, one per row (n from 1 to 1,000,000).
  Predictions predict(const Eigen::VectorXd& x, const Eigen::Ref<const Eigen::MatrixXd>& points);
  // The same on an nx × ny grid over view, laid out as Landscape::evaluate_grid: entry j*nx + i is
  // at (xmin + i*(xmax-xmin)/(nx-1), ymin + j*(ymax-ymin)/(ny-1)). nx and ny from 2 to 1024.
  Predictions predict_grid(const Eigen::VectorXd& x, const ViewBox& view, int nx, int ny);

  // Each hidden neuron of hidden layer `layer` (1 = the first hidden layer) over an nx × ny grid of
  // view (sides 2 to 64): out[k*nx*ny + j*nx + i] is neuron k's activation at grid point (i, j),
  // laid out as predict_grid.
  std::vector<double> neuron_grid(const Eigen::VectorXd& x, int layer, const ViewBox& view, int nx, int ny);

  // One forward and backward pass on the training rows `rows` (1 to 1024 of them, and rows × units
  // at most 65,536), as JSON:
  //   {"rows": [...], "loss": L, "nodes": [{"index", "op", "name", "parents": [..], "shape": [r, c],
  //     "value": [[...], ...], "grad": [[...], ...], "param"?: {"layer", "kind", "offset"}}, ...]}
  // every tape node in recording order: x, W1ᵀ, b1, x·W1ᵀ, z1 = x·W1ᵀ + b1, h1 = tanh(z1), ...,
  // y (targets, bce/mse), loss. grad = dloss/dnode. The tape holds each weight matrix transposed
  // ([in][out], so that z = x·Wᵀ + b is one matmul): for "kind": "weight", value[i][o] is
  // W(o, i), flat index offset + o*in + i; for "kind": "bias", value[0][o] is at offset + o.
  nlohmann::json trace(const Eigen::VectorXd& x, const std::vector<int>& rows);

 private:
  // Records the network for the points in `points` on `tape`; returns the logits node. With
  // `named`, names the nodes for the trace (skipped when training, as nobody reads them).
  Mat record_network(MatrixTape& tape, const Eigen::VectorXd& w, const Eigen::Ref<const Eigen::MatrixXd>& points,
                     bool named);
  Mat record_loss(Mat logits, const Eigen::Ref<const Eigen::MatrixXd>& targets, const std::vector<int>& labels);
  // The data loss plus the L1 penalty on the parameters recorded last (the loss itself when l1 = 0).
  Mat with_penalty(Mat loss, bool named);
  void copy_gradient(const MatrixTape& tape, Eigen::VectorXd& grad) const;
  double accuracy_of(const Eigen::MatrixXd& logits) const;
  void check_size(const Eigen::VectorXd& x, const char* what) const;

  MlpConfig config_;
  DataSplit data_;
  Eigen::VectorXd initial_;
  std::vector<LayerSlice> slices_;
  // y as the losses take it: [n × 1] targets (bce, mse) or class indices (cross_entropy).
  Eigen::MatrixXd train_targets_, test_targets_;
  std::vector<int> train_labels_, test_labels_;

  // Reused every step (reset, not reallocated): `tape_` for the gradient, `eval_tape_` for losses
  // and predictions that need none, `trace_tape_` for the page's trace.
  MatrixTape tape_, eval_tape_, trace_tape_;
  std::vector<int> weight_nodes_, bias_nodes_;  // on the tape recorded last by record_network
  std::vector<int> hidden_nodes_;               // its hidden activations h1, h2, ...
  Eigen::MatrixXd batch_x_, batch_targets_;
  std::vector<int> batch_labels_;
  // The shuffle of one epoch, kept because consecutive steps share it (a pure function of
  // (seed, epoch), so caching it changes no result).
  MiniBatches batches_;

  // What loss_and_grad(x, step) found, for metrics() right after it.
  Eigen::VectorXd last_x_;
  long last_step_ = -1;
  double last_batch_loss_ = 0.0;
  double last_accuracy_ = 0.0;
  Eigen::VectorXd scratch_grad_;
};

// Reads and validates an mlp "problem" object (errors name the field: "problem.layers[1]: must be
// a whole number from 1 to 1024, got 0"); seed is the experiment's seed: the mini-batch shuffles,
// and the data and init seeds when the spec gives none.
std::unique_ptr<MlpProblem> make_mlp_problem(const nlohmann::json& problem, std::uint64_t seed);

}  // namespace optlab
