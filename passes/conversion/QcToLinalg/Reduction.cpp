//===- Reduction.cpp - Reduce*, ArgMax/ArgMin, LogSoftmax, Hardmax --------===//
//
// Each reduction is one linalg.generic with reduction iterators over the
// input (ReductionUtils.h), with the elementwise part of the op (abs, square,
// sqrt, log) folded into its body or applied to the small reduced result.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"
#include "passes/conversion/QcToLinalg/RunTimeChoice.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// |x|; unsigned integers are their own.
Value absolute(OpBuilder &b, Location loc, Value x, bool isUnsigned) {
  if (isFloat(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  if (isUnsigned)
    return x;
  // max(x, -x) with arith: the CPU pipeline has no lowering for math.absi.
  Value zero = scalarConstant(b, loc, x.getType(), 0);
  return arith::MaxSIOp::create(b, loc, x, arith::SubIOp::create(b, loc, zero, x));
}

enum class ReduceKind {
  Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare
};

/// The reduced value (kept dims only) of a plain fold: init, the per-element
/// term, and the combination. `x` is signless; `isUnsigned` says how its
/// integers compare.
Value foldReduce(OpBuilder &b, Location loc, ReduceKind kind, Value x,
                 ArrayRef<int64_t> dims, bool isUnsigned = false) {
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  Value init;
  switch (kind) {
  case ReduceKind::Max:
    init = extremeValue(b, loc, et, /*highest=*/false, isUnsigned);
    break;
  case ReduceKind::Min:
    init = extremeValue(b, loc, et, /*highest=*/true, isUnsigned);
    break;
  case ReduceKind::Prod:
    init = scalarConstant(b, loc, et, 1);
    break;
  default:
    init = scalarConstant(b, loc, et, 0);
  }
  return buildReduction(b, loc, x, dims, init,
                        [&](OpBuilder &nb, Location l, ValueRange a) {
                          Value v = a[0], acc = a[1];
                          switch (kind) {
                          case ReduceKind::Max:
                          case ReduceKind::Min:
                            return maxOrMin(nb, l, v, acc,
                                            kind == ReduceKind::Max,
                                            isUnsigned);
                          case ReduceKind::Prod:
                            return mul(nb, l, v, acc);
                          case ReduceKind::L1:
                            return add(nb, l, absolute(nb, l, v, isUnsigned),
                                       acc);
                          case ReduceKind::L2:
                          case ReduceKind::SumSquare:
                            return add(nb, l, mul(nb, l, v, v), acc);
                          default:
                            return add(nb, l, v, acc);
                          }
                        });
}

/// log(sum(exp(x))) computed as m + log(sum(exp(x - m))) with m the max, so
/// that exp cannot overflow. m is replaced by 0 where it is infinite (all
/// -inf, an empty set, or a +inf element), where the shift would give
/// inf - inf = NaN and the unshifted sum is already exact.
Value logSumExp(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(x.getType());
  Type et = type.getElementType();
  unsigned rank = type.getRank();
  Value max = foldReduce(b, loc, ReduceKind::Max, x, dims);
  auto maxType = cast<RankedTensorType>(max.getType());
  Value shift = buildElementwise(
      b, loc, maxType, max, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value inf = extremeValue(nb, l, et, /*highest=*/true,
                                 /*isUnsigned=*/false);
        Value isInf = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                            math::AbsFOp::create(nb, l, a[0]), inf);
        return (Value)arith::SelectOp::create(
            nb, l, isInf, scalarConstant(nb, l, et, 0), a[0]);
      });
  Value sum = buildReduction(
      b, loc, type.getShape(), dims, ValueRange{x, shift},
      {b.getMultiDimIdentityMap(rank), keptDimsMap(b.getContext(), rank, dims)},
      scalarConstant(b, loc, et, 0),
      [](OpBuilder &nb, Location l, ValueRange a) {
        Value e = math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, a[0], a[1]));
        return (Value)arith::AddFOp::create(nb, l, a[2], e);
      });
  return buildElementwise(b, loc, maxType, ValueRange{sum, shift},
                          [](OpBuilder &nb, Location l, ValueRange a) {
                            return (Value)arith::AddFOp::create(
                                nb, l, math::LogOp::create(nb, l, a[0]), a[1]);
                          });
}

