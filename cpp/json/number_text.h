// A finite double as JSON text: the digits nlohmann's dump() prints (Grisu2: digits that read
// back to the same double, in nlohmann's layout, e.g. 0.1, 1e-05, 1.4990000000000645, -0.0), byte
// for byte, the same in every build. Faster than nlohmann::detail::to_chars because its integer
// digits are divided out by constants, not by a power of ten held in a variable (a hardware
// division per digit was most of the cost of writing a result).
#pragma once

namespace optlab {

// The longest text a finite double can take here ("-1.2345678901234567e-308" is 24 bytes).
constexpr int kMaxNumberText = 32;

// Writes value's text at first (room for kMaxNumberText bytes) and returns the end.
// Precondition: value is finite.
char* write_number_text(char* first, double value);

}  // namespace optlab
