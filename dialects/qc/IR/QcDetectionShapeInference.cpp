//===- QcDetectionShapeInference.cpp - qc.NonMaxSuppression result type ---===//
//
// The checks here are what the lowering relies on: boxes of static last dim
// 4 (the lowering reads coordinates 0..3 without a bound check), boxes and
// scores of one float type, thresholds that are single values.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementwiseRules.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

using namespace mlir;
using namespace quantc::qc;

/// A threshold input: omitted, or a scalar or 1-D tensor of at most one
/// element (none counts as omitted) of floats, or of signed integers (ONNX
/// has int64 only; unsigned ones would need the signless conversion).
static LogicalResult checkThreshold(Operation *op, Value v, StringRef name,
                                    bool isFloat) {
  if (!v)
    return success();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  Type et = type ? type.getElementType() : Type();
  bool typeOk = isFloat ? et && isInElementClass(et, ElementClass::Float)
                        : et && et.isSignlessInteger() && !et.isInteger(1);
  if (!type || type.getRank() > 1 || !type.hasStaticShape() ||
      type.getNumElements() > 1 || !typeOk)
    return op->emitOpError()
           << "'" << name << "' must be a scalar or a one-element tensor of "
           << (isFloat ? "floats" : "signed integers") << ", got "
           << v.getType();
  return success();
}

LogicalResult NonMaxSuppressionOp::inferShapes() {
  auto boxes = rankedOperand(*this, getBoxes(), "boxes");
  auto scores = rankedOperand(*this, getScores(), "scores");
  if (failed(boxes) || failed(scores))
    return failure();
  if (boxes->getRank() != 3 || boxes->getDimSize(2) != 4)
    return emitOpError() << "boxes must be batches x boxes x 4, got " << *boxes;
  if (scores->getRank() != 3)
    return emitOpError() << "scores must be batches x classes x boxes, got "
                         << *scores;
  Type et = boxes->getElementType();
  if (!isInElementClass(et, ElementClass::Float) ||
      scores->getElementType() != et)
    return emitOpError() << "boxes and scores must be floats of one type, got "
                         << *boxes << " and " << *scores;
  for (auto [b, s] : {std::pair<int64_t, int64_t>{0, 0}, {1, 2}}) {
    int64_t bd = boxes->getDimSize(b), sd = scores->getDimSize(s);
    if (!ShapedType::isDynamic(bd) && !ShapedType::isDynamic(sd) && bd != sd)
      return emitOpError() << "boxes " << *boxes << " and scores " << *scores
                           << " disagree on the number of "
                           << (b == 0 ? "batches" : "boxes");
  }
  if (getCenterPointBox() != 0 && getCenterPointBox() != 1)
    return emitOpError() << "center_point_box must be 0 or 1, got "
                         << getCenterPointBox();
  if (failed(checkThreshold(*this, getMaxOutputBoxesPerClass(),
                            "max_output_boxes_per_class",
                            /*isFloat=*/false)) ||
      failed(checkThreshold(*this, getIouThreshold(), "iou_threshold",
                            /*isFloat=*/true)) ||
      failed(checkThreshold(*this, getScoreThreshold(), "score_threshold",
                            /*isFloat=*/true)))
    return failure();
  // How many boxes survive is only known at run time.
  setResult(*this, {ShapedType::kDynamic, 3},
            IntegerType::get(getContext(), 64));
  return success();
}
