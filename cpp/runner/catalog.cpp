#include "runner/catalog.h"

#include "optim/registry.h"
#include "optim/scheduler.h"
#include "problems/datasets.h"
#include "problems/expression.h"
#include "problems/fit.h"
#include "problems/landscapes.h"
#include "problems/mlp.h"
#include "problems/weight_plane.h"
#include "runner/budget.h"
#include "runner/network_view.h"
#include "runner/spec.h"

namespace optlab {
namespace {

// A generated set's parameters. The defaults are the ones make_dataset uses when a field is absent
// (catalog_test checks each against a dataset built without it).
nlohmann::json dataset_entry(const std::string& name) {
  const bool takes_classes = name == "spiral" || name == "blobs";
  const bool regression = name == "linear" || name == "sine";
  nlohmann::json params = nlohmann::json::array();
  params.push_back({{"name", "n"}, {"default", 200}, {"min", 1}, {"max", kMaxPoints}, {"integer", true}});
  if (takes_classes)
    params.push_back({{"name", "classes"}, {"default", 2}, {"min", 2}, {"max", kMaxClasses}, {"integer", true}});
  params.push_back({{"name", "noise"}, {"default", name == "blobs" ? 0.3 : 0.1}, {"min", 0.0}, {"max", kMaxNoise}});
  params.push_back({{"name", "test_fraction"}, {"default", 0.0}, {"min", 0.0}, {"max", 1.0}, {"max_exclusive", true}});
  return {{"name", name}, {"regression", regression}, {"params", params}};
}

// The fit problem's models and data generators, with the defaults make_fit_problem uses.
nlohmann::json fit_entry() {
  auto param = [](const char* name, double def, double lo, double hi, bool integer = false) {
    nlohmann::json p = {{"name", name}, {"default", def}, {"min", lo}, {"max", hi}};
    if (integer) p["integer"] = true;
    return p;
  };
  const double n = static_cast<double>(kMaxFitPoints);
  return {
      {"models", {fit_model_name(FitModel::Line), fit_model_name(FitModel::Logistic)}},
      {"generators",
       {{{"name", "noisy_line"}, {"model", "line"},
         {"params", {param("n", 64, 2, n, true), param("slope", 2, -1e6, 1e6), param("intercept", 1, -1e6, 1e6),
                     param("noise", 0.5, 0, 1e6)}}},
        {{"name", "sparse_features"}, {"model", "logistic"},
         {"params", {param("n", 200, 2, n, true), param("density", 0.1, 0, 1)}}}}},
      {"max_points", kMaxFitPoints},
  };
}

}  // namespace

nlohmann::json catalog() {
  nlohmann::json datasets = nlohmann::json::array();
  for (const std::string& name : dataset_names()) datasets.push_back(dataset_entry(name));
  nlohmann::json activations = nlohmann::json::array();
  for (Activation a : {Activation::Tanh, Activation::Relu, Activation::LeakyRelu, Activation::Sigmoid,
                       Activation::Linear})
    activations.push_back(activation_name(a));
  nlohmann::json losses = nlohmann::json::array();
  for (MlpLoss l : {MlpLoss::Bce, MlpLoss::Mse, MlpLoss::CrossEntropy}) losses.push_back(loss_name(l));
  nlohmann::json features = nlohmann::json::array();
  for (InputFeature f : {InputFeature::X1Squared, InputFeature::X2Squared, InputFeature::X1X2, InputFeature::SinX1,
                         InputFeature::SinX2})
    features.push_back(feature_name(f));
  return {
      {"optimizers", optimizer_catalog()},
      {"schedulers", scheduler_catalog()},
      {"landscapes", landscape_catalog()},
      {"datasets", datasets},
      {"fit", fit_entry()},
      {"activations", activations},
      {"losses", losses},
      {"features", features},
      {"limits",
       {{"max_steps", kMaxSteps},
        {"max_optimizers", kMaxOptimizers},
        {"max_formula_length", Expression::kMaxLength},
        {"max_formula_depth", Expression::kMaxDepth},
        {"max_label_length", kMaxLabelLength},
        {"max_spec_bytes", kMaxSpecBytes},
        {"max_layers", kMaxLayerCount},
        {"max_hidden_width", kMaxWidth},
        {"max_activations", kMaxActivations},
        {"max_points", kMaxPoints},
        {"max_classes", kMaxClasses},
        {"max_l1", kMaxL1},
        {"max_noise", kMaxNoise},
        {"max_landscape_grid", kMaxLandscapeGrid},
        {"max_predict_grid", kMaxGridSide},
        {"max_plane_grid", kMaxPlaneGrid},
        {"max_step_cost", kMaxStepCost},
        {"max_request_cost", kMaxRequestCost},
        {"max_total_weights", kMaxTotalWeights},
        {"max_result_numbers", kMaxResultNumbers}}},
  };
}

}  // namespace optlab
