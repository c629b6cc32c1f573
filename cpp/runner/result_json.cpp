#include "runner/result_json.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "json/number_text.h"

namespace optlab {
namespace {

// A number's text, or null if it is not finite, at p; returns the end.
char* write_number(char* p, double value) {
  if (std::isfinite(value)) return write_number_text(p, value);
  for (const char c : {'n', 'u', 'l', 'l'}) *p++ = c;
  return p;
}

}  // namespace

void append_number(std::string& out, double value) {
  // nlohmann's Grisu2 digits (json/number_text.h), identical in every build. A million-step
  // result is written here number by number rather than built as a json DOM.
  char buf[kMaxNumberText];
  out.append(buf, write_number(buf, value));
}

namespace {

// ,"name":[v0,v1,...]; a chunk of numbers at a time goes through a stack buffer, so the string
// is appended to once per chunk rather than twice per number.
void append_series(std::string& out, const std::string& name, const std::vector<double>& values) {
  out += ",\"" + name + "\":[";
  constexpr std::size_t kChunk = 64;
  char buf[kChunk * (kMaxNumberText + 1)];
  for (std::size_t k = 0; k < values.size();) {
    char* p = buf;
    for (const std::size_t end = std::min(values.size(), k + kChunk); k < end; ++k) {
      if (k) *p++ = ',';
      p = write_number(p, values[k]);
    }
    out.append(buf, p);
  }
  out += ']';
}

// [x0,y0],[x1,y1],... (dim numbers a row), a row at a time through a stack buffer (a network's
// rows are as long as its weights: those go in pieces).
void append_params(std::string& out, const History& h) {
  const std::size_t dim = static_cast<std::size_t>(h.dim);
  constexpr std::size_t kChunk = 64;
  char buf[kChunk * (kMaxNumberText + 1) + 4];
  for (long k = 0; k < h.size(); ++k) {
    const double* row = h.params.data() + static_cast<std::size_t>(k) * dim;
    char* p = buf;
    if (k) *p++ = ',';
    *p++ = '[';
    for (std::size_t d = 0; d < dim; ++d) {
      if (d) *p++ = ',';
      p = write_number(p, row[d]);
      if ((d + 1) % kChunk == 0) {
        out.append(buf, p);
        p = buf;
      }
    }
    *p++ = ']';
    out.append(buf, p);
  }
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
      append_params(out, r.history);
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
