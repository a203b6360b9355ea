#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), then configures and builds quantc
# in build/ with ninja and ccache. Incremental: fast the second time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/quantc-ccache}"
if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
# Two jobs: an MLIR translation unit needs up to ~2 GB of memory.
ninja -C build -j "${QUANTC_BUILD_JOBS:-2}"
