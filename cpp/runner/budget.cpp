#include "runner/budget.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace optlab {
namespace {

// 1234567 -> "1,234,567"; large costs as "3.2e10".
std::string count(double v) {
  if (v >= 1e9) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g", v);
    return buf;
  }
  std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

std::string runs_text(const Spec& spec) {
  return std::to_string(spec.runs.size()) + (spec.runs.size() == 1 ? " run" : " runs");
}

// The field whose value drives a problem's cost.
std::string problem_field(const Spec& spec) {
  if (spec.is_network()) return "problem";
  return spec.problem.contains("expr") ? "problem.expr" : "problem.name";
}

}  // namespace

double request_step_cost(const Spec& spec, const Problem& problem) {
  return static_cast<double>(spec.runs.size()) * problem.step_cost();
}

void check_budget(const Spec& spec, const Problem& problem) {
  const double runs = static_cast<double>(spec.runs.size());
  const double weights = runs * problem.dim();
  if (weights > kMaxTotalWeights)
    throw SpecError(problem_field(spec) + ": " + runs_text(spec) + " × " + count(problem.dim()) + " weights = " +
                    count(weights) + ", more than the budget of " + count(kMaxTotalWeights) +
                    " weights across runs (max_total_weights); use fewer or narrower layers, or fewer optimizers");
  const double step = request_step_cost(spec, problem);
  if (step > kMaxStepCost)
    throw SpecError(problem_field(spec) + ": one step of " + runs_text(spec) + " costs about " + count(step) +
                    " operations, more than the budget of " + count(kMaxStepCost) +
                    " a step (max_step_cost); use " +
                    (spec.is_network() ? "fewer or narrower layers, fewer points, a smaller batch_size"
                                       : "a shorter formula") +
                    " or fewer optimizers");
  const double total = step * static_cast<double>(spec.steps);
  if (total > kMaxRequestCost) {
    const long most = static_cast<long>(std::floor(kMaxRequestCost / step));
    throw SpecError("steps: " + count(static_cast<double>(spec.steps)) + " steps × " + count(step) +
                    " operations a step (" + runs_text(spec) + ") = " + count(total) +
                    ", more than the budget of " + count(kMaxRequestCost) + " (max_request_cost); ask for at most " +
                    count(static_cast<double>(most)) + " steps, or fewer optimizers");
  }
}

double result_numbers(const Spec& spec, const Problem& problem) {
  const double kept = spec.keeps_params() ? problem.dim() : 0.0;
  const double per_step = 1.0 + static_cast<double>(problem.metric_names().size()) + kept;
  return static_cast<double>(spec.runs.size()) * static_cast<double>(spec.steps + 1) * per_step;
}

void check_result_size(const Spec& spec, const Problem& problem) {
  const double numbers = result_numbers(spec, problem);
  if (numbers <= kMaxResultNumbers) return;
  const double per_run_step = numbers / static_cast<double>(spec.runs.size()) / static_cast<double>(spec.steps + 1);
  const std::string what = runs_text(spec) + " × " + count(static_cast<double>(spec.steps + 1)) + " steps × " +
                           count(per_run_step) + " numbers = " + count(numbers) +
                           " numbers, more than a result may hold (" + count(kMaxResultNumbers) +
                           ", max_result_numbers)";
  Spec without = spec;
  without.record_params = false;
  if (spec.keeps_params() && result_numbers(without, problem) <= kMaxResultNumbers)
    throw SpecError("record_params: " + what + "; set record_params to false, or ask for fewer steps");
  const double most = std::floor(kMaxResultNumbers / (static_cast<double>(spec.runs.size()) * per_run_step)) - 1;
  throw SpecError("steps: " + what + "; ask for at most " + count(std::max(0.0, most)) + " steps" +
                  (spec.keeps_params() ? ", or set record_params to false" : ""));
}

}  // namespace optlab
