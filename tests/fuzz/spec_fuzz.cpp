// libFuzzer target for the experiment-spec reader (issue 5): the input bytes are a spec, as a share
// link, an imported file or `optlab run` might deliver it. Beyond "no crash, no leak, no undefined
// behaviour, no hang", it checks the promises of experiment.md:
//   - a rejected spec throws SpecError (nothing else: a json::type_error slipping through would
//     reach the page without naming the field) with a message "FIELD: what is wrong";
//   - an accepted spec runs (steps clamped to kFuzzSteps so each input stays fast): one run per
//     optimizer, params/loss with steps + 1 entries or diverged_at + 1 when diverged, entry 0 at
//     the start, divergence exactly where the loss or a parameter is first bad;
//   - the result JSON parses and every number reads back to the same double (null if non-finite);
//   - a Session reaches the same histories bit for bit, in two chunks and after stepping back and
//     forward again (exact Back), and its internals serialise;
//   - the same for the map reader (a spec with a "map" section): SpecError only, and a small map
//     that is accepted runs and assembles to JSON with one value per cell.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

namespace {

using namespace optlab;

// Enough to pass the first Session checkpoint (every 64 steps), few enough for ~1000 inputs/s.
// A network step costs up to parameters x points, so networks get a few steps, and only small
// ones are run at all (a 1024-wide network is legal and slow, not a bug).
constexpr long kFuzzSteps = 70;
constexpr long kFuzzNetworkSteps = 3;
constexpr int kFuzzNetworkDim = 300;

[[noreturn]] void fail(const std::string& what, const std::string& text) {
  std::fprintf(stderr, "spec_fuzz: %s\nspec (%zu bytes): %.500s\n", what.c_str(), text.size(), text.c_str());
  std::abort();
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b, std::size_t n) {
  if (a.size() < n || b.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (!same_bits(a[i], b[i])) return false;
  return true;
}

// "FIELD: what is wrong", FIELD being a path like optimizers[0].lr, or "spec" / "invalid JSON";
// one line without control characters (the CLI prints it as one line on stderr).
void check_error(const SpecError& e, const std::string& text) {
  const std::string message = e.what();
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0 || colon + 2 == message.size())
    fail("SpecError not of the form 'FIELD: what is wrong': " + message, text);
  for (const char c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) fail("SpecError with a control character: " + message, text);
}

// Entry k is healthy when its loss is finite and at most 1e12 and its params (if kept) are finite.
bool healthy(const History& h, long k) {
  const double loss = h.loss[static_cast<std::size_t>(k)];
  if (!std::isfinite(loss) || loss > kDivergedLoss) return false;
  for (int d = 0; h.keep_params && d < h.dim; ++d)
    if (!std::isfinite(h.params[static_cast<std::size_t>(k * h.dim + d)])) return false;
  return true;
}

void check_result(const Spec& spec, const Problem& problem, const ExperimentResult& result, const std::string& text) {
  if (result.runs.size() != spec.runs.size()) fail("not one run per optimizer", text);
  if (result.metric_names != problem.metric_names()) fail("metric names differ from the problem's", text);
  const Eigen::VectorXd start = start_point(spec, problem);
  for (std::size_t i = 0; i < result.runs.size(); ++i) {
    const RunResult& r = result.runs[i];
    const History& h = r.history;
    const std::string run = "run " + std::to_string(i) + ": ";
    if (r.name != spec.runs[i].optimizer.name() || r.label != spec.runs[i].label) fail(run + "name or label differs", text);
    if (h.dim != problem.dim()) fail(run + "history dim differs from the problem's", text);
    if (h.keep_params != spec.keeps_params()) fail(run + "params kept against the spec", text);
    const long expected = r.diverged ? r.diverged_at + 1 : spec.steps + 1;
    if (r.diverged && (r.diverged_at < 0 || r.diverged_at > spec.steps)) fail(run + "diverged_at out of range", text);
    const std::size_t params = h.keep_params ? static_cast<std::size_t>(expected * h.dim) : 0;
    if (h.size() != expected || h.params.size() != params)
      fail(run + "history has " + std::to_string(h.size()) + " entries, expected " + std::to_string(expected), text);
    if (h.metrics.size() != result.metric_names.size()) fail(run + "not one series per metric", text);
    for (const auto& series : h.metrics)
      if (series.size() != h.loss.size()) fail(run + "a metric series has the wrong length", text);
    for (int d = 0; h.keep_params && d < h.dim; ++d)
      if (!same_bits(h.params[static_cast<std::size_t>(d)], start[d])) fail(run + "params[0] is not the start", text);
    for (long k = 0; k + 1 < h.size(); ++k)
      if (!healthy(h, k)) fail(run + "entry " + std::to_string(k) + " is bad but the run went on", text);
    // Without params only the loss can show why a run stopped.
    if (!r.diverged && !healthy(h, h.size() - 1)) fail(run + "the last entry is bad but the status is ok", text);
    if (r.diverged && h.keep_params && healthy(h, h.size() - 1)) fail(run + "diverged at a healthy entry", text);
  }
}

// A number as the result JSON wrote it reads back to the same double; a non-finite one is null.
bool reads_back(const nlohmann::json& v, double d) {
  return std::isfinite(d) ? v.is_number() && same_bits(v.get<double>(), d) : v.is_null();
}

void check_json(const ExperimentResult& result, const std::string& text) {
  const std::string out = result_to_json(result);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("result JSON does not parse: ") + e.what(), text);
  }
  const nlohmann::json& runs = doc.at("runs");
  if (runs.size() != result.runs.size()) fail("result JSON has the wrong number of runs", text);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const History& h = result.runs[i].history;
    const nlohmann::json& loss = runs[i].at("loss");
    if (runs[i].contains("params") != h.keep_params) fail("result JSON params present against the spec", text);
    const nlohmann::json& params = h.keep_params ? runs[i].at("params") : nlohmann::json::array();
    if (loss.size() != h.loss.size() || (h.keep_params && params.size() != h.loss.size()))
      fail("result JSON arrays have the wrong size", text);
    for (std::size_t m = 0; m < result.metric_names.size(); ++m) {
      const nlohmann::json& series = runs[i].at(result.metric_names[m]);
      for (std::size_t k = 0; k < h.loss.size(); ++k)
        if (!reads_back(series.at(k), h.metrics[m][k])) fail(result.metric_names[m] + " does not read back", text);
    }
    if (runs[i].at("status") != (result.runs[i].diverged ? "diverged" : "ok")) fail("result JSON status differs", text);
    for (std::size_t k = 0; k < h.loss.size(); ++k) {
      if (!reads_back(loss[k], h.loss[k])) fail("loss[" + std::to_string(k) + "] does not read back", text);
      for (int d = 0; h.keep_params && d < h.dim; ++d)
        if (!reads_back(params[k].at(static_cast<std::size_t>(d)), h.params[k * static_cast<std::size_t>(h.dim) + static_cast<std::size_t>(d)]))
          fail("params[" + std::to_string(k) + "] does not read back", text);
    }
  }
}

