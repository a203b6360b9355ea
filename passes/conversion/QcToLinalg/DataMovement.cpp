//===- DataMovement.cpp - shape ops, Transpose, Concat, Gather, Constant --===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/RunTimeChoice.h"

using namespace mlir;
using namespace quantc;

namespace {

/// Squeeze and Unsqueeze only add or remove dims of size 1. With axes only
/// known at run time, each possible axis set is one such reshape, picked at
/// run time (the sets shape inference allowed).
template <typename QcOp, bool squeeze>
struct ReshapeLikeLowering : OpRewritePattern<QcOp> {
  using OpRewritePattern<QcOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(QcOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData();
    auto type = cast<RankedTensorType>(op.getType());
    std::optional<int64_t> count;
    if (op.getAxesInput() && !op.getAxes())
      count = qc::runTimeListLength(op.getAxesInput());
    if (!count || *count == 0) {
      rewriter.replaceOp(op, reshapeUnitDims(rewriter, loc, data, type));
      return success();
    }
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = dataType.getRank();
    auto sets = squeeze ? qc::squeezeAxisSets(dataType.getShape(), *count)
                        : qc::axisSubsets(rank + *count, *count);
    SmallVector<int64_t> masks;
    for (auto &set : sets)
      masks.push_back(axisSetMask(set));
    Value mask = axisSetMask(rewriter, loc, op.getAxesInput(),
                             squeeze ? rank : rank + *count);
    rewriter.replaceOp(
        op, buildRunTimeChoice(
                rewriter, loc, mask, masks, type,
                [&](OpBuilder &b, unsigned i) {
                  auto shape =
                      squeeze ? qc::reducedShape(dataType.getShape(), sets[i], false)
                              : qc::unsqueezedShape(dataType.getShape(), sets[i]);
                  return reshapeUnitDims(b, loc, data, type.clone(shape));
                },
                [&](OpBuilder &b) { return invalidChoiceResult(b, loc, type); }));
    return success();
  }
};

/// Flatten's two dims are products of the input's dims (run-time ones
/// through tensor.dim).
struct FlattenLowering : OpRewritePattern<qc::FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::FlattenOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value x = op.getInput();
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    SmallVector<Value> sizes = dimSizes(rewriter, loc, x);
    Value outer = arith::ConstantIndexOp::create(rewriter, loc, 1), inner = outer;
    for (int64_t i = 0; i < rank; ++i) {
      Value &p = i < axis ? outer : inner;
      p = rewriter.createOrFold<arith::MulIOp>(loc, p, sizes[i]);
    }
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, x, type, {outer, inner}));
    return success();
  }
};

