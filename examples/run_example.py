"""Compiles examples/mlp_classifier.onnx with quantc, runs it, checks it.

    .venv/bin/python examples/run_example.py [--out-dir build/examples]

1. `quantc compile mlp_classifier.onnx -o <out-dir>/libmlp_classifier.so`
   (through the Python package; the quantc binary is $QUANTC_BIN, else
   build/bin/quantc),
2. loads the library and runs it on a fixed batch of 4 samples,
3. prints the predicted classes and probabilities next to the true labels,
4. runs onnxruntime on the same batch and prints the largest difference.
Exits 1 if any output differs from onnxruntime by more than 1e-4.
"""

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, HERE)

import make_example  # noqa: E402

TOLERANCE = 1e-4


def shown(path):
    """A path as short as possible: relative when it is under the cwd."""
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=make_example.DEFAULT_PATH)
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "build", "examples"))
    args = parser.parse_args()

    try:
        import quantc
    except ImportError as e:
        print(f"error: cannot import the quantc Python package ({e}); "
              f"run from the repository with .venv/bin/python", file=sys.stderr)
        return 1
    if not os.path.exists(args.model):
        print(f"error: {args.model} is missing; run examples/make_example.py",
              file=sys.stderr)
        return 1

    os.makedirs(args.out_dir, exist_ok=True)
    library = os.path.join(args.out_dir, "libmlp_classifier.so")
    start = time.perf_counter()
    try:
        quantc.compile(args.model, library)
        model = quantc.load(library)
    except quantc.Error as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"compiled {shown(args.model)} -> {shown(library)} "
          f"in {time.perf_counter() - start:.2f} s")
    for kind, tensors in (("input", model.inputs), ("output", model.outputs)):
        for t in tensors:
            print(f"  {kind:6} {t.name:14} {np.dtype(t.dtype).name} {list(t.shape)}")

    features, labels = make_example.example_batch()
    try:
        outputs = model.run({"features": features})
    except quantc.Error as e:
        print(f"error: running the model failed: {e}", file=sys.stderr)
        return 1
    probabilities = outputs["probabilities"]
    np.set_printoptions(precision=4, suppress=True, linewidth=120)
    print("\nsample  label  predicted  probability")
    for i, label in enumerate(labels):
        predicted = int(np.argmax(probabilities[i]))
        print(f"{i:6}  {label:5}  {predicted:9}  {probabilities[i, predicted]:.4f}"
              f"{'' if predicted == label else '  (wrong)'}")
    print(f"\nlogits of sample 0: {outputs['logits'][0]}")

    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(args.model, options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    reference = dict(zip(names, session.run(names, {"features": features})))
    worst = 0.0
    for name in names:
        if outputs[name].shape != reference[name].shape:
            print(f"error: output '{name}' has shape {outputs[name].shape}, "
                  f"onnxruntime {reference[name].shape}", file=sys.stderr)
            return 1
        diff = float(np.max(np.abs(outputs[name].astype(np.float64) - reference[name])))
        print(f"largest difference from onnxruntime in '{name}': {diff:.3g}")
        worst = max(worst, diff)
    if not worst <= TOLERANCE:  # also catches NaN
        print(f"error: quantc and onnxruntime differ by {worst:.3g} (> {TOLERANCE:g})",
              file=sys.stderr)
        return 1
    print(f"ok: quantc matches onnxruntime within {TOLERANCE:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
