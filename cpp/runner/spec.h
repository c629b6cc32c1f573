// The experiment spec of docs/spec/experiment.md, read and validated once at the boundary.
// Every rejection is a SpecError whose message starts with the field it names
// ("optimizers[1].lr: Invalid learning rate: -1", "problem.expr: unexpected ')' at column 7").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include "json/fields.h"
#include "optim/optimizer.h"
#include "optim/scheduler.h"
#include "problems/problem.h"
#include "runner/run.h"

namespace optlab {

// The message is kept to one line: control characters copied from the input (a key holding a
// newline, say) are written as JSON escapes (\u000a), so the CLI's single stderr line holds.
class SpecError : public std::invalid_argument {
 public:
  explicit SpecError(const std::string& message);
};

// The shared field readers (json/fields.h) throw FieldError; at the boundaries that read requests
// (the spec, maps, the phase diagram) every rejection is a SpecError: f(), its FieldErrors turned.
template <class F>
auto field_errors_as_spec_errors(const F& f) -> decltype(f()) {
  try {
    return f();
  } catch (const fields::FieldError& e) {
    throw SpecError(e.what());
  }
}

struct RunSpec {
  Optimizer optimizer;  // as the scheduler's construction left it (its lr, momentum)
  std::string label;    // defaults to the optimizer's name
  Scheduler scheduler;  // the entry's "scheduler"; not active() without one
  // This run's own "batch_size" (fit and mlp problems: a whole number, or null for full batch) or
  // "noise" (landscapes), in place of the problem's; empty: the run sees the shared problem.
  // Every run with the same batch size sees the same batches (they depend on the seed and step).
  nlohmann::json overrides = nlohmann::json::object();
  // The entry's "changes" (null: none): hyperparameters edited between steps, torch's way.
  std::shared_ptr<const Changes> changes;
  // Whether the run's lr can vary (a scheduler, or a change of lr): its result then carries lr.
  bool varies_lr() const;
};

// The problem spec_from_json built while validating a spec, kept so that it is built once: the
// first make_problem() for the same problem and seed takes it, later ones build their own.
struct BuiltProblem {
  nlohmann::json problem;
  std::uint64_t seed = 0;
  std::unique_ptr<Problem> value;
};

struct Spec {
  nlohmann::json problem;                // as given; make_problem() turns it into a Problem
  std::optional<Eigen::VectorXd> start;  // absent: the problem's default start
  long steps = 0;
  std::uint64_t seed = 0;
  std::vector<RunSpec> runs;
  // Whether results carry params. Absent: yes for a landscape, no for a network, whose weights
  // are many ("record_params": true asks for them).
  std::optional<bool> record_params;
  std::shared_ptr<BuiltProblem> built;  // see BuiltProblem

  bool is_network() const { return problem.is_object() && problem.value("name", nlohmann::json()) == "mlp"; }
  bool keeps_params() const { return record_params.value_or(!is_network()); }
};

constexpr long kMaxSteps = 1000000;
constexpr int kMaxOptimizers = 8;
constexpr int kMaxLabelLength = 200;
constexpr int kMaxChanges = 1000;  // per optimizer entry: far more than a lesson edits by hand
// The longest spec text, in bytes: far more than any lesson needs (a share link cannot carry more
// than ~2 MB anyway), small enough that reading it never takes long.
constexpr long kMaxSpecBytes = 1000000;  // characters (Unicode code points), not bytes

// Parses JSON text strictly, in linear time: text over kMaxSpecBytes, duplicate keys, NaN/Infinity
// and nesting deeper than 64 are rejected.
nlohmann::json parse_json(const std::string& text);

Spec parse_spec(const std::string& text);
Spec spec_from_json(const nlohmann::json& doc);

// One optimizer entry ({"name": ..., hyperparameters, "label"?, "color"?, "scheduler"?,
// "changes"?}); `field` prefixes errors. `steps` is the run's length (one_cycle_lr's default
// total_steps, and the steps a scheduler is tried for: see Scheduler::from_json). A change's step
// is not bounded by it: a page that steps on past `steps` applies a later change then.
RunSpec parse_run(const nlohmann::json& entry, const std::string& field, long steps);

// Builds the problem the spec names, with its noise seeded by spec.seed. Throws SpecError.
std::unique_ptr<Problem> make_problem(const Spec& spec);

// The start point: spec.start checked against the problem's dimension, or its default start.
Eigen::VectorXd start_point(const Spec& spec, const Problem& problem);
// Run `index`'s own problem when its entry overrides the problem's batch size or noise, else null.
// Errors name the run's field ("optimizers[1].batch_size: ...").
std::unique_ptr<Problem> make_run_problem(const Spec& spec, std::size_t index);

}  // namespace optlab
