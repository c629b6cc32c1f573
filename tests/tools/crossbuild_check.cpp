// Cross-build check: prints one line per function with a hash of its results on many inputs, for
// the portable functions (math/portable.h), for the C library's, and for a small network's
// forward and backward pass through autodiff/matrix. Built natively and with em++, the pm and
// mlp lines must be identical; the libc lines show why pm exists (glibc and musl differ).
//
//   FLAGS="-std=c++17 -O2 -ffp-contract=off -DEIGEN_DONT_VECTORIZE -Icpp -I/usr/include/eigen3"
//   SRC="tests/tools/crossbuild_check.cpp cpp/math/portable.cpp cpp/autodiff/matrix.cpp cpp/autodiff/tape.cpp"
//   g++ $FLAGS $SRC -o /tmp/crossbuild_native
//   em++ $FLAGS -msimd128 -sENVIRONMENT=node $SRC -o /tmp/crossbuild.js
//   diff <(/tmp/crossbuild_native | grep -v libc) <(node --no-experimental-fetch /tmp/crossbuild.js | grep -v libc)
// (node 20's fetch() cannot load a file path, which Emscripten 3.1.6 tries first.)
//
// Inputs are made from integers only (splitmix64, bit patterns), never from <random>'s
// distributions, whose algorithms differ between libstdc++ and libc++.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "autodiff/matrix.h"
#include "math/portable.h"

