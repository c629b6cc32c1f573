#include "runner/lr_schedule.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "runner/network_view.h"

namespace optlab {
namespace {

bool loss_driven(const Scheduler& s) {
  return s.active() && s.options_json().value("name", "") == "reduce_lr_on_plateau";
}

nlohmann::json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

LrSchedule lr_schedule(const RunSpec& run, long steps) {
  LrSchedule out;
  Optimizer opt = run.optimizer;
  Scheduler sched = run.scheduler;
  out.lr.reserve(static_cast<std::size_t>(steps) + 1);
  out.lr.push_back(opt.lr());
  if (loss_driven(sched)) {
    out.depends_on_loss = true;
    return out;
  }
  try {
    // The loss is not read by any scheduler but reduce_lr_on_plateau.
    for (long k = 0; k < steps; ++k) {
      sched.step(opt, 0.0);
      out.lr.push_back(opt.lr());
    }
  } catch (const std::invalid_argument& e) {
    out.stop_message = e.what();
  }
  return out;
}

std::string lr_schedule_request_to_json(const std::string& request) {
  const nlohmann::json j = parse_json(request);
  if (!j.is_object()) throw SpecError("request: expected {\"optimizer\": {...}, \"steps\": N}");
  for (const auto& [key, value] : j.items())
    if (key != "optimizer" && key != "steps") throw SpecError(key + ": unknown field (expected optimizer, steps)");
  if (!j.contains("optimizer")) throw SpecError("optimizer: missing");
  if (!j.contains("steps")) throw SpecError("steps: missing");
  const nlohmann::json& n = j["steps"];
  if (!n.is_number_integer() || n.get<long long>() < 0 || n.get<long long>() > kMaxSteps)
    throw SpecError("steps: expected a whole number from 0 to " + std::to_string(kMaxSteps) + ", got " + n.dump());
  const long steps = static_cast<long>(n.get<long long>());
  // Read as Session::set_optimizer reads a page's run (the page opens its sessions at steps 0).
  const RunSpec run = parse_run(j["optimizer"], "optimizer", 0);
  const LrSchedule s = lr_schedule(run, steps);
  nlohmann::json lr = nlohmann::json::array();
  for (double v : s.lr) lr.push_back(finite_or_null(v));
  nlohmann::json stopped = nullptr;
  if (!s.stop_message.empty())
    stopped = {{"step", s.lr.size()}, {"message", "optimizer.scheduler." + s.stop_message}};
  return nlohmann::json{{"lr", lr}, {"depends_on_loss", s.depends_on_loss}, {"stopped", stopped}}.dump();
}

std::vector<double> sample_lr(const Session& s, int run) {
  const std::vector<double> steps = sample_steps(s, run);
  const History& h = s.history(run);
  const RunSpec& spec = s.spec().runs[static_cast<std::size_t>(run)];
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> out(steps.size(), nan);
  const std::size_t older = steps.size() - static_cast<std::size_t>(h.size());
  if (!spec.scheduler.active()) {
    std::fill(out.begin(), out.end(), spec.optimizer.lr());
    return out;
  }
  for (std::size_t k = older; k < steps.size() && k - older < h.lr.size(); ++k) out[k] = h.lr[k - older];
  if (older > 0 && !loss_driven(spec.scheduler)) {
    const LrSchedule full = lr_schedule(spec, static_cast<long>(steps[older - 1]));
    for (std::size_t k = 0; k < older; ++k) {
      const auto at = static_cast<std::size_t>(steps[k]);
      if (at < full.lr.size()) out[k] = full.lr[at];
    }
  }
  return out;
}

}  // namespace optlab
