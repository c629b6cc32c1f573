// Optimizer: dispatches to the held optimizer's registry entry; JSON goes through the registry.
#include "optim/optimizer.h"

#include "optim/registry.h"

#include <type_traits>

namespace optlab {
namespace {

// Whether an Options struct has torch's `momentum` or `betas` entry.
template <class O, class = void>
struct HasMomentum : std::false_type {};
template <class O>
struct HasMomentum<O, std::void_t<decltype(&O::momentum)>> : std::true_type {};
template <class O, class = void>
struct HasBetas : std::false_type {};
template <class O>
struct HasBetas<O, std::void_t<decltype(&O::betas)>> : std::true_type {};

}  // namespace

Optimizer Optimizer::from_json(const nlohmann::json& spec) { return Optimizer(read_optimizer(spec)); }

Optimizer::Optimizer() : held_(default_optimizer()) {}

const std::string& Optimizer::name() const {
  return std::visit([](const auto& c) -> const std::string& { return c.kind->name; }, held_);
}

nlohmann::json Optimizer::options_json() const { return write_options(held_); }

void Optimizer::step(Eigen::VectorXd& params, const Eigen::VectorXd& grad) {
  // The step writes into scratch_, which becomes last() only if the step succeeds; swapping the
  // two reuses their storage, so a step allocates nothing.
  std::visit([&](auto& c) { c.kind->step(c.options, c.state, params, grad, scratch_); }, held_);
  std::swap(last_, scratch_);
}

std::vector<NamedVector> Optimizer::state() const {
  std::vector<NamedVector> all =
      std::visit([](const auto& c) { return c.kind->state_vectors(c.state); }, held_);
  // Buffers this configuration never creates (no momentum, no amsgrad, ...) stay empty: skip them.
  std::vector<NamedVector> present;
  for (auto& v : all)
    if (v.value.size() > 0) present.push_back(std::move(v));
  return present;
}

std::vector<NamedScalar> Optimizer::state_scalars() const {
  return std::visit([](const auto& c) { return c.kind->state_scalars(c.state); }, held_);
}

const StepReport& Optimizer::last() const { return last_; }

double Optimizer::lr() const {
  return std::visit([](const auto& c) { return c.options.lr; }, held_);
}

void Optimizer::set_lr(double lr) {
  std::visit([&](auto& c) { c.options.lr = lr; }, held_);
}

void Optimizer::change(const nlohmann::json& patch) { change_options(held_, patch); }

std::string Optimizer::momentum_key() const {
  return std::visit(
      [](const auto& c) -> std::string {
        using O = std::decay_t<decltype(c.options)>;
        if constexpr (HasMomentum<O>::value) return "momentum";
        if constexpr (HasBetas<O>::value) return "betas";
        return "";
      },
      held_);
}

double Optimizer::momentum() const {
  return std::visit(
      [](const auto& c) -> double {
        using O = std::decay_t<decltype(c.options)>;
        if constexpr (HasMomentum<O>::value) return c.options.momentum;
        else if constexpr (HasBetas<O>::value) return c.options.betas[0];
        else return 0.0;
      },
      held_);
}

void Optimizer::set_momentum(double momentum) {
  std::visit(
      [&](auto& c) {
        using O = std::decay_t<decltype(c.options)>;
        if constexpr (HasMomentum<O>::value) c.options.momentum = momentum;
        else if constexpr (HasBetas<O>::value) c.options.betas[0] = momentum;
      },
      held_);
}

}  // namespace optlab
