// The table of schedulers (THE ONLY list of their names and arguments) and the JSON reading that
// works for any row of it; the torch classes themselves are in lr_schedulers.cpp.
#include "optim/scheduler.h"

#include <stdexcept>

#include "json/fields.h"
#include "optim/lr_schedulers.h"

namespace optlab {
namespace {

using nlohmann::json;
using sched::GroupExtras;
using sched::LrScheduler;

// The longest period accepted: far beyond any run (1e6 steps), small enough that torch's
// integer arithmetic (2 * T_max, T_i * T_mult) cannot overflow in a 32-bit wasm long.
constexpr long long kMaxPeriod = 100000000;

enum class Kind { Number, Integer, Bool, Choice, Milestones, Schedulers };

struct Arg {
  const char* name;
  Kind kind;
  json def;              // null: required, unless `optional`
  long long min = 0;     // Integer, Milestones
  std::vector<std::string> choices = {};
  bool optional = false;  // may be absent or null (the default then depends on something else)
  const char* note = "";
};

struct Args;
using Build = std::unique_ptr<LrScheduler> (*)(const Args&, Optimizer&, GroupExtras&, long steps, bool top);

struct Entry {
  const char* name;
  const char* description;
  std::vector<Arg> args;
  Build build;
};

// One scheduler's arguments, read and type-checked, defaults filled in.
struct Args {
  json values;
  double number(const char* name) const { return values.at(name).get<double>(); }
  long integer(const char* name) const { return static_cast<long>(values.at(name).get<long long>()); }
  bool flag(const char* name) const { return values.at(name).get<bool>(); }
  std::string text(const char* name) const { return values.at(name).get<std::string>(); }
  std::vector<long> list(const char* name) const {
    std::vector<long> out;
    for (const auto& v : values.at(name)) out.push_back(static_cast<long>(v.get<long long>()));
    return out;
  }
};

std::unique_ptr<LrScheduler> build(const json& spec, Optimizer& o, GroupExtras& g, long steps, bool top);

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries = {
      {"step_lr", "Multiplies the lr by gamma every step_size steps.",
       {{"step_size", Kind::Integer, nullptr, 1}, {"gamma", Kind::Number, 0.1}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_step_lr(o, g, a.integer("step_size"), a.number("gamma"));
       }},
      {"multi_step_lr", "Multiplies the lr by gamma at each milestone step.",
       {{"milestones", Kind::Milestones, nullptr, 1}, {"gamma", Kind::Number, 0.1}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_multi_step_lr(o, g, a.list("milestones"), a.number("gamma"));
       }},
      {"exponential_lr", "Multiplies the lr by gamma every step.",
       {{"gamma", Kind::Number, nullptr}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_exponential_lr(o, g, a.number("gamma"));
       }},
      {"cosine_annealing_lr", "Half a cosine from the lr down to eta_min over T_max steps (and back up after).",
       {{"T_max", Kind::Integer, nullptr, 1}, {"eta_min", Kind::Number, 0.0}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_cosine_annealing_lr(o, g, a.integer("T_max"), a.number("eta_min"));
       }},
      {"cosine_annealing_warm_restarts", "Cosine down to eta_min, then a restart; each period T_mult times longer.",
       {{"T_0", Kind::Integer, nullptr, 1}, {"T_mult", Kind::Integer, 1, 1}, {"eta_min", Kind::Number, 0.0}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_cosine_annealing_warm_restarts(o, g, a.integer("T_0"), a.integer("T_mult"),
                                                           a.number("eta_min"));
       }},
      {"linear_lr", "Scales the lr linearly from start_factor to end_factor over total_iters steps (warm-up).",
       {{"start_factor", Kind::Number, 1.0 / 3}, {"end_factor", Kind::Number, 1.0},
        {"total_iters", Kind::Integer, 5, 1}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_linear_lr(o, g, a.number("start_factor"), a.number("end_factor"), a.integer("total_iters"));
       }},
      {"constant_lr", "Scales the lr by factor for the first total_iters steps, then not.",
       {{"factor", Kind::Number, 1.0 / 3}, {"total_iters", Kind::Integer, 5, 1}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_constant_lr(o, g, a.number("factor"), a.integer("total_iters"));
       }},
      {"polynomial_lr", "Decays the lr to 0 over total_iters steps as (1 - t/total_iters)^power.",
       {{"total_iters", Kind::Integer, 5, 1}, {"power", Kind::Number, 1.0}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         return sched::make_polynomial_lr(o, g, a.integer("total_iters"), a.number("power"));
       }},
      {"one_cycle_lr", "Warm-up to max_lr, then annealing far below the start; momentum cycles the other way.",
       {{"max_lr", Kind::Number, nullptr},
        {"total_steps", Kind::Integer, nullptr, 1, {}, true, "default: the experiment's steps"},
        {"pct_start", Kind::Number, 0.3},
        {"anneal_strategy", Kind::Choice, "cos", 0, {"cos", "linear"}},
        {"cycle_momentum", Kind::Bool, true},
        {"base_momentum", Kind::Number, 0.85},
        {"max_momentum", Kind::Number, 0.95},
        {"div_factor", Kind::Number, 25.0},
        {"final_div_factor", Kind::Number, 1e4},
        {"three_phase", Kind::Bool, false}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long steps, bool top) {
         sched::OneCycleOptions x;
         x.max_lr = a.number("max_lr");
         x.total_steps = a.values["total_steps"].is_null() ? steps : a.integer("total_steps");
         if (x.total_steps < 1)
           throw std::invalid_argument("total_steps: Expected positive integer total_steps, but got " +
                                       std::to_string(x.total_steps));
         if (top && x.total_steps < steps)  // torch would fail at step total_steps + 1
           throw std::invalid_argument("total_steps: " + std::to_string(x.total_steps) +
                                       " is below the experiment's steps (" + std::to_string(steps) +
                                       "); one_cycle_lr cannot step past total_steps");
         x.pct_start = a.number("pct_start");
         x.anneal_strategy = a.text("anneal_strategy");
         x.cycle_momentum = a.flag("cycle_momentum");
         x.base_momentum = a.number("base_momentum");
         x.max_momentum = a.number("max_momentum");
         x.div_factor = a.number("div_factor");
         x.final_div_factor = a.number("final_div_factor");
         x.three_phase = a.flag("three_phase");
         return sched::make_one_cycle_lr(o, g, x);
       }},
      {"cyclic_lr", "Triangular cycles between base_lr and max_lr (scale_fn is code and is not offered).",
       {{"base_lr", Kind::Number, nullptr},
        {"max_lr", Kind::Number, nullptr},
        {"step_size_up", Kind::Integer, 2000, 1},
        {"step_size_down", Kind::Integer, nullptr, 1, {}, true, "default: step_size_up"},
        {"mode", Kind::Choice, "triangular", 0, {"triangular", "triangular2", "exp_range"}},
        {"gamma", Kind::Number, 1.0},
        {"cycle_momentum", Kind::Bool, true},
        {"base_momentum", Kind::Number, 0.8},
        {"max_momentum", Kind::Number, 0.9}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long, bool) {
         sched::CyclicOptions x;
         x.base_lr = a.number("base_lr");
         x.max_lr = a.number("max_lr");
         x.step_size_up = a.number("step_size_up");
         if (!a.values["step_size_down"].is_null()) x.step_size_down = a.number("step_size_down");
         x.mode = a.text("mode");
         x.gamma = a.number("gamma");
         x.cycle_momentum = a.flag("cycle_momentum");
         x.base_momentum = a.number("base_momentum");
         x.max_momentum = a.number("max_momentum");
         return sched::make_cyclic_lr(o, g, x);
       }},
      {"reduce_lr_on_plateau", "Multiplies the lr by factor when the loss has not improved for patience steps.",
       {{"mode", Kind::Choice, "min", 0, {"min", "max"}},
        {"factor", Kind::Number, 0.1},
        {"patience", Kind::Integer, 10, 0},
        {"threshold", Kind::Number, 1e-4},
        {"threshold_mode", Kind::Choice, "rel", 0, {"rel", "abs"}},
        {"cooldown", Kind::Integer, 0, 0},
        {"min_lr", Kind::Number, 0.0},
        {"eps", Kind::Number, 1e-8}},
       [](const Args& a, Optimizer& o, GroupExtras&, long, bool) {
         sched::PlateauOptions x;
         x.mode = a.text("mode");
         x.factor = a.number("factor");
         x.patience = a.integer("patience");
         x.threshold = a.number("threshold");
         x.threshold_mode = a.text("threshold_mode");
         x.cooldown = a.integer("cooldown");
         x.min_lr = a.number("min_lr");
         x.eps = a.number("eps");
         return sched::make_reduce_lr_on_plateau(o, x);
       }},
      {"sequential_lr", "Runs the schedulers one after the other, switching at the milestones.",
       {{"schedulers", Kind::Schedulers, nullptr}, {"milestones", Kind::Milestones, nullptr, 1}},
       [](const Args& a, Optimizer& o, GroupExtras& g, long steps, bool top) {
         if (!top) throw std::invalid_argument("name: sequential_lr cannot be nested in sequential_lr");
         std::vector<std::unique_ptr<LrScheduler>> children;
         const json& list = a.values["schedulers"];
         for (std::size_t i = 0; i < list.size(); ++i) {
           const std::string field = "schedulers[" + std::to_string(i) + "]";
           if (list[i].is_object() && list[i].value("name", json()) == "reduce_lr_on_plateau")
             throw std::invalid_argument(field + ".name: SequentialLR does not support `ReduceLROnPlateau` "
                                         "scheduler as it requires additional kwargs to be specified when "
                                         "calling `step`");
           try {
             children.push_back(build(list[i], o, g, steps, false));
           } catch (const std::invalid_argument& e) {
             throw std::invalid_argument(field + "." + e.what());
           }
         }
         return sched::make_sequential_lr(o, g, std::move(children), a.list("milestones"));
       }},
  };
  return entries;
}

std::string join_names(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

using fields::brief;

json read_arg(const Arg& arg, const json& value) {
  const std::string field = arg.name;
  switch (arg.kind) {
    case Kind::Number:
      return fields::finite_number(value, field);
    case Kind::Integer:
      return fields::whole_number(value, field, arg.min, kMaxPeriod);
    case Kind::Bool:
      if (!value.is_boolean()) throw std::invalid_argument(field + ": must be true or false, got " + brief(value));
      return value;
    case Kind::Choice:
      for (const auto& c : arg.choices)
        if (value.is_string() && value.get<std::string>() == c) return value;
      throw std::invalid_argument(field + ": expected one of " + join_names(arg.choices) + ", got " + brief(value));
    case Kind::Milestones: {
      if (!value.is_array())
        throw std::invalid_argument(field + ": expected a list of increasing whole numbers like [30, 80], got " +
                                    brief(value));
      json out = json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string at = field + "[" + std::to_string(i) + "]";
        const long long m = fields::whole_number(value[i], at, arg.min, kMaxPeriod);
        if (i > 0 && m <= out.back().get<long long>())
          throw std::invalid_argument(at + ": milestones must increase, got " + std::to_string(m) + " after " +
                                      out.back().dump());
        out.push_back(m);
      }
      return out;
    }
    case Kind::Schedulers:
      if (!value.is_array())
        throw std::invalid_argument(field + ": expected a list of schedulers like [{\"name\": \"linear_lr\"}], got " +
                                    brief(value));
      return value;  // each is read as it is built
  }
  return value;
}

const Entry& find_entry(const json& spec) {
  std::vector<std::string> names = scheduler_names();
  const std::string expected = " (expected one of " + join_names(names) + ")";
  if (!spec.is_object())
    throw std::invalid_argument("name: a scheduler is a JSON object like {\"name\": \"step_lr\", \"step_size\": 30}, got " +
                                brief(spec));
  if (!spec.contains("name")) throw std::invalid_argument("name: missing" + expected);
  if (!spec["name"].is_string())
    throw std::invalid_argument("name: must be a string" + expected + ", got " + brief(spec["name"]));
  const std::string name = spec["name"].get<std::string>();
  for (const Entry& e : table())
    if (name == e.name) return e;
  throw std::invalid_argument("name: unknown scheduler '" + brief(name) + "'" + expected);
}

Args read_args(const Entry& entry, const json& spec) {
  Args args{json::object()};
  for (const auto& [key, value] : spec.items()) {
    if (key == "name") continue;
    const Arg* found = nullptr;
    for (const Arg& a : entry.args)
      if (key == a.name) found = &a;
    if (!found) {
      std::vector<std::string> names;
      for (const Arg& a : entry.args) names.push_back(a.name);
      throw std::invalid_argument(fields::key_name(brief(key)) + ": unknown argument for " + entry.name +
                                  " (expected one of " + join_names(names) + ")");
    }
    if (!(found->optional && value.is_null())) args.values[key] = read_arg(*found, value);
  }
  for (const Arg& a : entry.args) {
    if (args.values.contains(a.name)) continue;
    if (a.def.is_null() && !a.optional) throw std::invalid_argument(std::string(a.name) + ": required");
    args.values[a.name] = a.def;
  }
  return args;
}

std::unique_ptr<LrScheduler> build(const json& spec, Optimizer& o, GroupExtras& g, long steps, bool top) {
  const Entry& entry = find_entry(spec);
  return entry.build(read_args(entry, spec), o, g, steps, top);
}

// The spec as built, every default written out (children too).
json filled(const json& spec, long steps) {
  const Entry& entry = find_entry(spec);
  json out = read_args(entry, spec).values;
  if (out.contains("schedulers")) {
    json children = json::array();
    for (const auto& c : out["schedulers"]) children.push_back(filled(c, steps));
    out["schedulers"] = children;
  }
  if (std::string(entry.name) == "one_cycle_lr" && out["total_steps"].is_null()) out["total_steps"] = steps;
  out["name"] = entry.name;
  return out;
}

}  // namespace

