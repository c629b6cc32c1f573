#include "autodiff/jet2.h"

#include <cmath>

#include "math/portable.h"

namespace optlab {

using jet_detail::binary;
using jet_detail::unary;

// As var.h: a zero exponent has zero derivative (even where a^(c-1) is infinite); x^1 has none
// of second order.
Jet2 pow(const Jet2& a, double c) {
  const double x = a.v;
  const double d1 = c == 0.0 ? 0.0 : c * pm::pow(x, c - 1.0);
  const double d2 = (c == 0.0 || c == 1.0) ? 0.0 : c * (c - 1.0) * pm::pow(x, c - 2.0);
  return unary(a, pm::pow(x, c), d1, d2);
}

// a^b: the terms in ln a are 0 where a = 0 and b >= 0 (torch's convention, as var.h).
Jet2 pow(const Jet2& a, const Jet2& b) {
  const double x = a.v, y = b.v;
  const double v = pm::pow(x, y);
  const bool zero_base = x == 0.0 && y >= 0.0;
  const double ln = zero_base ? 0.0 : pm::log(x);
  const double fa = y == 0.0 ? 0.0 : y * pm::pow(x, y - 1.0);
  const double faa = (y == 0.0 || y == 1.0) ? 0.0 : y * (y - 1.0) * pm::pow(x, y - 2.0);
  const double fab = zero_base ? 0.0 : pm::pow(x, y - 1.0) * (1.0 + y * ln);
  return binary(a, b, v, fa, v * ln, faa, fab, v * ln * ln);
}

Jet2 pow(double a, const Jet2& b) {
  const double v = pm::pow(a, b.v);
  const double ln = (a == 0.0 && b.v >= 0.0) ? 0.0 : pm::log(a);
  return unary(b, v, v * ln, v * ln * ln);
}

Jet2 sin(const Jet2& a) {
  const double s = pm::sin(a.v);
  return unary(a, s, pm::cos(a.v), -s);
}
Jet2 cos(const Jet2& a) {
  const double c = pm::cos(a.v);
  return unary(a, c, -pm::sin(a.v), -c);
}
Jet2 tan(const Jet2& a) {
  const double t = pm::tan(a.v);
  const double d1 = 1.0 + t * t;
  return unary(a, t, d1, 2.0 * t * d1);
}
Jet2 exp(const Jet2& a) {
  const double e = pm::exp(a.v);
  return unary(a, e, e, e);
}
Jet2 log(const Jet2& a) {
  const double r = 1.0 / a.v;
  return unary(a, pm::log(a.v), r, -r * r);
}
Jet2 sqrt(const Jet2& a) {
  const double s = std::sqrt(a.v);
  return unary(a, s, 1.0 / (2.0 * s), -0.25 / (s * s * s));
}
// Piecewise linear: sign(x) as torch's first derivative (0 at 0), no second derivative.
Jet2 abs(const Jet2& a) {
  const double x = a.v;
  return unary(a, std::fabs(x), x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0), 0.0);
}
Jet2 tanh(const Jet2& a) {
  const double t = pm::tanh(a.v);
  const double d1 = 1.0 - t * t;
  return unary(a, t, d1, -2.0 * t * d1);
}
Jet2 sigmoid(const Jet2& a) {
  const double s = pm::sigmoid(a.v);
  const double d1 = s * (1.0 - s);
  return unary(a, s, d1, d1 * (1.0 - 2.0 * s));
}

}  // namespace optlab
