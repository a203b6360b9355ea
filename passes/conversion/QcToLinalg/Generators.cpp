//===- Generators.cpp - Range, ConstantOfShape, EyeLike, OneHot, windows -===//
//
// Ops whose every output element is a function of its own index (and of a
// few scalars): one linalg.generic (or linalg.fill) over the output, reading
// the position with linalg.index. Range, ConstantOfShape and Size are
// normally folded; these lowerings serve results too large to fold.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// An `index` value as an integer or float of `type`.
Value indexAs(OpBuilder &b, Location loc, Value index, Type type) {
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  if (isa<FloatType>(type))
    return arith::SIToFPOp::create(b, loc, type, i64);
  if (type.getIntOrFloatBitWidth() < 64)
    return arith::TruncIOp::create(b, loc, type, i64);
  return i64;
}

/// Range's length max(ceil((limit - start) / delta), 0) as an index, in
/// double for floats (as numpy's arange) and exactly for integers. A zero
/// delta (an error in ONNX) or a NaN gives 0 elements.
Value rangeLength(OpBuilder &b, Location loc, Value start, Value limit,
                  Value delta) {
  Type et = start.getType();
  Value n;
  if (isa<FloatType>(et)) {
    Type f64 = b.getF64Type();
    auto widen = [&](Value v) {
      return et == f64 ? v : (Value)arith::ExtFOp::create(b, loc, f64, v);
    };
    Value count = math::CeilOp::create(
        b, loc,
        arith::DivFOp::create(
            b, loc, arith::SubFOp::create(b, loc, widen(limit), widen(start)),
            widen(delta)));
    Value zero = scalarConstant(b, loc, f64, 0);
    // ogt is false for NaN (and for a zero delta's NaN or -inf).
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                           count, zero);
    count = arith::SelectOp::create(b, loc, positive, count, zero);
    n = arith::FPToSIOp::create(b, loc, b.getI64Type(), count);
  } else {
    Value zero = scalarConstant(b, loc, et, 0);
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, delta, zero);
    Value safeDelta = arith::SelectOp::create(
        b, loc, isZero, scalarConstant(b, loc, et, 1), delta);
    Value count = arith::CeilDivSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, limit, start), safeDelta);
    count = arith::MaxSIOp::create(b, loc, count, zero);
    n = arith::SelectOp::create(b, loc, isZero, zero, count);
  }
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), n);
}

struct RangeLowering : OpRewritePattern<qc::RangeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::RangeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    Value start = extractScalar(rewriter, loc, op.getStart());
    Value delta = extractScalar(rewriter, loc, op.getDelta());
    SmallVector<Value> sizes;
    if (type.isDynamicDim(0))
      sizes.push_back(rangeLength(rewriter, loc, start,
                                  extractScalar(rewriter, loc, op.getLimit()),
                                  delta));
    rewriter.replaceOp(
        op, buildElementwiseInto(
                rewriter, loc, tensor::EmptyOp::create(rewriter, loc, type, sizes),
                {}, {},
                [&](OpBuilder &b, Location l, ValueRange) {
                  Value i = indexAs(b, l, linalg::IndexOp::create(b, l, 0), et);
                  if (isa<FloatType>(et))
                    return Value(arith::AddFOp::create(
                        b, l, start, arith::MulFOp::create(b, l, i, delta)));
                  return Value(arith::AddIOp::create(
                      b, l, start, arith::MulIOp::create(b, l, i, delta)));
                }));
    return success();
  }
};

struct ConstantOfShapeLowering : OpRewritePattern<qc::ConstantOfShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ConstantOfShapeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    TypedAttr value = rewriter.getZeroAttr(type.getElementType());
    if (auto attr = op.getValue()) {
      auto dense = dyn_cast<DenseElementsAttr>(*attr);
      if (!dense)
        return rewriter.notifyMatchFailure(op, "value is not a dense constant");
      value = cast<TypedAttr>(*dense.getValues<Attribute>().begin());
    }
    Location loc = op.getLoc();
    Value scalar = arith::ConstantOp::create(rewriter, loc, value);
    SmallVector<Value> sizes = dynamicSizes(type, [&](int64_t i) {
      return indexElement(rewriter, loc, op.getInput(), i);
    });
    rewriter.replaceOp(op, filledTensor(rewriter, loc, type, scalar, sizes));
    return success();
  }
};

