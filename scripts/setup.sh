#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building, testing and serving OptLab.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have_hdr() { [ -e "$1" ]; }
have cmake || need_pkgs+=(cmake)
have g++ || need_pkgs+=(g++)
have make || need_pkgs+=(make)
have em++ || need_pkgs+=(emscripten)
have_hdr /usr/include/eigen3/Eigen/Core || need_pkgs+=(libeigen3-dev)
have_hdr /usr/include/nlohmann/json.hpp || need_pkgs+=(nlohmann-json3-dev)
have_hdr /usr/include/gtest/gtest.h || need_pkgs+=(googletest libgtest-dev)
have node || need_pkgs+=(nodejs)
have npm || need_pkgs+=(npm)
if [ "${OPTLAB_NO_BROWSER:-}" != 1 ]; then have chromium || need_pkgs+=(chromium); fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
fi

# Debian's python3-torch, for the test that runs the generated PyTorch scripts (issue 17): in CI
# (CI=true) and for npm run check (OPTLAB_WITH_TORCH=1), never for npm start. It is large, and the
# test skips with a message without it, so a failed install is a warning, not a stop.
if [ "${CI:-}" = true ] || [ "${OPTLAB_WITH_TORCH:-}" = 1 ]; then
  if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
    echo "setup: installing Debian's python3-torch (for the PyTorch script test)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    if ! { $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-torch; }; then
      echo "setup: warning: python3-torch could not be installed; the torch_scripts test will be skipped"
    fi
  fi
fi

# npm dependencies, pinned by package-lock.json; reinstall only when the lock file changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
