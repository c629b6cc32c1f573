// A finite double as JSON text: the digits nlohmann's dump() prints (Grisu2: digits that read
// back to the same double, in nlohmann's layout, e.g. 0.1, 1e-05, 1.4990000000000645, -0.0), byte
// for byte, the same in every build. Faster than nlohmann::detail::to_chars because its integer
// digits are divided out by constants, not by a power of ten held in a variable (a hardware
// division per digit was most of the cost of writing a result).
#pragma once

namespace optlab {

// The room write_number_text needs: the longest text a finite double can take here is 24 bytes
// ("-1.2345678901234567e-308"); the rest is scratch (it copies digits in blocks of fixed size).
constexpr int kLongestNumberText = 24;
constexpr int kMaxNumberText = 48;

// Writes value's text at first (room for kMaxNumberText bytes, all of which it may overwrite)
// and returns the end.
// Precondition: value is finite.
char* write_number_text(char* first, double value);

}  // namespace optlab
