#!/usr/bin/env bash
# Builds OptLab. Usage: scripts/build.sh [native|wasm|all]   (default: all)
#   native -> build/native (core library, optlab CLI, GoogleTest suite)
#   wasm   -> build/wasm/optlab.{mjs,wasm}, copied to web/wasm/ for the page
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
jobs=$(nproc 2>/dev/null || echo 2)

build_native() {
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$jobs"
}

build_wasm() {
  # Debian's emscripten loads acorn from the system node path.
  export NODE_PATH=/usr/share/nodejs
  if [ ! -f build/wasm/CMakeCache.txt ]; then
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
      -DEigen3_DIR=/usr/share/eigen3/cmake >/dev/null
  fi
  cmake --build build/wasm -j"$jobs" --target optlab_wasm
  mkdir -p web/wasm
  cp build/wasm/optlab.mjs build/wasm/optlab.wasm web/wasm/
}

case "$what" in
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native; build_wasm ;;
  *) echo "usage: scripts/build.sh [native|wasm|all]" >&2; exit 2 ;;
esac
