#!/usr/bin/env bash
# Fuzzes the formula parser and the spec reader with libFuzzer (issue 5). Usage:
#   scripts/fuzz.sh [TARGET...]        targets: expression_fuzz spec_fuzz csv_fuzz (default: all)
# Env: FUZZ_SECONDS per target (default 60). Builds build/fuzz with clang and -DOPTLAB_FUZZ=ON,
# runs each target on a scratch copy of tests/fuzz/corpus/<target> (the repo's corpus is never
# written), and fails on the first crash, leak, sanitizer report or timeout; the input that caused
# it is saved as build/fuzz/artifacts/<target>-crash-... (replay: build/fuzz/tests/fuzz/<target> FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(expression_fuzz spec_fuzz csv_fuzz)

# libFuzzer ships in Debian's libclang-rt-14-dev; install clang and it when missing.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' >"$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1; then
  echo "fuzz: installing clang and libclang-rt-14-dev (libFuzzer)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang libclang-rt-14-dev
fi

if [ ! -f build/fuzz/CMakeCache.txt ]; then
  CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTLAB_FUZZ=ON -DOPTLAB_TESTS=OFF >/dev/null
fi
cmake --build build/fuzz -j2 --target "${targets[@]}"

# Longest input tried: a formula up to 2 KB reaches the nesting limit every way ("sin(" x 257);
# a spec up to 4 KB holds 8 optimizers with every hyperparameter and a long formula.
declare -A max_len=([expression_fuzz]=2048 [spec_fuzz]=4096 [csv_fuzz]=4096)
declare -A dict=([expression_fuzz]=tests/fuzz/expression.dict [spec_fuzz]=tests/fuzz/spec.dict [csv_fuzz]=tests/fuzz/csv.dict)
mkdir -p build/fuzz/artifacts
for t in "${targets[@]}"; do
  work=build/fuzz/corpus/$t
  rm -rf "$work"
  mkdir -p "$work"
  cp tests/fuzz/corpus/"$t"/* "$work"/
  echo "== fuzzing $t for ${seconds}s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a spec that balloons memory fails.
  build/fuzz/tests/fuzz/"$t" "$work" -dict="${dict[$t]}" -max_len="${max_len[$t]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=build/fuzz/artifacts/"$t"- 2>build/fuzz/"$t".log || {
    tail -n 60 build/fuzz/"$t".log >&2
    echo "fuzz: $t failed; the input is in build/fuzz/artifacts/ (full log: build/fuzz/$t.log)" >&2
    exit 1
  }
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' build/fuzz/"$t".log || true
done
