//===- QcConvTransposeOps.td - transposed convolution ------*- tablegen -*-===//
#ifndef QUANTC_QC_CONVTRANSPOSE_OPS
#define QUANTC_QC_CONVTRANSPOSE_OPS

def Qc_ConvTransposeOp : Qc_OnnxOp<"ConvTranspose", [Qc_RunTimeDims]> {
  let summary = "ONNX ConvTranspose (N-d, groups, pads, strides, dilations, "
                "output_padding, output_shape, auto_pad)";
  let description = [{
    W is (C, M / group, k...). Output size per spatial dim:
    stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pads, or
    output_shape when given. With output_shape and explicit (or no) pads the
    begin pads are kept and the end is cut or zero-extended to the size, as
    onnx's reference does; with auto_pad SAME_* the total padding is split
    as the specification says.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$W, Optional<AnyTensor>:$B,
                   DefaultValuedStrAttr<StrAttr, "NOTSET">:$auto_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$group,
                   OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                   OptionalAttr<DenseI64ArrayAttr>:$output_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs AnyTensor:$Y);
  let extraClassDeclaration = [{
    struct Geometry {
      llvm::SmallVector<int64_t> kernel, strides, dilations, padsBegin, outputSizes;
    };
    /// The per-spatial-dim geometry; valid once X and W have static shapes.
    mlir::FailureOr<Geometry> getGeometry();
  }];
}

#endif // QUANTC_QC_CONVTRANSPOSE_OPS
