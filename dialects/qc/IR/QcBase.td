//===- QcBase.td - the qc graph dialect --------------------*- tablegen -*-===//
#ifndef QUANTC_QC_BASE
#define QUANTC_QC_BASE

include "mlir/IR/OpBase.td"

def Qc_Dialect : Dialect {
  let name = "qc";
  let cppNamespace = "::quantc::qc";
  let summary = "The quantc graph dialect: one op per ONNX operator";
  let description = [{
    `qc` holds a model as imported from ONNX: one op per ONNX operator, named as
    ONNX names it (`qc.Conv`, `qc.MatMul`), with ONNX semantics (attributes,
    numpy-style broadcasting, defaults). Attributes keep their ONNX names and
    kinds: `INT` is `i64`, `FLOAT` is `f32`, `INTS` is `array<i64>`, `STRING` is a
    string, `TENSOR` is an elements attribute. Every op infers its result type
    (`qc-shape-inference`) from its operands, and the graph passes rewrite `qc`
    before it is lowered to linalg.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let useDefaultTypePrinterParser = 0;
}

// The op's lowering handles dims known only at run time (`?`), taking sizes
// from its operands with tensor.dim. qc-lower-to-linalg refuses any other op
// with such a dim, naming it, rather than lowering it wrongly.
def Qc_RunTimeDims : NativeOpTrait<"RunTimeDims"> {
  let cppNamespace = "::quantc::qc::OpTrait";
}

// An op of quantc's own, which passes create where ONNX has no operator: the
// importer never makes one from a model's node of the same name.
def Qc_NotOnnx : NativeOpTrait<"NotOnnx"> {
  let cppNamespace = "::quantc::qc::OpTrait";
}

// An operator of onnxruntime's com.microsoft domain: the importer makes one
// only from a node of that domain (and never from a default-domain node of
// the same name).
def Qc_MicrosoftDomain : NativeOpTrait<"MicrosoftDomain"> {
  let cppNamespace = "::quantc::qc::OpTrait";
}

class Qc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qc_Dialect, mnemonic, traits>;

#endif // QUANTC_QC_BASE