Scheduler::Scheduler() = default;
Scheduler::Scheduler(const Scheduler& other)
    : impl_(other.impl_ ? other.impl_->clone() : nullptr), options_(other.options_) {}
Scheduler& Scheduler::operator=(const Scheduler& other) {
  if (this != &other) {
    impl_ = other.impl_ ? other.impl_->clone() : nullptr;
    options_ = other.options_;
  }
  return *this;
}
Scheduler::Scheduler(Scheduler&&) noexcept = default;
Scheduler& Scheduler::operator=(Scheduler&&) noexcept = default;
Scheduler::~Scheduler() = default;

Scheduler Scheduler::from_json(const json& spec, Optimizer& optimizer, long steps) {
  Scheduler s;
  GroupExtras group;
  Optimizer built = optimizer;
  s.impl_ = build(spec, built, group, steps, true);
  s.options_ = std::make_shared<const json>(filled(spec, steps));
  // torch raises some errors only while stepping (one_cycle_lr past total_steps or through a phase
  // of no steps, constant_lr with factor 0, ...): try the whole run on copies so they surface now.
  Scheduler trial = s;
  Optimizer trial_optimizer = built;
  for (long k = 0; k < steps; ++k) trial.step(trial_optimizer, 0.0);
  optimizer = built;
  return s;
}

