// Writes an ExperimentResult as the result JSON of experiment.md. Numbers are printed in their
// shortest round-trip form (they read back to the same double) and non-finite ones as null; the
// same code runs natively and in wasm, so both print the same bytes.
#pragma once

#include <string>

#include "runner/experiment.h"

namespace optlab {

std::string result_to_json(const ExperimentResult& result);

// Appends one double in shortest round-trip form, or null if it is not finite.
void append_number(std::string& out, double value);

}  // namespace optlab
