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
#include "passes/conversion/QcToLinalg/RunTimeChoice.h"
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

/// The inclusive (or exclusive, or reversed) running sum or product of `x`
/// along `axis`.
Value scan(OpBuilder &b, Location loc, Value x, int64_t axis, bool exclusive,
           bool reverse, bool isProduct) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  Type et = type.getElementType();
  unsigned rank = type.getRank();
  // y[.., i, ..] combines x[.., j, ..] over the j (last loop) that precede
  // i in scan order: j <= i, or j < i when exclusive; mirrored for reverse.
  arith::CmpIPredicate pred =
      reverse ? (exclusive ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::sge)
              : (exclusive ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sle);
  Value identity = scalarConstant(b, loc, et, isProduct ? 1 : 0);
  Value init = filledTensor(b, loc, type, identity);
  SmallVector<unsigned> reduction{rank};
  auto generic = linalg::GenericOp::create(
      b, loc, type, x, init,
      {alongExtraLoop(ctx, rank, axis), firstLoops(ctx, rank)},
      iteratorTypes(rank + 1, reduction),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value i = linalg::IndexOp::create(nb, l, axis);
        Value j = linalg::IndexOp::create(nb, l, rank);
        Value included = arith::CmpIOp::create(nb, l, pred, j, i);
        Value combined;
        if (isa<FloatType>(et))
          combined = isProduct ? (Value)arith::MulFOp::create(nb, l, a[1], a[0])
                               : (Value)arith::AddFOp::create(nb, l, a[1], a[0]);
        else
          combined = isProduct ? (Value)arith::MulIOp::create(nb, l, a[1], a[0])
                               : (Value)arith::AddIOp::create(nb, l, a[1], a[0]);
        linalg::YieldOp::create(
            nb, l, ValueRange{arith::SelectOp::create(nb, l, included, combined, a[1])});
      });
  return generic.getResult(0);
}

template <typename CumulativeOp, bool isProduct>
struct CumulativeLowering : OpRewritePattern<CumulativeOp> {
  using OpRewritePattern<CumulativeOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(CumulativeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getX();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    if (!qc::constantInts(op.getAxis())) {
      // The axis is only known at run time: one scan per possible axis.
      auto type = cast<RankedTensorType>(op.getType());
      int64_t rank = type.getRank();
      auto axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
      rewriter.replaceOp(
          op, buildRunTimeChoice(
                  rewriter, loc, runTimeAxis(rewriter, loc, op.getAxis(), rank),
                  axes, type,
                  [&](OpBuilder &b, unsigned i) {
                    return scan(b, loc, x, axes[i], exclusive, reverse,
                                isProduct);
                  },
                  [&](OpBuilder &b) {
                    return invalidChoiceResult(b, loc, type);
                  }));
      return success();
    }
    auto axis = op.getScanAxis();
    if (failed(axis))
      return failure();
    rewriter.replaceOp(
        op, scan(rewriter, loc, x, *axis, exclusive, reverse, isProduct));
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
    // Run-time dims: X's, and K along the axis (clamped to [0, n] so that a
    // bad K cannot make the results larger than X).
    SmallVector<Value> xSizes = dimSizes(rewriter, loc, x);
    Value k = xSizes[axis];
    if (valuesType.isDynamicDim(axis)) {
      Value kValue = arith::IndexCastOp::create(
          rewriter, loc, rewriter.getIndexType(),
          extractScalar(rewriter, loc, adaptor.getK()));
      k = arith::MinSIOp::create(
          rewriter, loc,
          arith::MaxSIOp::create(rewriter, loc, kValue,
                                 arith::ConstantIndexOp::create(rewriter, loc, 0)),
          k);
    }
    auto sizesOf = [&](RankedTensorType type, bool isResult) {
      return dynamicSizes(type, [&](int64_t d) {
        return isResult && d == axis ? k : xSizes[d];
      });
    };

    // 1. The rank of every element along the axis: how many elements beat
    // it. j beats i when its value is larger (smaller), or equal with a lower
    // index, so ranks are a permutation of 0..n-1 and ties keep index order.
    auto rankType = inType.clone(i64);
    auto ranks = linalg::GenericOp::create(
        rewriter, loc, rankType, ValueRange{x, x},
        filledTensor(rewriter, loc, rankType, scalarConstant(rewriter, loc, i64, 0),
                     sizesOf(rankType, false)),
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
                                scalarConstant(rewriter, loc, et, 0),
                                sizesOf(valuesType, true)),
                   filledTensor(rewriter, loc, indicesType,
                                scalarConstant(rewriter, loc, i64, 0),
                                sizesOf(indicesType, true))},
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
