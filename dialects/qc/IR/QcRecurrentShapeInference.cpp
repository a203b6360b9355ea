//===- QcRecurrentShapeInference.cpp - RNN, GRU, LSTM result types --------===//
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

/// Checks one recurrent op (`gates` gate blocks in W/R: 1 for RNN, 3 for GRU,
/// 4 for LSTM) and sets its result types.
template <typename Op>
LogicalResult inferRecurrent(Op op, int64_t gates, unsigned numActivations) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  auto w = dyn_cast<RankedTensorType>(op.getW().getType());
  auto r = dyn_cast<RankedTensorType>(op.getR().getType());
  if (!x || !w || !r || !x.hasStaticShape() || !w.hasStaticShape() ||
      !r.hasStaticShape() || x.getRank() != 3 || w.getRank() != 3 || r.getRank() != 3)
    return op.emitOpError() << "needs X, W and R of static 3-D shapes";
  Type et = x.getElementType();
  if (!isa<FloatType>(et) || w.getElementType() != et || r.getElementType() != et)
    return op.emitOpError() << "X, W and R must have the same float element type";
  StringRef direction = op.getDirection();
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    return op.emitOpError() << "direction '" << direction << "' is not forward, "
                            << "reverse or bidirectional";
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  int64_t layout = op.getLayout();
  if (layout != 0 && layout != 1)
    return op.emitOpError() << "layout must be 0 or 1";
  int64_t seq = x.getDimSize(layout == 0 ? 0 : 1);
  int64_t batch = x.getDimSize(layout == 0 ? 1 : 0);
  int64_t input = x.getDimSize(2);
  int64_t hidden = op.getHiddenSize() ? *op.getHiddenSize() : r.getDimSize(2);
  auto expect = [&](Value v, ArrayRef<int64_t> shape, StringRef name,
                    Type elementType) -> LogicalResult {
    if (!v)
      return success();
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || t.getShape() != shape || t.getElementType() != elementType)
      return op.emitOpError() << name << " must be " << RankedTensorType::get(shape, elementType)
                              << ", got " << v.getType();
    return success();
  };
  SmallVector<int64_t> stateShape =
      layout == 0 ? SmallVector<int64_t>{dirs, batch, hidden}
                  : SmallVector<int64_t>{batch, dirs, hidden};
  if (failed(expect(op.getW(), {dirs, gates * hidden, input}, "W", et)) ||
      failed(expect(op.getR(), {dirs, gates * hidden, hidden}, "R", et)) ||
      failed(expect(op.getB(), {dirs, 2 * gates * hidden}, "B", et)) ||
      failed(expect(op.getInitialH(), stateShape, "initial_h", et)))
    return failure();
  if (Value lens = op.getSequenceLens()) {
    auto t = dyn_cast<RankedTensorType>(lens.getType());
    if (!t || t.getShape() != ArrayRef<int64_t>{batch} ||
        !t.getElementType().isSignlessInteger(32))
      return op.emitOpError() << "sequence_lens must be int32 of shape (" << batch << ")";
  }
  if (op.getActivationAlpha() || op.getActivationBeta())
    return op.emitOpError() << "activation_alpha/activation_beta are not supported "
                               "(only Sigmoid, Tanh and Relu activations)";
  if (auto acts = op.getActivations()) {
    if (acts->size() != numActivations * dirs)
      return op.emitOpError() << "expects " << numActivations * dirs << " activations";
    for (Attribute a : *acts) {
      StringRef name = cast<StringAttr>(a).getValue();
      if (!name.equals_insensitive("sigmoid") && !name.equals_insensitive("tanh") &&
          !name.equals_insensitive("relu"))
        return op.emitOpError() << "activation '" << name << "' is not supported "
                                   "(only Sigmoid, Tanh and Relu)";
    }
  }
  if (layout == 0)
    op.getY().setType(RankedTensorType::get({seq, dirs, batch, hidden}, et));
  else
    op.getY().setType(RankedTensorType::get({batch, seq, dirs, hidden}, et));
  op.getYH().setType(RankedTensorType::get(stateShape, et));
  return success();
}

} // namespace

LogicalResult RNNOp::inferShapes() { return inferRecurrent(*this, 1, 1); }

LogicalResult GRUOp::inferShapes() { return inferRecurrent(*this, 3, 2); }

LogicalResult LSTMOp::inferShapes() {
  if (getInputForget() != 0)
    return emitOpError() << "input_forget is not supported";
  if (failed(inferRecurrent(*this, 4, 3)))
    return failure();
  auto yh = cast<RankedTensorType>(getYH().getType());
  auto check = [&](Value v, ArrayRef<int64_t> shape, StringRef name) -> LogicalResult {
    if (!v)
      return success();
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || t.getShape() != shape || t.getElementType() != yh.getElementType())
      return emitOpError() << name << " must be " << RankedTensorType::get(shape, yh.getElementType());
    return success();
  };
  int64_t dirs = getDirection() == "bidirectional" ? 2 : 1;
  int64_t hidden = yh.getDimSize(2);
  if (failed(check(getInitialC(), yh.getShape(), "initial_c")) ||
      failed(check(getP(), {dirs, 3 * hidden}, "P")))
    return failure();
  getYC().setType(yh);
  return success();
}
