"""Builds small Loop and Scan models with onnx.helper, compiles each with
quantc and compares its outputs with onnxruntime's on several inputs.

    loops.py WORK_DIR

Prints one line per model and input set: the output shapes and ok/WRONG.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort
import quantc
from onnx import TensorProto, helper

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, array):
    return helper.make_node("Constant", [], [name],
                            value=onnx.numpy_helper.from_array(np.asarray(array), name))


def model(name, nodes, inputs, outputs, opset):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def while_loop(opset=16):
    """A run-time M and cond; the body stops when the sum passes a limit read
    from the outer graph, and stacks every sum and iteration number."""
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "step"], ["s_out"]),
         helper.make_node("ReduceSum", ["s_out"], ["total"], keepdims=0),
         helper.make_node("Less", ["total", "limit"], ["c_out"]),
         helper.make_node("Cast", ["i"], ["i_f"], to=F),
         helper.make_node("Mul", ["s_out", "i_f"], ["scaled"]),
         # onnxruntime stacks the last iteration number M times when the
         # body passes its input i through as an output: copy it.
         helper.make_node("Identity", ["i"], ["i_out"])],
        "body",
        [vi("i", I64, []), vi("c", B, []), vi("s_in", F, [3])],
        [vi("c_out", B, []), vi("s_out", F, [3]), vi("scaled", F, [3]),
         vi("i_out", I64, [])])
    nodes = [helper.make_node("Loop", ["m", "cond", "s0"], ["s", "scaled_all", "iters"],
                              body=body)]
    return model("while_loop", nodes,
                 [vi("m", I64, []), vi("cond", B, []), vi("s0", F, [3]),
                  vi("step", F, [3]), vi("limit", F, [])],
                 [vi("s", F, [3]), vi("scaled_all", F, [None, 3]), vi("iters", I64, [None])],
                 opset)


def for_loop():
    """A constant M and no cond: a static trip count (test_loop11's Slice at
    the iteration number, whose size the body declares)."""
    body = helper.make_graph(
        [const("x", np.arange(1, 6, dtype=np.float32)),
         const("one", np.array(1, np.int64)),
         helper.make_node("Add", ["i", "one"], ["end"]),
         const("zero_axis", np.array([0], np.int64)),
         helper.make_node("Unsqueeze", ["i", "zero_axis"], ["start1"]),
         helper.make_node("Unsqueeze", ["end", "zero_axis"], ["end1"]),
         helper.make_node("Slice", ["x", "start1", "end1"], ["sl"]),
         helper.make_node("Add", ["y_in", "sl"], ["y_out"]),
         helper.make_node("Identity", ["c"], ["c_out"]),
         helper.make_node("Identity", ["y_out"], ["scan"])],
        "body",
        [vi("i", I64, []), vi("c", B, []), vi("y_in", F, [1])],
        [vi("c_out", B, []), vi("y_out", F, [1]), vi("scan", F, [1])])
    nodes = [const("m", np.array(5, np.int64)),
             helper.make_node("Loop", ["m", "", "y"], ["y_final", "ys"], body=body)]
    return model("for_loop", nodes, [vi("y", F, [1])],
                 [vi("y_final", F, [1]), vi("ys", F, [5, 1])], 16)


def cond_only():
    """No M: only cond ends it; the stacks grow from 16 slices as needed."""
    body = helper.make_graph(
        [helper.make_node("Add", ["n_in", "one"], ["n_out"]),
         helper.make_node("Less", ["n_out", "stop"], ["c_out"]),
         helper.make_node("Identity", ["n_out"], ["n_scan"])],
        "body",
        [vi("i", I64, []), vi("c", B, []), vi("n_in", F, [1])],
        [vi("c_out", B, [1]), vi("n_out", F, [1]), vi("n_scan", F, [1])])
    nodes = [const("one", np.ones(1, np.float32)),
             helper.make_node("Loop", ["", "cond", "n0"], ["n", "ns"], body=body)]
    return model("cond_only", nodes,
                 [vi("cond", B, []), vi("n0", F, [1]), vi("stop", F, [1])],
                 [vi("n", F, [1]), vi("ns", F, [None, 1])], 16)


def scan(opset=16):
    """Two states and two scan inputs, one read backwards along axis 1; two
    scan outputs, one stacked along axis 1, one written backwards."""
    body = helper.make_graph(
        [helper.make_node("Add", ["sum_in", "a"], ["sum_out"]),
         helper.make_node("Mul", ["prod_in", "b"], ["prod_out"]),
         helper.make_node("Sub", ["sum_out", "prod_out"], ["diff"]),
         helper.make_node("Identity", ["sum_out"], ["sums"])],
        "body",
        [vi("sum_in", F, [2]), vi("prod_in", F, [2]), vi("a", F, [2]), vi("b", F, [2])],
        [vi("sum_out", F, [2]), vi("prod_out", F, [2]), vi("diff", F, [2]),
         vi("sums", F, [2])])
    nodes = [helper.make_node(
        "Scan", ["sum0", "prod0", "xa", "xb"], ["sum", "prod", "diffs", "sums"],
        body=body, num_scan_inputs=2, scan_input_axes=[0, 1],
        scan_input_directions=[0, 1], scan_output_axes=[1, 0],
        scan_output_directions=[0, 1])]
    return model("scan", nodes,
                 [vi("sum0", F, [2]), vi("prod0", F, [2]), vi("xa", F, [4, 2]),
                  vi("xb", F, [2, 4])],
                 [vi("sum", F, [2]), vi("prod", F, [2]), vi("diffs", F, [2, 4]),
                  vi("sums", F, [4, 2])], opset)


def scan8():
    """Opset 8: a batch dim in front of every input and output."""
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "x"], ["s_out"]),
         helper.make_node("Identity", ["s_out"], ["scan_out"])],
        "body", [vi("s_in", F, [2]), vi("x", F, [2])],
        [vi("s_out", F, [2]), vi("scan_out", F, [2])])
    nodes = [helper.make_node("Scan", ["", "s0", "x"], ["s", "z"], body=body,
                              num_scan_inputs=1, directions=[1])]
    return model("scan8", nodes, [vi("s0", F, [2, 2]), vi("x", F, [2, 3, 2])],
                 [vi("s", F, [2, 2]), vi("z", F, [2, 3, 2])], 8)


rng = np.random.default_rng(0)
f32 = lambda *shape: rng.standard_normal(shape).astype(np.float32)
CASES = {
    "while_loop": [
        dict(m=np.array(10, np.int64), cond=np.array(True), s0=np.zeros(3, np.float32),
             step=np.ones(3, np.float32), limit=np.array(12, np.float32)),
        dict(m=np.array(3, np.int64), cond=np.array(True), s0=np.zeros(3, np.float32),
             step=np.ones(3, np.float32), limit=np.array(100, np.float32)),
        dict(m=np.array(5, np.int64), cond=np.array(False), s0=np.ones(3, np.float32),
             step=np.ones(3, np.float32), limit=np.array(100, np.float32)),
        dict(m=np.array(-2, np.int64), cond=np.array(True), s0=np.ones(3, np.float32),
             step=np.ones(3, np.float32), limit=np.array(100, np.float32)),
        # More iterations than the stacks first have room for (1024).
        dict(m=np.array(1500, np.int64), cond=np.array(True), s0=np.zeros(3, np.float32),
             step=np.full(3, 0.01, np.float32), limit=np.array(1e9, np.float32)),
    ],
    "for_loop": [dict(y=np.array([0.5], np.float32))],
    "cond_only": [dict(cond=np.array(True), n0=np.zeros(1, np.float32),
                       stop=np.array([40], np.float32)),
                  dict(cond=np.array(True), n0=np.zeros(1, np.float32),
                       stop=np.array([3], np.float32))],
    "scan": [dict(sum0=f32(2), prod0=f32(2), xa=f32(4, 2), xb=f32(2, 4))],
    "scan8": [dict(s0=f32(2, 2), x=f32(2, 3, 2))],
}

work = sys.argv[1]
for build in (while_loop, for_loop, cond_only, scan, scan8):
    m = build()
    onnx.checker.check_model(m)
    path = os.path.join(work, m.graph.name + ".onnx")
    onnx.save(m, path)
    lib = os.path.join(work, "lib" + m.graph.name + ".so")
    quantc.compile(path, lib)
    compiled = quantc.load(lib)
    session = ort.InferenceSession(path)
    names = [o.name for o in m.graph.output]
    for n, feeds in enumerate(CASES[m.graph.name]):
        got = compiled.run(**feeds)
        want = dict(zip(names, session.run(None, feeds)))
        ok = all(got[k].shape == want[k].shape and got[k].dtype == want[k].dtype
                 and np.allclose(got[k], want[k], rtol=1e-5, atol=1e-5) for k in names)
        shapes = " ".join(f"{k}{tuple(got[k].shape)}" for k in names)
        print(f"{m.graph.name} {n}: {shapes} {'ok' if ok else 'WRONG'}")
