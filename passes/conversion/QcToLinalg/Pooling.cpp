//===- Pooling.cpp - Max/Average/LpPool and their global forms -----------===//
//
// Windows are linalg.generic reductions over the padded input with a
// shape-only window operand, as linalg's named pooling ops do, which keeps
// them N-d. AveragePool divides by a per-position element count computed at
// compile time, which handles count_include_pad and ceil_mode windows that
// run past the padding exactly as onnxruntime does.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// Max, sum, or (for LpPool) the sum of |x|^p.
enum class PoolKind { Max, Sum, SumOfPowers };

/// The operands and loops of a pooling generic: the input padded with
/// `padValue` (plus what ceil_mode windows reach), a shape-only window, and
/// loops (n, c, o..., k...) with the k loops reduced. Maps: input, window,
/// output.
struct PoolWindow {
  Value padded, window;
  /// The sizes of the output's run-time dims (N, C and spatial).
  SmallVector<Value> outDynamic;
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};

PoolWindow buildPoolWindow(OpBuilder &b, Location loc, Value x,
                           RankedTensorType outType,
                           const qc::WindowGeometry &g, Value padValue) {
  MLIRContext *ctx = b.getContext();
  PoolWindow w;
  WindowSizes sizes = windowSizes(b, loc, x, g);
  w.padded = padSpatial(b, loc, x, sizes.low, sizes.high, padValue);
  w.outDynamic = dynamicSizes(outType, [&](int64_t i) {
    return i < 2 ? dimSize(b, loc, x, i) : sizes.out[i - 2];
  });
  w.window = tensor::EmptyOp::create(b, loc, g.kernel, padValue.getType());
  int64_t s = g.kernel.size();
  unsigned numLoops = 2 + 2 * s;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs{d(0), d(1)}, wExprs, outExprs{d(0), d(1)};
  SmallVector<unsigned> reductions;
  for (int64_t i = 0; i < s; ++i) {
    unsigned oLoop = 2 + i, kLoop = 2 + s + i;
    xExprs.push_back(d(oLoop) * g.strides[i] + d(kLoop) * g.dilations[i]);
    wExprs.push_back(d(kLoop));
    outExprs.push_back(d(oLoop));
    reductions.push_back(kLoop);
  }
  w.maps = {AffineMap::get(numLoops, 0, xExprs, ctx), AffineMap::get(numLoops, 0, wExprs, ctx),
            AffineMap::get(numLoops, 0, outExprs, ctx)};
  w.iterators = iteratorTypes(numLoops, reductions);
  return w;
}

/// Max pools integers too (MaxPool takes int8 and uint8): the padding is the
/// type's lowest value and `isUnsigned` orders the (signless) elements.
Value buildPool(OpBuilder &b, Location loc, Value x, RankedTensorType outType,
                const qc::WindowGeometry &g, PoolKind kind, int64_t p = 1,
                bool isUnsigned = false) {
  Type elementType = outType.getElementType();
  Value padValue =
      kind == PoolKind::Max
          ? extremeValue(b, loc, elementType, /*highest=*/false, isUnsigned)
          : scalarConstant(b, loc, elementType, 0);
  PoolWindow w = buildPoolWindow(b, loc, x, outType, g, padValue);
  Value init = filledTensor(b, loc, outType, padValue, w.outDynamic);
  return linalg::GenericOp::create(
             b, loc, outType, ValueRange{w.padded, w.window}, init, w.maps, w.iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value v;
               if (kind == PoolKind::Max) {
                 v = maxOrMin(nb, nloc, args[2], args[0], /*isMax=*/true,
                              isUnsigned);
               } else if (kind == PoolKind::Sum) {
                 v = arith::AddFOp::create(nb, nloc, args[2], args[0]);
               } else {
                 // |x|^p as p - 1 multiplications: p is a small integer.
                 Value a = math::AbsFOp::create(nb, nloc, args[0]), power = a;
                 for (int64_t i = 1; i < p; ++i)
                   power = arith::MulFOp::create(nb, nloc, power, a);
                 v = arith::AddFOp::create(nb, nloc, args[2], power);
               }
               linalg::YieldOp::create(nb, nloc, v);
             })
      .getResult(0);
}

