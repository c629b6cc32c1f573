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

#include <cmath>
#include <memory>
#include <string>

#include "optim/registry.h"
#include "problems/expression.h"
#include "problems/landscapes.h"
#include "problems/mlp.h"
#include "problems/weight_plane.h"
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

// A step count from JavaScript: a whole number >= 0, clamped to the most steps a session holds
// (casting NaN or 1e300 to long would be undefined behaviour).
long step_count_arg(double n, const char* what) {
  if (!(n >= 0) || n != std::floor(n)) throw std::invalid_argument(std::string(what) + ": n must be a whole number >= 0");
  return n > static_cast<double>(optlab::kMaxSteps) ? optlab::kMaxSteps : static_cast<long>(n);
}

val float64_array(const double* data, std::size_t n) {
  // new Float64Array(view) copies the wasm memory once, so the array stays valid if memory grows.
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, data));
}

// A run's thinned older samples followed by its window's: one Float64Array.
val joined(const std::vector<double>& older, const std::vector<double>& recent) {
  val out = val::global("Float64Array").new_(static_cast<double>(older.size() + recent.size()));
  out.call<void>("set", emscripten::typed_memory_view(older.size(), older.data()), 0.0);
  out.call<void>("set", emscripten::typed_memory_view(recent.size(), recent.data()),
                 static_cast<double>(older.size()));
  return out;
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

  void step_by(double n) { with([&](Session& s) { s.step_by(step_count_arg(n, "stepBy")); return 0; }, 0); }
  double back(double n) {
    return with([&](Session& s) { return static_cast<double>(s.back(step_count_arg(n, "back"))); }, 0.0);
  }
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

  // A run's samples: the thinned older steps, then every step of the recent window. params,
  // losses, lossMin, lossMax and each metric line up with steps (params: dim numbers a sample,
  // none when the session does not keep them).
  val params(int i) {
    return with([&](Session& s) { return joined(s.thinned(i).params(), s.history(i).params); }, val::null());
  }
  val losses(int i) {
    return with([&](Session& s) { return joined(s.thinned(i).loss(), s.history(i).loss); }, val::null());
  }
  val loss_min(int i) {
    return with([&](Session& s) { return joined(s.thinned(i).loss_min(), s.history(i).loss); }, val::null());
  }
  val loss_max(int i) {
    return with([&](Session& s) { return joined(s.thinned(i).loss_max(), s.history(i).loss); }, val::null());
  }
  val steps(int i) {
    return with([&](Session& s) {
      const auto& older = s.thinned(i).steps();
      const optlab::History& h = s.history(i);
      scratch_.assign(older.begin(), older.end());
      for (long k = h.first; k <= h.last_step(); ++k) scratch_.push_back(static_cast<double>(k));
      return float64_array(scratch_.data(), scratch_.size());
    }, val::null());
  }
  double earliest_step() { return with([&](Session& s) { return static_cast<double>(s.earliest_step()); }, 0.0); }
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

  // ---- network problems ----

  std::string problem_kind() {
    return with([&](Session& s) { return std::string(s.spec().is_network() ? "mlp" : "landscape"); }, std::string());
  }

  std::string metric_names() {
    return with([&](Session& s) { return nlohmann::json(s.problem().metric_names()).dump(); }, std::string());
  }

  val metric(int i, const std::string& name) {
    return with([&](Session& s) {
      const auto names = s.problem().metric_names();
      for (std::size_t m = 0; m < names.size(); ++m)
        if (names[m] == name) {
          return joined(s.thinned(i).metrics()[m], s.history(i).metrics[m]);
        }
      throw std::invalid_argument("metric: this problem has no series '" + name + "'");
    }, val::null());
  }

  std::string dataset() {
    return with([&](Session& s) {
      optlab::MlpProblem& mlp = network(s);
      auto points = [](const optlab::Dataset& d) {
        nlohmann::json x = nlohmann::json::array(), y = nlohmann::json::array();
        for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
          x.push_back({d.x(r, 0), d.x(r, 1)});
          y.push_back(d.y[r]);
        }
        return nlohmann::json{{"x", x}, {"y", y}};
      };
      const optlab::Dataset& train = mlp.train();
      const Eigen::Vector2d lo = train.x.colwise().minCoeff(), hi = train.x.colwise().maxCoeff();
      const Eigen::Vector2d margin = ((hi - lo) * 0.1).cwiseMax(0.1);
      const optlab::MlpConfig& c = mlp.config();
      return nlohmann::json{
          {"name", train.name}, {"classes", train.classes}, {"loss", optlab::loss_name(c.loss)},
          {"layers", c.layers}, {"activation", optlab::activation_name(c.activation)},
          {"train", points(train)}, {"test", points(mlp.test())},
          {"batch_size", c.batch_size > 0 ? nlohmann::json(c.batch_size) : nlohmann::json(nullptr)},
          {"batches_per_epoch", mlp.batches_per_epoch()},
          {"view", {{"xmin", lo[0] - margin[0]}, {"xmax", hi[0] + margin[0]},
                    {"ymin", lo[1] - margin[1]}, {"ymax", hi[1] + margin[1]}}}}
          .dump();
    }, std::string());
  }

  val batch(double step) {
    return with([&](Session& s) {
      if (!(step >= 0)) throw std::invalid_argument("batch: step must be >= 0");
      const std::vector<int> rows = network(s).batch_indices(static_cast<long>(step));
      return val::global("Int32Array").new_(emscripten::typed_memory_view(rows.size(), rows.data()));
    }, val::null());
  }

  val weights(int i) {
    return with([&](Session& s) { const auto& x = s.state(i).x; return float64_array(x.data(), x.size()); },
                val::null());
  }

  std::string layers(int i) {
    return with([&](Session& s) {
      optlab::MlpProblem& mlp = network(s);
      const optlab::RunState& st = s.state(i);
      const optlab::StepReport& last = st.optimizer.last();
      const auto weights = optlab::layer_norms(mlp.layers(), st.x);
      const bool stepped = last.grad.size() == st.x.size();
      nlohmann::json out = nlohmann::json::array();
      for (std::size_t l = 0; l < mlp.layers().size(); ++l) {
        const optlab::LayerSlice& sl = mlp.layers()[l];
        nlohmann::json layer{{"layer", l + 1}, {"rows", sl.rows}, {"cols", sl.cols},
                             {"weight_offset", sl.weight_offset}, {"bias_offset", sl.bias_offset},
                             {"weight_norm", weights[l].weight}, {"bias_norm", weights[l].bias}};
        if (stepped) {
          const auto g = optlab::layer_norms(mlp.layers(), last.grad)[l];
          const auto u = optlab::layer_norms(mlp.layers(), last.update)[l];
          const double grad_norm = std::hypot(g.weight, g.bias), update_norm = std::hypot(u.weight, u.bias);
          layer["grad_norm"] = grad_norm;
          layer["update_norm"] = update_norm;
          layer["step_size"] = grad_norm > 0 ? nlohmann::json(update_norm / grad_norm) : nlohmann::json(nullptr);
        } else {
          layer["grad_norm"] = layer["update_norm"] = layer["step_size"] = nullptr;
        }
        out.push_back(layer);
      }
      return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }, std::string());
  }

  val predict_grid(int i, double xmin, double xmax, double ymin, double ymax, int nx, int ny) {
    return with([&](Session& s) {
      const optlab::Predictions p =
          network(s).predict_grid(s.state(i).x, optlab::ViewBox{xmin, xmax, ymin, ymax}, nx, ny);
      const std::size_t n = p.value.size();
      grid_.assign(2 * n, 0.0);
      std::copy(p.value.begin(), p.value.end(), grid_.begin());
      for (std::size_t k = 0; k < p.label.size() && k < n; ++k) grid_[n + k] = p.label[k];
      return float64_array(grid_.data(), grid_.size());
    }, val::null());
  }

  std::string trace(int i, const std::string& rows_json) {
    return with([&](Session& s) {
      const nlohmann::json rows = optlab::parse_json(rows_json);
      if (!rows.is_array()) throw std::invalid_argument("trace: rows must be a list of training-row indices");
      std::vector<int> indices;
      for (const auto& r : rows) {
        if (!r.is_number_integer()) throw std::invalid_argument("trace: rows must be whole numbers");
        indices.push_back(r.get<int>());
      }
      return network(s).trace(s.state(i).x, indices).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }, std::string());
  }

  void set_plane(const std::string& kind, double seed, double a, double b) {
    with([&](Session& s) {
      optlab::MlpProblem& mlp = network(s);
      const Eigen::VectorXd& centre = mlp.default_start();
      if (kind == "random") {
        plane_ = optlab::random_plane(mlp.layers(), centre, static_cast<std::uint64_t>(seed));
      } else if (kind == "pca") {
        std::vector<Eigen::MatrixXd> paths;
        for (int r = 0; r < s.run_count(); ++r) paths.push_back(trail_matrix(s, r));
        plane_ = optlab::pca_plane(centre, paths);
      } else if (kind == "weights") {
        plane_ = optlab::coordinate_plane(centre, static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
      } else {
        throw std::invalid_argument("setPlane: unknown kind '" + kind + "' (expected random, pca or weights)");
      }
      return 0;
    }, 0);
  }

  val plane_grid(double xmin, double xmax, double ymin, double ymax, int n) {
    return with([&](Session& s) {
      if (plane_.centre.size() == 0) throw std::invalid_argument("planeGrid: call setPlane first");
      grid_.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(std::max(n, 0)));
      optlab::plane_loss_grid(network(s), plane_, optlab::ViewBox{xmin, xmax, ymin, ymax}, n, grid_.data());
      return float64_array(grid_.data(), grid_.size());
    }, val::null());
  }

  val plane_path(int i) {
    return with([&](Session& s) {
      if (plane_.centre.size() == 0) throw std::invalid_argument("planePath: call setPlane first");
      const Eigen::Matrix2Xd ab = optlab::project(plane_, trail_matrix(s, i));
      return float64_array(ab.data(), static_cast<std::size_t>(ab.size()));
    }, val::null());
  }

  val trail_steps(int i) {
    return with([&](Session& s) {
      std::vector<double> steps(s.trail(i).steps().begin(), s.trail(i).steps().end());
      if (steps.empty() || steps.back() != s.state(i).step) steps.push_back(static_cast<double>(s.state(i).step));
      return float64_array(steps.data(), steps.size());
    }, val::null());
  }

  std::string landscape_info() {
    return with([&](Session& s) {
      auto* landscape = dynamic_cast<optlab::Landscape*>(&s.problem());
      if (!landscape) throw std::invalid_argument("landscapeInfo: this problem is not a 2-D landscape");
      return optlab::info_to_json(landscape->info()).dump();
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

  static optlab::MlpProblem& network(Session& s) {
    auto* mlp = dynamic_cast<optlab::MlpProblem*>(&s.problem());
    if (!mlp) throw std::invalid_argument("this problem is not a neural network");
    return *mlp;
  }

  // Run i's trail, with its current point appended: dim x samples, one point per column.
  static Eigen::MatrixXd trail_matrix(Session& s, int i) {
    const optlab::Trail& t = s.trail(i);
    const optlab::RunState& st = s.state(i);
    const bool append = t.steps().empty() || t.steps().back() != st.step;
    Eigen::MatrixXd m(st.x.size(), static_cast<Eigen::Index>(t.points().size()) + (append ? 1 : 0));
    for (std::size_t k = 0; k < t.points().size(); ++k) m.col(static_cast<Eigen::Index>(k)) = t.points()[k];
    if (append) m.col(m.cols() - 1) = st.x;
    return m;
  }

  std::unique_ptr<Session> session_;
  std::vector<double> grid_;
  std::vector<double> scratch_;  // steps() builds its numbers here
  optlab::WeightPlane plane_;
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
      .function("lossMin", &JsSession::loss_min)
      .function("lossMax", &JsSession::loss_max)
      .function("steps", &JsSession::steps)
      .function("earliestStep", &JsSession::earliest_step)
      .function("runStatus", &JsSession::run_status)
      .function("internals", &JsSession::internals)
      .function("grid", &JsSession::grid)
      .function("landscapeInfo", &JsSession::landscape_info)
      .function("problemKind", &JsSession::problem_kind)
      .function("metricNames", &JsSession::metric_names)
      .function("metric", &JsSession::metric)
      .function("dataset", &JsSession::dataset)
      .function("batch", &JsSession::batch)
      .function("weights", &JsSession::weights)
      .function("layers", &JsSession::layers)
      .function("predictGrid", &JsSession::predict_grid)
      .function("trace", &JsSession::trace)
      .function("setPlane", &JsSession::set_plane)
      .function("planeGrid", &JsSession::plane_grid)
      .function("planePath", &JsSession::plane_path)
      .function("trailSteps", &JsSession::trail_steps);
}
