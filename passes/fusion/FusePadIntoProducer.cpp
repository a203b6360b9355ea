//===- FusePadIntoProducer.cpp - qc-fuse-pad-into-producer ----------------===//
//
// A convolution's zero padding after an elementwise op (Relu, Clip, the
// bias and activation of the previous layer) costs a pass of its own: the
// op writes its result, then the pad copies it into the middle of a larger
// buffer. Upstream's pattern computes the elementwise op straight into the
// middle of the padded buffer instead (a fill of the border value, the op
// on an extract_slice of it, an insert_slice back), which bufferizes in
// place as long as each padded buffer is an allocation of its own.
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCFUSEPADINTOPRODUCER
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

struct FusePadIntoProducerPass
    : public quantc::impl::QcFusePadIntoProducerBase<FusePadIntoProducerPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateFuseTensorPadWithProducerLinalgOpPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // The pattern fills a tensor.empty. Two pads of the same shape would
    // then be one fill after CSE (both ops are pure), shared by both
    // producers, and bufferization would give each a copy of it: twice
    // the traffic the pad cost. A padded buffer is its own allocation.
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](linalg::FillOp fill) {
      auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
      bool padded = llvm::any_of(fill->getUsers(), [&](Operation *user) {
        auto insert = dyn_cast<tensor::InsertSliceOp>(user);
        return insert && insert.getDest() == fill.getResult(0);
      });
      if (!empty || !padded)
        return;
      rewriter.setInsertionPoint(empty);
      rewriter.replaceOpWithNewOp<bufferization::AllocTensorOp>(
          empty, empty.getType(), empty.getDynamicSizes());
    });
  }
};

} // namespace
