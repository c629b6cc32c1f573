#include "runner/map.h"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "runner/result_json.h"
#include "runner/run.h"

namespace optlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const char* kind_name(MapKind k) { return k == MapKind::Hyper ? "hyper" : "start"; }
const char* measure_name(MapMeasure m) {
  return m == MapMeasure::Steps ? "steps" : m == MapMeasure::Basin ? "basin" : "final_loss";
}

// A whole number as an integer ("12", not "12.0"); anything else (a JavaScript caller's odd row)
// through the ordinary number printer, so nothing it sends can be cast out of range.
void append_count(std::string& out, double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9007199254740992.0)
    out += std::to_string(static_cast<long long>(v));
  else
    append_number(out, v);
}

void append_values(std::string& out, const std::vector<double>& values) {
  out += '[';
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k) out += ',';
    append_number(out, values[k]);
  }
  out += ']';
}

void append_points(std::string& out, const std::vector<std::array<double, 2>>& points) {
  out += '[';
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (k) out += ',';
    out += '[';
    append_number(out, points[k][0]);
    out += ',';
    append_number(out, points[k][1]);
    out += ']';
  }
  out += ']';
}

void append_axis(std::string& out, const MapAxis& a) {
  out += "{\"param\":" + nlohmann::json(a.param).dump() + ",\"scale\":\"" + (a.log ? "log" : "linear") + "\",\"values\":";
  append_values(out, a.values);
  out += '}';
}

std::size_t nearest(const std::vector<std::array<double, 2>>& minima, double x, double y) {
  std::size_t best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (std::size_t m = 0; m < minima.size(); ++m) {
    const double d = std::hypot(x - minima[m][0], y - minima[m][1]);
    if (d < best_d) best_d = d, best = m;
  }
  return best;
}

// Basins without known minima: in cell order, an end point joins the first cluster (by creation)
// whose first member lies within `radius`, else starts a new one. A grid of buckets of side
// `radius` finds the candidates (only the 3x3 buckets around a point can hold one), so this is
// linear in the cells. Returns each cell's cluster (NaN for diverged cells) and the clusters' first
// members as the "minima".
std::vector<double> cluster(const MapSpec& map, const double* rows, std::vector<std::array<double, 2>>& centres) {
  const double r = map.cluster_radius;
  auto bucket = [&](double v) {
    const double b = std::floor(v / r);
    return static_cast<long long>(std::max(-1e15, std::min(1e15, b)));
  };
  std::map<std::pair<long long, long long>, std::vector<std::size_t>> buckets;
  std::vector<double> value(static_cast<std::size_t>(map.cells()), kNaN);
  for (long c = 0; c < map.cells(); ++c) {
    const double* row = rows + c * kMapRowSize;
    const double x = row[3], y = row[4];
    if (row[1] >= 0 || !std::isfinite(x) || !std::isfinite(y)) continue;
    const long long bx = bucket(x), by = bucket(y);
    std::size_t found = std::numeric_limits<std::size_t>::max();
    for (long long dx = -1; dx <= 1; ++dx)
      for (long long dy = -1; dy <= 1; ++dy) {
        const auto it = buckets.find({bx + dx, by + dy});
        if (it == buckets.end()) continue;
        for (const std::size_t k : it->second)
          if (k < found && std::hypot(x - centres[k][0], y - centres[k][1]) <= r) found = k;
      }
    if (found == std::numeric_limits<std::size_t>::max()) {
      found = centres.size();
      centres.push_back({x, y});
      buckets[{bx, by}].push_back(found);
    }
    value[static_cast<std::size_t>(c)] = static_cast<double>(found);
  }
  return value;
}

}  // namespace

MapRunner::MapRunner(const MapSpec& map) : map_(map) {
  // Its own problem (a problem's tape is not shared between threads), built as the run's own.
  Spec spec = map.base;
  spec.built = nullptr;
  problem_ = make_run_problem(spec, 0);
  if (!problem_) problem_ = make_problem(spec);
  start_ = start_point(spec, *problem_);
}

