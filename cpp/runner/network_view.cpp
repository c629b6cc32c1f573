#include "runner/network_view.h"

#include "problems/fit.h"

#include <cmath>
#include <stdexcept>

namespace optlab {

std::vector<double> sample_steps(const Session& s, int run) {
  const auto& older = s.thinned(run).steps();
  const History& h = s.history(run);
  std::vector<double> steps(older.begin(), older.end());
  for (long k = h.first; k <= h.last_step(); ++k) steps.push_back(static_cast<double>(k));
  return steps;
}

std::size_t metric_index(Session& s, const std::string& name) {
  const auto names = s.problem().metric_names();
  for (std::size_t m = 0; m < names.size(); ++m)
    if (names[m] == name) return m;
  throw std::invalid_argument("metric: this problem has no series '" + name + "'");
}

std::string problem_kind(const Session& s) {
  if (s.spec().is_network()) return "mlp";
  return dynamic_cast<const FitProblem*>(&s.problem()) ? "fit" : "landscape";
}

namespace {

Landscape& landscape_of(Session& s, const char* what) {
  auto* landscape = dynamic_cast<Landscape*>(&s.problem());
  if (!landscape) throw std::invalid_argument(std::string(what) + ": this problem is not a 2-D landscape");
  return *landscape;
}

nlohmann::json points(const Dataset& d) {
  nlohmann::json x = nlohmann::json::array(), y = nlohmann::json::array();
  for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
    x.push_back({d.x(r, 0), d.x(r, 1)});
    y.push_back(d.y[r]);
  }
  return nlohmann::json{{"x", x}, {"y", y}};
}

}  // namespace

std::vector<double> landscape_grid(Session& s, const ViewBox& view, int nx, int ny) {
  std::vector<double> out;
  landscape_grid(s, view, nx, ny, out);
  return out;
}

void landscape_grid(Session& s, const ViewBox& view, int nx, int ny, std::vector<double>& out) {
  Landscape& landscape = landscape_of(s, "grid");
  if (nx < 2 || ny < 2 || nx > kMaxLandscapeGrid || ny > kMaxLandscapeGrid)
    throw std::invalid_argument("grid: nx and ny must be between 2 and " + std::to_string(kMaxLandscapeGrid));
  if (!(view.xmin < view.xmax) || !(view.ymin < view.ymax))
    throw std::invalid_argument("grid: the view must have xmin < xmax and ymin < ymax");
  out.resize(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
  landscape.evaluate_grid(view, nx, ny, out.data());
}

namespace {

FitProblem& fit_of(Session& s, const char* what, int run = -1) {
  auto* fit = dynamic_cast<FitProblem*>(run < 0 ? &s.problem() : &s.problem_of(run));
  if (!fit) throw std::invalid_argument(std::string(what) + ": this problem is not a fit problem");
  return *fit;
}

}  // namespace

nlohmann::json fit_data(Session& s) {
  const FitProblem& fit = fit_of(s, "fitData");
  const FitData& d = fit.data();
  nlohmann::json x = nlohmann::json::array();
  for (Eigen::Index r = 0; r < d.x.rows(); ++r) {
    if (d.x.cols() == 1) x.push_back(d.x(r, 0));
    else x.push_back({d.x(r, 0), d.x(r, 1)});
  }
  const long b = fit.batches().batch_size();
  return {{"model", fit_model_name(fit.model())},
          {"x", x},
          {"y", std::vector<double>(d.y.data(), d.y.data() + d.y.size())},
          {"batch_size", b == 0 ? nlohmann::json() : nlohmann::json(b)},
          {"steps_per_epoch", fit.steps_per_epoch()}};
}

std::vector<int> fit_batch(Session& s, int run, long step) { return fit_of(s, "fitBatch", run).batch_indices(step); }

std::vector<double> fit_batch_grid(Session& s, int run, long step, const ViewBox& view, int nx, int ny) {
  std::vector<double> out;
  fit_batch_grid(s, run, step, view, nx, ny, out);
  return out;
}

void fit_batch_grid(Session& s, int run, long step, const ViewBox& view, int nx, int ny, std::vector<double>& out) {
  const FitProblem& fit = fit_of(s, "batchGrid", run);
  if (nx < 2 || ny < 2 || nx > kMaxLandscapeGrid || ny > kMaxLandscapeGrid)
    throw std::invalid_argument("batchGrid: nx and ny must be between 2 and " + std::to_string(kMaxLandscapeGrid));
  out.resize(static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny));
  fit.evaluate_batch_grid(step, view, nx, ny, out.data());
}

