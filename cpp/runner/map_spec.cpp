// Reads the "map" section (docs/spec/experiment.md, "Maps"). The experiment around it is read by
// spec_from_json, unchanged, so a map accepts exactly the experiments `optlab run` accepts.
#include "runner/map_spec.h"

#include <cmath>
#include <cstdio>

#include "json/fields.h"
#include "optim/registry.h"
#include "problems/landscapes.h"
#include "runner/budget.h"

namespace optlab {
namespace {

using nlohmann::json;
using fields::finite_number;
using fields::whole_number;

// A map may cost more than one experiment (kMaxRequestCost): it is computed in workers or on
// every core and can be cancelled. This allows the 1e8 steps of the grid limit on any built-in
// landscape (700 operations a step); a formula costs 700 + 32 per operation of its program, so a
// long one gets proportionally fewer steps, and a network far fewer.
constexpr double kMaxMapCost = 1e11;

std::string number_text(double v) { return json(v).dump(); }
// Two significant digits, as the budgets print large costs: "1.6e+11".
std::string rough(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", v);
  return buf;
}

std::string one_of(const json& value, const std::string& field, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  if (value.is_string())
    for (const char* a : allowed)
      if (value.get<std::string>() == a) return a;
  throw SpecError(field + ": expected one of " + list + ", got " + fields::brief(value));
}

MapAxis read_axis(const json& map, const char* name) {
  const std::string field = std::string("map.") + name;
  if (!map.contains(name))
    throw SpecError(field + ": required: {\"param\": ..., \"from\": ..., \"to\": ..., \"n\": ...}");
  const json& a = map[name];
  if (!a.is_object()) throw SpecError(field + ": expected an object like {\"param\": \"lr\", \"from\": 0.001, \"to\": 1, \"n\": 64}");
  fields::reject_unknown(a, field, {"param", "from", "to", "n", "scale"});
  MapAxis axis;
  for (const char* key : {"param", "from", "to", "n"})
    if (!a.contains(key)) throw SpecError(field + "." + key + ": required");
  if (!a["param"].is_string()) throw SpecError(field + ".param: expected a string like \"lr\"");
  axis.param = a["param"].get<std::string>();
  axis.from = finite_number(a["from"], field + ".from");
  axis.to = finite_number(a["to"], field + ".to");
  axis.n = static_cast<int>(whole_number(a["n"], field + ".n", 1, kMaxMapAxis));
  if (a.contains("scale")) axis.log = one_of(a["scale"], field + ".scale", {"linear", "log"}) == std::string("log");
  if (axis.log) {
    // The bound as written: "got 0", not "got 0.0".
    if (!(axis.from > 0)) throw SpecError(field + ".from: a log axis needs a positive bound, got " + a["from"].dump());
    if (!(axis.to > 0)) throw SpecError(field + ".to: a log axis needs a positive bound, got " + a["to"].dump());
  }
  axis.values = axis_values(axis.from, axis.to, axis.n, axis.log);
  return axis;
}

// The numeric hyperparameters a hyperparameter map may vary: numbers by name, pairs' members as
// "betas.0" and "betas.1" (the registry's catalog says which is which).
std::vector<std::string> numeric_params(const std::string& optimizer) {
  std::vector<std::string> out;
  for (const json& o : optimizer_catalog()) {
    if (o["name"] != optimizer) continue;
    for (const json& h : o["hyperparameters"]) {
      const std::string name = h["name"].get<std::string>();
      if (h["kind"] == "number") out.push_back(name);
      if (h["kind"] == "pair") {
        out.push_back(name + ".0");
        out.push_back(name + ".1");
      }
    }
  }
  return out;
}

void check_param(const MapAxis& axis, const char* name, const std::string& optimizer) {
  const std::vector<std::string> allowed = numeric_params(optimizer);
  for (const std::string& a : allowed)
    if (a == axis.param) return;
  std::string list;
  for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw SpecError(std::string("map.") + name + ".param: " + fields::brief(json(axis.param)) +
                  " is not a numeric hyperparameter of " + optimizer + " (expected one of " + list + ")");
}

// Tries the entry with the given values as the run's own entry: the optimizer's validation.
void try_entry(const MapSpec& map, const json& entry, const std::string& field) {
  try {
    parse_run(entry, "optimizers[" + std::to_string(map.run) + "]", map.steps);
  } catch (const SpecError& e) {
    throw SpecError(field + ": " + e.what());
  }
}

}  // namespace

std::vector<double> axis_values(double from, double to, int n, bool log) {
  std::vector<double> v(static_cast<std::size_t>(n));
  if (n == 1) {
    v[0] = from;
    return v;
  }
  const double la = log ? std::log(from) : 0, lb = log ? std::log(to) : 0;
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / static_cast<double>(n - 1);
    v[static_cast<std::size_t>(i)] = log ? std::exp(la + (lb - la) * t) : from + (to - from) * t;
  }
  // The ends are the bounds as given (exp(log 0.001) is 0.0010000000000000002): the user's "to": 1
  // is a cell, and the corners checked are the cells run.
  v.front() = from;
  v.back() = to;
  return v;
}

