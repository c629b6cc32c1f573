// Formula parser and evaluators (see expression.h).
//
// Grammar (EBNF); each rule is one parse function below, with the rule as its first comment:
//   formula    = expression END ;
//   expression = term { ("+" | "-") term } ;
//   term       = unary { ("*" | "/") unary } ;
//   unary      = ("-" | "+") unary | power ;
//   power      = primary [ "^" unary ] ;
//   primary    = number | "x" | "y" | "pi" | "e" | function "(" expression ")" | "(" expression ")" ;
//   function   = "sin" | "cos" | "tan" | "exp" | "log" | "sqrt" | "abs" | "tanh" | "sigmoid" ;
//   number     = ( digits [ "." [ digits ] ] | "." digits ) [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
// Whitespace (space, tab, newline) may separate tokens. Names are lower case.
//
// Precedence, loosest first: + - (left-associative), * / (left-associative), a sign - +, then ^
// (right-associative). So ^ binds tighter than a sign: -x^2 = -(x^2), -2^2 = -4, 2^3^2 = 2^9;
// and an exponent may carry a sign: 2^-1 = 0.5, 2^-x^2 = 2^(-(x^2)).
//
// Limits, each with its own message: kMaxLength characters, and kMaxDepth levels of nesting
// (every '(', function call, sign and '^' is one level) so that no input can exhaust the stack.
//
// The parser emits postfix instructions as it reads and folds an operation whose operands are
// all constants into one constant. Folding uses the very operation evaluation would use, so it
// never changes a result; it means constants never reach the tape, and a constant exponent is
// recorded as pow(Var, double). a^2 with a not constant becomes a*a, as torch computes it: the
// correctly rounded square, far cheaper than pow, and the same as the built-ins' templates.
#include "problems/expression.h"

#include <atomic>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "math/portable.h"

namespace optlab {
namespace {

using Op = Expression::Op;
using Instruction = Expression::Instruction;

bool is_push(Op op) { return op <= Op::kY; }
bool is_unary(Op op) { return op >= Op::kNeg && op <= Op::kSigmoid; }

// As var.h computes it, so evaluate(double) and evaluate(Var) agree bit for bit.
double sigmoid(double a) { return pm::sigmoid(a); }

// Every operation is written once, as a generic lambda handed to `apply`: the same code runs on
// doubles (evaluation, folding, grids element by element) and on Vars (recording on the tape).
template <class Apply>
auto with_unary(Op op, Apply&& apply) {
  switch (op) {
    case Op::kNeg: return apply([](auto a) { return -a; });
    case Op::kSquare: return apply([](auto a) { return a * a; });
    case Op::kSin: return apply([](auto a) { using pm::sin; return sin(a); });
    case Op::kCos: return apply([](auto a) { using pm::cos; return cos(a); });
    case Op::kTan: return apply([](auto a) { using pm::tan; return tan(a); });
    case Op::kExp: return apply([](auto a) { using pm::exp; return exp(a); });
    case Op::kLog: return apply([](auto a) { using pm::log; return log(a); });
    case Op::kSqrt: return apply([](auto a) { using std::sqrt; return sqrt(a); });
    case Op::kAbs: return apply([](auto a) { using std::abs; return abs(a); });
    case Op::kTanh: return apply([](auto a) { using pm::tanh; return tanh(a); });
    case Op::kSigmoid: return apply([](auto a) { return sigmoid(a); });
    default: break;
  }
  throw std::logic_error("Expression: not a unary operation");
}

template <class Apply>
auto with_binary(Op op, Apply&& apply) {
  switch (op) {
    case Op::kAdd: return apply([](auto a, auto b) { return a + b; });
    case Op::kSub: return apply([](auto a, auto b) { return a - b; });
    case Op::kMul: return apply([](auto a, auto b) { return a * b; });
    case Op::kDiv: return apply([](auto a, auto b) { return a / b; });
    case Op::kPow: return apply([](auto a, auto b) { using pm::pow; return pow(a, b); });
    default: break;
  }
  throw std::logic_error("Expression: not a binary operation");
}

struct Named {
  const char* name;
  Op op;
  double value;  // constants only
};
constexpr double kPi = 3.141592653589793;
constexpr double kE = 2.718281828459045;
const Named kNames[] = {
    {"x", Op::kX, 0.0},          {"y", Op::kY, 0.0},         {"pi", Op::kConst, kPi},
    {"e", Op::kConst, kE},       {"sin", Op::kSin, 0.0},     {"cos", Op::kCos, 0.0},
    {"tan", Op::kTan, 0.0},      {"exp", Op::kExp, 0.0},     {"log", Op::kLog, 0.0},
    {"sqrt", Op::kSqrt, 0.0},    {"abs", Op::kAbs, 0.0},     {"tanh", Op::kTanh, 0.0},
    {"sigmoid", Op::kSigmoid, 0.0},
};
const Named* find_name(const std::string& name) {
  for (const Named& n : kNames)
    if (name == n.name) return &n;
  return nullptr;
}

const char* const kOperandHint = "a number, x, y, pi, e, a function or '('";

enum class Kind { kNumber, kName, kPlus, kMinus, kStar, kSlash, kCaret, kOpen, kClose, kComma, kEnd };

struct Token {
  Kind kind;
  int column;  // 1-based
  std::string text;
  double number;
};

std::string at(int column) { return " at column " + std::to_string(column); }

// How a character the lexer cannot use appears in a message: itself if printable, the whole
// UTF-8 sequence for a non-ASCII character (a pasted '²' or '×'), else its byte value.
std::string describe_char(const std::string& text, std::size_t pos) {
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  const int length = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
  bool valid = length > 1 && pos + static_cast<std::size_t>(length) <= text.size();
  for (int k = 1; valid && k < length; ++k)
    valid = (static_cast<unsigned char>(text[pos + static_cast<std::size_t>(k)]) & 0xc0) == 0x80;
  if (valid) return "'" + text.substr(pos, static_cast<std::size_t>(length)) + "'";
  const char* hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
}

class Parser {
 public:
  Parser(const std::string& text, std::vector<Instruction>& program)
      : text_(text), program_(program) {
    advance();
  }

