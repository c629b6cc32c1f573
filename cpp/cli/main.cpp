// optlab — the command-line runner: `optlab run SPEC.json` (or `-` for stdin) prints the result
// JSON of experiment.md on stdout; `optlab hessian REQUEST.json` the curvature at points;
// `optlab map SPEC.json [--threads N]` a map's grid (every cell a run, on N threads);
// `optlab export-torch SPEC.json` the experiment as a PyTorch script (runner/torch_script.h).
// Bad input: one line on stderr and exit code 2.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "runner/curvature.h"
#include "runner/experiment.h"
#include "runner/map.h"
#include "runner/map_spec.h"
#include "runner/map_threads.h"
#include "runner/result_json.h"
#include "runner/spec.h"
#include "runner/torch_script.h"

namespace {

constexpr const char* kUsage =
    "usage: optlab run SPEC.json    run an experiment and print its result JSON (SPEC.json may be -\n"
    "                               for standard input); see the README for the spec format\n"
    "       optlab export-torch SPEC.json  a self-contained PyTorch script that runs the experiment with\n"
    "                               torch.optim and checks its losses against OptLab's (python3 FILE.py)\n"
    "       optlab hessian REQUEST.json  loss, gradient, Hessian and its eigenvalues and eigenvectors of a\n"
    "                               landscape at points: {\"problem\": ..., \"points\": [[x, y], ...]}\n"
    "       optlab map SPEC.json [--threads N]  a hyperparameter or start-point map: the spec plus a\n"
    "                               \"map\" section; every cell one run, on N threads (default: all cores)\n";

// Reads at most kMaxSpecBytes + 1 bytes: a larger input is refused without being held in memory.
// Returns false when reading failed.
bool read_limited(std::istream& in, std::string& out) {
  const std::size_t cap = static_cast<std::size_t>(optlab::kMaxSpecBytes) + 1;
  char chunk[65536];
  while (out.size() < cap && in.read(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, cap - out.size())))) {
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  if (in.gcount() > 0) out.append(chunk, static_cast<std::size_t>(in.gcount()));
  return !in.bad();
}

// The spec's text from a file or standard input; throws std::invalid_argument naming the problem.
std::string read_spec(const std::string& path) {
  std::string text;
  if (path == "-") {
    if (!read_limited(std::cin, text)) throw std::invalid_argument("cannot read standard input");
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw std::invalid_argument("cannot read " + path + ": it is a directory, not a spec file");
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::invalid_argument("cannot read " + path + ": no such file or no permission");
    if (!read_limited(file, text)) throw std::invalid_argument("cannot read " + path);
  }
  if (text.size() > static_cast<std::size_t>(optlab::kMaxSpecBytes))
    throw std::invalid_argument("spec: more than the limit of " + std::to_string(optlab::kMaxSpecBytes) + " bytes");
  return text;
}

constexpr int kMaxThreads = 256;

// --threads N: a whole number from 1 to kMaxThreads; throws std::invalid_argument naming it.
int thread_count(const std::string& text) {
  std::size_t used = 0;
  long n = 0;
  try {
    n = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || n < 1 || n > kMaxThreads)
    throw std::invalid_argument("--threads: expected a whole number from 1 to " + std::to_string(kMaxThreads) +
                                ", got " + text);
  return static_cast<int>(n);
}

std::string map_to_json(const std::string& text, int threads) {
  const optlab::MapSpec map = optlab::parse_map_spec(text);
  const std::vector<double> rows = optlab::run_map(map, threads);
  return optlab::assemble_map(map, rows.data());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = argc >= 3 ? argv[1] : "";
  const bool map_args = command == "map" && (argc == 3 || (argc == 5 && std::string(argv[3]) == "--threads"));
  if (!(argc == 3 && (command == "run" || command == "hessian" || command == "export-torch")) && !map_args) {
    std::cerr << kUsage;
    return 2;
  }
  try {
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (argc == 5) threads = thread_count(argv[4]);
    const std::string text = read_spec(argv[2]);
    const std::string out = command == "run"            ? optlab::result_to_json(optlab::run_experiment(optlab::parse_spec(text)))
                            : command == "map"          ? map_to_json(text, threads)
                            : command == "export-torch" ? optlab::torch_script(text)
                                                        : optlab::hessian_request_to_json(text);
    std::cout << out;
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "optlab: could not write the result to standard output (disk full or output closed)\n";
      return 1;
    }
    return 0;
  } catch (const std::invalid_argument& e) {
    // The same message runExperiment() throws in JavaScript, so it carries no prefix.
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "optlab: internal error: " << e.what() << "\n";
    return 1;
  }
}
