// Everything the page needs to build its controls and checks, in one JSON object, so that it keeps
// no second list: the optimizers (hyperparameters, defaults, ranges), the landscapes, the datasets
// (parameters, defaults, ranges), the activations and losses, and every limit the core enforces,
// each read from the constant its validator uses.
#pragma once

#include <nlohmann/json.hpp>

namespace optlab {

// {"optimizers": [...], "landscapes": [...], "datasets": [...], "activations": [...],
//  "losses": [...], "limits": {...}}
nlohmann::json catalog();

}  // namespace optlab
