// StackTape: Tape's recording and backward pass for a function of at most N nodes whose code is
// known at compile time (the built-in landscapes), in a local array. Inlined into its caller, the
// nodes' indices are constants and the compiler keeps most of the tape in registers: a heap
// Tape's stores and reloads were most of a landscape step's cost. The same arithmetic as Tape,
// in the same order, so the same bits (tests/cpp/autodiff_test.cpp compares the two).
#pragma once

#include <stdexcept>

#include <Eigen/Core>

#include "autodiff/tape.h"
#include "autodiff/var.h"

namespace optlab {

// Always inlined (OPTLAB_ALWAYS_INLINE, var.h): GCC left them out of line, a call per node, which
// kept the tape in memory.
template <int N>
class StackTape {
 public:
  OPTLAB_ALWAYS_INLINE int push(double value, int a, double da) { return push(value, a, da, Tape::kNone, 0.0); }
  OPTLAB_ALWAYS_INLINE int push(double value, int a, double da, int b, double db) {
    if (size_ == N) throw std::logic_error("StackTape: more nodes than the function was sized for");
    Tape::Node& n = nodes_[size_];
    n.value = value;
    n.a = a;
    n.b = b;
    n.da = da;
    n.db = db;
    return size_++;
  }

  // Tape::backward's loop: adjoints of every node up to `output`, into adjoint[0 .. output].
  OPTLAB_ALWAYS_INLINE void backward(int output, double* adjoint) const {
    for (int i = 0; i <= output; ++i) adjoint[i] = 0.0;
    adjoint[output] = 1.0;
    for (int i = output; i >= 0; --i) {
      const Tape::Node& n = nodes_[i];
      const double g = adjoint[i];
      // As Tape: skipping zero adjoints keeps 0 * inf from turning into NaN.
      if (g == 0.0) continue;
      if (n.a != Tape::kNone) adjoint[n.a] += g * n.da;
      if (n.b != Tape::kNone) adjoint[n.b] += g * n.db;
    }
  }

 private:
  Tape::Node nodes_[N];
  int size_ = 0;
};

// value_and_grad_xy on a StackTape of N nodes: the same value and gradient, bit for bit.
template <int N, class F>
OPTLAB_ALWAYS_INLINE double value_and_grad_xy_on_stack(const F& f, const Eigen::Vector2d& at, Eigen::Vector2d& grad) {
  using V = BasicVar<StackTape<N>>;
  StackTape<N> tape;
  const V x{&tape, tape.push(at[0], Tape::kNone, 0.0), at[0]};
  const V y{&tape, tape.push(at[1], Tape::kNone, 0.0), at[1]};
  const V out = f(x, y);
  double adjoint[N];
  tape.backward(out.index, adjoint);
  grad[0] = adjoint[x.index];
  grad[1] = adjoint[y.index];
  return out.value();
}

}  // namespace optlab
