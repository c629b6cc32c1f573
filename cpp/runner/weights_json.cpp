#include "runner/weights_json.h"

#include <stdexcept>
#include <string>

namespace optlab {

nlohmann::json weights_json(const MlpConfig& config, const Eigen::VectorXd& weights) {
  const nlohmann::json tensors = weights_to_tensors(config.layers, weights);
  nlohmann::json state = nlohmann::json::object();
  for (std::size_t t = 0; t < tensors.size(); ++t)
    state[std::to_string(2 * (t / 2)) + (t % 2 == 0 ? ".weight" : ".bias")] = tensors[t];
  return {{"layers", config.layers},
          {"activation", activation_name(config.activation)},
          {"flat", std::vector<double>(weights.data(), weights.data() + weights.size())},
          {"tensors", tensors},
          {"state_dict", state}};
}

nlohmann::json run_weights_json(const Session& session, int i) {
  const auto* mlp = dynamic_cast<const MlpProblem*>(&session.problem_of(i));
  if (!mlp) throw std::invalid_argument("weights: only a network problem has weights to export");
  nlohmann::json out = weights_json(mlp->config(), session.state(i).x);
  out["step"] = session.state(i).step;
  out["label"] = session.label(i);
  return out;
}

}  // namespace optlab
