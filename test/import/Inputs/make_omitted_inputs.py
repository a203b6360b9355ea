"""Writes clip.onnx (Clip with an omitted min) and gemm.onnx (a Gemm whose
input list has a hole) into the directory given as argv[1]. ONNX text syntax
cannot spell an omitted input, hence a script."""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

out = sys.argv[1]
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])
opset = [helper.make_opsetid("", 13)]

hi = numpy_helper.from_array(np.array(0.5, np.float32), "hi")
clip = helper.make_graph([helper.make_node("Clip", ["x", "", "hi"], ["y"], name="c")],
                         "clip", [x], [y], [hi])
save(helper.make_model(clip, opset_imports=opset), os.path.join(out, "clip.onnx"))

w = numpy_helper.from_array(np.ones((4, 4), np.float32), "w")
gemm = helper.make_graph([helper.make_node("Gemm", ["x", "", "w"], ["y"], name="g")],
                         "gemm", [x], [y], [w])
save(helper.make_model(gemm, opset_imports=opset), os.path.join(out, "gemm.onnx"))
