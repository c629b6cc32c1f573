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

  double value() const { return tape->value(index); }
};

inline Var variable(Tape& tape, double value) { return Var{&tape, tape.leaf(value)}; }

Var operator+(Var a, Var b);
Var operator-(Var a, Var b);
Var operator*(Var a, Var b);
Var operator/(Var a, Var b);
Var operator+(Var a, double b);
Var operator+(double a, Var b);
Var operator-(Var a, double b);
Var operator-(double a, Var b);
Var operator*(Var a, double b);
Var operator*(double a, Var b);
Var operator/(Var a, double b);
Var operator/(double a, Var b);
Var operator-(Var a);

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
