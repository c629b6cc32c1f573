// A formula of the grammar (problems/expression.h) as a torch expression in `x` and `y`, for the
// PyTorch script (runner/torch_script.h): read from the compiled program, so it is the formula
// OptLab differentiates (constants folded as OptLab folds them), every operation parenthesised.
#pragma once

#include <string>

#include "problems/expression.h"

namespace optlab {

// Python source of one expression: "((1.0 - x) ** 2.0)" style, with torch.sin, torch.square, ...
// A formula without x or y becomes `x * 0.0 + c`, so its value is still a tensor of x's graph.
std::string torch_expression(const Expression& expression);

// A double as a Python literal that reads back to the same bits (math.inf / math.nan otherwise).
std::string python_number(double v);

}  // namespace optlab
