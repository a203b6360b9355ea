//===- QcSpectralOps.td - DFT ------------------------------*- tablegen -*-===//
#ifndef QUANTC_QC_SPECTRAL_OPS
#define QUANTC_QC_SPECTRAL_OPS

def Qc_DFTOp : Qc_OnnxOpWithOptionalInputs<"DFT", [Qc_RunTimeDims]> {
  let summary = "ONNX DFT (forward, inverse, onesided, irfft; dft_length)";
  let description = [{
    The axis is an attribute before opset 20 and an input from it; the
    importer writes the opset's default (1, or -2 from opset 20) when neither
    is given. dft_length must be a constant; an axis input only known at run
    time lowers to one transform per possible axis, picked at run time. The
    transform is one contraction with a compile-time matrix of cos/sin
    terms. The input must have a static shape; the result has run-time dims
    where the possible axes give different sizes.
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$dft_length,
                   Optional<AnyTensor>:$axis_input,
                   OptionalAttr<I64Attr>:$axis,
                   DefaultValuedAttr<I64Attr, "0">:$inverse,
                   DefaultValuedAttr<I64Attr, "0">:$onesided);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = [{
    struct Plan {
      int64_t axis, length;        // the transformed dim, N
      int64_t inputsUsed;          // positions of the input read along axis
      int64_t outputs;             // positions written along axis
      int64_t outComponents;       // 2 (complex), or 1 for irfft
      bool inverse, onesided;
    };
    /// The plan for the op's constant axis, or for `axis` (one of the
    /// choices when the axis input is only known at run time).
    mlir::FailureOr<Plan> getPlan(std::optional<int64_t> axis = std::nullopt);
    /// True when the axis input is only known at run time.
    bool hasRunTimeAxis();
    /// With a run-time axis: the plans of the axes a transform can take
    /// (every dim but the components; an irfft without dft_length needs 2
    /// or more bins). Others fall to the invalid-axis default.
    mlir::FailureOr<llvm::SmallVector<Plan>> getRunTimeAxisPlans();
  }];
}

#endif // QUANTC_QC_SPECTRAL_OPS
