//===- QcDataMovementOps.td - slicing, padding, gathers, resize -*- tablegen -*-===//
//
// ONNX operators that move or select data without arithmetic on it (Slice,
// Pad, Tile, Gather*/Scatter*, DepthToSpace, ...), the ones that make tensors
// from shapes (Range, ConstantOfShape, EyeLike, OneHot), and Resize. Inputs
// that decide a result's shape (pads, repeats, sizes, ...) must be known at
// compile time unless an op says otherwise (Slice, Pad, Split, Tile, Range,
// OneHot, Expand, ConstantOfShape, Resize take run-time values). Included from QcOps.td.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_DATAMOVEMENT_OPS
#define QUANTC_QC_DATAMOVEMENT_OPS

def Qc_SliceOp : Qc_OnnxOpWithOptionalInputs<"Slice", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Slice (starts/ends/axes/steps as inputs, opset 10 and later)";
  let description = [{
    Out-of-range starts and ends are clamped as ONNX says (to [0, dim] for a
    positive step, [-1, dim - 1] for a negative one); steps may be negative.
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$starts, AnyTensor:$ends,
                   Optional<AnyTensor>:$axes, Optional<AnyTensor>:$steps);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_SplitOp : Qc_OnnxOp<"Split", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Split (split as an attribute before opset 13, an input after)";
  let description = [{
    Without `split`, the input is split into as many equal parts as there are
    outputs (opset 18: `num_outputs`, the last part smaller when the size does
    not divide). A `split` input only known at run time gives outputs whose
    split dim is a run-time dim; sizes that do not add up to the dim are
    clamped so that no output reaches past it.
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$split_input,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   OptionalAttr<DenseI64ArrayAttr>:$split,
                   OptionalAttr<I64Attr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
}

def Qc_PadOp : Qc_OnnxOpWithOptionalInputs<"Pad", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Pad (pads as an input, modes constant, reflect, edge, wrap)";
  let description = [{
    Negative pads crop. `pads` and `axes` may be only known at run time (graph
    inputs of static length): the dims they may change are then run-time
    dims. reflect, edge and wrap of a dim cropped to nothing give 0.
  }];
  let arguments = (ins AnyTensor:$data, AnyTensor:$pads,
                   Optional<AnyTensor>:$constant_value,
                   Optional<AnyTensor>:$axes,
                   DefaultValuedStrAttr<StrAttr, "constant">:$mode);
  let results = (outs AnyTensor:$output);
}

def Qc_TileOp : Qc_OnnxOp<"Tile", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Tile";
  let description = [{
    `repeats` may be only known at run time (a negative one repeats zero
    times); the dims it multiplies are then run-time dims.
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$repeats);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_ExpandOp : Qc_OnnxOp<"Expand", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Expand: numpy broadcast of the input with `shape`";
  let arguments = (ins AnyTensor:$input, AnyTensor:$shape);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_RangeOp : Qc_OnnxOp<"Range", [Qc_RunTimeDims]> {
  let summary = "ONNX Range: start, start + delta, ... up to limit (excluded)";
  let description = [{
    With start, limit or delta only known at run time the length is a
    run-time dim, max(ceil((limit - start) / delta), 0); a zero delta gives
    no elements instead of an error.
  }];
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta,
                   DefaultValuedAttr<I64Attr, "1">:$stash_type);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_ConstantOfShapeOp : Qc_OnnxOp<"ConstantOfShape", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX ConstantOfShape (default value: a float 0)";
  let arguments = (ins AnyTensor:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_SizeOp : Qc_OnnxOp<"Size", [Qc_SignednessAgnostic]> {
  let summary = "ONNX Size: the number of elements, an int64 scalar";
  let arguments = (ins AnyTensor:$data);
  let results = (outs AnyTensor:$size);
  let hasFolder = 1;
}

def Qc_NonZeroOp : Qc_OnnxOp<"NonZero", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX NonZero: the indices of the non-zero elements";
  let description = [{
    `rank(X) x nnz` int64, column k the coordinates of the k-th non-zero
    element in row-major order (numpy.nonzero stacked). nnz is only known at
    run time: a run-time dim whatever X's shape. NaN counts as non-zero. A
    scalar gives `0 x nnz`, as the ONNX spec and reference say
    (onnxruntime gives `1 x nnz`).
  }];
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

def Qc_GatherElementsOp : Qc_OnnxOp<"GatherElements", [Qc_SignednessAgnostic]> {
  let summary = "ONNX GatherElements (negative indices count from the end)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
}

def Qc_GatherNDOp : Qc_OnnxOp<"GatherND", [Qc_SignednessAgnostic]> {
  let summary = "ONNX GatherND (with batch_dims)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs AnyTensor:$output);
}

def Qc_ScatterElementsOp : Qc_OnnxOp<"ScatterElements", [Qc_SignednessAgnostic]> {
  let summary = "ONNX ScatterElements (reduction none, add, mul, max, min)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
}

def Qc_ScatterOp : Qc_OnnxOp<"Scatter", [Qc_SignednessAgnostic]> {
  let summary = "ONNX Scatter (opsets 9-10): ScatterElements without reduction";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$output);
}

def Qc_ScatterNDOp : Qc_OnnxOp<"ScatterND", [Qc_SignednessAgnostic]> {
  let summary = "ONNX ScatterND (reduction none, add, mul, max, min)";
  let arguments = (ins AnyTensor:$data, AnyTensor:$indices, AnyTensor:$updates,
                   DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs AnyTensor:$output);
}

def Qc_TriluOp : Qc_OnnxOp<"Trilu", [Qc_SignednessAgnostic]> {
  let summary = "ONNX Trilu: the upper or lower triangle of the last two dims";
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$k,
                   DefaultValuedAttr<I64Attr, "1">:$upper);
  let results = (outs AnyTensor:$output);
}

def Qc_DepthToSpaceOp : Qc_OnnxOp<"DepthToSpace", [Qc_SignednessAgnostic]> {
  let summary = "ONNX DepthToSpace (modes DCR and CRD)";
  let arguments = (ins AnyTensor:$input, I64Attr:$blocksize,
                   DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs AnyTensor:$output);
}

def Qc_SpaceToDepthOp : Qc_OnnxOp<"SpaceToDepth", [Qc_SignednessAgnostic]> {
  let summary = "ONNX SpaceToDepth (modes DCR and, from opset 28, CRD)";
  let arguments = (ins AnyTensor:$input, I64Attr:$blocksize,
                   DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs AnyTensor:$output);
}

def Qc_EyeLikeOp : Qc_OnnxOp<"EyeLike", [Qc_SignednessAgnostic]> {
  let summary = "ONNX EyeLike: ones on the k-th diagonal of a 2-D tensor";
  let arguments = (ins AnyTensor:$input, OptionalAttr<I64Attr>:$dtype,
                   DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs AnyTensor:$output);
}

// HannWindow, HammingWindow, BlackmanWindow: cosine sums over n in
// [0, size), w[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N) with N the
// size (periodic) or size - 1, computed in double and converted to
// output_datatype. A size only known at run time is a run-time dim.
class Qc_WindowOp<string mnemonic> : Qc_OnnxOp<mnemonic, [Qc_RunTimeDims]> {
  let summary = "ONNX " # mnemonic;
  let arguments = (ins AnyTensor:$size,
                   DefaultValuedAttr<I64Attr, "1">:$output_datatype,
                   DefaultValuedAttr<I64Attr, "1">:$periodic);
  let results = (outs AnyTensor:$output);
}
def Qc_HannWindowOp : Qc_WindowOp<"HannWindow">;
def Qc_HammingWindowOp : Qc_WindowOp<"HammingWindow">;
def Qc_BlackmanWindowOp : Qc_WindowOp<"BlackmanWindow">;

def Qc_CenterCropPadOp : Qc_OnnxOp<"CenterCropPad", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX CenterCropPad: crop or zero-pad dims to `shape`, centered";
  let description = [{
    Each dim named by `axes` (all dims by default) becomes the matching
    value of `shape`: a smaller one keeps the middle elements (the extra one
    of an odd difference cut at the end), a larger one centers the data in
    zeros. A `shape` only known at run time makes those dims run-time dims.
  }];
  let arguments = (ins AnyTensor:$input_data, AnyTensor:$shape,
                   OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs AnyTensor:$output_data);
}

