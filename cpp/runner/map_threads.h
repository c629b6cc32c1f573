// run_map: every cell of a map on several threads (native builds only; see map_threads.cpp).
#pragma once

#include <vector>

#include "runner/map.h"

namespace optlab {

// Every cell's row, in cell order, on `threads` threads (each takes the next cell not yet taken,
// and a cell depends on nothing but its index: the rows are the same for any count).
std::vector<double> run_map(const MapSpec& map, int threads);

}  // namespace optlab