nlohmann::json landscape_info(Session& s) { return info_to_json(landscape_of(s, "landscapeInfo").info()); }

namespace {
nlohmann::json feature_names(const std::vector<InputFeature>& features) {
  nlohmann::json names = nlohmann::json::array();
  for (InputFeature f : features) names.push_back(feature_name(f));
  return names;
}
}  // namespace

MlpProblem& NetworkView::network() const {
  auto* mlp = dynamic_cast<MlpProblem*>(&session_.problem());
  if (!mlp) throw std::invalid_argument("this problem is not a neural network");
  return *mlp;
}

nlohmann::json NetworkView::dataset() const {
  MlpProblem& mlp = network();
  const Dataset& train = mlp.train();
  const Eigen::Vector2d lo = train.x.colwise().minCoeff(), hi = train.x.colwise().maxCoeff();
  const Eigen::Vector2d margin = ((hi - lo) * 0.1).cwiseMax(0.1);
  const MlpConfig& c = mlp.config();
  return nlohmann::json{
      {"name", train.name}, {"classes", train.classes}, {"loss", loss_name(c.loss)},
      {"layers", c.layers}, {"activation", activation_name(c.activation)},
      {"features", feature_names(c.features)}, {"l1", c.l1},
      {"train", points(train)}, {"test", points(mlp.test())},
      {"train_rows", mlp.train_rows()}, {"test_rows", mlp.test_rows()},
      {"batch_size", c.batch_size > 0 ? nlohmann::json(c.batch_size) : nlohmann::json(nullptr)},
      {"batches_per_epoch", mlp.batches_per_epoch()},
      {"view", {{"xmin", lo[0] - margin[0]}, {"xmax", hi[0] + margin[0]},
                {"ymin", lo[1] - margin[1]}, {"ymax", hi[1] + margin[1]}}}};
}

std::vector<int> NetworkView::batch(long step, int run) const {
  if (step < 0) throw std::invalid_argument("batch: step must be >= 0");
  if (run < 0) return network().batch_indices(step);
  return dynamic_cast<MlpProblem&>(session_.problem_of(run)).batch_indices(step);
}

nlohmann::json NetworkView::layers(int run) const {
  MlpProblem& mlp = network();
  const RunState& st = session_.state(run);
  const StepReport& last = st.optimizer.last();
  const auto weights = layer_norms(mlp.layers(), st.x);
  const bool stepped = last.grad.size() == st.x.size();
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t l = 0; l < mlp.layers().size(); ++l) {
    const LayerSlice& sl = mlp.layers()[l];
    nlohmann::json layer{{"layer", l + 1}, {"rows", sl.rows}, {"cols", sl.cols},
                         {"weight_offset", sl.weight_offset}, {"bias_offset", sl.bias_offset},
                         {"weight_norm", weights[l].weight}, {"bias_norm", weights[l].bias}};
    if (stepped) {
      const auto g = layer_norms(mlp.layers(), last.grad)[l];
      const auto u = layer_norms(mlp.layers(), last.update)[l];
      const double grad_norm = std::hypot(g.weight, g.bias), update_norm = std::hypot(u.weight, u.bias);
      layer["grad_norm"] = grad_norm;
      layer["update_norm"] = update_norm;
      layer["step_size"] = grad_norm > 0 ? nlohmann::json(update_norm / grad_norm) : nlohmann::json(nullptr);
    } else {
      layer["grad_norm"] = layer["update_norm"] = layer["step_size"] = nullptr;
    }
    out.push_back(layer);
  }
  return out;
}

