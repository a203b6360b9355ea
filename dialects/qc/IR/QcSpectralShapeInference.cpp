//===- QcSpectralShapeInference.cpp - qc.DFT result type ------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

using namespace mlir;
using namespace quantc::qc;

FailureOr<DFTOp::Plan> DFTOp::getPlan() {
  auto x = dyn_cast<RankedTensorType>(getInput().getType());
  if (!x || !x.hasStaticShape() || x.getRank() < 2)
    return emitOpError() << "needs an input of static shape (..., 1 or 2)";
  int64_t components = x.getDimSize(x.getRank() - 1);
  if (components != 1 && components != 2)
    return emitOpError() << "the input's last dim must be 1 (real) or 2 (complex)";
  Plan plan;
  int64_t axis;
  if (Value a = getAxisInput()) {
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

LogicalResult DFTOp::inferShapes() {
  FailureOr<Plan> plan = getPlan();
  if (failed(plan))
    return failure();
  auto x = cast<RankedTensorType>(getInput().getType());
  if (!isa<FloatType>(x.getElementType()))
    return emitOpError() << "the input must be float";
  SmallVector<int64_t> shape(x.getShape());
  shape[plan->axis] = plan->outputs;
  shape.back() = plan->outComponents;
  getOutput().setType(RankedTensorType::get(shape, x.getElementType()));
  return success();
}
