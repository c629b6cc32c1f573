// The registry: THE ONLY list of optimizer names. For each name: a one-line description, its
// hyperparameters (defaults come from its Options struct), how to read them from JSON, and
// the slider range the page offers. Everything else that needs a name asks here.
#pragma once

#include <array>
#include <string>
#include <variant>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "optim/optimizer.h"

namespace optlab {

// One hyperparameter: its torch name, the Options member it sets (a number, a flag or a pair
// such as betas), and the page's slider range for numbers and pairs.
template <class Options>
struct Hyperparameter {
  std::string name;
  std::variant<double Options::*, bool Options::*, std::array<double, 2> Options::*> member;
  double min = 0;
  double max = 0;
  bool log = false;  // slider moves in log scale (min > 0)
  bool torch = true;  // false: OptLab's own option (bias_correction), which torch.optim lacks
};

template <class Options, class State>
struct OptimizerKind {
  std::string name;         // torch's name, lower case: "adam"
  std::string description;  // one line for the page
  std::vector<Hyperparameter<Options>> hyperparameters;  // in torch's argument order
  void (*step)(const Options&, State&, Eigen::VectorXd&, const Eigen::VectorXd&, StepReport&);
  std::vector<NamedVector> (*state_vectors)(const State&);  // torch's names and order
  std::vector<NamedScalar> (*state_scalars)(const State&);
};

// Every optimizer name, in the catalog's order: sgd, adagrad, rmsprop, adam, adamw, adamax,
// nadam, radam, adadelta, rprop, asgd.
std::vector<std::string> optimizer_names();

// Reads and validates one optimizer spec (see Optimizer::from_json for the messages).
AnyConfigured read_optimizer(const nlohmann::json& spec);

// The first optimizer of the list with torch's default options (what Optimizer() holds).
AnyConfigured default_optimizer();

// torch's `opt.param_groups[0][name] = value` between two steps, for every name in `patch`
// ({"lr": 0.01, "betas": [0.8, 0.99]}): the options are re-validated as a whole (torch's
// rejections, its messages) and the state is kept. Refused, std::invalid_argument "NAME: ...":
// not an object, a name that is not a hyperparameter, a flag (torch decides which state to keep
// by it: turning amsgrad or centered on later fails in torch), Adagrad's
// initial_accumulator_value (torch fills the state with it when the optimizer is built), and
// RMSprop's momentum turned on after a first step without it (torch kept no buffer: KeyError).
void change_options(AnyConfigured& optimizer, const nlohmann::json& patch);

// {"name": ..., every hyperparameter}: booleans as JSON booleans, pairs as 2-element arrays.
nlohmann::json write_options(const AnyConfigured& optimizer);

// For the page: [{"name", "description", "hyperparameters": [{"name", "kind" ("number",
// "bool" or "pair"), "default", for number/pair "min", "max", "log", and "torch": false on an
// option torch.optim does not have}]}], in
// optimizer_names() order. Every number is finite.
nlohmann::json optimizer_catalog();

}  // namespace optlab
