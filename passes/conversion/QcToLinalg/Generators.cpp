//===- Generators.cpp - Range, ConstantOfShape, Size, EyeLike, OneHot, Trilu ===//
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

struct RangeLowering : OpRewritePattern<qc::RangeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::RangeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    Value start = extractScalar(rewriter, loc, op.getStart());
    Value delta = extractScalar(rewriter, loc, op.getDelta());
    rewriter.replaceOp(
        op, buildElementwiseWithMaps(
                rewriter, loc, type, {}, {},
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
    int64_t depth = type.getDimSize(axis);
    auto cst = [&](int64_t i) {
      return Value(arith::ConstantIndexOp::create(rewriter, loc, i));
    };
    Value off = tensor::ExtractOp::create(rewriter, loc, op.getValues(), cst(0));
    Value on = tensor::ExtractOp::create(rewriter, loc, op.getValues(), cst(1));
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        exprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap indicesMap = AffineMap::get(rank, 0, exprs, ctx);
    rewriter.replaceOp(
        op, buildElementwiseWithMaps(
                rewriter, loc, type, op.getIndices(), indicesMap,
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
                      arith::AddIOp::create(
                          b, l, index, arith::ConstantIndexOp::create(b, l, depth)),
                      index);
                  Value hit = arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::eq, index,
                      linalg::IndexOp::create(b, l, axis));
                  return Value(arith::SelectOp::create(b, l, hit, on, off));
                }));
    return success();
  }
};

} // namespace

void quantc::populateGeneratorPatterns(RewritePatternSet &patterns) {
  patterns.add<RangeLowering, ConstantOfShapeLowering, SizeLowering,
               EyeLikeLowering, TriluLowering, OneHotLowering>(
      patterns.getContext());
}
