# Fold sr=16000 into silero_vad_op18_ifless.onnx: inline If.then_branch -> If-free, sr-free model.
import onnx, numpy as np, onnxruntime as ort
from onnx import helper
m=onnx.load("x/silero_vad/data/silero_vad_op18_ifless.onnx")
iff=[n for n in m.graph.node if n.op_type=="If"][0]
br=[a.g for a in iff.attribute if a.name=="then_branch"][0]   # cond = (sr[0]==16000)
nodes=list(br.node)+[helper.make_node("Identity",[bo.name],[o]) for bo,o in zip(br.output,iff.output)]
g=helper.make_graph(nodes,"silero16k",[i for i in m.graph.input if i.name!="sr"],list(m.graph.output),
                    initializer=list(m.graph.initializer)+list(br.initializer))
nm=helper.make_model(g,opset_imports=m.opset_import,ir_version=m.ir_version)
onnx.checker.check_model(nm); nm=onnx.shape_inference.infer_shapes(nm)
onnx.save(nm,"silero_vad_16k_noif_op18.onnx")
o=ort.SessionOptions(); o.intra_op_num_threads=1
a=ort.InferenceSession("x/silero_vad/data/silero_vad.onnx",o,providers=["CPUExecutionProvider"])
b=ort.InferenceSession("silero_vad_16k_noif_op18.onnx",o,providers=["CPUExecutionProvider"])
rs=np.random.RandomState(1); st_a=st_b=np.zeros((2,3,128),np.float32); md=0
for t in range(20):
    x=(rs.randn(3,576)*0.3).astype(np.float32)
    ya,st_a=a.run(None,{"input":x,"state":st_a,"sr":np.array(16000,np.int64)})
    yb,st_b=b.run(None,{"input":x,"state":st_b})
    md=max(md,float(np.abs(ya-yb).max()),float(np.abs(st_a-st_b).max()))
print("20 streaming steps, batch 3: max|silero_vad.onnx - inlined| =",md)
