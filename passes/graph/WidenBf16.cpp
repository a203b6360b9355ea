//===- WidenBf16.cpp - qc-widen-bf16 --------------------------------------===//
//
// No kernel computes in bfloat16: each op that does is rewritten to compute
// in float32 between casts, bf16 -> f32 on its operands (exact) and f32 ->
// bf16 on its results (round to nearest even, lowered bit-exactly by
// qc-expand-small-float-casts). Rounding at every op boundary is what
// onnxruntime's CPU provider and the ONNX reference (numpy on ml_dtypes'
// bfloat16, which computes each ufunc in float32) do; within one op the
// intermediate values stay f32, which can only be closer to the exact
// result than the reference's per-ufunc rounding.
//
// It runs after qc-shape-inference, which infers bf16 results like any
// float's: the widened op must then infer the same types with f32 for bf16,
// or it is refused (an op whose bf16 result comes from an attribute, such
// as ConstantOfShape's value, cannot be widened this way).
//
//===----------------------------------------------------------------------===//
#include "passes/graph/Passes.h"

#include "dialects/qc/IR/OnnxDataTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

namespace quantc {
#define GEN_PASS_DEF_QCWIDENBF16
#include "passes/graph/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

constexpr int64_t kOnnxFloat = 1, kOnnxBFloat16 = 16;

bool isBf16Tensor(Type t) { return getElementTypeOrSelf(t).isBF16(); }

/// `t` with a bf16 element type replaced by f32.
Type widened(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  if (!shaped || !shaped.getElementType().isBF16())
    return t;
  return shaped.clone(Float32Type::get(t.getContext()));
}

struct WidenBf16Pass : public quantc::impl::QcWidenBf16Base<WidenBf16Pass> {
  void runOnOperation() override {
    widenedValues.clear();
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<qc::ShapeInferenceOpInterface>(op) &&
          !qc::convertsOrMovesOnly(op) &&
          (llvm::any_of(op->getOperandTypes(), isBf16Tensor) ||
           llvm::any_of(op->getResultTypes(), isBf16Tensor)))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(widen(op)))
        return signalPassFailure();
  }

  /// Rewrites `op` to compute in f32, as the file comment says.
  LogicalResult widen(Operation *op) {
    if (!llvm::any_of(op->getOperandTypes(), isBf16Tensor))
      return qc::refuseStorageOnlyType(op, BFloat16Type::get(&getContext()));
    for (OpOperand &operand : op->getOpOperands())
      if (isBf16Tensor(operand.get().getType()))
        operand.set(widenedValue(operand.get()));

    SmallVector<Type> before(op->getResultTypes());
    if (failed(cast<qc::ShapeInferenceOpInterface>(op).inferShapes()))
      return failure();
    OpBuilder b(op->getContext());
    b.setInsertionPointAfter(op);
    for (auto [result, type] : llvm::zip(op->getResults(), before)) {
      if (result.getType() != widened(type))
        return op->emitOpError()
               << "cannot compute in f32 for its bf16 operands: result type "
               << result.getType() << " where " << widened(type)
               << " was expected";
      if (!isBf16Tensor(type))
        continue;
      auto rounded = qc::CastOp::create(b, op->getLoc(), type, result,
                                        kOnnxBFloat16);
      result.replaceAllUsesExcept(rounded, rounded);
    }
    return success();
  }

  /// `v` (bf16) as f32: one cast per value whatever its number of users, a
  /// constant for a constant (so that ops reading constant operands, Range
  /// or Pad say, still see one).
  Value widenedValue(Value v) {
    auto [it, inserted] = widenedValues.try_emplace(v);
    if (!inserted)
      return it->second;
    OpBuilder b(v.getContext());
    if (Operation *def = v.getDefiningOp())
      b.setInsertionPointAfter(def);
    else
      b.setInsertionPointToStart(v.getParentBlock());
    Type type = widened(v.getType());
    auto constant = v.getDefiningOp<qc::ConstantOp>();
    auto dense = constant ? dyn_cast<DenseFPElementsAttr>(constant.getValue())
                          : DenseFPElementsAttr();
    if (dense) {
      auto f32 = Float32Type::get(v.getContext());
      it->second = qc::ConstantOp::create(
          b, v.getLoc(), type,
          dense.mapValues(f32, [&](const APFloat &x) {
            bool lost;
            APFloat y = x;
            y.convert(f32.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                      &lost);
            return y.bitcastToAPInt();
          }));
    } else {
      it->second = qc::CastOp::create(b, v.getLoc(), type, v, kOnnxFloat);
    }
    return it->second;
  }

  DenseMap<Value, Value> widenedValues;
};

} // namespace
