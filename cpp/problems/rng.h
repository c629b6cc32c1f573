// The one seeded random number generator: every random choice in OptLab (gradient noise,
// datasets, initial weights, mini-batches) draws from it, so a seed gives the same numbers in the
// native build and in WebAssembly. It uses integer arithmetic, IEEE-exact double operations
// (+ - * / sqrt) and the portable logarithm pm::log: the C libraries' log, like their sin and
// cos, differ in the last bit on rare inputs (glibc natively against musl in wasm).
//
// xoshiro256** (Blackman & Vigna) seeded through splitmix64. A generator is made for a triple
// (seed, stream, counter) hashed into the state, so a draw can depend on a step number alone:
// the noise of step k is Rng(seed, stream, k), whatever was drawn before in this process.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "math/portable.h"

namespace optlab {

// ln(x), the same bits in every build: now math/portable.h's pm::log (this name is kept for
// existing callers).
inline double portable_log(double x) { return pm::log(x); }

// Streams keep unrelated uses of one seed apart: the noise of step 3 and the third dataset point
// must not be the same numbers.
enum class RngStream : std::uint64_t {
  kGradientNoise = 1,
  kDataset = 2,
  kInitialWeights = 3,
  kMiniBatch = 4,
  kPlaneDirections = 5,
  kFitData = 6,
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0, std::uint64_t counter = 0) {
    // mix is a bijection, so for a fixed seed distinct (stream, counter) give distinct keys.
    std::uint64_t key = mix(mix(mix(seed) + stream) + counter);
    for (std::uint64_t& word : s_) {
      key += kGolden;  // splitmix64: four outputs never all zero, as xoshiro requires
      word = mix(key);
    }
  }
  Rng(std::uint64_t seed, RngStream stream, std::uint64_t counter = 0)
      : Rng(seed, static_cast<std::uint64_t>(stream), counter) {}

  // xoshiro256**: the next 64 random bits.
  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1): the top 53 bits scaled by 2^-53, exact in every build.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Uniform integer in [0, n), without modulo bias (rejects the short top range).
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) throw std::invalid_argument("Rng::below: n must be > 0");
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next_u64();
      if (r >= threshold) return r % n;
    }
  }

  // Standard normal by the Marsaglia polar method: each accepted pair gives two draws, the
  // second kept for the next call. Acceptance is pi/4, so the loop ends after ~1.3 tries.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * pm::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

 private:
  static constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

  // splitmix64's output function.
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace optlab
