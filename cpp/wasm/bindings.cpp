// The WebAssembly module's API: the ONLY file that includes Embind. A registration list plus small
// adapters; data crosses as JSON strings, numbers and Float64Array copies.
//
// Errors: Emscripten 3.1.6 hands a C++ exception to JavaScript as a bare number, and a JS exception
// thrown through wasm frames skips their destructors. So no exception crosses the boundary: every
// entry point catches std::exception and parks its message, and errors.post.js (linked with
// --post-js) wraps each entry point to throw it as a real JavaScript Error.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <climits>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "optim/registry.h"
#include "problems/csv.h"
#include "problems/expression.h"
#include "problems/landscapes.h"
#include "runner/catalog.h"
#include "runner/curvature.h"
#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/lr_schedule.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/momentum_phase.h"
#include "runner/network_view.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"
#include "runner/torch_script.h"
#include "runner/weights_json.h"

namespace {

using emscripten::val;
using optlab::Session;

std::string g_error;

// Runs f, returning its result, or `fallback` with the message parked for takeError().
template <class F, class R>
R guarded(const F& f, R fallback) {
  try {
    return f();
  } catch (const std::exception& e) {
    g_error = e.what();
  } catch (...) {
    g_error = "unexpected internal error";
  }
  return fallback;
}

std::string take_error() {
  std::string e;
  e.swap(g_error);
  return e;
}

// How a number from JavaScript is named in a message (NaN and infinities too).
std::string number_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return nlohmann::json(v).dump();
}

// A step count from JavaScript: a whole number >= 0, clamped to the most steps a session holds
// (casting NaN or 1e300 to long would be undefined behaviour).
long step_count_arg(double n, const char* what) {
  if (!(n >= 0) || n != std::floor(n))
    throw std::invalid_argument(std::string(what) + ": n must be a whole number >= 0, got " + number_text(n));
  return n > static_cast<double>(optlab::kMaxSteps) ? optlab::kMaxSteps : static_cast<long>(n);
}

// A whole number that fits an int (the core then checks its range): "<what> must be a whole
// number, got NaN".
int int_arg(double v, const std::string& what) {
  if (!(v == std::floor(v)) || v < INT_MIN || v > INT_MAX)
    throw std::invalid_argument(what + " must be a whole number, got " + number_text(v));
  return static_cast<int>(v);
}

// A run index: a whole number >= 0 (Session checks that the run exists).
int run_arg(double v, const char* what) {
  if (!(v == std::floor(v)) || v < 0 || v > INT_MAX)
    throw std::invalid_argument(std::string(what) + ": the run index must be a whole number >= 0, got " +
                                number_text(v));
  return static_cast<int>(v);
}

// A seed: a whole number from 0 to 2^53 (what a JavaScript number holds exactly).
std::uint64_t seed_arg(double v, const std::string& what) {
  if (!(v == std::floor(v)) || v < 0 || v > 9007199254740992.0)
    throw std::invalid_argument(what + " must be a whole number from 0 to 2^53, got " + number_text(v));
  return static_cast<std::uint64_t>(v);
}

// JSON for the page; invalid UTF-8 in a label becomes U+FFFD rather than an exception.
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

val float64_array(const double* data, std::size_t n) {
  // new Float64Array(view) copies the wasm memory once, so the array stays valid if memory grows.
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}
val float64_array(const std::vector<double>& v) { return float64_array(v.data(), v.size()); }

// Copies `values` into the caller's Float64Array `out` (length at least values.size()) and returns
// the count. The view on wasm memory is made and consumed inside this one call, with nothing in
// between that could grow memory (which would detach it), so no view ever outlives its buffer.
double fill(const val& out, const std::vector<double>& values, const char* what) {
  if (!out.instanceof(val::global("Float64Array")))
    throw std::invalid_argument(std::string(what) + ": out must be a Float64Array");
  const double length = out["length"].as<double>();
  if (length < static_cast<double>(values.size()))
    throw std::invalid_argument(std::string(what) + ": out holds " + std::to_string(static_cast<long long>(length)) + " numbers, the grid has " +
                                std::to_string(values.size()));
  out.call<void>("set", emscripten::typed_memory_view(values.size(), values.data()));
  return static_cast<double>(values.size());
}

