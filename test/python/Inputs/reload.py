"""Compiles two one-node models to the same library path in turn."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

import quantc

work = sys.argv[1]
lib = os.path.join(work, "libm.so")


def build(op):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])
    graph = helper.make_graph([helper.make_node(op, ["x"], ["y"])], op.lower(), [x], [y])
    path = os.path.join(work, "m.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    quantc.compile(path, lib)


x = {"x": np.array([-1.0, 0.0, 1.0, 2.0], np.float32)}
build("Relu")
first = quantc.load(lib)
print("first:", first.name)
build("Sigmoid")
try:
    quantc.load(lib)
    print("loaded the changed file while the old one is open")
except quantc.LoadError as error:
    print("refused:", error)
first.close()
with quantc.load(lib) as second:
    y = second.run(x)["y"]
    assert np.allclose(y, 1 / (1 + np.exp(-x["x"]))), y
    print("after close:", second.name)
