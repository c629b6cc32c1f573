// Computing a map (runner/map_spec.h): every cell is the single run of the experiment with the
// cell's hyperparameters (or start), stepped by the runner's own start_run/advance, so its losses
// and divergence are those of run_experiment by construction; a cell keeps no history, only what
// its row needs. Rows are computed anywhere (threads here, Web Workers on the page) and put
// together by assemble_map, which is where formulas' end points are clustered into basins.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "problems/problem.h"
#include "runner/map_spec.h"

namespace optlab {

// A cell's row: value (NaN: null), diverged_at (-1: none), final_loss (NaN: null), end x, end y.
constexpr int kMapRowSize = 5;

// Computes cells of one map; holds its own problem, so one per thread.
class MapRunner {
 public:
  explicit MapRunner(const MapSpec& map);
  // Writes cell c's kMapRowSize numbers to row. c in [0, map.cells()).
  void run_cell(long c, double* row);

 private:
  const MapSpec& map_;
  std::unique_ptr<Problem> problem_;
  Eigen::VectorXd start_;
};

// The result JSON of `optlab map` from all rows (kMapRowSize * cells numbers, in cell order).
std::string assemble_map(const MapSpec& map, const double* rows);

// {"nx","ny","cells","kind","measure","x":[values],"y":[values],"minima":[[x,y],...]}: what a
// page needs before computing (minima: the known ones of a basin map, else []).
std::string map_plan_json(const MapSpec& map);

}  // namespace optlab