// A run's thinned older samples followed by its window's: one Float64Array.
val joined(const std::vector<double>& older, const std::vector<double>& recent) {
  val out = val::global("Float64Array").new_(static_cast<double>(older.size() + recent.size()));
  out.call<void>("set", emscripten::typed_memory_view(older.size(), older.data()), 0.0);
  out.call<void>("set", emscripten::typed_memory_view(recent.size(), recent.data()),
                 static_cast<double>(older.size()));
  return out;
}

// Text as a JavaScript string, decoded by TextDecoder straight from wasm memory (the view is made
// and consumed in this call). Embind's std::string return walks the text byte by byte in
// JavaScript: for a 100k-step result that cost several times the steps and the JSON together.
val js_text(const std::string& text) {
  static const val decoder = val::global("TextDecoder").new_();
  return decoder.call<val>("decode", emscripten::typed_memory_view(text.size(), reinterpret_cast<const unsigned char*>(text.data())));
}

val run_experiment(const std::string& spec) {
  return guarded([&] { return js_text(optlab::result_to_json(optlab::run_experiment(optlab::parse_spec(spec)))); },
                 val(std::string()));
}

// `optlab hessian`: the same request, the same bytes.
std::string hessian(const std::string& request) {
  return guarded([&] { return optlab::hessian_request_to_json(request); }, std::string());
}

// SGD with momentum on a quadratic: the phase diagram (runner/momentum_phase.h).
std::string momentum_phase(const std::string& request) {
  return guarded([&] { return optlab::momentum_phase_request_to_json(request); }, std::string());
}

// A run's lr over `steps` scheduler steps, before anything runs (runner/lr_schedule.h).
std::string lr_schedule(const std::string& request) {
  return guarded([&] { return optlab::lr_schedule_request_to_json(request); }, std::string());
}

// `optlab export-torch`: the experiment as a PyTorch script, the same text.
std::string torch_script(const std::string& spec) {
  return guarded([&] { return optlab::torch_script(spec); }, std::string());
}

// The core's validator alone: nothing runs. The page checks links and files with it, so it accepts
// exactly what the CLI accepts.
bool check_spec(const std::string& spec) {
  return guarded([&] { optlab::parse_spec(spec); return true; }, false);
}

// A CSV file's text as the points of a "data" object (problems/csv.h), JSON; target: the loss
// ("bce", "cross_entropy", "mse") or fit model ("line", "logistic"). Errors name row and column.
std::string parse_csv(const std::string& text, const std::string& target) {
  return guarded([&] { return optlab::parse_points_csv(text, target).dump(); }, std::string());
}

// Bytes currently allocated on the wasm heap (tests use it to prove nothing leaks).
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

std::string landscape_catalog() { return optlab::landscape_catalog().dump(); }
std::string optimizer_catalog() { return optlab::optimizer_catalog().dump(); }
std::string catalog() { return dump(optlab::catalog()); }

std::string check_formula(const std::string& text) {
  try {
    optlab::make_formula_landscape(text);
    return R"({"ok":true})";
  } catch (const optlab::ParseError& e) {
    return nlohmann::json{{"ok", false}, {"message", e.what()}, {"column", e.column()}}.dump();
  } catch (const std::exception& e) {
    return nlohmann::json{{"ok", false}, {"message", e.what()}, {"column", nullptr}}.dump();
  }
}

// The page's handle on an optlab::Session. A failed construction leaves `session` empty and parks
// the error; errors.post.js then deletes the handle and throws. Numbers from JavaScript arrive as
// doubles and are checked here, so that NaN or 1.5 is an error naming the argument, not run 0.
class JsSession {
 public:
  explicit JsSession(const std::string& spec) {
    guarded([&] {
      session_ = std::make_unique<Session>(optlab::parse_spec(spec));
      view_ = std::make_unique<optlab::NetworkView>(*session_);
      return 0;
    }, 0);
  }

  void step_by(double n) { with([&](Session& s) { s.step_by(step_count_arg(n, "stepBy")); return 0; }, 0); }
  double back(double n) {
    return with([&](Session& s) { return static_cast<double>(s.back(step_count_arg(n, "back"))); }, 0.0);
  }
  void go_to(double n) { with([&](Session& s) { s.go_to(step_count_arg(n, "goTo")); return 0; }, 0); }
  void reset() { with([&](Session& s) { s.reset(); return 0; }, 0); }
  double step_count() { return with([&](Session& s) { return static_cast<double>(s.step_count()); }, 0.0); }
  int run_count() { return with([&](Session& s) { return s.run_count(); }, 0); }

