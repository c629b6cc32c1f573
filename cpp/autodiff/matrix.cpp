// The matrix ops. Each forward function checks shapes, records a node and writes its value
// straight into that node's (reused) storage; MatrixTape::backward_node holds the matching local
// rules, in the same order. Products go through product::product_into (one summation order
// everywhere).
#include "autodiff/matrix.h"

#include <cmath>
#include <stdexcept>
#include <utility>

#include "autodiff/product.h"
#include "math/portable.h"

namespace optlab {

using Node = MatrixTape::Node;

// The forward functions' privileged calls: appending to the tape, and its product scratch.
struct MatrixOps {
  static Node& push(MatrixTape& tape, MatrixOp op, int a, int b) { return tape.push(op, a, b); }
  static std::vector<double>& packed(MatrixTape& tape) { return tape.packed_; }
};

namespace {

std::string shape(const Eigen::MatrixXd& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

// The value behind a handle, after checking that the handle is live.
const Eigen::MatrixXd& value_of(Mat m, const char* op) {
  if (m.tape == nullptr) throw std::invalid_argument(std::string(op) + ": handle has no tape");
  if (m.index < 0 || m.index >= m.tape->size())
    throw std::invalid_argument(std::string(op) + ": handle " + std::to_string(m.index) +
                                " is not on the tape (recorded before reset()?)");
  return m.tape->node(m.index).value;
}

void require_same_tape(Mat a, Mat b, const char* op) {
  if (a.tape != b.tape) throw std::invalid_argument(std::string(op) + ": operands are on different tapes");
}

void require_same_shape(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y, const char* op) {
  if (x.rows() != y.rows() || x.cols() != y.cols())
    throw std::invalid_argument(std::string(op) + ": shapes differ (" + shape(x) + " and " + shape(y) + ")");
}

void require_not_empty(const Eigen::MatrixXd& x, const char* op) {
  if (x.size() == 0)
    throw std::invalid_argument(std::string(op) + ": input is empty (" + shape(x) + ")");
}

// Records a node whose parents are a (and b); only call after value_of() has checked them.
Node& record(MatrixOp op, Mat a, Mat b = {}) { return MatrixOps::push(*a.tape, op, a.index, b.index); }
Mat newest(Mat a) { return Mat{a.tape, a.tape->size() - 1}; }

Mat leaf(MatrixTape& tape, MatrixOp op, const Eigen::Ref<const Eigen::MatrixXd>& value, std::string name) {
  Node& n = MatrixOps::push(tape, op, MatrixTape::kNone, MatrixTape::kNone);
  n.value = value;
  n.name = std::move(name);
  return Mat{&tape, tape.size() - 1};
}

}  // namespace

const char* op_name(MatrixOp op) {
  switch (op) {
    case MatrixOp::Input: return "input";
    case MatrixOp::Parameter: return "parameter";
    case MatrixOp::MatMul: return "matmul";
    case MatrixOp::AddBias: return "add_bias";
    case MatrixOp::Add: return "add";
    case MatrixOp::Sub: return "sub";
    case MatrixOp::Mul: return "mul";
    case MatrixOp::Scale: return "scale";
    case MatrixOp::Tanh: return "tanh";
    case MatrixOp::Relu: return "relu";
    case MatrixOp::LeakyRelu: return "leaky_relu";
    case MatrixOp::Sigmoid: return "sigmoid";
    case MatrixOp::Identity: return "identity";
    case MatrixOp::Abs: return "abs";
    case MatrixOp::Sum: return "sum";
    case MatrixOp::Mean: return "mean";
    case MatrixOp::MseLoss: return "mse_loss";
    case MatrixOp::BceWithLogits: return "bce_with_logits";
    case MatrixOp::SoftmaxCrossEntropy: return "softmax_cross_entropy";
  }
  return "unknown";
}

const Eigen::MatrixXd& Mat::value() const { return value_of(*this, "value"); }
const Eigen::MatrixXd& Mat::grad() const {
  value_of(*this, "grad");
  return tape->node(index).grad;
}

// ---- The tape ---------------------------------------------------------------------------------

const Node& MatrixTape::node(int i) const {
  if (i < 0 || i >= size_)
    throw std::invalid_argument("node: index " + std::to_string(i) + " is outside the tape's " +
                                std::to_string(size_) + " nodes");
  return nodes_[static_cast<std::size_t>(i)];
}

void MatrixTape::set_name(Mat m, std::string name) {
  value_of(m, "set_name");
  if (m.tape != this) throw std::invalid_argument("set_name: handle is on another tape");
  nodes_[static_cast<std::size_t>(m.index)].name = std::move(name);
}

Node& MatrixTape::push(MatrixOp op, int a, int b) {
  if (static_cast<std::size_t>(size_) == nodes_.size()) nodes_.emplace_back();
  Node& n = nodes_[static_cast<std::size_t>(size_++)];
  n.op = op;
  n.a = a;
  n.b = b;
  n.scalar = 0.0;
  n.name.clear();
  return n;
}

template <class Expr>
void MatrixTape::accumulate(int i, const Expr& contribution) {
  Eigen::MatrixXd& grad = nodes_[static_cast<std::size_t>(i)].grad;
  char& seen = has_grad_[static_cast<std::size_t>(i)];
  if (seen) {
    grad.noalias() += contribution;
  } else {
    grad.noalias() = contribution;
    seen = 1;
  }
}

template <class Write>
void MatrixTape::accumulate_product(int i, Write write) {
  char& seen = has_grad_[static_cast<std::size_t>(i)];
  if (seen) {
    write(product_);
    nodes_[static_cast<std::size_t>(i)].grad += product_;
  } else {  // the first contribution is the gradient: written in place, no copy
    write(nodes_[static_cast<std::size_t>(i)].grad);
    seen = 1;
  }
}

void MatrixTape::backward(Mat output) {
  const Eigen::MatrixXd& out = value_of(output, "backward");
  if (output.tape != this) throw std::invalid_argument("backward: output is on another tape");
  if (out.rows() != 1 || out.cols() != 1)
    throw std::invalid_argument("backward: output must be 1x1 (a loss), got " + shape(out));
  has_grad_.assign(static_cast<std::size_t>(size_), 0);
  nodes_[static_cast<std::size_t>(output.index)].grad.setOnes(1, 1);
  has_grad_[static_cast<std::size_t>(output.index)] = 1;
  for (int i = output.index; i >= 0; --i)
    if (has_grad_[static_cast<std::size_t>(i)]) backward_node(nodes_[static_cast<std::size_t>(i)]);
  for (int i = 0; i < size_; ++i) {
    Node& n = nodes_[static_cast<std::size_t>(i)];
    if (!has_grad_[static_cast<std::size_t>(i)]) n.grad.setZero(n.value.rows(), n.value.cols());
  }
}

// ---- Forward: one function per op -------------------------------------------------------------

Mat input(MatrixTape& tape, const Eigen::Ref<const Eigen::MatrixXd>& value, std::string name) {
  return leaf(tape, MatrixOp::Input, value, std::move(name));
}
Mat parameter(MatrixTape& tape, const Eigen::Ref<const Eigen::MatrixXd>& value, std::string name) {
  return leaf(tape, MatrixOp::Parameter, value, std::move(name));
}

Mat matmul(Mat a, Mat b) {
  const Eigen::MatrixXd& x = value_of(a, "matmul");
  const Eigen::MatrixXd& y = value_of(b, "matmul");
  require_same_tape(a, b, "matmul");
  if (x.cols() != y.rows())
    throw std::invalid_argument("matmul: columns of A must equal rows of B (" + shape(x) + " and " + shape(y) +
                                ")");
  product::product_into(x, y, record(MatrixOp::MatMul, a, b).value, MatrixOps::packed(*a.tape));
  return newest(a);
}

Mat add_bias(Mat a, Mat bias) {
  const Eigen::MatrixXd& x = value_of(a, "add_bias");
  const Eigen::MatrixXd& b = value_of(bias, "add_bias");
  require_same_tape(a, bias, "add_bias");
  if (b.rows() != 1 || b.cols() != x.cols())
    throw std::invalid_argument("add_bias: bias must be 1 x (columns of A) (" + shape(x) + " and " + shape(b) +
                                ")");
  record(MatrixOp::AddBias, a, bias).value = x.rowwise() + b.row(0);
  return newest(a);
}

Mat add(Mat a, Mat b) {
  const Eigen::MatrixXd& x = value_of(a, "add");
  const Eigen::MatrixXd& y = value_of(b, "add");
  require_same_tape(a, b, "add");
  require_same_shape(x, y, "add");
  record(MatrixOp::Add, a, b).value = x + y;
  return newest(a);
}

Mat sub(Mat a, Mat b) {
  const Eigen::MatrixXd& x = value_of(a, "sub");
  const Eigen::MatrixXd& y = value_of(b, "sub");
  require_same_tape(a, b, "sub");
  require_same_shape(x, y, "sub");
  record(MatrixOp::Sub, a, b).value = x - y;
  return newest(a);
}

Mat mul(Mat a, Mat b) {
  const Eigen::MatrixXd& x = value_of(a, "mul");
  const Eigen::MatrixXd& y = value_of(b, "mul");
  require_same_tape(a, b, "mul");
  require_same_shape(x, y, "mul");
  record(MatrixOp::Mul, a, b).value = x.cwiseProduct(y);
  return newest(a);
}

Mat scale(Mat a, double factor) {
  const Eigen::MatrixXd& x = value_of(a, "scale");
  Node& n = record(MatrixOp::Scale, a);
  n.scalar = factor;
  n.value = factor * x;
  return newest(a);
}

Mat tanh(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "tanh");
  Eigen::MatrixXd& out = record(MatrixOp::Tanh, a).value;
  out.resize(x.rows(), x.cols());
  pm::tanh_activation(x.data(), out.data(), static_cast<long>(x.size()));
  return newest(a);
}

// Written as "x < 0 ? 0 : x" so that NaN stays NaN, as in torch.
Mat relu(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "relu");
  record(MatrixOp::Relu, a).value = (x.array() < 0.0).select(0.0, x.array()).matrix();
  return newest(a);
}

