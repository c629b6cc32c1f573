// Reads the experiment spec (docs/spec/experiment.md). Validation happens here, once: what gets
// past parse_spec() can be run without further checks.
#include "runner/spec.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "json/fields.h"
#include "runner/budget.h"
#include "problems/expression.h"
#include "problems/fit.h"
#include "problems/landscapes.h"
#include "problems/mlp.h"

namespace optlab {
namespace {

using nlohmann::json;
using fields::finite_number;
using fields::key_name;
using fields::whole_number;


constexpr int kMaxJsonDepth = 64;

std::string one_line(const std::string& message) {
  std::string out;
  for (const char c : message) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", u);
      out += escape;
    }
  }
  return out;
}

// Tracks where the parser is (for messages) and which keys each open object has seen.
struct JsonChecker : nlohmann::json_sax<json> {
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string key;
    long index = -1;        // arrays: the element last begun
    bool in_value = false;  // objects: between a key and the end of its value
  };
  std::vector<Frame> frames;

  // The field being read. The parser reports a primitive value (and fails on a bad one, such as
  // NaN or 1e999) before the callback hears of it, so in the innermost array the element being
  // read is index + 1, and in the innermost object the key counts only while its value is read.
  std::string path() const {
    std::string p;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const Frame& f = frames[i];
      const bool innermost = i + 1 == frames.size();
      if (f.is_object) {
        if (!innermost || f.in_value) p += (p.empty() ? "" : ".") + key_name(f.key);
      } else {
        p += "[" + std::to_string(innermost ? f.index + 1 : f.index) + "]";
      }
    }
    return p.empty() ? "spec" : p;
  }

  void element_begins() {
    if (!frames.empty() && !frames.back().is_object) ++frames.back().index;
  }
  void element_ends() {
    if (!frames.empty()) frames.back().in_value = false;
  }

  void open(bool is_object) {
    element_begins();
    if (frames.size() >= static_cast<std::size_t>(kMaxJsonDepth))
      throw SpecError("spec: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    frames.push_back(Frame{is_object, {}, {}, -1, false});
  }
  bool close() {
    frames.pop_back();
    element_ends();
    return true;
  }
  bool value() {
    element_begins();
    element_ends();
    return true;
  }

  // The SAX events: one linear pass that checks depth and duplicate keys (nlohmann's callback
  // parser rescans the parent after every object, which made an array of n objects cost n^2).
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(json::number_integer_t) override { return value(); }
  bool number_unsigned(json::number_unsigned_t) override { return value(); }
  bool number_float(json::number_float_t v, const json::string_t&) override {
    if (!std::isfinite(v)) throw SpecError(path() + ": number out of range");  // such as 1e999
    return value();
  }
  bool string(json::string_t&) override { return value(); }
  bool binary(json::binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    open(true);
    return true;
  }
  bool key(json::string_t& key) override {
    Frame& f = frames.back();
    f.key = key;
    f.in_value = true;
    if (!f.keys.insert(f.key).second) throw SpecError(path() + ": duplicate key");
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    open(false);
    return true;
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    // nlohmann's text reads "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
    // Inside the document the field comes first, so "lr": NaN reads "optimizers[0].lr: invalid JSON...".
    if (e.id == 406) throw SpecError(path() + ": number out of range");  // such as 1e999
    const std::string what = e.what();
    const auto pos = what.find("] ");
    const std::string field = path();
    throw SpecError((field == "spec" ? "" : field + ": ") + "invalid JSON: " +
                    (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
};

// Characters as a reader counts them: UTF-8 code points (the parser has checked the encoding).
std::size_t code_points(const std::string& text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// An entry's "changes" (experiment.md): each one tried, in order, on a copy of the optimizer, so
// that what torch would reject (an lr of -1, nesterov losing its momentum, RMSprop's momentum
// turned on after its first step) is reported now, naming the change, rather than mid-run.
std::shared_ptr<const Changes> parse_changes(const json& list, const std::string& field, Optimizer trial) {
  if (!list.is_array())
    throw SpecError(field + ": expected a list like [{\"step\": 50, \"lr\": 0.01}], got " + std::string(list.type_name()));
  if (list.size() > static_cast<std::size_t>(kMaxChanges))
    throw SpecError(field + ": " + std::to_string(list.size()) + " changes, more than the limit of " +
                    std::to_string(kMaxChanges));
  auto changes = std::make_shared<Changes>();
  bool stepped = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    const json& c = list[i];
    if (!c.is_object()) throw SpecError(at + ": expected an object like {\"step\": 50, \"lr\": 0.01}");
    if (!c.contains("step")) throw SpecError(at + ".step: required: the step after which the change applies");
    const long step = static_cast<long>(whole_number(c["step"], at + ".step", 0, kMaxSteps - 1));
    if (!changes->empty() && step <= changes->back().step)
      throw SpecError(at + ".step: " + std::to_string(step) + " is not after the previous change's step (" +
                      std::to_string(changes->back().step) + "); steps must strictly increase");
    json values = c;
    values.erase("step");
    if (values.empty()) throw SpecError(at + ": names no hyperparameter to change (e.g. \"lr\": 0.01)");
    // The state a real run has by then decides what torch allows (registry.h's change_options):
    // one step on a 1-D zero gradient creates it as the run's first step would.
    if (step > 0 && !stepped) {
      Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
      trial.step(x, Eigen::VectorXd::Zero(1));
      stepped = true;
    }
    try {
      trial.change(values);
    } catch (const std::invalid_argument& e) {
      throw SpecError(at + "." + e.what());
    }
    changes->push_back({step, std::move(values)});
  }
  return changes;
}

}  // namespace

bool RunSpec::varies_lr() const {
  if (scheduler.active()) return true;
  if (changes)
    for (const auto& c : *changes)
      if (c.values.contains("lr")) return true;
  return false;
}

SpecError::SpecError(const std::string& message) : std::invalid_argument(one_line(message)) {}

json parse_json(const std::string& text) {
  if (text.size() > static_cast<std::size_t>(kMaxSpecBytes))
    throw SpecError("spec: " + std::to_string(text.size()) + " bytes, more than the limit of " +
                    std::to_string(kMaxSpecBytes) + " bytes");
  // Checked in one pass, then read in a second: both linear in the text's length.
  JsonChecker checker;
  json::sax_parse(text, &checker);
  return json::parse(text);
}

RunSpec parse_run(const json& entry, const std::string& field, long steps) {
  return field_errors_as_spec_errors([&] {
    if (!entry.is_object()) throw SpecError(field + ": expected an object like {\"name\": \"adam\", \"lr\": 0.01}");
    json options = entry;
    std::string label;
    if (entry.contains("label")) {
      if (!entry["label"].is_string()) throw SpecError(field + ".label: expected a string");
      label = entry["label"].get<std::string>();
      if (code_points(label) > kMaxLabelLength)
        throw SpecError(field + ".label: longer than " + std::to_string(kMaxLabelLength) + " characters");
      options.erase("label");
    }
    if (entry.contains("color")) {  // the page's colour for this run; the core only checks its type
      if (!entry["color"].is_string() || entry["color"].get<std::string>().size() > 32)
        throw SpecError(field + ".color: expected a colour string like \"#0072b2\"");
      options.erase("color");
    }
    // A run's own batch size or gradient noise: problem fields, checked against the problem later.
    json overrides = json::object();
    if (entry.contains("batch_size")) {
      const json& b = entry["batch_size"];
      if (!b.is_null()) fields::whole_number(b, field + ".batch_size", 1, kMaxPoints);
      overrides["batch_size"] = b;
      options.erase("batch_size");
    }
    if (entry.contains("noise")) {
      const double noise = finite_number(entry["noise"], field + ".noise");
      if (noise < 0.0) throw SpecError(field + ".noise: must be >= 0, got " + entry["noise"].dump());
      overrides["noise"] = entry["noise"];
      options.erase("noise");
    }
    options.erase("scheduler");
    options.erase("changes");
    RunSpec run;
    try {
      run = RunSpec{Optimizer::from_json(options), label, {}, overrides, nullptr};
      if (run.label.empty()) run.label = run.optimizer.name();
    } catch (const std::invalid_argument& e) {
      throw SpecError(field + "." + e.what());
    }
    if (entry.contains("scheduler")) {
      try {
        run.scheduler = Scheduler::from_json(entry["scheduler"], run.optimizer, steps);
      } catch (const std::invalid_argument& e) {
        throw SpecError(field + ".scheduler." + e.what());
      }
    }
    // After the scheduler: its construction may set the lr and momentum the changes start from.
    if (entry.contains("changes")) run.changes = parse_changes(entry["changes"], field + ".changes", run.optimizer);
    return run;
  });
}

Spec parse_spec(const std::string& text) { return spec_from_json(parse_json(text)); }

Spec spec_from_json(const json& doc) {
  return field_errors_as_spec_errors([&] {
    if (!doc.is_object()) throw SpecError("spec: expected a JSON object with problem, steps and optimizers");
    fields::reject_unknown(doc, "", {"problem", "start", "steps", "seed", "optimizers", "record_params", "view"});
    Spec spec;

    if (!doc.contains("problem")) throw SpecError("problem: required, e.g. {\"name\": \"rosenbrock\"}");
    spec.problem = doc["problem"];
    if (!spec.problem.is_object())
      throw SpecError("problem: expected an object like {\"name\": \"rosenbrock\"} or {\"expr\": \"x^2 + y^2\"}");

    if (doc.contains("start")) {
      const json& s = doc["start"];
      if (!s.is_array() || s.empty()) throw SpecError("start: expected an array of numbers like [-1.5, 2]");
      if (s.size() > 100000) throw SpecError("start: " + std::to_string(s.size()) + " numbers, more than any problem has");
      Eigen::VectorXd start(static_cast<Eigen::Index>(s.size()));
      for (std::size_t i = 0; i < s.size(); ++i)
        start[static_cast<Eigen::Index>(i)] = finite_number(s[i], "start[" + std::to_string(i) + "]");
      spec.start = start;
    }

    if (!doc.contains("steps")) throw SpecError("steps: required: a whole number from 0 to " + std::to_string(kMaxSteps));
    spec.steps = static_cast<long>(whole_number(doc["steps"], "steps", 0, kMaxSteps));

    if (doc.contains("seed"))
      spec.seed = static_cast<std::uint64_t>(whole_number(doc["seed"], "seed", 0, 9007199254740991LL));

    if (doc.contains("record_params")) {
      if (!doc["record_params"].is_boolean()) throw SpecError("record_params: expected true or false");
      spec.record_params = doc["record_params"].get<bool>();
    }

    if (doc.contains("view")) {  // the page's view box; kept in share links, not used by the runner
      const json& v = doc["view"];
      if (!v.is_object()) throw SpecError("view: expected an object {xmin, xmax, ymin, ymax}");
      fields::reject_unknown(v, "view", {"xmin", "xmax", "ymin", "ymax"});
      double box[4];
      int k = 0;
      for (const char* key : {"xmin", "xmax", "ymin", "ymax"}) {
        if (!v.contains(key)) throw SpecError(std::string("view.") + key + ": required (a view is {xmin, xmax, ymin, ymax})");
        box[k++] = finite_number(v[key], std::string("view.") + key);
      }
      if (!(box[0] < box[1] && box[2] < box[3])) throw SpecError("view: needs xmin < xmax and ymin < ymax");
    }

    if (!doc.contains("optimizers")) throw SpecError("optimizers: required: a list of 1 to 8 optimizers");
    const json& opts = doc["optimizers"];
    if (!opts.is_array() || opts.empty() || opts.size() > kMaxOptimizers)
      throw SpecError("optimizers: expected a list of 1 to " + std::to_string(kMaxOptimizers) + " optimizers, got " +
                      (opts.is_array() ? std::to_string(opts.size()) + " entries" : std::string(opts.type_name())));
    for (std::size_t i = 0; i < opts.size(); ++i)
      spec.runs.push_back(parse_run(opts[i], "optimizers[" + std::to_string(i) + "]", spec.steps));

    // Building the problem validates it (an unknown name, a formula that does not parse, ...) and the
    // start point's dimension, so a bad spec never gets as far as running.
    auto problem = make_problem(spec);
    start_point(spec, *problem);
    check_budget(spec, *problem);  // and that it is affordable
    for (std::size_t i = 0; i < spec.runs.size(); ++i) {
      // A run's own batch size may cost more: every run is counted at its cost, conservatively.
      if (auto own = make_run_problem(spec, i)) check_budget(spec, *own);
    }
    spec.built = std::make_shared<BuiltProblem>(BuiltProblem{spec.problem, spec.seed, std::move(problem)});
    return spec;
  });
}

std::unique_ptr<Problem> make_problem(const Spec& spec) {
  return field_errors_as_spec_errors([&]() -> std::unique_ptr<Problem> {
    const json& p = spec.problem;
    if (spec.built && spec.built->value && spec.built->seed == spec.seed && spec.built->problem == p)
      return std::move(spec.built->value);
    if (spec.is_network()) {
      // It names its own fields; its invalid_argument becomes a SpecError like every other
      // rejection (spec_fuzz found it escaping as a plain invalid_argument).
      try {
        return make_mlp_problem(p, spec.seed);
      } catch (const SpecError&) {
        throw;
      } catch (const std::invalid_argument& e) {
        throw SpecError(e.what());
      }
    }
    if (p.value("name", json()) == "fit") return make_fit_problem(p, spec.seed);
    fields::reject_unknown(p, "problem", {"name", "expr", "noise"});
    double noise = 0.0;
    if (p.contains("noise")) {
      noise = finite_number(p["noise"], "problem.noise");
      if (noise < 0.0) throw SpecError("problem.noise: must be >= 0, got " + p["noise"].dump());
    }
    std::unique_ptr<Landscape> landscape;
    if (p.contains("expr") == p.contains("name"))
      throw SpecError("problem: give either \"name\" (a built-in landscape) or \"expr\" (a formula in x and y)");
    if (p.contains("expr")) {
      if (!p["expr"].is_string()) throw SpecError("problem.expr: expected a formula string like \"x^2 + y^2\"");
      try {
        landscape = make_formula_landscape(p["expr"].get<std::string>());
      } catch (const std::invalid_argument& e) {
        throw SpecError(std::string("problem.expr: ") + e.what());
      }
    } else {
      if (!p["name"].is_string()) throw SpecError("problem.name: expected a string like \"rosenbrock\"");
      try {
        landscape = make_landscape(p["name"].get<std::string>());
      } catch (const std::invalid_argument& e) {
        throw SpecError(std::string("problem.name: ") + e.what());
      }
    }
    landscape->set_noise(noise, spec.seed);
    return landscape;
  });
}

std::unique_ptr<Problem> make_run_problem(const Spec& spec, std::size_t index) {
  const json& overrides = spec.runs.at(index).overrides;
  if (overrides.empty()) return nullptr;
  const std::string field = "optimizers[" + std::to_string(index) + "]";
  const std::string name = spec.problem.value("name", std::string());
  const bool batched = name == "fit" || name == "mlp";
  if (overrides.contains("batch_size") && !batched)
    throw SpecError(field + ".batch_size: only a fit or mlp problem draws mini-batches (this problem is " +
                    (spec.problem.contains("expr") ? std::string("a formula") : fields::brief(spec.problem["name"])) + ")");
  if (overrides.contains("noise") && batched)
    throw SpecError(field + ".noise: gradient noise is for landscapes; a fit or mlp problem draws mini-batches (give batch_size)");
  Spec own = spec;
  own.built = nullptr;
  for (const auto& [key, value] : overrides.items()) own.problem[key] = value;
  try {
    return make_problem(own);
  } catch (const SpecError& e) {
    // "problem.batch_size: ..." is this run's field.
    std::string message = e.what();
    for (const char* key : {"batch_size", "noise"}) {
      const std::string from = std::string("problem.") + key;
      if (message.rfind(from, 0) == 0) message = field + "." + key + message.substr(from.size());
    }
    throw SpecError(message);
  }
}

Eigen::VectorXd start_point(const Spec& spec, const Problem& problem) {
  if (!spec.start) return problem.default_start();
  if (spec.start->size() != problem.dim())
    throw SpecError("start: expected " + std::to_string(problem.dim()) + " numbers, got " +
                    std::to_string(spec.start->size()));
  return *spec.start;
}

}  // namespace optlab