  // formula = expression END ;
  void formula() {
    if (token_.kind == Kind::kEnd) throw ParseError("empty formula", 1);
    expression();
    if (token_.kind == Kind::kClose) unexpected("no '(' to close");
    if (token_.kind != Kind::kEnd) unexpected_after_operand("end of formula");
  }

 private:
  // expression = term { ("+" | "-") term } ;
  void expression() {
    term();
    while (token_.kind == Kind::kPlus || token_.kind == Kind::kMinus) {
      const Op op = token_.kind == Kind::kPlus ? Op::kAdd : Op::kSub;
      advance();
      term();
      emit_binary(op);
    }
  }

  // term = unary { ("*" | "/") unary } ;
  void term() {
    unary();
    while (token_.kind == Kind::kStar || token_.kind == Kind::kSlash) {
      const Op op = token_.kind == Kind::kStar ? Op::kMul : Op::kDiv;
      advance();
      unary();
      emit_binary(op);
    }
  }

  // unary = ("-" | "+") unary | power ;
  void unary() {
    if (token_.kind != Kind::kMinus && token_.kind != Kind::kPlus) return power();
    const bool negate = token_.kind == Kind::kMinus;
    const Nesting nest(*this);
    advance();
    unary();
    if (negate) emit_unary(Op::kNeg);
  }

  // power = primary [ "^" unary ] ;
  // The exponent is a unary, not a power: that makes ^ right-associative and allows 2^-1.
  void power() {
    primary();
    if (token_.kind != Kind::kCaret) return;
    const Nesting nest(*this);
    advance();
    unary();
    emit_binary(Op::kPow);
  }

  // primary = number | "x" | "y" | "pi" | "e" | function "(" expression ")" | "(" expression ")" ;
  void primary() {
    if (token_.kind == Kind::kNumber) {
      emit_push(Op::kConst, token_.number);
      advance();
    } else if (token_.kind == Kind::kOpen) {
      const Token open = token_;
      const Nesting nest(*this);
      advance();
      expression();
      close(open, "");
    } else if (token_.kind == Kind::kName) {
      name();
    } else if (token_.kind == Kind::kEnd) {
      throw ParseError(std::string("expected ") + kOperandHint + at(token_.column) +
                           " (end of formula)",
                       token_.column);
    } else {
      unexpected(std::string("expected ") + kOperandHint);
    }
  }

