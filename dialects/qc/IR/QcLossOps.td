//===- QcLossOps.td - loss ops -----------------------------*- tablegen -*-===//
#ifndef QUANTC_QC_LOSS_OPS
#define QUANTC_QC_LOSS_OPS

def Qc_NegativeLogLikelihoodLossOp : Qc_OnnxOp<"NegativeLogLikelihoodLoss"> {
  let summary = "ONNX NegativeLogLikelihoodLoss";
  let description = [{
    loss[n, d...] = -input[n, target[n, d...], d...] * weight[target[n, d...]],
    0 where target equals ignore_index; reduced by `reduction`: none, sum, or
    mean (the sum divided by the sum of the weights that were applied).
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$target,
                   Optional<AnyTensor>:$weight,
                   OptionalAttr<I64Attr>:$ignore_index,
                   DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs AnyTensor:$loss);
}

def Qc_SoftmaxCrossEntropyLossOp : Qc_OnnxOp<"SoftmaxCrossEntropyLoss"> {
  let summary = "ONNX SoftmaxCrossEntropyLoss: log-softmax over dim 1, then "
                "NegativeLogLikelihoodLoss";
  let arguments = (ins AnyTensor:$scores, AnyTensor:$labels,
                   Optional<AnyTensor>:$weights,
                   OptionalAttr<I64Attr>:$ignore_index,
                   DefaultValuedStrAttr<StrAttr, "mean">:$reduction);
  let results = (outs AnyTensor:$output, AnyTensor:$log_prob);
}

#endif // QUANTC_QC_LOSS_OPS
