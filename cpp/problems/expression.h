// The formula parser: turns text such as "(1-x)^2 + 100*(y-x^2)^2" into a flat postfix program,
// once, that is then evaluated many times — with doubles, with Vars on a tape (for the exact
// gradient) and over a whole grid of points in one call (for the contour plot).
// The grammar, precedence and error messages are described at the top of expression.cpp.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "autodiff/jet2.h"
#include "autodiff/var.h"

namespace optlab {

// A formula that does not parse. column() is 1-based, so the page can put a caret under it; the
// message already says "at column N" and what was expected there.
class ParseError : public std::invalid_argument {
 public:
  ParseError(const std::string& message, int column)
      : std::invalid_argument(message), column_(column) {}
  int column() const { return column_; }

 private:
  int column_;
};

class Expression {
 public:
  static constexpr int kMaxLength = 10000;  // characters
  static constexpr int kMaxDepth = 256;     // nested '(', function calls, signs and '^'

  // Parses and compiles; throws ParseError.
  explicit Expression(const std::string& text);

  const std::string& text() const { return text_; }

  // How many times a formula has been parsed in this process, so tests can check that a spec's
  // formula is parsed once, not once per check.
  static long parse_count();

  // f(x, y). log(-1), 0/0, sqrt(-1) give NaN or inf by IEEE rules, not an error.
  double evaluate(double x, double y) const;
  // f recorded on x's tape. Constants never become tape nodes, and a constant exponent records
  // pow(a, c), so x^3 has derivative 3x^2 even where x <= 0 (see update-rules.md).
  Var evaluate(Var x, Var y) const;
  // f with its gradient and Hessian (second-order forward mode); the value equals evaluate(x, y)'s.
  Jet2 evaluate(const Jet2& x, const Jet2& y) const;
  // out[j * nx + i] = f(xs[i], ys[j]) (column-major nx x ny), equal to evaluate(xs[i], ys[j])
  // bit for bit. Parts that depend on x alone (or y alone) run once over xs (or ys); the rest
  // runs column by column through a scratch of a few columns that stays in cache, the last
  // instruction writing into out. Allocates nothing after the first call of a given size.
  void evaluate_grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const;
  // The same into a fresh array, result(i, j) = f(xs[i], ys[j]).
  Eigen::ArrayXXd evaluate_grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys) const;

  // The compiled program (postfix), for tests and debugging. The three groups stay contiguous:
  // the evaluators tell pushes, unary and binary operations apart by range.
  enum class Op : unsigned char {
    kConst, kX, kY,  // push
    kNeg, kSquare, kSin, kCos, kTan, kExp, kLog, kSqrt, kAbs, kTanh, kSigmoid,  // top = f(top)
    kAdd, kSub, kMul, kDiv, kPow,  // top = below op top
  };
  struct Instruction {
    Op op;
    double value;  // kConst only
  };
  const std::vector<Instruction>& program() const { return program_; }

 private:
  // A stack slot when recording: a constant stays a double, so it never becomes a tape node.
  struct Operand {
    bool is_const;
    double c;
    Var v;
  };

  // The grid program, planned once at compile time from what each value depends on: a
  // constant, x alone, y alone, or both. Operands name where a value lives in a pass.
  struct GridOperand {
    enum class Kind : unsigned char {
      kConst,   // `value`
      kXs,      // xs itself
      kYs,      // ys itself (in the column pass: ys[j])
      kXSaved,  // an x-only result kept for the column pass: scratch array `index`, length nx
      kYSaved,  // a y-only result, length ny (in the column pass: its element j)
      kSlot,    // the pass's working array at stack position `index` (in the column pass,
                // position 0 is out's column j)
    };
    Kind kind;
    int index;
    double value;
  };
  struct GridStep {
    Op op;
    GridOperand dest, a, b;  // b for binary operations only
  };
  void plan_grid();

  std::string text_;
  std::vector<Instruction> program_;
  std::vector<GridStep> x_steps_, y_steps_, xy_steps_;  // x alone over xs, y alone, both per column
  GridOperand grid_result_{GridOperand::Kind::kConst, 0, 0.0};
  int x_saved_ = 0, y_saved_ = 0;  // how many x-only and y-only results the column pass reads
  mutable std::vector<double> grid_scratch_;
  // Evaluation stacks sized once at compile time and reused, so a step allocates nothing. Like
  // a Tape, an Expression is used by one thread at a time.
  mutable std::vector<double> values_;
  mutable std::vector<Operand> operands_;
};

}  // namespace optlab
