// Grisu2 as nlohmann/json implements it (detail/conversions/to_chars.hpp), with nlohmann's own
// pieces where they are not the cost: the cached powers, the rounding and the layout are its
// functions; the boundaries and the digit loop are its steps done faster, which must make the
// same choices (tests/cpp/number_text_test.cpp compares the two on a million bit patterns).
#include "json/number_text.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

namespace optlab {
namespace {

namespace dtoa = nlohmann::detail::dtoa_impl;

// d = p / 10^n and p = p mod 10^n, for n in [0, 9], each case with a constant divisor (which the
// compiler turns into a multiplication).
template <std::uint32_t P>
std::uint32_t take(std::uint32_t& p) {
  const std::uint32_t d = p / P;
  p -= d * P;
  return d;
}
std::uint32_t take_digit(std::uint32_t& p, int n) {
  switch (n) {
    case 9: return take<1000000000u>(p);
    case 8: return take<100000000u>(p);
    case 7: return take<10000000u>(p);
    case 6: return take<1000000u>(p);
    case 5: return take<100000u>(p);
    case 4: return take<10000u>(p);
    case 3: return take<1000u>(p);
    case 2: return take<100u>(p);
    case 1: return take<10u>(p);
    default: {
      const std::uint32_t d = p;
      p = 0;
      return d;
    }
  }
}

// The n decimal digits of p (10^(n-1) <= p < 10^n) at out, two at a time from the right.
void write_digits(char* out, std::uint32_t p, int n) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  char* q = out + n;
  while (p >= 100) {
    const std::uint32_t r = p % 100;
    p /= 100;
    q -= 2;
    q[0] = kPairs[2 * r];
    q[1] = kPairs[2 * r + 1];
  }
  if (p >= 10) {
    q[-2] = kPairs[2 * p];
    q[-1] = kPairs[2 * p + 1];
  } else {
    q[-1] = static_cast<char>('0' + p);
  }
}

constexpr std::uint32_t kPow10[10] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u};

// nlohmann's grisu2_digit_gen, step for step (its comments explain the method).
void digit_gen(char* buffer, int& length, int& decimal_exponent, dtoa::diyfp M_minus, dtoa::diyfp w,
               dtoa::diyfp M_plus) {
  std::uint64_t delta = dtoa::diyfp::sub(M_plus, M_minus).f;
  std::uint64_t dist = dtoa::diyfp::sub(M_plus, w).f;
  const int shift = -M_plus.e;
  const std::uint64_t one_f = std::uint64_t{1} << shift;
  auto p1 = static_cast<std::uint32_t>(M_plus.f >> shift);
  std::uint64_t p2 = M_plus.f & (one_f - 1);

  std::uint32_t unused = 0;
  int n = dtoa::find_largest_pow10(p1, unused);
  // The loop below stops early once rest = (p1 mod 10^n) 2^-e + p2 <= delta. rest never grows as
  // digits are taken (x mod 10^(n-1) <= x mod 10^n) and ends at p2, so when p2 > delta it cannot
  // stop: then all of p1's digits are written at once, two at a time (what a run's 16- and
  // 17-digit coordinates almost always take).
  if (p2 > delta) {
    write_digits(buffer + length, p1, n);
    length += n;
    n = 0;
  }
  while (n > 0) {
    --n;
    const std::uint32_t d = take_digit(p1, n);  // d = p1 div 10^n, p1 = p1 mod 10^n
    buffer[length++] = static_cast<char>('0' + d);
    const std::uint64_t rest = (std::uint64_t{p1} << shift) + p2;
    if (rest <= delta) {
      decimal_exponent += n;
      dtoa::grisu2_round(buffer, length, dist, delta, rest, std::uint64_t{kPow10[n]} << shift);
      return;
    }
  }
  int m = 0;
  for (;;) {
    p2 *= 10;
    const std::uint64_t d = p2 >> shift;
    p2 &= one_f - 1;
    buffer[length++] = static_cast<char>('0' + d);
    ++m;
    delta *= 10;
    dist *= 10;
    if (p2 <= delta) break;
  }
  decimal_exponent -= m;
  dtoa::grisu2_round(buffer, length, dist, delta, p2, one_f);
}

