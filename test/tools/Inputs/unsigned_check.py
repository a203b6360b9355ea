"""Runs libunsigned.so from quantc run's .npz and from the Python API, and
checks the outputs (values and numpy dtypes) against numpy."""
import sys

import numpy as np

import quantc

work = sys.argv[1]
image = np.array([[0, 127, 128, 255], [200, 3, 250, 1]], np.uint8)
d = np.array([1, 2, 3, 4000000000], np.uint32)
expected = {
    "scaled": image.astype(np.float32) / np.float32(255),
    "top": image.max(axis=1),
    "q": image.astype(np.uint32) // d,
    "arg": image.argmax(axis=1).astype(np.int64),
}


def check(where, outputs):
    for name, want in expected.items():
        got = outputs[name]
        assert got.dtype == want.dtype, (where, name, got.dtype, want.dtype)
        assert np.allclose(got, want), (where, name, got, want)
    print(where, "ok:", ", ".join(f"{n} {outputs[n].dtype}" for n in expected))


if sys.argv[2] == "save":
    np.save(f"{work}/image.npy", image)
    np.save(f"{work}/d.npy", d)
elif sys.argv[2] == "npz":
    check("npz", np.load(f"{work}/out.npz"))
else:
    with quantc.load(f"{work}/libunsigned.so") as model:
        print("inputs:", [(i.name, str(i.dtype)) for i in model.inputs])
        check("python", model.run({"image": image, "d": d}))
