//===- ScanAndTopK.cpp - CumSum, CumProd and TopK -------------------------===//
//
// Both are written as plain linalg.generic ops with one extra reduction loop
// over the scanned (sorted) dim, instead of scf loops carrying tensors or a
// sort: each output element combines the elements that precede it, or that
// beat it. That costs O(n^2) per row of n elements, which is small for the
// sizes these ops meet in models (sequence positions, class scores); the
// payoff is that the loops stay linalg, so bufferization and later tiling and
// fusion treat them like every other op. A sort-based TopK is the upgrade
// path if large rows (vocabulary-sized) show up in profiles.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

using namespace mlir;
using namespace quantc;

namespace {

/// The map of an iteration space of rank + 1 loops that reads a tensor of
/// `rank` dims with dim `axis` replaced by the extra (last) loop.
AffineMap alongExtraLoop(MLIRContext *ctx, unsigned rank, int64_t axis) {
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < rank; ++i)
    exprs.push_back(getAffineDimExpr(i == axis ? rank : i, ctx));
  return AffineMap::get(rank + 1, 0, exprs, ctx);
}

/// The first `rank` loops of an iteration space of rank + 1 loops.
AffineMap firstLoops(MLIRContext *ctx, unsigned rank) {
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < rank; ++i)
    exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank + 1, 0, exprs, ctx);
}

template <typename CumulativeOp, bool isProduct>
struct CumulativeLowering : OpRewritePattern<CumulativeOp> {
  using OpRewritePattern<CumulativeOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(CumulativeOp op,
                                PatternRewriter &rewriter) const override {
    auto axisOr = op.getScanAxis();
    if (failed(axisOr))
      return failure();
    int64_t axis = *axisOr;
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    unsigned rank = type.getRank();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    // y[.., i, ..] combines x[.., j, ..] over the j (last loop) that precede
    // i in scan order: j <= i, or j < i when exclusive; mirrored for reverse.
    arith::CmpIPredicate pred =
        reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
                : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
    Value identity = scalarConstant(rewriter, loc, et, isProduct ? 1 : 0);
    Value init = filledTensor(rewriter, loc, type, identity);
    SmallVector<unsigned> reduction{rank};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getX(), init,
        {alongExtraLoop(ctx, rank, axis), firstLoops(ctx, rank)},
        iteratorTypes(rank + 1, reduction),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value included = arith::CmpIOp::create(b, l, pred, j, i);
          Value combined;
          if (isa<FloatType>(et))
            combined = isProduct ? (Value)arith::MulFOp::create(b, l, a[1], a[0])
                                 : (Value)arith::AddFOp::create(b, l, a[1], a[0]);
          else
            combined = isProduct ? (Value)arith::MulIOp::create(b, l, a[1], a[0])
                                 : (Value)arith::AddIOp::create(b, l, a[1], a[0]);
          linalg::YieldOp::create(
              b, l, ValueRange{arith::SelectOp::create(b, l, included, combined, a[1])});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct TopKLowering : OpConversionPattern<qc::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getX();
    bool isUnsigned = isUnsignedElement(op.getX().getType());
    auto inType = cast<RankedTensorType>(x.getType());
    auto valuesType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getValues().getType()));
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    Type et = inType.getElementType();
    Type i64 = rewriter.getI64Type();
    unsigned rank = inType.getRank();
    int64_t axis = *qc::normalizeAxis(op.getAxis(), rank);
    bool largest = op.getLargest() != 0;

    // 1. The rank of every element along the axis: how many elements beat
    // it. j beats i when its value is larger (smaller), or equal with a lower
    // index, so ranks are a permutation of 0..n-1 and ties keep index order.
    auto rankType = inType.clone(i64);
    auto ranks = linalg::GenericOp::create(
        rewriter, loc, rankType, ValueRange{x, x},
        filledTensor(rewriter, loc, rankType, scalarConstant(rewriter, loc, i64, 0)),
        {firstLoops(ctx, rank), alongExtraLoop(ctx, rank, axis), firstLoops(ctx, rank)},
        iteratorTypes(rank + 1, {rank}),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value xi = a[0], xj = a[1];
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value strictly, equal;
          if (isa<FloatType>(et)) {
            strictly = arith::CmpFOp::create(
                b, l, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                xj, xi);
            equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, xj, xi);
          } else {
            strictly = arith::CmpIOp::create(
                b, l,
                withSignedness(largest ? arith::CmpIPredicate::sgt
                                       : arith::CmpIPredicate::slt,
                               isUnsigned),
                xj, xi);
            equal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, xj, xi);
          }
          Value before = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j, i);
          Value beats = arith::OrIOp::create(
              b, l, strictly, arith::AndIOp::create(b, l, equal, before));
          Value one = arith::ExtUIOp::create(b, l, i64, beats);
          linalg::YieldOp::create(b, l, ValueRange{arith::AddIOp::create(b, l, a[2], one)});
        });

    // 2. Output position r (< K) takes the element of rank r: a reduction
    // over the input positions (the extra loop) that selects the one match.
    auto outputs = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType},
        ValueRange{x, ranks.getResult(0)},
        ValueRange{filledTensor(rewriter, loc, valuesType,
                                scalarConstant(rewriter, loc, et, 0)),
                   filledTensor(rewriter, loc, indicesType,
                                scalarConstant(rewriter, loc, i64, 0))},
        {alongExtraLoop(ctx, rank, axis), alongExtraLoop(ctx, rank, axis),
         firstLoops(ctx, rank), firstLoops(ctx, rank)},
        iteratorTypes(rank + 1, {rank}),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value r = arith::IndexCastOp::create(b, l, i64,
                                               linalg::IndexOp::create(b, l, axis));
          Value j = arith::IndexCastOp::create(b, l, i64,
                                               linalg::IndexOp::create(b, l, rank));
          Value match = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], r);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, match, a[0], a[2]),
                         arith::SelectOp::create(b, l, match, j, a[3])});
        });
    rewriter.replaceOp(op, outputs.getResults());
    return success();
  }
};

} // namespace

void quantc::populateScanAndTopKPatterns(RewritePatternSet &patterns,
                                         const TypeConverter &converter) {
  patterns.add<CumulativeLowering<qc::CumSumOp, false>,
               CumulativeLowering<qc::CumProdOp, true>>(patterns.getContext());
  patterns.add<TopKLowering>(converter, patterns.getContext());
}
