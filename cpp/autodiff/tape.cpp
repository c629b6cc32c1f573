#include "autodiff/tape.h"

namespace optlab {

void Tape::backward(int output) {
  adjoints_.assign(size_, 0.0);
  adjoints_[static_cast<std::size_t>(output)] = 1.0;
  for (int i = output; i >= 0; --i) {
    const Node& n = nodes_[static_cast<std::size_t>(i)];
    const double g = adjoints_[static_cast<std::size_t>(i)];
    // Skipping zero adjoints is not just speed: it keeps 0 * inf from turning an unused
    // branch's infinite partial into NaN.
    if (g == 0.0) continue;
    if (n.a != kNone) adjoints_[static_cast<std::size_t>(n.a)] += g * n.da;
    if (n.b != kNone) adjoints_[static_cast<std::size_t>(n.b)] += g * n.db;
  }
}

}  // namespace optlab
