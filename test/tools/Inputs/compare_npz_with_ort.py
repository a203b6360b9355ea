"""Compares a `quantc run -o OUT.npz` with onnxruntime on the same inputs.

    compare_npz_with_ort.py MODEL.onnx NAME=IN.npy... OUT.npz [--rtol R] [--atol A]

Prints "<output>: ok" per matching output, or what differs (exit status 1).
"""
import argparse
import sys

import numpy as np
import onnxruntime as ort


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("inputs", nargs="+", help="NAME=IN.npy ... then OUT.npz")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    args = parser.parse_args()
    *bindings, got_path = args.inputs
    feeds = {}
    for binding in bindings:
        name, path = binding.split("=", 1)
        feeds[name] = np.load(path)
    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(None, feeds)))
    got = np.load(got_path)
    status = 0
    for name in names:
        a, b = got[name], expected[name]
        if a.shape != b.shape:
            print(f"{name}: shape {a.shape}, onnxruntime {b.shape}")
            status = 1
        elif not np.allclose(a, b, rtol=args.rtol, atol=args.atol):
            print(f"{name}: max abs difference {np.max(np.abs(a - b)):.3g}")
            status = 1
        else:
            print(f"{name}: ok")
    return status


if __name__ == "__main__":
    sys.exit(main())
