// The MLP problem (see mlp.h): the spec reader and its checks, the network recorded on the matrix
// tape, mini-batches, and the page's helpers (predictions, trace).
#include "problems/mlp.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "math/portable.h"
#include "problems/rng.h"

namespace optlab {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;

namespace {

constexpr Eigen::Index kMaxParameters = 1000000;
constexpr long kMaxPredictPoints = 1000000;
constexpr int kMaxTraceRows = 1024;
constexpr long kMaxTraceNumbers = 65536;  // rows x units of a trace
constexpr long kChunk = 4096;  // points per forward pass when predicting, to bound memory

constexpr Activation kActivations[] = {Activation::Tanh, Activation::Relu, Activation::LeakyRelu,
                                       Activation::Sigmoid, Activation::Linear};
constexpr MlpLoss kLosses[] = {MlpLoss::Bce, MlpLoss::Mse, MlpLoss::CrossEntropy};
constexpr InputFeature kFeatures[] = {InputFeature::X1Squared, InputFeature::X2Squared, InputFeature::X1X2,
                                      InputFeature::SinX1, InputFeature::SinX2};

template <class T, std::size_t N>
std::string names_of(const T (&items)[N], const char* (*name)(T)) {
  std::string out;
  for (T item : items) out += (out.empty() ? "" : ", ") + std::string(name(item));
  return out;
}

template <class T, std::size_t N>
T parse_name(const json& value, const std::string& field, const char* what, const T (&items)[N],
             const char* (*name)(T)) {
  const std::string expected = "(expected one of " + names_of(items, name) + ")";
  if (!value.is_string()) throw std::invalid_argument(field + ": expected a string " + expected);
  for (T item : items)
    if (value.get<std::string>() == name(item)) return item;
  throw std::invalid_argument(field + ": unknown " + what + " '" + value.get<std::string>() + "' " + expected);
}

std::string layers_text(const std::vector<int>& layers) {
  std::string out = "[";
  for (std::size_t i = 0; i < layers.size(); ++i) out += (i ? ", " : "") + std::to_string(layers[i]);
  return out + "]";
}

std::string as_text(double v) { return json(v).dump(); }

// The first point (by its position in the spec's list) whose y `bad` rejects, or -1.
template <class Bad>
int first_bad_row(const DataSplit& data, Bad bad) {
  int first = -1;
  auto scan = [&](const Dataset& set, const std::vector<int>& rows) {
    for (Eigen::Index i = 0; i < set.y.size(); ++i)
      if (bad(set.y[i]) && (first < 0 || rows[static_cast<std::size_t>(i)] < first))
        first = rows[static_cast<std::size_t>(i)];
  };
  scan(data.train, data.train_rows);
  scan(data.test, data.test_rows);
  return first;
}

double y_at(const DataSplit& data, int row) {
  for (std::size_t k = 0; k < data.train_rows.size(); ++k)
    if (data.train_rows[k] == row) return data.train.y[static_cast<Eigen::Index>(k)];
  for (std::size_t k = 0; k < data.test_rows.size(); ++k)
    if (data.test_rows[k] == row) return data.test.y[static_cast<Eigen::Index>(k)];
  return 0.0;
}

// Labels a classification loss cannot use: by point for given points, else by set.
void check_labels(const DataSplit& data, MlpLoss loss) {
  const Dataset& set = data.train;
  const std::string name = loss_name(loss);
  const bool given = set.name == "points";
  if (loss == MlpLoss::Bce) {
    if (given) {
      const int row = first_bad_row(data, [](double y) { return !(y == 0.0 || y == 1.0); });
      if (row >= 0)
        throw std::invalid_argument("problem.data.y[" + std::to_string(row) + "]: bce needs labels 0 or 1, got " +
                                    as_text(y_at(data, row)));
    } else if (set.classes == 0) {
      throw std::invalid_argument("problem.loss: bce needs class labels, but " + set.name +
                                  " is a regression set (use mse)");
    } else if (set.classes > 2) {
      throw std::invalid_argument("problem.loss: bce needs 2 classes, but the data has " +
                                  std::to_string(set.classes) + " (use cross_entropy)");
    }
  } else if (loss == MlpLoss::CrossEntropy && set.classes == 0) {
    if (!given)
      throw std::invalid_argument("problem.loss: " + name + " needs class labels, but " + set.name +
                                  " is a regression set (use mse)");
    const int row = first_bad_row(data, [](double y) { return !(y >= 0.0 && y <= 1023.0 && std::floor(y) == y); });
    throw std::invalid_argument("problem.data.y[" + std::to_string(row) + "]: " + name +
                                " needs class indices (whole numbers from 0), got " + as_text(y_at(data, row)));
  }
}

// Everything about the network's shape that must hold before any weight is read.
void check_config(const MlpConfig& c, const DataSplit& data) {
  const int count = static_cast<int>(c.layers.size());
  if (count < 2 || count > kMaxLayerCount)
    throw std::invalid_argument("problem.layers: expected 2 to " + std::to_string(kMaxLayerCount) +
                                " widths (input, hidden layers, output), got " + std::to_string(count));
  for (int i = 0; i < count; ++i)
    if (c.layers[static_cast<std::size_t>(i)] < 1 || c.layers[static_cast<std::size_t>(i)] > kMaxWidth)
      throw std::invalid_argument("problem.layers[" + std::to_string(i) + "]: expected a whole number from 1 to " +
                                  std::to_string(kMaxWidth) + ", got " +
                                  std::to_string(c.layers[static_cast<std::size_t>(i)]));
  const int inputs = 2 + static_cast<int>(c.features.size());
  if (c.layers[0] != inputs)
    throw std::invalid_argument(
        "problem.layers[0]: the input width must be " + std::to_string(inputs) +
        (c.features.empty() ? std::string(" (the points are 2-D)")
                            : " (x1, x2 and the " + std::to_string(c.features.size()) + " features)") +
        ", got " + std::to_string(c.layers[0]));
  if (!(c.l1 >= 0.0 && c.l1 <= kMaxL1))
    throw std::invalid_argument("problem.l1: expected a number from 0 to " + as_text(kMaxL1) + ", got " + as_text(c.l1));
  const int out = c.layers.back();
  const std::string name = loss_name(c.loss);
  if (c.loss == MlpLoss::CrossEntropy) {
    const int needed = std::max(2, data.train.classes);
    if (out < needed)
      throw std::invalid_argument("problem.layers: the output width must be at least " + std::to_string(needed) +
                                  (data.train.classes > 2 ? " (the classes in the data)" : "") +
                                  " for cross_entropy, got " + std::to_string(out));
  } else if (out != 1) {
    throw std::invalid_argument("problem.layers: the output width must be 1 for " + name + ", got " +
                                std::to_string(out));
  }
  check_labels(data, c.loss);
  const Eigen::Index params = parameter_count(c.layers);
  if (params > kMaxParameters)
    throw std::invalid_argument("problem.layers: " + layers_text(c.layers) + " has " + std::to_string(params) +
                                " parameters, more than the " + std::to_string(kMaxParameters) + " allowed");
  // Training and test sets each take one pass; bounding their sum bounds both.
  const long units = std::accumulate(c.layers.begin(), c.layers.end(), 0L);
  const long points = data.train.size() + data.test.size();
  if (points * units > kMaxActivations)
    throw std::invalid_argument("problem.layers: " + std::to_string(points) + " points x " + std::to_string(units) +
                                " units is more than one pass may hold (" + std::to_string(kMaxActivations) +
                                "); use fewer points or narrower layers");
  if (c.batch_size < 0)
    throw std::invalid_argument("problem.batch_size: expected a whole number from 1, got " +
                                std::to_string(c.batch_size));
  if (c.batch_size > data.train.size())
    throw std::invalid_argument("problem.batch_size: " + std::to_string(c.batch_size) + " is larger than the " +
                                std::to_string(data.train.size()) + " training points");
}

// The loss's view of y: a column of targets (bce, mse) or class indices (cross_entropy).
void targets_of(const Dataset& set, MlpLoss loss, MatrixXd& targets, std::vector<int>& labels) {
  if (loss == MlpLoss::CrossEntropy) {
    labels.resize(static_cast<std::size_t>(set.size()));
    for (Eigen::Index i = 0; i < set.y.size(); ++i) labels[static_cast<std::size_t>(i)] = static_cast<int>(set.y[i]);
  } else {
    targets = set.y;
  }
}

}  // namespace

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::Tanh: return "tanh";
    case Activation::Relu: return "relu";
    case Activation::LeakyRelu: return "leaky_relu";
    case Activation::Sigmoid: return "sigmoid";
    case Activation::Linear: return "linear";
  }
  return "unknown";
}

