"""quantc compile --quantize=int8, checked against the float model.

    int8_static.py model DIR      writes DIR/m.onnx and calibration inputs:
                                  DIR/calib/*.npz, DIR/empty/, DIR/nan/,
                                  DIR/shape/ (a wrong shape)
    int8_static.py check FLOAT.so INT8.so [OTHER.so]
                                  runs them on held-out inputs

The model: Conv 3x3 -> Relu -> depthwise Conv 3x3 (stride 2) -> Relu ->
Conv 1x1 -> GlobalAveragePool -> Flatten -> Gemm, batch 2. The quantized
library must stay within a few percent of the float one; a second quantized
library (from the calibration cache) must give the same numbers.
"""
import os
import sys

import numpy as np

SHAPE = (2, 3, 16, 16)


def write_model(out):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    w1 = (rng.standard_normal((8, 3, 3, 3)) * 0.3).astype(np.float32)
    w2 = (rng.standard_normal((8, 1, 3, 3)) * 0.5).astype(np.float32)
    w3 = (rng.standard_normal((16, 8, 1, 1)) * 0.4).astype(np.float32)
    wf = (rng.standard_normal((5, 16)) * 0.5).astype(np.float32)
    b1, bf = rng.standard_normal(8).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2"], ["c2"], name="dw", group=8, strides=[2, 2],
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Conv", ["r2", "w3"], ["c3"], name="pw"),
        helper.make_node("GlobalAveragePool", ["c3"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "wf", "bf"], ["y"], name="fc", transB=1),
    ]
    graph = helper.make_graph(
        nodes, "int8_static", [helper.make_tensor_value_info("x", TensorProto.FLOAT, SHAPE)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])],
        [numpy_helper.from_array(a, n) for a, n in
         [(w1, "w1"), (b1, "b1"), (w2, "w2"), (w3, "w3"), (wf, "wf"), (bf, "bf")]])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "m.onnx"))
    for d in ("calib", "empty", "nan", "shape"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    for i in range(8):
        np.savez(os.path.join(out, "calib", f"{i}.npz"), x=images(100 + i))
    bad = images(0)
    bad[1, 2, 3, 4] = np.nan
    np.savez(os.path.join(out, "nan", "0.npz"), x=bad)
    np.savez(os.path.join(out, "shape", "0.npz"), x=images(0)[:1])


def images(seed):
    """Smooth images with an offset per channel, as photos are."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(SHAPE).astype(np.float32)
    x = (x + np.roll(x, 1, axis=2) + np.roll(x, 1, axis=3)) / 3
    return (x + np.float32([0.5, -0.2, 0.1])[None, :, None, None]).astype(np.float32)


def check(float_lib, int8_lib, other=None):
    import quantc

    libs = [quantc.load(p) for p in [float_lib, int8_lib] + ([other] if other else [])]
    errors, same = [], True
    for seed in range(5):
        x = images(seed)
        outs = [lib.run(x=x)["y"] for lib in libs]
        errors.append(np.linalg.norm(outs[1] - outs[0]) / np.linalg.norm(outs[0]))
        if other:
            same &= bool(np.array_equal(outs[1], outs[2]))
    worst = max(errors)
    verdict = "below 5%" if worst < 0.05 else "TOO LARGE"
    print(f"int8 vs float: relative error {verdict} ({worst:.4f})")
    if other:
        print(f"from the cache: {'the same outputs' if same else 'DIFFERENT outputs'}")


if __name__ == "__main__":
    if sys.argv[1] == "model":
        write_model(sys.argv[2])
    else:
        check(*sys.argv[2:])
