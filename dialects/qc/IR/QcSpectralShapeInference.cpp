//===- QcSpectralShapeInference.cpp - qc.DFT result type ------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

using namespace mlir;
using namespace quantc::qc;

bool DFTOp::hasRunTimeAxis() {
  return getAxisInput() && !constantInts(getAxisInput());
}

FailureOr<SmallVector<DFTOp::Plan>> DFTOp::getRunTimeAxisPlans() {
  auto axisType = dyn_cast<RankedTensorType>(getAxisInput().getType());
  if (!axisType || !axisType.hasStaticShape() ||
      axisType.getNumElements() != 1 ||
      !isa<IntegerType>(axisType.getElementType()))
    return emitOpError() << "the 'axis' input must be one integer";
  auto x = dyn_cast<RankedTensorType>(getInput().getType());
  if (!x || !x.hasStaticShape() || x.getRank() < 2)
    return emitOpError() << "needs an input of static shape (..., 1 or 2)";
  SmallVector<Plan> plans;
  for (int64_t axis = 0; axis + 1 < x.getRank(); ++axis) {
    if (getInverse() && getOnesided() && !getDftLength() &&
        x.getDimSize(axis) < 2)
      continue;
    FailureOr<Plan> plan = getPlan(axis);
    if (failed(plan))
      return failure();
    plans.push_back(*plan);
  }
  if (plans.empty())
    return emitOpError() << "no axis of " << x << " can be transformed";
  return plans;
}

FailureOr<DFTOp::Plan> DFTOp::getPlan(std::optional<int64_t> axisChoice) {
  auto x = dyn_cast<RankedTensorType>(getInput().getType());
  if (!x || !x.hasStaticShape() || x.getRank() < 2)
    return emitOpError() << "needs an input of static shape (..., 1 or 2)";
  int64_t components = x.getDimSize(x.getRank() - 1);
  if (components != 1 && components != 2)
    return emitOpError() << "the input's last dim must be 1 (real) or 2 (complex)";
  Plan plan;
  int64_t axis;
  if (axisChoice) {
    axis = *axisChoice;
  } else if (Value a = getAxisInput()) {
    auto v = constantInts(a);
    if (!v || v->size() != 1)
      return emitOpError() << "the 'axis' input must be a constant scalar";
    axis = (*v)[0];
  } else {
    if (!getAxis())
      return emitOpError() << "has no axis";
    axis = *getAxis();
  }
  // The axis counts over the input's dims, the last (component) dim excluded.
  int64_t rank = x.getRank();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank - 1)
    return emitOpError() << "axis " << axis << " is out of range for " << x;
  plan.axis = axis;
  plan.inverse = getInverse() != 0;
  plan.onesided = getOnesided() != 0;
  int64_t n = x.getDimSize(axis);
  if (Value len = getDftLength()) {
    auto v = constantInts(len);
    if (!v || v->size() != 1)
      return emitOpError() << "dft_length must be a constant scalar";
    plan.length = (*v)[0];
  } else {
    plan.length = plan.inverse && plan.onesided ? 2 * (n - 1) : n;
  }
  if (plan.length < 1)
    return emitOpError() << "dft_length must be positive";
  if (plan.inverse && plan.onesided) { // irfft: one-sided bins in, real out
    plan.inputsUsed = std::min(n, plan.length / 2 + 1);
    plan.outputs = plan.length;
    plan.outComponents = 1;
  } else {
    plan.inputsUsed = std::min(n, plan.length);
    plan.outputs = plan.onesided ? plan.length / 2 + 1 : plan.length;
    plan.outComponents = 2;
  }
  return plan;
}

/// The output shape of one plan.
static SmallVector<int64_t> dftShape(RankedTensorType x,
                                     const DFTOp::Plan &plan) {
  SmallVector<int64_t> shape(x.getShape());
  shape[plan.axis] = plan.outputs;
  shape.back() = plan.outComponents;
  return shape;
}

LogicalResult DFTOp::inferShapes() {
  SmallVector<SmallVector<int64_t>> shapes;
  if (hasRunTimeAxis()) {
    // What the plans of every possible axis share.
    auto plans = getRunTimeAxisPlans();
    if (failed(plans))
      return failure();
    for (const Plan &plan : *plans)
      shapes.push_back(
          dftShape(cast<RankedTensorType>(getInput().getType()), plan));
  } else {
    FailureOr<Plan> plan = getPlan();
    if (failed(plan))
      return failure();
    shapes.push_back(
        dftShape(cast<RankedTensorType>(getInput().getType()), *plan));
  }
  auto x = cast<RankedTensorType>(getInput().getType());
  if (!isa<FloatType>(x.getElementType()))
    return emitOpError() << "the input must be float";
  getOutput().setType(
      RankedTensorType::get(commonShape(shapes), x.getElementType()));
  return success();
}
