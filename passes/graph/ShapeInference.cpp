//===- ShapeInference.cpp - qc-shape-inference ----------------------------===//
#include "passes/graph/Passes.h"

#include "dialects/qc/IR/OnnxDataTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
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
          qc::ExpandOp, qc::TileOp, qc::ShapeOp, qc::SizeOp, qc::IfOp>(op))
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
    IRRewriter rewriter(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (failed(inferBlock(func.getBody().front(), folder, rewriter)))
        return signalPassFailure();
      // The function returns what its body now computes.
      auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
      func.setType(FunctionType::get(&getContext(),
                                     func.getArgumentTypes(),
                                     ret.getOperandTypes()));
    }
  }

  /// Infers the ops of `block` in order, an If's branches before the If.
  /// An If whose condition has folded to a constant is replaced by its taken
  /// branch before either branch is inferred: the other branch is often valid
  /// only for the shapes it was not taken for (silero-vad squeezes a dim
  /// only when it is 1).
  LogicalResult inferBlock(Block &block, OperationFolder &folder,
                           IRRewriter &rewriter) {
    for (Operation *op = &block.front(); op;) {
      // Taken first: folding erases `op`, and an inlined branch is inferred
      // from its first op on.
      Operation *next = op->getNextNode();
      if (auto ifOp = dyn_cast<qc::IfOp>(op)) {
        if (std::optional<bool> cond = ifOp.getConstantCondition()) {
          Block &taken = (*cond ? ifOp.getThenBranch() : ifOp.getElseBranch())
                             .front();
          Operation *first = &taken.front();
          bool empty = isa<qc::YieldOp>(first);
          rewriter.setInsertionPoint(ifOp);
          ifOp.inlineBranch(rewriter, *cond ? 0 : 1);
          op = empty ? next : first;
          continue;
        }
        for (Region *region : {&ifOp.getThenBranch(), &ifOp.getElseBranch()})
          if (failed(inferBlock(region->front(), folder, rewriter)))
            return failure();
      }
      if (auto inferable = dyn_cast<qc::ShapeInferenceOpInterface>(op)) {
        if (failed(inferable.inferShapes()) ||
            failed(checkStorageOnlyTypes(op)))
          return failure();
        (void)folder.tryToFold(op);
      }
      op = next;
    }
    return success();
  }
};
} // namespace
