#!/usr/bin/env bash
# The main job on a fresh machine: install, build, compile the bundled example
# model with quantc, run it, and print its outputs and the largest difference
# from onnxruntime.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
export QUANTC_BIN="$PWD/build/bin/quantc" PYTHONPATH="$PWD/python"
.venv/bin/python examples/run_example.py "$@"
