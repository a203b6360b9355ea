//===- QcReductionOps.td - reductions, normalizations, scans -*- tablegen -*-===//
//
// The ONNX operators that reduce along some dims: Reduce*, ArgMax/ArgMin, the
// Softmax family, the normalizations (LayerNormalization, GroupNormalization,
// ...), the cumulative scans and TopK. Included from QcOps.td; Softmax itself
// lives there.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_REDUCTION_OPS
#define QUANTC_QC_REDUCTION_OPS

//===----------------------------------------------------------------------===//
// Reduce*
//===----------------------------------------------------------------------===//

// The axes are an attribute before opset 13 (ReduceSum) or 18 (the others)
// and an optional input after; both forms are accepted, as for Unsqueeze.
class Qc_ReduceOp<string mnemonic> : Qc_OnnxOp<mnemonic, [Qc_RunTimeDims]> {
  let summary = "ONNX " # mnemonic;
  let description = [{
    Reduces `data` over `axes` (the attribute, or `axes_input`).
    An `axes_input` known only at run time (a graph input, say) must have a
    static length K: the result's dims that are not 1 become run-time dims,
    and the lowering picks among the rank-choose-K possible axis sets at run
    time. No axes, or an empty list, means every dim, or none at all when
    `noop_with_empty_axes` is 1 (then only the elementwise part of the op,
    such as the square of ReduceSumSquare, is applied). A reduction over no
    elements gives the identity of the op (0 for sums, -inf for max, ...).
  }];
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedAttr<I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let extraClassDeclaration = [{
    /// The reduced dims, sorted and unique; an error at the op when the axes
    /// are not constant or out of range.
    mlir::FailureOr<llvm::SmallVector<int64_t>> getReducedDims();
  }];
}
def Qc_ReduceSumOp : Qc_ReduceOp<"ReduceSum">;
def Qc_ReduceMeanOp : Qc_ReduceOp<"ReduceMean">;
def Qc_ReduceMaxOp : Qc_ReduceOp<"ReduceMax">;
def Qc_ReduceMinOp : Qc_ReduceOp<"ReduceMin">;
def Qc_ReduceProdOp : Qc_ReduceOp<"ReduceProd">;
def Qc_ReduceL1Op : Qc_ReduceOp<"ReduceL1">;
def Qc_ReduceL2Op : Qc_ReduceOp<"ReduceL2">;
def Qc_ReduceLogSumOp : Qc_ReduceOp<"ReduceLogSum">;
def Qc_ReduceLogSumExpOp : Qc_ReduceOp<"ReduceLogSumExp">;
def Qc_ReduceSumSquareOp : Qc_ReduceOp<"ReduceSumSquare">;

class Qc_ArgReduceOp<string mnemonic> : Qc_OnnxOp<mnemonic> {
  let summary = "ONNX " # mnemonic # ": int64 index of the extreme along axis";
  let arguments = (ins AnyTensor:$data,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<I64Attr, "0">:$select_last_index);
  let results = (outs AnyTensor:$reduced);
}
def Qc_ArgMaxOp : Qc_ArgReduceOp<"ArgMax">;
def Qc_ArgMinOp : Qc_ArgReduceOp<"ArgMin">;

//===----------------------------------------------------------------------===//
// The Softmax family (see Qc_SoftmaxOp for coerce_to_2d)
//===----------------------------------------------------------------------===//

class Qc_SoftmaxLikeOp<string mnemonic> : Qc_OnnxOp<mnemonic> {
  let summary = "ONNX " # mnemonic;
  let description = [{
    Opset 13 and later work along `axis` alone. Before opset 13 the input was
    coerced to 2-D at `axis` and all dims from `axis` on formed one row; the
    importer marks such ops with `coerce_to_2d`.
  }];
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   UnitAttr:$coerce_to_2d);
  let results = (outs AnyTensor:$output);
}
def Qc_LogSoftmaxOp : Qc_SoftmaxLikeOp<"LogSoftmax">;
def Qc_HardmaxOp : Qc_SoftmaxLikeOp<"Hardmax">;

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

