import sys, os, collections, onnx, numpy as np, onnxruntime as ort
from onnx import helper
SUP = set("""Constant Identity Add Sub Mul Div Relu Clip Sigmoid Tanh Exp Sqrt MatMul Gemm Conv ConvTranspose MaxPool AveragePool LpPool GlobalAveragePool GlobalMaxPool BatchNormalization Softmax LogSoftmax Hardmax Reshape Flatten Transpose Concat Gather Shape Unsqueeze Squeeze Attention Einsum RNN GRU LSTM ArgMax ArgMin LayerNormalization RMSNormalization InstanceNormalization GroupNormalization LpNormalization LRN CumSum TopK Slice Split Pad Tile Expand Range ConstantOfShape Size GatherElements GatherND ScatterElements ScatterND Resize Upsample Trilu DepthToSpace SpaceToDepth EyeLike OneHot Abs Neg Floor Ceil Round Sign Reciprocal Log Sin Cos Erf Softplus Pow Mod Max Min Sum Mean And Or Xor Not Equal Less Greater LessOrEqual GreaterOrEqual Where Cast CastLike Dropout LeakyRelu PRelu Elu HardSigmoid HardSwish Gelu""".split())
def supported(op): return op in SUP or op.startswith("Reduce")
def dims(vi):
    t = vi.type.tensor_type
    ds = [d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else "?") for d in t.shape.dim] if t.HasField("shape") else None
    return f"{vi.name}: {onnx.TensorProto.DataType.Name(t.elem_type)} {ds}"
def walk(g, top, sub, depth, path):
    for n in g.node:
        (top if depth == 0 else sub)[(n.domain or "ai.onnx", n.op_type)] += 1
        for a in n.attribute:
            gs = [a.g] if a.type == onnx.AttributeProto.GRAPH else list(a.graphs) if a.type == onnx.AttributeProto.GRAPHS else []
            for sg in gs:
                c = collections.Counter(); walk(sg, c, c, depth + 1, path)
                print(f"  subgraph {n.op_type}({n.name}).{a.name}: {len(sg.node)} nodes; ops {dict(sorted(((o if d=='ai.onnx' else d+':'+o), k) for (d, o), k in c.items()))}")
                sub.update(c)
for p in sys.argv[1:]:
    m = onnx.load(p)
    print(f"### {os.path.relpath(p,'/tmp/realmodels/x')}  size={os.path.getsize(p)}B ir_version={m.ir_version} opset={[(o.domain or 'ai.onnx', o.version) for o in m.opset_import]} producer={m.producer_name} {m.producer_version}")
    print("  metadata keys:", [(q.key, len(q.value)) for q in m.metadata_props])
    print("  inits:", len(m.graph.initializer), "dtypes:", dict(collections.Counter(onnx.TensorProto.DataType.Name(i.data_type) for i in m.graph.initializer)))
    for i in m.graph.input: print("  IN ", dims(i))
    for o in m.graph.output: print("  OUT", dims(o))
    top, sub = collections.Counter(), collections.Counter()
    walk(m.graph, top, sub, 0, p)
    print("  top-level ops (%d nodes):" % sum(top.values()), dict(sorted(((o if d=='ai.onnx' else d+':'+o), k) for (d, o), k in top.items())))
    allops = set(top) | set(sub)
    print("  non-default domains:", sorted({d for d, o in allops if d != "ai.onnx"}) or "none")
    print("  NOT in quantc list:", sorted(o if d == "ai.onnx" else d + ":" + o for d, o in allops if d != "ai.onnx" or not supported(o)) or "none")