struct SizeLowering : OpRewritePattern<qc::SizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SizeOp op,
                                PatternRewriter &rewriter) const override {
    auto data = cast<RankedTensorType>(op.getData().getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(cast<RankedTensorType>(op.getType()),
                                   ArrayRef<int64_t>{data.getNumElements()}));
    return success();
  }
};

struct EyeLikeLowering : OpRewritePattern<qc::EyeLikeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::EyeLikeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    int64_t k = op.getK();
    rewriter.replaceOp(
        op, buildElementwiseWithMaps(
                rewriter, op.getLoc(), type, {}, {},
                [&](OpBuilder &b, Location l, ValueRange) {
                  // One where column - row == k.
                  Value col = arith::SubIOp::create(
                      b, l, linalg::IndexOp::create(b, l, 1),
                      linalg::IndexOp::create(b, l, 0));
                  Value on = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::eq, col,
                      arith::ConstantIndexOp::create(b, l, k));
                  return Value(arith::SelectOp::create(
                      b, l, on, scalarConstant(b, l, et, 1),
                      scalarConstant(b, l, et, 0)));
                }));
    return success();
  }
};

struct TriluLowering : OpRewritePattern<qc::TriluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::TriluOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    // k may be a run-time value: it does not change the shape.
    Value k = op.getK() ? Value(arith::IndexCastOp::create(
                              rewriter, loc, rewriter.getIndexType(),
                              extractScalar(rewriter, loc, op.getK())))
                        : Value(arith::ConstantIndexOp::create(rewriter, loc, 0));
    bool upper = op.getUpper() != 0;
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, type, op.getInput(),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  // Kept where column - row >= k (upper) or <= k (lower).
                  Value diag = arith::SubIOp::create(
                      b, l, linalg::IndexOp::create(b, l, rank - 1),
                      linalg::IndexOp::create(b, l, rank - 2));
                  Value keep = arith::CmpIOp::create(
                      b, l,
                      upper ? arith::CmpIPredicate::sge
                            : arith::CmpIPredicate::sle,
                      diag, k);
                  return Value(arith::SelectOp::create(
                      b, l, keep, args[0],
                      scalarConstant(b, l, type.getElementType(), 0)));
                }));
    return success();
  }
};

/// output[..., j (at axis), ...] = indices[...] (normalized) == j ? on : off.
struct OneHotLowering : OpRewritePattern<qc::OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::OneHotOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    int64_t axis = *qc::normalizeAxis(op.getAxis(), rank);
    auto cst = [&](int64_t i) {
      return Value(arith::ConstantIndexOp::create(rewriter, loc, i));
    };
    // A depth only known at run time: its value (floats truncated, as the
    // ONNX reference does), at least 0.
    Value depth = cst(type.getDimSize(axis));
    if (type.isDynamicDim(axis)) {
      Value d = extractScalar(rewriter, loc, op.getDepth());
      if (isa<FloatType>(d.getType()))
        d = arith::FPToSIOp::create(rewriter, loc, rewriter.getI64Type(), d);
      depth = arith::MaxSIOp::create(
          rewriter, loc,
          arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), d),
          cst(0));
    }
    Value off = tensor::ExtractOp::create(rewriter, loc, op.getValues(), cst(0));
    Value on = tensor::ExtractOp::create(rewriter, loc, op.getValues(), cst(1));
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        exprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap indicesMap = AffineMap::get(rank, 0, exprs, ctx);
    SmallVector<Value> sizes = dynamicSizes(type, [&](int64_t d) {
      return d == axis ? depth
                       : dimSize(rewriter, loc, op.getIndices(), d < axis ? d : d - 1);
    });
    rewriter.replaceOp(
        op, buildElementwiseInto(
                rewriter, loc, tensor::EmptyOp::create(rewriter, loc, type, sizes),
                op.getIndices(), indicesMap,
                [&](OpBuilder &b, Location l, ValueRange args) {
                  // Indices of any numeric type; [-depth, depth) is valid,
                  // anything else matches no position.
                  Value index = args[0];
                  if (isa<FloatType>(index.getType()))
                    index = arith::FPToSIOp::create(b, l, b.getI64Type(), index);
                  index = arith::IndexCastOp::create(b, l, b.getIndexType(), index);
                  Value zero = arith::ConstantIndexOp::create(b, l, 0);
                  Value neg = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::slt, index, zero);
                  index = arith::SelectOp::create(
                      b, l, neg,
                      arith::AddIOp::create(b, l, index, depth),
                      index);
                  Value hit = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::eq, index,
                      linalg::IndexOp::create(b, l, axis));
                  return Value(arith::SelectOp::create(b, l, hit, on, off));
                }));
    return success();
  }
};