  void set_start(double x, double y) {
    with([&](Session& s) { s.set_start(Eigen::Vector2d(x, y)); return 0; }, 0);
  }
  void set_optimizer(double i, const std::string& json) {
    with([&](Session& s) {
      const int run = run_arg(i, "setOptimizer");
      s.set_optimizer(run, optlab::parse_run(optlab::parse_json(json), "optimizers[" + std::to_string(run) + "]",
                                             s.spec().steps));
      return 0;
    }, 0);
  }

  // A run's samples: the thinned older steps, then every step of the recent window. params,
  // losses, lossMin, lossMax and each metric line up with steps (params: dim numbers a sample,
  // none when the session does not keep them).
  val params(double i) {
    return samples(i, "params", [](const auto& old, const auto& now) { return joined(old.params(), now.params); });
  }
  val losses(double i) {
    return samples(i, "losses", [](const auto& old, const auto& now) { return joined(old.loss(), now.loss); });
  }
  val loss_min(double i) {
    return samples(i, "lossMin", [](const auto& old, const auto& now) { return joined(old.loss_min(), now.loss); });
  }
  val loss_max(double i) {
    return samples(i, "lossMax", [](const auto& old, const auto& now) { return joined(old.loss_max(), now.loss); });
  }
  // The lr of each sample (NaN where reduce_lr_on_plateau's is not known: before the window).
  val lr(double i) {
    return with([&](Session& s) { return float64_array(optlab::sample_lr(s, run_arg(i, "lr"))); }, val::null());
  }
  val steps(double i) {
    return with([&](Session& s) { return float64_array(optlab::sample_steps(s, run_arg(i, "steps"))); }, val::null());
  }
  val metric(double i, const std::string& name) {
    return with([&](Session& s) {
      const int r = run_arg(i, "metric");
      const std::size_t m = optlab::metric_index(s, name);
      return joined(s.thinned(r).metrics()[m], s.history(r).metrics[m]);
    }, val::null());
  }
  double earliest_step() { return with([&](Session& s) { return static_cast<double>(s.earliest_step()); }, 0.0); }
  double step_cost() { return with([&](Session& s) { return s.step_cost(); }, 0.0); }
  std::string run_status(double i) {
    return with([&](Session& s) { return optlab::run_status(s, run_arg(i, "runStatus")).dump(); }, std::string());
  }
  std::string internals(double i) {
    return with([&](Session& s) { return dump(optlab::run_internals(s, run_arg(i, "internals"))); }, std::string());
  }
  std::string internals_at(double i, double k) {
    return with([&](Session& s) {
      return dump(optlab::run_internals_at(s, run_arg(i, "internalsAt"), step_count_arg(k, "internalsAt")));
    }, std::string());
  }

