"""Runs if.onnxtxt's library with the condition true and false and compares
each run with onnxruntime."""
import sys

import numpy as np
import onnx
import onnxruntime as ort
import quantc

model = quantc.load(sys.argv[1])
with open(sys.argv[2]) as f:
    session = ort.InferenceSession(onnx.parser.parse_model(f.read()).SerializeToString())
x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
for c in (True, False):
    feeds = {"c": np.array(c), "x": x}
    got = model.run(**feeds)
    want = dict(zip(["y", "z"], session.run(None, feeds)))
    for name in ("y", "z"):
        ok = (got[name].shape == want[name].shape
              and np.allclose(got[name], want[name], rtol=1e-5, atol=1e-6))
        print(f"c={c}: {name} {got[name].shape} {'ok' if ok else 'WRONG'}")
