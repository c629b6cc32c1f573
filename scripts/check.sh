#!/usr/bin/env bash
# Everything (npm run check, what CI runs): the fast loop of scripts/test.sh, then the suite under
# ASan + UBSan, a short fuzzing run of the parser and the spec reader, and last the page's soak in
# Chromium, so the run closes on node's test runner summary. Expects scripts/build.sh all to have
# run (npm run check does both).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test.sh

echo "== C++ tests under ASan + UBSan (scripts/sanitize.sh)"
scripts/sanitize.sh

echo "== Fuzzing, ${FUZZ_SECONDS:-60}s per target (scripts/fuzz.sh)"
scripts/fuzz.sh

echo "== Page soak in Chromium, ~4 minutes (node --test)"
node --test --test-concurrency=1 tests/e2e/soak.test.mjs
