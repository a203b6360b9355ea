//===- QcElementwiseOps.td - elementwise ONNX operators ----*- tablegen -*-===//
//
// The elementwise family: unary math, activations, broadcasting binary and
// variadic ops, comparisons and logic, Where, Pow, Mod, Cast and Dropout.
//
// Most of these share one shape rule: the inputs broadcast together (numpy
// style), their element type must belong to one class, and the result has
// that element type or i1. `Qc_MapOp` declares it per op from two strings
// (see ElementwiseRules.h), so the rule sits next to the op instead of in 50
// hand-written inferShapes bodies. Ops whose types do not fit the rule (Pow,
// Where, Cast, CastLike, Dropout) write their own in
// QcElementwiseShapeInference.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_ELEMENTWISE_OPS
#define QUANTC_QC_ELEMENTWISE_OPS

// `inputClass` is an ElementClass (Float, SignedNumeric, Numeric, Integer,
// Bool, NumericOrBool), `result` a ResultElement (Same, Bool). Numeric and
// Integer take unsigned integers too: the lowering (Elementwise.cpp) picks
// the unsigned arith op where the signedness matters.
class Qc_MapOp<string mnemonic, string inputClass, string result = "Same">
    : Qc_OnnxOp<mnemonic, [Qc_RunTimeDims]> {
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferShapes() {
      return ::quantc::qc::inferElementwise(*this,
          ::quantc::qc::ElementClass::}] # inputClass # [{,
          ::quantc::qc::ResultElement::}] # result # [{);
    }
  }];
}

class Qc_UnaryMapOp<string mnemonic, string inputClass, string result = "Same">
    : Qc_MapOp<mnemonic, inputClass, result> {
  let summary = "ONNX " # mnemonic # ", elementwise";
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

class Qc_BinaryMapOp<string mnemonic, string inputClass, string result = "Same">
    : Qc_MapOp<mnemonic, inputClass, result> {
  let summary = "ONNX " # mnemonic # " with numpy-style (multidirectional) broadcasting";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
}

// Max, Min, Sum, Mean: one or more inputs, all broadcast together.
class Qc_VariadicMapOp<string mnemonic, string inputClass>
    : Qc_MapOp<mnemonic, inputClass> {
  let summary = "ONNX " # mnemonic # " of one or more inputs, with broadcasting";
  let arguments = (ins Variadic<AnyTensor>:$data_0);
  let results = (outs AnyTensor:$result);
  // One input of the result's type is the result.
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Arithmetic (folded on constants: shape subgraphs compute with them)
//===----------------------------------------------------------------------===//

foreach name = ["Add", "Sub", "Mul", "Div"] in
def Qc_#name#Op : Qc_BinaryMapOp<name, "Numeric"> {
  let hasFolder = 1;
}

def Qc_ModOp : Qc_BinaryMapOp<"Mod", "Numeric"> {
  let summary = "ONNX Mod: the sign of the divisor (fmod=0) or of the dividend (fmod=1)";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                   DefaultValuedAttr<I64Attr, "0">:$fmod);
  let hasVerifier = 1;
}

def Qc_PowOp : Qc_OnnxOp<"Pow", [Qc_RunTimeDims]> {
  let summary = "ONNX Pow: X to the power Y; the two may have different types";
  let description = [{
    The result has X's type. Integer powers of integers are exact (with the
    wrap-around of the integer type); a float exponent of an integer base is
    computed in f64 and truncated.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$Z);
}

foreach name = ["Max", "Min", "Sum"] in
def Qc_#name#Op : Qc_VariadicMapOp<name, "Numeric">;
def Qc_MeanOp : Qc_VariadicMapOp<"Mean", "Float">;

//===----------------------------------------------------------------------===//
// Unary math
//===----------------------------------------------------------------------===//

foreach name = ["Abs", "Sign"] in
def Qc_#name#Op : Qc_UnaryMapOp<name, "Numeric">;
// ONNX defines Neg and Relu for signed types only.
foreach name = ["Neg", "Relu"] in
def Qc_#name#Op : Qc_UnaryMapOp<name, "SignedNumeric">;

foreach name = ["Floor", "Ceil", "Round", "Reciprocal", "Log", "Exp", "Sqrt",
                "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
                "Tanh", "Asinh", "Acosh", "Atanh", "Erf", "Sigmoid", "Softplus",
                "Softsign", "HardSwish", "Mish"] in
def Qc_#name#Op : Qc_UnaryMapOp<name, "Float">;

def Qc_IsNaNOp : Qc_UnaryMapOp<"IsNaN", "Float", "Bool">;
def Qc_IsInfOp : Qc_UnaryMapOp<"IsInf", "Float", "Bool"> {
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<I64Attr, "1">:$detect_negative,
                   DefaultValuedAttr<I64Attr, "1">:$detect_positive);
}

// Folds on constants: If conditions on shapes are often Not(Equal(...)).
def Qc_NotOp : Qc_UnaryMapOp<"Not", "Bool"> { let hasFolder = 1; }
def Qc_BitwiseNotOp : Qc_UnaryMapOp<"BitwiseNot", "Integer">;

//===----------------------------------------------------------------------===//
// Activations with attributes (defaults are ONNX's)
//===----------------------------------------------------------------------===//

