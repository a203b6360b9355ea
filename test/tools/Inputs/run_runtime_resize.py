"""Runs runtime_resize.onnxtxt's library, whose scales, sizes and roi are
graph inputs, with several values of them, and compares every output with
ONNX's reference implementation; then with bad values, which must neither
crash nor read outside the input."""
import sys

import numpy as np
import onnx.parser
import quantc
from onnx.reference import ReferenceEvaluator

model = quantc.load(sys.argv[1])
with open(sys.argv[2]) as f:
    reference = ReferenceEvaluator(onnx.parser.parse_model(f.read()))
x = np.random.default_rng(0).standard_normal((1, 2, 4, 5)).astype(np.float32)
names = ["linear", "cubic", "nearest", "crop"]


def feeds(scales, sizes, roi):
    return dict(x=x, scales=np.float32(scales), sizes=np.int64(sizes),
                roi=np.float32(roi))


# Up, down (antialias then has more taps), and mixed, with a roi partly
# outside the input (extrapolated).
for scales, sizes, roi in [([1, 1, 2, 2], [8, 10], [0, 0, 1, 1]),
                           ([1, 1, 0.5, 0.6], [2, 3], [0.2, 0.1, 0.8, 0.7]),
                           ([2, 1, 1.5, 0.8], [3, 7], [-0.2, 0.4, 1.3, 1.2])]:
    got = model.run(**feeds(scales, sizes, roi))
    want = reference.run(None, feeds(scales, sizes, roi))
    for name, w in zip(names, want):
        ok = got[name].shape == w.shape and np.allclose(got[name], w, rtol=1e-4,
                                                        atol=1e-5)
        print(f"{scales} {sizes}: {name} {got[name].shape} "
              f"{'ok' if ok else 'WRONG'}")

# A scale or size that is not positive (or NaN) gives an empty output along
# its axis rather than a negative size or a read outside the input.
for scales, sizes in [([1, 1, 0, -1], [-3, 2]), ([1, 1, float("nan"), 2], [0, 0])]:
    got = model.run(**feeds(scales, sizes, [0, 0, 1, 1]))
    print(f"bad {scales} {sizes}: " +
          " ".join(f"{name} {got[name].shape}" for name in names))

# A scales input of the wrong length is refused before anything runs.
try:
    model.run(**feeds([1, 2, 2], [2, 2], [0, 0, 1, 1]))
    print("wrong length: ran")
except quantc.InvalidArgumentError as e:
    print("wrong length: refused")
