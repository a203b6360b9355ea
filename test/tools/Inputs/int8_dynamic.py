"""quantc compile --quantize=int8-dynamic, checked against numpy.

    int8_dynamic.py model OUT.onnx      writes the model
    int8_dynamic.py check LIB.so        runs the library and checks it
    int8_dynamic.py check-w4 LIB.so G   the same for --quantize=w4
                                        --group-size=G
    int8_dynamic.py nbits IN.onnx OUT.onnx BLOCK
                                        IN with its MatMul quantized by
                                        onnxruntime's MatMulNBits quantizer
    int8_dynamic.py nbits-bad OUT.onnx  a MatMulNBits node quantc refuses
    int8_dynamic.py check-nbits LIB.so MODEL.onnx
                                        the library against onnxruntime
    int8_dynamic.py calib DIR           calibration inputs for GPTQ and AWQ
    int8_dynamic.py compare-w4 RTN.so OTHER.so
                                        OTHER's error against RTN's on
                                        held-out inputs like DIR's

The model: y = Gemm(Relu(MatMul(x, w1) + b1), w2, b2, transB=1, alpha=0.5)
and e = Gather(table, ids), with run-time batch. The check simulates the
scheme exactly (x's rows quantized to uint8 by their own range, rounded half
to even; weights int8 per output column, symmetric; int32 products; scaled
back in float32) and needs the library within float rounding of that, and
within a few percent of the float model.
"""
import sys

import numpy as np

K, H, N, V = 64, 48, 10, 30


def weights():
    rng = np.random.default_rng(6)
    w1 = (rng.standard_normal((K, H)) * rng.uniform(0.05, 1.0, H)).astype(np.float32)
    b1 = rng.standard_normal(H).astype(np.float32) * 0.1
    w2 = rng.standard_normal((N, H)).astype(np.float32) * 0.2
    b2 = rng.standard_normal(N).astype(np.float32)
    table = (rng.standard_normal((V, 16)) * rng.uniform(0.1, 3.0, (V, 1))).astype(np.float32)
    return w1, b1, w2, b2, table


def write_model(path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w1, b1, w2, b2, table = weights()
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["h"], name="fc1"),
             helper.make_node("Add", ["h", "b1"], ["h1"]),
             helper.make_node("Relu", ["h1"], ["h2"]),
             helper.make_node("Gemm", ["h2", "w2", "b2"], ["y"], name="fc2",
                              transB=1, alpha=0.5),
             helper.make_node("Gather", ["table", "ids"], ["e"], name="embed")]
    graph = helper.make_graph(
        nodes, "int8_dynamic",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [5, K]),
         helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [5, N]),
         helper.make_tensor_value_info("e", TensorProto.FLOAT, ["batch", 3, 16])],
        [numpy_helper.from_array(a, n) for a, n in
         [(w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"), (table, "table")]])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def quantize_rows(a):
    """uint8 per row from the row's range (which includes 0)."""
    lo = np.minimum(a.min(axis=-1, keepdims=True), 0)
    hi = np.maximum(a.max(axis=-1, keepdims=True), 0)
    scale = np.where(hi == lo, np.float32(1), hi - lo) / np.float32(255)
    zp = np.clip(np.round(-lo / scale), 0, 255)
    q = np.clip(np.round(a / scale) + zp, 0, 255)
    return q.astype(np.int32), scale.astype(np.float32), zp.astype(np.int32)


def int8_columns(w):
    """int8 per column of w [K, N], symmetric."""
    scale = (np.abs(w).max(axis=0) / np.float32(127)).astype(np.float32)
    return np.clip(np.round(w / scale), -127, 127).astype(np.int32), scale


def simulated_matmul(a, w, alpha=1.0):
    q, s, z = quantize_rows(a)
    wq, ws = int8_columns(w)
    acc = (q - z) @ wq
    return acc.astype(np.float32) * s * (ws * np.float32(alpha))


def check(path):
    import quantc

    w1, b1, w2, b2, table = weights()
    model = quantc.load(path)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, K)).astype(np.float32)
    x[0] *= 20  # a row far larger than the rest: its own scale
    ids = np.int64([[0, 29, 7], [3, 3, -1]])
    out = model.run(x=x, ids=ids)

    h = np.maximum(simulated_matmul(x, w1) + b1, 0)
    y = simulated_matmul(h, w2.T, alpha=0.5) + b2
    tq = np.clip(np.round(table / (np.abs(table).max(1, keepdims=True) / 127)), -127, 127)
    e = tq[ids] * (np.abs(table).max(1, keepdims=True) / np.float32(127))[ids]
    for name, want in (("y", y), ("e", e)):
        got = out[name]
        err = np.abs(got - want).max() / np.abs(want).max()
        print(f"{name}: {got.shape} vs the simulated scheme: max error "
              f"{'within float rounding' if err < 1e-5 else f'{err:.2e} WRONG'}")
    yf = np.maximum(x @ w1 + b1, 0) @ w2.T * 0.5 + b2
    rel = np.linalg.norm(out["y"] - yf) / np.linalg.norm(yf)
    print(f"y vs float: relative error {'below 2%' if rel < 0.02 else f'{rel:.3f} WRONG'}")


def int4_groups(w, group):
    """w [K, N] through uint4 per group of `group` rows of each column, as
    qc-quantize-weights-int4 rounds it, back to float."""
    out = np.empty_like(w)
    for r0 in range(0, w.shape[0], group):
        block = w[r0:r0 + group]
        lo = np.minimum(block.min(axis=0), 0)
        hi = np.maximum(block.max(axis=0), 0)
        scale = np.where(hi > lo, (hi - lo) / np.float32(15), np.float32(1)).astype(np.float32)
        zp = np.clip(np.round(-lo / scale), 0, 15)
        q = np.clip(np.round(block / scale) + zp, 0, 15)
        out[r0:r0 + group] = (q - zp) * scale
    return out


def check_w4(path, group):
    import quantc

    group = int(group)
    w1, b1, w2, b2, table = weights()
    model = quantc.load(path)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, K)).astype(np.float32)
    ids = np.int64([[0, 29, 7], [3, 3, -1]])
    out = model.run(x=x, ids=ids)
    h = np.maximum(x @ int4_groups(w1, group) + b1, 0)
    y = h @ int4_groups(w2.T.copy(), group) * np.float32(0.5) + b2
    err = np.abs(out["y"] - y).max() / np.abs(y).max()
    print(f"y vs the simulated int4 weights: "
          f"{'within float rounding' if err < 1e-5 else f'{err:.2e} WRONG'}")
    # The table's rows (16 wide) in groups along the row, when 16 is a whole
    # number of even groups; else the Gather stays float.
    if 16 % group == 0 and group % 2 == 0:
        want = int4_groups(table.T.copy(), group).T[ids]
        err = np.abs(out["e"] - want).max() / np.abs(want).max()
        print(f"e: the gathered rows vs the simulated int4 table: "
              f"{'within float rounding' if err < 1e-6 else f'{err:.2e} WRONG'}")
    else:
        exact = np.array_equal(out["e"], table[ids])
        print(f"e: the Gather {'stays exact' if exact else 'CHANGED'}")
    yf = np.maximum(x @ w1 + b1, 0) @ w2.T * 0.5 + b2
    rel = np.linalg.norm(out["y"] - yf) / np.linalg.norm(yf)
    print(f"y vs float: relative error {'below 20%' if rel < 0.2 else f'{rel:.3f} WRONG'}")


