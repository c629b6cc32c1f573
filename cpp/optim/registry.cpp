// The table of optimizers and the JSON <-> Options code that works for any row of it.
#include "optim/registry.h"

#include "json/fields.h"

#include <cmath>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>

namespace optlab {
namespace {

using Vectors = std::vector<NamedVector>;
using Scalars = std::vector<NamedScalar>;

// Slider ranges shared by several optimizers.
template <class O>
Hyperparameter<O> lr(double O::*member, double min = 1e-5, double max = 1.0) {
  return {"lr", member, min, max, true};
}
template <class O>
Hyperparameter<O> eps(double O::*member) {
  return {"eps", member, 1e-12, 1.0, true};
}
template <class O>
Hyperparameter<O> weight_decay(double O::*member) {
  return {"weight_decay", member, 0.0, 1.0, false};
}
template <class O>
Hyperparameter<O> betas(std::array<double, 2> O::*member) {
  return {"betas", member, 0.0, 0.9999, false};
}

// OptLab's switch for the Adam family's bias correction: not a torch option, and marked so.
template <class O>
Hyperparameter<O> bias_correction(bool O::*member) {
  Hyperparameter<O> h{"bias_correction", member};
  h.torch = false;
  return h;
}

// The rows. Captureless lambdas list each state in torch's order; defaults are the Options'
// own member initialisers.
const auto& kinds() {
  static const OptimizerKind<SgdOptions, SgdState> sgd{
      "sgd",
      "Gradient descent; with momentum it rolls like a heavy ball, with Nesterov it looks ahead.",
      {lr(&SgdOptions::lr),
       {"momentum", &SgdOptions::momentum, 0.0, 0.999, false},
       {"dampening", &SgdOptions::dampening, 0.0, 1.0, false},
       weight_decay(&SgdOptions::weight_decay),
       {"nesterov", &SgdOptions::nesterov}},
      sgd_step,
      [](const SgdState& s) { return Vectors{{"momentum_buffer", s.momentum_buffer}}; },
      [](const SgdState&) { return Scalars{}; }};
  static const OptimizerKind<AdagradOptions, AdagradState> adagrad{
      "adagrad",
      "Divides each step by the root of that parameter's summed squared gradients.",
      {lr(&AdagradOptions::lr),
       {"lr_decay", &AdagradOptions::lr_decay, 0.0, 1.0, false},
       weight_decay(&AdagradOptions::weight_decay),
       {"initial_accumulator_value", &AdagradOptions::initial_accumulator_value, 0.0, 1.0, false},
       eps(&AdagradOptions::eps)},
      adagrad_step,
      [](const AdagradState& s) { return Vectors{{"sum", s.sum}}; },
      [](const AdagradState& s) { return Scalars{{"step", s.step}}; }};
  static const OptimizerKind<RmspropOptions, RmspropState> rmsprop{
      "rmsprop",
      "Divides each step by a running root-mean-square of recent gradients.",
      {lr(&RmspropOptions::lr),
       {"alpha", &RmspropOptions::alpha, 0.0, 0.9999, false},
       eps(&RmspropOptions::eps),
       weight_decay(&RmspropOptions::weight_decay),
       {"momentum", &RmspropOptions::momentum, 0.0, 0.999, false},
       {"centered", &RmspropOptions::centered}},
      rmsprop_step,
      [](const RmspropState& s) {
        return Vectors{{"square_avg", s.square_avg}, {"momentum_buffer", s.momentum_buffer},
                       {"grad_avg", s.grad_avg}};
      },
      [](const RmspropState&) { return Scalars{}; }};
  static const OptimizerKind<AdamOptions, AdamState> adam{
      "adam",
      "Momentum divided by a running RMS of the gradient, both corrected for their zero start.",
      {lr(&AdamOptions::lr), betas(&AdamOptions::betas), eps(&AdamOptions::eps),
       weight_decay(&AdamOptions::weight_decay), {"amsgrad", &AdamOptions::amsgrad},
       bias_correction(&AdamOptions::bias_correction)},
      adam_step,
      [](const AdamState& s) {
        return Vectors{{"exp_avg", s.exp_avg}, {"exp_avg_sq", s.exp_avg_sq},
                       {"max_exp_avg_sq", s.max_exp_avg_sq}};
      },
      [](const AdamState& s) { return Scalars{{"step", s.step}}; }};
  static const OptimizerKind<AdamWOptions, AdamWState> adamw{
      "adamw",
      "Adam with decoupled weight decay: shrinks the parameters directly, not through the gradient.",
      {lr(&AdamWOptions::lr), betas(&AdamWOptions::betas), eps(&AdamWOptions::eps),
       weight_decay(&AdamWOptions::weight_decay), {"amsgrad", &AdamWOptions::amsgrad},
       bias_correction(&AdamWOptions::bias_correction)},
      adamw_step, adam.state_vectors, adam.state_scalars};
  static const OptimizerKind<AdamaxOptions, AdamaxState> adamax{
      "adamax",
      "Adam with a decaying maximum of |gradient| in place of the RMS.",
      {lr(&AdamaxOptions::lr), betas(&AdamaxOptions::betas), eps(&AdamaxOptions::eps),
       weight_decay(&AdamaxOptions::weight_decay), bias_correction(&AdamaxOptions::bias_correction)},
      adamax_step,
      [](const AdamaxState& s) { return Vectors{{"exp_avg", s.exp_avg}, {"exp_inf", s.exp_inf}}; },
      [](const AdamaxState& s) { return Scalars{{"step", s.step}}; }};
  static const OptimizerKind<NadamOptions, NadamState> nadam{
      "nadam",
      "Adam with Nesterov momentum: the step looks ahead along the momentum.",
      {lr(&NadamOptions::lr), betas(&NadamOptions::betas), eps(&NadamOptions::eps),
       weight_decay(&NadamOptions::weight_decay),
       {"momentum_decay", &NadamOptions::momentum_decay, 0.0, 0.05, false}},
      nadam_step,
      [](const NadamState& s) { return Vectors{{"exp_avg", s.exp_avg}, {"exp_avg_sq", s.exp_avg_sq}}; },
      [](const NadamState& s) { return Scalars{{"step", s.step}, {"mu_product", s.mu_product}}; }};
  static const OptimizerKind<RadamOptions, RadamState> radam{
      "radam",
      "Adam that takes plain momentum steps until its variance estimate can be trusted.",
      {lr(&RadamOptions::lr), betas(&RadamOptions::betas), eps(&RadamOptions::eps),
       weight_decay(&RadamOptions::weight_decay)},
      radam_step,
      [](const RadamState& s) { return Vectors{{"exp_avg", s.exp_avg}, {"exp_avg_sq", s.exp_avg_sq}}; },
      [](const RadamState& s) { return Scalars{{"step", s.step}}; }};
  static const OptimizerKind<AdadeltaOptions, AdadeltaState> adadelta{
      "adadelta",
      "Scales the gradient by RMS(past steps) / RMS(past gradients); needs almost no learning rate.",
      {lr(&AdadeltaOptions::lr, 1e-3, 10.0),
       {"rho", &AdadeltaOptions::rho, 0.0, 1.0, false},
       eps(&AdadeltaOptions::eps),
       weight_decay(&AdadeltaOptions::weight_decay)},
      adadelta_step,
      [](const AdadeltaState& s) {
        return Vectors{{"square_avg", s.square_avg}, {"acc_delta", s.acc_delta}};
      },
      [](const AdadeltaState&) { return Scalars{}; }};
  static const OptimizerKind<RpropOptions, RpropState> rprop{
      "rprop",
      "Steps by the gradient's sign only; each weight's step grows while the sign holds and shrinks when it flips.",
      {lr(&RpropOptions::lr, 1e-5, 1.0),
       {"etas", &RpropOptions::etas, 0.0, 2.0, false},
       {"step_sizes", &RpropOptions::step_sizes, 0.0, 100.0, false}},
      rprop_step,
      [](const RpropState& s) { return Vectors{{"prev", s.prev}, {"step_size", s.step_size}}; },
      [](const RpropState& s) { return Scalars{{"step", s.step}}; }};
  static const OptimizerKind<AsgdOptions, AsgdState> asgd{
      "asgd",
      "SGD with a slowly decaying step that also keeps a running average `ax` of its iterates.",
      {lr(&AsgdOptions::lr),
       {"lambd", &AsgdOptions::lambd, 0.0, 0.01, false},
       {"alpha", &AsgdOptions::alpha, 0.0, 1.0, false},
       {"t0", &AsgdOptions::t0, 0.0, 1e6, false},
       weight_decay(&AsgdOptions::weight_decay)},
      asgd_step,
      [](const AsgdState& s) { return Vectors{{"ax", s.ax}}; },
      [](const AsgdState& s) { return Scalars{{"step", s.step}, {"eta", s.eta}, {"mu", s.mu}}; }};
  static const auto all =
      std::tie(sgd, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, rprop, asgd);
  return all;
}

// Calls f(kind) for every row, in order.
template <class F>
void for_each_kind(F&& f) {
  std::apply([&](const auto&... kind) { (f(kind), ...); }, kinds());
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

using fields::brief;

// Sets one hyperparameter from JSON, checking its JSON type (torch's own checks come later).
template <class O>
void read_value(const Hyperparameter<O>& h, const nlohmann::json& value, O& options) {
  if (auto number = std::get_if<double O::*>(&h.member)) {
    options.**number = fields::finite_number(value, h.name);
  } else if (auto flag = std::get_if<bool O::*>(&h.member)) {
    if (!value.is_boolean())
      throw std::invalid_argument(h.name + ": must be true or false, got " + brief(value));
    options.**flag = value.get<bool>();
  } else {
    auto pair = std::get<std::array<double, 2> O::*>(h.member);
    if (!value.is_array() || value.size() != 2)
      throw std::invalid_argument(h.name + ": must be an array of 2 numbers, got " + brief(value));
    for (int i = 0; i < 2; ++i)
      (options.*pair)[i] = fields::finite_number(value[i], h.name + "[" + std::to_string(i) + "]");
  }
}

// torch prints the number as Python holds it: 1 for an int, 1.0 for a float. JSON keeps that
// difference, so show an integer as it was written.
std::string as_written(const InvalidOption& e, const nlohmann::json& spec) {
  if (!e.has_value || !spec.contains(e.field)) return e.what();
  const nlohmann::json& given = e.index >= 0 ? spec[e.field][e.index] : spec[e.field];
  return given.is_number_integer() ? e.head + given.dump() : std::string(e.what());
}

template <class O, class S>
Configured<O, S> read_as(const OptimizerKind<O, S>& kind, const nlohmann::json& spec) {
  O options{};
  for (const auto& [key, value] : spec.items()) {
    if (key == "name" || key == "label" || key == "color") continue;  // not hyperparameters
    const Hyperparameter<O>* found = nullptr;
    for (const auto& h : kind.hyperparameters)
      if (h.name == key) found = &h;
    if (!found) {
      std::vector<std::string> names;
      for (const auto& h : kind.hyperparameters) names.push_back(h.name);
      throw std::invalid_argument(brief(key) + ": unknown hyperparameter for " + kind.name +
                                  " (expected one of " + join(names) + ")");
    }
    read_value(*found, value, options);
  }
  try {
    validate(options);
  } catch (const InvalidOption& e) {
    throw std::invalid_argument(e.field + ": " + as_written(e, spec));
  }
  return {&kind, options, S{}};
}

template <class O>
nlohmann::json to_json(const Hyperparameter<O>& h, const O& options) {
  if (auto number = std::get_if<double O::*>(&h.member)) return options.**number;
  if (auto flag = std::get_if<bool O::*>(&h.member)) return options.**flag;
  const auto& pair = options.*std::get<std::array<double, 2> O::*>(h.member);
  return nlohmann::json::array({pair[0], pair[1]});
}

template <class O, class S>
nlohmann::json catalog_entry(const OptimizerKind<O, S>& kind) {
  const O defaults{};
  nlohmann::json hyperparameters = nlohmann::json::array();
  for (const auto& h : kind.hyperparameters) {
    nlohmann::json entry = {{"name", h.name}, {"default", to_json(h, defaults)}};
    if (std::holds_alternative<bool O::*>(h.member)) {
      entry["kind"] = "bool";
    } else {
      entry["kind"] = std::holds_alternative<double O::*>(h.member) ? "number" : "pair";
      entry["min"] = h.min;
      entry["max"] = h.max;
      entry["log"] = h.log;
    }
    if (!h.torch) entry["torch"] = false;
    hyperparameters.push_back(entry);
  }
  return {{"name", kind.name}, {"description", kind.description}, {"hyperparameters", hyperparameters}};
}

}  // namespace

std::vector<std::string> optimizer_names() {
  std::vector<std::string> names;
  for_each_kind([&](const auto& kind) { names.push_back(kind.name); });
  return names;
}

AnyConfigured read_optimizer(const nlohmann::json& spec) {
  const std::string expected = " (expected one of " + join(optimizer_names()) + ")";
  if (!spec.is_object())
    throw std::invalid_argument("name: an optimizer is a JSON object like {\"name\": \"adam\"}, got " +
                                brief(spec));
  if (!spec.contains("name")) throw std::invalid_argument("name: missing" + expected);
  if (!spec["name"].is_string())
    throw std::invalid_argument("name: must be a string" + expected + ", got " + brief(spec["name"]));
  const std::string name = spec["name"].get<std::string>();
  std::optional<AnyConfigured> result;
  for_each_kind([&](const auto& kind) {
    if (kind.name == name) result = read_as(kind, spec);
  });
  if (!result) throw std::invalid_argument("name: unknown optimizer '" + brief(name) + "'" + expected);
  return *result;
}

AnyConfigured default_optimizer() {
  const auto& first = std::get<0>(kinds());
  return read_as(first, {{"name", first.name}});
}

nlohmann::json write_options(const AnyConfigured& optimizer) {
  return std::visit(
      [](const auto& configured) {
        nlohmann::json out = {{"name", configured.kind->name}};
        for (const auto& h : configured.kind->hyperparameters) out[h.name] = to_json(h, configured.options);
        return out;
      },
      optimizer);
}

void change_options(AnyConfigured& optimizer, const nlohmann::json& patch) {
  if (!patch.is_object() || patch.empty())
    throw std::invalid_argument("expected an object of hyperparameters like {\"lr\": 0.01}, got " + brief(patch));
  nlohmann::json merged = write_options(optimizer);
  for (const auto& [key, value] : patch.items()) {
    // read_as skips these (they are the entry's, not torch's); in a change they are mistakes.
    if (key == "name" || key == "label" || key == "color")
      throw std::invalid_argument(key + ": not a hyperparameter; a change sets hyperparameters only (restart the run to change its " + key + ")");
    merged[key] = value;
  }
  // Flags first: "nesterov: true" is refused as a flag, not for what it would need.
  std::visit(
      [&](const auto& held) {
        using O = decltype(std::decay_t<decltype(held)>::options);
        for (const auto& h : held.kind->hyperparameters)
          if (patch.contains(h.name) && std::holds_alternative<bool O::*>(h.member))
            throw std::invalid_argument(h.name + ": a flag is fixed for the run (torch keeps state by it); restart the run to change it");
      },
      optimizer);
  AnyConfigured next = read_optimizer(merged);  // the whole group re-validated, as torch's constructor would
  std::visit(
      [&](auto& held) {
        using C = std::decay_t<decltype(held)>;
        auto& wanted = std::get<C>(next);  // the same optimizer: "name" cannot change
        if constexpr (std::is_same_v<C, Configured<AdagradOptions, AdagradState>>) {
          if (patch.contains("initial_accumulator_value"))
            throw std::invalid_argument(
                "initial_accumulator_value: torch fills the sum with it when the optimizer is built, so a later change does nothing; restart the run to change it");
        }
        if constexpr (std::is_same_v<C, Configured<RmspropOptions, RmspropState>>) {
          const bool stepped = held.state.square_avg.size() > 0;
          if (stepped && held.state.momentum_buffer.size() == 0 && wanted.options.momentum > 0)
            throw std::invalid_argument(
                "momentum: this run took its first step with momentum 0, so torch keeps no momentum buffer and fails "
                "(KeyError) if momentum is turned on later; give the run momentum from the start (or at step 0)");
        }
        held.options = wanted.options;
      },
      optimizer);
}

nlohmann::json optimizer_catalog() {
  nlohmann::json catalog = nlohmann::json::array();
  for_each_kind([&](const auto& kind) { catalog.push_back(catalog_entry(kind)); });
  return catalog;
}

}  // namespace optlab
