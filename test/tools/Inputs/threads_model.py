"""A model whose every contraction goes to the runtime's GEMM kernels, with
sizes that leave partial register tiles and several blocks per thread:
Conv (3x3 stride 2, depthwise 3x3, grouped 3x3), Gemm with transB, batched MatMul.

    threads_model.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)


def weight(name, *shape):
    return numpy_helper.from_array(
        (rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:]))).astype(np.float32), name)


nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("Conv", ["r1", "wd"], ["d1"], pads=[1, 1, 1, 1], group=40),
    helper.make_node("Conv", ["d1", "w2"], ["c2"], pads=[1, 1, 1, 1], group=2),
    helper.make_node("Flatten", ["c2"], ["f"]),
    helper.make_node("Gemm", ["f", "wg", "bg"], ["g"], transB=1),
    helper.make_node("Reshape", ["g", "shape"], ["g3"]),
    helper.make_node("MatMul", ["g3", "wm"], ["y"]),
]
inits = [weight("w1", 40, 3, 3, 3), weight("b1", 40), weight("wd", 40, 1, 3, 3),
         weight("w2", 36, 20, 3, 3),
         weight("wg", 130, 36 * 9 * 9), weight("bg", 130),
         numpy_helper.from_array(np.array([2, 5, 26], np.int64), "shape"),
         weight("wm", 2, 26, 70)]
graph = helper.make_graph(
    nodes, "threads", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 17, 17])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), sys.argv[1])
