//===- QcQuantizationOps.td - ONNX quantization operators --*- tablegen -*-===//
//
// The ONNX operators of quantized models: QuantizeLinear and
// DequantizeLinear (the QDQ format), DynamicQuantizeLinear, the integer
// contractions MatMulInteger and ConvInteger, and QLinearMatMul and
// QLinearConv, which requantize their result.
//
// A scale or zero point is per tensor (one element), per axis (1-D, one per
// index of `axis`) or blocked (`block_size` > 0: the input's shape with the
// `axis` dim divided by block_size, rounded up). They may be computed at run
// time; qc-lower-to-linalg reads them as tensors (Quantization.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_QUANTIZATION_OPS
#define QUANTC_QC_QUANTIZATION_OPS

def Qc_QuantizeLinearOp
    : Qc_OnnxOp<"QuantizeLinear", [Qc_RunTimeDims]> {
  let summary = "ONNX QuantizeLinear: saturate(round(x / y_scale) + y_zero_point)";
  let description = [{
    Rounds half to even. The result has the zero point's type, else
    `output_dtype`, else uint8: 8-, 16-, 4- and 2-bit integers, and the
    float8 and float4e2m1 types (no rounding; `saturate` clamps float8
    overflow to the largest finite value). The division is computed in
    float32; `precision` (opset 25) asks for another type and is not
    supported.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$y_scale,
                   Optional<AnyTensor>:$y_zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$block_size,
                   DefaultValuedAttr<I64Attr, "0">:$output_dtype,
                   DefaultValuedAttr<I64Attr, "0">:$precision,
                   DefaultValuedAttr<I64Attr, "1">:$saturate);
  let results = (outs AnyTensor:$y);
}

def Qc_DequantizeLinearOp
    : Qc_OnnxOp<"DequantizeLinear", [Qc_RunTimeDims]> {
  let summary = "ONNX DequantizeLinear: (x - x_zero_point) * x_scale";
  let description = [{
    Computed in float32; the result has the scale's type, or `output_dtype`.
    int32 inputs (a quantized bias) take no zero point.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale,
                   Optional<AnyTensor>:$x_zero_point,
                   DefaultValuedAttr<I64Attr, "1">:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$block_size,
                   DefaultValuedAttr<I64Attr, "0">:$output_dtype);
  let results = (outs AnyTensor:$y);
}

def Qc_DynamicQuantizeLinearOp
    : Qc_OnnxOp<"DynamicQuantizeLinear", [Qc_RunTimeDims]> {
  let summary = "ONNX DynamicQuantizeLinear: uint8 with the scale and zero "
                "point of the input's range (which always includes 0)";
  let arguments = (ins AnyTensor:$x);
  let results = (outs AnyTensor:$y, AnyTensor:$y_scale,
                      AnyTensor:$y_zero_point);
}

def Qc_DynamicQuantizeRowsOp
    : Qc_OnnxOp<"DynamicQuantizeRows", [Qc_RunTimeDims, Qc_NotOnnx]> {
  let summary = "DynamicQuantizeLinear per row (quantc's own op): uint8 with "
                "each row's own scale and zero point";
  let description = [{
    Not an ONNX operator: qc-quantize-dynamic makes it. Each row (the last
    dim) of a float32 `x` is quantized as DynamicQuantizeLinear quantizes a
    whole tensor: scale = (max(0, max x) - min(0, min x)) / 255, zero point
    = saturate(round(-min / scale)), y = saturate(round(x / scale) + zero
    point). `y_scale` and `y_zero_point` have x's shape with the last dim 1,
    the per-row zero point MatMulInteger takes. A row's own range keeps a
    row of small values precise beside a row of large ones (a transformer's
    tokens differ that way).
  }];
  let arguments = (ins AnyTensor:$x);
  let results = (outs AnyTensor:$y, AnyTensor:$y_scale,
                      AnyTensor:$y_zero_point);
}

def Qc_MatMulIntegerOp
    : Qc_OnnxOpWithOptionalInputs<"MatMulInteger", [Qc_RunTimeDims]> {
  let summary = "ONNX MatMulInteger: (A - a_zero_point) x (B - b_zero_point) "
                "in int32";
  let description = [{
    a_zero_point is per tensor or per row of A (M values, or A's shape with
    K = 1); b_zero_point per tensor or per column of B (N values, or B's
    shape with K = 1).
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                   Optional<AnyTensor>:$a_zero_point,
                   Optional<AnyTensor>:$b_zero_point);
  let results = (outs AnyTensor:$Y);
}

def Qc_MatMulNBitsOp
    : Qc_OnnxOpWithOptionalInputs<"MatMulNBits", [Qc_RunTimeDims, Qc_MicrosoftDomain]> {
  let summary = "com.microsoft MatMulNBits: A x dequantized(B)^T (+ bias), "
                "B in blocks of low-bit integers";
  let description = [{
    onnxruntime's weight-only operator (its MatMulNBits quantizer writes
    it). B is [N, ceil(K / block_size), block_size * bits / 8] bytes: row n
    of the weight, in blocks of `block_size` values along K, two 4-bit
    values a byte (the first in the low half). scales are N x blocks
    (flat or 2-D); zero_points, when given, uint8 packed the same way per
    row ((blocks + 1) / 2 bytes of row n), else 8 (2^(bits-1)). Y[..., n]
    = sum_k A[..., k] * (B[n, k] - zero_point) * scale + bias[n]. K, N,
    block_size and bits are attributes; accuracy_level is a hint quantc
    ignores. qc-expand-matmul-nbits rewrites it into a MatMul of a blocked
    DequantizeLinear when B, scales and zero points are constants, which
    is the only form quantc compiles: bits = 4, no g_idx, integer zero
    points.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, AnyTensor:$scales,
                   Optional<AnyTensor>:$zero_points,
                   Optional<AnyTensor>:$g_idx,
                   Optional<AnyTensor>:$bias,
                   I64Attr:$K, I64Attr:$N,
                   DefaultValuedAttr<I64Attr, "4">:$bits,
                   I64Attr:$block_size,
                   DefaultValuedAttr<I64Attr, "0">:$accuracy_level);
  let results = (outs AnyTensor:$Y);
}

def Qc_ConvIntegerOp : Qc_OnnxOpWithOptionalInputs<"ConvInteger"> {
  let summary = "ONNX ConvInteger: Conv of (x - x_zero_point) and "
                "(w - w_zero_point) in int32";
  let description = [{
    x_zero_point is per tensor; w_zero_point per tensor or per output
    channel. Padding reads x's zero point, so it adds nothing.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$w,
                   Optional<AnyTensor>:$x_zero_point,
                   Optional<AnyTensor>:$w_zero_point,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
}

def Qc_QLinearMatMulOp : Qc_OnnxOp<"QLinearMatMul"> {
  let summary = "ONNX QLinearMatMul: MatMulInteger requantized to y's scale "
                "and zero point";
  let description = [{
    y = saturate(round(acc * (a_scale * b_scale / y_scale)) + y_zero_point),
    the multiplier computed in float32. a's scale and zero point are per
    tensor or per row, b's per tensor or per column.
  }];
  let arguments = (ins AnyTensor:$a, AnyTensor:$a_scale,
                   AnyTensor:$a_zero_point, AnyTensor:$b, AnyTensor:$b_scale,
                   AnyTensor:$b_zero_point, AnyTensor:$y_scale,
                   AnyTensor:$y_zero_point);
  let results = (outs AnyTensor:$y);
}

def Qc_QLinearConvOp : Qc_OnnxOp<"QLinearConv"> {
  let summary = "ONNX QLinearConv: ConvInteger plus the int32 bias, "
                "requantized to y's scale and zero point";
  let description = [{
    w's scale and zero point are per tensor or per output channel; x's and
    y's per tensor.
  }];
  let arguments = (ins AnyTensor:$x, AnyTensor:$x_scale,
                   AnyTensor:$x_zero_point, AnyTensor:$w, AnyTensor:$w_scale,
                   AnyTensor:$w_zero_point, AnyTensor:$y_scale,
                   AnyTensor:$y_zero_point, Optional<AnyTensor>:$B,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$y);
}

#endif // QUANTC_QC_QUANTIZATION_OPS
