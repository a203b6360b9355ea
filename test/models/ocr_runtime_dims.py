"""PP-OCR det and cls compiled once with run-time dims (det: batch, height and
width; cls: batch), each run at two sizes and compared with onnxruntime
(rtol 1e-3 / atol 1e-4). The inputs are random: this checks that one library
serves several sizes; test/models/ocr.test checks the task on rendered text.

    run: ocr_runtime_dims.py --work-dir DIR
"""
import argparse
import os
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import assemble  # noqa: E402

import quantc  # noqa: E402

# model, --shape flags (None: the model's own symbolic dims), run sizes.
CASES = [
    ("ppocr_det", assemble.ppocr_det, None, [(1, 3, 64, 96), (2, 3, 96, 160)]),
    ("ppocr_cls", assemble.ppocr_cls, ["x=?x3x48x192"], [(1, 3, 48, 192), (3, 3, 48, 192)]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work-dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    models = assemble.models_dir(os.path.join(args.work_dir, "models"))
    os.makedirs(models, exist_ok=True)
    failed = False
    for label, make, shapes, sizes in CASES:
        path = make(models)
        lib = os.path.join(args.work_dir, f"lib{label}.so")
        options = {"shape": shapes} if shapes else {}
        quantc.compile(path, lib, **options)
        model = quantc.load(lib)
        print(f"{label}: input {model.inputs[0].shape}")
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        rng = np.random.default_rng(0)
        for size in sizes:
            x = rng.standard_normal(size).astype(np.float32)
            ref = session.run(None, {"x": x})[0]
            got = list(model.run({"x": x}).values())[0]
            ok = got.shape == ref.shape and np.allclose(got, ref, rtol=1e-3, atol=1e-4)
            err = float(np.abs(got - ref).max()) if got.shape == ref.shape else float("nan")
            print(f"{label} {'x'.join(map(str, size))}: output {list(got.shape)} "
                  f"max_abs_diff {err:.2e} {'ok' if ok else 'MISMATCH'}")
            failed |= not ok
        model.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
