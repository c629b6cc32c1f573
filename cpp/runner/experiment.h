// run_experiment(spec): every optimizer from the same start for spec.steps steps (experiment.md).
#pragma once

#include <string>
#include <vector>

#include "runner/run.h"
#include "runner/spec.h"

namespace optlab {

struct RunResult {
  std::string name;
  std::string label;
  bool diverged = false;
  long diverged_at = 0;
  long steps_per_epoch = 0;  // mini-batched: an epoch ends every this many steps (0: full batch)
  History history;
};

struct ExperimentResult {
  std::vector<std::string> metric_names;  // series each run carries besides loss
  std::vector<RunResult> runs;
};

ExperimentResult run_experiment(const Spec& spec);

}  // namespace optlab
