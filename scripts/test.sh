#!/usr/bin/env bash
# Runs every test: the GoogleTest suite (ctest), the same suite under ASan + UBSan, a short fuzzing
# run of the parser and the spec reader, then node's test runner on the wasm module and on the page
# in headless Chromium (last, so the run closes on a test runner's summary). Expects
# scripts/build.sh all to have run (npm test does both).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== C++ tests (ctest)"
ctest --test-dir build/native --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"

echo "== C++ tests under ASan + UBSan (scripts/sanitize.sh)"
scripts/sanitize.sh

echo "== Fuzzing, ${FUZZ_SECONDS:-60}s per target (scripts/fuzz.sh)"
scripts/fuzz.sh

echo "== WebAssembly module tests (node --test)"
node --test tests/wasm/

echo "== Page tests in Chromium (node --test)"
node --test --test-concurrency=1 tests/e2e/