  // The name part of primary: a variable, a constant, or a function with its parenthesis.
  void name() {
    const Token word = token_;
    const Named* known = find_name(word.text);
    if (!known) {
      std::string lower = word.text;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string hint = find_name(lower)
          ? "names are lower case: " + lower
          : "expected x, y, pi, e or a function: sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid";
      throw ParseError("unknown name '" + word.text + "'" + at(word.column) + " (" + hint + ")",
                       word.column);
    }
    advance();
    if (is_push(known->op)) return emit_push(known->op, known->value);
    if (token_.kind != Kind::kOpen)
      throw ParseError(word.text + " needs parentheses: " + word.text + "(...)" + at(word.column),
                       word.column);
    const Token open = token_;
    const Nesting nest(*this);
    advance();
    expression();
    close(open, word.text);
    emit_unary(known->op);
  }

  // Consumes the ')' matching `open`; `function` names the call it closes, if any.
  void close(const Token& open, const std::string& function) {
    if (token_.kind == Kind::kClose) return advance();
    const std::string what = "the '(' at column " + std::to_string(open.column);
    if (token_.kind == Kind::kEnd)
      throw ParseError("expected ')'" + at(token_.column) + " (end of formula), to close " + what,
                       token_.column);
    if (token_.kind == Kind::kComma && !function.empty())
      unexpected(function + " takes one argument");
    unexpected_after_operand("')' to close " + what);
  }

  // After a complete operand only an operator or `alternative` may follow.
  [[noreturn]] void unexpected_after_operand(const std::string& alternative) {
    const bool starts_operand = token_.kind == Kind::kNumber || token_.kind == Kind::kName ||
                                token_.kind == Kind::kOpen;
    unexpected("expected an operator + - * / ^ or " + alternative +
               (starts_operand ? "; multiplication needs '*'" : ""));
  }

  [[noreturn]] void unexpected(const std::string& hint) {
    throw ParseError("unexpected '" + token_.text + "'" + at(token_.column) + " (" + hint + ")",
                     token_.column);
  }

  // One level of nesting, for the token at hand.
  class Nesting {
   public:
    explicit Nesting(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > Expression::kMaxDepth)
        throw ParseError("formula nested too deeply" + at(parser_.token_.column) + " (limit " +
                             std::to_string(Expression::kMaxDepth) + ")",
                         parser_.token_.column);
    }
    ~Nesting() { --parser_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  void emit_push(Op op, double value) { program_.push_back(Instruction{op, value}); }

  void emit_unary(Op op) {
    Instruction& top = program_.back();
    if (top.op == Op::kConst) {
      top.value = with_unary(op, [&](auto f) { return f(top.value); });
      return;
    }
    program_.push_back(Instruction{op, 0.0});
  }

  // A kConst is always a whole operand, so two at the end are exactly this operation's operands.
  void emit_binary(Op op) {
    const std::size_t n = program_.size();
    if (program_[n - 1].op == Op::kConst && program_[n - 2].op == Op::kConst) {
      const double a = program_[n - 2].value, b = program_[n - 1].value;
      program_.pop_back();
      program_.back().value = with_binary(op, [&](auto f) { return f(a, b); });
      return;
    }
    if (op == Op::kPow && program_[n - 1].op == Op::kConst && program_[n - 1].value == 2.0) {
      program_.back() = Instruction{Op::kSquare, 0.0};
      return;
    }
    program_.push_back(Instruction{op, 0.0});
  }

  // The lexer: reads the token starting at pos_ into token_.
  void advance() {
    const std::size_t n = text_.size();
    while (pos_ < n && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                        text_[pos_] == '\r'))
      ++pos_;
    const int column = static_cast<int>(pos_) + 1;
    if (pos_ == n) {
      token_ = Token{Kind::kEnd, column, "", 0.0};
      return;
    }
    const char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t start = pos_;
      while (pos_ < n && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
        ++pos_;
      token_ = Token{Kind::kName, column, text_.substr(start, pos_ - start), 0.0};
      return;
    }
    static const std::string kSymbols = "+-*/^(),";
    static const Kind kKinds[] = {Kind::kPlus,  Kind::kMinus, Kind::kStar,  Kind::kSlash,
                                  Kind::kCaret, Kind::kOpen,  Kind::kClose, Kind::kComma};
    const std::size_t symbol = kSymbols.find(c);
    if (symbol == std::string::npos)
      throw ParseError("unexpected character " + describe_char(text_, pos_) + at(column), column);
    ++pos_;
    token_ = Token{kKinds[symbol], column, std::string(1, c), 0.0};
  }