const char* feature_name(InputFeature f) {
  switch (f) {
    case InputFeature::X1Squared: return "x1^2";
    case InputFeature::X2Squared: return "x2^2";
    case InputFeature::X1X2: return "x1*x2";
    case InputFeature::SinX1: return "sin(x1)";
    case InputFeature::SinX2: return "sin(x2)";
  }
  return "unknown";
}

MatrixXd feature_inputs(const Eigen::Ref<const MatrixXd>& points, const std::vector<InputFeature>& features) {
  MatrixXd out(points.rows(), 2 + static_cast<Eigen::Index>(features.size()));
  out.leftCols(2) = points.leftCols(2);
  for (std::size_t k = 0; k < features.size(); ++k) {
    auto column = out.col(2 + static_cast<Eigen::Index>(k));
    const auto x1 = points.col(0).array(), x2 = points.col(1).array();
    switch (features[k]) {
      case InputFeature::X1Squared: column = (x1 * x1).matrix(); break;
      case InputFeature::X2Squared: column = (x2 * x2).matrix(); break;
      case InputFeature::X1X2: column = (x1 * x2).matrix(); break;
      // The portable sine, so that a seed gives the same numbers natively and in wasm.
      case InputFeature::SinX1: column = x1.unaryExpr(&pm::sin).matrix(); break;
      case InputFeature::SinX2: column = x2.unaryExpr(&pm::sin).matrix(); break;
    }
  }
  return out;
}

