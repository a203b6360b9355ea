"""Writes the Loop and Scan models that ONNX text syntax cannot spell (an
omitted input, a sequence type) into the directory given as argv[1]:
loop_no_m.onnx (a Loop without M), scan8.onnx (opset 8's Scan without
sequence_lens) and loop_seq.onnx (a body output that is a sequence)."""
import os
import sys

from onnx import TensorProto, helper, save

out = sys.argv[1]
F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL
vi = helper.make_tensor_value_info


def write(name, nodes, inputs, outputs, opset):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    save(model, os.path.join(out, name + ".onnx"))


body = helper.make_graph(
    [helper.make_node("Identity", ["c"], ["c_out"]),
     helper.make_node("Neg", ["x_in"], ["x_out"])],
    "body", [vi("i", I64, []), vi("c", B, []), vi("x_in", F, [2])],
    [vi("c_out", B, []), vi("x_out", F, [2])])
write("loop_no_m", [helper.make_node("Loop", ["", "cond", "x"], ["y"], body=body)],
      [vi("cond", B, []), vi("x", F, [2])], [vi("y", F, [2])], 16)

body = helper.make_graph(
    [helper.make_node("Add", ["s_in", "x"], ["s_out"]),
     helper.make_node("Identity", ["s_out"], ["scan_out"])],
    "body", [vi("s_in", F, [2]), vi("x", F, [2])],
    [vi("s_out", F, [2]), vi("scan_out", F, [2])])
write("scan8", [helper.make_node("Scan", ["", "s0", "x"], ["s", "z"], body=body,
                                 num_scan_inputs=1, directions=[1])],
      [vi("s0", F, [1, 2]), vi("x", F, [1, 3, 2])],
      [vi("s", F, [1, 2]), vi("z", F, [1, 3, 2])], 8)

seq = helper.make_tensor_sequence_value_info("seq_out", F, [2])
body = helper.make_graph(
    [helper.make_node("Identity", ["c"], ["c_out"]),
     helper.make_node("Identity", ["x_in"], ["x_out"]),
     helper.make_node("SequenceConstruct", ["x_in"], ["seq_out"])],
    "body", [vi("i", I64, []), vi("c", B, []), vi("x_in", F, [2])],
    [vi("c_out", B, []), vi("x_out", F, [2]), seq])
write("loop_seq", [helper.make_node("Loop", ["m", "", "x"], ["y", "s"], body=body,
                                    name="the_loop")],
      [vi("m", I64, []), vi("x", F, [2])], [vi("y", F, [2])], 16)
