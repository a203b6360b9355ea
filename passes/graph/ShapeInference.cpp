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
/// float8/float4 and 4-/2-bit integers are converted and moved, not computed
/// with: any other op on them is refused here, naming the type, rather than
/// lowered to arithmetic LLVM cannot do on them. bfloat16 is let through:
/// its result types are inferred as for any float, which is what
/// qc-widen-bf16 (next in the pipeline) needs to know which results to round
/// back to bf16 after computing in f32. That pass refuses what it cannot
/// widen, and qc-lower-to-linalg refuses any storage-only type left on an
/// op that computes, so nothing reaches LLVM as bf16 arithmetic.
LogicalResult checkStorageOnlyTypes(Operation *op) {
  if (qc::convertsOrMovesOnly(op))
    return success();
  for (TypeRange types :
       {TypeRange(op->getOperandTypes()), TypeRange(op->getResultTypes())})
    for (Type type : types)
      if (Type et = getElementTypeOrSelf(type);
          qc::isStorageOnlyElementType(et) && !et.isBF16())
        return qc::refuseStorageOnlyType(op, et);
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

  /// Infers the ops of `block` in order, an If's branches or a Loop's or
  /// Scan's body before the op itself.
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
        if (failed(inferBranches(ifOp, folder, rewriter)))
          return failure();
      }
      if (failed(inferBody(op, folder, rewriter)))
        return failure();
      if (auto inferable = dyn_cast<qc::ShapeInferenceOpInterface>(op)) {
        if (failed(inferable.inferShapes()) ||
            failed(checkStorageOnlyTypes(op)))
          return failure();
        // A constant is left where it is: the folder would hoist it and
        // drop its location, the initializer's name that later passes
        // report and name their own constants after.
        if (!isa<qc::ConstantOp>(op))
          (void)folder.tryToFold(op);
      }
      op = next;
    }
    return success();
  }

  /// A Loop's or Scan's body, once, with its arguments typed from the
  /// op's operands (see QcLoops.cpp).
  LogicalResult inferBody(Operation *op, OperationFolder &folder,
                          IRRewriter &rewriter) {
    if (auto loop = dyn_cast<qc::LoopOp>(op))
      return failure(
          failed(loop.inferBodyArguments()) ||
          failed(inferBlock(loop.getBody().front(), folder, rewriter)));
    if (auto scan = dyn_cast<qc::ScanOp>(op))
      return failure(
          failed(scan.inferBodyArguments()) ||
          failed(inferBlock(scan.getBody().front(), folder, rewriter)));
    return success();
  }

  /// Infers both branches of an If whose condition is known only at run
  /// time. A branch that fails for the compiled shapes (silero-vad's 8 kHz
  /// network given a 16 kHz chunk, invalid in onnxruntime too) cannot run
  /// correctly; as model code cannot report errors yet, it is compiled to
  /// yield NaN (0 for integers, false for bools) in the other branch's
  /// types, with a warning that gives the branch's errors. Both failing:
  /// an error with the then_branch's errors.
  LogicalResult inferBranches(qc::IfOp ifOp, OperationFolder &folder,
                              IRRewriter &rewriter) {
    std::string errors[2];
    bool ok[2];
    for (unsigned branch : {0u, 1u}) {
      Region &region = branch == 0 ? ifOp.getThenBranch() : ifOp.getElseBranch();
      llvm::raw_string_ostream os(errors[branch]);
      ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
        if (diag.getSeverity() != DiagnosticSeverity::Error)
          return failure(); // notes and warnings go on as usual
        os << (errors[branch].empty() ? "" : "; ");
        if (auto name = diag.getLocation()->findInstanceOf<NameLoc>())
          os << "node '" << name.getName().strref() << "': ";
        os << diag.str();
        return success();
      });
      ok[branch] = succeeded(inferBlock(region.front(), folder, rewriter));
    }
    if (!ok[0] && !ok[1])
      return ifOp.emitError() << "neither branch of the If can be compiled "
                                 "for these input shapes: "
                              << errors[0];
    for (unsigned branch : {0u, 1u}) {
      if (ok[branch])
        continue;
      // Not ifOp.emitWarning(): that would print the whole If with it.
      mlir::emitWarning(ifOp.getLoc())
          << (branch == 0 ? "then_branch" : "else_branch")
          << " cannot be compiled for these input shapes, so it gives NaN (0 "
             "for integers) if taken at run time, since model code cannot "
             "report an error yet: "
          << errors[branch];
      if (failed(replaceWithInvalidResults(ifOp, branch, rewriter)))
        return failure();
    }
    return success();
  }

  /// Empties branch `branch` of `ifOp` and has it yield NaN/0 tensors of
  /// the other branch's (inferred) types, a run-time dim taken as 1.
  LogicalResult replaceWithInvalidResults(qc::IfOp ifOp, unsigned branch,
                                          IRRewriter &rewriter) {
    Block &block = (branch == 0 ? ifOp.getThenBranch() : ifOp.getElseBranch())
                       .front();
    SmallVector<Type> types(ifOp.getYield(1 - branch).getValues().getTypes());
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block))) {
      op.dropAllUses();
      rewriter.eraseOp(&op);
    }
    rewriter.setInsertionPointToEnd(&block);
    SmallVector<Value> values;
    for (Type type : types) {
      auto ranked = dyn_cast<RankedTensorType>(type);
      if (!ranked)
        return ifOp.emitError() << "cannot make an invalid-branch result of "
                                << type;
      SmallVector<int64_t> shape(ranked.getShape());
      for (int64_t &d : shape)
        if (ShapedType::isDynamic(d))
          d = 1;
      auto staticType = RankedTensorType::get(shape, ranked.getElementType());
      Attribute element;
      if (auto f = dyn_cast<FloatType>(ranked.getElementType()))
        element = FloatAttr::get(f, APFloat::getNaN(f.getFloatSemantics()));
      else if (auto i = dyn_cast<IntegerType>(ranked.getElementType()))
        element = IntegerAttr::get(i, 0);
      else
        return ifOp.emitError() << "cannot make an invalid-branch result of "
                                << type;
      auto value = DenseElementsAttr::get(staticType, element);
      values.push_back(
          qc::ConstantOp::create(rewriter, ifOp.getLoc(), staticType, value));
    }
    qc::YieldOp::create(rewriter, ifOp.getLoc(), values);
    return success();
  }
};
} // namespace
