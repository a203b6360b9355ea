//===- QcRecurrentOps.td - RNN, GRU, LSTM ------------------*- tablegen -*-===//
#ifndef QUANTC_QC_RECURRENT_OPS
#define QUANTC_QC_RECURRENT_OPS

// The attributes every ONNX recurrent op has.
class Qc_RecurrentOp<string mnemonic, dag extraArgs, dag extraInputs, dag outs>
    : Qc_OnnxOpWithOptionalInputs<mnemonic> {
  let summary = "ONNX " # mnemonic # " (forward, reverse, bidirectional; "
                "layout 0 and 1; sequence_lens)";
  let arguments = !con(
      (ins AnyTensor:$X, AnyTensor:$W, AnyTensor:$R, Optional<AnyTensor>:$B,
           Optional<AnyTensor>:$sequence_lens, Optional<AnyTensor>:$initial_h),
      extraInputs,
      (ins OptionalAttr<DenseF32ArrayAttr>:$activation_alpha,
           OptionalAttr<DenseF32ArrayAttr>:$activation_beta,
           OptionalAttr<StrArrayAttr>:$activations,
           OptionalAttr<F32Attr>:$clip,
           DefaultValuedStrAttr<StrAttr, "forward">:$direction,
           OptionalAttr<I64Attr>:$hidden_size,
           DefaultValuedAttr<I64Attr, "0">:$layout),
      extraArgs);
  let results = outs;
}

def Qc_RNNOp : Qc_RecurrentOp<"RNN", (ins), (ins),
                              (outs AnyTensor:$Y, AnyTensor:$Y_h)>;

def Qc_GRUOp : Qc_RecurrentOp<"GRU",
    (ins DefaultValuedAttr<I64Attr, "0">:$linear_before_reset), (ins),
    (outs AnyTensor:$Y, AnyTensor:$Y_h)>;

def Qc_LSTMOp : Qc_RecurrentOp<"LSTM",
    (ins DefaultValuedAttr<I64Attr, "0">:$input_forget),
    (ins Optional<AnyTensor>:$initial_c, Optional<AnyTensor>:$P),
    (outs AnyTensor:$Y, AnyTensor:$Y_h, AnyTensor:$Y_c)>;

#endif // QUANTC_QC_RECURRENT_OPS
