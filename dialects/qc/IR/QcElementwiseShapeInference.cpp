//===- QcElementwiseShapeInference.cpp - result types of elementwise ops --===//
//
// The shared broadcasting rule (ElementwiseRules.h), used by every op that
// QcElementwiseOps.td declares with Qc_MapOp, and the few elementwise ops with
// rules of their own: Pow (two element types), Where (a bool condition),
// Cast and CastLike (the result type comes from an attribute or an operand).
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementwiseRules.h"
#include "dialects/qc/IR/OnnxDataTypes.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

/// The numpy broadcast of the shapes of `operands` (ranked), or an error.
FailureOr<SmallVector<int64_t>> broadcastAll(Operation *op,
                                             ValueRange operands) {
  SmallVector<int64_t> shape;
  for (Value v : operands) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t)
      return op->emitOpError() << "has an input of unknown shape";
    SmallVector<int64_t> next;
    if (!broadcastShapes(shape, t.getShape(), next)) {
      auto diag = op->emitOpError() << "shapes ";
      llvm::interleave(
          operands.getTypes(), [&](Type type) { diag << type; },
          [&] { diag << ", "; });
      return diag << " do not broadcast";
    }
    shape = std::move(next);
  }
  return shape;
}

StringRef className(ElementClass cls) {
  switch (cls) {
  case ElementClass::Float:
    return "floating-point";
  case ElementClass::SignedNumeric:
    return "floating-point or signed integer";
  case ElementClass::Numeric:
    return "floating-point or integer";
  case ElementClass::Integer:
    return "integer";
  case ElementClass::Bool:
    return "bool";
  case ElementClass::NumericOrBool:
    return "floating-point, integer or bool";
  }
  return "";
}

/// Cast and CastLike: any supported type to any other.
/// ONNX's rounding modes of a cast to float8e8m0 (other targets ignore it).
LogicalResult checkRoundMode(Operation *op, StringRef mode) {
  if (mode == "up" || mode == "down" || mode == "nearest")
    return success();
  return op->emitOpError() << "round_mode must be 'up', 'down' or 'nearest', "
                              "got '"
                           << mode << "'";
}

LogicalResult inferCast(Operation *op, Type target) {
  auto x = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  if (!x)
    return op->emitOpError() << "input has an unknown shape";
  if (!isInElementClass(x.getElementType(), ElementClass::NumericOrBool) &&
      !isStorageOnlyElementType(x.getElementType()))
    return op->emitOpError() << "cannot cast from " << x.getElementType();
  op->getResult(0).setType(RankedTensorType::get(x.getShape(), target));
  return success();
}

} // namespace

bool quantc::qc::isInElementClass(Type type, ElementClass cls) {
  bool isFloat = type.isF16() || type.isBF16() || type.isF32() || type.isF64();
  bool isBool = type.isSignlessInteger(1);
  auto it = dyn_cast<IntegerType>(type);
  bool isInt = it && llvm::is_contained({8u, 16u, 32u, 64u}, it.getWidth());
  bool isSigned = isInt && it.isSignless();
  bool isUnsigned = isInt && it.isUnsigned();
  switch (cls) {
  case ElementClass::Float:
    return isFloat;
  case ElementClass::SignedNumeric:
    return isFloat || isSigned;
  case ElementClass::Numeric:
    return isFloat || isSigned || isUnsigned;
  case ElementClass::Integer:
    return isSigned || isUnsigned;
  case ElementClass::Bool:
    return isBool;
  case ElementClass::NumericOrBool:
    return isFloat || isSigned || isUnsigned || isBool;
  }
  return false;
}

LogicalResult quantc::qc::inferElementwise(Operation *op, ElementClass cls,
                                           ResultElement result) {
  if (op->getNumOperands() == 0)
    return op->emitOpError() << "needs at least one input";
  auto shape = broadcastAll(op, op->getOperands());
  if (failed(shape))
    return failure();
  Type et = cast<ShapedType>(op->getOperand(0).getType()).getElementType();
  for (Value v : op->getOperands())
    if (cast<ShapedType>(v.getType()).getElementType() != et)
      return op->emitOpError() << "inputs have different element types: " << et
                               << " and "
                               << cast<ShapedType>(v.getType()).getElementType();
  if (!isInElementClass(et, cls))
    return op->emitOpError() << "supports " << className(cls)
                             << " tensors, got element type " << et;
  Type resultType = result == ResultElement::Bool
                        ? IntegerType::get(op->getContext(), 1)
                        : et;
  op->getResult(0).setType(RankedTensorType::get(*shape, resultType));
  return success();
}

