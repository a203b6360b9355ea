"""Runs runtime_axes.onnxtxt's library with every axes value, valid or not."""
import sys

import numpy as np
import quantc

model = quantc.load(sys.argv[1])
x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
whole = dict(starts=np.int64([0]), ends=np.int64([9]), slice_axes=np.int64([0]),
             steps=np.int64([1]))


def run(axes=(0, 1), axis=0, **slice_args):
    return model.run(x=x, axes=np.int64(axes), axis=np.int32(axis),
                     **{**whole, **slice_args})


for axes in [[0, 1], [1, 2], [2, 0], [-1, -3], [0, 0], [0, 3]]:
    out = run(axes=axes)
    try:
        want = x.sum(axis=tuple(axes))
    except ValueError:  # repeated or out of range: numpy refuses too
        print(f"axes {axes}: invalid, r {out['r'].shape} "
              f"{'nan' if np.isnan(out['r']).all() else 'NOT NAN'}")
        continue
    ok = out["r"].shape == want.shape and np.allclose(out["r"], want, rtol=1e-5)
    print(f"axes {axes}: r {out['r'].shape} {'ok' if ok else 'WRONG'}")
for axis in [0, 1, 2, -1, 3]:
    out = run(axis=axis)
    if not -3 <= axis < 3:
        print(f"axis {axis}: invalid, "
              f"{'nan' if np.isnan(out['c']).all() else 'NOT NAN'}")
        continue
    ok = np.allclose(out["c"], np.cumsum(x, axis=axis), rtol=1e-5, atol=1e-6)
    print(f"axis {axis}: {'ok' if ok else 'WRONG'}")
# Slice with axes and steps as inputs: (start, end, axis, step).
for start, end, axis, step in [(1, 3, 2, 1), (3, -10, -1, -1), (-1, 0, 1, -2),
                               (0, 100, 0, 5), (2, 1, 2, 1)]:
    out = run(starts=np.int64([start]), ends=np.int64([end]),
              slice_axes=np.int64([axis]), steps=np.int64([step]))
    index = [slice(None)] * 3
    index[axis] = slice(start, end, step)  # numpy clamps as ONNX does
    want = x[tuple(index)]
    ok = out["s"].shape == want.shape and np.array_equal(out["s"], want)
    print(f"slice {start}:{end}:{step} on {axis}: s {out['s'].shape} "
          f"{'ok' if ok else 'WRONG'}")
