#include "runner/internals_json.h"

#include <cmath>

namespace optlab {
namespace {

// Non-finite numbers become null, as everywhere in OptLab's JSON.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json vector(const Eigen::VectorXd& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(number(v[i]));
  return out;
}

}  // namespace

nlohmann::json run_internals(const Session& session, int run) {
  return state_internals(session.state(run), session.label(run));
}

nlohmann::json run_internals_at(const Session& session, int run, long step) {
  return state_internals(session.state_at(run, step), session.label(run));
}

nlohmann::json state_internals(const RunState& s, const std::string& label) {
  const Optimizer& opt = s.optimizer;
  const StepReport& last = opt.last();
  nlohmann::json state = nlohmann::json::array();
  for (const NamedVector& b : opt.state()) state.push_back({{"name", b.name}, {"value", vector(b.value)}});
  nlohmann::json scalars = nlohmann::json::array();
  for (const NamedScalar& sc : opt.state_scalars())
    scalars.push_back({{"name", std::string(sc.name)}, {"value", number(sc.value)}});
  nlohmann::json step_scalars = nlohmann::json::array();
  for (const NamedScalar& sc : last.scalars)
    step_scalars.push_back({{"name", std::string(sc.name)}, {"value", number(sc.value)}});
  nlohmann::json out = {
      {"name", opt.name()},
      {"label", label},
      {"step", s.step},
      {"params", vector(s.x)},
      {"loss", number(s.loss)},
      // The step that led to this point (empty at step 0).
      {"grad", vector(last.grad)},
      {"update", vector(last.update)},
      {"step_size", vector(last.step_size)},
      {"step_scalars", step_scalars},
      // The gradient at this point: what the next step will use.
      {"grad_here", vector(s.grad)},
      {"state", state},
      {"scalars", scalars},
      {"options", opt.options_json()},
      {"status", s.diverged ? "diverged" : "ok"},
      // The lr the next step uses (param_groups[0]['lr']; a scheduler changes it between steps).
      {"lr", number(opt.lr())},
  };
  if (s.scheduler.active()) {
    out["scheduler"] = s.scheduler.options_json();
    out["scheduler_state"] = s.scheduler.state_json();
  }
  return out;
}

nlohmann::json run_status(const Session& session, int run) {
  const RunState& s = session.state(run);
  nlohmann::json out = {{"status", s.diverged ? "diverged" : "ok"},
                        {"diverged_at", s.diverged ? nlohmann::json(s.step) : nlohmann::json(nullptr)}};
  // A problem made of data: this run's batch size (null: full batch), the steps in its epoch and
  // the training rows, so the page can count epochs and examples seen per run.
  const Problem& p = session.problem_of(run);
  if (p.data_rows() > 0) {
    out["batch_size"] = p.batch_rows() > 0 ? nlohmann::json(p.batch_rows()) : nlohmann::json(nullptr);
    out["steps_per_epoch"] = p.batch_rows() > 0 ? p.steps_per_epoch() : 1;
    out["rows"] = p.data_rows();
  }
  return out;
}

}  // namespace optlab
