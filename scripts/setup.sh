#!/usr/bin/env bash
# Installs everything quantc needs on a fresh Debian 12 machine: the toolchain and
# libraries from Debian, and a project-local Python venv (.venv) for the reference
# and test tools. Idempotent: a second run only checks and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  cmake ninja-build ccache g++ pkg-config
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools lld-22
  libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libeigen3-dev
  python3-venv python3-torch python3-torchvision
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The venv sees Debian's python3-torch (system site packages); onnx, onnxruntime and
# lit come from PyPI. numpy<2 because Debian's torch 1.13 is built against numpy 1.x.
VENV=.venv
PY_REQS=scripts/requirements.txt
STAMP=$VENV/.requirements.stamp
if [ ! -x $VENV/bin/python ]; then
  echo "setup: creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages $VENV
fi
if [ ! -f $STAMP ] || ! cmp -s $PY_REQS $STAMP; then
  echo "setup: installing Python packages from $PY_REQS"
  $VENV/bin/python -m pip install -q --upgrade pip
  $VENV/bin/python -m pip install -q -r $PY_REQS
  cp $PY_REQS $STAMP
fi
echo "setup: ok"
