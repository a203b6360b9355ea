"""Checks outputs saved as .npy files against onnxruntime.

    python compare_npy_with_ort.py MODEL.onnx DIR [--rtol 1e-4] [--atol 1e-5]

Reads every model input from DIR/<input name>.npy, runs onnxruntime (CPU, one
thread) and compares each output with DIR/<output name>.npy using the same
rules and report format as test/e2e/compare.py. Exit status 1 on mismatch.
"""

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, "e2e"))

import compare  # noqa: E402
import models  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("dir")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()

    session = models.ort_session(args.model)
    inputs = {i.name: np.load(os.path.join(args.dir, f"{i.name}.npy"))
              for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    ref = dict(zip(names, session.run(names, inputs)))
    got = {}
    for name in names:
        path = os.path.join(args.dir, f"{name}.npy")
        if os.path.exists(path):
            got[name] = np.load(path)
    failures = compare.compare_outputs(got, ref, args.rtol, args.atol)
    if failures:
        print(f"FAILED: {failures} output(s) differ from onnxruntime")
        return 1
    print(f"all outputs match ({len(ref)} outputs, rtol {args.rtol:g}, atol {args.atol:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
