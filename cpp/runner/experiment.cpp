#include "runner/experiment.h"

#include "runner/budget.h"

namespace optlab {

ExperimentResult run_experiment(const Spec& spec) {
  const auto problem = make_problem(spec);
  const Eigen::VectorXd start = start_point(spec, *problem);
  check_result_size(spec, *problem);  // before anything is allocated
  ExperimentResult result;
  result.metric_names = problem->metric_names();
  for (const RunSpec& r : spec.runs) {
    RunResult out{r.optimizer.name(), r.label, false, 0, {}};
    out.history.keep_params = spec.keeps_params();
    if (out.history.keep_params)
      out.history.params.reserve(static_cast<std::size_t>(spec.steps + 1) * static_cast<std::size_t>(start.size()));
    out.history.loss.reserve(static_cast<std::size_t>(spec.steps + 1));
    out.history.keep_lr = r.scheduler.active();
    RunState run = start_run(r.optimizer, start, *problem, r.scheduler);
    out.history.record(run);
    while (!run.diverged && run.step < spec.steps) {
      advance(run, *problem);
      out.history.record(run);
    }
    out.diverged = run.diverged;
    out.diverged_at = run.step;
    result.runs.push_back(std::move(out));
  }
  return result;
}

}  // namespace optlab
