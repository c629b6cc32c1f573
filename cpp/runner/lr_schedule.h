// A run's learning rate over its steps, as torch.optim.lr_scheduler gives it, for the page's
// Schedule drawer (before anything runs) and its lr panel (the runs of a Session). Plain values
// out; bindings.cpp only converts them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/session.h"
#include "runner/spec.h"

namespace optlab {

// What a schedule does over `steps` scheduler steps, with no problem involved.
struct LrSchedule {
  // lr[k] = param_groups[0]['lr'] after k scheduler steps (lr[0]: after construction), as the
  // result's "lr"; shorter than steps + 1 when torch stops stepping early (see stop_message).
  std::vector<double> lr;
  // reduce_lr_on_plateau: the lr depends on the losses, so there is no schedule without a run
  // (lr then holds lr[0] only).
  bool depends_on_loss = false;
  // Non-empty when stepping failed at step lr.size() (one_cycle_lr past total_steps): torch's message.
  std::string stop_message;
};

// `run` as read by parse_run (a run without a scheduler has a constant lr).
LrSchedule lr_schedule(const RunSpec& run, long steps);

// The module's lrSchedule(request): {"optimizer": ENTRY, "steps": N} (N from 0 to kMaxSteps; ENTRY
// an optimizer entry of an experiment, read with steps 0 as the page's Session reads it) to
// {"lr": [...], "depends_on_loss": bool, "stopped": null | {"step": k, "message": "..."}}. Errors
// name the field ("optimizer.scheduler.T_max: ...", "steps: ...").
std::string lr_schedule_request_to_json(const std::string& request);

// Session run `run`'s lr at each of its samples (sample_steps): the recorded lr in the recent
// window; for the thinned older samples the schedule's lr, or NaN where it depends on the losses
// (reduce_lr_on_plateau keeps no record that far back).
std::vector<double> sample_lr(const Session& s, int run);

}  // namespace optlab
