//===- QcInterfaces.td - interfaces of qc ops --------------*- tablegen -*-===//
#ifndef QUANTC_QC_INTERFACES
#define QUANTC_QC_INTERFACES

include "mlir/IR/OpBase.td"

def Qc_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::quantc::qc";
  let description = [{
    An op that computes its result types (element type and shape) from the
    types, and where needed the constant values, of its operands. On an invalid
    combination it emits an error at the op, in ONNX's terms, and fails.
  }];
  let methods = [
    InterfaceMethod<
      "Computes the result types from the operands and sets them on the op.",
      "::mlir::LogicalResult", "inferShapes">,
  ];
}

#endif // QUANTC_QC_INTERFACES
