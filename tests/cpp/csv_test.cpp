// Tests of the CSV reader (problems/csv.h): good files for each target, headers, blank lines and
// CRLF, and every bad-file case naming its row and column, the row limit and empty files.
#include "problems/csv.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace optlab {
namespace {

using nlohmann::json;

std::string error_of(const std::string& text, const std::string& target) {
  try {
    parse_points_csv(text, target);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Csv, ReadsClassesWithAHeaderBlankLinesAndCrlf) {
  const json d = parse_points_csv("x1,x2,label\r\n0.5, -1,0\r\n\r\n-2e-1,3,1\r\n", "bce");
  EXPECT_EQ(d["x"], json::parse("[[0.5, -1.0], [-0.2, 3.0]]"));
  EXPECT_EQ(d["y"], json::parse("[0.0, 1.0]"));
}

TEST(Csv, HeaderIsOptional) {
  const json d = parse_points_csv("1,2,2\n3,4,0", "cross_entropy");
  EXPECT_EQ(d["x"].size(), 2u);
  EXPECT_EQ(d["y"], json::parse("[2.0, 0.0]"));
}

TEST(Csv, RegressionTakesTwoOrThreeColumns) {
  EXPECT_EQ(parse_points_csv("x,y\n1,2.5\n-1,0\n", "mse")["x"], json::parse("[[1.0, 0.0], [-1.0, 0.0]]"));
  EXPECT_EQ(parse_points_csv("1,2,0.25\n", "mse")["x"], json::parse("[[1.0, 2.0]]"));
  EXPECT_EQ(parse_points_csv("1,2,0.25\n", "mse")["y"], json::parse("[0.25]"));
}

TEST(Csv, FitModelsTakeTheirShapes) {
  const json line = parse_points_csv("x,y\n1,2\n3,4\n", "line");
  EXPECT_EQ(line["x"], json::parse("[1.0, 3.0]"));
  EXPECT_EQ(line["y"], json::parse("[2.0, 4.0]"));
  EXPECT_EQ(parse_points_csv("1,2,1\n3,4,0\n", "logistic")["y"], json::parse("[1.0, 0.0]"));
}

TEST(Csv, LabelOutsideTheLossNamesRowAndColumn) {
  std::string text = "x1,x2,label\n";
  for (int i = 0; i < 15; ++i) text += "0,0," + std::to_string(i % 2) + "\n";
  text += "0.5,0.5,2\n";  // line 17
  EXPECT_EQ(error_of(text, "bce"), "row 17, column 3 (label): expected 0 or 1 for binary cross-entropy, got 2");
  EXPECT_EQ(error_of("1,1,10\n", "cross_entropy"),
            "row 1, column 3 (label): expected a class index from 0 to 9 for cross-entropy, got 10");
  EXPECT_EQ(error_of("1,1,0.5\n", "cross_entropy"),
            "row 1, column 3 (label): expected a class index from 0 to 9 for cross-entropy, got 0.5");
  EXPECT_EQ(error_of("1,1,-1\n1,1,0\n", "logistic"),
            "row 1, column 3 (label): expected 0 or 1 for the logistic model, got -1");
}

TEST(Csv, MissingAndExtraColumnsNameTheirRow) {
  EXPECT_EQ(error_of("x1,x2,label\n1,2,0\n3,4\n", "bce"),
            "row 3, column 3 (label): missing (expected 3 columns: x1,x2,label)");
  EXPECT_EQ(error_of("1,2,0\n3,4,1,5\n", "bce"), "row 2, column 4: unexpected (expected 3 columns: x1,x2,label)");
  EXPECT_EQ(error_of("1,2\n", "bce"), "row 1: expected 3 columns (x1,x2,label) for bce, got 2");
  EXPECT_EQ(error_of("1,2,3,4\n", "mse"), "row 1: expected 2 columns (x,y) or 3 (x1,x2,y) for mse, got 4");
  EXPECT_EQ(error_of("1,2,0\n1,,0\n", "bce"), "row 2, column 2 (x2): empty (expected a number)");
}

TEST(Csv, TextNanAndInfinityAreRefused) {
  EXPECT_EQ(error_of("x,y\n1,2\n1,abc\n", "mse"), "row 3, column 2 (y): expected a number, got \"abc\"");
  EXPECT_EQ(error_of("1,2,0\nNaN,2,0\n", "bce"), "row 2, column 1 (x1): expected a number, got \"NaN\"");
  EXPECT_EQ(error_of("1,2,0\n1,inf,0\n", "bce"), "row 2, column 2 (x2): expected a number, got \"inf\"");
  EXPECT_EQ(error_of("1,2,0\n1,1e999,0\n", "bce"),
            "row 2, column 2 (x2): \"1e999\" is too large (expected a finite number)");
  EXPECT_EQ(error_of("1,2,0\n0x10,2,0\n", "bce"), "row 2, column 1 (x1): expected a number, got \"0x10\"");
  EXPECT_EQ(error_of("1,2,0\n1-2,2,0\n", "bce"), "row 2, column 1 (x1): expected a number, got \"1-2\"");
}

TEST(Csv, BytesThatAreNotUtf8AreShownNotThrown) {
  // Found by csv_fuzz: the message's quoted field once threw json's type_error on such bytes.
  EXPECT_EQ(error_of("\x90\x90,1,0\n1,2,0\n", "bce"), "row 1, column 1 (x1): expected a number, got \"\uFFFD\uFFFD\"");
}

TEST(Csv, EmptyFilesAndTooFewPoints) {
  EXPECT_EQ(error_of("", "bce"), "the file has no data rows (expected x1,x2,label lines)");
  EXPECT_EQ(error_of("x1,x2,label\n\n", "bce"), "the file has no data rows (expected x1,x2,label lines)");
  EXPECT_EQ(error_of("x,y\n1,2\n", "line"), "the file has 1 data row; a fit needs at least 2");
  EXPECT_EQ(error_of("1,2\n", "nonsense"),
            "csv: unknown target 'nonsense' (expected bce, cross_entropy, mse, line or logistic)");
}

TEST(Csv, TakesTenThousandRowsAndNoMore) {
  std::string text = "x,y\n";
  for (int i = 0; i < kMaxCsvRows; ++i) text += std::to_string(i) + ",1\n";
  EXPECT_EQ(parse_points_csv(text, "mse")["y"].size(), static_cast<std::size_t>(kMaxCsvRows));
  text += "1,1\n";  // line 10,002 (the header is line 1)
  EXPECT_EQ(error_of(text, "mse"), "row 10002: more than 10000 data rows (the most a data set may have)");
}

TEST(Csv, AHeaderWithANumberIsData) {
  // "x1,2,label" has a number, so it is a data row whose first field is text.
  EXPECT_EQ(error_of("x1,2,label\n", "bce"), "row 1, column 1 (x1): expected a number, got \"x1\"");
}

}  // namespace
}  // namespace optlab