  // number = ( digits [ "." [ digits ] ] | "." digits ) [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
  void number() {
    const std::size_t n = text_.size(), start = pos_;
    const int column = static_cast<int>(start) + 1;
    const auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < n && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      return pos_ - from;
    };
    std::size_t count = digits();
    if (pos_ < n && text_[pos_] == '.') {
      ++pos_;
      count += digits();
    }
    if (count == 0) throw ParseError("malformed number '.'" + at(column) + " (expected digits)", column);
    if (pos_ < n && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      const char e = text_[pos_++];
      if (pos_ < n && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0)
        throw ParseError("malformed number '" + text_.substr(start, pos_ - start) + "'" + at(column) +
                             " (expected digits after '" + e + "')",
                         column);
    }
    const std::string literal = text_.substr(start, pos_ - start);
    // The literal is validated above, so strtod reads all of it (in the "C" locale, which
    // OptLab never changes). Underflow to 0 or a subnormal is IEEE rounding, not an error.
    const double value = std::strtod(literal.c_str(), nullptr);
    if (!std::isfinite(value))
      throw ParseError("number out of range" + at(column) + " ('" + literal +
                           "' is beyond the largest double, about 1.8e308)",
                       column);
    token_ = Token{Kind::kNumber, column, literal, value};
  }

  const std::string& text_;
  std::vector<Instruction>& program_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  Token token_{Kind::kEnd, 1, "", 0.0};
};

// A grid step's operand as the pass sees it: an array of the pass's length, or one scalar (a
// constant; ys[j] or a y-only result's element j in the column pass).
struct GridArg {
  const double* p;  // nullptr: the scalar s
  double s;
};

// d = f(a, b) element by element. Element i reads only element i of each operand, so d may be
// one of them.
template <class F>
void grid_binary(F f, Eigen::Index n, double* d, GridArg a, GridArg b) {
  if (a.p && b.p) {
    for (Eigen::Index i = 0; i < n; ++i) d[i] = f(a.p[i], b.p[i]);
  } else if (b.p) {
    const double c = a.s;
    for (Eigen::Index i = 0; i < n; ++i) d[i] = f(c, b.p[i]);
  } else if (a.p) {
    const double c = b.s;
    for (Eigen::Index i = 0; i < n; ++i) d[i] = f(a.p[i], c);
  } else {
    throw std::logic_error("Expression: a grid step without an array operand");
  }
}

// Runs one pass's steps over arrays of length n; `locate` and `target` say where an operand is
// and where a result goes. A unary operation's operand is always an array: folding removed
// operations on constants, and a pass holds only values that depend on its variable.
template <class Steps, class Locate, class Target>
void run_grid_steps(const Steps& steps, Eigen::Index n, const Locate& locate, const Target& target) {
  for (const auto& step : steps) {
    double* const d = target(step.dest);
    const GridArg a = locate(step.a);
    if (is_unary(step.op)) {
      with_unary(step.op, [&](auto f) {
        for (Eigen::Index i = 0; i < n; ++i) d[i] = f(a.p[i]);
      });
    } else {
      const GridArg b = locate(step.b);
      with_binary(step.op, [&](auto f) { grid_binary(f, n, d, a, b); });
    }
  }
}

}  // namespace

namespace {
std::atomic<long> g_parse_count{0};
}  // namespace

long Expression::parse_count() { return g_parse_count.load(); }

Expression::Expression(const std::string& text) : text_(text) {
  ++g_parse_count;
  if (text.size() > static_cast<std::size_t>(kMaxLength))
    throw ParseError("formula too long: " + std::to_string(text.size()) + " characters (limit " +
                         std::to_string(kMaxLength) + ")",
                     kMaxLength + 1);
  Parser(text_, program_).formula();
  std::size_t depth = 0, max_depth = 0;
  for (const Instruction& ins : program_) {
    if (is_push(ins.op)) max_depth = std::max(max_depth, ++depth);
    else if (!is_unary(ins.op)) --depth;
  }
  values_.resize(max_depth);
  operands_.resize(max_depth);
  plan_grid();
}

