// Var: a scalar recorded on a Tape. Each operation computes its value and records its local
// partial derivatives (see update-rules.md, "Gradients of the formula functions"), nothing else.
// Operations with a plain double record one parent only: constants never become nodes.
//
// The operations are written once for any recorder with Tape's push(): the heap Tape that
// formulas use, and the StackTape (autodiff/stack_tape.h) the built-in landscapes record on,
// which the compiler can keep in registers. Both run the same arithmetic in the same order, so
// they give the same bits.
#pragma once

#include <cmath>

#include <Eigen/Core>

#include "autodiff/tape.h"
#include "math/portable.h"

namespace optlab {

// Inlined whatever the compiler's estimate: the StackTape's speed depends on it.
#define OPTLAB_ALWAYS_INLINE [[gnu::always_inline]] inline

template <class Recorder>
struct BasicVar {
  Recorder* tape = nullptr;
  int index = Tape::kNone;
  // A copy of the node's value: operations read it from here, not back from the tape, so that
  // recording does not wait on its own stores.
  double v = 0.0;

  double value() const { return v; }
};

using Var = BasicVar<Tape>;

inline Var variable(Tape& tape, double value) { return Var{&tape, tape.leaf(value), value}; }

// The arithmetic is inline: a landscape's gradient records a dozen of these per step, and a call
// each cost more than the operation.
namespace var_detail {
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> unary(BasicVar<R> a, double value, double da) {
  return BasicVar<R>{a.tape, a.tape->push(value, a.index, da), value};
}
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> binary(BasicVar<R> a, BasicVar<R> b, double value, double da, double db) {
  return BasicVar<R>{a.tape, a.tape->push(value, a.index, da, b.index, db), value};
}
}  // namespace var_detail

template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator+(BasicVar<R> a, BasicVar<R> b) { return var_detail::binary(a, b, a.value() + b.value(), 1.0, 1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator-(BasicVar<R> a, BasicVar<R> b) { return var_detail::binary(a, b, a.value() - b.value(), 1.0, -1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator*(BasicVar<R> a, BasicVar<R> b) { return var_detail::binary(a, b, a.value() * b.value(), b.value(), a.value()); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator/(BasicVar<R> a, BasicVar<R> b) {
  const double x = a.value(), y = b.value();
  return var_detail::binary(a, b, x / y, 1.0 / y, -x / (y * y));
}
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator+(BasicVar<R> a, double b) { return var_detail::unary(a, a.value() + b, 1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator+(double a, BasicVar<R> b) { return var_detail::unary(b, a + b.value(), 1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator-(BasicVar<R> a, double b) { return var_detail::unary(a, a.value() - b, 1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator-(double a, BasicVar<R> b) { return var_detail::unary(b, a - b.value(), -1.0); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator*(BasicVar<R> a, double b) { return var_detail::unary(a, a.value() * b, b); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator*(double a, BasicVar<R> b) { return var_detail::unary(b, a * b.value(), a); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator/(BasicVar<R> a, double b) { return var_detail::unary(a, a.value() / b, 1.0 / b); }
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator/(double a, BasicVar<R> b) {
  const double y = b.value();
  return var_detail::unary(b, a / y, -a / (y * y));
}
template <class R>
OPTLAB_ALWAYS_INLINE BasicVar<R> operator-(BasicVar<R> a) { return var_detail::unary(a, -a.value(), -1.0); }

// As torch: a zero exponent has zero derivative (even where a^(c-1) is infinite).
template <class R>
BasicVar<R> pow(BasicVar<R> a, double c) {
  const double x = a.value();
  return var_detail::unary(a, pm::pow(x, c), c == 0.0 ? 0.0 : c * pm::pow(x, c - 1.0));
}
// d/db a^b = a^b ln a, taken as 0 where a = 0 and b >= 0 (torch's convention).
template <class R>
BasicVar<R> pow(BasicVar<R> a, BasicVar<R> b) {
  const double x = a.value(), y = b.value();
  const double v = pm::pow(x, y);
  const double da = y == 0.0 ? 0.0 : y * pm::pow(x, y - 1.0);
  const double db = (x == 0.0 && y >= 0.0) ? 0.0 : v * pm::log(x);
  return var_detail::binary(a, b, v, da, db);
}
template <class R>
BasicVar<R> pow(double a, BasicVar<R> b) {
  const double y = b.value();
  const double v = pm::pow(a, y);
  return var_detail::unary(b, v, (a == 0.0 && y >= 0.0) ? 0.0 : v * pm::log(a));
}
template <class R>
BasicVar<R> sin(BasicVar<R> a) { return var_detail::unary(a, pm::sin(a.value()), pm::cos(a.value())); }
template <class R>
BasicVar<R> cos(BasicVar<R> a) { return var_detail::unary(a, pm::cos(a.value()), -pm::sin(a.value())); }
template <class R>
BasicVar<R> tan(BasicVar<R> a) {
  const double t = pm::tan(a.value());
  return var_detail::unary(a, t, 1.0 + t * t);
}
template <class R>
BasicVar<R> exp(BasicVar<R> a) {
  const double e = pm::exp(a.value());
  return var_detail::unary(a, e, e);
}
template <class R>
BasicVar<R> log(BasicVar<R> a) { return var_detail::unary(a, pm::log(a.value()), 1.0 / a.value()); }
template <class R>
BasicVar<R> sqrt(BasicVar<R> a) {
  const double s = std::sqrt(a.value());
  return var_detail::unary(a, s, 1.0 / (2.0 * s));
}
template <class R>
BasicVar<R> abs(BasicVar<R> a) {
  const double x = a.value();
  return var_detail::unary(a, std::fabs(x), x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0));
}
template <class R>
BasicVar<R> tanh(BasicVar<R> a) {
  const double t = pm::tanh(a.value());
  return var_detail::unary(a, t, 1.0 - t * t);
}
// pm::sigmoid never takes exp of a large positive number, so nothing overflows.
template <class R>
BasicVar<R> sigmoid(BasicVar<R> a) {
  const double x = a.value();
  const double s = pm::sigmoid(x);
  return var_detail::unary(a, s, s * (1.0 - s));
}

// The one entry point 2-D problems use: records f(x, y) on a fresh tape, runs backward, and
// returns f with its gradient in grad. f takes the two input Vars and returns the output Var.
template <class F>
double value_and_grad_xy(Tape& tape, const F& f, const Eigen::Vector2d& at, Eigen::Vector2d& grad) {
  tape.reset();
  const Var x = variable(tape, at[0]);
  const Var y = variable(tape, at[1]);
  const Var out = f(x, y);
  tape.backward(out.index);
  grad[0] = tape.adjoint(x.index);
  grad[1] = tape.adjoint(y.index);
  return out.value();
}

}  // namespace optlab
