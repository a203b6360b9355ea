"""The bfloat16, float8, float4, int4 and int2 casts of a compiled model,
checked bit for bit against ONNX's reference implementation (onnx.reference,
which casts with ml_dtypes and onnx.numpy_helper).

    small_types.py DIR model   writes DIR/small_types.onnx and DIR/inputs.npz
    small_types.py DIR python  runs DIR/libsmall_types.so through the Python API
    small_types.py DIR npz     checks DIR/out.npz, written by `quantc run`
    small_types.py DIR bad     writes inputs with void arrays quantc refuses
"""
import sys

import ml_dtypes
import numpy as np
import onnx
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

work, mode = sys.argv[1], sys.argv[2]
T = TensorProto
F8 = ["FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ"]
# Types read back from every code they have (as inputs).
CODES = {"FLOAT8E4M3FN": 256, "FLOAT8E4M3FNUZ": 256, "FLOAT8E5M2": 256,
         "FLOAT8E5M2FNUZ": 256, "FLOAT8E8M0": 256, "FLOAT4E2M1": 16,
         "INT4": 16, "UINT4": 16, "INT2": 4, "UINT2": 4}
N = 4096


def x_values():
    """Edge values of every format and random floats over their ranges."""
    edges = [0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 1e6, -1e6, 448, 464,
             465, 480, 240, 248, 249, 57344, 61439, 61440, 65536, 6, 7, 0.25,
             0.75, 2.5, 1e-7, -1e-7, 2.0**-9, 2.0**-10, 3 * 2.0**-11, 2.0**-17,
             2.0**-16, 2.0**-127, 2.0**127, 1.5 * 2.0**127, 3.0e38, -8.5, -9,
             7.5, 15.5, 16, -2.5, 1.5, 3.4e38]
    rng = np.random.default_rng(0)
    mags = np.exp2(rng.uniform(-20, 18, N - len(edges)))
    signs = rng.choice([-1.0, 1.0], N - len(edges))
    return np.concatenate([np.array(edges), mags * signs]).astype(np.float32)


def model():
    nodes, outputs = [], []

    def cast(src, to, name, **attrs):
        nodes.append(helper.make_node("Cast", [src], [name], to=to, **attrs))
        outputs.append(helper.make_tensor_value_info(name, to, None))

    for t in F8:
        cast("x", getattr(T, t), f"sat_{t}")
        cast("x", getattr(T, t), f"nosat_{t}", saturate=0)
        cast("h", getattr(T, t), f"h_{t}")
    for mode in ("up", "nearest", "down"):
        for sat in (0, 1):
            cast("x", T.FLOAT8E8M0, f"e8m0_{mode}_{sat}", round_mode=mode,
                 saturate=sat)
    for t in ("FLOAT4E2M1", "BFLOAT16"):
        cast("x", getattr(T, t), f"to_{t}")
    for t in ("INT4", "UINT4", "INT2", "UINT2"):
        cast("ints", getattr(T, t), f"to_{t}")
    inputs = [helper.make_tensor_value_info("x", T.FLOAT, [N]),
              helper.make_tensor_value_info("h", T.FLOAT16, [N]),
              helper.make_tensor_value_info("ints", T.FLOAT, [64])]
    for t, n in CODES.items():
        inputs.append(helper.make_tensor_value_info(f"codes_{t}", getattr(T, t), [n]))
        cast(f"codes_{t}", T.FLOAT, f"f32_{t}")
        cast(f"codes_{t}", T.FLOAT16, f"f16_{t}")
    # Data movement keeps the bits: a transpose of int4, a concat of float8.
    inputs.append(helper.make_tensor_value_info("grid", T.INT4, [2, 8]))
    nodes.append(helper.make_node("Transpose", ["grid"], ["grid_t"], perm=[1, 0]))
    outputs.append(helper.make_tensor_value_info("grid_t", T.INT4, None))
    nodes.append(helper.make_node("Concat", ["codes_FLOAT8E5M2", "codes_FLOAT8E5M2"],
                                  ["twice"], axis=0))
    outputs.append(helper.make_tensor_value_info("twice", T.FLOAT8E5M2, None))
    graph = helper.make_graph(nodes, "small_types", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 24)])


def feeds():
    x = x_values()
    ints = np.arange(-32, 32).astype(np.float32) + np.tile([0, 0.5, -0.5, 0.9], 16)
    with np.errstate(over="ignore"):
        h = x.astype(np.float16)
    f = {"x": x, "h": h, "ints": ints.astype(np.float32)}
    for t, n in CODES.items():
        dtype = helper.tensor_dtype_to_np_dtype(getattr(T, t))
        f[f"codes_{t}"] = np.arange(n, dtype=np.uint8).view(dtype)
    f["grid"] = np.arange(16, dtype=np.uint8).reshape(2, 8).view(ml_dtypes.int4)
    return f


def same(name, got, want):
    """Bit for bit, except that any NaN matches any NaN, and a float4 NaN
    (which has no encoding) may become either zero."""
    assert got.shape == want.shape, (name, got.shape, want.shape)
    assert got.dtype == want.dtype, (name, got.dtype, want.dtype)
    bits = f"u{want.itemsize}"
    g = got.view(bits).astype(np.int64)
    w = want.view(bits).astype(np.int64)
    bad = g != w
    if want.dtype.kind in "fV" and want.dtype.name not in ("int4", "uint4", "int2", "uint2"):
        gf, wf = got.astype(np.float32), want.astype(np.float32)
        bad &= ~(np.isnan(gf) & np.isnan(wf))
        if want.dtype == ml_dtypes.float4_e2m1fn:
            bad &= ~((gf == 0) & (wf == 0))
    if bad.any():
        i = np.flatnonzero(bad.reshape(-1))[:5]
        src = feeds()["x"][i] if g.size == N else i
        raise AssertionError(f"{name}: {bad.sum()} differ, e.g. at {i} (from {src}): "
                             f"got {g.reshape(-1)[i]}, want {w.reshape(-1)[i]}")


def check(where, outputs):
    ref = ReferenceEvaluator(onnx.load(f"{work}/small_types.onnx"))
    names = [o.name for o in ref.proto_.graph.output]
    want = dict(zip(names, ref.run(None, feeds())))
    for name in names:
        got = outputs[name]
        if got.dtype.kind == "V" and got.dtype.names is None and got.dtype != want[name].dtype:
            got = got.view(want[name].dtype)  # read back from .npz
        same(name, got, want[name])
    print(f"{where} ok: {len(names)} outputs bit for bit")


if mode == "model":
    onnx.save(model(), f"{work}/small_types.onnx")
    with open(f"{work}/inputs.npz", "wb") as f:
        np.savez(f, **{k: (v.view(f"V{v.itemsize}") if v.dtype.kind in "V" or
                            v.dtype.name.startswith("float8") else v)
                       for k, v in feeds().items()})
elif mode == "bad":
    with np.load(f"{work}/inputs.npz") as good:
        arrays = {k: good[k] for k in good.files}
    np.savez(f"{work}/bad_size.npz", **{**arrays, "grid": np.zeros((2, 8), "V2")})
    np.savez(f"{work}/bad_type.npz", **{**arrays, "x": np.zeros(N, "V1")})
elif mode == "python":
    import quantc
    with quantc.load(f"{work}/libsmall_types.so") as m:
        print("dtypes:", sorted({str(i.dtype) for i in m.inputs + m.outputs}))
        check("python", m.run(feeds()))
else:
    with np.load(f"{work}/out.npz") as out:
        check("npz", {k: out[k] for k in out.files})