Mat leaky_relu(Mat a, double negative_slope) {
  const Eigen::MatrixXd& x = value_of(a, "leaky_relu");
  Node& n = record(MatrixOp::LeakyRelu, a);
  n.scalar = negative_slope;
  n.value = (x.array() > 0.0).select(x.array(), negative_slope * x.array()).matrix();
  return newest(a);
}

// 1/(1 + e^-x) cannot give NaN: for very negative x, e^-x = inf and the result is exactly 0.
Mat sigmoid(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "sigmoid");
  record(MatrixOp::Sigmoid, a).value = (1.0 + (-x.array()).unaryExpr(&pm::exp)).inverse().matrix();
  return newest(a);
}

Mat identity(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "identity");
  record(MatrixOp::Identity, a).value = x;
  return newest(a);
}

Mat abs(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "abs");
  record(MatrixOp::Abs, a).value = x.cwiseAbs();
  return newest(a);
}

Mat sum(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "sum");
  record(MatrixOp::Sum, a).value.setConstant(1, 1, x.sum());
  return newest(a);
}

Mat mean(Mat a) {
  const Eigen::MatrixXd& x = value_of(a, "mean");
  require_not_empty(x, "mean");
  record(MatrixOp::Mean, a).value.setConstant(1, 1, x.mean());
  return newest(a);
}

