//===- QcElementwiseFolds.cpp - folds of elementwise ops ------------------===//
//
// Elementwise ops that are the identity fold to their input at the qc level,
// so that the graph passes (and the entry-point export, which must copy an
// output that is an input) see the value they really return. Integer casts
// of constants fold too: shape subgraphs cast between int32 and int64, and
// Not of constants, which If conditions on shapes use.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

constexpr int64_t kMaxFoldElements = 1 << 16;

/// The single operand of a variadic op when it is the result.
OpFoldResult foldSingleOperand(Operation *op) {
  if (op->getNumOperands() == 1 &&
      op->getOperand(0).getType() == op->getResult(0).getType())
    return op->getOperand(0);
  return {};
}

} // namespace

OpFoldResult MaxOp::fold(FoldAdaptor) { return foldSingleOperand(*this); }
OpFoldResult MinOp::fold(FoldAdaptor) { return foldSingleOperand(*this); }
OpFoldResult SumOp::fold(FoldAdaptor) { return foldSingleOperand(*this); }
OpFoldResult MeanOp::fold(FoldAdaptor) { return foldSingleOperand(*this); }

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto type = dyn_cast<RankedTensorType>(getType());
  auto value = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  if (!type || !type.hasStaticShape() || !value ||
      value.getNumElements() > kMaxFoldElements ||
      !isa<IntegerType>(type.getElementType()))
    return {};
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  // Bool and unsigned sources widen with zeros, signed ones with the sign.
  bool zeroExtend = value.getElementType().isInteger(1) ||
                    value.getElementType().isUnsignedInteger();
  return value.mapValues(type.getElementType(), [&](const APInt &v) {
    if (width == 1)
      return APInt(1, !v.isZero());
    return zeroExtend ? v.zextOrTrunc(width) : v.sextOrTrunc(width);
  });
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  auto value = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getX());
  if (!type || !type.hasStaticShape() || !value ||
      value.getNumElements() > kMaxFoldElements ||
      !value.getElementType().isInteger(1))
    return {};
  return value.mapValues(value.getElementType(),
                         [](const APInt &v) { return ~v; });
}

OpFoldResult CastLikeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult DropoutOp::fold(FoldAdaptor,
                              SmallVectorImpl<OpFoldResult> &results) {
  auto maskType = dyn_cast<RankedTensorType>(getMask().getType());
  if (getData().getType() != getOutput().getType() || !maskType ||
      !maskType.hasStaticShape() || !whyNotInferenceNoOp().empty())
    return failure();
  results.push_back(getData());
  results.push_back(DenseElementsAttr::get(maskType, true));
  return success();
}
