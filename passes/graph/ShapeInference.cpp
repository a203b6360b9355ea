//===- ShapeInference.cpp - qc-shape-inference ----------------------------===//
#include "passes/graph/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/FoldUtils.h"

namespace quantc {
#define GEN_PASS_DEF_QCSHAPEINFERENCE
#include "passes/graph/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {
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
        if (failed(inferable.inferShapes()))
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
