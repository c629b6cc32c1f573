// torch.optim.lr_scheduler, one small class per scheduler, in torch's operation order. Where torch
// has a chainable get_lr (the new lr from the group's current lr) it is used for every step(), as
// torch does; its _get_closed_form_lr only for step(0), which SequentialLR calls at a milestone.
// cos and pow are pm:: so that native and wasm builds print the same bits.
//
// Against torch 1.13: cyclic_lr may cycle betas[0] of the Adam family (torch >= 2.2; 1.13 accepted
// only optimizers with `momentum`; make_scheduler_fixtures.py patches 1.13 to check it) and sets
// the momentum to max_momentum at construction (1.13: base_momentum, at once overwritten by the
// initial step, so no number differs).
#include "optim/lr_schedulers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "math/portable.h"

namespace optlab::sched {
namespace {

constexpr double kPi = 3.141592653589793;  // math.pi

[[noreturn]] void fail(const std::string& field, const std::string& message) {
  throw std::invalid_argument(field + ": " + message);
}

// torch's LRScheduler: base_lr from initial_lr, step() = ++last_epoch then lr = get_lr().
class Chainable : public LrScheduler {
 public:
  void step(Optimizer& o, double) override {
    ++last_epoch;
    o.set_lr(get_lr(o));
  }
  void step_zero(Optimizer& o) override {
    last_epoch = 0;
    o.set_lr(closed_form(o));
  }
  // LRScheduler.__init__(last_epoch=-1): group.setdefault('initial_lr', lr), then _initial_step().
  void start(Optimizer& o, GroupExtras& g) {
    if (!g.initial_lr) g.initial_lr = o.lr();
    base_lr = *g.initial_lr;
    step(o, 0);
  }

 protected:
  virtual double get_lr(Optimizer& o) = 0;
  virtual double closed_form(Optimizer& o) { return get_lr(o); }  // torch: no closed form
  double base_lr = 0;
};

template <class Derived, class Base = Chainable>
class Cloneable : public Base {
 public:
  std::unique_ptr<LrScheduler> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

template <class T>
std::unique_ptr<LrScheduler> started(std::unique_ptr<T> s, Optimizer& o, GroupExtras& g) {
  s->start(o, g);
  return s;
}

class StepLR final : public Cloneable<StepLR> {
 public:
  long step_size = 1;
  double gamma = 0.1;

 private:
  double get_lr(Optimizer& o) override {
    if (last_epoch == 0 || last_epoch % step_size != 0) return o.lr();
    return o.lr() * gamma;
  }
  double closed_form(Optimizer&) override {
    return base_lr * pm::pow(gamma, static_cast<double>(last_epoch / step_size));
  }
};

class MultiStepLR final : public Cloneable<MultiStepLR> {
 public:
  std::vector<long> milestones;  // strictly increasing, so each counts once (torch's Counter)
  double gamma = 0.1;

 private:
  double get_lr(Optimizer& o) override {
    if (!std::binary_search(milestones.begin(), milestones.end(), last_epoch)) return o.lr();
    return o.lr() * gamma;  // gamma ** 1
  }
  double closed_form(Optimizer&) override {
    const auto passed = std::upper_bound(milestones.begin(), milestones.end(), last_epoch) - milestones.begin();
    return base_lr * pm::pow(gamma, static_cast<double>(passed));
  }
};

class ExponentialLR final : public Cloneable<ExponentialLR> {
 public:
  double gamma = 0;

 private:
  double get_lr(Optimizer& o) override { return last_epoch == 0 ? o.lr() : o.lr() * gamma; }
  double closed_form(Optimizer&) override { return base_lr * pm::pow(gamma, static_cast<double>(last_epoch)); }
};

class CosineAnnealingLR final : public Cloneable<CosineAnnealingLR> {
 public:
  long T_max = 1;
  double eta_min = 0;