  val grid(double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session& s) {
      return float64_array(optlab::landscape_grid(s, optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(nx, "grid: nx"),
                                                  int_arg(ny, "grid: ny")));
    }, val::null());
  }
  // The same grid written into the page's own Float64Array `out` (engine.js keeps and reuses it),
  // through a buffer this session keeps: no fresh memory on either side once both are warm.
  double grid_into(val out, double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session& s) {
      optlab::landscape_grid(s, optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(nx, "grid: nx"), int_arg(ny, "grid: ny"),
                             grid_buffer_);
      return fill(out, grid_buffer_, "grid");
    }, 0.0);
  }
  // The curvature at run i's current point (runner/curvature.h), as one point of `optlab hessian`.
  std::string curvature(double i) {
    return with([&](Session& s) { return optlab::run_curvature_json(s, run_arg(i, "curvature")); }, std::string());
  }
  std::string landscape_info() {
    return with([&](Session& s) { return optlab::landscape_info(s).dump(); }, std::string());
  }

  // ---- fit problems ----
  std::string fit_data() { return with([&](Session& s) { return optlab::fit_data(s).dump(); }, std::string()); }
  val fit_batch(double i, double step) {
    return with([&](Session& s) {
      const std::vector<int> rows = optlab::fit_batch(s, run_arg(i, "fitBatch"), step_count_arg(step, "fitBatch"));
      return val::global("Int32Array").new_(emscripten::typed_memory_view(rows.size(), rows.data()));
    }, val::null());
  }
  val batch_grid(double i, double step, double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session& s) {
      return float64_array(optlab::fit_batch_grid(s, run_arg(i, "batchGrid"), step_count_arg(step, "batchGrid"), optlab::ViewBox{xmin, xmax, ymin, ymax},
                                                  int_arg(nx, "batchGrid: nx"), int_arg(ny, "batchGrid: ny")));
    }, val::null());
  }

  double batch_grid_into(val out, double i, double step, double xmin, double xmax, double ymin, double ymax, double nx,
                         double ny) {
    return with([&](Session& s) {
      optlab::fit_batch_grid(s, run_arg(i, "batchGrid"), step_count_arg(step, "batchGrid"),
                             optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(nx, "batchGrid: nx"),
                             int_arg(ny, "batchGrid: ny"), grid_buffer_);
      return fill(out, grid_buffer_, "batchGrid");
    }, 0.0);
  }

  // ---- network problems ----
  std::string problem_kind() { return with([&](Session& s) { return optlab::problem_kind(s); }, std::string()); }
  std::string metric_names() {
    return with([&](Session& s) { return nlohmann::json(s.problem().metric_names()).dump(); }, std::string());
  }
  std::string dataset() { return with([&](Session&) { return view_->dataset().dump(); }, std::string()); }
  val batch(double step) {
    return with([&](Session&) {
      const std::vector<int> rows = view_->batch(step_count_arg(step, "batch"));
      return val::global("Int32Array").new_(emscripten::typed_memory_view(rows.size(), rows.data()));
    }, val::null());
  }
  val run_batch(double i, double step) {
    return with([&](Session&) {
      const std::vector<int> rows = view_->batch(step_count_arg(step, "runBatch"), run_arg(i, "runBatch"));
      return val::global("Int32Array").new_(emscripten::typed_memory_view(rows.size(), rows.data()));
    }, val::null());
  }
  val weights(double i) {
    return with([&](Session& s) {
      const Eigen::VectorXd& x = s.state(run_arg(i, "weights")).x;
      return float64_array(x.data(), static_cast<std::size_t>(x.size()));
    }, val::null());
  }
  // Run i's current weights for "Export weights": flat, per tensor and state_dict (runner/weights_json.h).
  std::string weights_json(double i) {
    return with([&](Session& s) { return dump(optlab::run_weights_json(s, run_arg(i, "weightsJson"))); }, std::string());
  }
  std::string layers(double i) {
    return with([&](Session&) { return dump(view_->layers(run_arg(i, "layers"))); }, std::string());
  }
  val predict_grid(double i, double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session&) {
      return float64_array(view_->predict_grid(run_arg(i, "predictGrid"), optlab::ViewBox{xmin, xmax, ymin, ymax},
                                               int_arg(nx, "predictGrid: nx"), int_arg(ny, "predictGrid: ny")));
    }, val::null());
  }
  val neuron_grid(double i, double layer, double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session&) {
      return float64_array(view_->neuron_grid(run_arg(i, "neuronGrid"), int_arg(layer, "neuronGrid: layer"),
                                              optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(nx, "neuronGrid: nx"),
                                              int_arg(ny, "neuronGrid: ny")));
    }, val::null());
  }
  double predict_grid_into(val out, double i, double xmin, double xmax, double ymin, double ymax, double nx, double ny) {
    return with([&](Session&) {
      view_->predict_grid(run_arg(i, "predictGrid"), optlab::ViewBox{xmin, xmax, ymin, ymax},
                          int_arg(nx, "predictGrid: nx"), int_arg(ny, "predictGrid: ny"), grid_buffer_);
      return fill(out, grid_buffer_, "predictGrid");
    }, 0.0);
  }
  std::string trace(double i, const std::string& rows_json) {
    return with([&](Session&) { return dump(view_->trace(run_arg(i, "trace"), optlab::parse_json(rows_json))); },
                std::string());
  }
  void set_plane(const std::string& kind, double seed, double a, double b) {
    with([&](Session&) {
      // Only the chosen kind's numbers are read (the page leaves the others undefined, i.e. NaN).
      const std::uint64_t sd = kind == "random" ? seed_arg(seed, "setPlane: seed") : 0;
      const bool weights = kind == "weights";
      view_->set_plane(kind, sd, weights ? int_arg(a, "setPlane: a") : 0, weights ? int_arg(b, "setPlane: b") : 0);
      return 0;
    }, 0);
  }
  val plane_grid(double xmin, double xmax, double ymin, double ymax, double n) {
    return with([&](Session&) {
      return float64_array(view_->plane_grid(optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(n, "planeGrid: n")));
    }, val::null());
  }
  double plane_grid_into(val out, double xmin, double xmax, double ymin, double ymax, double n) {
    return with([&](Session&) {
      view_->plane_grid(optlab::ViewBox{xmin, xmax, ymin, ymax}, int_arg(n, "planeGrid: n"), grid_buffer_);
      return fill(out, grid_buffer_, "planeGrid");
    }, 0.0);
  }
  val plane_path(double i) {
    return with([&](Session&) { return float64_array(view_->plane_path(run_arg(i, "planePath"))); }, val::null());
  }
  val trail_steps(double i) {
    return with([&](Session&) { return float64_array(view_->trail_steps(run_arg(i, "trailSteps"))); }, val::null());
  }

 private:
  template <class F, class R>
  R with(const F& f, R fallback) {
    return guarded([&] {
      if (!session_) throw std::logic_error("this Session failed to construct");
      return f(*session_);
    }, fallback);
  }

  // f(thinned older samples, recent window) of run i, checked first.
  template <class F>
  val samples(double i, const char* what, const F& f) {
    return with([&](Session& s) { const int r = run_arg(i, what); return f(s.thinned(r), s.history(r)); }, val::null());
  }

  std::unique_ptr<Session> session_;
  std::unique_ptr<optlab::NetworkView> view_;  // holds the chosen weight plane
  std::vector<double> grid_buffer_;  // the *Into grids' values before they are copied out (kept warm)
};

