// The CSV reader of csv.h: split lines and fields, read strict numbers, check labels per target.
#include "problems/csv.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "problems/datasets.h"

namespace optlab {

namespace {

struct Target {
  const char* name;
  int min_columns, max_columns;
  int max_label;          // labels 0..max_label (whole numbers); -1: regression targets
  const char* label_rule; // how the message says what a label must be
  long min_rows;
};

const Target kTargets[] = {
    {"bce", 3, 3, 1, "0 or 1 for binary cross-entropy", 1},
    {"cross_entropy", 3, 3, kMaxClasses - 1, "a class index from 0 to 9 for cross-entropy", 1},
    {"mse", 2, 3, -1, "", 1},
    {"line", 2, 2, -1, "", 2},
    {"logistic", 3, 3, 1, "0 or 1 for the logistic model", 2},
};

const Target& target_of(const std::string& name) {
  for (const Target& t : kTargets)
    if (name == t.name) return t;
  throw std::invalid_argument("csv: unknown target '" + name + "' (expected bce, cross_entropy, mse, line or logistic)");
}

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return s.substr(a, b - a);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

// A field shown in a message: quoted, cut when long.
std::string shown(const std::string& field) {
  // Bytes that are not UTF-8 (a binary file, a cut character) show as U+FFFD rather than throw.
  return nlohmann::json(field.size() > 24 ? field.substr(0, 24) + "..." : field)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Decimal numbers only ("1", "-0.5", "2e-3", ".5"); false for anything else, NaN and inf included.
bool is_decimal(const std::string& f) {
  if (f.empty()) return false;
  for (char c : f)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
  return true;
}

bool parse_number(const std::string& f, double& out) {
  if (!is_decimal(f)) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(f.c_str(), &end);
  return end == f.c_str() + f.size();
}

std::string column_name(const Target& t, int columns, int c) {
  if (columns == 2) return c == 0 ? "x" : "y";
  if (c == 0) return "x1";
  if (c == 1) return "x2";
  return t.max_label >= 0 ? "label" : "y";
}

std::string header_text(const Target& t, int columns) {
  std::string out;
  for (int c = 0; c < columns; ++c) out += (c ? "," : "") + column_name(t, columns, c);
  return out;
}

std::string where(long row, int c, const Target& t, int columns) {
  return "row " + std::to_string(row) + ", column " + std::to_string(c + 1) + " (" + column_name(t, columns, c) + ")";
}

}  // namespace

nlohmann::json parse_points_csv(const std::string& text, const std::string& target_name) {
  const Target& t = target_of(target_name);
  nlohmann::json xs = nlohmann::json::array(), ys = nlohmann::json::array();
  int columns = 0;  // fixed by the first data row
  long line_number = 0, rows = 0;
  bool first_line = true;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty()) continue;
    const std::vector<std::string> fields = split(line);
    if (first_line) {
      first_line = false;
      bool any_number = false;
      double ignored;
      for (const std::string& f : fields) any_number = any_number || parse_number(f, ignored);
      if (!any_number) continue;  // a header
    }
    const int count = static_cast<int>(fields.size());
    if (columns == 0) {
      if (count < t.min_columns || count > t.max_columns) {
        const std::string expected = t.min_columns == t.max_columns
                                         ? std::to_string(t.min_columns) + " columns (" + header_text(t, t.min_columns) + ")"
                                         : "2 columns (x,y) or 3 (x1,x2,y)";
        throw std::invalid_argument("row " + std::to_string(line_number) + ": expected " + expected + " for " +
                                    t.name + ", got " + std::to_string(count));
      }
      columns = count;
    }
    if (count < columns)
      throw std::invalid_argument(where(line_number, count, t, columns) + ": missing (expected " +
                                  std::to_string(columns) + " columns: " + header_text(t, columns) + ")");
    if (count > columns)
      throw std::invalid_argument("row " + std::to_string(line_number) + ", column " + std::to_string(columns + 1) +
                                  ": unexpected (expected " + std::to_string(columns) +
                                  " columns: " + header_text(t, columns) + ")");
    if (++rows > kMaxCsvRows)
      throw std::invalid_argument("row " + std::to_string(line_number) + ": more than " +
                                  std::to_string(kMaxCsvRows) + " data rows (the most a data set may have)");
    std::vector<double> v(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      const std::string& f = fields[static_cast<std::size_t>(c)];
      double& out = v[static_cast<std::size_t>(c)];
      if (f.empty()) throw std::invalid_argument(where(line_number, c, t, columns) + ": empty (expected a number)");
      if (!parse_number(f, out))
        throw std::invalid_argument(where(line_number, c, t, columns) + ": expected a number, got " + shown(f));
      if (!std::isfinite(out))
        throw std::invalid_argument(where(line_number, c, t, columns) + ": " + shown(f) +
                                    " is too large (expected a finite number)");
    }
    const double y = v.back();
    if (t.max_label >= 0 && !(y >= 0.0 && y <= t.max_label && std::floor(y) == y))
      throw std::invalid_argument(where(line_number, columns - 1, t, columns) + ": expected " + t.label_rule +
                                  ", got " + fields.back());
    if (std::string(t.name) == "line")
      xs.push_back(v[0]);
    else
      xs.push_back({v[0], columns == 2 ? 0.0 : v[1]});
    ys.push_back(y);
  }
  if (rows == 0) throw std::invalid_argument("the file has no data rows (expected " + header_text(t, t.max_columns) + " lines)");
  if (rows < t.min_rows)
    throw std::invalid_argument("the file has " + std::to_string(rows) + " data row; a fit needs at least " +
                                std::to_string(t.min_rows));
  return {{"x", std::move(xs)}, {"y", std::move(ys)}};
}

}  // namespace optlab