LogicalResult PowOp::inferShapes() {
  auto shape = broadcastAll(*this, getOperands());
  if (failed(shape))
    return failure();
  Type base = getX().getType().getElementType();
  Type exponent = getY().getType().getElementType();
  // ONNX: the base is never unsigned, the exponent may be.
  if (!isInElementClass(base, ElementClass::SignedNumeric) ||
      !isInElementClass(exponent, ElementClass::Numeric))
    return emitOpError() << "supports a floating-point or signed integer base "
                            "and a floating-point or integer exponent, got "
                         << base << " and " << exponent;
  getZ().setType(RankedTensorType::get(*shape, base));
  return success();
}

LogicalResult WhereOp::inferShapes() {
  auto shape = broadcastAll(*this, getOperands());
  if (failed(shape))
    return failure();
  Type cond = getCondition().getType().getElementType();
  Type x = getX().getType().getElementType();
  Type y = getY().getType().getElementType();
  if (!cond.isSignlessInteger(1))
    return emitOpError() << "condition must be bool, got " << cond;
  if (x != y)
    return emitOpError() << "X and Y have different element types: " << x
                         << " and " << y;
  if (!isInElementClass(x, ElementClass::NumericOrBool))
    return emitOpError() << "unsupported element type " << x;
  getOutput().setType(RankedTensorType::get(*shape, x));
  return success();
}

LogicalResult CastOp::inferShapes() {
  Type target = onnxElementType(getContext(), getTo());
  if (!target)
    return emitOpError() << "cast to " << onnxDataTypeName(getTo())
                         << " (TensorProto data type " << getTo()
                         << ") is not supported; supported: "
                         << supportedOnnxDataTypes();
  if (failed(checkRoundMode(*this, getRoundMode())))
    return failure();
  return inferCast(*this, target);
}

LogicalResult CastLikeOp::inferShapes() {
  Type target = getTargetType().getType().getElementType();
  if (!isInElementClass(target, ElementClass::NumericOrBool) &&
      !isStorageOnlyElementType(target))
    return emitOpError() << "cast to " << target << " is not supported";
  if (failed(checkRoundMode(*this, getRoundMode())))
    return failure();
  return inferCast(*this, target);
}

LogicalResult ModOp::verify() {
  if (getFmod() != 0 && getFmod() != 1)
    return emitOpError() << "fmod must be 0 or 1, got " << getFmod();
  return success();
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "approximate must be 'none' or 'tanh', got '"
                         << getApproximate() << "'";
  return success();
}

std::string DropoutOp::whyNotInferenceNoOp() {
  if (!getTrainingMode())
    return "";
  DenseIntElementsAttr training;
  if (!matchPattern(getTrainingMode(), m_Constant(&training)) ||
      training.getNumElements() != 1)
    return "training_mode must be a constant (inference only)";
  if ((*training.getValues<APInt>().begin()).isZero())
    return "";
  // Training with ratio 0 keeps every element.
  DenseFPElementsAttr ratio;
  if (getRatioInput() && matchPattern(getRatioInput(), m_Constant(&ratio)) &&
      ratio.getNumElements() == 1 &&
      (*ratio.getValues<APFloat>().begin()).isZero())
    return "";
  return "training_mode=true with a nonzero ratio is not supported (random "
         "dropout; inference only)";
}

LogicalResult DropoutOp::inferShapes() {
  auto x = dyn_cast<RankedTensorType>(getData().getType());
  if (!x)
    return emitOpError() << "input 'data' has an unknown shape";
  if (!isInElementClass(x.getElementType(), ElementClass::Float))
    return emitOpError() << "supports floating-point tensors, got " << x;
  std::string why = whyNotInferenceNoOp();
  if (!why.empty())
    return emitOpError() << why;
  getOutput().setType(x);
  getMask().setType(
      RankedTensorType::get(x.getShape(), IntegerType::get(getContext(), 1)));
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "LEFT" && getDirection() != "RIGHT")
    return emitOpError() << "direction must be 'LEFT' or 'RIGHT', got '"
                         << getDirection() << "'";
  return success();
}
