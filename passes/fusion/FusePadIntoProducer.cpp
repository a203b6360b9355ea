//===- FusePadIntoProducer.cpp - qc-fuse-pad-into-producer ----------------===//
//
// A convolution's zero padding after an elementwise op (Relu, Clip, the
// bias and activation of the previous layer) costs a pass of its own: the
// op writes its result, then the pad copies it into the middle of a larger
// buffer. Upstream's pattern computes the elementwise op straight into the
// middle of the padded buffer instead (a fill of the border value, the op
// on an extract_slice of it, an insert_slice back), which bufferizes in
// place.
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

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
  }
};

} // namespace
