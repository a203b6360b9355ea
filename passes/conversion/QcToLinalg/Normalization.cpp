//===- Normalization.cpp - BatchNormalization and Softmax -----------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace quantc;

namespace {

/// y = (x - mean) / sqrt(var + eps) * scale + B, per channel (dim 1).
Value batchNorm(OpBuilder &rewriter, Location loc, Value x, Value scale, Value bias,
                Value mean, Value var, double eps) {
  MLIRContext *ctx = rewriter.getContext();
  auto outType = cast<RankedTensorType>(x.getType());
  auto paramType = cast<RankedTensorType>(scale.getType());
  Type et = outType.getElementType();
  // Per channel: k = scale / sqrt(var + eps), c = B - mean * k; then
  // y = x * k + c. The per-channel part is tiny next to the per-element one.
  Value k = buildElementwise(
      rewriter, loc, paramType, ValueRange{scale, var},
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value v = arith::AddFOp::create(b, l, a[1], scalarConstant(b, l, et, eps));
        return (Value)arith::DivFOp::create(b, l, a[0], math::SqrtOp::create(b, l, v));
      });
  Value c = buildElementwise(
      rewriter, loc, paramType, ValueRange{bias, mean, k},
      [](OpBuilder &b, Location l, ValueRange a) {
        return (Value)arith::SubFOp::create(b, l, a[0],
                                            arith::MulFOp::create(b, l, a[1], a[2]));
      });
  unsigned rank = outType.getRank();
  AffineMap channel = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
  return buildElementwiseWithMaps(
      rewriter, loc, outType, ValueRange{x, k, c},
      {rewriter.getMultiDimIdentityMap(rank), channel, channel},
      [](OpBuilder &b, Location l, ValueRange a) {
        return (Value)arith::AddFOp::create(b, l,
                                            arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
      });
}

struct BatchNormLowering : OpRewritePattern<qc::BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::BatchNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    double eps = op.getEpsilon().convertToFloat();
    if (!op.getTrainingMode()) {
      Value y = batchNorm(rewriter, loc, op.getX(), op.getScale(), op.getB(),
                          op.getInputMean(), op.getInputVar(), eps);
      rewriter.replaceOp(op, {y, op.getInputMean(), op.getInputVar()});
      return success();
    }
    // Training: the batch's statistics over every dim but the channel.
    auto xType = cast<RankedTensorType>(op.getX().getType());
    SmallVector<int64_t> dims{0};
    for (int64_t i = 2; i < xType.getRank(); ++i)
      dims.push_back(i);
    Moments m = buildMoments(rewriter, loc, op.getX(), dims);
    Value y = batchNorm(rewriter, loc, op.getX(), op.getScale(), op.getB(), m.mean,
                        m.variance, eps);
    double momentum = op.getMomentum().convertToFloat();
    auto running = [&](Value input, Value batch) {
      return buildElementwise(
          rewriter, loc, cast<RankedTensorType>(input.getType()), ValueRange{input, batch},
          [&](OpBuilder &b, Location l, ValueRange a) {
            Type et = a[0].getType();
            return (Value)arith::AddFOp::create(
                b, l, arith::MulFOp::create(b, l, a[0], scalarConstant(b, l, et, momentum)),
                arith::MulFOp::create(b, l, a[1], scalarConstant(b, l, et, 1 - momentum)));
          });
    };
    rewriter.replaceOp(op, {y, running(op.getInputMean(), m.mean),
                            running(op.getInputVar(), m.variance)});
    return success();
  }
};

struct SoftmaxLowering : OpRewritePattern<qc::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    auto et = cast<FloatType>(type.getElementType());
    unsigned rank = type.getRank();
    unsigned axis = *qc::normalizeAxis(op.getAxis(), rank);
    unsigned end = op.getCoerceTo_2d() ? rank : axis + 1;

    // Along the last dim in f32, one linalg.softmax: qc-linalg-to-cpu-kernels
    // makes it the runtime's row kernel, which keeps each row in cache
    // (decomposed, it is five passes over the whole tensor).
    if (et.isF32() && rank >= 2 && axis + 1 == rank && end == rank) {
      Value input = op.getInput();
      Value init =
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), et,
                                  dynamicSizes(type, [&](int64_t i) {
                                    return dimSize(rewriter, loc, input, i);
                                  }));
      rewriter.replaceOpWithNewOp<linalg::SoftmaxOp>(op, type, input, init,
                                                     axis);
      return success();
    }
    SmallVector<int64_t> reduced;
    for (unsigned i = axis; i < end; ++i)
      reduced.push_back(i);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = keptDimsMap(ctx, rank, reduced);
    auto reduce = [&](Value input, Value initValue, ScalarBodyFn combine) {
      return buildReduction(rewriter, loc, input, reduced, initValue, combine);
    };
    Value negInf = negativeInfinity(rewriter, loc, et);
    // maxnumf, which skips a NaN, where ReduceMax's maximumf returns it: a
    // row with a NaN is all NaN either way (the NaN's exp makes the row's
    // sum NaN, and every element is divided by it), and maxnumf is one
    // compare and blend fewer per element on x86 (no signed-zero order).
    Value max = reduce(
        op.getInput(), negInf, [](OpBuilder &b, Location l, ValueRange a) {
          return (Value)arith::MaxNumFOp::create(b, l, a[0], a[1]);
        });
    Value exps = buildElementwiseWithMaps(rewriter, loc, type,
                                          ValueRange{op.getInput(), max},
                                          {identity, kept},
                             [](OpBuilder &b, Location l, ValueRange a) {
                               return (Value)math::ExpOp::create(
                                   b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                             });
    Value sum = reduce(exps, scalarConstant(rewriter, loc, et, 0),
                       [](OpBuilder &b, Location l, ValueRange a) {
                         return (Value)arith::AddFOp::create(b, l, a[0], a[1]);
                       });
    Value out = buildElementwiseWithMaps(rewriter, loc, type,
                                         ValueRange{exps, sum}, {identity, kept},
                            [](OpBuilder &b, Location l, ValueRange a) {
                              return (Value)arith::DivFOp::create(b, l, a[0], a[1]);
                            });
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

void quantc::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, SoftmaxLowering>(patterns.getContext());
}
