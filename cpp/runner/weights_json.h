// "Export weights": a network's weights in the forms torch users hold them, as one JSON object
//   {"layers": [2, 8, 1], "activation": "tanh", "step": K,
//    "flat": [...],                       // init.weights' flat form: W1 [out][in] row-major, b1, W2, ...
//    "tensors": [W1, b1, W2, b2, ...],    // init.weights' per-tensor form, [p.tolist() for p in model.parameters()]
//    "state_dict": {"0.weight": W1, "0.bias": b1, "2.weight": W2, ...}}
// The state_dict keys are the nn.Sequential indices of the PyTorch script (runner/torch_script.h):
// Linear layers at 0, 2, 4, ... with the activation between them.
#pragma once

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "problems/mlp.h"
#include "runner/session.h"

namespace optlab {

nlohmann::json weights_json(const MlpConfig& config, const Eigen::VectorXd& weights);
// Run i's current weights (invalid_argument on a problem that is not a network).
nlohmann::json run_weights_json(const Session& session, int i);

}  // namespace optlab