namespace {

using optlab::Mat;
using optlab::MatrixTape;

std::uint64_t bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
double from_bits(std::uint64_t u) {
  double x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

std::uint64_t g_state = 0x0123456789abcdefULL;
std::uint64_t next() {  // splitmix64
  std::uint64_t z = (g_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A random double with exponent uniform in [lo, hi] (so every magnitude gets its share), random
// significand and, if signed, random sign: built from bits, exact in every build.
double magnitude(int lo, int hi, bool is_signed) {
  const std::uint64_t e = static_cast<std::uint64_t>(lo + static_cast<int>(next() % (hi - lo + 1)) + 1023);
  const std::uint64_t sign = is_signed ? (next() >> 63) << 63 : 0;
  return from_bits(sign | (e << 52) | (next() >> 12));
}

struct Hash {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  void add(double v) {
    // NaN payloads and signs are not specified by IEEE 754 for computed NaNs: hash one NaN.
    const std::uint64_t u = std::isnan(v) ? 0x7ff8000000000000ULL : bits(v);
    for (int i = 0; i < 8; ++i) {
      h ^= (u >> (8 * i)) & 0xff;
      h *= 0x100000001b3ULL;
    }
  }
};

struct Inputs {
  int lo, hi;  // exponent range
  bool is_signed;
};

const double kSpecials[] = {0.0, -0.0, 1.0, -1.0, INFINITY, -INFINITY, NAN, 0.5, 2.0, 1e-310, -1e-310,
                            709.78, 709.79, -745.1, -746.0, 22.0, 40.0, 1.5707963267948966, 3.141592653589793};

template <class Pm, class Libc>
void check(const char* name, Inputs in, Pm pm, Libc libc) {
  const int n = 200000;
  Hash hp, hc;
  long differ = 0;
  for (int i = 0; i < n + static_cast<int>(sizeof kSpecials / sizeof *kSpecials); ++i) {
    double x;
    if (i < n / 10) x = from_bits(next());  // any bit pattern: NaNs, infinities, subnormals
    else if (i < n) x = magnitude(in.lo, in.hi, in.is_signed);
    else x = kSpecials[i - n];
    const double a = pm(x), b = libc(x);
    hp.add(a);
    hc.add(b);
    if (bits(a) != bits(b) && !(std::isnan(a) && std::isnan(b))) ++differ;
  }
  std::printf("pm   %-8s %016llx\n", name, static_cast<unsigned long long>(hp.h));
  std::printf("libc %-8s %016llx  (pm differs from this libc on %ld of %d)\n", name,
              static_cast<unsigned long long>(hc.h), differ, n);
}

void check_pow() {
  Hash hp, hc;
  long differ = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double x, y;
    switch (i % 4) {
      case 0: x = from_bits(next()), y = from_bits(next()); break;                  // anything
      case 1: x = magnitude(-20, 20, false), y = magnitude(-10, 8, true); break;     // ordinary
      case 2: x = magnitude(-20, 20, true), y = std::floor(magnitude(0, 7, true)); break;  // integer y
      default: x = 0.9 + (next() >> 11) * 0x1p-53 * 0.0999, y = static_cast<double>(1 + next() % 100000);
    }
    const double a = optlab::pm::pow(x, y), b = std::pow(x, y);
    hp.add(a);
    hc.add(b);
    if (bits(a) != bits(b) && !(std::isnan(a) && std::isnan(b))) ++differ;
  }
  std::printf("pm   %-8s %016llx\n", "pow", static_cast<unsigned long long>(hp.h));
  std::printf("libc %-8s %016llx  (pm differs from this libc on %ld of %d)\n", "pow",
              static_cast<unsigned long long>(hc.h), differ, n);
}

// A 2-64-64-1 tanh network on 512 points, forward and backward: products, reductions and the
// elementwise functions of autodiff/matrix.cpp. Eigen must not vectorise or block by cache size.
void check_mlp() {
  const auto fill = [](Eigen::Index rows, Eigen::Index cols, double scale) {
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * ((next() >> 11) * 0x1p-52 - 1.0);
    return m;
  };
  const Eigen::MatrixXd X = fill(512, 2, 2), Y = fill(512, 1, 1), W1 = fill(2, 64, 0.7), b1 = fill(1, 64, 0.1),
                        W2 = fill(64, 64, 0.125), b2 = fill(1, 64, 0.1), W3 = fill(64, 1, 0.125),
                        b3 = fill(1, 1, 0.1);
  MatrixTape tape;
  Hash h;
  for (const char* loss : {"mse", "bce", "softmax"}) {
    tape.reset();
    const Mat x = optlab::input(tape, X), y = optlab::input(tape, Y);
    const Mat w1 = optlab::parameter(tape, W1), c1 = optlab::parameter(tape, b1);
    const Mat w2 = optlab::parameter(tape, W2), c2 = optlab::parameter(tape, b2);
    const Mat w3 = optlab::parameter(tape, W3), c3 = optlab::parameter(tape, b3);
    const Mat h1 = optlab::tanh(optlab::add_bias(optlab::matmul(x, w1), c1));
    const Mat h2 = optlab::sigmoid(optlab::add_bias(optlab::matmul(h1, w2), c2));
    const Mat out = optlab::add_bias(optlab::matmul(h2, w3), c3);
    Mat l;
    if (loss == std::string("mse")) l = optlab::mse_loss(out, y);
    else if (loss == std::string("bce")) l = optlab::bce_with_logits(out, optlab::input(tape, (Y.array() > 0).cast<double>().matrix()));
    else {
      std::vector<int> labels(512);
      for (int i = 0; i < 512; ++i) labels[i] = static_cast<int>(next() % 64);
      l = optlab::softmax_cross_entropy(h2, labels);
    }
    tape.backward(l);
    h.add(l.value()(0, 0));
    for (const Mat m : {w1, c1, w2, c2, w3, c3})
      for (Eigen::Index i = 0; i < m.grad().size(); ++i) h.add(m.grad().data()[i]);
  }
  std::printf("mlp  %-8s %016llx\n", "fwd+bwd", static_cast<unsigned long long>(h.h));
}

}  // namespace

int main() {
  namespace pm = optlab::pm;
  check("exp", {-12, 10, true}, pm::exp, [](double x) { return std::exp(x); });
  check("expm1", {-60, 6, true}, pm::expm1, [](double x) { return std::expm1(x); });
  check("log", {-1022, 1023, false}, pm::log, [](double x) { return std::log(x); });
  check("log1p", {-60, 60, true}, pm::log1p, [](double x) { return std::log1p(x); });
  check("sin", {-30, 60, true}, pm::sin, [](double x) { return std::sin(x); });
  check("cos", {-30, 60, true}, pm::cos, [](double x) { return std::cos(x); });
  check("tan", {-30, 60, true}, pm::tan, [](double x) { return std::tan(x); });
  check("tanh", {-30, 5, true}, pm::tanh, [](double x) { return std::tanh(x); });
  check("sigmoid", {-30, 10, true}, pm::sigmoid, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
  check_pow();
  check_mlp();
  return 0;
}