/// Reshape computes its result's dims from the `shape` input as ONNX says
/// (0 copies the input's dim unless allowzero, -1 takes what is left); with
/// a constant shape and static dims this all folds to constants and the
/// reshape is a view.
struct ReshapeLowering : OpRewritePattern<qc::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value data = op.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    if (dataType.hasStaticShape() && type.hasStaticShape()) {
      rewriter.replaceOp(op, reshapeStatic(rewriter, loc, data, type));
      return success();
    }
    OpBuilder &b = rewriter;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value total = one;
    for (Value d : dimSizes(b, loc, data))
      total = arith::MulIOp::create(b, loc, total, d);
    // Each requested dim, with 0 resolved; -1 stays -1 for now.
    SmallVector<Value> dims;
    Value known = one;
    Value minusOne = arith::ConstantIndexOp::create(b, loc, -1);
    for (int64_t i = 0; i < type.getRank(); ++i) {
      Value v = indexElement(b, loc, op.getShape(), i);
      if (!op.getAllowzero() && i < dataType.getRank()) {
        Value isZero =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, zero);
        v = arith::SelectOp::create(b, loc, isZero, dimSize(b, loc, data, i), v);
      }
      Value isInferred =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v, minusOne);
      known = arith::MulIOp::create(
          b, loc, known, arith::SelectOp::create(b, loc, isInferred, one, v));
      dims.push_back(v);
    }
    // known is never 0 when a -1 is present (shape inference and the ONNX
    // checker reject it), but a division by zero must not be reachable.
    Value safeKnown = arith::MaxSIOp::create(b, loc, known, one);
    Value inferred = arith::DivSIOp::create(b, loc, total, safeKnown);
    for (Value &d : dims) {
      Value isInferred =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, minusOne);
      d = arith::SelectOp::create(b, loc, isInferred, inferred, d);
    }
    for (int64_t i = 0; i < type.getRank(); ++i)
      if (!type.isDynamicDim(i))
        dims[i] = arith::ConstantIndexOp::create(b, loc, type.getDimSize(i));
    rewriter.replaceOp(op, reshapeTo(b, loc, data, type, dims));
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
    // Only dims of one move (a [.., N, 1] turned [.., 1, N]): the elements
    // keep their order, so the transpose is a view, not a copy.
    SmallVector<int64_t> moved;
    for (auto [i, d] : llvm::enumerate(perm))
      if (type.getDimSize(i) != 1)
        moved.push_back(d);
    if (llvm::is_sorted(moved)) {
      rewriter.replaceOp(
          op, reshapeUnitDims(rewriter, op.getLoc(), op.getData(), type));
      return success();
    }
    Value init = tensor::EmptyOp::create(
        rewriter, op.getLoc(), type, dynamicSizes(type, [&](int64_t i) {
          return dimSize(rewriter, op.getLoc(), op.getData(), perm[i]);
        }));
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
    // Run-time sizes: the axis adds up the inputs', the others are any
    // input's (they must agree).
    Value first = op.getInputs().front();
    Value axisSize = arith::ConstantIndexOp::create(rewriter, loc, 0);
    for (Value input : op.getInputs())
      axisSize = arith::AddIOp::create(rewriter, loc, axisSize,
                                       dimSize(rewriter, loc, input, axis));
    Value result = tensor::EmptyOp::create(
        rewriter, loc, type, dynamicSizes(type, [&](int64_t i) {
          return i == axis ? axisSize : dimSize(rewriter, loc, first, i);
        }));
    Value offset = arith::ConstantIndexOp::create(rewriter, loc, 0);
    for (Value input : op.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(type.getRank(), rewriter.getIndexAttr(1));
      for (int64_t d = 0; d < inType.getRank(); ++d)
        sizes.push_back(inType.isDynamicDim(d)
                            ? OpFoldResult(dimSize(rewriter, loc, input, d))
                            : rewriter.getIndexAttr(inType.getDimSize(d)));
      offsets[axis] = offset;
      offset = arith::AddIOp::create(rewriter, loc, offset,
                                     dimSize(rewriter, loc, input, axis));
      if (inType.hasStaticShape() && inType.getNumElements() == 0)
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
    Value data = op.getData();
    // Result dims: data's before the axis, the indices', data's after it.
    Value init = tensor::EmptyOp::create(
        rewriter, loc, type, dynamicSizes(type, [&](int64_t i) {
          if (i < axis)
            return dimSize(rewriter, loc, data, i);
          if (i < axis + q)
            return dimSize(rewriter, loc, op.getIndices(), i - axis);
          return dimSize(rewriter, loc, data, i - q + 1);
        }));
    Value dim = dimSize(rewriter, loc, data, axis);
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

/// Shape of static dims is folded by qc-shape-inference; what remains reads
/// the run-time dims.
struct ShapeLowering : OpRewritePattern<qc::ShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ShapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto data = cast<RankedTensorType>(op.getData().getType());
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> positions;
    for (int64_t i = 0; i < data.getRank(); ++i)
      positions.push_back(i);
    SmallVector<Value> dims;
    for (int64_t i : op.selectDims(positions))
      dims.push_back(arith::IndexCastOp::create(
          rewriter, loc, rewriter.getI64Type(),
          dimSize(rewriter, loc, op.getData(), i)));
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, type, dims);
    return success();
  }
};

} // namespace

void quantc::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, FlattenLowering,
               ReshapeLikeLowering<qc::SqueezeOp, true>,
               ReshapeLikeLowering<qc::UnsqueezeOp, false>, TransposeLowering,
               ConcatLowering, GatherLowering, ConstantLowering, ShapeLowering>(
      patterns.getContext());
}