std::vector<double> NetworkView::predict_grid(int run, const ViewBox& view, int nx, int ny) const {
  std::vector<double> out;
  predict_grid(run, view, nx, ny, out);
  return out;
}

void NetworkView::predict_grid(int run, const ViewBox& view, int nx, int ny, std::vector<double>& out) const {
  const Predictions p = network().predict_grid(session_.state(run).x, view, nx, ny);
  const std::size_t n = p.value.size();
  out.assign(2 * n, 0.0);
  std::copy(p.value.begin(), p.value.end(), out.begin());
  for (std::size_t k = 0; k < p.label.size() && k < n; ++k) out[n + k] = p.label[k];
}

std::vector<double> NetworkView::neuron_grid(int run, int layer, const ViewBox& view, int nx, int ny) const {
  return network().neuron_grid(session_.state(run).x, layer, view, nx, ny);
}

nlohmann::json NetworkView::trace(int run, const nlohmann::json& rows) const {
  if (!rows.is_array()) throw std::invalid_argument("trace: rows must be a list of training-row indices");
  std::vector<int> indices;
  for (const auto& r : rows) {
    if (!r.is_number_integer()) throw std::invalid_argument("trace: rows must be whole numbers");
    indices.push_back(r.get<int>());
  }
  return network().trace(session_.state(run).x, indices);
}

void NetworkView::set_plane(const std::string& kind, std::uint64_t seed, long a, long b) {
  MlpProblem& mlp = network();
  const Eigen::VectorXd& centre = mlp.default_start();
  if (kind == "random") {
    plane_ = random_plane(mlp.layers(), centre, seed);
  } else if (kind == "pca") {
    std::vector<Eigen::MatrixXd> paths;
    for (int r = 0; r < session_.run_count(); ++r) paths.push_back(trail_matrix(r));
    plane_ = pca_plane(centre, paths);
  } else if (kind == "weights") {
    plane_ = coordinate_plane(centre, static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  } else {
    throw std::invalid_argument("setPlane: unknown kind '" + kind + "' (expected random, pca or weights)");
  }
}

std::vector<double> NetworkView::plane_grid(const ViewBox& view, int n) const {
  std::vector<double> out;
  plane_grid(view, n, out);
  return out;
}

void NetworkView::plane_grid(const ViewBox& view, int n, std::vector<double>& out) const {
  if (plane_.centre.size() == 0) throw std::invalid_argument("planeGrid: call setPlane first");
  // plane_loss_grid checks n too, but only once the buffer exists: check before allocating.
  if (n < 2 || n > kMaxPlaneGrid)
    throw std::invalid_argument("planeGrid: n must be a whole number from 2 to " + std::to_string(kMaxPlaneGrid) +
                                ", got " + std::to_string(n));
  out.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  plane_loss_grid(network(), plane_, view, n, out.data());
}

std::vector<double> NetworkView::plane_path(int run) const {
  if (plane_.centre.size() == 0) throw std::invalid_argument("planePath: call setPlane first");
  const Eigen::Matrix2Xd ab = project(plane_, trail_matrix(run));
  return std::vector<double>(ab.data(), ab.data() + ab.size());
}

std::vector<double> NetworkView::trail_steps(int run) const {
  const Trail& t = session_.trail(run);
  std::vector<double> steps(t.steps().begin(), t.steps().end());
  const long now = session_.state(run).step;
  if (steps.empty() || steps.back() != now) steps.push_back(static_cast<double>(now));
  return steps;
}

Eigen::MatrixXd NetworkView::trail_matrix(int run) const {
  const Trail& t = session_.trail(run);
  const RunState& st = session_.state(run);
  const bool append = t.steps().empty() || t.steps().back() != st.step;
  Eigen::MatrixXd m(st.x.size(), static_cast<Eigen::Index>(t.points().size()) + (append ? 1 : 0));
  for (std::size_t k = 0; k < t.points().size(); ++k) m.col(static_cast<Eigen::Index>(k)) = t.points()[k];
  if (append) m.col(m.cols() - 1) = st.x;
  return m;
}

}  // namespace optlab