const char* loss_name(MlpLoss l) {
  switch (l) {
    case MlpLoss::Bce: return "bce";
    case MlpLoss::Mse: return "mse";
    case MlpLoss::CrossEntropy: return "cross_entropy";
  }
  return "unknown";
}

// ---- Layout ---------------------------------------------------------------------------------------

std::vector<LayerSlice> layer_slices(const std::vector<int>& layers) {
  std::vector<LayerSlice> slices;
  Eigen::Index offset = 0;
  for (std::size_t l = 1; l < layers.size(); ++l) {
    const int rows = layers[l], cols = layers[l - 1];
    slices.push_back({offset, offset + Eigen::Index{rows} * cols, rows, cols});
    offset += Eigen::Index{rows} * cols + rows;
  }
  return slices;
}

Eigen::Index parameter_count(const std::vector<int>& layers) {
  Eigen::Index n = 0;
  for (std::size_t l = 1; l < layers.size(); ++l) n += Eigen::Index{layers[l]} * layers[l - 1] + layers[l];
  return n;
}

Eigen::VectorXd init_weights(const std::vector<int>& layers, std::uint64_t seed) {
  VectorXd w(parameter_count(layers));
  Rng rng(seed, RngStream::kInitialWeights, 0);
  for (const LayerSlice& s : layer_slices(layers)) {
    // torch's kaiming_uniform_(a=sqrt(5)) for the weights and its bias rule both give 1/sqrt(fan_in).
    const double bound = 1.0 / std::sqrt(static_cast<double>(s.cols));
    const Eigen::Index end = s.bias_offset + s.rows;
    for (Eigen::Index i = s.weight_offset; i < end; ++i) w[i] = rng.uniform(-bound, bound);
  }
  return w;
}

std::vector<LayerNorm> layer_norms(const std::vector<LayerSlice>& layers, const VectorXd& v) {
  std::vector<LayerNorm> norms;
  for (const LayerSlice& s : layers) {
    if (s.bias_offset + s.rows > v.size())
      throw std::invalid_argument("layer_norms: the vector has " + std::to_string(v.size()) +
                                  " components, fewer than the layers need");
    norms.push_back(
        {v.segment(s.weight_offset, Eigen::Index{s.rows} * s.cols).norm(), v.segment(s.bias_offset, s.rows).norm()});
  }
  return norms;
}

// ---- Weights as numbers: flat, or one tensor a layer as torch gives them ------------------------

namespace {

// The per-tensor form: [W1 as rows of in numbers, b1, W2, b2, ...], written into the flat layout.
VectorXd weights_from_tensors(const json& w, const std::vector<int>& layers, const std::string& field) {
  const std::vector<LayerSlice> slices = layer_slices(layers);
  std::string names;
  for (std::size_t l = 1; l <= slices.size(); ++l)
    names += (l > 1 ? ", " : "") + ("W" + std::to_string(l)) + ", b" + std::to_string(l);
  if (w.size() != 2 * slices.size())
    throw std::invalid_argument(field + ": expected " + std::to_string(2 * slices.size()) + " tensors (" + names +
                                ") for layers " + layers_text(layers) + ", got " + std::to_string(w.size()));
  VectorXd out(parameter_count(layers));
  for (std::size_t l = 0; l < slices.size(); ++l) {
    const LayerSlice& s = slices[l];
    const std::string wf = field + "[" + std::to_string(2 * l) + "]";
    const json& rows = w[2 * l];
    const std::string shape = std::to_string(s.rows) + " rows of " + std::to_string(s.cols);
    if (!rows.is_array() || rows.size() != static_cast<std::size_t>(s.rows))
      throw std::invalid_argument(wf + ": expected " + shape + " (W" + std::to_string(l + 1) + " as [out][in]), got " +
                                  (rows.is_array() ? std::to_string(rows.size()) + " rows" : fields::brief(rows)));
    for (int o = 0; o < s.rows; ++o) {
      const json& row = rows[static_cast<std::size_t>(o)];
      const std::string rf = wf + "[" + std::to_string(o) + "]";
      if (!row.is_array() || row.size() != static_cast<std::size_t>(s.cols))
        throw std::invalid_argument(rf + ": expected " + std::to_string(s.cols) + " numbers (a row of " + shape + "), got " +
                                    (row.is_array() ? std::to_string(row.size()) : fields::brief(row)));
      for (int i = 0; i < s.cols; ++i)
        out[s.weight_offset + Eigen::Index{o} * s.cols + i] =
            fields::finite_number(row[static_cast<std::size_t>(i)], rf + "[" + std::to_string(i) + "]");
    }
    const std::string bf = field + "[" + std::to_string(2 * l + 1) + "]";
    const json& bias = w[2 * l + 1];
    if (!bias.is_array() || bias.size() != static_cast<std::size_t>(s.rows))
      throw std::invalid_argument(bf + ": expected " + std::to_string(s.rows) + " numbers (b" + std::to_string(l + 1) +
                                  "), got " + (bias.is_array() ? std::to_string(bias.size()) : fields::brief(bias)));
    for (int o = 0; o < s.rows; ++o)
      out[s.bias_offset + o] = fields::finite_number(bias[static_cast<std::size_t>(o)], bf + "[" + std::to_string(o) + "]");
  }
  return out;
}

}  // namespace

