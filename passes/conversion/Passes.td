//===- Passes.td - conversions out of qc -------------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_CONVERSION
#define QUANTC_PASSES_CONVERSION

include "mlir/Pass/PassBase.td"

def QcToLinalg : Pass<"qc-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower qc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Each qc op becomes linalg ops on tensors (named ops where one fits, such
    as `linalg.conv_2d_nchw_fchw`, `linalg.transpose`; `linalg.generic`
    otherwise), with ONNX broadcasting expressed in indexing maps. Requires
    static shapes: an op with a dynamic dim is an error naming it.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def QcExpandSmallFloatCasts : Pass<"qc-expand-small-float-casts"> {
  let summary = "Expand casts to and from bf16, float8 and float4 into integer "
                "arithmetic";
  let description = [{
    `arith.extf` and `arith.truncf` with bf16 (upstream's expansion) or a
    float of at most 8 bits with a sign (f8E4M3FN, f8E4M3FNUZ, f8E5M2,
    f8E5M2FNUZ, f4E2M1FN, ...) on either side become bit arithmetic on i32:
    extension is exact; truncation rounds to nearest even and overflows to
    inf, else NaN, else the largest value, as the format allows. Sources and
    results other than f32 go through f32. LLVM cannot lower these casts on
    x86 by itself.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif
