//===- SeparateResults.cpp - qc-separate-results --------------------------===//
#include "passes/abi/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace quantc {
#define GEN_PASS_DEF_QCSEPARATERESULTS
#include "passes/abi/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {
struct SeparateResultsPass
    : public quantc::impl::QcSeparateResultsBase<SeparateResultsPass> {
  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func || func.isExternal())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    OpBuilder b(ret);
    llvm::SmallPtrSet<Value, 8> seen;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      auto type = dyn_cast<RankedTensorType>(v.getType());
      bool shared = !seen.insert(v).second || isa<BlockArgument>(v);
      if (!shared || !type)
        continue;
      // alloc_tensor with `copy` always bufferizes to a fresh buffer; its
      // run-time sizes are the copied tensor's.
      operand.set(bufferization::AllocTensorOp::create(b, ret.getLoc(), type,
                                                       ValueRange{}, v));
    }
  }
};
} // namespace
