"""ConvTranspose as detectors upsample with it (kernel == strides, no pads):
2x2 stride 2 with a bias, then 3x3 stride 3 without one, sizes that leave
partial register tiles.

    upsample_model.py OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)
w1 = numpy_helper.from_array(rng.standard_normal((20, 13, 2, 2)).astype(np.float32), "w1")
b1 = numpy_helper.from_array(rng.standard_normal(13).astype(np.float32), "b1")
w2 = numpy_helper.from_array(rng.standard_normal((13, 5, 3, 3)).astype(np.float32), "w2")
nodes = [
    helper.make_node("ConvTranspose", ["x", "w1", "b1"], ["u1"], kernel_shape=[2, 2],
                     strides=[2, 2], name="up2"),
    helper.make_node("ConvTranspose", ["u1", "w2"], ["y"], strides=[3, 3], name="up3"),
]
graph = helper.make_graph(
    nodes, "upsample", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 20, 7, 9])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5, 42, 54])], [w1, b1, w2])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), sys.argv[1])
