// Var: a scalar recorded on a Tape. Each operation computes its value and records its local
// partial derivatives (see update-rules.md, "Gradients of the formula functions"), nothing else.
// Operations with a plain double record one parent only: constants never become nodes.
#pragma once

#include <Eigen/Core>

#include "autodiff/tape.h"

namespace optlab {

struct Var {
  Tape* tape = nullptr;
  int index = Tape::kNone;
  // A copy of the node's value: operations read it from here, not back from the tape, so that
  // recording does not wait on its own stores.
  double v = 0.0;

  double value() const { return v; }
};

inline Var variable(Tape& tape, double value) { return Var{&tape, tape.leaf(value), value}; }

// The arithmetic is inline: a landscape's gradient records a dozen of these per step, and a call
// each cost more than the operation.
namespace var_detail {
inline Var unary(Var a, double value, double da) { return Var{a.tape, a.tape->push(value, a.index, da), value}; }
inline Var binary(Var a, Var b, double value, double da, double db) {
  return Var{a.tape, a.tape->push(value, a.index, da, b.index, db), value};
}
}  // namespace var_detail

inline Var operator+(Var a, Var b) { return var_detail::binary(a, b, a.value() + b.value(), 1.0, 1.0); }
inline Var operator-(Var a, Var b) { return var_detail::binary(a, b, a.value() - b.value(), 1.0, -1.0); }
inline Var operator*(Var a, Var b) { return var_detail::binary(a, b, a.value() * b.value(), b.value(), a.value()); }
inline Var operator/(Var a, Var b) {
  const double x = a.value(), y = b.value();
  return var_detail::binary(a, b, x / y, 1.0 / y, -x / (y * y));
}
inline Var operator+(Var a, double b) { return var_detail::unary(a, a.value() + b, 1.0); }
inline Var operator+(double a, Var b) { return var_detail::unary(b, a + b.value(), 1.0); }
inline Var operator-(Var a, double b) { return var_detail::unary(a, a.value() - b, 1.0); }
inline Var operator-(double a, Var b) { return var_detail::unary(b, a - b.value(), -1.0); }
inline Var operator*(Var a, double b) { return var_detail::unary(a, a.value() * b, b); }
inline Var operator*(double a, Var b) { return var_detail::unary(b, a * b.value(), a); }
inline Var operator/(Var a, double b) { return var_detail::unary(a, a.value() / b, 1.0 / b); }
inline Var operator/(double a, Var b) {
  const double y = b.value();
  return var_detail::unary(b, a / y, -a / (y * y));
}
inline Var operator-(Var a) { return var_detail::unary(a, -a.value(), -1.0); }

Var pow(Var a, Var b);
Var pow(Var a, double c);
Var pow(double a, Var b);
Var sin(Var a);
Var cos(Var a);
Var tan(Var a);
Var exp(Var a);
Var log(Var a);
Var sqrt(Var a);
Var abs(Var a);
Var tanh(Var a);
Var sigmoid(Var a);

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
