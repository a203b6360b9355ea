//===- QcAttentionOps.td - attention ops -------------------*- tablegen -*-===//
#ifndef QUANTC_QC_ATTENTION_OPS
#define QUANTC_QC_ATTENTION_OPS

def Qc_AttentionOp : Qc_OnnxOpWithOptionalInputs<"Attention"> {
  let summary = "ONNX Attention (opsets 23-25): scaled dot-product attention";
  let description = [{
    softmax(softcap(Q Kᵀ · scale) + bias) V over 4-D (batch, heads, seq,
    head_size) tensors, or 3-D (batch, seq, heads · head_size) ones split
    with q_num_heads/kv_num_heads. The bias combines the attention mask
    (boolean: false masks; float: added; padded with masked positions up to
    the total key length), the causal and sliding-window masks (aligned to
    the bottom right: past keys, or nonpad_kv_seqlen, come first) and
    nonpad_kv_seqlen. K and V heads are repeated for grouped-query attention.
    A query row whose keys are all masked gives zeros. The op is kept whole
    (not decomposed at import) so that later passes can fuse it.
  }];
  let arguments = (ins AnyTensor:$Q, AnyTensor:$K, AnyTensor:$V,
                   Optional<AnyTensor>:$attn_mask,
                   Optional<AnyTensor>:$past_key,
                   Optional<AnyTensor>:$past_value,
                   Optional<AnyTensor>:$nonpad_kv_seqlen,
                   DefaultValuedAttr<I64Attr, "0">:$is_causal,
                   OptionalAttr<I64Attr>:$kv_num_heads,
                   OptionalAttr<I64Attr>:$q_num_heads,
                   DefaultValuedAttr<I64Attr, "0">:$qk_matmul_output_mode,
                   OptionalAttr<F32Attr>:$scale,
                   DefaultValuedAttr<F32Attr, "0.0f">:$softcap,
                   OptionalAttr<I64Attr>:$softmax_precision,
                   DefaultValuedAttr<I64Attr, "-1">:$left_window_size,
                   DefaultValuedAttr<I64Attr, "-1">:$right_window_size);
  let results = (outs AnyTensor:$Y, AnyTensor:$present_key,
                 AnyTensor:$present_value, AnyTensor:$qk_matmul_output);
  let extraClassDeclaration = [{
    /// Q, K, V and the results as 4-D (batch, heads, seq, head_size) shapes,
    /// valid after shape inference.
    struct Dims {
      int64_t batch, qHeads, kvHeads, qSeq, kvSeq, pastSeq, headSize, vHeadSize;
      int64_t totalSeq() const { return pastSeq + kvSeq; }
    };
    mlir::FailureOr<Dims> getDims();
  }];
}

#endif // QUANTC_QC_ATTENTION_OPS
