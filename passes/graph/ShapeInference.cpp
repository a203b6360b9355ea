//===- ShapeInference.cpp - qc-shape-inference ----------------------------===//
#include "passes/graph/Passes.h"

#include "dialects/qc/IR/OnnxDataTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/FoldUtils.h"

namespace quantc {
#define GEN_PASS_DEF_QCSHAPEINFERENCE
#include "passes/graph/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {
/// bfloat16, float8/float4 and 4-/2-bit integers are converted and moved, not
/// computed with: any other op on them is refused here, naming the type,
/// rather than lowered to arithmetic LLVM cannot do on them.
LogicalResult checkStorageOnlyTypes(Operation *op) {
  if (isa<qc::CastOp, qc::CastLikeOp, qc::IdentityOp, qc::ConstantOp,
          qc::ReshapeOp, qc::FlattenOp, qc::SqueezeOp, qc::UnsqueezeOp,
          qc::TransposeOp, qc::ConcatOp, qc::SliceOp, qc::SplitOp, qc::GatherOp,
          qc::ExpandOp, qc::TileOp, qc::ShapeOp, qc::SizeOp>(op))
    return success();
  for (TypeRange types :
       {TypeRange(op->getOperandTypes()), TypeRange(op->getResultTypes())})
    for (Type type : types)
      if (Type et = getElementTypeOrSelf(type);
          qc::isStorageOnlyElementType(et))
        return op->emitOpError()
               << "element type " << et
               << " is supported by Cast, CastLike and data movement ops "
                  "(Identity, Reshape, Transpose, Concat, Slice, Gather, ...) "
                  "only";
  return success();
}

struct ShapeInferencePass
    : public quantc::impl::QcShapeInferenceBase<ShapeInferencePass> {
  void runOnOperation() override {
    OperationFolder folder(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // Collect first: folding erases ops and materializes new constants.
      SmallVector<Operation *> ops;
      func.walk([&](Operation *op) { ops.push_back(op); });
      for (Operation *op : ops) {
        auto inferable = dyn_cast<qc::ShapeInferenceOpInterface>(op);
        if (!inferable)
          continue;
        if (failed(inferable.inferShapes()) ||
            failed(checkStorageOnlyTypes(op)))
          return signalPassFailure();
        (void)folder.tryToFold(op);
      }
      // The function returns what its body now computes.
      if (func.isExternal())
        continue;
      auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
      func.setType(FunctionType::get(&getContext(),
                                     func.getArgumentTypes(),
                                     ret.getOperandTypes()));
    }
  }
};
} // namespace
