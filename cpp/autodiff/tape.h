// Reverse-mode autodiff for scalars: a linear tape.
//
// The forward pass appends one node per operation: its value, up to two parent indices and the
// local partial derivative with respect to each parent. backward() walks the tape once, from the
// last node to the first, accumulating adjoints (dLoss/dNode) by the chain rule. Parents always
// have smaller indices than their children, so one reverse loop visits every node after all of
// its consumers. reset() empties the tape but keeps its storage, so re-recording each step
// allocates nothing. The tape knows nothing of optimizers or problems.
#pragma once

#include <cstddef>
#include <vector>

namespace optlab {

class Tape {
 public:
  static constexpr int kNone = -1;

  struct Node {
    double value;
    int a;      // first parent, or kNone
    int b;      // second parent, or kNone
    double da;  // d(value)/d(parent a)
    double db;  // d(value)/d(parent b)
  };

  // An input (leaf) node.
  int leaf(double value) { return push(value, kNone, 0.0, kNone, 0.0); }
  int push(double value, int a, double da) { return push(value, a, da, kNone, 0.0); }
  // Writes the fields straight into the slot: building a Node and copying it in (push_back) made
  // the compiler store it in pieces and reload it whole, a stalled store-to-load forward per node.
  int push(double value, int a, double da, int b, double db) {
    if (size_ == nodes_.size()) nodes_.resize(size_ < 8 ? 16 : 2 * size_);
    Node& n = nodes_[size_];
    n.value = value;
    n.a = a;
    n.b = b;
    n.da = da;
    n.db = db;
    return static_cast<int>(size_++);
  }

  double value(int i) const { return nodes_[static_cast<std::size_t>(i)].value; }
  const Node& node(int i) const { return nodes_[static_cast<std::size_t>(i)]; }
  std::size_t size() const { return size_; }

  // Seeds d(output)/d(output) = 1 and propagates to every node recorded before it.
  void backward(int output);
  // dOutput/dNode after backward(); 0 for nodes the output does not depend on.
  double adjoint(int i) const { return adjoints_[static_cast<std::size_t>(i)]; }
  const std::vector<double>& adjoints() const { return adjoints_; }

  void reset() {
    size_ = 0;
    adjoints_.clear();
  }

 private:
  std::vector<Node> nodes_;  // nodes_[0 .. size_) are recorded; the rest is room kept by reset()
  std::size_t size_ = 0;
  std::vector<double> adjoints_;
};

}  // namespace optlab