def Qc_LeakyReluOp : Qc_UnaryMapOp<"LeakyRelu", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}
def Qc_EluOp : Qc_UnaryMapOp<"Elu", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def Qc_SeluOp : Qc_UnaryMapOp<"Selu", "Float"> {
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
}
def Qc_CeluOp : Qc_UnaryMapOp<"Celu", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def Qc_HardSigmoidOp : Qc_UnaryMapOp<"HardSigmoid", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}
def Qc_ThresholdedReluOp : Qc_UnaryMapOp<"ThresholdedRelu", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def Qc_ShrinkOp : Qc_UnaryMapOp<"Shrink", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "0.0f">:$bias,
                   DefaultValuedAttr<F32Attr, "0.5f">:$lambd);
}
def Qc_SwishOp : Qc_UnaryMapOp<"Swish", "Float"> {
  let arguments = (ins AnyTensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def Qc_GeluOp : Qc_UnaryMapOp<"Gelu", "Float"> {
  let summary = "ONNX Gelu, exact (approximate=none) or the tanh approximation";
  let arguments = (ins AnyTensor:$X,
                   DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}
def Qc_PReluOp : Qc_BinaryMapOp<"PRelu", "Numeric"> {
  let summary = "ONNX PRelu: x < 0 ? slope * x : x, slope broadcast to X";
  let arguments = (ins AnyTensor:$X, AnyTensor:$slope);
  let results = (outs AnyTensor:$Y);
}

//===----------------------------------------------------------------------===//
// Comparison and logic
//===----------------------------------------------------------------------===//

foreach name = ["Less", "Greater", "LessOrEqual", "GreaterOrEqual"] in
def Qc_#name#Op : Qc_BinaryMapOp<name, "Numeric", "Bool">;
def Qc_EqualOp : Qc_BinaryMapOp<"Equal", "NumericOrBool", "Bool"> {
  // Folded on integer and bool constants (shape subgraphs).
  let hasFolder = 1;
}

foreach name = ["And", "Or", "Xor"] in
def Qc_#name#Op : Qc_BinaryMapOp<name, "Bool">;

foreach name = ["BitwiseAnd", "BitwiseOr", "BitwiseXor"] in
def Qc_#name#Op : Qc_BinaryMapOp<name, "Integer">;

def Qc_BitShiftOp : Qc_BinaryMapOp<"BitShift", "Integer"> {
  let summary = "ONNX BitShift: X shifted LEFT or RIGHT by Y bits";
  let description = [{
    RIGHT is a logical shift of unsigned X and an arithmetic one of signed X.
    A shift by a negative amount or by the bit width or more leaves only the
    sign fill: -1 for a RIGHT shift of a negative signed X, else 0.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y, StrAttr:$direction);
  let results = (outs AnyTensor:$Z);
  let hasVerifier = 1;
}

def Qc_WhereOp : Qc_OnnxOp<"Where", [Qc_RunTimeDims]> {
  let summary = "ONNX Where: condition ? X : Y, the three broadcast together";
  let arguments = (ins AnyTensor:$condition, AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$output);
  // Folded on constants: torch exports expand(-1) as
  // Where(Equal(shape, -1), 1, shape).
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Type conversion and inference-time no-ops
//===----------------------------------------------------------------------===//

def Qc_CastOp : Qc_OnnxOp<"Cast", [Qc_RunTimeDims]> {
  let summary = "ONNX Cast to the TensorProto data type `to`";
  let description = [{
    Targets: float, double, float16, int8-64, uint8-64, bool, bfloat16, the
    float8 types, float4e2m1 and int4/uint4/int2/uint2. `saturate` (float8
    targets) clamps overflow to the largest finite value; `round_mode` ("up",
    "down", "nearest") only concerns float8e8m0 targets.
  }];
  let arguments = (ins AnyTensor:$input, I64Attr:$to,
                   DefaultValuedAttr<I64Attr, "1">:$saturate,
                   DefaultValuedStrAttr<StrAttr, "up">:$round_mode);
  let results = (outs AnyTensor:$output);
  // A cast to the input's own type is the input; small integer constants
  // (shape subgraphs) are converted.
  let hasFolder = 1;
}

def Qc_CastLikeOp : Qc_OnnxOp<"CastLike", [Qc_RunTimeDims]> {
  let summary = "ONNX CastLike: Cast to the element type of target_type";
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                   DefaultValuedAttr<I64Attr, "1">:$saturate,
                   DefaultValuedStrAttr<StrAttr, "up">:$round_mode);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def Qc_DropoutOp : Qc_OnnxOpWithOptionalInputs<"Dropout"> {
  let summary = "ONNX Dropout, inference only: output = data, mask all true";
  let description = [{
    `ratio` is an attribute before opset 12 and an optional input from then
    on (`ratio_input`), as is `training_mode`. Training mode is supported only
    where it changes nothing: training_mode absent or a constant false, or a
    constant ratio of 0. The op folds away once its types are known.
  }];
  let arguments = (ins AnyTensor:$data, Optional<AnyTensor>:$ratio_input,
                   Optional<AnyTensor>:$training_mode,
                   OptionalAttr<F32Attr>:$ratio,
                   OptionalAttr<I64Attr>:$seed);
  let results = (outs AnyTensor:$output, AnyTensor:$mask);
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Why the op is not the identity with an all-true mask ("" when it is):
    /// training mode that is not a constant false with a nonzero ratio.
    std::string whyNotInferenceNoOp();
  }];
}

#endif // QUANTC_QC_ELEMENTWISE_OPS
