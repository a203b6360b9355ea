"""Runs returned_results.onnxtxt's library at several row counts."""
import sys

import numpy as np
import quantc

model = quantc.load(sys.argv[1])
rng = np.random.default_rng(0)
for n in [2, 5, 0, 3]:
    x = rng.standard_normal((n, 4)).astype(np.float32)
    out = model.run(x=x)
    y = np.maximum(x, 0)
    checks = {
        "s": np.allclose(out["s"], y.sum(0), rtol=1e-6),
        "w": np.array_equal(out["w"], np.float32([1, 2, 3, 4])),
        "x2": np.array_equal(out["x2"], x),
    }
    assert np.array_equal(out["y"], y)
    print(f"n {n}: y {out['y'].shape} " +
          " ".join(f"{k} {'ok' if v else 'WRONG'}" for k, v in checks.items()))