// The numbers of a JavaScript Array or typed array (each through Number()), after checking that it
// is one: reading "length" of undefined would throw through wasm frames.
std::vector<double> number_list(const val& v, const char* what, std::size_t most) {
  const std::string type = v.typeOf().as<std::string>();
  if (type != "object" || v.isNull() || !v["length"].isNumber())
    throw std::invalid_argument(std::string(what) + ": expected an array or a typed array of numbers");
  const double n = v["length"].as<double>();
  if (!(n >= 0) || n > static_cast<double>(most))
    throw std::invalid_argument(std::string(what) + ": " + number_text(n) + " numbers, more than the " +
                                std::to_string(most) + " expected");
  return emscripten::convertJSArrayToNumberVector<double>(v);
}

// A map computed in slices (runner/map.h): the page's workers each hold one and run the cells they
// are given; the main thread assembles the rows. Construction validates the whole request.
class JsMapJob {
 public:
  explicit JsMapJob(const std::string& spec) {
    guarded([&] {
      map_ = std::make_unique<optlab::MapSpec>(optlab::parse_map_spec(spec));
      runner_ = std::make_unique<optlab::MapRunner>(*map_);
      return 0;
    }, 0);
  }

  std::string plan() { return with([&] { return optlab::map_plan_json(*map_); }, std::string()); }

  // kMapRowSize numbers per index, in the order given (runner/map.h says what they are).
  val run(const val& indices) {
    return with([&] {
      const long cells = map_->cells();
      const std::vector<double> list = number_list(indices, "MapJob.run", static_cast<std::size_t>(cells) * 16);
      for (const double c : list)
        if (!(c >= 0 && c < static_cast<double>(cells) && c == std::floor(c)))
          throw std::invalid_argument("MapJob.run: a cell index is a whole number from 0 to " + std::to_string(cells - 1) +
                                      ", got " + number_text(c));
      std::vector<double> rows(list.size() * optlab::kMapRowSize);
      for (std::size_t k = 0; k < list.size(); ++k)
        runner_->run_cell(static_cast<long>(list[k]), rows.data() + k * optlab::kMapRowSize);
      return float64_array(rows);
    }, val::null());
  }

