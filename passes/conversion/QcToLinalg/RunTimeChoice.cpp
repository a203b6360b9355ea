//===- RunTimeChoice.cpp - picking among static lowerings at run time -----===//

#include "passes/conversion/QcToLinalg/RunTimeChoice.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <limits>

using namespace mlir;

namespace quantc {

namespace {
/// Element `k` of an integer tensor of run-time values as a normalized i64
/// axis, or `rank` when it is out of [-rank, rank).
Value normalizedAxis(OpBuilder &b, Location loc, Value axes, int64_t k,
                     int64_t rank) {
  auto type = cast<RankedTensorType>(axes.getType());
  Type i64 = b.getI64Type();
  auto constant = [&](int64_t v) {
    return (Value)arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  };
  Value zero = constant(0), rankValue = constant(rank);
  SmallVector<Value> indices;
  if (type.getRank() == 1)
    indices.push_back(arith::ConstantIndexOp::create(b, loc, k));
  Value axis = tensor::ExtractOp::create(b, loc, axes, indices);
  if (axis.getType() != i64)
    axis = arith::ExtSIOp::create(b, loc, i64, axis);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis, zero);
  axis = arith::SelectOp::create(
      b, loc, negative, arith::AddIOp::create(b, loc, axis, rankValue), axis);
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, axis, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, axis,
                            rankValue));
  return arith::SelectOp::create(b, loc, inRange, axis, rankValue);
}
} // namespace

Value axisSetMask(OpBuilder &b, Location loc, Value axes, int64_t rank) {
  auto type = cast<RankedTensorType>(axes.getType());
  Value one = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(1));
  Value mask = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
  for (int64_t k = 0; k < type.getDimSize(0); ++k)
    mask = arith::OrIOp::create(
        b, loc, mask,
        arith::ShLIOp::create(b, loc, one,
                              normalizedAxis(b, loc, axes, k, rank)));
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), mask);
}

Value runTimeAxis(OpBuilder &b, Location loc, Value axis, int64_t rank) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                    normalizedAxis(b, loc, axis, 0, rank));
}

int64_t axisSetMask(ArrayRef<int64_t> axes) {
  int64_t mask = 0;
  for (int64_t a : axes)
    mask |= int64_t(1) << a;
  return mask;
}

Value buildRunTimeChoice(
    OpBuilder &b, Location loc, Value selector, ArrayRef<int64_t> caseValues,
    Type resultType, function_ref<Value(OpBuilder &, unsigned)> buildCase,
    function_ref<Value(OpBuilder &)> buildDefault) {
  auto choice = scf::IndexSwitchOp::create(b, loc, TypeRange{resultType},
                                           selector, caseValues,
                                           caseValues.size());
  auto fill = [&](Region &region, function_ref<Value(OpBuilder &)> build) {
    OpBuilder::InsertionGuard guard(b);
    b.createBlock(&region);
    Value result = build(b);
    if (result.getType() != resultType)
      result = tensor::CastOp::create(b, loc, resultType, result);
    scf::YieldOp::create(b, loc, result);
  };
  for (unsigned i = 0; i < caseValues.size(); ++i)
    fill(choice.getCaseRegions()[i],
         [&](OpBuilder &nb) { return buildCase(nb, i); });
  fill(choice.getDefaultRegion(), buildDefault);
  return choice.getResult(0);
}

Value invalidChoiceResult(OpBuilder &b, Location loc, RankedTensorType type) {
  Type et = type.getElementType();
  Value fillValue =
      isa<FloatType>(et)
          ? scalarConstant(b, loc, et,
                           std::numeric_limits<double>::quiet_NaN())
          : scalarConstant(b, loc, et, 0);
  SmallVector<Value> sizes(type.getNumDynamicDims(),
                           arith::ConstantIndexOp::create(b, loc, 1));
  return filledTensor(b, loc, type, fillValue, sizes);
}

} // namespace quantc
