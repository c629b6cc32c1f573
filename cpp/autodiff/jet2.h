// Second-order forward-mode autodiff for functions of two variables: a Jet2 carries a value with
// its gradient and Hessian with respect to (x, y), and every operation applies the chain rule to
// all three at once. Exact to the rounding of float64, no finite differences. The landscapes' and
// formulas' code is written once for doubles, Vars and Jet2s (landscapes.cpp, expression.cpp), so
// the curvature is that of the very function the optimizers walk. Values use the same portable
// functions as var.h, so a Jet2's value equals the double evaluation bit for bit.
#pragma once

namespace optlab {

struct Jet2 {
  double v = 0.0;                       // f
  double gx = 0.0, gy = 0.0;            // ∂f/∂x, ∂f/∂y
  double hxx = 0.0, hxy = 0.0, hyy = 0.0;  // second derivatives (the Hessian is symmetric)

  static Jet2 x(double value) { return Jet2{value, 1.0, 0.0, 0.0, 0.0, 0.0}; }
  static Jet2 y(double value) { return Jet2{value, 0.0, 1.0, 0.0, 0.0, 0.0}; }
  double value() const { return v; }
};

namespace jet_detail {

// g(a) with g' = d1 and g'' = d2 at a.v.
inline Jet2 unary(const Jet2& a, double value, double d1, double d2) {
  return Jet2{value, d1 * a.gx, d1 * a.gy, d2 * a.gx * a.gx + d1 * a.hxx, d2 * a.gx * a.gy + d1 * a.hxy,
              d2 * a.gy * a.gy + d1 * a.hyy};
}

// g(a, b) with its first (fa, fb) and second (faa, fab, fbb) partial derivatives.
inline Jet2 binary(const Jet2& a, const Jet2& b, double value, double fa, double fb, double faa, double fab,
                   double fbb) {
  return Jet2{value,
              fa * a.gx + fb * b.gx,
              fa * a.gy + fb * b.gy,
              fa * a.hxx + fb * b.hxx + faa * a.gx * a.gx + 2.0 * fab * a.gx * b.gx + fbb * b.gx * b.gx,
              fa * a.hxy + fb * b.hxy + faa * a.gx * a.gy + fab * (a.gx * b.gy + a.gy * b.gx) + fbb * b.gx * b.gy,
              fa * a.hyy + fb * b.hyy + faa * a.gy * a.gy + 2.0 * fab * a.gy * b.gy + fbb * b.gy * b.gy};
}

// c·a, and a shifted by a constant: the derivatives scale or stay, no 0·inf from a constant's zeros.
inline Jet2 scaled(const Jet2& a, double value, double c) {
  return Jet2{value, c * a.gx, c * a.gy, c * a.hxx, c * a.hxy, c * a.hyy};
}
inline Jet2 shifted(const Jet2& a, double value) { return Jet2{value, a.gx, a.gy, a.hxx, a.hxy, a.hyy}; }

}  // namespace jet_detail

inline Jet2 operator+(const Jet2& a, const Jet2& b) { return jet_detail::binary(a, b, a.v + b.v, 1, 1, 0, 0, 0); }
inline Jet2 operator-(const Jet2& a, const Jet2& b) { return jet_detail::binary(a, b, a.v - b.v, 1, -1, 0, 0, 0); }
inline Jet2 operator*(const Jet2& a, const Jet2& b) { return jet_detail::binary(a, b, a.v * b.v, b.v, a.v, 0, 1, 0); }
inline Jet2 operator/(const Jet2& a, const Jet2& b) {
  const double r = 1.0 / b.v;
  return jet_detail::binary(a, b, a.v / b.v, r, -a.v * r * r, 0, -r * r, 2.0 * a.v * r * r * r);
}
inline Jet2 operator+(const Jet2& a, double b) { return jet_detail::shifted(a, a.v + b); }
inline Jet2 operator+(double a, const Jet2& b) { return jet_detail::shifted(b, a + b.v); }
inline Jet2 operator-(const Jet2& a, double b) { return jet_detail::shifted(a, a.v - b); }
inline Jet2 operator-(double a, const Jet2& b) { return jet_detail::scaled(b, a - b.v, -1.0); }
inline Jet2 operator*(const Jet2& a, double b) { return jet_detail::scaled(a, a.v * b, b); }
inline Jet2 operator*(double a, const Jet2& b) { return jet_detail::scaled(b, a * b.v, a); }
inline Jet2 operator/(const Jet2& a, double b) { return jet_detail::scaled(a, a.v / b, 1.0 / b); }
inline Jet2 operator/(double a, const Jet2& b) {
  const double r = 1.0 / b.v;
  return jet_detail::unary(b, a / b.v, -a * r * r, 2.0 * a * r * r * r);
}
inline Jet2 operator-(const Jet2& a) { return jet_detail::scaled(a, -a.v, -1.0); }

// The derivatives follow torch's conventions where var.h does (pow at a zero exponent or base,
// abs at 0).
Jet2 pow(const Jet2& a, const Jet2& b);
Jet2 pow(const Jet2& a, double c);
Jet2 pow(double a, const Jet2& b);
Jet2 sin(const Jet2& a);
Jet2 cos(const Jet2& a);
Jet2 tan(const Jet2& a);
Jet2 exp(const Jet2& a);
Jet2 log(const Jet2& a);
Jet2 sqrt(const Jet2& a);
Jet2 abs(const Jet2& a);
Jet2 tanh(const Jet2& a);
Jet2 sigmoid(const Jet2& a);

}  // namespace optlab
