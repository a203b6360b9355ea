"""Runs nonzero.onnxtxt's library on random inputs with many zeros (and all
zeros, all non-zeros, NaN, -0.0, empty dims) and compares every output
with onnxruntime's, exactly.

    python run_nonzero.py LIB ONNXTXT

For the scalar input the ONNX spec and reference give 0 x nnz, onnxruntime
1 x nnz: that output is compared with numpy (numpy.count_nonzero).
"""
import sys

import numpy as np
import onnx.parser
import onnxruntime as ort
import quantc

rng = np.random.default_rng(0)
lib = quantc.load(sys.argv[1])
with open(sys.argv[2]) as f:
    model = onnx.parser.parse_model(f.read())
sess = ort.InferenceSession(model.SerializeToString(),
                            providers=["CPUExecutionProvider"])
names = [o.name for o in model.graph.output]


def sparse(shape, density, dtype):
    """Small integers, zero where a coin of `density` says."""
    values = rng.integers(-3, 4, shape) * (rng.random(shape) < density)
    return values.astype(dtype)


failures = count = 0
for (a, b, c), n, m, density in [((2, 3, 4), 5, 3, 0.5), ((1, 1, 1), 1, 1, 0.5),
                                 ((3, 7, 2), 9, 6, 0.0), ((2, 2, 5), 4, 2, 1.0),
                                 ((0, 3, 2), 0, 0, 0.5), ((4, 1, 6), 17, 8, 0.2)]:
    feeds = dict(f=sparse((a, b, c), density, np.float32),
                 b=rng.random(n) < density,
                 i=sparse((2, 5), density, np.int32),
                 u=sparse((m, 4), density, np.uint8),
                 h=sparse((3, 2), density, np.float16),
                 s=np.array(rng.integers(0, 2), np.int64))
    if a * b * c:
        feeds["f"].flat[0] = np.nan  # non-zero
        feeds["f"].flat[-1] = -0.0  # zero
    got = lib.run(feeds)
    want = dict(zip(names, sess.run(None, feeds)))
    want["ys"] = np.zeros((0, np.count_nonzero(feeds["s"])), np.int64)
    for name in names:
        count += 1
        g, w = got[name], want[name]
        if g.dtype != w.dtype or g.shape != w.shape or not np.array_equal(g, w):
            failures += 1
            print(f"MISMATCH {name} {a}x{b}x{c} n={n} m={m} density={density}: "
                  f"{g.shape} {g.tolist()} vs {w.shape} {w.tolist()}")
print(f"nonzero: {count} outputs, {failures} mismatches")