/// The reduction of `x` over `dims` (kept dims only), with the elementwise
/// part of the op applied.
Value reduce(OpBuilder &b, Location loc, ReduceKind kind, Value x,
             ArrayRef<int64_t> dims, bool isUnsigned) {
  if (kind == ReduceKind::LogSumExp)
    return logSumExp(b, loc, x, dims);
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  Value reduced = foldReduce(b, loc, kind, x, dims, isUnsigned);
  auto type = cast<RankedTensorType>(reduced.getType());
  auto post = [&](ScalarBodyFn fn) {
    reduced = buildElementwise(b, loc, type, reduced, fn);
  };
  if (kind == ReduceKind::Mean && isFloat(et)) {
    Value n = indexToFloat(b, loc, reducedCountValue(b, loc, x, dims), et);
    post([&](OpBuilder &nb, Location l, ValueRange a) {
      return (Value)arith::DivFOp::create(nb, l, a[0], n);
    });
  } else if (kind == ReduceKind::Mean) {
    // numpy's integer mean truncates toward zero, as divsi (divui); an
    // empty set (n = 0) gives the sum, 0, instead of a division by zero.
    Value count = reducedCountValue(b, loc, x, dims);
    count = arith::MaxSIOp::create(b, loc, count,
                                   arith::ConstantIndexOp::create(b, loc, 1));
    Value n = arith::IndexCastOp::create(b, loc, et, count);
    post([&](OpBuilder &nb, Location l, ValueRange a) {
      return isUnsigned ? (Value)arith::DivUIOp::create(nb, l, a[0], n)
                        : (Value)arith::DivSIOp::create(nb, l, a[0], n);
    });
  } else if (kind == ReduceKind::L2) {
    post([](OpBuilder &nb, Location l, ValueRange a) {
      return (Value)math::SqrtOp::create(nb, l, a[0]);
    });
  } else if (kind == ReduceKind::LogSum) {
    post([](OpBuilder &nb, Location l, ValueRange a) {
      return (Value)math::LogOp::create(nb, l, a[0]);
    });
  }
  return reduced;
}

/// The reduction over `dims` shaped as the op's result would be with those
/// axes: reduced dims become 1 (keepdims) or disappear.
Value reduceToShape(OpBuilder &b, Location loc, ReduceKind kind, Value x,
                    ArrayRef<int64_t> dims, bool isUnsigned, bool keepDims) {
  Value reduced = reduce(b, loc, kind, x, dims, isUnsigned);
  auto inType = cast<RankedTensorType>(x.getType());
  return reshapeUnitDims(
      b, loc, reduced,
      inType.clone(qc::reducedShape(inType.getShape(), dims, keepDims)));
}

template <typename ReduceOp, ReduceKind kind>
struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using Base = OpConversionPattern<ReduceOp>;
  using Base::Base;
  LogicalResult
  matchAndRewrite(ReduceOp op, typename Base::OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getData();
    bool isUnsigned = isUnsignedElement(op.getData().getType());
    bool keepDims = op.getKeepdims() != 0;
    auto type = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    std::optional<int64_t> runTimeAxes;
    if (op.getAxesInput() && !op.getAxes())
      runTimeAxes = qc::runTimeListLength(op.getAxesInput());
    if (runTimeAxes && *runTimeAxes > 0) {
      // One static reduction per possible axis set, picked by the set's
      // mask (shape inference bounded their number).
      int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
      auto sets = qc::axisSubsets(rank, *runTimeAxes);
      SmallVector<int64_t> masks;
      for (auto &set : sets)
        masks.push_back(axisSetMask(set));
      Value mask = axisSetMask(rewriter, loc, adaptor.getAxesInput(), rank);
      rewriter.replaceOp(
          op, buildRunTimeChoice(
                  rewriter, loc, mask, masks, type,
                  [&](OpBuilder &b, unsigned i) {
                    return reduceToShape(b, loc, kind, x, sets[i], isUnsigned,
                                         keepDims);
                  },
                  [&](OpBuilder &b) {
                    return invalidChoiceResult(b, loc, type);
                  }));
      return success();
    }
    auto dims = op.getReducedDims();
    if (failed(dims))
      return failure();
    Value reduced = reduce(rewriter, loc, kind, x, *dims, isUnsigned);
    rewriter.replaceOp(op, reshapeUnitDims(rewriter, loc, reduced, type));
    return success();
  }
};

/// The first (or, with selectLast, the last) position of the max (or min)
/// of `x` over `dims`, counted row-major within those dims, as i64 of the
/// kept dims. One generic with two results: the running extreme and its
/// position.
Value argExtreme(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> dims,
                 bool isMax, bool selectLast, bool isUnsigned = false) {
  auto type = cast<RankedTensorType>(x.getType());
  Type et = type.getElementType();
  unsigned rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> keptShape;
  SmallVector<unsigned> reductions;
  for (unsigned i = 0; i < rank; ++i) {
    if (llvm::is_contained(dims, (int64_t)i))
      reductions.push_back(i);
    else
      keptShape.push_back(type.getDimSize(i));
  }
  auto valueType = RankedTensorType::get(keptShape, et);
  auto indexType = RankedTensorType::get(keptShape, b.getI64Type());
  // Start below (above) every value so that the first element always wins.
  Value valueInit = filledTensor(b, loc, valueType,
                                 extremeValue(b, loc, et, !isMax, isUnsigned));
  Value indexInit = filledTensor(b, loc, indexType, scalarConstant(b, loc, b.getI64Type(), 0));
  AffineMap kept = keptDimsMap(ctx, rank, dims);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valueType, indexType}, x, ValueRange{valueInit, indexInit},
      {b.getMultiDimIdentityMap(rank), kept, kept},
      iteratorTypes(rank, reductions),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = a[0], best = a[1], bestIndex = a[2];
        // Strict comparison keeps the first extreme, non-strict the last.
        Value better;
        if (isFloat(et)) {
          auto pred = isMax ? (selectLast ? arith::CmpFPredicate::OGE
                                          : arith::CmpFPredicate::OGT)
                            : (selectLast ? arith::CmpFPredicate::OLE
                                          : arith::CmpFPredicate::OLT);
          better = arith::CmpFOp::create(nb, l, pred, v, best);
        } else {
          auto pred = isMax ? (selectLast ? arith::CmpIPredicate::sge
                                          : arith::CmpIPredicate::sgt)
                            : (selectLast ? arith::CmpIPredicate::sle
                                          : arith::CmpIPredicate::slt);
          better = arith::CmpIOp::create(
              nb, l, withSignedness(pred, isUnsigned), v, best);
        }
        Value index = arith::IndexCastOp::create(
            nb, l, nb.getI64Type(), linearIndex(nb, l, type.getShape(), dims));
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, better, v, best),
                       arith::SelectOp::create(nb, l, better, index, bestIndex)});
      });
  return generic.getResult(1);
}

