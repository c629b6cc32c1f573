#!/usr/bin/env bash
# npm run bench: speed figures (see README "Benchmarks"). Expects scripts/build.sh all to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
cmake --build build/wasm --target optlab_bench -j2 >/dev/null
node tests/bench/bench.mjs
# Maps (native, std::thread): per-thread throughput against the runner, 2 threads against 1, the
# 128x128 Adam map with 1, 2 and 4 threads, the 32x32 coarse map.
cmake --build build/native --target optlab_map_bench -j2 >/dev/null
build/native/optlab_map_bench
# The same per-worker figures in the wasm module (one MapJob = one Web Worker).
node tests/bench/map_bench.mjs
# The network benchmark against TensorFlow.js (cpu and wasm backends), same data and weights.
node tests/bench/tfjs_bench.mjs
# Memory held by 8 runs over 1,000,000 steps (landscape) and a long network session.
node tests/bench/memory_bench.mjs
node --test --test-concurrency=1 tests/bench/page_perf.test.mjs
node tests/bench/page_bench.mjs
# Maps on the page: 1, 2, 4 workers and the page's own module, the first coarse picture, Play's fps.
node tests/bench/map_page_bench.mjs
node tests/bench/budget_bench.mjs
