"""A small residual block whose intermediates the memory planner can reuse:
Conv 3x3 (padded) -> Relu -> Conv 1x1 -> Add(input) -> Sigmoid -> Mul, then a
second block on the result. Node names are the ONNX names the plan shows.

    residual_model.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)


def weight(name, *shape):
    return numpy_helper.from_array(
        (rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:]))).astype(np.float32), name)


nodes, inits, x = [], [], "x"
for block in (1, 2):
    p = f"b{block}_"
    nodes += [
        helper.make_node("Conv", [x, p + "w1", p + "bias"], [p + "c1"], pads=[1, 1, 1, 1],
                         name=p + "conv3x3"),
        helper.make_node("Relu", [p + "c1"], [p + "r1"], name=p + "relu"),
        helper.make_node("Conv", [p + "r1", p + "w2"], [p + "c2"], name=p + "conv1x1"),
        helper.make_node("Add", [p + "c2", x], [p + "a"], name=p + "residual"),
        helper.make_node("Sigmoid", [p + "a"], [p + "s"], name=p + "sigmoid"),
        helper.make_node("Mul", [p + "s", p + "a"], [p + "y"], name=p + "swish"),
    ]
    inits += [weight(p + "w1", 16, 8, 3, 3), weight(p + "bias", 16), weight(p + "w2", 8, 16, 1, 1)]
    x = p + "y"
nodes.append(helper.make_node("Identity", [x], ["y"], name="output"))
graph = helper.make_graph(
    nodes, "residual", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 20, 20])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 20, 20])], inits)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), sys.argv[1])