VectorXd weights_from_json(const json& w, const std::vector<int>& layers, const std::string& field) {
  const Eigen::Index count = parameter_count(layers);
  // An array whose first entry is an array is the per-tensor form; anything else is read as flat.
  if (w.is_array() && !w.empty() && w[0].is_array()) return weights_from_tensors(w, layers, field);
  if (!w.is_array() || static_cast<Eigen::Index>(w.size()) != count)
    throw std::invalid_argument(field + ": expected " + std::to_string(count) + " numbers for layers " +
                                layers_text(layers) + ", got " +
                                (w.is_array() ? std::to_string(w.size()) : std::string(w.type_name())));
  VectorXd out(count);
  for (Eigen::Index i = 0; i < count; ++i)
    out[i] = fields::finite_number(w[static_cast<std::size_t>(i)], field + "[" + std::to_string(i) + "]");
  return out;
}

json weights_to_tensors(const std::vector<int>& layers, const VectorXd& w) {
  if (w.size() != parameter_count(layers))
    throw std::invalid_argument("weights: expected " + std::to_string(parameter_count(layers)) + " numbers for layers " +
                                layers_text(layers) + ", got " + std::to_string(w.size()));
  json tensors = json::array();
  for (const LayerSlice& s : layer_slices(layers)) {
    json rows = json::array();
    for (int o = 0; o < s.rows; ++o) {
      json row = json::array();
      for (int i = 0; i < s.cols; ++i) row.push_back(w[s.weight_offset + Eigen::Index{o} * s.cols + i]);
      rows.push_back(std::move(row));
    }
    json bias = json::array();
    for (int o = 0; o < s.rows; ++o) bias.push_back(w[s.bias_offset + o]);
    tensors.push_back(std::move(rows));
    tensors.push_back(std::move(bias));
  }
  return tensors;
}

// ---- The problem --------------------------------------------------------------------------------

MlpProblem::MlpProblem(MlpConfig config, DataSplit data, VectorXd initial)
    : config_(std::move(config)),
      data_(std::move(data)),
      initial_(std::move(initial)),
      batches_(data_.train.size(), config_.batch_size, config_.seed) {
  check_config(config_, data_);
  const Eigen::Index params = parameter_count(config_.layers);
  if (initial_.size() != params)
    throw std::invalid_argument("problem.init.weights: expected " + std::to_string(params) + " numbers for layers " +
                                layers_text(config_.layers) + ", got " + std::to_string(initial_.size()));
  slices_ = layer_slices(config_.layers);
  targets_of(data_.train, config_.loss, train_targets_, train_labels_);
  targets_of(data_.test, config_.loss, test_targets_, test_labels_);
}

void MlpProblem::check_size(const VectorXd& x, const char* what) const {
  if (x.size() != initial_.size())
    throw std::invalid_argument(std::string(what) + ": expected " + std::to_string(initial_.size()) +
                                " weights, got " + std::to_string(x.size()));
}

Mat MlpProblem::record_network(MatrixTape& tape, const VectorXd& w, const Eigen::Ref<const MatrixXd>& points,
                               bool named) {
  Mat h = config_.features.empty() ? input(tape, points, named ? "x" : "")
                                    : input(tape, feature_inputs(points, config_.features), named ? "x" : "");
  const std::size_t count = slices_.size();
  weight_nodes_.resize(count);
  bias_nodes_.resize(count);
  hidden_nodes_.resize(count - 1);
  for (std::size_t l = 0; l < count; ++l) {
    const LayerSlice& s = slices_[l];
    // W [out][in] row-major, read column-major, is Wᵀ [in × out]: z = h·Wᵀ + b is then one
    // matmul, and the gradient of that node is already in the flat layout.
    const Mat wt = parameter(tape, Eigen::Map<const MatrixXd>(w.data() + s.weight_offset, s.cols, s.rows));
    const Mat b = parameter(tape, Eigen::Map<const MatrixXd>(w.data() + s.bias_offset, 1, s.rows));
    weight_nodes_[l] = wt.index;
    bias_nodes_[l] = b.index;
    const Mat product = matmul(h, wt);
    const Mat z = add_bias(product, b);
    const bool last = l + 1 == count;
    Mat next = z;
    if (!last) {
      switch (config_.activation) {
        case Activation::Tanh: next = tanh(z); break;
        case Activation::Relu: next = relu(z); break;
        case Activation::LeakyRelu: next = leaky_relu(z, 0.01); break;
        case Activation::Sigmoid: next = sigmoid(z); break;
        case Activation::Linear: next = identity(z); break;
      }
      hidden_nodes_[l] = next.index;
    }
    if (named) {
      const std::string k = std::to_string(l + 1);
      const std::string in = l == 0 ? "x" : "h" + std::to_string(l);
      tape.set_name(wt, "W" + k + "ᵀ");
      tape.set_name(b, "b" + k);
      tape.set_name(product, in + "·W" + k + "ᵀ");
      tape.set_name(z, "z" + k + " = " + in + "·W" + k + "ᵀ + b" + k + (last ? " (output)" : ""));
      if (!last)
        tape.set_name(next, "h" + k + " = " + activation_name(config_.activation) + "(z" + k + ")");
    }
    h = next;
  }
  return h;
}

