// Issue 17: init.weights in torch's per-tensor form, the weights export, and the PyTorch script's
// generator (what it writes and what it refuses). tests/torch_scripts/run.sh runs the scripts.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "problems/expression.h"
#include "problems/mlp.h"
#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"
#include "runner/torch_expression.h"
#include "runner/torch_script.h"
#include "runner/weights_json.h"

namespace optlab {
namespace {

using nlohmann::json;

json network_spec(const json& weights) {
  return {{"problem", {{"name", "mlp"}, {"data", {{"name", "moons"}, {"n", 40}}}, {"layers", {2, 3, 1}},
                       {"batch_size", 8}, {"init", {{"weights", weights}}}}},
          {"steps", 25},
          {"record_params", true},
          {"optimizers", {{{"name", "adam"}, {"lr", 0.05}}}}};
}

// W1 [3][2], b1 [3], W2 [1][3], b2 [1] and the same numbers flat in nn.Linear's order.
const json kTensors = json::parse("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]], [-0.04]]");
const json kFlat = json::parse("[0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.01, 0.02, 0.03, 0.7, -0.8, 0.9, -0.04]");

TEST(TorchWeights, PerTensorFormRunsExactlyAsTheFlatForm) {
  const std::string tensors = result_to_json(run_experiment(spec_from_json(network_spec(kTensors))));
  const std::string flat = result_to_json(run_experiment(spec_from_json(network_spec(kFlat))));
  EXPECT_EQ(tensors, flat);
  const json first = json::parse(flat)["runs"][0]["params"][0];
  EXPECT_EQ(first, kFlat);
}

TEST(TorchWeights, BadShapesNameTheFieldAndTheExpectedShape) {
  struct Case {
    json weights;
    std::string message;
  };
  const Case cases[] = {
      {json::parse("[[[0.1, -0.2], [0.3, 0.4]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]], [-0.04]]"),
       "problem.init.weights[0]: expected 3 rows of 2 (W1 as [out][in]), got 2 rows"},
      {json::parse("[[[0.1, -0.2], [0.3, 0.4, 1], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]], [-0.04]]"),
       "problem.init.weights[0][1]: expected 2 numbers (a row of 3 rows of 2), got 3"},
      {json::parse("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02], [[0.7, -0.8, 0.9]], [-0.04]]"),
       "problem.init.weights[1]: expected 3 numbers (b1), got 2"},
      {json::parse("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8]], [-0.04]]"),
       "problem.init.weights[2][0]: expected 3 numbers (a row of 1 rows of 3), got 2"},
      {json::parse("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]]]"),
       "problem.init.weights: expected 4 tensors (W1, b1, W2, b2) for layers [2, 3, 1], got 3"},
      {json::parse("[[[0.1, \"a\"], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]], [-0.04]]"),
       "problem.init.weights[0][0][1]: expected a number"},
      {json::parse("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], 5, [[0.7, -0.8, 0.9]], [-0.04]]"),
       "problem.init.weights[1]: expected 3 numbers (b1), got 5"},
  };
  for (const Case& c : cases) {
    try {
      spec_from_json(network_spec(c.weights));
      ADD_FAILURE() << "accepted " << c.weights.dump();
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(c.message, 0), 0u) << e.what() << "\n  expected: " << c.message;
    }
  }
}

TEST(TorchWeights, ExportHoldsFlatTensorsAndStateDictOfTheCurrentWeights) {
  Session session(spec_from_json(network_spec(kTensors)));
  const json w = run_weights_json(session, 0);
  EXPECT_EQ(w["step"], 25);
  EXPECT_EQ(w["layers"], json::parse("[2, 3, 1]"));
  const Eigen::VectorXd& x = session.state(0).x;
  ASSERT_EQ(w["flat"].size(), 13u);
  for (int i = 0; i < 13; ++i) EXPECT_EQ(w["flat"][i].get<double>(), x[i]);
  EXPECT_NE(w["flat"], kFlat);  // 25 steps moved them
  // The tensors read back as init.weights give the same numbers; the state_dict holds the same tensors.
  EXPECT_EQ(weights_from_json(w["tensors"], {2, 3, 1}, "w"), x);
  EXPECT_EQ(w["state_dict"]["0.weight"], w["tensors"][0]);
  EXPECT_EQ(w["state_dict"]["0.bias"], w["tensors"][1]);
  EXPECT_EQ(w["state_dict"]["2.weight"], w["tensors"][2]);
  EXPECT_EQ(w["state_dict"]["2.bias"], w["tensors"][3]);
  EXPECT_EQ(w["state_dict"].size(), 4u);
  EXPECT_EQ(w["tensors"][0][2][1].get<double>(), x[5]);  // W1(2, 1) at 2 * in + 1

  Session landscape(parse_spec(R"({"problem": {"name": "booth"}, "steps": 2, "optimizers": [{"name": "sgd", "lr": 0.01}]})"));
  EXPECT_THROW(run_weights_json(landscape, 0), std::invalid_argument);
}

TEST(TorchScript, FormulasBecomeTorchExpressionsWithEveryFunction) {
  EXPECT_EQ(torch_expression(Expression("(1-x)^2 + 100*(y-x^2)^2")),
            "(torch.square((1.0 - x)) + (100.0 * torch.square((y - torch.square(x)))))");
  EXPECT_EQ(torch_expression(Expression("sin(x) + cos(y) + tan(x) + exp(y) + log(x) + sqrt(y) + abs(x) + tanh(y) + sigmoid(x)")),
            "((((((((torch.sin(x) + torch.cos(y)) + torch.tan(x)) + torch.exp(y)) + torch.log(x)) + torch.sqrt(y)) + "
            "torch.abs(x)) + torch.tanh(y)) + torch.sigmoid(x))");
  // A negative constant base keeps its parentheses; pi and e are folded to OptLab's numbers.
  EXPECT_EQ(torch_expression(Expression("(-2)^x / pi + e*y")), "((((-2.0) ** x) / 3.141592653589793) + (2.718281828459045 * y))");
  EXPECT_EQ(torch_expression(Expression("2*3")), "x * 0.0 + 6.0");
  EXPECT_EQ(python_number(0.1), "0.1");
  EXPECT_EQ(python_number(1e-300), "1e-300");
}

TEST(TorchScript, WritesTheNetworkDataWeightsBatchesAndOptLabsLosses) {
  const std::string spec = network_spec(kTensors).dump();
  const std::string script = torch_script(spec);
  EXPECT_NE(script.find("torch.set_default_dtype(torch.float64)"), std::string::npos);
  EXPECT_NE(script.find("nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))"), std::string::npos);
  EXPECT_NE(script.find("INITIAL_WEIGHTS = " + std::string("[[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], [0.01, 0.02, 0.03], [[0.7, -0.8, 0.9]], [-0.04]]")),
            std::string::npos);
  EXPECT_NE(script.find("criterion = nn.BCEWithLogitsLoss()"), std::string::npos);
  EXPECT_NE(script.find("EPOCHS = {\n    8: ["), std::string::npos);
  // OptLab's first loss, printed round-trip.
  const json result = json::parse(result_to_json(run_experiment(parse_spec(spec))));
  EXPECT_NE(script.find("\"OPTLAB_LOSS\": [" + json(result["runs"][0]["loss"][0].get<double>()).dump() + ", "), std::string::npos);
  EXPECT_NE(script.find("\"hyperparameters\": {\"amsgrad\": False, \"betas\": [0.9, 0.999], \"eps\": 1e-08, \"lr\": 0.05, \"weight_decay\": 0.0}"),
            std::string::npos);
}

TEST(TorchScript, RefusesWhatTorchCannotReplay) {
  try {
    torch_script(R"({"problem": {"name": "booth"}, "steps": 2, "optimizers": [{"name": "sgd", "lr": 0.01}, {"name": "adam", "bias_correction": false}]})");
    ADD_FAILURE() << "accepted bias_correction false";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("optimizers[1].bias_correction: false is OptLab's own option", 0), 0u) << e.what();
  }
  EXPECT_THROW(torch_script(R"({"problem": {"name": "booth"}, "steps": -1, "optimizers": [{"name": "sgd"}]})"), SpecError);
  try {
    torch_script(R"({"problem": {"name": "booth"}, "steps": 1000000, "optimizers": [{"name": "sgd", "lr": 1e-9}, {"name": "sgd", "lr": 1e-9}, {"name": "sgd", "lr": 1e-9}]})");
    ADD_FAILURE() << "accepted a script of millions of numbers";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("steps: the PyTorch script would hold about", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace optlab
