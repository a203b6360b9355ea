//===- Loss.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ------===//
//
// One linalg.generic over the target's shape (N, d...) picks -input[n, t, d...]
// and the weight of class t (tensor.extract: the class is data), with two
// outputs, the weighted loss and the weight, so that `mean` divides the loss
// sum by the weight sum as ONNX defines it. SoftmaxCrossEntropyLoss first
// takes log(softmax) over dim 1, computed as onnx's reference does.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// log(exp(x - max) / sum(exp(x - max))) over dim 1: the reference's
/// formula, not LogSoftmax's x - logsumexp.
Value logSoftmaxDim1(OpBuilder &b, Location loc, Value x) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  auto et = cast<FloatType>(type.getElementType());
  unsigned rank = type.getRank();
  AffineMap id = b.getMultiDimIdentityMap(rank);
  AffineMap row = keptDimsMap(ctx, rank, {1});
  Value negInf = negativeInfinity(b, loc, et);
  Value max = buildReduction(b, loc, x, {1}, negInf,
                             [](OpBuilder &nb, Location l, ValueRange a) {
                               return (Value)arith::MaximumFOp::create(nb, l, a[0], a[1]);
                             });
  Value exps = buildElementwiseWithMaps(b, loc, type, ValueRange{x, max}, {id, row},
                                        [](OpBuilder &nb, Location l, ValueRange a) {
                                          return (Value)math::ExpOp::create(
                                              nb, l, arith::SubFOp::create(nb, l, a[0], a[1]));
                                        });
  Value sum = buildReduction(b, loc, exps, {1}, scalarConstant(b, loc, et, 0),
                             [](OpBuilder &nb, Location l, ValueRange a) {
                               return (Value)arith::AddFOp::create(nb, l, a[0], a[1]);
                             });
  return buildElementwiseWithMaps(b, loc, type, ValueRange{exps, sum}, {id, row},
                                  [](OpBuilder &nb, Location l, ValueRange a) {
                                    return (Value)math::LogOp::create(
                                        nb, l, arith::DivFOp::create(nb, l, a[0], a[1]));
                                  });
}

/// The NLL loss of `logProbs` (N, C, d...) at `target`, reduced.
Value nllLoss(OpBuilder &b, Location loc, Value logProbs, Value target, Value weight,
              std::optional<int64_t> ignoreIndex, StringRef reduction) {
  auto xType = cast<RankedTensorType>(logProbs.getType());
  auto tType = cast<RankedTensorType>(target.getType());
  auto et = cast<FloatType>(xType.getElementType());
  unsigned rank = tType.getRank();
  int64_t classes = xType.getDimSize(1);
  auto lossType = RankedTensorType::get(tType.getShape(), et);
  AffineMap id = b.getMultiDimIdentityMap(rank);
  Value lossInit = tensor::EmptyOp::create(b, loc, tType.getShape(), et);
  Value weightInit = tensor::EmptyOp::create(b, loc, tType.getShape(), et);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{lossType, lossType}, target, ValueRange{lossInit, weightInit},
      ArrayRef<AffineMap>{id, id, id}, iteratorTypes(rank),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value t = args[0];
        Value zero = scalarConstant(nb, l, et, 0);
        // A class out of range other than ignore_index is undefined in
        // ONNX; clamping keeps the read inside the tensor.
        Value c = arith::IndexCastOp::create(nb, l, nb.getIndexType(), t);
        c = arith::MaxSIOp::create(nb, l, c, arith::ConstantIndexOp::create(nb, l, 0));
        c = arith::MinSIOp::create(nb, l, c,
                                   arith::ConstantIndexOp::create(nb, l, classes - 1));
        SmallVector<Value> coords = {linalg::IndexOp::create(nb, l, 0), c};
        for (unsigned i = 1; i < rank; ++i)
          coords.push_back(linalg::IndexOp::create(nb, l, i));
        Value x = tensor::ExtractOp::create(nb, l, logProbs, coords);
        Value w = weight ? (Value)tensor::ExtractOp::create(nb, l, weight, ValueRange{c})
                         : scalarConstant(nb, l, et, 1);
        Value loss = arith::MulFOp::create(nb, l, arith::NegFOp::create(nb, l, x), w);
        if (ignoreIndex) {
          Value ignored = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::eq, t,
              arith::ConstantOp::create(nb, l, nb.getIntegerAttr(t.getType(), *ignoreIndex)));
          loss = arith::SelectOp::create(nb, l, ignored, zero, loss);
          w = arith::SelectOp::create(nb, l, ignored, zero, w);
        }
        linalg::YieldOp::create(nb, l, ValueRange{loss, w});
      });
  Value loss = generic.getResult(0);
  if (reduction == "none")
    return loss;
  auto scalarType = RankedTensorType::get({}, et);
  SmallVector<int64_t> all;
  for (unsigned i = 0; i < rank; ++i)
    all.push_back(i);
  auto sumAll = [&](Value v) {
    return buildReduction(b, loc, v, all, scalarConstant(b, loc, et, 0),
                          [](OpBuilder &nb, Location l, ValueRange a) {
                            return (Value)arith::AddFOp::create(nb, l, a[0], a[1]);
                          });
  };
  Value total = sumAll(loss);
  if (reduction == "sum")
    return total;
  return buildElementwise(b, loc, scalarType, ValueRange{total, sumAll(generic.getResult(1))},
                          [](OpBuilder &nb, Location l, ValueRange a) {
                            return (Value)arith::DivFOp::create(nb, l, a[0], a[1]);
                          });
}

struct NllLossLowering : OpRewritePattern<qc::NegativeLogLikelihoodLossOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::NegativeLogLikelihoodLossOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, nllLoss(rewriter, op.getLoc(), op.getInput(), op.getTarget(),
                                   op.getWeight(), op.getIgnoreIndex(), op.getReduction()));
    return success();
  }
};

struct SoftmaxCrossEntropyLossLowering : OpRewritePattern<qc::SoftmaxCrossEntropyLossOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SoftmaxCrossEntropyLossOp op,
                                PatternRewriter &rewriter) const override {
    Value logProbs = logSoftmaxDim1(rewriter, op.getLoc(), op.getScores());
    Value loss = nllLoss(rewriter, op.getLoc(), logProbs, op.getLabels(), op.getWeights(),
                         op.getIgnoreIndex(), op.getReduction());
    rewriter.replaceOp(op, {loss, logProbs});
    return success();
  }
};

} // namespace

void quantc::populateLossPatterns(RewritePatternSet &patterns) {
  patterns.add<NllLossLowering, SoftmaxCrossEntropyLossLowering>(patterns.getContext());
}