/// The coefficients of a cosine-sum window: a0 - a1 cos(x) + a2 cos(2x).
struct CosineSum {
  double a0, a1, a2;
};

/// HannWindow, HammingWindow, BlackmanWindow: w[n] = a0 - a1 cos(2 pi n / N)
/// + a2 cos(4 pi n / N), N = size (periodic) or size - 1, in double.
template <typename WindowOp>
struct WindowLowering : OpRewritePattern<WindowOp> {
  WindowLowering(MLIRContext *ctx, CosineSum coefficients)
      : OpRewritePattern<WindowOp>(ctx), coefficients(coefficients) {}
  LogicalResult matchAndRewrite(WindowOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type f64 = rewriter.getF64Type();
    Value size = extractScalar(rewriter, loc, op.getSize());
    Value length = arith::IndexCastOp::create(rewriter, loc,
                                              rewriter.getIndexType(), size);
    // A negative run-time size makes an empty window.
    length = arith::MaxSIOp::create(
        rewriter, loc, length, arith::ConstantIndexOp::create(rewriter, loc, 0));
    Value n = arith::SIToFPOp::create(
        rewriter, loc, f64,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), length));
    if (op.getPeriodic() == 0)
      n = arith::SubFOp::create(rewriter, loc, n, scalarConstant(rewriter, loc, f64, 1));
    Value step = arith::DivFOp::create(
        rewriter, loc, scalarConstant(rewriter, loc, f64, 2 * M_PI), n);
    Value init = tensor::EmptyOp::create(
        rewriter, loc, type,
        type.isDynamicDim(0) ? ValueRange{length} : ValueRange{});
    CosineSum c = coefficients;
    rewriter.replaceOp(
        op, buildElementwiseInto(
                rewriter, loc, init, {}, {},
                [&](OpBuilder &b, Location l, ValueRange) {
                  Value i = indexAs(b, l, linalg::IndexOp::create(b, l, 0), f64);
                  Value x = arith::MulFOp::create(b, l, i, step);
                  Value w = arith::SubFOp::create(
                      b, l, scalarConstant(b, l, f64, c.a0),
                      arith::MulFOp::create(b, l, scalarConstant(b, l, f64, c.a1),
                                            math::CosOp::create(b, l, x)));
                  if (c.a2 != 0)
                    w = arith::AddFOp::create(
                        b, l, w,
                        arith::MulFOp::create(
                            b, l, scalarConstant(b, l, f64, c.a2),
                            math::CosOp::create(
                                b, l,
                                arith::AddFOp::create(b, l, x, x))));
                  return convertScalar(b, l, w, type.getElementType());
                }));
    return success();
  }
  CosineSum coefficients;
};

} // namespace

void quantc::populateGeneratorPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<RangeLowering, ConstantOfShapeLowering, SizeLowering,
               EyeLikeLowering, TriluLowering, OneHotLowering>(ctx);
  // The coefficients of the ONNX reference (and torch).
  patterns.add<WindowLowering<qc::HannWindowOp>>(ctx, CosineSum{0.5, 0.5, 0});
  patterns.add<WindowLowering<qc::HammingWindowOp>>(
      ctx, CosineSum{25.0 / 46.0, 21.0 / 46.0, 0});
  patterns.add<WindowLowering<qc::BlackmanWindowOp>>(ctx,
                                                     CosineSum{0.42, 0.5, 0.08});
}