// Each value on the evaluation stack depends on nothing (a constant: folding leaves only lone
// kConst pushes), on x alone, on y alone or on both. An operation goes into the pass of what its
// result depends on, keeping the stack position of the pointwise evaluation as its slot. Where a
// one-variable value meets the other variable (or is the formula's result), it is written to a
// kept array instead, which the column pass reads for every column.
void Expression::plan_grid() {
  using Kind = GridOperand::Kind;
  constexpr int kOnX = 1, kOnY = 2, kOnBoth = 3;
  struct Entry {
    int depends;        // kOnX | kOnY bits
    GridOperand where;  // in its pass
    int step;           // the step that wrote it in its pass's list; -1 for a push
  };
  std::vector<GridStep>* const passes[] = {nullptr, &x_steps_, &y_steps_, &xy_steps_};
  const auto keep = [&](Entry& e) {
    if (e.where.kind != Kind::kSlot || e.depends == kOnBoth) return;  // a constant, xs, ys
    e.where = e.depends == kOnX ? GridOperand{Kind::kXSaved, x_saved_++, 0.0}
                                : GridOperand{Kind::kYSaved, y_saved_++, 0.0};
    (*passes[e.depends])[static_cast<std::size_t>(e.step)].dest = e.where;
  };
  std::vector<Entry> stack;
  stack.reserve(values_.size());
  for (const Instruction& ins : program_) {
    if (ins.op == Op::kConst) {
      stack.push_back(Entry{0, GridOperand{Kind::kConst, 0, ins.value}, -1});
    } else if (ins.op == Op::kX) {
      stack.push_back(Entry{kOnX, GridOperand{Kind::kXs, 0, 0.0}, -1});
    } else if (ins.op == Op::kY) {
      stack.push_back(Entry{kOnY, GridOperand{Kind::kYs, 0, 0.0}, -1});
    } else {
      Entry a = stack.back();
      stack.pop_back();
      int depends = a.depends;
      GridOperand b{Kind::kConst, 0, 0.0};
      if (!is_unary(ins.op)) {
        Entry top = a;
        a = stack.back();
        stack.pop_back();
        depends = a.depends | top.depends;
        if (depends == kOnBoth) {
          keep(a);
          keep(top);
        }
        b = top.where;
      }
      const GridOperand slot{Kind::kSlot, static_cast<int>(stack.size()), 0.0};
      std::vector<GridStep>& pass = *passes[depends];
      pass.push_back(GridStep{ins.op, slot, a.where, b});
      stack.push_back(Entry{depends, slot, static_cast<int>(pass.size()) - 1});
    }
  }
  keep(stack[0]);
  grid_result_ = stack[0].where;
}

double Expression::evaluate(double x, double y) const {
  double* stack = values_.data();
  std::size_t top = 0;  // number of values on the stack
  for (const Instruction& ins : program_) {
    if (ins.op == Op::kConst) {
      stack[top++] = ins.value;
    } else if (ins.op == Op::kX) {
      stack[top++] = x;
    } else if (ins.op == Op::kY) {
      stack[top++] = y;
    } else if (is_unary(ins.op)) {
      double& a = stack[top - 1];
      a = with_unary(ins.op, [&](auto f) { return f(a); });
    } else {
      const double b = stack[--top];
      double& a = stack[top - 1];
      a = with_binary(ins.op, [&](auto f) { return f(a, b); });
    }
  }
  return stack[0];
}

Var Expression::evaluate(Var x, Var y) const {
  Operand* stack = operands_.data();
  std::size_t top = 0;
  for (const Instruction& ins : program_) {
    if (ins.op == Op::kConst) {
      stack[top++] = Operand{true, ins.value, Var{}};
    } else if (ins.op == Op::kX) {
      stack[top++] = Operand{false, 0.0, x};
    } else if (ins.op == Op::kY) {
      stack[top++] = Operand{false, 0.0, y};
    } else if (is_unary(ins.op)) {
      Operand& a = stack[top - 1];  // never a constant: folding removed those
      a.v = with_unary(ins.op, [&](auto f) { return f(a.v); });
    } else {
      const Operand b = stack[--top];
      Operand& a = stack[top - 1];
      // Folding left at most one constant operand; it is passed as a double, not a node.
      a = with_binary(ins.op, [&](auto f) {
        if (a.is_const) return Operand{false, 0.0, f(a.c, b.v)};
        if (b.is_const) return Operand{false, 0.0, f(a.v, b.c)};
        return Operand{false, 0.0, f(a.v, b.v)};
      });
    }
  }
  // A formula without x or y is one constant; as a leaf it has zero gradient.
  return stack[0].is_const ? variable(*x.tape, stack[0].c) : stack[0].v;
}