void Scheduler::step(Optimizer& optimizer, double loss) {
  if (impl_) impl_->step(optimizer, loss);
}

json Scheduler::options_json() const { return options_ ? *options_ : json(); }

json Scheduler::state_json() const { return impl_ ? impl_->state() : json(); }

std::vector<std::string> scheduler_names() {
  std::vector<std::string> names;
  for (const Entry& e : table()) names.push_back(e.name);
  return names;
}

namespace {

// A value for each required argument (and each optional one whose default depends on the run), for
// a form to start from: a schedule over about 200 steps that shows what the scheduler does. Not a
// default: the spec still requires the argument.
json example_of(const std::string& scheduler, const std::string& arg) {
  static const json examples = {
      {"step_lr", {{"step_size", 50}}},
      {"multi_step_lr", {{"milestones", {50, 100}}}},
      {"exponential_lr", {{"gamma", 0.99}}},
      {"cosine_annealing_lr", {{"T_max", 200}}},
      {"cosine_annealing_warm_restarts", {{"T_0", 50}}},
      {"one_cycle_lr", {{"max_lr", 0.1}, {"total_steps", 200}}},
      {"cyclic_lr", {{"base_lr", 0.001}, {"max_lr", 0.01}}},
      {"sequential_lr",
       {{"schedulers", {{{"name", "linear_lr"}, {"start_factor", 0.1}, {"total_iters", 20}},
                        {{"name", "cosine_annealing_lr"}, {"T_max", 180}}}},
        {"milestones", {20}}}},
  };
  const auto s = examples.find(scheduler);
  if (s == examples.end() || !s->contains(arg)) return nullptr;
  return (*s)[arg];
}

}  // namespace

json scheduler_catalog() {
  static const char* kinds[] = {"number", "integer", "bool", "choice", "milestones", "schedulers"};
  json catalog = json::array();
  for (const Entry& e : table()) {
    json args = json::array();
    for (const Arg& a : e.args) {
      json entry = {{"name", a.name},
                    {"kind", kinds[static_cast<int>(a.kind)]},
                    {"default", a.def},
                    {"required", a.def.is_null() && !a.optional}};
      if (a.kind == Kind::Integer || a.kind == Kind::Milestones) entry["min"] = a.min;
      if (a.kind == Kind::Choice) entry["choices"] = a.choices;
      if (*a.note) entry["note"] = a.note;
      if (json ex = example_of(e.name, a.name); !ex.is_null()) entry["example"] = ex;
      args.push_back(entry);
    }
    catalog.push_back({{"name", e.name}, {"description", e.description}, {"arguments", args}});
  }
  return catalog;
}

}  // namespace optlab
