#include "autodiff/var.h"

#include <cmath>

#include "math/portable.h"

namespace optlab {

using var_detail::binary;
using var_detail::unary;

// As torch: a zero exponent has zero derivative (even where a^(c-1) is infinite).
Var pow(Var a, double c) {
  const double x = a.value();
  return unary(a, pm::pow(x, c), c == 0.0 ? 0.0 : c * pm::pow(x, c - 1.0));
}

// d/db a^b = a^b ln a, taken as 0 where a = 0 and b >= 0 (torch's convention).
Var pow(Var a, Var b) {
  const double x = a.value(), y = b.value();
  const double v = pm::pow(x, y);
  const double da = y == 0.0 ? 0.0 : y * pm::pow(x, y - 1.0);
  const double db = (x == 0.0 && y >= 0.0) ? 0.0 : v * pm::log(x);
  return binary(a, b, v, da, db);
}

Var pow(double a, Var b) {
  const double y = b.value();
  const double v = pm::pow(a, y);
  return unary(b, v, (a == 0.0 && y >= 0.0) ? 0.0 : v * pm::log(a));
}

Var sin(Var a) { return unary(a, pm::sin(a.value()), pm::cos(a.value())); }
Var cos(Var a) { return unary(a, pm::cos(a.value()), -pm::sin(a.value())); }
Var tan(Var a) {
  const double t = pm::tan(a.value());
  return unary(a, t, 1.0 + t * t);
}
Var exp(Var a) {
  const double e = pm::exp(a.value());
  return unary(a, e, e);
}
Var log(Var a) { return unary(a, pm::log(a.value()), 1.0 / a.value()); }
Var sqrt(Var a) {
  const double s = std::sqrt(a.value());
  return unary(a, s, 1.0 / (2.0 * s));
}
Var abs(Var a) {
  const double x = a.value();
  return unary(a, std::fabs(x), x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0));
}
Var tanh(Var a) {
  const double t = pm::tanh(a.value());
  return unary(a, t, 1.0 - t * t);
}
// pm::sigmoid never takes exp of a large positive number, so nothing overflows.
Var sigmoid(Var a) {
  const double x = a.value();
  const double s = pm::sigmoid(x);
  return unary(a, s, s * (1.0 - s));
}

}  // namespace optlab
