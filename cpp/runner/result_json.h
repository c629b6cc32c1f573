// Writes an ExperimentResult as the result JSON of experiment.md. Numbers are printed as Grisu2's
// digits (json/number_text.h: they read back to the same double, and are the shortest such form
// for all but ~0.1% of doubles) and non-finite ones as null; native and wasm print the same bytes.
#pragma once

#include <string>

#include "runner/experiment.h"

namespace optlab {

std::string result_to_json(const ExperimentResult& result);

// Appends one double's text (as above), or null if it is not finite.
void append_number(std::string& out, double value);

}  // namespace optlab