 private:
  double get_lr(Optimizer& o) override {
    const double lr = o.lr();
    if (last_epoch == 0) return lr;
    const long period = 2 * T_max;
    const long phase = ((last_epoch - 1 - T_max) % period + period) % period;  // Python's %
    if (phase == 0) return lr + (base_lr - eta_min) * (1 - pm::cos(kPi / T_max)) / 2;
    return (1 + pm::cos(kPi * last_epoch / T_max)) / (1 + pm::cos(kPi * (last_epoch - 1) / T_max)) *
               (lr - eta_min) +
           eta_min;
  }
  double closed_form(Optimizer&) override {
    return eta_min + (base_lr - eta_min) * (1 + pm::cos(kPi * last_epoch / T_max)) / 2;
  }
};

// Not chainable: torch overrides step() with its own restart bookkeeping (T_cur, T_i).
class WarmRestarts final : public LrScheduler {
 public:
  std::unique_ptr<LrScheduler> clone() const override { return std::make_unique<WarmRestarts>(*this); }
  void step(Optimizer& o, double) override {
    if (last_epoch < 0) return step_zero(o);  // torch: epoch is None and last_epoch < 0 -> epoch = 0
    T_cur += 1;
    if (T_cur >= T_i) {
      T_cur -= T_i;
      T_i *= T_mult;
    }
    last_epoch += 1;
    o.set_lr(lr());
  }
  void step_zero(Optimizer& o) override {  // step(epoch=0): 0 < T_0
    T_i = T_0;
    T_cur = 0;
    last_epoch = 0;
    o.set_lr(lr());
  }
  double lr() const { return eta_min + (base_lr - eta_min) * (1 + pm::cos(kPi * T_cur / T_i)) / 2; }
  nlohmann::json state() const override {
    return {{"last_epoch", last_epoch}, {"T_cur", T_cur}, {"T_i", T_i}};
  }

  std::int64_t T_0 = 1, T_i = 1, T_mult = 1, T_cur = -1;
  double eta_min = 0, base_lr = 0;
};

class LinearLR final : public Cloneable<LinearLR> {
 public:
  double start_factor = 1.0 / 3, end_factor = 1.0;
  long total_iters = 5;

 private:
  double get_lr(Optimizer& o) override {
    if (last_epoch == 0) return o.lr() * start_factor;
    if (last_epoch > total_iters) return o.lr();
    return o.lr() * (1. + (end_factor - start_factor) /
                              (total_iters * start_factor + (last_epoch - 1) * (end_factor - start_factor)));
  }
  double closed_form(Optimizer&) override {
    return base_lr * (start_factor +
                      (end_factor - start_factor) * static_cast<double>(std::min(total_iters, last_epoch)) / total_iters);
  }
};

class ConstantLR final : public Cloneable<ConstantLR> {
 public:
  double factor = 1.0 / 3;
  long total_iters = 5;

 private:
  double get_lr(Optimizer& o) override {
    if (last_epoch == 0) return o.lr() * factor;
    if (last_epoch != total_iters) return o.lr();
    if (factor == 0) fail("factor", "float division by zero (torch divides the lr by factor after total_iters)");
    return o.lr() * (1.0 / factor);
  }
  double closed_form(Optimizer&) override {
    return base_lr * (factor + (last_epoch >= total_iters ? 1.0 : 0.0) * (1 - factor));
  }
};

class PolynomialLR final : public Cloneable<PolynomialLR> {
 public:
  long total_iters = 5;
  double power = 1.0;

 private:
  double get_lr(Optimizer& o) override {
    if (last_epoch == 0 || last_epoch > total_iters) return o.lr();
    const double ratio = (1.0 - static_cast<double>(last_epoch) / total_iters) /
                         (1.0 - static_cast<double>(last_epoch - 1) / total_iters);
    if (ratio == 0 && power < 0) fail("power", "0.0 cannot be raised to a negative power");  // Python's error
    return o.lr() * pm::pow(ratio, power);
  }
  double closed_form(Optimizer&) override {
    return base_lr * pm::pow(1.0 - static_cast<double>(std::min(total_iters, last_epoch)) / total_iters, power);
  }
};

// Sets the entry torch cycles: betas[0] for the Adam family, else momentum.
void check_cycles_momentum(const Optimizer& o) {
  if (o.momentum_key().empty())
    fail("cycle_momentum", "optimizer must support momentum or beta1 with `cycle_momentum` option enabled (" +
                               o.name() + " has neither; set cycle_momentum to false)");
}

class OneCycleLR final : public Cloneable<OneCycleLR> {
 public:
  struct Phase {
    double end_step;
    int start_lr, end_lr, start_momentum, end_momentum;  // 0 initial_lr, 1 max_lr, 2 min_lr; 3 max_m, 4 base_m
  };
  OneCycleOptions options;
  std::vector<Phase> phases;
  GroupExtras group;  // what param_groups[0] holds for it (read at every step, as torch does)

