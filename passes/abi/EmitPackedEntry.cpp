//===- EmitPackedEntry.cpp - qc-emit-packed-entry -------------------------===//
#include "passes/abi/Passes.h"

namespace quantc {
#define GEN_PASS_DEF_QCEMITPACKEDENTRY
#include "passes/abi/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {
struct EmitPackedEntryPass
    : public quantc::impl::QcEmitPackedEntryBase<EmitPackedEntryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string wrapperName = ("_mlir_ciface_" + kEntryFunctionName).str();
    auto wrapper = module.lookupSymbol<LLVM::LLVMFuncOp>(wrapperName);
    if (!wrapper) {
      module.emitError() << "no @" << wrapperName
                         << "; run qc-export-entry-point and the LLVM lowering "
                            "first";
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = module.getLoc();
    auto entry = LLVM::LLVMFuncOp::create(
        b, loc, "qc_entry",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr}));
    Block *body = entry.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    SmallVector<Value> args;
    for (unsigned i = 0; i < wrapper.getNumArguments(); ++i) {
      Value slot = LLVM::GEPOp::create(b, loc, ptr, ptr, body->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{(int32_t)i});
      args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
    }
    LLVM::CallOp::create(b, loc, wrapper, args);
    LLVM::ReturnOp::create(b, loc, ValueRange{});

    // Only qc_entry and qc_signature are the model's interface.
    auto internal = LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal);
    wrapper.setLinkageAttr(internal);
    if (auto impl = module.lookupSymbol<LLVM::LLVMFuncOp>(kEntryFunctionName))
      impl.setLinkageAttr(internal);
  }
};
} // namespace