// diyfp::normalize in one shift (nlohmann shifts one bit at a time). Precondition: x.f != 0.
dtoa::diyfp normalize(dtoa::diyfp x) {
  const int zeros = __builtin_clzll(x.f);
  return dtoa::diyfp(x.f << zeros, x.e - zeros);
}

// nlohmann's compute_boundaries for a positive finite double, with the normalize above.
dtoa::boundaries compute_boundaries(double value) {
  constexpr int kPrecision = 53;
  constexpr int kBias = 1023 + (kPrecision - 1);
  constexpr int kMinExp = 1 - kBias;
  constexpr std::uint64_t kHiddenBit = std::uint64_t{1} << (kPrecision - 1);
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint64_t E = bits >> (kPrecision - 1);
  const std::uint64_t F = bits & (kHiddenBit - 1);
  const dtoa::diyfp v = E == 0 ? dtoa::diyfp(F, kMinExp) : dtoa::diyfp(F + kHiddenBit, static_cast<int>(E) - kBias);
  const bool lower_boundary_is_closer = F == 0 && E > 1;
  const dtoa::diyfp m_plus(2 * v.f + 1, v.e - 1);
  const dtoa::diyfp m_minus = lower_boundary_is_closer ? dtoa::diyfp(4 * v.f - 1, v.e - 2) : dtoa::diyfp(2 * v.f - 1, v.e - 1);
  const dtoa::diyfp w_plus = normalize(m_plus);
  const dtoa::diyfp w_minus = dtoa::diyfp::normalize_to(m_minus, w_plus.e);
  return {normalize(v), w_minus, w_plus};
}

// nlohmann's grisu2(buf, len, decimal_exponent, value) with the pieces above.
void grisu2(char* buf, int& len, int& decimal_exponent, double value) {
  const dtoa::boundaries b = compute_boundaries(value);
  const dtoa::cached_power cached = dtoa::get_cached_power_for_binary_exponent(b.plus.e);
  const dtoa::diyfp c_minus_k(cached.f, cached.e);
  const dtoa::diyfp w = dtoa::diyfp::mul(b.w, c_minus_k);
  const dtoa::diyfp w_minus = dtoa::diyfp::mul(b.minus, c_minus_k);
  const dtoa::diyfp w_plus = dtoa::diyfp::mul(b.plus, c_minus_k);
  const dtoa::diyfp M_minus(w_minus.f + 1, w_minus.e);
  const dtoa::diyfp M_plus(w_plus.f - 1, w_plus.e);
  decimal_exponent = -cached.k;
  digit_gen(buf, len, decimal_exponent, M_minus, w, M_plus);
}

// nlohmann's format_buffer, its commonest case (a point inside the digits: 1.4990000000000645)
// done here with a short byte loop instead of a call to memmove.
char* layout(char* buf, int k, int decimal_exponent) {
  const int n = k + decimal_exponent;  // digits before the point
  if (0 < n && n < k && n <= 15) {
    for (int i = k; i > n; --i) buf[i] = buf[i - 1];
    buf[n] = '.';
    return buf + k + 1;
  }
  return dtoa::format_buffer(buf, k, decimal_exponent, -4, 15);
}

}  // namespace

// nlohmann::detail::to_chars with the grisu2 and layout above.
char* write_number_text(char* first, double value) {
  if (std::signbit(value)) {
    value = -value;
    *first++ = '-';
  }
  if (value == 0) {
    *first++ = '0';
    *first++ = '.';
    *first++ = '0';
    return first;
  }
  int len = 0;
  int decimal_exponent = 0;
  grisu2(first, len, decimal_exponent, value);
  return layout(first, len, decimal_exponent);
}

}  // namespace optlab