  void adopt_group(const GroupExtras& g) override { group = g; }
  nlohmann::json state() const override {  // which phase the next step is in (0-based)
    std::size_t phase = 0;
    while (phase + 1 < phases.size() && last_epoch + 1 > phases[phase].end_step) ++phase;
    return {{"last_epoch", last_epoch}, {"phase", phase}, {"phases", phases.size()}};
  }

 private:
  double value(int which) const {
    switch (which) {
      case 0: return *group.initial_lr;
      case 1: return *group.max_lr;
      case 2: return *group.min_lr;
      case 3: return *group.max_momentum;
      default: return *group.base_momentum;
    }
  }
  double anneal(double start, double end, double pct) const {
    if (options.anneal_strategy == "cos") {
      const double cos_out = pm::cos(kPi * pct) + 1;
      return end + (start - end) / 2.0 * cos_out;
    }
    return (end - start) * pct + start;
  }
  double get_lr(Optimizer& o) override {
    const long step_num = last_epoch;
    if (step_num > options.total_steps)
      fail("total_steps", "Tried to step " + std::to_string(step_num) + " times. The specified number of total steps is " +
                              std::to_string(options.total_steps));
    double start_step = 0;
    double lr = 0;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const Phase& phase = phases[i];
      const double end_step = phase.end_step;
      if (step_num <= end_step || i + 1 == phases.size()) {
        if (end_step - start_step == 0)
          fail("pct_start", "float division by zero (pct_start * total_steps leaves a phase of no steps)");
        const double pct = (step_num - start_step) / (end_step - start_step);
        lr = anneal(value(phase.start_lr), value(phase.end_lr), pct);
        if (options.cycle_momentum) o.set_momentum(anneal(value(phase.start_momentum), value(phase.end_momentum), pct));
        break;
      }
      start_step = phase.end_step;
    }
    return lr;
  }
};

class CyclicLR final : public Cloneable<CyclicLR> {
 public:
  CyclicOptions options;
  double total_size = 0, step_ratio = 0;

  void start_cyclic(Optimizer& o, GroupExtras& g) {
    start(o, g);  // the initial step runs with base_lrs = initial_lr, as in torch
    base_lr = options.base_lr;  // then torch sets self.base_lrs = base_lrs
  }

 private:
  double scale(long cycle) const {
    if (options.mode == "triangular") return 1.;
    if (options.mode == "triangular2") return 1 / pm::pow(2.0, static_cast<double>(cycle - 1));
    return pm::pow(options.gamma, static_cast<double>(last_epoch));  // exp_range: per iteration
  }
  double get_lr(Optimizer& o) override {
    const long cycle = static_cast<long>(std::floor(1 + last_epoch / total_size));
    const double x = 1. + last_epoch / total_size - cycle;
    const double scale_factor = x <= step_ratio ? x / step_ratio : (x - 1) / (step_ratio - 1);
    const double s = scale(cycle);
    const double lr = base_lr + (options.max_lr - base_lr) * scale_factor * s;
    if (options.cycle_momentum) {
      const double base_height = (options.max_momentum - options.base_momentum) * scale_factor;
      o.set_momentum(options.max_momentum - base_height * s);
    }
    return lr;
  }
};

class ReduceLROnPlateau final : public LrScheduler {
 public:
  std::unique_ptr<LrScheduler> clone() const override { return std::make_unique<ReduceLROnPlateau>(*this); }
  void step(Optimizer& o, double current) override {
    last_epoch += 1;
    if (is_better(current)) {
      best = current;
      num_bad_epochs = 0;
    } else {
      num_bad_epochs += 1;
    }
    if (cooldown_counter > 0) {  // in_cooldown
      cooldown_counter -= 1;
      num_bad_epochs = 0;
    }
    if (num_bad_epochs > options.patience) {
      const double old_lr = o.lr();
      const double new_lr = std::max(old_lr * options.factor, options.min_lr);
      if (old_lr - new_lr > options.eps) o.set_lr(new_lr);
      cooldown_counter = options.cooldown;
      num_bad_epochs = 0;
    }
  }
  void step_zero(Optimizer&) override { throw std::logic_error("reduce_lr_on_plateau has no step(0)"); }
  nlohmann::json state() const override {
    return {{"last_epoch", last_epoch},
            {"best", std::isfinite(best) ? nlohmann::json(best) : nlohmann::json(nullptr)},  // null: none yet
            {"num_bad_epochs", num_bad_epochs},
            {"cooldown_counter", cooldown_counter}};
  }

