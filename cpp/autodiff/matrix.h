// Reverse-mode autodiff over Eigen matrices, for the small networks (an MLP on 2-D data, one
// sample per row). The same design as the scalar Tape: the forward pass appends one node per
// operation (its value, up to two parent indices, and whatever its backward rule needs), and
// backward() walks the tape once from the output down to node 0, each node adding its local
// rule's contribution to its parents' gradients. Parents always come before their children.
//
// reset() forgets the nodes but keeps their matrices, so re-recording the same network each step
// writes into the same buffers and allocates nothing. After backward() every node's value and
// gradient (same shape as its value) stay readable, which is how the page shows a tiny network's
// graph node by node.
//
// Losses follow torch in float64 (mean reduction). Shapes that do not fit throw
// std::invalid_argument naming the op and both shapes.
#pragma once

#include <Eigen/Core>
#include <deque>
#include <string>
#include <vector>

namespace optlab {

enum class MatrixOp {
  Input,      // a leaf holding data (X, targets)
  Parameter,  // a leaf holding weights
  MatMul,
  AddBias,  // A [n×k] + b [1×k], b repeated on every row
  Add,
  Sub,
  Mul,  // elementwise
  Scale,
  Tanh,
  Relu,
  LeakyRelu,
  Sigmoid,
  Identity,
  Abs,   // elementwise |x|; d/dx = sign(x), 0 at x = 0 (torch's sgn)
  Sum,   // to 1×1
  Mean,  // to 1×1
  MseLoss,
  BceWithLogits,
  SoftmaxCrossEntropy,
};

// The torch-style name of an op ("matmul", "add_bias", "bce_with_logits", ...), for display.
const char* op_name(MatrixOp op);

class MatrixTape;

// A handle to one node: which tape, and where on it. Cheap to copy; valid until the tape's reset().
struct Mat {
  MatrixTape* tape = nullptr;
  int index = -1;

  const Eigen::MatrixXd& value() const;
  // dOutput/dThis after tape->backward(output).
  const Eigen::MatrixXd& grad() const;
};

class MatrixTape {
 public:
  static constexpr int kNone = -1;

  struct Node {
    MatrixOp op = MatrixOp::Input;
    int a = kNone;        // first parent, or kNone
    int b = kNone;        // second parent, or kNone
    double scalar = 0.0;  // the factor of Scale, the negative_slope of LeakyRelu
    std::string name;     // optional label for display ("W1", "h1"); empty otherwise
    Eigen::MatrixXd value;
    Eigen::MatrixXd grad;  // filled by backward(); same shape as value
    // For the losses: dLoss/dInput, computed in the forward pass where the softmax or sigmoid is
    // already at hand, so backward only scales it.
    Eigen::MatrixXd aux;
  };

  // Seeds dOutput/dOutput = 1 and propagates to every node recorded before it. The output must be
  // 1×1 (a loss), as for torch's backward() without a gradient argument. Each call recomputes every
  // gradient from scratch (nothing accumulates across calls); nodes the output does not depend on
  // get zeros.
  void backward(Mat output);

  int size() const { return size_; }
  const Node& node(int i) const;
  void set_name(Mat m, std::string name);

  // Forgets every node; their matrices keep their storage for the next recording.
  void reset() { size_ = 0; }

 private:
  friend struct MatrixOps;

  // Appends a node, reusing a slot left by reset(). A deque never moves its elements when it
  // grows, so references to the parents' values stay valid while the child is written.
  Node& push(MatrixOp op, int a, int b);
  // Adds a contribution to node i's gradient; the first one is assigned, which saves zeroing.
  template <class Expr>
  void accumulate(int i, const Expr& contribution);
  // accumulate() for a product: write(out) computes it, straight into the gradient if it is the
  // first contribution.
  template <class Write>
  void accumulate_product(int i, Write write);
  const Eigen::MatrixXd& value(int i) const { return nodes_[static_cast<std::size_t>(i)].value; }
  void backward_node(const Node& n);

  std::deque<Node> nodes_;  // nodes_[0 .. size_) are live; the rest wait to be reused
  std::vector<char> has_grad_;
  int size_ = 0;
  // Scratch of the products (autodiff/product.h), reused so that a step allocates nothing.
  std::vector<double> packed_;
  Eigen::MatrixXd product_, transposed_;
};

// Leaves. The value is copied into the tape (into reused storage after reset()); a Ref lets a
// slice of a flat parameter vector be passed through an Eigen::Map without a temporary.
Mat input(MatrixTape& tape, const Eigen::Ref<const Eigen::MatrixXd>& value, std::string name = {});
Mat parameter(MatrixTape& tape, const Eigen::Ref<const Eigen::MatrixXd>& value,
              std::string name = {});

Mat matmul(Mat a, Mat b);
Mat add_bias(Mat a, Mat bias);
Mat add(Mat a, Mat b);
Mat sub(Mat a, Mat b);
Mat mul(Mat a, Mat b);
Mat scale(Mat a, double factor);
Mat tanh(Mat a);
Mat relu(Mat a);
Mat leaky_relu(Mat a, double negative_slope = 0.01);
Mat sigmoid(Mat a);
Mat identity(Mat a);
Mat abs(Mat a);  // elementwise; gradient sign(x), 0 at 0, as torch's abs backward
Mat sum(Mat a);
Mat mean(Mat a);

// mean((pred - target)^2) over all elements.
Mat mse_loss(Mat pred, Mat target);
// mean(max(z,0) - z·t + log1p(exp(-|z|))) over all elements: torch's overflow-free form of
// binary cross-entropy on sigmoid(z). Targets are usually 0/1; values between are soft labels.
Mat bce_with_logits(Mat logits, Mat targets);
// mean over rows of logsumexp(z_i) - z_i[labels_i]; logits [n×C], labels[i] in [0, C).
Mat softmax_cross_entropy(Mat logits, const std::vector<int>& labels);

}  // namespace optlab
