// torch.optim.lr_scheduler's classes, each constructed and stepped on an Optimizer exactly as
// torch does it (torch 2.x's code; lr_schedulers.cpp says where 1.13 differs). The arguments
// arrive validated for type (scheduler.cpp); what torch itself rejects is checked here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optim/optimizer.h"

namespace optlab::sched {

// What torch keeps in param_groups[0] for schedulers besides lr and momentum. initial_lr is set
// by the first scheduler built on the group (setdefault) or overwritten by one_cycle_lr; the others
// are one_cycle_lr's and cyclic_lr's, which one_cycle_lr reads back at every step.
struct GroupExtras {
  std::optional<double> initial_lr, max_lr, min_lr, max_momentum, base_momentum;
};

class LrScheduler {
 public:
  virtual ~LrScheduler() = default;
  virtual std::unique_ptr<LrScheduler> clone() const = 0;
  // torch's step(), or step(metrics) for reduce_lr_on_plateau.
  virtual void step(Optimizer& o, double metric) = 0;
  // torch's step(0), which SequentialLR calls at a milestone: the closed form where torch has
  // one (_get_closed_form_lr), else get_lr at last_epoch 0.
  virtual void step_zero(Optimizer& o) = 0;
  // After every scheduler of a sequence is built: what the group finally holds (one_cycle_lr reads it).
  virtual void adopt_group(const GroupExtras&) {}
  // What the inspector shows: torch's names for the scheduler's own state (last_epoch, and e.g.
  // best and num_bad_epochs for reduce_lr_on_plateau, T_cur and T_i for warm restarts).
  virtual nlohmann::json state() const { return {{"last_epoch", last_epoch}}; }
  long last_epoch = -1;
};

// The torch rejections these throw are std::invalid_argument("ARGUMENT: torch's message").

std::unique_ptr<LrScheduler> make_step_lr(Optimizer& o, GroupExtras& g, long step_size, double gamma);
std::unique_ptr<LrScheduler> make_multi_step_lr(Optimizer& o, GroupExtras& g, std::vector<long> milestones,
                                                double gamma);
std::unique_ptr<LrScheduler> make_exponential_lr(Optimizer& o, GroupExtras& g, double gamma);
std::unique_ptr<LrScheduler> make_cosine_annealing_lr(Optimizer& o, GroupExtras& g, long T_max, double eta_min);
std::unique_ptr<LrScheduler> make_cosine_annealing_warm_restarts(Optimizer& o, GroupExtras& g, long T_0,
                                                                 long T_mult, double eta_min);
std::unique_ptr<LrScheduler> make_linear_lr(Optimizer& o, GroupExtras& g, double start_factor,
                                            double end_factor, long total_iters);
std::unique_ptr<LrScheduler> make_constant_lr(Optimizer& o, GroupExtras& g, double factor, long total_iters);
std::unique_ptr<LrScheduler> make_polynomial_lr(Optimizer& o, GroupExtras& g, long total_iters, double power);

struct OneCycleOptions {
  double max_lr = 0;
  long total_steps = 0;
  double pct_start = 0.3;
  std::string anneal_strategy = "cos";
  bool cycle_momentum = true;
  double base_momentum = 0.85, max_momentum = 0.95, div_factor = 25.0, final_div_factor = 1e4;
  bool three_phase = false;
};
std::unique_ptr<LrScheduler> make_one_cycle_lr(Optimizer& o, GroupExtras& g, const OneCycleOptions& options);

struct CyclicOptions {
  double base_lr = 0, max_lr = 0, step_size_up = 2000;
  std::optional<double> step_size_down;  // absent: step_size_up
  std::string mode = "triangular";
  double gamma = 1.0;
  bool cycle_momentum = true;
  double base_momentum = 0.8, max_momentum = 0.9;
};
std::unique_ptr<LrScheduler> make_cyclic_lr(Optimizer& o, GroupExtras& g, const CyclicOptions& options);

struct PlateauOptions {
  std::string mode = "min";
  double factor = 0.1;
  long patience = 10;
  double threshold = 1e-4;
  std::string threshold_mode = "rel";
  long cooldown = 0;
  double min_lr = 0, eps = 1e-8;
};
std::unique_ptr<LrScheduler> make_reduce_lr_on_plateau(Optimizer& o, const PlateauOptions& options);

// children were built in order on o (each doing its own initial step), as torch's caller does
// before passing them to SequentialLR.
std::unique_ptr<LrScheduler> make_sequential_lr(Optimizer& o, GroupExtras& g,
                                                std::vector<std::unique_ptr<LrScheduler>> children,
                                                std::vector<long> milestones);

}  // namespace optlab::sched
