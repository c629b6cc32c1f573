// Two doubles as one value, for the hot loops that may be vectorised (matrix products, network
// activations): GCC and clang vector extensions, SSE2 natively and simd128 in wasm. Every
// arithmetic operation acts lane by lane, one IEEE operation per lane, so a lane computes exactly
// what the scalar code would: vectorising across independent results changes no bit.
#pragma once

#include <cstdint>
#include <cstring>

namespace optlab::lanes {

typedef double V2 __attribute__((vector_size(16)));
// The same 16 bytes as integers; a cast between V2 and I2 reinterprets the bits.
typedef std::int64_t I2 __attribute__((vector_size(16)));

inline V2 load2(const double* p) {
  V2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store2(double* p, V2 v) { std::memcpy(p, &v, sizeof v); }

}  // namespace optlab::lanes
