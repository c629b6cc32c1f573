#!/usr/bin/env bash
# Runs the whole native GoogleTest suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (issue 5): build/asan, -DOPTLAB_SANITIZE=ON, RelWithDebInfo so the suite stays within minutes.
# Any report aborts the test that triggered it (-fno-sanitize-recover=all), so ctest fails.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/asan/CMakeCache.txt ]; then
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTLAB_SANITIZE=ON >/dev/null
fi
cmake --build build/asan -j2
# detect_leaks: a leak fails the test too; halt_on_error for ASan as -fno-sanitize-recover is for UBSan.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build/asan --output-on-failure -j2
