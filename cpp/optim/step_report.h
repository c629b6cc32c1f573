// What every optimizer file shares: the StepReport a step fills in for teaching, and the
// InvalidOption its validate() throws with torch's own message text.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

namespace optlab {

struct NamedVector {
  std::string name;
  Eigen::VectorXd value;
};

struct NamedScalar {
  // Always a string literal: a view keeps the per-step report free of allocations.
  std::string_view name;
  double value;
};

// One step, as the page explains it. Each optimizer's header says what its step_size is.
struct StepReport {
  Eigen::VectorXd grad;       // the g the rule used (after coupled weight decay)
  Eigen::VectorXd update;     // params_after - params_before, per component
  Eigen::VectorXd step_size;  // the per-component factor applied to the optimizer's direction
  std::vector<NamedScalar> scalars;
};

// Starts a step: checks that grad matches params and sizes the report. Returns the size.
inline Eigen::Index begin_step(StepReport& report, const Eigen::VectorXd& params,
                               const Eigen::VectorXd& grad) {
  if (grad.size() != params.size())
    throw std::invalid_argument("grad: has " + std::to_string(grad.size()) + " components but params has " +
                                std::to_string(params.size()));
  const Eigen::Index n = params.size();
  report.grad.resize(n);
  report.update.resize(n);
  report.step_size.resize(n);
  report.scalars.clear();
  return n;
}

// report.scalars = {...} without the memmove an initializer-list assignment calls: on a landscape
// that call was a tenth of a step. (begin_step cleared them; the capacity is kept.)
inline void set_scalars(StepReport& report, std::initializer_list<NamedScalar> scalars) {
  report.scalars.clear();
  for (const NamedScalar& s : scalars) report.scalars.push_back(s);
}

// Creates a state buffer filled with `initial` the first time (torch creates state lazily at the
// first step); afterwards checks the parameter count has not changed. Returns true if created.
inline bool ensure_state(Eigen::VectorXd& buffer, Eigen::Index n, double initial = 0.0) {
  if (buffer.size() == n && n > 0) return false;
  if (buffer.size() != 0)
    throw std::invalid_argument("params: has " + std::to_string(n) +
                                " components but the optimizer state has " + std::to_string(buffer.size()));
  buffer = Eigen::VectorXd::Constant(n, initial);
  return true;
}

// A number as Python's repr() prints a float, so messages match torch's letter for letter
// ("Invalid beta parameter at index 1: 1.0", "Invalid epsilon value: -1e-08").
inline std::string python_repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  for (int precision = 0; precision <= 16; ++precision) {  // the shortest form that reads back
    std::snprintf(buf, sizeof buf, "%.*e", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  const std::string s = buf;  // [-]d[.ddd]e±XX
  const std::size_t e = s.find('e');
  const bool negative = s[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i)
    if (s[i] != '.') digits += s[i];
  const int exponent = std::atoi(s.c_str() + e + 1);
  const int n = static_cast<int>(digits.size());
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {  // Python switches to scientific notation here
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    const std::string magnitude = std::to_string(std::abs(exponent));
    return out + (exponent < 0 ? "e-" : "e+") + (magnitude.size() < 2 ? "0" : "") + magnitude;
  }
  if (exponent < 0) return out + "0." + std::string(-exponent - 1, '0') + digits;
  if (exponent >= n - 1) return out + digits + std::string(exponent - (n - 1), '0') + ".0";
  return out + digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
}

// torch's ValueError, plus which hyperparameter it is about, so the JSON reader can name the
// field ("lr: Invalid learning rate: -1") and show the number as it was written.
class InvalidOption : public std::invalid_argument {
 public:
  // A message without a number ("Nesterov momentum requires a momentum and zero dampening").
  InvalidOption(std::string field, const std::string& message)
      : std::invalid_argument(message), field(std::move(field)) {}
  // torch's "<head><value>"; index is the position inside a pair (betas), else -1.
  InvalidOption(std::string field, int index, std::string head, double value)
      : std::invalid_argument(head + python_repr(value)),
        field(std::move(field)),
        index(index),
        head(std::move(head)),
        has_value(true) {}

  std::string field;
  int index = -1;
  std::string head;
  bool has_value = false;
};

}  // namespace optlab
