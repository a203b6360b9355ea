"""Runs runtime_dims.onnxtxt's library at several sizes against numpy, then
with sizes the library must refuse."""
import sys

import numpy as np
import quantc

model = quantc.load(sys.argv[1])
rng = np.random.default_rng(0)
w = np.float32([1, 2, 3, 4])


def inputs(batch, seq, mask_seq=None):
    x = rng.standard_normal((batch, seq, 4)).astype(np.float32)
    mask = np.ones((batch, mask_seq or seq), np.int64)
    mask[:, (mask_seq or seq) // 2 + 1:] = 0
    return x, mask


for batch, seq in [(1, 1), (2, 5), (3, 16)]:
    x, mask = inputs(batch, seq)
    out = model.run(x=x, mask=mask)
    y = x * w
    m = mask[..., None].astype(np.float32)
    pooled = (y * m).sum(1) / m.sum(1)
    ok = np.allclose(out["y"], y, rtol=1e-6) and np.allclose(out["pooled"], pooled, rtol=1e-5)
    print(f"batch {batch} seq {seq}: pooled {out['pooled'].shape} y {out['y'].shape} "
          f"{'ok' if ok else 'WRONG'}")

for label, (x, mask) in [("seq 17", inputs(1, 17)), ("mismatch", inputs(1, 5, 4))]:
    try:
        model.run(x=x, mask=mask)
        print(f"{label}: accepted")
    except quantc.InvalidArgumentError as error:
        print(f"{label}: InvalidArgumentError: {error}")