json entry_with(const json& entry, const std::string& param, double value) {
  json e = entry;
  const auto dot = param.find('.');
  if (dot == std::string::npos) {
    e[param] = value;
    return e;
  }
  const std::string base = param.substr(0, dot);
  const std::size_t index = param.substr(dot + 1) == "0" ? 0 : 1;
  // map_spec_from_json gave the entry the whole pair; torch's default otherwise (the checks before).
  if (!e.contains(base)) e[base] = Optimizer::from_json(json{{"name", e["name"]}}).options_json()[base];
  e[base][index] = value;
  return e;
}

json cell_entry(const MapSpec& map, int i, int j) {
  json e = entry_with(map.entry, map.x.param, map.x.values[static_cast<std::size_t>(i)]);
  return entry_with(e, map.y.param, map.y.values[static_cast<std::size_t>(j)]);
}

MapSpec parse_map_spec(const std::string& text) { return map_spec_from_json(parse_json(text)); }

MapSpec map_spec_from_json(const json& doc) {
  return field_errors_as_spec_errors([&] {
    if (!doc.is_object()) throw SpecError("spec: expected a JSON object with problem, steps, optimizers and map");
    if (!doc.contains("map")) throw SpecError("map: required: {\"kind\", \"x\", \"y\", \"measure\", ...}");
    const json& m = doc["map"];
    if (!m.is_object()) throw SpecError("map: expected an object like {\"kind\": \"hyper\", \"x\": ..., \"y\": ..., \"measure\": \"steps\"}");
    fields::reject_unknown(m, "map", {"kind", "run", "x", "y", "steps", "measure", "tolerance"});
    MapSpec map;
    if (!m.contains("kind")) throw SpecError("map.kind: required: \"hyper\" or \"start\"");
    map.kind = one_of(m["kind"], "map.kind", {"hyper", "start"}) == std::string("hyper") ? MapKind::Hyper : MapKind::Start;
    if (!m.contains("measure")) throw SpecError("map.measure: required: \"steps\", \"final_loss\" or \"basin\"");
    const std::string measure = one_of(m["measure"], "map.measure", {"steps", "final_loss", "basin"});
    map.measure = measure == "steps" ? MapMeasure::Steps : measure == "basin" ? MapMeasure::Basin : MapMeasure::FinalLoss;
    if (m.contains("run")) map.run = static_cast<int>(whole_number(m["run"], "map.run", 0, kMaxOptimizers - 1));
    if (m.contains("tolerance")) {
      map.tolerance = finite_number(m["tolerance"], "map.tolerance");
      if (map.tolerance < 0) throw SpecError("map.tolerance: must be >= 0, got " + m["tolerance"].dump());
    }
    map.x = read_axis(m, "x");
    map.y = read_axis(m, "y");

    // The experiment: validated whole (so errors name the user's own fields), with the map's steps.
    json experiment = doc;
    experiment.erase("map");
    if (m.contains("steps")) experiment["steps"] = whole_number(m["steps"], "map.steps", 0, kMaxSteps);
    const Spec whole = spec_from_json(experiment);
    map.steps = whole.steps;
    if (map.run >= static_cast<int>(whole.runs.size()))
      throw SpecError("map.run: the spec has " + std::to_string(whole.runs.size()) + " optimizers (0 to " +
                      std::to_string(whole.runs.size() - 1) + "), got " + std::to_string(map.run));
    const double total = static_cast<double>(map.cells()) * static_cast<double>(map.steps);
    if (total > kMaxMapSteps)
      throw SpecError("map.steps: " + std::to_string(map.x.n) + " × " + std::to_string(map.y.n) + " cells × " +
                      std::to_string(map.steps) + " steps = " + std::to_string(static_cast<long long>(total)) +
                      " steps, more than the limit of 1e8; use fewer cells or steps");
    map.entry = experiment["optimizers"][static_cast<std::size_t>(map.run)];
    experiment["optimizers"] = json::array({map.entry});
    map.base = spec_from_json(experiment);

    const auto problem = make_problem(map.base);
    const double cost = static_cast<double>(map.cells()) * request_step_cost(map.base, *problem) * static_cast<double>(map.steps);
    if (cost > kMaxMapCost)
      throw SpecError("map.steps: the map costs about " + rough(cost) + " operations (cells × steps × " +
                      rough(request_step_cost(map.base, *problem)) + " a step), more than the budget of " +
                      rough(kMaxMapCost) + "; use fewer cells or steps");
    const auto* landscape = dynamic_cast<const Landscape*>(problem.get());

    if (map.kind == MapKind::Start) {
      if (!landscape) throw SpecError("map.kind: a start map needs a 2-D landscape; this problem is a network");
      if (map.x.param != "x") throw SpecError("map.x.param: a start map's x axis is the start's \"x\", got " + fields::brief(json(map.x.param)));
      if (map.y.param != "y") throw SpecError("map.y.param: a start map's y axis is the start's \"y\", got " + fields::brief(json(map.y.param)));
    } else {
      const std::string name = map.base.runs[0].optimizer.name();
      check_param(map.x, "x", name);
      check_param(map.y, "y", name);
      if (map.x.param == map.y.param) throw SpecError("map.y.param: the same hyperparameter as map.x.param (" + map.x.param + ")");
      // A pair's member varies inside the pair: the entry gets the whole pair once (torch's
      // default where it gave none), so a cell only writes its member.
      for (const MapAxis* axis : {&map.x, &map.y}) {
        const auto dot = axis->param.find('.');
        if (dot == std::string::npos) continue;
        const std::string base_name = axis->param.substr(0, dot);
        if (!map.entry.contains(base_name))
          map.entry[base_name] = Optimizer::from_json(json{{"name", map.entry["name"]}}).options_json()[base_name];
      }
      // The optimizer's own validation at the axes' ends, each alone and then the four corners:
      // its limits are intervals, so a grid whose corners pass has no invalid cell.
      for (const auto& [axis, name_of] : {std::pair<const MapAxis*, const char*>{&map.x, "x"}, {&map.y, "y"}}) {
        try_entry(map, entry_with(map.entry, axis->param, axis->from), std::string("map.") + name_of + ".from");
        try_entry(map, entry_with(map.entry, axis->param, axis->to), std::string("map.") + name_of + ".to");
      }
      for (const int i : {0, map.x.n - 1})
        for (const int j : {0, map.y.n - 1})
          try_entry(map, cell_entry(map, i, j),
                    "map: the cell " + map.x.param + " = " + number_text(map.x.values[static_cast<std::size_t>(i)]) + ", " +
                        map.y.param + " = " + number_text(map.y.values[static_cast<std::size_t>(j)]));
    }

    if (map.measure == MapMeasure::Basin && map.kind != MapKind::Start)
      throw SpecError("map.measure: \"basin\" needs a start map (\"kind\": \"start\")");
    const std::vector<Minimum> minima = landscape ? landscape->info().minima : std::vector<Minimum>();
    if (map.measure == MapMeasure::Steps) {
      if (minima.empty())
        throw SpecError("map.measure: \"steps\" (to the tolerance) needs the landscape's minimum value, which this "
                        "problem does not know; use \"final_loss\"");
      double best = minima[0].value;
      for (const Minimum& mm : minima) best = std::min(best, mm.value);
      map.fstar = best;
    }
    if (map.measure == MapMeasure::Basin) {
      for (const Minimum& mm : minima) map.minima.push_back({mm.x, mm.y});
      ViewBox view = landscape->info().view;
      if (doc.contains("view")) {
        const json& v = doc["view"];
        view = ViewBox{v["xmin"].get<double>(), v["xmax"].get<double>(), v["ymin"].get<double>(), v["ymax"].get<double>()};
      }
      map.cluster_radius = 1e-3 * std::hypot(view.xmax - view.xmin, view.ymax - view.ymin);
    }
    return map;
  });
}

}  // namespace optlab