def Qc_OneHotOp : Qc_OnnxOp<"OneHot", [Qc_RunTimeDims]> {
  let summary = "ONNX OneHot (a depth only known at run time is a run-time dim)";
  let arguments = (ins AnyTensor:$indices, AnyTensor:$depth, AnyTensor:$values,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$output);
}

def Qc_ResizeOp : Qc_OnnxOpWithOptionalInputs<"Resize", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Resize (opset 11 and later): nearest, linear, cubic";
  let description = [{
    The lowering computes, per resized axis, the input indices and weights of
    every output position, and the kernel is a weighted gather over them.
    When `roi`, `scales` and `sizes` are constants and the input's shape is
    static, those tables are constants; otherwise a small kernel per axis
    computes them at run time (ResizeRules.h holds the arithmetic of both),
    and an axis whose size is then known only at run time gets a run-time
    dim.
  }];
  let arguments = (ins AnyTensor:$X, Optional<AnyTensor>:$roi,
                   Optional<AnyTensor>:$scales, Optional<AnyTensor>:$sizes,
                   DefaultValuedAttr<I64Attr, "0">:$antialias,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                   DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                   DefaultValuedAttr<I64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value,
                   DefaultValuedStrAttr<StrAttr, "stretch">:$keep_aspect_ratio_policy,
                   DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                   DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode);
  let results = (outs AnyTensor:$Y);
}

def Qc_UpsampleOp : Qc_OnnxOp<"Upsample", [Qc_RunTimeDims, Qc_SignednessAgnostic]> {
  let summary = "ONNX Upsample (deprecated; opsets 7-9): nearest or linear";
  let arguments = (ins AnyTensor:$X, AnyTensor:$scales,
                   DefaultValuedStrAttr<StrAttr, "nearest">:$mode);
  let results = (outs AnyTensor:$Y);
}

#endif // QUANTC_QC_DATAMOVEMENT_OPS
