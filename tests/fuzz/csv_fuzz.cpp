// libFuzzer target for the CSV points reader (issue 17): the input bytes are a file the user loads.
// Beyond "no crash, no leak, no undefined behaviour, no hang", it checks the promises of csv.h for
// each target: a refused file throws std::invalid_argument (nothing else) whose message names a row
// ("row N...") or says the file has too few rows; an accepted file gives 1 to 10,000 points of
// finite numbers, labels in the target's range, and the accepted points read as a data object.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "problems/csv.h"
#include "problems/datasets.h"

namespace {

void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "csv_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* target : {"bce", "cross_entropy", "mse", "line", "logistic"}) {
    nlohmann::json points;
    try {
      points = optlab::parse_points_csv(text, target);
    } catch (const std::invalid_argument& e) {
      const std::string m = e.what();
      if (m.rfind("row ", 0) != 0 && m.rfind("the file has ", 0) != 0) fail("message names no row", m);
      continue;
    } catch (const std::exception& e) {
      fail("not an invalid_argument", e.what());
    }
    const auto& ys = points.at("y");
    if (ys.empty() || ys.size() > static_cast<std::size_t>(optlab::kMaxCsvRows) || points.at("x").size() != ys.size())
      fail("point count", points.dump().substr(0, 200));
    const std::string t = target;
    for (const auto& y : ys) {
      const double v = y.get<double>();
      if (!std::isfinite(v)) fail("non-finite y", text.substr(0, 200));
      if ((t == "bce" || t == "logistic") && v != 0.0 && v != 1.0) fail("label outside 0/1", y.dump());
      if (t == "cross_entropy" && !(v >= 0 && v < optlab::kMaxClasses && std::floor(v) == v)) fail("class", y.dump());
    }
    if (t != "line" && ys.size() >= 1) {
      // The points are a valid "data" object of a network.
      try {
        optlab::make_dataset(points, "problem.data", 0);
      } catch (const std::exception& e) {
        fail("accepted points are not a data object", e.what());
      }
    }
  }
  return 0;
}