template <typename ArgOp, bool isMax>
struct ArgReduceLowering : OpConversionPattern<ArgOp> {
  using Base = OpConversionPattern<ArgOp>;
  using Base::Base;
  LogicalResult
  matchAndRewrite(ArgOp op, typename Base::OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getData().getType());
    int64_t axis = *qc::normalizeAxis(op.getAxis(), type.getRank());
    Value index = argExtreme(rewriter, op.getLoc(), adaptor.getData(), {axis},
                             isMax, op.getSelectLastIndex() != 0,
                             isUnsignedElement(type));
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(), index,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// The dims LogSoftmax and Hardmax work along: axis alone, or from axis on
/// when coerced to 2-D (before opset 13).
template <typename SoftmaxLikeOp>
SmallVector<int64_t> softmaxDims(SoftmaxLikeOp op) {
  int64_t rank = cast<RankedTensorType>(op.getType()).getRank();
  int64_t axis = *qc::normalizeAxis(op.getAxis(), rank);
  int64_t end = op.getCoerceTo_2d() ? rank : axis + 1;
  return llvm::to_vector(llvm::seq<int64_t>(axis, end));
}

struct LogSoftmaxLowering : OpRewritePattern<qc::LogSoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::LogSoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    SmallVector<int64_t> dims = softmaxDims(op);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = keptDimsMap(getContext(), rank, dims);
    // x - max - log(sum(exp(x - max))): the max shift keeps exp finite.
    Value max = foldReduce(rewriter, loc, ReduceKind::Max, op.getInput(), dims);
    Value sum = buildReduction(
        rewriter, loc, type.getShape(), dims, ValueRange{op.getInput(), max},
        {identity, kept}, scalarConstant(rewriter, loc, type.getElementType(), 0),
        [](OpBuilder &b, Location l, ValueRange a) {
          Value e = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
          return (Value)arith::AddFOp::create(b, l, a[2], e);
        });
    Value out = buildElementwiseWithMaps(
        rewriter, loc, type, ValueRange{op.getInput(), max, sum},
        {identity, kept, kept}, [](OpBuilder &b, Location l, ValueRange a) {
          Value shifted = arith::SubFOp::create(b, l, a[0], a[1]);
          return (Value)arith::SubFOp::create(b, l, shifted,
                                              math::LogOp::create(b, l, a[2]));
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct HardmaxLowering : OpRewritePattern<qc::HardmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::HardmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    SmallVector<int64_t> dims = softmaxDims(op);
    // 1 at the first max along the dims, 0 elsewhere.
    Value first = argExtreme(rewriter, loc, op.getInput(), dims, /*isMax=*/true,
                             /*selectLast=*/false);
    Type et = type.getElementType();
    Value out = buildElementwiseWithMaps(
        rewriter, loc, type, first,
        {keptDimsMap(getContext(), rank, dims)},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value here = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linearIndex(b, l, type.getShape(), dims));
          Value isMax = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                              here, a[0]);
          return (Value)arith::SelectOp::create(b, l, isMax,
                                                scalarConstant(b, l, et, 1),
                                                scalarConstant(b, l, et, 0));
        });
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

void quantc::populateReductionPatterns(RewritePatternSet &patterns,
                                       const TypeConverter &converter) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering<qc::ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<qc::ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<qc::ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<qc::ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<qc::ReduceProdOp, ReduceKind::Prod>,
               ReduceLowering<qc::ReduceL1Op, ReduceKind::L1>,
               ReduceLowering<qc::ReduceL2Op, ReduceKind::L2>,
               ReduceLowering<qc::ReduceLogSumOp, ReduceKind::LogSum>,
               ReduceLowering<qc::ReduceLogSumExpOp, ReduceKind::LogSumExp>,
               ReduceLowering<qc::ReduceSumSquareOp, ReduceKind::SumSquare>,
               ArgReduceLowering<qc::ArgMaxOp, true>,
               ArgReduceLowering<qc::ArgMinOp, false>>(converter, ctx);
  patterns.add<LogSoftmaxLowering, HardmaxLowering>(ctx);
}
