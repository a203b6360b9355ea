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

def Qc_OptionalInputsOpInterface : OpInterface<"OptionalInputsOpInterface"> {
  let cppNamespace = "::quantc::qc";
  let description = [{
    An op whose ONNX inputs may be omitted anywhere, not only at the end (an
    empty input name, as in Resize's `roi`). Such an op also has
    `AttrSizedOperandSegments`: the importer gives its ODS operand group i the
    ONNX input i, zero or one value, and the last group every input beyond.
  }];
  let methods = [
    StaticInterfaceMethod<
      "The number of ODS operand groups (the size of operandSegmentSizes).",
      "unsigned", "getNumInputGroups", (ins), [{}], [{
        return std::tuple_size_v<decltype(
            std::declval<typename ConcreteOp::Properties>().operandSegmentSizes)>;
      }]>,
  ];
}

// Unsigned integers (ui8 ... ui64, as ONNX's UINT types) are lowered on
// signless types: qc-lower-to-linalg converts ui8 to i8 and picks the
// unsigned arith ops where an op's meaning depends on the signedness (Div,
// comparisons, Max, Cast, ...). An op with this trait has no such place: it
// moves, copies or selects elements, or makes them from constants, so its
// result holds the same bits whether its integers are signed or not. The
// lowering then rewrites it to the same op on signless types, which its own
// pattern lowers.
def Qc_SignednessAgnostic : NativeOpTrait<"SignednessAgnostic"> {
  let cppNamespace = "::quantc::qc::OpTrait";
}

#endif // QUANTC_QC_INTERFACES