Jet2 Expression::evaluate(const Jet2& x, const Jet2& y) const {
  // As evaluate(Var): a constant operand stays a double, so its zero derivatives never meet an
  // infinite one (0 * inf). Not a hot path (the curvature at a point): its stack is its own.
  struct Slot {
    bool is_const;
    double c;
    Jet2 j;
  };
  std::vector<Slot> stack;
  stack.reserve(values_.size());
  for (const Instruction& ins : program_) {
    if (ins.op == Op::kConst) {
      stack.push_back(Slot{true, ins.value, Jet2{}});
    } else if (ins.op == Op::kX) {
      stack.push_back(Slot{false, 0.0, x});
    } else if (ins.op == Op::kY) {
      stack.push_back(Slot{false, 0.0, y});
    } else if (is_unary(ins.op)) {
      Slot& a = stack.back();
      a.j = with_unary(ins.op, [&](auto f) { return f(a.j); });
    } else {
      const Slot b = stack.back();
      stack.pop_back();
      Slot& a = stack.back();
      a = with_binary(ins.op, [&](auto f) {
        if (a.is_const) return Slot{false, 0.0, f(a.c, b.j)};
        if (b.is_const) return Slot{false, 0.0, f(a.j, b.c)};
        return Slot{false, 0.0, f(a.j, b.j)};
      });
    }
  }
  return stack[0].is_const ? Jet2{stack[0].c} : stack[0].j;
}

void Expression::evaluate_grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys, double* out) const {
  using Kind = GridOperand::Kind;
  const Eigen::Index nx = xs.size(), ny = ys.size();
  if (nx == 0 || ny == 0) return;
  // Scratch: the x pass's slots, the y pass's, the kept x-only and y-only results, and the
  // column pass's slots (its position 0 is out's column itself). It only ever grows.
  const Eigen::Index depth = static_cast<Eigen::Index>(values_.size());
  const Eigen::Index need = depth * nx + depth * ny + x_saved_ * nx + y_saved_ * ny + depth * nx;
  if (static_cast<Eigen::Index>(grid_scratch_.size()) < need)
    grid_scratch_.resize(static_cast<std::size_t>(need));
  double* const x_slots = grid_scratch_.data();
  double* const y_slots = x_slots + depth * nx;
  double* const x_kept = y_slots + depth * ny;
  double* const y_kept = x_kept + x_saved_ * nx;
  double* const column_slots = y_kept + y_saved_ * ny;

  // Where an operand lives: `slots` are the pass's working arrays of length n; `column` is j in
  // the column pass (where ys and y-only results are scalars), -1 in the one-variable passes.
  const auto where = [&](const GridOperand& o, double* slots, Eigen::Index n, Eigen::Index column) {
    switch (o.kind) {
      case Kind::kConst: return GridArg{nullptr, o.value};
      case Kind::kXs: return GridArg{xs.data(), 0.0};
      case Kind::kYs: return column < 0 ? GridArg{ys.data(), 0.0} : GridArg{nullptr, ys[column]};
      case Kind::kXSaved: return GridArg{x_kept + o.index * nx, 0.0};
      case Kind::kYSaved:
        return column < 0 ? GridArg{y_kept + o.index * ny, 0.0}
                          : GridArg{nullptr, y_kept[o.index * ny + column]};
      case Kind::kSlot:
        if (column >= 0 && o.index == 0) return GridArg{out + column * nx, 0.0};
        return GridArg{slots + o.index * n, 0.0};
    }
    throw std::logic_error("Expression: unknown grid operand");
  };
  // A destination is always one of the scratch arrays or out, never xs or ys.
  const auto pass = [&](const std::vector<GridStep>& steps, double* slots, Eigen::Index n, Eigen::Index column) {
    run_grid_steps(
        steps, n, [&](const GridOperand& o) { return where(o, slots, n, column); },
        [&](const GridOperand& o) { return const_cast<double*>(where(o, slots, n, column).p); });
  };

  pass(x_steps_, x_slots, nx, -1);
  pass(y_steps_, y_slots, ny, -1);
  for (Eigen::Index j = 0; j < ny; ++j) {
    double* const column = out + j * nx;
    pass(xy_steps_, column_slots, nx, j);
    if (grid_result_.kind == Kind::kSlot) continue;  // the last step wrote out's column
    // A formula of one variable or none: its value repeated down or across the grid.
    const GridArg result = where(grid_result_, column_slots, nx, j);
    if (result.p) std::copy(result.p, result.p + nx, column);
    else std::fill(column, column + nx, result.s);
  }
}

Eigen::ArrayXXd Expression::evaluate_grid(const Eigen::ArrayXd& xs, const Eigen::ArrayXd& ys) const {
  Eigen::ArrayXXd out(xs.size(), ys.size());
  evaluate_grid(xs, ys, out.data());
  return out;
}

}  // namespace optlab
