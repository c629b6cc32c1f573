// optlab — the command-line runner: `optlab run SPEC.json` (or `-` for stdin) prints the result
// JSON of experiment.md on stdout. Bad input: one line on stderr and exit code 2.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "runner/experiment.h"
#include "runner/result_json.h"
#include "runner/spec.h"

namespace {

constexpr const char* kUsage =
    "usage: optlab run SPEC.json    run an experiment and print its result JSON (SPEC.json may be -\n"
    "                               for standard input); see the README for the spec format\n";

bool read_all(std::istream& in, std::string& out) {
  std::ostringstream buf;
  buf << in.rdbuf();
  out = buf.str();
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  if (argc != 3 || std::string(argv[1]) != "run") {
    std::cerr << kUsage;
    return 2;
  }
  const std::string path = argv[2];
  std::string text;
  if (path == "-") {
    read_all(std::cin, text);
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file || !read_all(file, text)) {
      std::cerr << "cannot read " << path << "\n";
      return 2;
    }
  }
  try {
    const optlab::Spec spec = optlab::parse_spec(text);
    const std::string out = optlab::result_to_json(optlab::run_experiment(spec));
    std::cout << out;
    std::cout.flush();
    return std::cout ? 0 : 1;
  } catch (const std::invalid_argument& e) {
    // The same message runExperiment() throws in JavaScript, so it carries no prefix.
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "optlab: internal error: " << e.what() << "\n";
    return 1;
  }
}