  PlateauOptions options;
  double best = 0;
  long num_bad_epochs = 0, cooldown_counter = 0;

 private:
  bool is_better(double a) const {
    const bool rel = options.threshold_mode == "rel";
    if (options.mode == "min") return rel ? a < best * (1. - options.threshold) : a < best - options.threshold;
    return rel ? a > best * (options.threshold + 1.) : a > best + options.threshold;
  }
};

class SequentialLR final : public LrScheduler {
 public:
  SequentialLR() = default;
  SequentialLR(const SequentialLR& other) : LrScheduler(other), milestones(other.milestones) {
    for (const auto& c : other.children) children.push_back(c->clone());
  }
  std::unique_ptr<LrScheduler> clone() const override { return std::make_unique<SequentialLR>(*this); }
  void step(Optimizer& o, double) override {
    last_epoch += 1;
    const auto idx = std::upper_bound(milestones.begin(), milestones.end(), last_epoch) - milestones.begin();
    LrScheduler& s = *children[static_cast<std::size_t>(idx)];
    if (idx > 0 && milestones[static_cast<std::size_t>(idx - 1)] == last_epoch) s.step_zero(o);
    else s.step(o, 0);
  }
  void step_zero(Optimizer&) override { throw std::logic_error("sequential_lr is not nested"); }
  nlohmann::json state() const override {
    const auto idx = std::upper_bound(milestones.begin(), milestones.end(), last_epoch) - milestones.begin();
    return {{"last_epoch", last_epoch},
            {"scheduler", idx},  // the index of the scheduler that took the last step
            {"scheduler_state", children[static_cast<std::size_t>(idx)]->state()}};
  }

