// A map request (docs/spec/experiment.md, "Maps"): an experiment spec plus a "map" section naming
// two axes, read and validated once. What gets past parse_map_spec() runs without further checks:
// every cell's optimizer entry was tried at the axes' corners, the grid is within its limits.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/spec.h"

namespace optlab {

constexpr int kMaxMapAxis = 256;          // cells per axis
constexpr double kMaxMapSteps = 1e8;      // nx * ny * steps
constexpr double kDefaultMapTolerance = 1e-4;

enum class MapKind { Hyper, Start };
enum class MapMeasure { Steps, FinalLoss, Basin };

struct MapAxis {
  std::string param;  // "lr", "betas.0" (a pair's member), or "x" / "y" for start maps
  double from = 0, to = 0;
  int n = 0;
  bool log = false;
  std::vector<double> values;  // the n values, computed here only (see axis_values)
};

struct MapSpec {
  MapKind kind = MapKind::Hyper;
  MapMeasure measure = MapMeasure::Steps;
  int run = 0;       // index of the optimizer entry varied
  long steps = 0;    // every cell's run length
  double tolerance = kDefaultMapTolerance;
  MapAxis x, y;
  // The experiment every cell is a single run of: the spec without "map", steps = `steps`, its
  // optimizers = [entry] (and, for start maps, that entry parsed once in base.runs[0]).
  Spec base;
  nlohmann::json entry;  // optimizers[run] as given
  std::optional<double> fstar;  // the landscape's known global minimum value ("steps" needs it)
  // Basin maps: the landscape's known minima, or empty when the end points are clustered.
  std::vector<std::array<double, 2>> minima;
  double cluster_radius = 0;  // clustering (no known minima): 1e-3 of the view's diagonal

  int nx() const { return x.n; }
  int ny() const { return y.n; }
  long cells() const { return static_cast<long>(x.n) * y.n; }
  bool clusters() const { return measure == MapMeasure::Basin && minima.empty(); }
};

// Linear: from + (to - from) * i / (n - 1); log: exp(log a + (log b - log a) * i / (n - 1));
// the first value is exactly `from` and the last exactly `to` (n = 1 gives `from`).
std::vector<double> axis_values(double from, double to, int n, bool log);

// Throws SpecError naming the field ("map.x.from: a log axis needs a positive bound, got 0").
MapSpec parse_map_spec(const std::string& text);
MapSpec map_spec_from_json(const nlohmann::json& doc);

// The optimizer entry of cell (i, j) of a hyperparameter map: `entry` with x's and y's params
// replaced (a pair's member inside the pair, its other member as given or torch's default).
nlohmann::json cell_entry(const MapSpec& map, int i, int j);
// The same for arbitrary values (the corner checks use it).
nlohmann::json entry_with(const nlohmann::json& entry, const std::string& param, double value);

}  // namespace optlab
