// Points from a CSV file the user loads (issue 17), for a network's or a fit's given data. Parsed
// here, once, so that it is tested natively and fuzzed; the page only reads the file's text.
//
// The file: one point a line, fields separated by commas, spaces around a field ignored, blank
// lines skipped, \n or \r\n line ends. The first line is a header (and skipped) when none of its
// fields is a number. Each field a finite decimal number (NaN, inf and hex are refused); at most
// 10,000 data rows. Rows are counted as the file's lines, from 1, header and blank lines included,
// so that "row 17" is line 17 in an editor; columns from 1.
//
// What the columns are depends on the target, the loss or model the points are for:
//   bce            x1,x2,label   label 0 or 1
//   cross_entropy  x1,x2,label   label a class index 0 to 9
//   mse            x,y  or  x1,x2,y   (x,y: the point is (x, 0), as the generated regression sets)
//   line           x,y           a fit's line model (at least 2 points)
//   logistic       x1,x2,label   a fit's logistic model, label 0 or 1 (at least 2 points)
// Every row has as many fields as the first data row (which for mse picks 2 or 3 columns).
// Errors name the row and column: "row 17, column 3 (label): expected 0 or 1 for binary
// cross-entropy, got 2".
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace optlab {

constexpr long kMaxCsvRows = 10000;

// The points as a "data" object takes them: {"x": [[x1, x2], ...], "y": [...]} (for "line":
// "x": [numbers]). target: "bce", "cross_entropy", "mse", "line" or "logistic".
nlohmann::json parse_points_csv(const std::string& text, const std::string& target);

}  // namespace optlab