def write_nbits(source, path, block):
    """onnxruntime's own 4-bit weight-only quantization (asymmetric, so with
    zero points) of the model's MatMul: a com.microsoft MatMulNBits node."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    quantizer = MatMulNBitsQuantizer(onnx.load(source), block_size=int(block),
                                     is_symmetric=False)
    quantizer.process()
    model = quantizer.model.model
    assert any(n.op_type == "MatMulNBits" for n in model.graph.node)
    onnx.save(model, path)


def write_nbits_bad(path):
    """MatMulNBits with bits = 8, which quantc does not compile."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    b = np.zeros((4, 1, 16), np.uint8)
    scales = np.ones(4, np.float32)
    node = helper.make_node("MatMulNBits", ["x", "b", "s"], ["y"], name="nbits8",
                            domain="com.microsoft", K=16, N=4, bits=8, block_size=16)
    graph = helper.make_graph(
        [node], "nbits8", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])],
        [numpy_helper.from_array(b, "b"), numpy_helper.from_array(scales, "s")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    onnx.save(model, path)


def check_nbits(lib_path, model_path):
    import onnxruntime as ort
    import quantc

    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, K)).astype(np.float32)
    ids = np.int64([[0, 29, 7]])
    want = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"]).run(
        None, {"x": x, "ids": ids})
    got = quantc.load(lib_path).run(x=x, ids=ids)
    err = np.abs(got["y"] - want[0]).max() / np.abs(want[0]).max()
    print(f"y vs onnxruntime: {'within float rounding' if err < 1e-5 else f'{err:.2e} WRONG'}")


def correlated_x(rng, rows):
    """Inputs whose channels move together and differ in size, as a
    network's activations do: what GPTQ and AWQ exploit and RTN ignores."""
    mix = np.random.default_rng(7).standard_normal((K, K)) * 0.3 + np.eye(K)
    size = np.random.default_rng(8).uniform(0.2, 4.0, K)
    return ((rng.standard_normal((rows, K)) @ mix) * size).astype(np.float32)


def write_calibration(directory):
    import os

    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(11)
    for i in range(64):  # 320 rows: a Hessian of 64 channels well sampled
        np.savez(os.path.join(directory, f"{i:02d}.npz"), x=correlated_x(rng, 5),
                 ids=np.int64([[0, 1, 2]]))


def compare_w4(rtn_path, other_path):
    """The relative error of y on 200 held-out rows, RTN against the other
    method; it must be smaller."""
    import quantc

    w1, b1, w2, b2, _ = weights()
    rng = np.random.default_rng(12)
    held_out = [correlated_x(rng, 5) for _ in range(40)]
    errors = []
    for path in (rtn_path, other_path):
        model = quantc.load(path)
        num = den = 0.0
        for x in held_out:
            y = model.run(x=x, ids=np.int64([[0, 1, 2]]))["y"]
            yf = np.maximum(x @ w1 + b1, 0) @ w2.T * 0.5 + b2
            num += float(np.sum((y - yf) ** 2))
            den += float(np.sum(yf ** 2))
        errors.append(np.sqrt(num / den))
    rtn, other = errors
    print(f"held-out y error: {'smaller than' if other < rtn else 'NOT smaller than'} RTN's "
          f"({other:.4f} vs {rtn:.4f})")


if __name__ == "__main__":
    if sys.argv[1] == "check-w4":
        check_w4(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "compare-w4":
        compare_w4(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "nbits":
        write_nbits(*sys.argv[2:5])
    elif sys.argv[1] == "nbits-bad":
        write_nbits_bad(sys.argv[2])
    elif sys.argv[1] == "check-nbits":
        check_nbits(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "calib":
        write_calibration(sys.argv[2])
    else:
        {"model": write_model, "check": check}[sys.argv[1]](sys.argv[2])