Mat mse_loss(Mat pred, Mat target) {
  const Eigen::MatrixXd& p = value_of(pred, "mse_loss");
  const Eigen::MatrixXd& t = value_of(target, "mse_loss");
  require_same_tape(pred, target, "mse_loss");
  require_same_shape(p, t, "mse_loss");
  require_not_empty(p, "mse_loss");
  const double count = static_cast<double>(p.size());
  record(MatrixOp::MseLoss, pred, target).value.setConstant(1, 1, (p - t).squaredNorm() / count);
  return newest(pred);
}

Mat bce_with_logits(Mat logits, Mat targets) {
  const Eigen::MatrixXd& z = value_of(logits, "bce_with_logits");
  const Eigen::MatrixXd& t = value_of(targets, "bce_with_logits");
  require_same_tape(logits, targets, "bce_with_logits");
  require_same_shape(z, t, "bce_with_logits");
  require_not_empty(z, "bce_with_logits");
  Node& n = record(MatrixOp::BceWithLogits, logits, targets);
  const double count = static_cast<double>(z.size());
  // exp(-|z|) <= 1, so nothing overflows however large the logits.
  const auto za = z.array();
  n.value.setConstant(
      1, 1, (za.max(0.0) - za * t.array() + (-za.abs()).unaryExpr(&pm::exp).unaryExpr(&pm::log1p)).sum() / count);
  n.aux = (((1.0 + (-za).unaryExpr(&pm::exp)).inverse() - t.array()) / count).matrix();  // (sigmoid(z) - t) / n
  return newest(logits);
}

Mat softmax_cross_entropy(Mat logits, const std::vector<int>& labels) {
  const Eigen::MatrixXd& z = value_of(logits, "softmax_cross_entropy");
  require_not_empty(z, "softmax_cross_entropy");
  if (static_cast<Eigen::Index>(labels.size()) != z.rows())
    throw std::invalid_argument("softmax_cross_entropy: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(z.rows()) + " rows of logits");
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= z.cols())
      throw std::invalid_argument("softmax_cross_entropy: labels[" + std::to_string(i) + "] = " +
                                  std::to_string(labels[i]) + " is outside [0, " + std::to_string(z.cols()) +
                                  ")");
  Node& n = record(MatrixOp::SoftmaxCrossEntropy, logits);
  n.aux.resize(z.rows(), z.cols());
  double total = 0.0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    // As torch's log_softmax: subtract the row's max so exp never overflows.
    const double m = z.row(i).maxCoeff();
    n.aux.row(i) = (z.row(i).array() - m).unaryExpr(&pm::exp).matrix();
    const double s = n.aux.row(i).sum();
    const int y = labels[static_cast<std::size_t>(i)];
    total += pm::log(s) - (z(i, y) - m);  // logsumexp(z_i) - z_i[y]
    n.aux.row(i) /= s;                     // softmax(z_i) ...
    n.aux(i, y) -= 1.0;                    // ... minus one-hot: dLoss_i/dz_i
  }
  const double rows = static_cast<double>(z.rows());
  n.value.setConstant(1, 1, total / rows);
  n.aux /= rows;
  return newest(logits);
}

