//===- DataMovement.cpp - shape ops, Transpose, Concat, Gather, Constant --===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

using namespace mlir;
using namespace quantc;

namespace {

/// Reshape, Flatten, Squeeze and Unsqueeze only change the static shape.
template <typename QcOp>
struct ReshapeLikeLowering : OpRewritePattern<QcOp> {
  using OpRewritePattern<QcOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(QcOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(),
                                         op->getOperand(0),
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpRewritePattern<qc::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm()) {
      for (int64_t v : *p)
        perm.push_back(*qc::normalizeAxis(v, type.getRank()));
    } else {
      for (int64_t i = type.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    }
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       op.getData(), init, perm)
                               .getResult());
    return success();
  }
};

struct ConcatLowering : OpRewritePattern<qc::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = *qc::normalizeAxis(op.getAxis(), type.getRank());
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType());
    int64_t offset = 0;
    for (Value input : op.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(type.getRank(), rewriter.getIndexAttr(1));
      for (int64_t d : inType.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      offsets[axis] = rewriter.getIndexAttr(offset);
      offset += inType.getDimSize(axis);
      if (inType.getNumElements() == 0)
        continue;
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherLowering : OpRewritePattern<qc::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t axis = *qc::normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t q = indicesType.getRank();
    SmallVector<AffineExpr> indexExprs;
    for (int64_t i = 0; i < q; ++i)
      indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
    AffineMap indicesMap = AffineMap::get(type.getRank(), 0, indexExprs, ctx);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    int64_t dim = dataType.getDimSize(axis);
    Value data = op.getData();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, op.getIndices(), init,
        ArrayRef<AffineMap>{indicesMap,
                            rewriter.getMultiDimIdentityMap(type.getRank())},
        iteratorTypes(type.getRank()),
        [&](OpBuilder &b, Location l, ValueRange args) {
          // Negative indices count from the end. Out-of-range indices are
          // clamped so that a bad index can never read outside the tensor.
          Value idx = clampedIndex(b, l, args[0], dim);
          SmallVector<Value> coords;
          for (int64_t i = 0; i < axis; ++i)
            coords.push_back(linalg::IndexOp::create(b, l, i));
          coords.push_back(idx);
          for (int64_t i = axis + 1; i < dataType.getRank(); ++i)
            coords.push_back(linalg::IndexOp::create(b, l, i - 1 + q));
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, data, coords)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ConstantLowering : OpRewritePattern<qc::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getValue());
    return success();
  }
};

/// Shape is normally folded by qc-shape-inference; the lowering needs static
/// shapes, so whatever remains is a constant too.
struct ShapeLowering : OpRewritePattern<qc::ShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ShapeOp op,
                                PatternRewriter &rewriter) const override {
    auto data = cast<RankedTensorType>(op.getData().getType());
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseElementsAttr::get(type, ArrayRef(op.selectDims(data.getShape()))));
    return success();
  }
};

} // namespace

void quantc::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ReshapeLikeLowering<qc::ReshapeOp>,
               ReshapeLikeLowering<qc::FlattenOp>,
               ReshapeLikeLowering<qc::SqueezeOp>,
               ReshapeLikeLowering<qc::UnsqueezeOp>, TransposeLowering,
               ConcatLowering, GatherLowering, ConstantLowering, ShapeLowering>(
      patterns.getContext());
}