struct MaxPoolLowering : OpConversionPattern<qc::MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    bool isUnsigned = isUnsignedElement(xType);
    auto g = qc::computeWindowGeometry(
        op, xType.getShape().drop_front(2), op.getKernelShape(),
        op.getAutoPad(), op.getPads(), op.getStrides(), op.getDilations(),
        op.getCeilMode() != 0);
    if (failed(g))
      return failure();
    auto yType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getY().getType()));
    if (op.getIndices().use_empty()) {
      Value y = buildPool(rewriter, op.getLoc(), adaptor.getX(), yType, *g,
                          PoolKind::Max, /*p=*/1, isUnsigned);
      Value unused = tensor::EmptyOp::create(
          rewriter, op.getLoc(), yType.clone(rewriter.getI64Type()),
          dynamicSizes(yType, [&](int64_t i) {
            return dimSize(rewriter, op.getLoc(), y, i);
          }));
      rewriter.replaceOp(op, {y, unused});
      return success();
    }
    auto [y, indices] = buildMaxPoolWithIndices(
        rewriter, op.getLoc(), adaptor.getX(), yType, *g,
        op.getStorageOrder() != 0, isUnsigned);
    rewriter.replaceOp(op, {y, indices});
    return success();
  }

  /// The window maximum and the flat position in X of its first occurrence
  /// (in window order): one generic with two outputs.
  static std::pair<Value, Value>
  buildMaxPoolWithIndices(OpBuilder &b, Location loc, Value x,
                          RankedTensorType yType, const qc::WindowGeometry &g,
                          bool columnMajor, bool isUnsigned) {
    auto xType = cast<RankedTensorType>(x.getType());
    Type et = yType.getElementType();
    Value lowest = extremeValue(b, loc, et, /*highest=*/false, isUnsigned);
    PoolWindow w = buildPoolWindow(b, loc, x, yType, g, lowest);
    auto iType = yType.clone(b.getI64Type());
    Value yInit = filledTensor(b, loc, yType, lowest, w.outDynamic);
    Value iInit = filledTensor(b, loc, iType,
                               arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0)),
                               w.outDynamic);
    // X's dims as i64 values (run-time ones through tensor.dim).
    SmallVector<Value> xDims;
    for (Value v : dimSizes(b, loc, x))
      xDims.push_back(arith::IndexCastOp::create(b, loc, b.getI64Type(), v));
    int64_t s = g.kernel.size();
    SmallVector<AffineMap> maps = w.maps;
    maps.push_back(w.maps.back()); // the indices, indexed as the maxima
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{yType, iType}, ValueRange{w.padded, w.window},
        ValueRange{yInit, iInit}, maps, w.iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          auto i64 = [&](int64_t v) {
            return (Value)arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(v));
          };
          auto loopIndex = [&](unsigned i) {
            return (Value)arith::IndexCastOp::create(nb, l, nb.getI64Type(),
                                                     linalg::IndexOp::create(nb, l, i));
          };
          // Position in X's spatial dims: o * stride + k * dilation - pad.
          SmallVector<Value> pos;
          for (int64_t i = 0; i < s; ++i) {
            Value p = arith::AddIOp::create(
                nb, l, arith::MulIOp::create(nb, l, loopIndex(2 + i), i64(g.strides[i])),
                arith::MulIOp::create(nb, l, loopIndex(2 + s + i), i64(g.dilations[i])));
            pos.push_back(arith::SubIOp::create(nb, l, p, i64(g.padsBegin[i])));
          }
          // (n * C + c) * spatial size, then the spatial offset.
          auto xDim = [&](int64_t i) {
            return xType.isDynamicDim(i) ? xDims[i] : i64(xType.getDimSize(i));
          };
          Value spatialSize = i64(1);
          for (int64_t i = 0; i < s; ++i)
            spatialSize = arith::MulIOp::create(nb, l, spatialSize, xDim(2 + i));
          Value flat = arith::MulIOp::create(
              nb, l,
              arith::AddIOp::create(nb, l,
                                    arith::MulIOp::create(nb, l, loopIndex(0), xDim(1)),
                                    loopIndex(1)),
              spatialSize);
          Value spatial = i64(0);
          for (int64_t j = 0; j < s; ++j) {
            int64_t i = columnMajor ? s - 1 - j : j;
            spatial = arith::AddIOp::create(
                nb, l, arith::MulIOp::create(nb, l, spatial, xDim(2 + i)), pos[i]);
          }
          flat = arith::AddIOp::create(nb, l, flat, spatial);
          Value better =
              isa<FloatType>(et)
                  ? (Value)arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT,
                                                 args[0], args[2])
                  : (Value)arith::CmpIOp::create(
                        nb, l,
                        withSignedness(arith::CmpIPredicate::sgt, isUnsigned),
                        args[0], args[2]);
          linalg::YieldOp::create(
              nb, l,
              ValueRange{arith::SelectOp::create(nb, l, better, args[0], args[2]),
                         arith::SelectOp::create(nb, l, better, flat, args[3])});
        });
    return {generic.getResult(0), generic.getResult(1)};
  }
};