def Qc_LayerNormalizationOp : Qc_OnnxOp<"LayerNormalization", [Qc_RunTimeDims]> {
  let summary = "ONNX LayerNormalization over the dims from axis on";
  let description = [{
    Mean and InvStdDev (optional in ONNX; unused results are dead after
    lowering) have the stash type (float32) and X's shape with the normalized
    dims set to 1.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Scale, Optional<AnyTensor>:$B,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y, AnyTensor:$Mean, AnyTensor:$InvStdDev);
}

def Qc_RMSNormalizationOp : Qc_OnnxOp<"RMSNormalization"> {
  let summary = "ONNX RMSNormalization over the dims from axis on";
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y);
}

def Qc_InstanceNormalizationOp : Qc_OnnxOp<"InstanceNormalization"> {
  let summary = "ONNX InstanceNormalization: per sample and channel";
  let arguments = (ins AnyTensor:$input, AnyTensor:$scale, AnyTensor:$B,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs AnyTensor:$output);
}

def Qc_GroupNormalizationOp : Qc_OnnxOp<"GroupNormalization"> {
  let summary = "ONNX GroupNormalization";
  let description = [{
    scale and bias are per group (size num_groups, opset 18) or per channel
    (size C, opset 21); their size says which, and when num_groups == C the
    two readings agree.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$bias,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   I64Attr:$num_groups,
                   DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$Y);
}

def Qc_LpNormalizationOp : Qc_OnnxOp<"LpNormalization"> {
  let summary = "ONNX LpNormalization (p = 1 or 2) along axis; 0 where the norm is 0";
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs AnyTensor:$output);
}

def Qc_MeanVarianceNormalizationOp : Qc_OnnxOp<"MeanVarianceNormalization"> {
  let summary = "ONNX MeanVarianceNormalization: (X - mean) / (std + 1e-9) over axes";
  let arguments = (ins AnyTensor:$X, OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$Y);
}

def Qc_LRNOp : Qc_OnnxOp<"LRN"> {
  let summary = "ONNX LRN: local response normalization across channels";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<F32Attr, "0.0001f">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.75f">:$beta,
                   DefaultValuedAttr<F32Attr, "1.0f">:$bias,
                   I64Attr:$size);
  let results = (outs AnyTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Scans and TopK
//===----------------------------------------------------------------------===//

class Qc_CumulativeOp<string mnemonic>
    : Qc_OnnxOp<mnemonic, [Qc_SignednessAgnostic]> {
  let summary = "ONNX " # mnemonic # " along one axis";
  let description = [{
    The scan axis is the scalar `axis` input; when it is only known at run
    time the lowering picks among the rank possible axes at run time.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<I64Attr, "0">:$reverse);
  let results = (outs AnyTensor:$y);
  let extraClassDeclaration = [{
    /// The scan axis in [0, rank) when the `axis` input is a constant; an
    /// error at the op otherwise.
    mlir::FailureOr<int64_t> getScanAxis();
  }];
}
def Qc_CumSumOp : Qc_CumulativeOp<"CumSum">;
def Qc_CumProdOp : Qc_CumulativeOp<"CumProd">;

def Qc_TopKOp : Qc_OnnxOp<"TopK", [Qc_RunTimeDims]> {
  let summary = "ONNX TopK: values and int64 indices";
  let description = [{
    A K only known at run time makes the axis a run-time dim of the results
    (K is clamped to [0, n]). The results are always sorted (the order ONNX
    leaves open for sorted=0 is then the sorted one); equal values keep the
    lower index first.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$K,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<I64Attr, "1">:$largest,
                   DefaultValuedAttr<I64Attr, "1">:$sorted);
  let results = (outs AnyTensor:$Values, AnyTensor:$Indices);
}

#endif // QUANTC_QC_REDUCTION_OPS
