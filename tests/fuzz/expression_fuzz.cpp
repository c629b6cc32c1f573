// libFuzzer target for the formula parser (issue 5): the input bytes are a formula, as a student
// might type or paste it. Beyond "no crash, no leak, no undefined behaviour, no hang", it checks
// what the page relies on:
//   - a rejected formula throws ParseError (nothing else), with a one-line message and a 1-based
//     column inside the text or just past its end, and the column the message names is column();
//   - Expression and make_formula_landscape accept and reject the same texts;
//   - an accepted formula gives the same double, bit for bit, evaluated at a point, over a grid
//     (Expression's and the Landscape's) and recorded on the tape; x or y never read has an
//     exact zero partial derivative.
// Evaluation points include 0, signed zeros, huge, tiny, infinite and NaN coordinates: a domain
// error must come out as NaN or inf (the runner's divergence), never as a crash.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include <Eigen/Core>

#include "problems/expression.h"
#include "problems/landscapes.h"

namespace {

using optlab::Expression;
using optlab::ParseError;

// Stops the run with a message; libFuzzer saves the input that got here as a crash artifact.
[[noreturn]] void fail(const std::string& what, const std::string& text) {
  std::fprintf(stderr, "expression_fuzz: %s\nformula (%zu bytes): %.300s\n", what.c_str(), text.size(),
               text.c_str());
  std::abort();
}

// Same double, all NaNs counted equal (their payloads are not part of the contract).
bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

void check_error(const ParseError& e, const std::string& text) {
  const std::string message = e.what();
  if (message.empty()) fail("ParseError with an empty message", text);
  for (const char c : message)  // the page shows it on one line, under the formula box
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) fail("ParseError with a control character: " + message, text);
  const long column = e.column();
  if (column < 1 || column > static_cast<long>(text.size()) + 1)
    fail("column " + std::to_string(column) + " outside 1.." + std::to_string(text.size() + 1) + ": " + message, text);
  // Messages that name a position name it first, and it must be the one column() reports.
  const std::string marker = " at column ";
  const std::size_t at = message.find(marker);
  if (at != std::string::npos) {
    const long named = std::strtol(message.c_str() + at + marker.size(), nullptr, 10);
    if (named != column) fail("message names column " + std::to_string(named) + ", column() is " + std::to_string(column), text);
  }
}

bool reads(const Expression& e, Expression::Op variable) {
  for (const Expression::Instruction& ins : e.program())
    if (ins.op == variable) return true;
  return false;
}

void check_accepted(const Expression& e, optlab::Landscape& landscape, const std::string& text) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  Eigen::ArrayXd xs(8), ys(8);
  xs << 0.0, -0.0, 1.0, -1.5, 0.5, 1e300, -kInf, kNan;
  ys << 0.0, 2.0, -1.0, -0.0, 1e-310, -1e300, kInf, 3.0;

  const bool has_x = reads(e, Expression::Op::kX), has_y = reads(e, Expression::Op::kY);
  const Eigen::ArrayXXd grid = e.evaluate_grid(xs, ys);
  if (grid.rows() != xs.size() || grid.cols() != ys.size()) fail("grid has the wrong shape", text);
  Eigen::VectorXd point(2), grad(2);
  for (Eigen::Index i = 0; i < xs.size(); ++i) {
    for (Eigen::Index j = 0; j < ys.size(); ++j) {
      const double v = e.evaluate(xs[i], ys[j]);
      const auto where = [&] { return " at (" + std::to_string(xs[i]) + ", " + std::to_string(ys[j]) + ")"; };
      if (!same_bits(grid(i, j), v)) fail("grid differs from point evaluation" + where(), text);
      if (!same_bits(landscape.value(xs[i], ys[j]), v)) fail("landscape value differs" + where(), text);
      if (i != j) continue;  // the tape on the diagonal only: it costs the most
      point << xs[i], ys[j];
      const double taped = landscape.loss_and_grad(point, 0, grad);
      if (!same_bits(taped, v)) fail("tape value differs from point evaluation" + where(), text);
      if (!has_x && !same_bits(grad[0], 0.0)) fail("d/dx is not exactly 0 though x is never read" + where(), text);
      if (!has_y && !same_bits(grad[1], 0.0)) fail("d/dy is not exactly 0 though y is never read" + where(), text);
    }
  }

  // The page's contour grid: row j, column i is the point (xmin + i*w/(nx-1), ymin + j*h/(ny-1)).
  const optlab::ViewBox view{-2.0, 1.0, -1.0, 3.0};
  const int nx = 3, ny = 2;
  double out[nx * ny];
  landscape.evaluate_grid(view, nx, ny, out);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double x = view.xmin + i * (view.xmax - view.xmin) / (nx - 1);
      const double y = view.ymin + j * (view.ymax - view.ymin) / (ny - 1);
      if (!same_bits(out[j * nx + i], e.evaluate(x, y))) fail("landscape grid differs from point evaluation", text);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<Expression> expression;
  int column = 0;
  try {
    expression = std::make_unique<Expression>(text);
  } catch (const ParseError& e) {
    check_error(e, text);
    column = e.column();
  }
  std::unique_ptr<optlab::Landscape> landscape;
  try {
    landscape = optlab::make_formula_landscape(text);
  } catch (const ParseError& e) {
    if (expression) fail("make_formula_landscape rejects what Expression accepts: " + std::string(e.what()), text);
    if (e.column() != column) fail("make_formula_landscape reports another column", text);
    return 0;
  }
  if (!expression) fail("make_formula_landscape accepts what Expression rejects", text);
  if (landscape->info().formula != text) fail("the landscape does not keep the formula text", text);
  check_accepted(*expression, *landscape, text);
  return 0;
}