/// sum / (elements per window) where spatial dims are run-time dims: the
/// count of each output position is computed in the kernel, per dim the
/// number of taps k with lo <= o * stride + k * dilation - padBegin < hi
/// (the kernel is small and static, so the taps are unrolled).
Value divideByRunTimeCounts(OpBuilder &b, Location loc, Value x, Value sum,
                            const qc::WindowGeometry &g, bool includePad) {
  auto type = cast<RankedTensorType>(sum.getType());
  int64_t s = g.kernel.size();
  WindowSizes sizes = windowSizes(b, loc, x, g);
  // In padded coordinates q = o * stride + k * dilation, a tap counts when
  // lo <= q < hi: lo = 0 or padBegin, hi = padBegin + in (+ padEnd).
  SmallVector<Value> lo, hi;
  for (int64_t i = 0; i < s; ++i) {
    Value in = dimSize(b, loc, x, i + 2);
    Value begin = getValueOrCreateConstantIndexOp(b, loc, sizes.low[i]);
    Value end = g.same ? getValueOrCreateConstantIndexOp(b, loc, sizes.high[i])
                       : (Value)arith::ConstantIndexOp::create(b, loc, g.padsEnd[i]);
    Value inEnd = arith::AddIOp::create(b, loc, in, begin);
    lo.push_back(includePad ? (Value)arith::ConstantIndexOp::create(b, loc, 0) : begin);
    hi.push_back(includePad ? (Value)arith::AddIOp::create(b, loc, inEnd, end) : inEnd);
  }
  Value init = tensor::EmptyOp::create(
      b, loc, type, dynamicSizes(type, [&](int64_t i) { return dimSize(b, loc, sum, i); }));
  return buildElementwiseInto(
      b, loc, init, sum, b.getMultiDimIdentityMap(type.getRank()),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value count = arith::ConstantIndexOp::create(nb, l, 1);
        for (int64_t i = 0; i < s; ++i) {
          Value o = linalg::IndexOp::create(nb, l, 2 + i);
          Value start = arith::MulIOp::create(
              nb, l, o, arith::ConstantIndexOp::create(nb, l, g.strides[i]));
          Value n = arith::ConstantIndexOp::create(nb, l, 0);
          for (int64_t k = 0; k < g.kernel[i]; ++k) {
            Value p = arith::AddIOp::create(
                nb, l, start, arith::ConstantIndexOp::create(nb, l, k * g.dilations[i]));
            Value inside = arith::AndIOp::create(
                nb, l,
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, p, lo[i]),
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, p, hi[i]));
            n = arith::AddIOp::create(
                nb, l, n, arith::IndexCastOp::create(nb, l, nb.getIndexType(),
                                                     arith::ExtUIOp::create(nb, l, nb.getI64Type(), inside)));
          }
          count = arith::MulIOp::create(nb, l, count, n);
        }
        Value c = arith::SIToFPOp::create(
            nb, l, args[0].getType(),
            arith::IndexCastOp::create(nb, l, nb.getI64Type(), count));
        return (Value)arith::DivFOp::create(nb, l, args[0], c);
      });
}

