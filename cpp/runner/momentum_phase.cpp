#include "runner/momentum_phase.h"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/fields.h"
#include "runner/map_spec.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace optlab {
namespace {

using nlohmann::json;

std::vector<double> read_axis(const json& doc, const char* name) {
  const std::string field = name;
  if (!doc.contains(name)) throw SpecError(field + ": required: {\"from\": ..., \"to\": ..., \"n\": ...}");
  const json& a = doc[name];
  if (!a.is_object()) throw SpecError(field + ": expected an object like {\"from\": 0, \"to\": 4, \"n\": 200}");
  fields::reject_unknown(a, field, {"from", "to", "n"});
  for (const char* key : {"from", "to", "n"})
    if (!a.contains(key)) throw SpecError(field + "." + key + ": required");
  const double from = fields::finite_number(a["from"], field + ".from");
  const double to = fields::finite_number(a["to"], field + ".to");
  const int n = static_cast<int>(fields::whole_number(a["n"], field + ".n", 1, kMaxPhaseAxis));
  return axis_values(from, to, n, false);
}

void append_point(std::string& out, double h, double beta, const PhasePoint& p) {
  out += "{\"h\":";
  append_number(out, h);
  out += ",\"beta\":";
  append_number(out, beta);
  out += ",\"phase\":" + std::to_string(static_cast<int>(p.phase)) + ",\"rate\":";
  append_number(out, p.rate);
  out += '}';
}

}  // namespace

std::array<double, 4> momentum_matrix(double h, double beta, bool nesterov) {
  if (nesterov) return {1 - h - beta * h, -beta * beta, h, beta};
  return {1 - h, -beta, h, beta};
}

PhasePoint momentum_phase(double h, double beta, bool nesterov) {
  const std::array<double, 4> m = momentum_matrix(h, beta, nesterov);
  const double trace = m[0] + m[3], det = m[0] * m[3] - m[1] * m[2];
  const double disc = trace * trace / 4 - det;
  if (!std::isfinite(disc)) return {MomentumPhase::Diverges, INFINITY};
  if (disc < 0) {
    // A complex pair of modulus sqrt(det): the error spirals.
    const double rate = std::sqrt(det);
    return {rate < 1 ? MomentumPhase::Oscillates : MomentumPhase::Diverges, rate};
  }
  const double s = std::sqrt(disc);
  const double rate = std::max(std::fabs(trace / 2 + s), std::fabs(trace / 2 - s));
  if (!(rate < 1)) return {MomentumPhase::Diverges, rate};
  // Real pair t/2 ± s: with trace > 0 the positive one dominates strictly; with trace < 0 the
  // negative one; trace 0 gives ±s, equal moduli (the negative mode never fades), or 0 twice.
  const bool monotone = trace > 0 || (trace == 0 && s == 0);
  return {monotone ? MomentumPhase::Monotone : MomentumPhase::Oscillates, rate};
}

std::string momentum_phase_request_to_json(const std::string& text) {
  const json doc = parse_json(text);
  return field_errors_as_spec_errors([&] {
    if (!doc.is_object()) throw SpecError("request: expected an object {\"h\": ..., \"beta\": ..., \"points\"?: [...]}");
    fields::reject_unknown(doc, "", {"h", "beta", "nesterov", "points"});
    const std::vector<double> hs = read_axis(doc, "h"), betas = read_axis(doc, "beta");
    bool nesterov = false;
    if (doc.contains("nesterov")) {
      if (!doc["nesterov"].is_boolean()) throw SpecError("nesterov: expected true or false");
      nesterov = doc["nesterov"].get<bool>();
    }
    std::string out = "{\"h\":[";
    for (std::size_t i = 0; i < hs.size(); ++i) {
      if (i) out += ',';
      append_number(out, hs[i]);
    }
    out += "],\"beta\":[";
    for (std::size_t j = 0; j < betas.size(); ++j) {
      if (j) out += ',';
      append_number(out, betas[j]);
    }
    std::vector<PhasePoint> grid;
    grid.reserve(hs.size() * betas.size());
    for (const double beta : betas)
      for (const double h : hs) grid.push_back(momentum_phase(h, beta, nesterov));
    out += "],\"phase\":[";
    for (std::size_t c = 0; c < grid.size(); ++c) out += (c ? "," : "") + std::to_string(static_cast<int>(grid[c].phase));
    out += "],\"rate\":[";
    for (std::size_t c = 0; c < grid.size(); ++c) {
      if (c) out += ',';
      append_number(out, grid[c].rate);
    }
    out += "],\"points\":[";
    if (doc.contains("points")) {
      const json& points = doc["points"];
      if (!points.is_array() || points.size() > static_cast<std::size_t>(kMaxPhasePoints))
        throw SpecError("points: expected a list of at most " + std::to_string(kMaxPhasePoints) +
                        " points like {\"lr\": 0.1, \"momentum\": 0.9, \"eigenvalues\": [1, 10]}");
      for (std::size_t k = 0; k < points.size(); ++k) {
        const std::string at = "points[" + std::to_string(k) + "]";
        const json& p = points[k];
        if (!p.is_object()) throw SpecError(at + ": expected an object {\"lr\", \"momentum\", \"eigenvalues\"}");
        fields::reject_unknown(p, at, {"lr", "momentum", "eigenvalues"});
        for (const char* key : {"lr", "momentum", "eigenvalues"})
          if (!p.contains(key)) throw SpecError(at + "." + key + ": required");
        const double lr = fields::finite_number(p["lr"], at + ".lr");
        const double beta = fields::finite_number(p["momentum"], at + ".momentum");
        const json& ev = p["eigenvalues"];
        if (!ev.is_array() || ev.size() > 16) throw SpecError(at + ".eigenvalues: expected a list of at most 16 numbers");
        out += k ? ",[" : "[";
        for (std::size_t e = 0; e < ev.size(); ++e) {
          const double lambda = fields::finite_number(ev[e], at + ".eigenvalues[" + std::to_string(e) + "]");
          if (e) out += ',';
          append_point(out, lr * lambda, beta, momentum_phase(lr * lambda, beta, nesterov));
        }
        out += ']';
      }
    }
    out += "],\"phases\":[\"monotone\",\"oscillates\",\"diverges\"]}\n";
    return out;
  });
}

}  // namespace optlab
