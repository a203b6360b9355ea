//===- LoweringUtils.cpp - shared pieces of the qc -> linalg lowering -----===//
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace quantc {

AffineMap broadcastMap(RankedTensorType input, ArrayRef<int64_t> outShape) {
  MLIRContext *ctx = input.getContext();
  int64_t offset = outShape.size() - input.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    bool broadcast = input.getDimSize(d) == 1 && outShape[offset + d] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + d, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

SmallVector<utils::IteratorType> iteratorTypes(unsigned numLoops,
                                               ArrayRef<unsigned> reductions) {
  SmallVector<utils::IteratorType> types(numLoops,
                                         utils::IteratorType::parallel);
  for (unsigned r : reductions)
    types[r] = utils::IteratorType::reduction;
  return types;
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBodyFn body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(in.getType()), resultType.getShape()));
  return buildElementwiseWithMaps(b, loc, resultType, inputs, maps, body);
}

Value buildElementwiseWithMaps(OpBuilder &b, Location loc,
                               RankedTensorType resultType, ValueRange inputs,
                               ArrayRef<AffineMap> inputMaps, ScalarBodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps,
      iteratorTypes(resultType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f, value));
  return arith::ConstantOp::create(b, loc,
                                   b.getIntegerAttr(type, (int64_t)value));
}

Value clampedIndex(OpBuilder &b, Location loc, Value index, int64_t dim) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value size = arith::ConstantIndexOp::create(b, loc, dim);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value isNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  idx = arith::SelectOp::create(b, loc, isNeg,
                                arith::AddIOp::create(b, loc, idx, size), idx);
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  return arith::MinSIOp::create(
      b, loc, idx, arith::ConstantIndexOp::create(b, loc, std::max<int64_t>(dim - 1, 0)));
}

Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

Value negativeInfinity(OpBuilder &b, Location loc, FloatType type) {
  return arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(type, APFloat::getInf(type.getFloatSemantics(), /*Negative=*/true)));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lows(2, 0), highs(2, 0), shape(type.getShape());
  lows.append(low.begin(), low.end());
  highs.append(high.begin(), high.end());
  for (size_t i = 0; i < low.size(); ++i)
    shape[i + 2] += low[i] + high[i];
  auto padded = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lo, hi;
  for (size_t i = 0; i < lows.size(); ++i) {
    lo.push_back(b.getIndexAttr(lows[i]));
    hi.push_back(b.getIndexAttr(highs[i]));
  }
  return tensor::PadOp::create(b, loc, padded, input, lo, hi, padValue);
}

Value reshapeStatic(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type == resultType)
    return input;
  // Go through a 1-D tensor of all elements: any static reshape is a full
  // collapse followed by a full expand, and both are views after
  // bufferization. A rank-0 side needs no reassociation at all.
  int64_t n = type.getNumElements();
  auto flatType = RankedTensorType::get({n}, type.getElementType());
  auto all = [](int64_t rank) {
    SmallVector<ReassociationIndices> r;
    if (rank == 0)
      return r;
    ReassociationIndices one;
    for (int64_t i = 0; i < rank; ++i)
      one.push_back(i);
    r.push_back(one);
    return r;
  };
  Value flat = input;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input, all(0));
  else if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           all(type.getRank()));
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat, all(0));
  if (resultType.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       all(resultType.getRank()));
}

} // namespace quantc