// ---- Backward: the local rule of each op, given g = dOutput/d(this node) -----------------------

void MatrixTape::backward_node(const Node& n) {
  const Eigen::MatrixXd& g = n.grad;
  switch (n.op) {
    case MatrixOp::Input:
    case MatrixOp::Parameter:
      break;
    case MatrixOp::MatMul: {  // C = AB: dA = g Bᵀ, dB = Aᵀ g
      const Eigen::MatrixXd& a = value(n.a);
      const Eigen::MatrixXd& b = value(n.b);
      accumulate_product(n.a, [&](Eigen::MatrixXd& out) { product::product_into(g, b.transpose(), out, packed_); });
      accumulate_product(n.b, [&](Eigen::MatrixXd& out) {
        if (g.cols() < 4) return product::transposed_product_into(a, g, out);
        transposed_ = a.transpose();  // product_into wants the columns of Aᵀ contiguous
        product::product_into(transposed_, g, out, packed_);
      });
      break;
    }
    case MatrixOp::AddBias:  // b was added to every row, so its gradient sums g over the rows
      accumulate(n.a, g);
      accumulate(n.b, g.colwise().sum());
      break;
    case MatrixOp::Add:
      accumulate(n.a, g);
      accumulate(n.b, g);
      break;
    case MatrixOp::Sub:
      accumulate(n.a, g);
      accumulate(n.b, -g);
      break;
    case MatrixOp::Mul:
      accumulate(n.a, g.cwiseProduct(value(n.b)));
      accumulate(n.b, g.cwiseProduct(value(n.a)));
      break;
    case MatrixOp::Scale:
      accumulate(n.a, n.scalar * g);
      break;
    case MatrixOp::Tanh:  // 1 - tanh², from the output
      accumulate(n.a, (g.array() * (1.0 - n.value.array().square())).matrix());
      break;
    case MatrixOp::Relu:  // torch's threshold_backward: 0 where the output is <= 0, so 0 at x = 0
      accumulate(n.a, (n.value.array() <= 0.0).select(0.0, g.array()).matrix());
      break;
    case MatrixOp::LeakyRelu:  // torch: slope 1 only where x > 0, so negative_slope at x = 0
      accumulate(n.a, (value(n.a).array() > 0.0).select(g.array(), n.scalar * g.array()).matrix());
      break;
    case MatrixOp::Sigmoid:  // σ(1 - σ), from the output
      accumulate(n.a, (g.array() * (1.0 - n.value.array()) * n.value.array()).matrix());
      break;
    case MatrixOp::Identity:
      accumulate(n.a, g);
      break;
    case MatrixOp::Abs: {  // torch: g·sgn(x), so 0 at x = 0 (and NaN stays NaN)
      const Eigen::ArrayXXd x = value(n.a).array();
      accumulate(n.a, (x > 0.0).select(g.array(), (x < 0.0).select(-g.array(), 0.0 * x)).matrix());
      break;
    }
    case MatrixOp::Sum:
      accumulate(n.a, Eigen::MatrixXd::Constant(value(n.a).rows(), value(n.a).cols(), g(0, 0)));
      break;
    case MatrixOp::Mean:
      accumulate(n.a, Eigen::MatrixXd::Constant(value(n.a).rows(), value(n.a).cols(),
                                                g(0, 0) / static_cast<double>(value(n.a).size())));
      break;
    case MatrixOp::MseLoss: {  // 2 (p - t) / n, and its negative for the target
      const double k = 2.0 * g(0, 0) / static_cast<double>(value(n.a).size());
      accumulate(n.a, k * (value(n.a) - value(n.b)));
      accumulate(n.b, -k * (value(n.a) - value(n.b)));
      break;
    }
    case MatrixOp::BceWithLogits:  // (σ(z) - t)/n for the logits (in aux); -z/n for the targets
      accumulate(n.a, g(0, 0) * n.aux);
      accumulate(n.b, (-g(0, 0) / static_cast<double>(value(n.a).size())) * value(n.a));
      break;
    case MatrixOp::SoftmaxCrossEntropy:  // (softmax - onehot)/n, in aux; labels have no gradient
      accumulate(n.a, g(0, 0) * n.aux);
      break;
  }
}

}  // namespace optlab
