// Grisu2 as nlohmann/json implements it (detail/conversions/to_chars.hpp), with nlohmann's own
// pieces where they are not the cost: the cached powers, the rounding and the layout are its
// functions; the boundaries, the products and the digit loop are its steps done faster (natively,
// the common case without the loop), which must make the same choices
// (tests/cpp/number_text_test.cpp compares the two on a million bit patterns and more).
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

// "00", "01", ..., "99": two digits at a time.
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The n decimal digits of p (10^(n-1) <= p < 10^n) at out, two at a time from the right.
void write_digits(char* out, std::uint32_t p, int n) {
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

// Where the machine multiplies 64 x 64 -> 128 bits in one instruction, the digits of the common
// case are found without the digit loop (all_digits_at_once). In wasm that product and the 64-bit
// divisions below are calls or hardware divisions, and the loop is faster: it keeps the loop.
#if defined(__SIZEOF_INT128__) && (defined(__x86_64__) || defined(__aarch64__))
#define OPTLAB_NUMBER_TEXT_128 1

constexpr std::uint64_t pow10_64(int k) { return k == 0 ? 1 : 10 * pow10_64(k - 1); }
constexpr std::uint64_t kPow10_64[20] = {
    pow10_64(0),  pow10_64(1),  pow10_64(2),  pow10_64(3),  pow10_64(4),  pow10_64(5),  pow10_64(6),
    pow10_64(7),  pow10_64(8),  pow10_64(9),  pow10_64(10), pow10_64(11), pow10_64(12), pow10_64(13),
    pow10_64(14), pow10_64(15), pow10_64(16), pow10_64(17), pow10_64(18), pow10_64(19)};

// The 8 decimal digits of p < 10^8 at out, leading zeros included, without a branch.
void write8(char* out, std::uint32_t p) {
  const std::uint32_t high = p / 10000, low = p - high * 10000;
  const std::uint32_t h1 = high / 100, l1 = low / 100;
  std::memcpy(out, kPairs + 2 * h1, 2);
  std::memcpy(out + 2, kPairs + 2 * (high - h1 * 100), 2);
  std::memcpy(out + 4, kPairs + 2 * l1, 2);
  std::memcpy(out + 6, kPairs + 2 * (low - l1 * 100), 2);
}

// The 20 decimal digits of p (leading zeros included) at out.
void write20(char* out, std::uint64_t p) {
  const std::uint64_t top = p / 10000000000000000u;  // < 1845
  const std::uint64_t rest = p - top * 10000000000000000u;
  const std::uint64_t middle = rest / 100000000u;
  write8(out + 12, static_cast<std::uint32_t>(rest - middle * 100000000u));
  write8(out + 4, static_cast<std::uint32_t>(middle));
  const std::uint32_t t = static_cast<std::uint32_t>(top), t1 = t / 100;
  std::memcpy(out, kPairs + 2 * t1, 2);
  std::memcpy(out + 2, kPairs + 2 * (t - t1 * 100), 2);
}

// The common case of the digit loop below, when p1's digits are all taken (rest > delta at
// every one of them), without the loop. The fraction loop takes digit m of p2 10^m / 2^shift and
// stops at the first m where what is left, p2_m = p2 10^m mod 2^shift, is <= delta 10^m. Let K+1
// be the smallest count with delta 10^(K+1) >= 2^shift: the loop has stopped by then
// (p2_m < 2^shift). With P = p2 10^(K+1) = N 2^shift + R, what is left after m <= K+1 digits, scaled
// by 10^(K+1-m), is X_m = (N mod 10^(K+1-m)) 2^shift + R, and the loop's test reads
// X_m <= delta 10^(K+1): X_m only falls as m grows, so the stop is at K+1 unless X_K passes, and
// at K unless X_(K-1) does (a chance below 10%: then this returns false and the loop runs).
// The digits, the rounding and the text are then done on the integer p1 10^m + N.
bool all_digits_at_once(char* buffer, int& length, int& decimal_exponent, char*& text_end, std::uint32_t p1, int n,
                        std::uint64_t p2, std::uint64_t delta, std::uint64_t dist, int shift) {
  const std::uint64_t one_f = std::uint64_t{1} << shift;
  const int bits = 64 - __builtin_clzll(delta);  // 2^(bits-1) <= delta < 2^bits <= 2^shift
  int K = ((shift - bits) * 1233) >> 12;         // floor((shift - bits) log10 2): delta 10^K < 2^shift
  if (K > 15) return false;                      // never for a double's boundaries (delta >= 2^10)
  if (delta * kPow10_64[K + 1] < one_f) ++K;     // now K is the largest such count
  const unsigned __int128 P = static_cast<unsigned __int128>(p2) * kPow10_64[K + 1];  // < 2^117
  std::uint64_t N = static_cast<std::uint64_t>(P >> shift);
  const std::uint64_t R = static_cast<std::uint64_t>(P) & (one_f - 1);
  const std::uint64_t delta_1 = delta * kPow10_64[K + 1];  // < 10 2^60: no overflow
  // X_m > delta_1 <=> (N mod 10^(K+1-m)) 2^shift > delta_1 - R (R < 2^shift <= delta_1).
  const std::uint64_t slack = (delta_1 - R) >> shift;
  int m = K + 1;
  std::uint64_t rest = R;
  if (N % 10 <= slack) {
    if (N % 100 <= slack) return false;
    // The stop is at digit K: what is left is X_K / 10.
    m = K;
    rest = (((N % 10) << shift) + R) / 10;  // exact: X_K = 10 p2_K (< 10 2^60: no overflow)
    N /= 10;
    delta = delta_1 / 10;
  } else {
    delta = delta_1;
  }
  if (n + m > 19) return false;
  dist *= kPow10_64[m];
  N += static_cast<std::uint64_t>(p1) * kPow10_64[m];
  // nlohmann's grisu2_round on the integer (its last digit is never 0 when it steps down).
  while (rest < dist && delta - rest >= one_f && (rest + one_f < dist || dist - rest > rest + one_f - dist)) {
    --N;
    rest += one_f;
  }
  length = n + m;
  decimal_exponent -= m;
  char digits[48];
  write20(digits, N);
  std::memset(digits + 20, 0, sizeof digits - 20);  // read by the fixed-size copy below
  const char* first = digits + 20 - length;
  const int point = length + decimal_exponent;  // digits before the point
  if (0 < point && point < length && point <= 15) {
    // nlohmann's layout "dig.its" (layout() below), in three copies of fixed size: buffer has
    // room for kMaxNumberText bytes, and what lies past the text is scratch.
    std::memcpy(buffer, first, 16);
    buffer[point] = '.';
    std::memcpy(buffer + point + 1, first + point, 20);
    text_end = buffer + length + 1;
  } else {
    std::memcpy(buffer, first, 20);
  }
  return true;
}

#endif  // OPTLAB_NUMBER_TEXT_128

// nlohmann's grisu2_digit_gen, step for step (its comments explain the method).
// text_end is set when the text is complete (laid out), else the digits are left for layout().
void digit_gen(char* buffer, int& length, int& decimal_exponent, char*& text_end, dtoa::diyfp M_minus, dtoa::diyfp w,
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
#ifdef OPTLAB_NUMBER_TEXT_128
    if (all_digits_at_once(buffer, length, decimal_exponent, text_end, p1, n, p2, delta, dist, shift)) return;
#else
    (void)text_end;
#endif
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

// nlohmann's diyfp::mul (the high 64 bits of x y, rounded half up from bit 63 of the 32-bit
// partial products' sum) as one 128-bit product where the machine has one: ((x y >> 32) + 2^31)
// >> 32 is the same number. In wasm, where a 128-bit product is a call, nlohmann's own.
dtoa::diyfp mul(const dtoa::diyfp& x, const dtoa::diyfp& y) {
#ifdef OPTLAB_NUMBER_TEXT_128
  const unsigned __int128 p = static_cast<unsigned __int128>(x.f) * y.f;
  return dtoa::diyfp(static_cast<std::uint64_t>(((p >> 32) + (std::uint64_t{1} << 31)) >> 32), x.e + y.e + 64);
#else
  return dtoa::diyfp::mul(x, y);
#endif
}

// nlohmann's grisu2(buf, len, decimal_exponent, value) with the pieces above.
void grisu2(char* buf, int& len, int& decimal_exponent, char*& text_end, double value) {
  const dtoa::boundaries b = compute_boundaries(value);
  const dtoa::cached_power cached = dtoa::get_cached_power_for_binary_exponent(b.plus.e);
  const dtoa::diyfp c_minus_k(cached.f, cached.e);
  const dtoa::diyfp w = mul(b.w, c_minus_k);
  const dtoa::diyfp w_minus = mul(b.minus, c_minus_k);
  const dtoa::diyfp w_plus = mul(b.plus, c_minus_k);
  const dtoa::diyfp M_minus(w_minus.f + 1, w_minus.e);
  const dtoa::diyfp M_plus(w_plus.f - 1, w_plus.e);
  decimal_exponent = -cached.k;
  digit_gen(buf, len, decimal_exponent, text_end, M_minus, w, M_plus);
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
  char* text_end = nullptr;
  grisu2(first, len, decimal_exponent, text_end, value);
  return text_end ? text_end : layout(first, len, decimal_exponent);
}

}  // namespace optlab
