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

#endif
