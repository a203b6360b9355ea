"""Runs runtime_axes.onnxtxt's library with every axes value, valid or not."""
import sys

import numpy as np
import quantc

model = quantc.load(sys.argv[1])
x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
for axes in [[0, 1], [1, 2], [2, 0], [-1, -3], [0, 0], [0, 3]]:
    out = model.run(x=x, axes=np.int64(axes), axis=np.int32(0))
    try:
        want = x.sum(axis=tuple(axes))
    except ValueError:  # repeated or out of range: numpy refuses too
        print(f"axes {axes}: invalid, r {out['r'].shape} "
              f"{'nan' if np.isnan(out['r']).all() else 'NOT NAN'}")
        continue
    ok = out["r"].shape == want.shape and np.allclose(out["r"], want, rtol=1e-5)
    print(f"axes {axes}: r {out['r'].shape} {'ok' if ok else 'WRONG'}")
for axis in [0, 1, 2, -1, 3]:
    out = model.run(x=x, axes=np.int64([0, 1]), axis=np.int32(axis))
    if not -3 <= axis < 3:
        print(f"axis {axis}: invalid, "
              f"{'nan' if np.isnan(out['c']).all() else 'NOT NAN'}")
        continue
    ok = np.allclose(out["c"], np.cumsum(x, axis=axis), rtol=1e-5, atol=1e-6)
    print(f"axis {axis}: {'ok' if ok else 'WRONG'}")
