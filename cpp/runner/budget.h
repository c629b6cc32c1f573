// What a request may cost, checked before anything runs, so that a short spec inside every other
// limit still cannot freeze the page for minutes or take all of a machine's memory (issue 11).
// Costs are in operations, the unit of Problem::step_cost(): about a nanosecond each in the wasm
// build, so the budgets read as time. The catalog publishes them; docs/spec/experiment.md explains.
#pragma once

#include "problems/problem.h"
#include "runner/spec.h"

namespace optlab {

// One step of every run together: about 50 ms, so the page can step in slices that leave it
// answering a click within 100 ms.
constexpr double kMaxStepCost = 5e7;
// All spec.steps steps of every run: about half a minute of computing.
constexpr double kMaxRequestCost = 3e10;
// Parameters × runs: each run keeps its weights several times over (optimizer state, checkpoints
// for Back, trail samples), about 200 bytes a weight, so this bounds a session near 200 MB.
constexpr double kMaxTotalWeights = 1e6;
// Numbers in one run_experiment result (loss, metrics and kept params of every step of every run):
// at most about 250 MB of JSON, well within the longest string JavaScript can hold.
constexpr double kMaxResultNumbers = 1e7;

// One step of every run of `spec` on `problem` (the problem spec names).
double request_step_cost(const Spec& spec, const Problem& problem);

// Throws a SpecError naming the field to change and the budget it exceeds (step cost, request
// cost, total weights). spec_from_json calls it, so every spec that parses is affordable.
void check_budget(const Spec& spec, const Problem& problem);

// The numbers run_experiment's result will hold, and the check of them against kMaxResultNumbers
// (a SpecError naming "record_params" or "steps"). Sessions thin their histories and need neither.
double result_numbers(const Spec& spec, const Problem& problem);
void check_result_size(const Spec& spec, const Problem& problem);

}  // namespace optlab