  // Every cell's row in cell order -> the JSON `optlab map` prints.
  std::string assemble(const val& rows) {
    return with([&] {
      const std::size_t want = static_cast<std::size_t>(map_->cells()) * optlab::kMapRowSize;
      const std::vector<double> all = number_list(rows, "MapJob.assemble", want);
      if (all.size() != want)
        throw std::invalid_argument("MapJob.assemble: expected " + std::to_string(want) + " numbers (" +
                                    std::to_string(optlab::kMapRowSize) + " per cell), got " + std::to_string(all.size()));
      return optlab::assemble_map(*map_, all.data());
    }, std::string());
  }

 private:
  template <class F, class R>
  R with(const F& f, R fallback) {
    return guarded([&] {
      if (!map_) throw std::logic_error("this MapJob failed to construct");
      return f();
    }, fallback);
  }

  std::unique_ptr<optlab::MapSpec> map_;
  std::unique_ptr<optlab::MapRunner> runner_;  // holds a reference to *map_
};

}  // namespace

EMSCRIPTEN_BINDINGS(optlab) {
  using namespace emscripten;
  function("runExperiment", &run_experiment);
  function("hessian", &hessian);
  function("lrSchedule", &lr_schedule);
  function("momentumPhase", &momentum_phase);
  function("checkSpec", &check_spec);
  function("landscapeCatalog", &landscape_catalog);
  function("optimizerCatalog", &optimizer_catalog);
  function("catalog", &catalog);
  function("checkFormula", &check_formula);
  function("parseCsv", &parse_csv);
  function("torchScript", &torch_script);
  function("takeError", &take_error);
  function("heapBytesInUse", &heap_bytes_in_use);
  class_<JsSession>("Session")
      .constructor<const std::string&>()
      .function("stepBy", &JsSession::step_by)
      .function("back", &JsSession::back)
      .function("goTo", &JsSession::go_to)
      .function("reset", &JsSession::reset)
      .function("stepCount", &JsSession::step_count)
      .function("runCount", &JsSession::run_count)
      .function("setStart", &JsSession::set_start)
      .function("setOptimizer", &JsSession::set_optimizer)
      .function("params", &JsSession::params)
      .function("losses", &JsSession::losses)
      .function("lossMin", &JsSession::loss_min)
      .function("lossMax", &JsSession::loss_max)
      .function("steps", &JsSession::steps)
      .function("lr", &JsSession::lr)
      .function("earliestStep", &JsSession::earliest_step)
      .function("stepCost", &JsSession::step_cost)
      .function("runStatus", &JsSession::run_status)
      .function("internals", &JsSession::internals)
      .function("internalsAt", &JsSession::internals_at)
      .function("grid", &JsSession::grid)
      .function("gridInto", &JsSession::grid_into)
      .function("landscapeInfo", &JsSession::landscape_info)
      .function("curvature", &JsSession::curvature)
      .function("problemKind", &JsSession::problem_kind)
      .function("fitData", &JsSession::fit_data)
      .function("fitBatch", &JsSession::fit_batch)
      .function("batchGrid", &JsSession::batch_grid)
      .function("batchGridInto", &JsSession::batch_grid_into)
      .function("metricNames", &JsSession::metric_names)
      .function("metric", &JsSession::metric)
      .function("dataset", &JsSession::dataset)
      .function("batch", &JsSession::batch)
      .function("runBatch", &JsSession::run_batch)
      .function("weights", &JsSession::weights)
      .function("weightsJson", &JsSession::weights_json)
      .function("layers", &JsSession::layers)
      .function("predictGrid", &JsSession::predict_grid)
      .function("predictGridInto", &JsSession::predict_grid_into)
      .function("trace", &JsSession::trace)
      .function("neuronGrid", &JsSession::neuron_grid)
      .function("setPlane", &JsSession::set_plane)
      .function("planeGrid", &JsSession::plane_grid)
      .function("planeGridInto", &JsSession::plane_grid_into)
      .function("planePath", &JsSession::plane_path)
      .function("trailSteps", &JsSession::trail_steps);
  class_<JsMapJob>("MapJob")
      .constructor<const std::string&>()
      .function("plan", &JsMapJob::plan)
      .function("run", &JsMapJob::run)
      .function("assemble", &JsMapJob::assemble);
}
