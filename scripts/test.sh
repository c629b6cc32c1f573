#!/usr/bin/env bash
# Runs every test: the GoogleTest suite (ctest), then node's test runner on the wasm module and on
# the page in headless Chromium. Expects scripts/build.sh all to have run (npm test does both).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== C++ tests (ctest)"
ctest --test-dir build/native --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"

echo "== WebAssembly module tests (node --test)"
node --test tests/wasm/

if [ -d tests/e2e ] && ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
  echo "== Page tests in Chromium (node --test)"
  node --test --test-concurrency=1 tests/e2e/
fi
echo "== C++ tests under ASan + UBSan (scripts/sanitize.sh)"; scripts/sanitize.sh
echo "== Fuzzing, ${FUZZ_SECONDS:-60}s per target (scripts/fuzz.sh)"; scripts/fuzz.sh