// The session's histories equal the experiment's first `entries` entries (or all it has).
void check_session(const Session& s, const ExperimentResult& result, long entries, const std::string& what,
                   const std::string& text) {
  for (int i = 0; i < s.run_count(); ++i) {
    const History& got = s.history(i);
    const History& want = result.runs[static_cast<std::size_t>(i)].history;
    const long n = std::min(entries, want.size());
    bool same = got.size() == n && same_bits(got.loss, want.loss, static_cast<std::size_t>(n)) &&
                got.keep_params == want.keep_params && got.metrics.size() == want.metrics.size() &&
                same_bits(got.params, want.params, want.keep_params ? static_cast<std::size_t>(n * want.dim) : 0);
    for (std::size_t m = 0; same && m < want.metrics.size(); ++m)
      same = same_bits(got.metrics[m], want.metrics[m], static_cast<std::size_t>(n));
    if (!same) fail(what + ": run " + std::to_string(i) + " differs from run_experiment", text);
    run_internals(s, i).dump();
    run_status(s, i).dump();
  }
}

}  // namespace

// Maps: read like specs; accepted small ones are run (a big map is legal and slow, not a bug).
void check_map(const std::string& text) {
  if (text.find("\"map\"") == std::string::npos) return;
  MapSpec map;
  try {
    map = parse_map_spec(text);
  } catch (const SpecError& e) {
    check_error(e, text);
    return;
  }
  if (map.base.is_network() || static_cast<double>(map.cells()) * static_cast<double>(map.steps + 1) > 5000) return;
  MapRunner runner(map);
  std::vector<double> rows(static_cast<std::size_t>(map.cells()) * kMapRowSize);
  for (long c = 0; c < map.cells(); ++c) runner.run_cell(c, rows.data() + c * kMapRowSize);
  const nlohmann::json out = nlohmann::json::parse(assemble_map(map, rows.data()));
  if (out["value"].size() != static_cast<std::size_t>(map.cells())) fail("map: value does not have one entry per cell", text);
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check_map(text);
  Spec spec;
  try {
    spec = parse_spec(text);
  } catch (const SpecError& e) {
    check_error(e, text);
    return 0;
  }
  const auto problem = make_problem(spec);
  if (spec.is_network() && problem->dim() > kFuzzNetworkDim) return 0;
  spec.steps = std::min(spec.steps, spec.is_network() ? kFuzzNetworkSteps : kFuzzSteps);
  const ExperimentResult result = run_experiment(spec);
  check_result(spec, *problem, result, text);
  check_json(result, text);

  Spec half = spec;
  half.steps = spec.steps / 2;
  Session session(half);
  if (session.step_count() != half.steps) fail("Session did not run the spec's steps", text);
  session.step_by(spec.steps - half.steps);
  check_session(session, result, spec.steps + 1, "in two chunks", text);
  const long back = static_cast<long>(spec.seed % static_cast<std::uint64_t>(spec.steps + 1));
  if (session.back(back) != back) fail("back() did not undo what it was asked to", text);
  check_session(session, result, spec.steps - back + 1, "after back(" + std::to_string(back) + ")", text);
  session.step_by(back);
  check_session(session, result, spec.steps + 1, "after back and forward", text);
  return 0;
}
