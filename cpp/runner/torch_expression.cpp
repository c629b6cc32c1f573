#include "runner/torch_expression.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

namespace optlab {

std::string python_number(double v) {
  if (std::isnan(v)) return "math.nan";
  if (std::isinf(v)) return v > 0 ? "math.inf" : "-math.inf";
  // nlohmann prints the shortest text that reads back to the same double ("0.1", "1e-05"), which
  // is also a Python float literal; whole numbers keep their ".0".
  return nlohmann::json(v).dump();
}

namespace {

using Op = Expression::Op;

const char* unary_function(Op op) {
  switch (op) {
    case Op::kSquare: return "torch.square";
    case Op::kSin: return "torch.sin";
    case Op::kCos: return "torch.cos";
    case Op::kTan: return "torch.tan";
    case Op::kExp: return "torch.exp";
    case Op::kLog: return "torch.log";
    case Op::kSqrt: return "torch.sqrt";
    case Op::kAbs: return "torch.abs";
    case Op::kTanh: return "torch.tanh";
    case Op::kSigmoid: return "torch.sigmoid";
    default: return nullptr;
  }
}

const char* binary_operator(Op op) {
  switch (op) {
    case Op::kAdd: return " + ";
    case Op::kSub: return " - ";
    case Op::kMul: return " * ";
    case Op::kDiv: return " / ";
    case Op::kPow: return " ** ";  // a float ** tensor is torch.pow(float, tensor): both forms exist
    default: return nullptr;
  }
}

}  // namespace

std::string torch_expression(const Expression& expression) {
  struct Slot {
    std::string text;
    bool is_const;
  };
  std::vector<Slot> stack;
  for (const Expression::Instruction& ins : expression.program()) {
    if (ins.op == Op::kConst) {
      // A negative constant in parentheses: -2.0 ** x would read as -(2.0 ** x) in Python.
      const std::string text = python_number(ins.value);
      stack.push_back({text[0] == '-' ? "(" + text + ")" : text, true});
    } else if (ins.op == Op::kX) {
      stack.push_back({"x", false});
    } else if (ins.op == Op::kY) {
      stack.push_back({"y", false});
    } else if (ins.op == Op::kNeg) {
      stack.back().text = "(-" + stack.back().text + ")";
    } else if (const char* f = unary_function(ins.op)) {
      stack.back().text = std::string(f) + "(" + stack.back().text + ")";
    } else if (const char* o = binary_operator(ins.op)) {
      if (stack.size() < 2) throw std::logic_error("torch_expression: malformed program");
      Slot b = std::move(stack.back());
      stack.pop_back();
      Slot& a = stack.back();
      a.text = "(" + a.text + o + b.text + ")";
      a.is_const = a.is_const && b.is_const;
    } else {
      throw std::logic_error("torch_expression: unknown instruction");
    }
  }
  if (stack.size() != 1) throw std::logic_error("torch_expression: malformed program");
  return stack[0].is_const ? "x * 0.0 + " + stack[0].text : stack[0].text;
}

}  // namespace optlab