Mat MlpProblem::record_loss(Mat logits, const Eigen::Ref<const MatrixXd>& targets, const std::vector<int>& labels) {
  switch (config_.loss) {
    case MlpLoss::Bce: return bce_with_logits(logits, input(*logits.tape, targets, "y"));
    case MlpLoss::Mse: return mse_loss(logits, input(*logits.tape, targets, "y"));
    case MlpLoss::CrossEntropy: break;
  }
  return softmax_cross_entropy(logits, labels);
}

Mat MlpProblem::with_penalty(Mat loss, bool named) {
  if (config_.l1 == 0.0) return loss;
  MatrixTape& tape = *loss.tape;
  // Summed layer by layer, weight then bias, as sum(p.abs().sum() for p in model.parameters()).
  Mat total = sum(abs(Mat{&tape, weight_nodes_[0]}));
  total = add(total, sum(abs(Mat{&tape, bias_nodes_[0]})));
  for (std::size_t l = 1; l < weight_nodes_.size(); ++l) {
    total = add(total, sum(abs(Mat{&tape, weight_nodes_[l]})));
    total = add(total, sum(abs(Mat{&tape, bias_nodes_[l]})));
  }
  const Mat penalty = scale(total, config_.l1);
  if (named) tape.set_name(penalty, "l1 · Σ|w|");
  return add(loss, penalty);
}

void MlpProblem::copy_gradient(const MatrixTape& tape, VectorXd& grad) const {
  grad.resize(initial_.size());
  for (std::size_t l = 0; l < slices_.size(); ++l) {
    const LayerSlice& s = slices_[l];
    Eigen::Map<MatrixXd>(grad.data() + s.weight_offset, s.cols, s.rows) = tape.node(weight_nodes_[l]).grad;
    Eigen::Map<MatrixXd>(grad.data() + s.bias_offset, 1, s.rows) = tape.node(bias_nodes_[l]).grad;
  }
}

double MlpProblem::accuracy_of(const MatrixXd& logits) const {
  long right = 0;
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    if (config_.loss == MlpLoss::Bce) {
      right += (logits(i, 0) > 0.0) == (train_targets_(i, 0) == 1.0);
    } else {
      Eigen::Index best = 0;
      logits.row(i).maxCoeff(&best);
      right += best == train_labels_[static_cast<std::size_t>(i)];
    }
  }
  return static_cast<double>(right) / static_cast<double>(logits.rows());
}

double MlpProblem::loss(const VectorXd& x) {
  check_size(x, "loss");
  eval_tape_.reset();
  const Mat logits = record_network(eval_tape_, x, data_.train.x, false);
  return with_penalty(record_loss(logits, train_targets_, train_labels_), false).value()(0, 0);
}

double MlpProblem::loss_and_grad(const VectorXd& x, long step, VectorXd& grad) {
  check_size(x, "loss_and_grad");
  if (step < 0) throw std::invalid_argument("loss_and_grad: step must be >= 0, got " + std::to_string(step));
  double full_loss;
  if (config_.batch_size == 0) {
    // Full batch: the training loss and its gradient come from one pass.
    tape_.reset();
    const Mat logits = record_network(tape_, x, data_.train.x, false);
    const Mat loss = with_penalty(record_loss(logits, train_targets_, train_labels_), false);
    tape_.backward(loss);
    full_loss = loss.value()(0, 0);
    last_batch_loss_ = full_loss;
    if (is_classification()) last_accuracy_ = accuracy_of(logits.value());
  } else {
    eval_tape_.reset();
    const Mat logits = record_network(eval_tape_, x, data_.train.x, false);
    full_loss = with_penalty(record_loss(logits, train_targets_, train_labels_), false).value()(0, 0);
    if (is_classification()) last_accuracy_ = accuracy_of(logits.value());

    const std::vector<int> rows = batch_indices(step);
    const auto m = static_cast<Eigen::Index>(rows.size());
    batch_x_.resize(m, 2);
    batch_targets_.resize(m, 1);
    batch_labels_.resize(rows.size());
    for (Eigen::Index k = 0; k < m; ++k) {
      const int r = rows[static_cast<std::size_t>(k)];
      batch_x_.row(k) = data_.train.x.row(r);
      if (config_.loss == MlpLoss::CrossEntropy)
        batch_labels_[static_cast<std::size_t>(k)] = train_labels_[static_cast<std::size_t>(r)];
      else
        batch_targets_(k, 0) = train_targets_(r, 0);
    }
    tape_.reset();
    const Mat batch_logits = record_network(tape_, x, batch_x_, false);
    const Mat batch_loss = with_penalty(record_loss(batch_logits, batch_targets_, batch_labels_), false);
    tape_.backward(batch_loss);
    last_batch_loss_ = batch_loss.value()(0, 0);
  }
  copy_gradient(tape_, grad);
  last_x_ = x;
  last_step_ = step;
  return full_loss;
}