  std::vector<std::unique_ptr<LrScheduler>> children;
  std::vector<long> milestones;
};

}  // namespace

std::unique_ptr<LrScheduler> make_step_lr(Optimizer& o, GroupExtras& g, long step_size, double gamma) {
  auto s = std::make_unique<StepLR>();
  s->step_size = step_size;
  s->gamma = gamma;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_multi_step_lr(Optimizer& o, GroupExtras& g, std::vector<long> milestones,
                                                double gamma) {
  auto s = std::make_unique<MultiStepLR>();
  s->milestones = std::move(milestones);
  s->gamma = gamma;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_exponential_lr(Optimizer& o, GroupExtras& g, double gamma) {
  auto s = std::make_unique<ExponentialLR>();
  s->gamma = gamma;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_cosine_annealing_lr(Optimizer& o, GroupExtras& g, long T_max, double eta_min) {
  auto s = std::make_unique<CosineAnnealingLR>();
  s->T_max = T_max;
  s->eta_min = eta_min;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_cosine_annealing_warm_restarts(Optimizer& o, GroupExtras& g, long T_0,
                                                                 long T_mult, double eta_min) {
  auto s = std::make_unique<WarmRestarts>();
  s->T_0 = s->T_i = T_0;
  s->T_mult = T_mult;
  s->eta_min = eta_min;
  if (!g.initial_lr) g.initial_lr = o.lr();
  s->base_lr = *g.initial_lr;
  s->step(o, 0);  // the initial step
  return s;
}

std::unique_ptr<LrScheduler> make_linear_lr(Optimizer& o, GroupExtras& g, double start_factor,
                                            double end_factor, long total_iters) {
  if (start_factor > 1.0 || start_factor <= 0)
    fail("start_factor", "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
  if (end_factor > 1.0 || end_factor < 0)
    fail("end_factor", "Ending multiplicative factor expected to be between 0 and 1.");
  auto s = std::make_unique<LinearLR>();
  s->start_factor = start_factor;
  s->end_factor = end_factor;
  s->total_iters = total_iters;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_constant_lr(Optimizer& o, GroupExtras& g, double factor, long total_iters) {
  if (factor > 1.0 || factor < 0) fail("factor", "Constant multiplicative factor expected to be between 0 and 1.");
  auto s = std::make_unique<ConstantLR>();
  s->factor = factor;
  s->total_iters = total_iters;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_polynomial_lr(Optimizer& o, GroupExtras& g, long total_iters, double power) {
  auto s = std::make_unique<PolynomialLR>();
  s->total_iters = total_iters;
  s->power = power;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_one_cycle_lr(Optimizer& o, GroupExtras& g, const OneCycleOptions& options) {
  auto s = std::make_unique<OneCycleLR>();
  s->options = options;
  const double T = static_cast<double>(options.total_steps);
  if (options.three_phase)
    s->phases = {{options.pct_start * T - 1, 0, 1, 3, 4},
                 {2 * options.pct_start * T - 2, 1, 0, 4, 3},
                 {T - 1, 0, 2, 3, 3}};
  else
    s->phases = {{options.pct_start * T - 1, 0, 1, 3, 4}, {T - 1, 1, 2, 4, 3}};
  if (options.pct_start < 0 || options.pct_start > 1)
    fail("pct_start", "Expected float between 0 and 1 pct_start, but got " + python_repr(options.pct_start));
  g.initial_lr = options.max_lr / options.div_factor;
  g.max_lr = options.max_lr;
  g.min_lr = *g.initial_lr / options.final_div_factor;
  if (options.cycle_momentum) {
    check_cycles_momentum(o);
    o.set_momentum(options.max_momentum);
    g.max_momentum = options.max_momentum;
    g.base_momentum = options.base_momentum;
  }
  s->group = g;
  return started(std::move(s), o, g);
}

std::unique_ptr<LrScheduler> make_cyclic_lr(Optimizer& o, GroupExtras& g, const CyclicOptions& options) {
  auto s = std::make_unique<CyclicLR>();
  s->options = options;
  o.set_lr(options.base_lr);
  const double up = options.step_size_up;
  const double down = options.step_size_down.value_or(up);
  s->total_size = up + down;
  s->step_ratio = up / s->total_size;
  if (options.cycle_momentum) {
    check_cycles_momentum(o);
    o.set_momentum(options.max_momentum);
    g.max_momentum = options.max_momentum;
    g.base_momentum = options.base_momentum;
  }
  s->start_cyclic(o, g);
  return s;
}

std::unique_ptr<LrScheduler> make_reduce_lr_on_plateau(Optimizer&, const PlateauOptions& options) {
  if (options.factor >= 1.0) fail("factor", "Factor should be < 1.0.");
  auto s = std::make_unique<ReduceLROnPlateau>();
  s->options = options;
  s->last_epoch = 0;
  s->best = options.mode == "min" ? INFINITY : -INFINITY;  // mode_worse
  return s;
}

std::unique_ptr<LrScheduler> make_sequential_lr(Optimizer& o, GroupExtras& g,
                                                std::vector<std::unique_ptr<LrScheduler>> children,
                                                std::vector<long> milestones) {
  if (children.empty()) fail("schedulers", "SequentialLR expects at least one scheduler, but got no scheduler.");
  if (milestones.size() != children.size() - 1)
    fail("milestones",
         "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
         "points, but got number of schedulers " +
             std::to_string(children.size()) + " and the number of milestones to be equal to " +
             std::to_string(milestones.size()));
  auto s = std::make_unique<SequentialLR>();
  s->last_epoch = 0;
  o.set_lr(*g.initial_lr);  // "Reset learning rates back to initial values"
  for (auto& c : children) {
    c->last_epoch -= 1;  // "Undo" the step performed by other schedulers
    c->adopt_group(g);
  }
  children[0]->step(o, 0);  // the initial step for only the first scheduler
  s->children = std::move(children);
  s->milestones = std::move(milestones);
  return s;
}

}  // namespace optlab::sched
