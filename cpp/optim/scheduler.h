// Scheduler: one of torch.optim.lr_scheduler's schedulers as a value type, stepped once per
// optimizer step as in torch's loop
//
//   for k in 1..steps: loss = f(θ); loss.backward(); opt.step(); sched.step()   (step(loss) for
//   reduce_lr_on_plateau, with the loss whose gradient drove that step)
//
// It acts on the Optimizer's param group (lr, and momentum or betas[0] where torch cycles it); it
// holds no pointer to it, so copying a RunState (a checkpoint) copies the scheduler's state too.
// The rules, names and defaults are in docs/spec/experiment.md ("Schedulers").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optim/optimizer.h"

namespace optlab {

namespace sched {
class LrScheduler;
}

class Scheduler {
 public:
  Scheduler();  // none: the lr never changes
  Scheduler(const Scheduler& other);
  Scheduler& operator=(const Scheduler& other);
  Scheduler(Scheduler&&) noexcept;
  Scheduler& operator=(Scheduler&&) noexcept;
  ~Scheduler();

  // Reads spec ({"name": "step_lr", "step_size": 10, ...}) and constructs it on `optimizer` as
  // torch's constructor does: that sets the optimizer's lr (and momentum, when cycled). `steps` is
  // the run's length: one_cycle_lr's default total_steps; the schedule is also tried for that many
  // steps here, so that an error torch raises only while stepping is reported before anything runs.
  // Errors: std::invalid_argument whose message starts with the argument, relative to the
  // scheduler object ("T_max: expected a whole number ...", "schedulers[1].gamma: required").
  static Scheduler from_json(const nlohmann::json& spec, Optimizer& optimizer, long steps);

  bool active() const { return impl_ != nullptr; }
  // One sched.step() after one opt.step(); `loss` is the loss whose gradient drove that step
  // (used by reduce_lr_on_plateau only). No-op when not active.
  void step(Optimizer& optimizer, double loss);
  // The spec with every default filled in (null when not active).
  nlohmann::json options_json() const;
  // The scheduler's own state, torch's names ({"last_epoch": 7, ...}; null when not active).
  nlohmann::json state_json() const;

 private:
  std::unique_ptr<sched::LrScheduler> impl_;
  std::shared_ptr<const nlohmann::json> options_;
};

// Every scheduler name, in the catalog's order.
std::vector<std::string> scheduler_names();

// For the page: [{"name", "description", "arguments": [{"name", "kind" ("number", "integer",
// "bool", "choice", "milestones" or "schedulers"), "default" (null when required or when it
// depends on the run), "required", and "min" (integer), "choices" (choice), "note"}]}].
nlohmann::json scheduler_catalog();

}  // namespace optlab