std::vector<std::string> MlpProblem::metric_names() const {
  std::vector<std::string> names = {"batch_loss"};
  if (is_classification()) names.emplace_back("accuracy");
  if (data_.test.size() > 0) names.emplace_back("test_loss");
  return names;
}

void MlpProblem::metrics(const VectorXd& x, long step, double* out) {
  // The runner calls this right after loss_and_grad(x, step); anything else recomputes.
  if (step != last_step_ || x.size() != last_x_.size() || x != last_x_) loss_and_grad(x, step, scratch_grad_);
  int k = 0;
  out[k++] = last_batch_loss_;
  if (is_classification()) out[k++] = last_accuracy_;
  if (data_.test.size() > 0) out[k++] = test_loss(x);
}

double MlpProblem::accuracy(const VectorXd& x) {
  check_size(x, "accuracy");
  if (!is_classification()) throw std::invalid_argument("accuracy: mse is not a classification loss");
  eval_tape_.reset();
  return accuracy_of(record_network(eval_tape_, x, data_.train.x, false).value());
}

double MlpProblem::test_loss(const VectorXd& x) {
  check_size(x, "test_loss");
  if (data_.test.size() == 0) throw std::invalid_argument("test_loss: the data has no test set (test_fraction)");
  eval_tape_.reset();
  const Mat logits = record_network(eval_tape_, x, data_.test.x, false);
  return record_loss(logits, test_targets_, test_labels_).value()(0, 0);
}

// ---- Mini-batches -------------------------------------------------------------------------------

double MlpProblem::step_cost() const {
  double per_point = 0.0;
  for (std::size_t l = 0; l < config_.layers.size(); ++l) {
    per_point += 10.0 * config_.layers[l];
    if (l > 0) per_point += static_cast<double>(config_.layers[l - 1]) * config_.layers[l];
  }
  const auto train = static_cast<double>(data_.train.x.rows());
  const auto test = static_cast<double>(data_.test.x.rows());
  const double batch = config_.batch_size == 0 ? train : static_cast<double>(std::min<long>(config_.batch_size, data_.train.x.rows()));
  const double full_loss = config_.batch_size == 0 ? 0.0 : train;
  return 8.0e4 + per_point * (batch + 0.35 * (full_loss + test));
}

long MlpProblem::batches_per_epoch() const { return batches_.batches_per_epoch(); }

std::vector<int> MlpProblem::batch_indices(long step) const { return batches_.rows_of(step); }

// ---- Predictions --------------------------------------------------------------------------------

Predictions MlpProblem::predict(const VectorXd& x, const Eigen::Ref<const MatrixXd>& points) {
  check_size(x, "predict");
  if (points.cols() != 2 || points.rows() < 1 || points.rows() > kMaxPredictPoints)
    throw std::invalid_argument("predict: expected 1 to " + std::to_string(kMaxPredictPoints) +
                                " points as rows of 2 columns, got " + std::to_string(points.rows()) + "x" +
                                std::to_string(points.cols()));
  Predictions out;
  out.value.resize(static_cast<std::size_t>(points.rows()));
  if (is_classification()) out.label.resize(static_cast<std::size_t>(points.rows()));
  for (Eigen::Index start = 0; start < points.rows(); start += kChunk) {
    const Eigen::Index m = std::min<Eigen::Index>(kChunk, points.rows() - start);
    eval_tape_.reset();
    const MatrixXd& z = record_network(eval_tape_, x, points.middleRows(start, m), false).value();
    for (Eigen::Index i = 0; i < m; ++i) {
      const auto at = static_cast<std::size_t>(start + i);
      if (config_.loss == MlpLoss::Mse) {
        out.value[at] = z(i, 0);
      } else if (config_.loss == MlpLoss::Bce) {
        out.value[at] = pm::sigmoid(z(i, 0));
        out.label[at] = z(i, 0) > 0.0 ? 1 : 0;
      } else {
        Eigen::Index best = 0;
        const double top = z.row(i).maxCoeff(&best);
        out.value[at] = 1.0 / (z.row(i).array() - top).unaryExpr(&pm::exp).sum();  // softmax of the top class
        out.label[at] = static_cast<int>(best);
      }
    }
  }
  return out;
}

