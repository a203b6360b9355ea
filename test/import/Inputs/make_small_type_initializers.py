"""Writes DIR/small_types.onnx: initializers of the 4- and 2-bit types packed
as ONNX stores them (raw_data and int32_data, low bits first, an odd count),
and float8/bfloat16 ones in int32_data, each returned through Identity."""
import sys

import ml_dtypes
import numpy as np
from onnx import TensorProto as T, helper, numpy_helper, save

int4 = np.array([-8, -1, 0, 7, 3], dtype=ml_dtypes.int4)
packed = numpy_helper._pack_4bitx2(int4).tobytes()
inits = [
    helper.make_tensor("i4_raw", T.INT4, [5], packed, raw=True),
    helper.make_tensor("i4_int32", T.INT4, [5], int4.astype(np.int8).tolist()),
    helper.make_tensor("u2_int32", T.UINT2, [5], [3, 0, 1, 2, 3]),
    helper.make_tensor("u4_raw", T.UINT4, [3],
                       numpy_helper._pack_4bitx2(np.array([15, 1, 9], ml_dtypes.uint4)).tobytes(),
                       raw=True),
    helper.make_tensor("f8_int32", T.FLOAT8E4M3FN, [3], [1.0, -448.0, 0.5]),
    helper.make_tensor("bf16_int32", T.BFLOAT16, [2], [1.5, -2.0]),
    # Past the size where weights become dense_resource blobs.
    helper.make_tensor("i4_large", T.INT4, [1101],
                       numpy_helper._pack_4bitx2(
                           (np.arange(1101) % 16 - 8).astype(ml_dtypes.int4)).tobytes(),
                       raw=True),
]
outputs, nodes = [], []
for t in inits:
    nodes.append(helper.make_node("Identity", [t.name], ["out_" + t.name]))
    outputs.append(helper.make_tensor_value_info("out_" + t.name, t.data_type, list(t.dims)))
graph = helper.make_graph(nodes, "g", [], outputs, initializer=inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)]),
     sys.argv[1] + "/small_types.onnx")
