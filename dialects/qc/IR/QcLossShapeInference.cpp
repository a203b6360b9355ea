//===- QcLossShapeInference.cpp - result types of the loss ops ------------===//
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

/// Checks (input (N, C, d...), target (N, d...) integer, weight (C)) and the
/// reduction, and sets the loss type: the target's shape for `none`, else a
/// scalar.
LogicalResult inferLoss(Operation *op, Value input, Value target, Value weight,
                        StringRef reduction) {
  auto x = dyn_cast<RankedTensorType>(input.getType());
  auto t = dyn_cast<RankedTensorType>(target.getType());
  if (!x || !t)
    return op->emitOpError() << "needs ranked input and target";
  if (!isa<FloatType>(x.getElementType()))
    return op->emitOpError() << "input must be float, got " << x.getElementType();
  if (!t.getElementType().isSignlessInteger() || t.getElementType().isInteger(1))
    return op->emitOpError() << "target must be int32 or int64";
  SmallVector<int64_t> expected(x.getShape());
  if (expected.size() < 2)
    return op->emitOpError() << "input must be at least 2-D (N, C, ...), got " << x;
  int64_t classes = expected[1];
  expected.erase(expected.begin() + 1);
  if (t.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError() << "target " << t << " does not match input " << x
                             << " (expected (N, d1, ...))";
  if (weight) {
    auto w = dyn_cast<RankedTensorType>(weight.getType());
    if (!w || w.getShape() != ArrayRef<int64_t>{classes} ||
        w.getElementType() != x.getElementType())
      return op->emitOpError() << "weight must be a 1-D tensor of " << classes
                               << " " << x.getElementType();
  }
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return op->emitOpError() << "reduction '" << reduction
                             << "' is not one of none, sum, mean";
  ArrayRef<int64_t> shape = reduction == "none" ? t.getShape() : ArrayRef<int64_t>{};
  op->getResult(0).setType(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

} // namespace

LogicalResult NegativeLogLikelihoodLossOp::inferShapes() {
  return inferLoss(*this, getInput(), getTarget(), getWeight(), getReduction());
}

LogicalResult SoftmaxCrossEntropyLossOp::inferShapes() {
  if (failed(inferLoss(*this, getScores(), getLabels(), getWeights(), getReduction())))
    return failure();
  getLogProb().setType(getScores().getType());
  return success();
}