Predictions MlpProblem::predict_grid(const VectorXd& x, const ViewBox& view, int nx, int ny) {
  if (nx < 2 || nx > kMaxGridSide || ny < 2 || ny > kMaxGridSide)
    throw std::invalid_argument("grid: nx and ny must be in [2, " + std::to_string(kMaxGridSide) + "], got " +
                                std::to_string(nx) + " x " + std::to_string(ny));
  const bool finite = std::isfinite(view.xmax - view.xmin) && std::isfinite(view.ymax - view.ymin);
  if (!finite || !(view.xmin < view.xmax) || !(view.ymin < view.ymax))
    throw std::invalid_argument("grid: the view must be finite with xmin < xmax and ymin < ymax");
  MatrixXd points(Eigen::Index{nx} * ny, 2);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      points.row(Eigen::Index{j} * nx + i) << view.xmin + i * (view.xmax - view.xmin) / (nx - 1),
          view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
  return predict(x, points);
}

std::vector<double> MlpProblem::neuron_grid(const VectorXd& x, int layer, const ViewBox& view, int nx, int ny) {
  check_size(x, "neuronGrid");
  const int hidden = static_cast<int>(slices_.size()) - 1;
  if (hidden == 0) throw std::invalid_argument("neuronGrid: the network has no hidden layer");
  if (layer < 1 || layer > hidden)
    throw std::invalid_argument("neuronGrid: layer must be a hidden layer from 1 to " + std::to_string(hidden) +
                                ", got " + std::to_string(layer));
  if (nx < 2 || nx > kMaxNeuronGridSide || ny < 2 || ny > kMaxNeuronGridSide)
    throw std::invalid_argument("neuronGrid: nx and ny must be in [2, " + std::to_string(kMaxNeuronGridSide) +
                                "], got " + std::to_string(nx) + " x " + std::to_string(ny));
  const bool finite = std::isfinite(view.xmax - view.xmin) && std::isfinite(view.ymax - view.ymin);
  if (!finite || !(view.xmin < view.xmax) || !(view.ymin < view.ymax))
    throw std::invalid_argument("neuronGrid: the view must be finite with xmin < xmax and ymin < ymax");
  const Eigen::Index cells = Eigen::Index{nx} * ny;
  MatrixXd points(cells, 2);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i)
      points.row(Eigen::Index{j} * nx + i) << view.xmin + i * (view.xmax - view.xmin) / (nx - 1),
          view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
  eval_tape_.reset();
  record_network(eval_tape_, x, points, false);
  const MatrixXd& h = eval_tape_.node(hidden_nodes_[static_cast<std::size_t>(layer - 1)]).value;  // cells × width
  std::vector<double> out(static_cast<std::size_t>(h.size()));
  Eigen::Map<MatrixXd>(out.data(), cells, h.cols()) = h;  // column-major: neuron by neuron
  return out;
}

// ---- Trace --------------------------------------------------------------------------------------

