#include "runner/result_json.h"

#include <cmath>

#include <nlohmann/json.hpp>

namespace optlab {

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // nlohmann's Grisu2 formatter: the shortest digits that round-trip, identical in every build.
  // (A million-step result is streamed here rather than built as a json DOM.)
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

namespace {

// ,"name":[v0,v1,...]
void append_series(std::string& out, const std::string& name, const std::vector<double>& values) {
  out += ",\"" + name + "\":[";
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k) out += ',';
    append_number(out, values[k]);
  }
  out += ']';
}

}  // namespace

std::string result_to_json(const ExperimentResult& result) {
  std::string out;
  std::size_t numbers = 0;
  for (const RunResult& r : result.runs) numbers += r.history.params.size() + r.history.loss.size();
  out.reserve(numbers * 22 + 256);
  out += "{\"runs\":[";
  for (std::size_t i = 0; i < result.runs.size(); ++i) {
    const RunResult& r = result.runs[i];
    if (i) out += ',';
    out += "{\"name\":" + nlohmann::json(r.name).dump();
    out += ",\"label\":" + nlohmann::json(r.label).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += r.diverged ? ",\"status\":\"diverged\",\"diverged_at\":" + std::to_string(r.diverged_at)
                      : std::string(",\"status\":\"ok\",\"diverged_at\":null");
    if (r.history.keep_params) {
      out += ",\"params\":[";
      const int dim = r.history.dim;
      for (long k = 0; k < r.history.size(); ++k) {
        if (k) out += ',';
        out += '[';
        for (int d = 0; d < dim; ++d) {
          if (d) out += ',';
          append_number(out, r.history.params[static_cast<std::size_t>(k * dim + d)]);
        }
        out += ']';
      }
      out += ']';
    }
    append_series(out, "loss", r.history.loss);
    if (r.steps_per_epoch > 0) out += ",\"steps_per_epoch\":" + std::to_string(r.steps_per_epoch);
    if (r.history.keep_lr) append_series(out, "lr", r.history.lr);
    for (std::size_t m = 0; m < result.metric_names.size() && m < r.history.metrics.size(); ++m)
      append_series(out, result.metric_names[m], r.history.metrics[m]);
    out += '}';
  }
  out += "]}\n";
  return out;
}

}  // namespace optlab
