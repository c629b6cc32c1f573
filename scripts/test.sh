#!/usr/bin/env bash
# The fast test loop (npm test): the GoogleTest suite (ctest), node's test runner on the wasm module,
# then on the page in headless Chromium without the soak (last, so the run closes on a test
# runner's summary). Sanitizers, fuzzing and the soak are in scripts/check.sh (npm run check).
# Expects scripts/build.sh all to have run (npm test does both).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== C++ tests (ctest)"
ctest --test-dir build/native --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"

echo "== WebAssembly module tests (node --test)"
node --test tests/wasm/

# Every page test but the soak, which plays for minutes by design (check.sh runs it).
page_tests=()
for f in tests/e2e/*.test.mjs; do
  [ "$f" = tests/e2e/soak.test.mjs ] || page_tests+=("$f")
done
echo "== Page tests in Chromium, without the soak (node --test)"
node --test --test-concurrency=1 "${page_tests[@]}"
