// Optimizer: any of the torch optimizers as one value type, so the runner and the session can
// step, inspect and snapshot it without knowing which one it holds. Copying it is a snapshot.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "optim/adadelta.h"
#include "optim/adagrad.h"
#include "optim/adam.h"
#include "optim/asgd.h"
#include "optim/adamax.h"
#include "optim/adamw.h"
#include "optim/nadam.h"
#include "optim/radam.h"
#include "optim/rmsprop.h"
#include "optim/rprop.h"
#include "optim/sgd.h"
#include "optim/step_report.h"

namespace optlab {

// The registry's entry for one optimizer: its name, hyperparameters and rule (registry.h).
template <class Options, class State>
struct OptimizerKind;

// One optimizer with its hyperparameters and its state.
template <class Options, class State>
struct Configured {
  const OptimizerKind<Options, State>* kind;
  Options options;
  State state;
};

using AnyConfigured =
    std::variant<Configured<SgdOptions, SgdState>, Configured<AdagradOptions, AdagradState>,
                 Configured<RmspropOptions, RmspropState>, Configured<AdamOptions, AdamState>,
                 Configured<AdamWOptions, AdamWState>, Configured<AdamaxOptions, AdamaxState>,
                 Configured<NadamOptions, NadamState>, Configured<RadamOptions, RadamState>,
                 Configured<AdadeltaOptions, AdadeltaState>, Configured<RpropOptions, RpropState>,
                 Configured<AsgdOptions, AsgdState>>;

class Optimizer {
 public:
  // spec: a JSON object {"name": "adam", "lr": ..., ...}; "label" and "color" are ignored here.
  // Unknown name, unknown hyperparameter, wrong type (e.g. "lr": "x", "betas": [1],
  // "nesterov": 1), or anything torch rejects -> std::invalid_argument whose message starts
  // with the field: "lr: Invalid learning rate: -1", "foo: unknown hyperparameter for adam
  // (expected one of lr, betas, eps, weight_decay, amsgrad)", "name: unknown optimizer 'adamm'
  // (expected one of sgd, adagrad, ...)". Validation happens here, once.
  static Optimizer from_json(const nlohmann::json& spec);

  // The registry's first optimizer (sgd) with torch's defaults, so that containers and structs
  // holding an Optimizer can be default-constructed (std::vector::resize, aggregates).
  Optimizer();

  const std::string& name() const;
  nlohmann::json options_json() const;  // {"name":..., every hyperparameter with defaults filled in}

  // One torch step, in place. Throws std::invalid_argument (and changes nothing) if grad's size
  // differs from params', or params' size differs from the one the state was created with.
  void step(Eigen::VectorXd& params, const Eigen::VectorXd& grad);

  // Named state buffers, torch names, in torch's order. Empty before the first step (torch
  // creates state lazily; Adagrad's `sum` appears then, filled from initial_accumulator_value).
  std::vector<NamedVector> state() const;
  std::vector<NamedScalar> state_scalars() const;  // e.g. step, mu_product
  const StepReport& last() const;                   // of the most recent step (empty before any)

  // The entries of torch's param_groups[0] an lr scheduler reads and writes between steps.
  double lr() const;
  void set_lr(double lr);
  // torch's `param_groups[0][name] = value` between steps for each entry of `patch`, the state
  // kept (registry.h's change_options: what is refused and why).
  void change(const nlohmann::json& patch);
  // Which entry a scheduler cycles as momentum: "momentum" (sgd, rmsprop), "betas" (the Adam
  // family, whose betas[0] is cycled) or "" (none: cycle_momentum is then rejected, as in torch).
  std::string momentum_key() const;
  double momentum() const;  // precondition: momentum_key() is not ""
  void set_momentum(double momentum);

  // The held optimizer, for code that needs its typed options or state (tests, the page's equations).
  const AnyConfigured& held() const { return held_; }

 private:
  explicit Optimizer(AnyConfigured held) : held_(std::move(held)) {}

  AnyConfigured held_;
  StepReport last_;
  StepReport scratch_;
};

}  // namespace optlab
