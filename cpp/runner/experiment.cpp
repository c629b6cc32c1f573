#include "runner/experiment.h"

#include "runner/budget.h"

namespace optlab {

ExperimentResult run_experiment(const Spec& spec) {
  const auto problem = make_problem(spec);
  const Eigen::VectorXd start = start_point(spec, *problem);
  check_result_size(spec, *problem);  // before anything is allocated
  ExperimentResult result;
  result.metric_names = problem->metric_names();
  for (std::size_t i = 0; i < spec.runs.size(); ++i) {
    const RunSpec& r = spec.runs[i];
    // A run with its own batch size or noise walks its own copy of the problem.
    const auto own = make_run_problem(spec, i);
    Problem& p = own ? *own : *problem;
    RunResult out{r.optimizer.name(), r.label, false, 0, 0, {}};
    out.steps_per_epoch = p.steps_per_epoch();
    out.history.keep_params = spec.keeps_params();
    if (out.history.keep_params)
      out.history.params.reserve(static_cast<std::size_t>(spec.steps + 1) * static_cast<std::size_t>(start.size()));
    out.history.loss.reserve(static_cast<std::size_t>(spec.steps + 1));
    out.history.keep_lr = r.varies_lr();
    RunState run = start_run(r.optimizer, start, p, r.scheduler, r.changes);
    out.history.record(run);
    while (!run.diverged && run.step < spec.steps) {
      advance(run, p);
      out.history.record(run);
    }
    out.diverged = run.diverged;
    out.diverged_at = run.step;
    result.runs.push_back(std::move(out));
  }
  return result;
}

}  // namespace optlab
