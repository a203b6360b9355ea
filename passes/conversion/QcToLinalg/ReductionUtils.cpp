//===- ReductionUtils.cpp - building blocks of reductions -----------------===//
#include "passes/conversion/QcToLinalg/ReductionUtils.h"

using namespace mlir;

namespace quantc {

AffineMap keptDimsMap(MLIRContext *ctx, unsigned rank,
                      ArrayRef<int64_t> reducedDims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < rank; ++i)
    if (!llvm::is_contained(reducedDims, (int64_t)i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

SmallVector<Value> buildReductions(OpBuilder &b, Location loc,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> reducedDims,
                                   ValueRange inputs, ArrayRef<AffineMap> maps,
                                   ValueRange inits, ScalarBodiesFn body) {
  SmallVector<int64_t> keptShape;
  SmallVector<unsigned> reductions;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (llvm::is_contained(reducedDims, (int64_t)i))
      reductions.push_back(i);
    else
      keptShape.push_back(d);
  }
  AffineMap kept = keptDimsMap(b.getContext(), shape.size(), reducedDims);
  // Every result has the kept dims' shape: their run-time sizes, once.
  SmallVector<Value> sizes = dynamicSizesFromMaps(
      b, loc, RankedTensorType::get(keptShape, inits.front().getType()), kept,
      inputs, maps);
  SmallVector<Type> resultTypes;
  SmallVector<Value> filled;
  for (Value init : inits) {
    auto type = RankedTensorType::get(keptShape, init.getType());
    resultTypes.push_back(type);
    filled.push_back(filledTensor(b, loc, type, init, sizes));
  }
  SmallVector<AffineMap> allMaps(maps);
  allMaps.append(inits.size(), kept);
  return linalg::GenericOp::create(
             b, loc, resultTypes, inputs, filled, allMaps,
             iteratorTypes(shape.size(), reductions),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
             })
      .getResults();
}

Value buildReduction(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                     ArrayRef<int64_t> reducedDims, ValueRange inputs,
                     ArrayRef<AffineMap> maps, Value init, ScalarBodyFn body) {
  return buildReductions(b, loc, shape, reducedDims, inputs, maps, init,
                         [&](OpBuilder &nb, Location nloc, ValueRange args) {
                           return SmallVector<Value>{body(nb, nloc, args)};
                         })[0];
}

Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> reducedDims, Value init,
                     ScalarBodyFn body) {
  auto type = cast<RankedTensorType>(input.getType());
  return buildReduction(b, loc, type.getShape(), reducedDims, input,
                        b.getMultiDimIdentityMap(type.getRank()), init, body);
}

Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (v.getType() == to)
    return v;
  if (from < width)
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value convertFloatTensor(OpBuilder &b, Location loc, Value v, Type to) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == to)
    return v;
  return buildElementwise(b, loc, type.clone(to), v,
                          [&](OpBuilder &nb, Location l, ValueRange a) {
                            return convertFloat(nb, l, a[0], to);
                          });
}

Value linearIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  ArrayRef<int64_t> dims) {
  Value linear = arith::ConstantIndexOp::create(b, loc, 0);
  for (int64_t d : dims) {
    Value size = arith::ConstantIndexOp::create(b, loc, shape[d]);
    Value index = linalg::IndexOp::create(b, loc, d);
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, size), index);
  }
  return linear;
}

Value reducedCountValue(OpBuilder &b, Location loc, Value x,
                        ArrayRef<int64_t> reducedDims) {
  Value n = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d : reducedDims)
    n = arith::MulIOp::create(b, loc, n, dimSize(b, loc, x, d));
  return n;
}

Value indexToFloat(OpBuilder &b, Location loc, Value index, Type floatType) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  return arith::SIToFPOp::create(b, loc, floatType, i64);
}

/// Divides a reduced sum (kept dims) by the number of elements it combined,
/// `n` (an index).
static Value divideByCount(OpBuilder &b, Location loc, Value sum, Value n) {
  auto type = cast<RankedTensorType>(sum.getType());
  Value count = indexToFloat(b, loc, n, type.getElementType());
  return buildElementwise(b, loc, type, sum,
                          [&](OpBuilder &nb, Location l, ValueRange a) {
                            return (Value)arith::DivFOp::create(nb, l, a[0],
                                                                count);
                          });
}

Moments buildMoments(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> reducedDims) {
  auto type = cast<RankedTensorType>(x.getType());
  Type et = type.getElementType();
  Value n = reducedCountValue(b, loc, x, reducedDims);
  auto add = [](OpBuilder &nb, Location l, ValueRange a) {
    return (Value)arith::AddFOp::create(nb, l, a[0], a[1]);
  };
  Value zero = scalarConstant(b, loc, et, 0);
  Value mean =
      divideByCount(b, loc, buildReduction(b, loc, x, reducedDims, zero, add), n);
  // The second pass sums squared deviations: no cancellation as in
  // E[x^2] - E[x]^2.
  unsigned rank = type.getRank();
  Value squares = buildReduction(
      b, loc, type.getShape(), reducedDims, ValueRange{x, mean},
      {b.getMultiDimIdentityMap(rank),
       keptDimsMap(b.getContext(), rank, reducedDims)},
      zero, [](OpBuilder &nb, Location l, ValueRange a) {
        Value d = arith::SubFOp::create(nb, l, a[0], a[1]);
        return (Value)arith::AddFOp::create(
            nb, l, a[2], arith::MulFOp::create(nb, l, d, d));
      });
  return {mean, divideByCount(b, loc, squares, n)};
}

Value buildMeanOfSquares(OpBuilder &b, Location loc, Value x,
                         ArrayRef<int64_t> reducedDims) {
  auto type = cast<RankedTensorType>(x.getType());
  Value zero = scalarConstant(b, loc, type.getElementType(), 0);
  Value sum = buildReduction(b, loc, x, reducedDims, zero,
                             [](OpBuilder &nb, Location l, ValueRange a) {
                               return (Value)arith::AddFOp::create(
                                   nb, l, a[1],
                                   arith::MulFOp::create(nb, l, a[0], a[0]));
                             });
  return divideByCount(b, loc, sum, reducedCountValue(b, loc, x, reducedDims));
}

} // namespace quantc
