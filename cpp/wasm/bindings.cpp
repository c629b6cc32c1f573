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

#include <memory>
#include <string>

#include "optim/registry.h"
#include "problems/expression.h"
#include "problems/landscapes.h"
#include "runner/experiment.h"
#include "runner/internals_json.h"
#include "runner/result_json.h"
#include "runner/session.h"
#include "runner/spec.h"

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

val float64_array(const double* data, std::size_t n) {
  // new Float64Array(view) copies the wasm memory once, so the array stays valid if memory grows.
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}

std::string run_experiment(const std::string& spec) {
  return guarded([&] { return optlab::result_to_json(optlab::run_experiment(optlab::parse_spec(spec))); },
                 std::string());
}

// Bytes currently allocated on the wasm heap (tests use it to prove nothing leaks).
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

std::string landscape_catalog() { return optlab::landscape_catalog().dump(); }
std::string optimizer_catalog() { return optlab::optimizer_catalog().dump(); }

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
// the error; errors.post.js then deletes the handle and throws.
class JsSession {
 public:
  explicit JsSession(const std::string& spec) {
    guarded([&] { session_ = std::make_unique<Session>(optlab::parse_spec(spec)); return 0; }, 0);
  }

  void step_by(double n) { with([&](Session& s) { s.step_by(static_cast<long>(n)); return 0; }, 0); }
  double back(double n) { return with([&](Session& s) { return static_cast<double>(s.back(static_cast<long>(n))); }, 0.0); }
  void reset() { with([&](Session& s) { s.reset(); return 0; }, 0); }
  double step_count() { return with([&](Session& s) { return static_cast<double>(s.step_count()); }, 0.0); }
  int run_count() { return with([&](Session& s) { return s.run_count(); }, 0); }

  void set_start(double x, double y) {
    with([&](Session& s) { s.set_start(Eigen::Vector2d(x, y)); return 0; }, 0);
  }
  void set_optimizer(int i, const std::string& json) {
    with([&](Session& s) {
      s.set_optimizer(i, optlab::parse_run(optlab::parse_json(json), "optimizers[" + std::to_string(i) + "]"));
      return 0;
    }, 0);
  }

  val params(int i) {
    return with([&](Session& s) { const auto& p = s.history(i).params; return float64_array(p.data(), p.size()); },
                val::null());
  }
  val losses(int i) {
    return with([&](Session& s) { const auto& l = s.history(i).loss; return float64_array(l.data(), l.size()); },
                val::null());
  }
  std::string run_status(int i) {
    return with([&](Session& s) { return optlab::run_status(s, i).dump(); }, std::string());
  }
  std::string internals(int i) {
    return with([&](Session& s) {
      return optlab::run_internals(s, i).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }, std::string());
  }

  // The landscape on an nx x ny grid over the view: out[j*nx + i], row 0 at ymin.
  val grid(double xmin, double xmax, double ymin, double ymax, int nx, int ny) {
    return with([&](Session& s) {
      auto* landscape = dynamic_cast<optlab::Landscape*>(&s.problem());
      if (!landscape) throw std::invalid_argument("grid: this problem is not a 2-D landscape");
      if (nx < 2 || ny < 2 || nx > 2048 || ny > 2048)
        throw std::invalid_argument("grid: nx and ny must be between 2 and 2048");
      if (!(xmin < xmax) || !(ymin < ymax))
        throw std::invalid_argument("grid: the view must have xmin < xmax and ymin < ymax");
      grid_.resize(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
      landscape->evaluate_grid(optlab::ViewBox{xmin, xmax, ymin, ymax}, nx, ny, grid_.data());
      return float64_array(grid_.data(), grid_.size());
    }, val::null());
  }

  std::string landscape_info() {
    return with([&](Session& s) {
      auto* landscape = dynamic_cast<optlab::Landscape*>(&s.problem());
      if (!landscape) throw std::invalid_argument("landscapeInfo: this problem is not a 2-D landscape");
      const optlab::LandscapeInfo& info = landscape->info();
      nlohmann::json minima = nlohmann::json::array();
      for (const auto& m : info.minima) minima.push_back({{"x", m.x}, {"y", m.y}, {"value", m.value}});
      return nlohmann::json{{"name", info.name}, {"formula", info.formula}, {"note", info.note},
                            {"view", {{"xmin", info.view.xmin}, {"xmax", info.view.xmax},
                                      {"ymin", info.view.ymin}, {"ymax", info.view.ymax}}},
                            {"start", {info.start[0], info.start[1]}}, {"minima", minima},
                            {"log_scale", info.log_scale}}
          .dump();
    }, std::string());
  }

 private:
  template <class F, class R>
  R with(const F& f, R fallback) {
    return guarded([&] {
      if (!session_) throw std::logic_error("this Session failed to construct");
      return f(*session_);
    }, fallback);
  }

  std::unique_ptr<Session> session_;
  std::vector<double> grid_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(optlab) {
  using namespace emscripten;
  function("runExperiment", &run_experiment);
  function("landscapeCatalog", &landscape_catalog);
  function("optimizerCatalog", &optimizer_catalog);
  function("checkFormula", &check_formula);
  function("takeError", &take_error);
  function("heapBytesInUse", &heap_bytes_in_use);
  class_<JsSession>("Session")
      .constructor<const std::string&>()
      .function("stepBy", &JsSession::step_by)
      .function("back", &JsSession::back)
      .function("reset", &JsSession::reset)
      .function("stepCount", &JsSession::step_count)
      .function("runCount", &JsSession::run_count)
      .function("setStart", &JsSession::set_start)
      .function("setOptimizer", &JsSession::set_optimizer)
      .function("params", &JsSession::params)
      .function("losses", &JsSession::losses)
      .function("runStatus", &JsSession::run_status)
      .function("internals", &JsSession::internals)
      .function("grid", &JsSession::grid)
      .function("landscapeInfo", &JsSession::landscape_info);
}
