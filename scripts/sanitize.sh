#!/usr/bin/env bash
# Runs the whole native GoogleTest suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (issue 5) in build/asan (-DOPTLAB_SANITIZE=ON). -O1 -g without NDEBUG: Eigen's own bounds
# assertions stay on too, and the build plus the suite take about 4 minutes on 2 cores.
# Any report aborts the test that made it (-fno-sanitize-recover=all), so ctest fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DOPTLAB_SANITIZE=ON >/dev/null
cmake --build build/asan -j2
# Leaks fail a test too; halt_on_error makes ASan stop at the first report as UBSan does.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build/asan --output-on-failure -j2