struct AveragePoolLowering : OpRewritePattern<qc::AveragePoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::AveragePoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> spatial = xType.getShape().drop_front(2);
    auto g = qc::computeWindowGeometry(
        op, spatial, op.getKernelShape(), op.getAutoPad(), op.getPads(),
        op.getStrides(), op.getDilations(), op.getCeilMode() != 0);
    if (failed(g))
      return failure();
    Value sum = buildPool(rewriter, loc, op.getX(), outType, *g, PoolKind::Sum);

    bool includePad = op.getCountIncludePad() != 0;
    if (llvm::is_contained(g->outputSizes, ShapedType::kDynamic)) {
      rewriter.replaceOp(op, divideByRunTimeCounts(rewriter, loc, op.getX(), sum,
                                                   *g, includePad));
      return success();
    }
    // Elements per window, per output position: separable over the dims.
    SmallVector<SmallVector<int64_t>> perDim;
    for (size_t i = 0; i < spatial.size(); ++i) {
      int64_t lo = includePad ? -g->padsBegin[i] : 0;
      int64_t hi = includePad ? spatial[i] + g->padsEnd[i] : spatial[i];
      SmallVector<int64_t> counts;
      for (int64_t o = 0; o < g->outputSizes[i]; ++o) {
        int64_t n = 0;
        for (int64_t k = 0; k < g->kernel[i]; ++k) {
          int64_t p = o * g->strides[i] + k * g->dilations[i] - g->padsBegin[i];
          n += p >= lo && p < hi;
        }
        counts.push_back(n);
      }
      perDim.push_back(counts);
    }
    auto countType = RankedTensorType::get(g->outputSizes, outType.getElementType());
    SmallVector<float> counts(countType.getNumElements());
    for (int64_t flat = 0; flat < (int64_t)counts.size(); ++flat) {
      int64_t rest = flat, n = 1;
      for (int64_t i = spatial.size() - 1; i >= 0; --i) {
        n *= perDim[i][rest % g->outputSizes[i]];
        rest /= g->outputSizes[i];
      }
      counts[flat] = (float)n;
    }
    Value countTensor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(countType, ArrayRef(counts)));
    Value result = buildElementwise(
        rewriter, loc, outType, ValueRange{sum, countTensor},
        [](OpBuilder &b, Location l, ValueRange args) {
          return (Value)arith::DivFOp::create(b, l, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LpPoolLowering : OpRewritePattern<qc::LpPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::LpPoolOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto g = qc::computeWindowGeometry(
        op, xType.getShape().drop_front(2), op.getKernelShape(),
        op.getAutoPad(), op.getPads(), op.getStrides(), op.getDilations(),
        op.getCeilMode() != 0);
    if (failed(g))
      return failure();
    Value sum = buildPool(rewriter, op.getLoc(), op.getX(), outType, *g,
                          PoolKind::SumOfPowers, op.getP());
    double inverse = 1.0 / (double)op.getP();
    Value result = buildElementwise(
        rewriter, op.getLoc(), outType, sum,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return (Value)math::PowFOp::create(
              b, l, args[0], scalarConstant(b, l, args[0].getType(), inverse));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reduces every spatial dim of X (N, C, D...) to one value per (n, c),
/// shaped (N, C, 1, ...): the max, or the mean.
Value buildGlobalPool(OpBuilder &b, Location loc, Value x, RankedTensorType outType,
                      PoolKind kind) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  auto elementType = cast<FloatType>(xType.getElementType());
  auto reducedType = RankedTensorType::get(xType.getShape().take_front(2), elementType);
  Value initValue = kind == PoolKind::Max ? negativeInfinity(b, loc, elementType)
                                          : scalarConstant(b, loc, elementType, 0);
  Value init = filledTensor(b, loc, reducedType, initValue,
                            dynamicSizes(reducedType, [&](int64_t i) {
                              return dimSize(b, loc, x, i);
                            }));
  unsigned rank = xType.getRank();
  SmallVector<unsigned> reductions;
  for (unsigned i = 2; i < rank; ++i)
    reductions.push_back(i);
  AffineMap outMap = AffineMap::get(
      rank, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, ctx);
  Value reduced =
      linalg::GenericOp::create(
          b, loc, reducedType, x, init,
          ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank), outMap},
          iteratorTypes(rank, reductions),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value v = kind == PoolKind::Max
                          ? (Value)arith::MaximumFOp::create(nb, l, args[1], args[0])
                          : (Value)arith::AddFOp::create(nb, l, args[1], args[0]);
            linalg::YieldOp::create(nb, l, v);
          })
          .getResult(0);
  if (kind == PoolKind::Sum) {
    // The number of elements: a constant, or index arithmetic on tensor.dim.
    Value count;
    if (llvm::is_contained(xType.getShape().drop_front(2), ShapedType::kDynamic)) {
      Value n = arith::ConstantIndexOp::create(b, loc, 1);
      for (unsigned i = 2; i < rank; ++i)
        n = arith::MulIOp::create(b, loc, n, dimSize(b, loc, x, i));
      count = arith::SIToFPOp::create(
          b, loc, elementType, arith::IndexCastOp::create(b, loc, b.getI64Type(), n));
    }
    double staticCount = qc::product(xType.getShape().drop_front(2));
    reduced = buildElementwise(
        b, loc, reducedType, reduced, [&](OpBuilder &nb, Location l, ValueRange args) {
          return (Value)arith::DivFOp::create(
              nb, l, args[0],
              count ? count : scalarConstant(nb, l, elementType, staticCount));
        });
  }
  return reshapeUnitDims(b, loc, reduced, outType);
}

/// GlobalAveragePool (kKind Sum) and GlobalMaxPool (kKind Max).
template <typename Op, PoolKind kKind>
struct GlobalPoolLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildGlobalPool(rewriter, op.getLoc(), op.getX(),
                                           cast<RankedTensorType>(op.getType()), kKind));
    return success();
  }
};

} // namespace

void quantc::populatePoolingPatterns(RewritePatternSet &patterns,
                                     const TypeConverter &converter) {
  patterns.add<AveragePoolLowering, LpPoolLowering,
               GlobalPoolLowering<qc::GlobalAveragePoolOp, PoolKind::Sum>,
               GlobalPoolLowering<qc::GlobalMaxPoolOp, PoolKind::Max>>(
      patterns.getContext());
  patterns.add<MaxPoolLowering>(converter, patterns.getContext());
}
