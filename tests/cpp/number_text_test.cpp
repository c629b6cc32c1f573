// The result printer (json/number_text.h, behind result_json.h's append_number): the same bytes
// as nlohmann's to_chars (what results were printed with before, and what json::dump() prints),
// and text that reads back to the same double, on a million random bit patterns and on the kinds
// of numbers results are made of.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "json/number_text.h"
#include "runner/result_json.h"

namespace optlab {
namespace {

std::string ours(double v) {
  char buf[kMaxNumberText];
  return std::string(buf, write_number_text(buf, v));
}

std::string nlohmanns(double v) {
  char buf[64];
  return std::string(buf, nlohmann::detail::to_chars(buf, buf + sizeof buf, v));
}

double from_bits(std::uint64_t u) {
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

std::uint64_t bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

// Checks one value; returns false (after one readable failure) so a loop can stop early.
bool same_and_round_trips(double v) {
  const std::string text = ours(v);
  if (text != nlohmanns(v)) {
    ADD_FAILURE() << "bits " << std::hex << bits(v) << ": ours " << text << ", nlohmann " << nlohmanns(v);
    return false;
  }
  if (static_cast<int>(text.size()) > kLongestNumberText) {
    ADD_FAILURE() << text << " is longer than kLongestNumberText";
    return false;
  }
  const double back = std::strtod(text.c_str(), nullptr);
  if (bits(back) != bits(v)) {
    ADD_FAILURE() << text << " reads back as another double (bits " << std::hex << bits(v) << ")";
    return false;
  }
  return true;
}

TEST(NumberText, MillionRandomBitPatternsMatchNlohmannAndRoundTrip) {
  std::mt19937_64 rng(20261207);
  int checked = 0;
  while (checked < 1000000) {
    const double v = from_bits(rng());
    if (!std::isfinite(v)) continue;
    ASSERT_TRUE(same_and_round_trips(v));
    ++checked;
  }
}

// Values like a run's: coordinates and losses of moderate size with 15 to 17 significant digits,
// step sizes, tiny gradients.
TEST(NumberText, TrajectoryLikeValuesMatchNlohmannAndRoundTrip) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(-3.0, 3.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 300000; ++i) {
    ASSERT_TRUE(same_and_round_trips(unit(rng)));
    ASSERT_TRUE(same_and_round_trips(std::ldexp(unit(rng), exponent(rng))));
  }
}

// Short decimals and their neighbours one ulp away: where the digits stop early, a digit is
// rounded down, or the interval holds several candidates of the same length.
TEST(NumberText, ShortDecimalsAndNeighboursMatchNlohmannAndRoundTrip) {
  const double inf = std::numeric_limits<double>::infinity();
  for (long n = 1; n < 200000; n += 3) {
    for (const double scale : {1e-3, 1e-7, 0.1, 1e5, 1e12}) {
      const double v = static_cast<double>(n) * scale;
      ASSERT_TRUE(same_and_round_trips(v));
      ASSERT_TRUE(same_and_round_trips(std::nextafter(v, inf)));
      ASSERT_TRUE(same_and_round_trips(std::nextafter(v, -inf)));
    }
  }
}

TEST(NumberText, SpecialCasesMatchNlohmann) {
  const double cases[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 2.0, 10.0, 100.0, 1e15, 1e16, 1e17, 1e-4, 1e-5,
                          123456789012345678.0, 0.000123, 1.4990000000000645, 5e-324, -5e-324,
                          std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                          -std::numeric_limits<double>::max(), std::numeric_limits<double>::epsilon(),
                          9007199254740992.0, 9007199254740993.0, 4294967295.0, 4294967296.0, 1e308, 1e-308};
  for (double v : cases) EXPECT_TRUE(same_and_round_trips(v)) << v;
  for (int e = -1074; e <= 1023; ++e) ASSERT_TRUE(same_and_round_trips(std::ldexp(1.0, e)));
  for (int k = -320; k <= 308; ++k) ASSERT_TRUE(same_and_round_trips(std::pow(10.0, k)));
  for (long n = 1; n < 100000; n += 7) ASSERT_TRUE(same_and_round_trips(static_cast<double>(n)));
}

TEST(NumberText, AppendNumberWritesNullForNonFinite) {
  std::string out = "[";
  append_number(out, std::numeric_limits<double>::quiet_NaN());
  out += ',';
  append_number(out, -std::numeric_limits<double>::infinity());
  out += ',';
  append_number(out, 0.25);
  EXPECT_EQ(out, "[null,null,0.25");
}

}  // namespace
}  // namespace optlab