namespace {

json rows_of(const MatrixXd& m) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

json MlpProblem::trace(const VectorXd& x, const std::vector<int>& rows) {
  check_size(x, "trace");
  const long n = data_.train.size();
  if (rows.empty() || rows.size() > static_cast<std::size_t>(kMaxTraceRows))
    throw std::invalid_argument("trace: expected 1 to " + std::to_string(kMaxTraceRows) + " training rows, got " +
                                std::to_string(rows.size()));
  // The JSON holds every node's value and gradient: keep it small enough for a page to show.
  const long units = std::accumulate(config_.layers.begin(), config_.layers.end(), 0L);
  if (static_cast<long>(rows.size()) * units > kMaxTraceNumbers)
    throw std::invalid_argument("trace: " + std::to_string(rows.size()) + " rows x " + std::to_string(units) +
                                " units is too much to show (at most " + std::to_string(kMaxTraceNumbers) +
                                "); trace fewer rows or a smaller network");
  MatrixXd points(static_cast<Eigen::Index>(rows.size()), 2);
  MatrixXd targets(static_cast<Eigen::Index>(rows.size()), 1);
  std::vector<int> labels(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (rows[k] < 0 || rows[k] >= n)
      throw std::invalid_argument("trace: rows[" + std::to_string(k) + "] = " + std::to_string(rows[k]) +
                                  " is outside the " + std::to_string(n) + " training points");
    points.row(static_cast<Eigen::Index>(k)) = data_.train.x.row(rows[k]);
    targets(static_cast<Eigen::Index>(k), 0) = data_.train.y[rows[k]];
    if (config_.loss == MlpLoss::CrossEntropy) labels[k] = train_labels_[static_cast<std::size_t>(rows[k])];
  }
  trace_tape_.reset();
  const Mat logits = record_network(trace_tape_, x, points, true);
  const Mat loss = with_penalty(record_loss(logits, targets, labels), true);
  trace_tape_.set_name(loss, "loss");
  trace_tape_.backward(loss);

  json nodes = json::array();
  for (int i = 0; i < trace_tape_.size(); ++i) {
    const MatrixTape::Node& node = trace_tape_.node(i);
    json parents = json::array();
    if (node.a != MatrixTape::kNone) parents.push_back(node.a);
    if (node.b != MatrixTape::kNone) parents.push_back(node.b);
    json entry = {{"index", i},
                  {"op", op_name(node.op)},
                  {"name", node.name},
                  {"parents", parents},
                  {"shape", {node.value.rows(), node.value.cols()}},
                  {"value", rows_of(node.value)},
                  {"grad", rows_of(node.grad)}};
    for (std::size_t l = 0; l < slices_.size(); ++l) {
      if (weight_nodes_[l] == i)
        entry["param"] = {{"layer", l + 1}, {"kind", "weight"}, {"offset", slices_[l].weight_offset}};
      if (bias_nodes_[l] == i)
        entry["param"] = {{"layer", l + 1}, {"kind", "bias"}, {"offset", slices_[l].bias_offset}};
    }
    if (node.op == MatrixOp::SoftmaxCrossEntropy) entry["labels"] = labels;
    nodes.push_back(std::move(entry));
  }
  return {{"rows", rows}, {"loss", loss.value()(0, 0)}, {"nodes", std::move(nodes)}};
}

// ---- The spec reader ----------------------------------------------------------------------------

std::unique_ptr<MlpProblem> make_mlp_problem(const json& p, std::uint64_t seed) {
  fields::require_object(p, "problem");
  fields::reject_unknown(p, "problem", {"name", "data", "layers", "activation", "loss", "batch_size", "init",
                                                "features", "l1"});
  if (!p.contains("name") || p["name"] != "mlp")
    throw std::invalid_argument("problem.name: expected \"mlp\" for a network problem");
  if (!p.contains("data"))
    throw std::invalid_argument("problem.data: missing (a set such as {\"name\": \"spiral\"} or given points)");
  DataSplit data = make_dataset(p["data"], "problem.data", seed);

  MlpConfig config;
  config.seed = seed;
  if (!p.contains("layers")) throw std::invalid_argument("problem.layers: missing (widths such as [2, 16, 16, 1])");
  const json& layers = p["layers"];
  if (!layers.is_array())
    throw std::invalid_argument("problem.layers: expected a list of widths such as [2, 16, 16, 1]");
  if (layers.size() < 2 || layers.size() > static_cast<std::size_t>(kMaxLayerCount))
    throw std::invalid_argument("problem.layers: expected 2 to " + std::to_string(kMaxLayerCount) +
                                " widths (input, hidden layers, output), got " + std::to_string(layers.size()));
  for (std::size_t i = 0; i < layers.size(); ++i)
    config.layers.push_back(static_cast<int>(
        fields::whole_number(layers[i], "problem.layers[" + std::to_string(i) + "]", 1, kMaxWidth)));
  if (p.contains("activation"))
    config.activation = parse_name(p["activation"], "problem.activation", "activation", kActivations, activation_name);
  if (p.contains("loss"))
    config.loss = parse_name(p["loss"], "problem.loss", "loss", kLosses, loss_name);
  else
    config.loss = data.train.classes == 0   ? MlpLoss::Mse
                  : data.train.classes <= 2 ? MlpLoss::Bce
                                            : MlpLoss::CrossEntropy;
  if (p.contains("batch_size") && !p["batch_size"].is_null())
    config.batch_size = static_cast<long>(fields::whole_number(p["batch_size"], "problem.batch_size", 1, kMaxPoints));
  if (p.contains("features")) {
    const json& features = p["features"];
    if (!features.is_array())
      throw std::invalid_argument("problem.features: expected a list such as [\"x1^2\", \"sin(x1)\"] (one of " +
                                  names_of(kFeatures, feature_name) + ")");
    for (std::size_t i = 0; i < features.size(); ++i) {
      const std::string field = "problem.features[" + std::to_string(i) + "]";
      const InputFeature f = parse_name(features[i], field, "feature", kFeatures, feature_name);
      if (std::find(config.features.begin(), config.features.end(), f) != config.features.end())
        throw std::invalid_argument(field + ": " + feature_name(f) + " is listed twice");
      config.features.push_back(f);
    }
  }
  if (p.contains("l1")) config.l1 = fields::finite_number(p["l1"], "problem.l1");
  check_config(config, data);  // before the weights, whose count depends on the layers

  VectorXd initial;
  if (!p.contains("init")) {
    initial = init_weights(config.layers, seed);
  } else {
    const json& init = p["init"];
    fields::require_object(init, "problem.init");
    fields::reject_unknown(init, "problem.init", {"seed", "weights"});
    if (init.contains("seed") == init.contains("weights"))
      throw std::invalid_argument("problem.init: give either {\"seed\": S} or {\"weights\": [...]}");
    if (init.contains("seed")) {
      initial = init_weights(config.layers, fields::seed(init["seed"], "problem.init.seed"));
    } else {
      initial = weights_from_json(init["weights"], config.layers, "problem.init.weights");
    }
  }
  return std::make_unique<MlpProblem>(std::move(config), std::move(data), std::move(initial));
}

}  // namespace optlab
