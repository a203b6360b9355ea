//===- QcOps.td - qc ops, one per ONNX operator ------------*- tablegen -*-===//
//
// Each op mirrors one ONNX operator: same name, same inputs in the same order,
// same attribute names and defaults. Attributes that ONNX lets a model omit
// are `DefaultValuedAttr` (the ONNX default) or `OptionalAttr` where the
// default depends on the input (kernel_shape, pads, strides, perm).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_OPS
#define QUANTC_QC_OPS

include "QcBase.td"
include "QcInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// An ONNX operator: side-effect free, infers its own result types.
class Qc_OnnxOp<string mnemonic, list<Trait> traits = []>
    : Qc_Op<mnemonic, !listconcat(traits,
        [Pure, DeclareOpInterfaceMethods<Qc_ShapeInferenceOpInterface>])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// An ONNX operator with optional inputs that a model may omit in the middle
// (see Qc_OptionalInputsOpInterface): each input is an Optional or, last,
// Variadic operand group.
class Qc_OnnxOpWithOptionalInputs<string mnemonic, list<Trait> traits = []>
    : Qc_OnnxOp<mnemonic, !listconcat(traits,
        [AttrSizedOperandSegments, Qc_OptionalInputsOpInterface])>;

def Qc_ConstantOp : Qc_OnnxOp<"Constant", [ConstantLike, Qc_SignednessAgnostic]> {
  let summary = "ONNX Constant, and every initializer of the graph";
  let description = [{
    Large initializers are `dense_resource` blobs so that weights are held once,
    not copied into uniqued attributes. The importer normalises every form of
    ONNX Constant (`value`, `value_float`, `value_ints`, ...) to `value`.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
  let assemblyFormat = "attr-dict `:` type($output)";
}

def Qc_IdentityOp : Qc_OnnxOp<"Identity", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Identity";
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

include "QcElementwiseOps.td"

def Qc_ClipOp : Qc_OnnxOpWithOptionalInputs<"Clip", [Qc_RunTimeDims]> {
  let summary = "ONNX Clip: min(max(input, min), max)";
  let description = [{
    Either bound may be omitted (no clipping on that side). Before opset 11
    the bounds are `min`/`max` attributes, which the importer turns into
    scalar constant operands.
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$min,
                   Optional<AnyTensor>:$max);
  let results = (outs AnyTensor:$output);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Qc_MatMulOp : Qc_OnnxOp<"MatMul", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX MatMul (numpy matmul: 1-D promotion, batch broadcasting)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
}

def Qc_GemmOp : Qc_OnnxOp<"Gemm", [Qc_RunTimeDims]> {
  let summary = "ONNX Gemm: Y = alpha * A' * B' + beta * C";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, Optional<AnyTensor>:$C,
                   DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                   DefaultValuedAttr<I64Attr, "0">:$transA,
                   DefaultValuedAttr<I64Attr, "0">:$transB);
  let results = (outs AnyTensor:$Y);
}

def Qc_ConvOp : Qc_OnnxOp<"Conv", [Qc_RunTimeDims]> {
  let summary = "ONNX Conv (N-d, groups, pads, strides, dilations, auto_pad)";
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

def Qc_MaxPoolOp : Qc_OnnxOp<"MaxPool", [Qc_RunTimeDims]> {
  let summary = "ONNX MaxPool, with the optional Indices output";
  let description = [{
    Indices are flat int64 positions in X (row-major, or column-major in the
    spatial dims with storage_order 1) of each window's first maximum; they
    are computed only when used.
  }];
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y, AnyTensor:$Indices);
}

def Qc_AveragePoolOp : Qc_OnnxOp<"AveragePool", [Qc_RunTimeDims]> {
  let summary = "ONNX AveragePool";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
}

def Qc_GlobalAveragePoolOp : Qc_OnnxOp<"GlobalAveragePool", [Qc_RunTimeDims]> {
  let summary = "ONNX GlobalAveragePool: mean over all spatial dims";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

def Qc_LpPoolOp : Qc_OnnxOp<"LpPool"> {
  let summary = "ONNX LpPool: (sum of |x|^p over the window)^(1/p), zero padding";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   DefaultValuedAttr<I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   DefaultValuedAttr<I64Attr, "2">:$p,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
}

def Qc_GlobalMaxPoolOp : Qc_OnnxOp<"GlobalMaxPool", [Qc_RunTimeDims]> {
  let summary = "ONNX GlobalMaxPool: max over all spatial dims";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

def Qc_BatchNormalizationOp : Qc_OnnxOp<"BatchNormalization", [Qc_RunTimeDims]> {
  let summary = "ONNX BatchNormalization";
  let description = [{
    Inference normalizes with input_mean/input_var. training_mode=1 (opset
    14) normalizes with the batch's mean and biased variance and also gives
    the updated running statistics, input * momentum + batch * (1 - momentum).
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$scale, AnyTensor:$B,
                   AnyTensor:$input_mean, AnyTensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9f">:$momentum,
                   DefaultValuedAttr<I64Attr, "0">:$training_mode);
  let results = (outs AnyTensor:$Y, AnyTensor:$running_mean, AnyTensor:$running_var);
}

def Qc_SoftmaxOp : Qc_OnnxOp<"Softmax", [Qc_RunTimeDims]> {
  let summary = "ONNX Softmax";
  let description = [{
    Opset 13 and later normalise along `axis` alone. Before opset 13 the input
    was coerced to 2-D at `axis` and normalised over all dims from `axis` on;
    the importer marks such ops with `coerce_to_2d`.
  }];
  let arguments = (ins AnyTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   UnitAttr:$coerce_to_2d);
  let results = (outs AnyTensor:$output);
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Qc_ReshapeOp : Qc_OnnxOp<"Reshape", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Reshape (the shape must be known at compile time)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$shape,
                   DefaultValuedAttr<I64Attr, "0">:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let hasFolder = 1;
}

def Qc_FlattenOp : Qc_OnnxOp<"Flatten", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Flatten: to 2-D, splitting the dims at axis";
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_TransposeOp : Qc_OnnxOp<"Transpose", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Transpose (default perm reverses the dims)";
  let arguments = (ins AnyTensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let hasFolder = 1;
}

def Qc_ConcatOp : Qc_OnnxOp<"Concat", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let hasFolder = 1;
}

def Qc_GatherOp : Qc_OnnxOp<"Gather", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Gather (negative indices count from the end)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_ShapeOp : Qc_OnnxOp<"Shape", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Shape (with the opset-15 start/end slice)";
  let arguments = (ins AnyTensor:$data,
                   DefaultValuedAttr<I64Attr, "0">:$start,
                   OptionalAttr<I64Attr>:$end);
  let results = (outs AnyTensor:$shape);
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The dims of `inputShape` that the op returns: [start, end) with ONNX's
    /// negative-index and clamping rules (empty when end <= start).
    llvm::SmallVector<int64_t> selectDims(llvm::ArrayRef<int64_t> inputShape);
  }];
}

def Qc_UnsqueezeOp : Qc_OnnxOp<"Unsqueeze", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Unsqueeze (axes as an input from opset 13, an attribute before)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$expanded);
  let hasFolder = 1;
}

def Qc_SqueezeOp : Qc_OnnxOp<"Squeeze", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Squeeze (axes as an input from opset 13, an attribute before)";
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$axes_input,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$squeezed);
  let hasFolder = 1;
}

include "QcDataMovementOps.td"
include "QcReductionOps.td"
include "QcAttentionOps.td"
include "QcLossOps.td"
include "QcConvTransposeOps.td"
include "QcEinsumOps.td"
include "QcRecurrentOps.td"
include "QcGridSampleOps.td"
include "QcSpectralOps.td"
include "QcDetectionOps.td"
include "QcControlFlowOps.td"
include "QcQuantizationOps.td"

#endif // QUANTC_QC_OPS