void MapRunner::run_cell(long c, double* row) {
  const int i = static_cast<int>(c % map_.nx()), j = static_cast<int>(c / map_.nx());
  Eigen::VectorXd start = start_;
  RunSpec hyper;
  const RunSpec* r = &map_.base.runs[0];
  if (map_.kind == MapKind::Hyper) {
    hyper = parse_run(cell_entry(map_, i, j), "optimizers[" + std::to_string(map_.run) + "]", map_.steps);
    r = &hyper;
  } else {
    start[0] = map_.x.values[static_cast<std::size_t>(i)];
    start[1] = map_.y.values[static_cast<std::size_t>(j)];
  }
  // run_experiment's loop, without the history: the same calls in the same order.
  Problem& p = *problem_;
  RunState run = start_run(r->optimizer, start, p, r->scheduler, r->changes);
  const bool within = map_.fstar.has_value();
  const double fstar = map_.fstar.value_or(0.0), tol = map_.tolerance;
  long reached = -1;
  double last_finite = kNaN;
  for (;;) {
    if (std::isfinite(run.loss)) last_finite = run.loss;
    // |loss - f*| <= tolerance, as the page's legend counts "steps to tolerance" (samples.js).
    if (within && reached < 0 && std::fabs(run.loss - fstar) <= tol) reached = run.step;
    if (run.diverged || run.step >= map_.steps) break;
    advance(run, p);
  }
  double value = kNaN;
  if (map_.measure == MapMeasure::Steps) value = reached >= 0 ? static_cast<double>(reached) : kNaN;
  if (map_.measure == MapMeasure::FinalLoss) value = run.diverged ? kNaN : run.loss;
  const bool plane = run.x.size() == 2;
  if (map_.measure == MapMeasure::Basin && !run.diverged && !map_.minima.empty())
    value = static_cast<double>(nearest(map_.minima, run.x[0], run.x[1]));
  row[0] = value;
  row[1] = run.diverged ? static_cast<double>(run.step) : -1.0;
  row[2] = last_finite;
  row[3] = plane ? run.x[0] : kNaN;
  row[4] = plane ? run.x[1] : kNaN;
}

std::string assemble_map(const MapSpec& map, const double* rows) {
  const std::size_t cells = static_cast<std::size_t>(map.cells());
  std::vector<std::array<double, 2>> minima = map.minima;
  std::vector<double> clustered;
  if (map.clusters()) clustered = cluster(map, rows, minima);
  std::string out;
  out.reserve(cells * 80 + 512);
  out += "{\"kind\":\"";
  out += kind_name(map.kind);
  out += "\",\"measure\":\"";
  out += measure_name(map.measure);
  out += "\",\"run\":" + std::to_string(map.run) + ",\"steps\":" + std::to_string(map.steps) + ",\"tolerance\":";
  append_number(out, map.tolerance);
  out += ",\"x\":";
  append_axis(out, map.x);
  out += ",\"y\":";
  append_axis(out, map.y);
  if (map.measure == MapMeasure::Basin) {
    out += ",\"minima\":";
    append_points(out, minima);
  }
  out += ",\"value\":[";
  for (std::size_t c = 0; c < cells; ++c) {
    if (c) out += ',';
    const double v = map.clusters() ? clustered[c] : rows[c * kMapRowSize];
    if (map.measure == MapMeasure::FinalLoss)
      append_number(out, v);
    else
      append_count(out, v);
  }
  out += "],\"diverged_at\":[";
  for (std::size_t c = 0; c < cells; ++c) {
    if (c) out += ',';
    const double d = rows[c * kMapRowSize + 1];
    if (d >= 0)
      append_count(out, d);
    else
      out += "null";
  }
  out += "],\"final_loss\":[";
  for (std::size_t c = 0; c < cells; ++c) {
    if (c) out += ',';
    append_number(out, rows[c * kMapRowSize + 2]);
  }
  out += ']';
  if (map.kind == MapKind::Start) {
    out += ",\"end\":[";
    for (std::size_t c = 0; c < cells; ++c) {
      if (c) out += ',';
      out += '[';
      append_number(out, rows[c * kMapRowSize + 3]);
      out += ',';
      append_number(out, rows[c * kMapRowSize + 4]);
      out += ']';
    }
    out += ']';
  }
  out += "}\n";
  return out;
}

std::string map_plan_json(const MapSpec& map) {
  std::string out = "{\"nx\":" + std::to_string(map.nx()) + ",\"ny\":" + std::to_string(map.ny()) +
                    ",\"cells\":" + std::to_string(map.cells()) + ",\"kind\":\"" + kind_name(map.kind) +
                    "\",\"measure\":\"" + measure_name(map.measure) + "\",\"x\":";
  append_values(out, map.x.values);
  out += ",\"y\":";
  append_values(out, map.y.values);
  out += ",\"minima\":";
  append_points(out, map.minima);
  out += '}';
  return out;
}

}  // namespace optlab
